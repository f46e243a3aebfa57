//! Performance of a binary classifier or a regressor, with scikit-learn's definitions.
//!
//! Rows where any column used is missing (NaN) are left out; `n` counts the rows used.

use serde::{Deserialize, Serialize};

use crate::buffers::Buffers;
use crate::sort::Keys;

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

/// The confusion counts of the rows where no value used is missing.
struct Counts {
    n: usize,
    tp: u64,
    fp: u64,
    tn: u64,
    fneg: u64,
}

impl Counts {
    /// Counts (label, prediction, score missing) triples; without branches on the values,
    /// which are as good as random.
    fn of(rows: impl Iterator<Item = (f64, f64, bool)>, positive: f64) -> Counts {
        let (mut n, mut tp, mut fp, mut tn) = (0u64, 0u64, 0u64, 0u64);
        for (l, p, score_missing) in rows {
            let used = u64::from(!(l.is_nan() || p.is_nan() || score_missing));
            let (l, p) = (u64::from(l == positive), u64::from(p == positive));
            n += used;
            tp += used & l & p;
            fp += used & (1 - l) & p;
            tn += used & (1 - l) & (1 - p);
        }
        Counts {
            n: n as usize,
            tp,
            fp,
            tn,
            fneg: n - tp - fp - tn,
        }
    }
}

/// Binary metrics; `score` may be absent (then the score-based metrics are None).
pub fn binary(label: &[f64], prediction: &[f64], score: Option<&[f64]>, positive: f64) -> Binary {
    binary_in(label, prediction, score, positive, &Buffers::default())
}

/// [`binary`] with the scores' sort memory from `buffers` (and given back to them).
pub(crate) fn binary_in(
    label: &[f64],
    prediction: &[f64],
    score: Option<&[f64]>,
    positive: f64,
    buffers: &Buffers,
) -> Binary {
    let counts = match score {
        Some(score) => Counts::of(
            label
                .iter()
                .zip(prediction)
                .zip(score)
                .map(|((l, p), s)| (*l, *p, s.is_nan())),
            positive,
        ),
        None => Counts::of(
            label.iter().zip(prediction).map(|(l, p)| (*l, *p, false)),
            positive,
        ),
    };
    let Counts {
        n,
        tp,
        fp,
        tn,
        fneg,
    } = counts;
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
        // Every used row's score goes to the sort keys of its class, sized exactly; the
        // score-based metrics come from one walk over the two sorted lists.
        // Indexed by the label (0: negative), not branched on: labels are as good as random.
        let mut classes = [
            Keys::with_capacity((fp + tn) as usize, buffers),
            Keys::with_capacity((tp + fneg) as usize, buffers),
        ];
        for ((&l, &p), &s) in label.iter().zip(prediction).zip(score) {
            if l.is_nan() || p.is_nan() || s.is_nan() {
                continue;
            }
            classes[usize::from(l == positive)].push_any(s);
        }
        let [negatives, positives] = classes;
        let (pos, neg) = rayon::join(|| positives.sorted(buffers), || negatives.sorted(buffers));
        let walk = Walk::over(&pos, &neg);
        buffers.give_floats(pos);
        buffers.give_floats(neg);
        let nf = n as f64;
        out.roc_auc = walk.roc_auc;
        out.brier = Some(walk.squared_error / nf);
        out.log_loss = Some(walk.log_loss / nf);
        out.ece_10bin = Some(walk.ece(nf));
    }
    out
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
    Walk::over(&pick(true), &pick(false)).roc_auc
}

/// The score-based metrics from the positives' and the negatives' scores, each sorted
/// ascending, walked in step: ranks are taken over the merged scores, tied scores sharing their
/// average rank, and each run of equal scores adds its squared error, log loss and calibration
/// sums at once.
struct Walk {
    roc_auc: Option<f64>,
    /// Sum of (y - s)^2.
    squared_error: f64,
    /// -Sum of y ln p + (1 - y) ln(1 - p), p clipped to [eps, 1 - eps], eps = f64::EPSILON.
    log_loss: f64,
    /// Per calibration bin (min(floor(10 s), 9)): rows, positive labels and scores' sum.
    bin_n: [f64; 10],
    bin_label: [f64; 10],
    bin_score: [f64; 10],
}

impl Walk {
    fn over(pos: &[f64], neg: &[f64]) -> Walk {
        let eps = f64::EPSILON;
        let mut out = Walk {
            roc_auc: None,
            squared_error: 0.0,
            log_loss: 0.0,
            bin_n: [0.0; 10],
            bin_label: [0.0; 10],
            bin_score: [0.0; 10],
        };
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
            let (np, nn) = ((i - i0) as f64, (j - j0) as f64);
            rank_sum += avg * np;
            out.squared_error += np * (1.0 - x) * (1.0 - x) + nn * x * x;
            // y ln p + (1 - y) ln(1 - p) with y in {0, 1}: the other term is exactly 0.
            let p = x.clamp(eps, 1.0 - eps);
            if np > 0.0 {
                out.log_loss -= np * p.ln();
            }
            if nn > 0.0 {
                out.log_loss -= nn * (1.0 - p).ln();
            }
            // Truncation toward zero, as numpy's astype(int64); scores are in [0, 1].
            let b = ((x * 10.0) as i64).clamp(0, 9) as usize;
            out.bin_n[b] += np + nn;
            out.bin_label[b] += np;
            out.bin_score[b] += (np + nn) * x;
        }
        let p = pos.len() as f64;
        let n = neg.len() as f64;
        out.roc_auc = (p > 0.0 && n > 0.0).then(|| (rank_sum - p * (p + 1.0) / 2.0) / (p * n));
        out
    }

    /// Expected calibration error over `total` rows.
    fn ece(&self, total: f64) -> f64 {
        (0..10)
            .filter(|b| self.bin_n[*b] > 0.0)
            .map(|b| {
                let nb = self.bin_n[b];
                nb / total * (self.bin_label[b] / nb - self.bin_score[b] / nb).abs()
            })
            .sum()
    }
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

    #[test]
    fn runs_of_equal_scores_add_what_their_rows_add() {
        let label = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
        let score = [0.3, 0.3, 0.95, 0.1, 0.3, 0.0];
        let b = binary(&label, &label, Some(&score), 1.0);
        let eps = f64::EPSILON;
        let rows = label.iter().zip(&score);
        let brier: f64 = rows.clone().map(|(y, s)| (y - s) * (y - s)).sum::<f64>() / 6.0;
        let log_loss: f64 = -rows
            .map(|(y, s)| {
                let p = s.clamp(eps, 1.0 - eps);
                y * p.ln() + (1.0 - y) * (1.0 - p).ln()
            })
            .sum::<f64>()
            / 6.0;
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() <= 1e-12 * b.abs());
        assert!(close(b.brier, brier), "{:?} {brier}", b.brier);
        assert!(close(b.log_loss, log_loss), "{:?} {log_loss}", b.log_loss);
        // Bins 0 (0.0), 1 (0.1), 3 (0.3 three times) and 9 (0.95), each weighing its rows'
        // |mean label - mean score|.
        let ece = (0.0 + 0.1 + 3.0 * (2.0f64 / 3.0 - 0.3).abs() + (1.0f64 - 0.95).abs()) / 6.0;
        assert!(close(b.ece_10bin, ece), "{:?} {ece}", b.ece_10bin);
        // Positives 0.3, 0.3, 0.95 against negatives 0.0, 0.1, 0.3: 7 wins and 2 ties of 9.
        assert_eq!(b.roc_auc, Some(8.0 / 9.0));
    }
}
