//! Performance of a binary classifier or a regressor, with scikit-learn's definitions.
//!
//! Rows where any column used is missing (NaN) are left out; `n` counts the rows used.

use serde::{Deserialize, Serialize};

/// Binary classifier metrics (positive class = `positive_label`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binary {
    pub n: usize,
    pub accuracy: Option<f64>,
    /// TP / (TP + FP); None when nothing is predicted positive.
    pub precision: Option<f64>,
    /// TP / (TP + FN); None when no label is positive.
    pub recall: Option<f64>,
    pub f1: Option<f64>,
    /// Area under the ROC curve from average ranks (Mann-Whitney U), ties counted half.
    pub roc_auc: Option<f64>,
    /// mean((label - score)^2).
    pub brier: Option<f64>,
    /// -mean(y ln p + (1 - y) ln(1 - p)), p clipped to [eps, 1 - eps], eps = f64::EPSILON.
    pub log_loss: Option<f64>,
    /// Expected calibration error: 10 equal-width score bins, bin = min(floor(10 s), 9).
    pub ece_10bin: Option<f64>,
    pub positive_rate_label: Option<f64>,
    pub positive_rate_prediction: Option<f64>,
}

/// Regressor metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Regression {
    pub n: usize,
    pub mae: Option<f64>,
    pub rmse: Option<f64>,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Binary metrics; `score` may be absent (then the score-based metrics are None).
pub fn binary(label: &[f64], prediction: &[f64], score: Option<&[f64]>, positive: f64) -> Binary {
    let rows: Vec<usize> = (0..label.len())
        .filter(|&i| {
            !label[i].is_nan() && !prediction[i].is_nan() && !score.is_some_and(|s| s[i].is_nan())
        })
        .collect();
    let n = rows.len();
    let (mut tp, mut fp, mut tn, mut fneg) = (0u64, 0u64, 0u64, 0u64);
    for &i in &rows {
        match (label[i] == positive, prediction[i] == positive) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (false, false) => tn += 1,
            (true, false) => fneg += 1,
        }
    }
    let total = n as u64;
    let f1 = ratio(2 * tp, 2 * tp + fp + fneg);
    let mut out = Binary {
        n,
        accuracy: ratio(tp + tn, total),
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fneg),
        f1,
        roc_auc: None,
        brier: None,
        log_loss: None,
        ece_10bin: None,
        positive_rate_label: ratio(tp + fneg, total),
        positive_rate_prediction: ratio(tp + fp, total),
    };
    if let (Some(score), true) = (score, n > 0) {
        let y: Vec<f64> = rows
            .iter()
            .map(|&i| f64::from(u8::from(label[i] == positive)))
            .collect();
        let s: Vec<f64> = rows.iter().map(|&i| score[i]).collect();
        out.roc_auc = roc_auc(&y, &s);
        out.brier = Some(
            y.iter()
                .zip(&s)
                .map(|(y, s)| (y - s) * (y - s))
                .sum::<f64>()
                / n as f64,
        );
        let eps = f64::EPSILON;
        let ll: f64 = y
            .iter()
            .zip(&s)
            .map(|(y, s)| {
                let p = s.clamp(eps, 1.0 - eps);
                -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
            })
            .sum();
        out.log_loss = Some(ll / n as f64);
        out.ece_10bin = Some(ece(&y, &s));
    }
    out
}

/// ROC AUC = (sum of positives' average ranks - P(P+1)/2) / (P N); None without both classes.
pub fn roc_auc(y: &[f64], score: &[f64]) -> Option<f64> {
    let mut order: Vec<usize> = (0..score.len()).collect();
    order.sort_unstable_by(|a, b| score[*a].total_cmp(&score[*b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && score[order[j + 1]] == score[order[i]] {
            j += 1;
        }
        // Ranks i+1..=j+1 share their average.
        let avg = (i + j + 2) as f64 / 2.0;
        let positives = order[i..=j].iter().filter(|&&k| y[k] == 1.0).count();
        rank_sum += avg * positives as f64;
        i = j + 1;
    }
    let p = y.iter().filter(|v| **v == 1.0).count() as f64;
    let neg = y.len() as f64 - p;
    (p > 0.0 && neg > 0.0).then(|| (rank_sum - p * (p + 1.0) / 2.0) / (p * neg))
}

fn ece(y: &[f64], s: &[f64]) -> f64 {
    let mut n = [0u64; 10];
    let mut sum_y = [0.0f64; 10];
    let mut sum_s = [0.0f64; 10];
    for (y, s) in y.iter().zip(s) {
        // Truncation toward zero, as numpy's astype(int64); scores are in [0, 1].
        let b = ((s * 10.0) as i64).clamp(0, 9) as usize;
        n[b] += 1;
        sum_y[b] += y;
        sum_s[b] += s;
    }
    let total = y.len() as f64;
    (0..10)
        .filter(|b| n[*b] > 0)
        .map(|b| {
            let nb = n[b] as f64;
            nb / total * (sum_y[b] / nb - sum_s[b] / nb).abs()
        })
        .sum()
}

/// MAE and RMSE over the rows where both values are present.
pub fn regression(label: &[f64], prediction: &[f64]) -> Regression {
    let mut n = 0usize;
    let (mut abs, mut sq) = (0.0, 0.0);
    for (y, p) in label.iter().zip(prediction) {
        if y.is_nan() || p.is_nan() {
            continue;
        }
        n += 1;
        abs += (y - p).abs();
        sq += (y - p) * (y - p);
    }
    let nf = n as f64;
    Regression {
        n,
        mae: (n > 0).then(|| abs / nf),
        rmse: (n > 0).then(|| (sq / nf).sqrt()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_half_and_regression_is_exact() {
        // Positive scores 0.8, 0.5; negatives 0.5, 0.1: pairs won 1 + 1 + 0.5 + 1 of 4.
        let auc = roc_auc(&[1.0, 1.0, 0.0, 0.0], &[0.8, 0.5, 0.5, 0.1]);
        assert_eq!(auc, Some(0.875));
        let r = regression(&[1.0, 2.0, f64::NAN, 4.0], &[2.0, 2.0, 9.0, 1.0]);
        assert_eq!((r.n, r.mae), (3, Some(4.0 / 3.0)));
        assert_eq!(r.rmse, Some((10.0f64 / 3.0).sqrt()));
    }

    #[test]
    fn binary_counts_match_hand_values() {
        let b = binary(&[1.0, 0.0, 1.0, 0.0], &[1.0, 1.0, 0.0, 0.0], None, 1.0);
        assert_eq!(b.accuracy, Some(0.5));
        assert_eq!(b.precision, Some(0.5));
        assert_eq!(b.recall, Some(0.5));
        assert_eq!(b.f1, Some(0.5));
        assert_eq!(b.roc_auc, None);
    }
}
