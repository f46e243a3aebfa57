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
    let rows = (0..label.len()).filter(|&i| {
        !label[i].is_nan() && !prediction[i].is_nan() && !score.is_some_and(|s| s[i].is_nan())
    });
    let (mut n, mut tp, mut fp, mut tn, mut fneg) = (0usize, 0u64, 0u64, 0u64, 0u64);
    for i in rows {
        n += 1;
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
        let mut scored = by_score(label, prediction, score, positive);
        let (positives, negatives) = (
            std::mem::take(&mut scored.positives),
            std::mem::take(&mut scored.negatives),
        );
        let (pos, neg) = rayon::join(
            || crate::sort::sorted(positives),
            || crate::sort::sorted(negatives),
        );
        out.roc_auc = roc_auc_sorted(&pos, &neg);
        let nf = n as f64;
        out.brier = Some(scored.squared_error / nf);
        out.log_loss = Some(scored.log_loss / nf);
        out.ece_10bin = Some(scored.ece(n));
    }
    out
}

/// The score-based sums of the used rows, gathered in one pass.
struct Scored {
    positives: Vec<f64>,
    negatives: Vec<f64>,
    squared_error: f64,
    log_loss: f64,
    bin_n: [u64; 10],
    bin_label: [f64; 10],
    bin_score: [f64; 10],
}

fn by_score(label: &[f64], prediction: &[f64], score: &[f64], positive: f64) -> Scored {
    let mut out = Scored {
        positives: Vec::with_capacity(label.len() / 2),
        negatives: Vec::with_capacity(label.len() / 2),
        squared_error: 0.0,
        log_loss: 0.0,
        bin_n: [0; 10],
        bin_label: [0.0; 10],
        bin_score: [0.0; 10],
    };
    let eps = f64::EPSILON;
    for ((&l, &p), &s) in label.iter().zip(prediction).zip(score) {
        if l.is_nan() || p.is_nan() || s.is_nan() {
            continue;
        }
        let pos = l == positive;
        let y = f64::from(u8::from(pos));
        out.squared_error += (y - s) * (y - s);
        // y ln p + (1 - y) ln(1 - p) with y in {0, 1}: the other term is exactly 0.
        let p = s.clamp(eps, 1.0 - eps);
        out.log_loss -= if pos { p.ln() } else { (1.0 - p).ln() };
        // Truncation toward zero, as numpy's astype(int64); scores are in [0, 1].
        let b = ((s * 10.0) as i64).clamp(0, 9) as usize;
        out.bin_n[b] += 1;
        out.bin_label[b] += y;
        out.bin_score[b] += s;
        if pos {
            out.positives.push(s);
        } else {
            out.negatives.push(s);
        }
    }
    out
}

impl Scored {
    /// Expected calibration error over `total` rows.
    fn ece(&self, total: usize) -> f64 {
        let total = total as f64;
        (0..10)
            .filter(|b| self.bin_n[*b] > 0)
            .map(|b| {
                let nb = self.bin_n[b] as f64;
                nb / total * (self.bin_label[b] / nb - self.bin_score[b] / nb).abs()
            })
            .sum()
    }
}

/// ROC AUC = (sum of positives' average ranks - P(P+1)/2) / (P N); None without both classes.
pub fn roc_auc(y: &[f64], score: &[f64]) -> Option<f64> {
    let pick = |want: bool| {
        crate::sort::sorted(
            y.iter()
                .zip(score)
                .filter(|(y, _)| (**y == 1.0) == want)
                .map(|(_, s)| *s)
                .collect(),
        )
    };
    roc_auc_sorted(&pick(true), &pick(false))
}

/// ROC AUC from the positives' and the negatives' scores, each sorted ascending: ranks are
/// taken over the merged scores, tied scores sharing their average rank.
fn roc_auc_sorted(pos: &[f64], neg: &[f64]) -> Option<f64> {
    let (mut i, mut j) = (0usize, 0usize);
    let mut rank_sum = 0.0;
    while i < pos.len() || j < neg.len() {
        let x = match (pos.get(i), neg.get(j)) {
            (Some(a), Some(b)) => {
                if a.total_cmp(b).is_le() {
                    *a
                } else {
                    *b
                }
            }
            (Some(a), None) => *a,
            (None, Some(b)) => *b,
            (None, None) => break,
        };
        let (i0, j0) = (i, j);
        while i < pos.len() && pos[i] == x {
            i += 1;
        }
        while j < neg.len() && neg[j] == x {
            j += 1;
        }
        // The tied group holds ranks before+1 ..= before+size; their average:
        let (before, size) = (i0 + j0, (i - i0) + (j - j0));
        let avg = (2 * before + size + 1) as f64 / 2.0;
        rank_sum += avg * (i - i0) as f64;
    }
    let p = pos.len() as f64;
    let neg = neg.len() as f64;
    (p > 0.0 && neg > 0.0).then(|| (rank_sum - p * (p + 1.0) / 2.0) / (p * neg))
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
