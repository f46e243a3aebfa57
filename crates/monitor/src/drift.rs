//! Distribution drift between a reference and a current window.
//!
//! Numeric columns (missing values left out):
//! - PSI on bins from the reference's deciles: edges = the distinct values of numpy's `linear`
//!   quantiles of the reference at 0.1, 0.2, ..., 0.9; a value goes to bin
//!   `searchsorted(edges, x, side="right")`, so bins are [e_(i-1), e_i), open at both ends;
//!   p = count / n, floored at 1e-4 in both windows; PSI = Σ (p_cur - p_ref) ln(p_cur / p_ref).
//! - Kolmogorov-Smirnov statistic (exact) and p-value (see [`crate::ksdist`]).
//! - Jensen-Shannon distance (base 2, the square root of the divergence) on the PSI bins with
//!   raw proportions.
//! - Wasserstein-1 distance between the two empirical distributions (exact).
//!
//! Categorical columns, over the sorted union of categories: PSI (same formula and floor),
//! Jensen-Shannon distance (base 2), and the chi-square test of the 2 x k table [reference
//! counts; current counts] as scipy's `chi2_contingency` (Yates' correction when dof = 1).
//!
//! These are aims' own definitions (the `drift_scipy` section of the benchmark oracle). evidently
//! and nannyml bin, floor and norm differently (Sturges or Doane bins instead of deciles,
//! another zero floor, the natural logarithm, a normed Wasserstein distance, binned KS and
//! Wasserstein approximations); a schema that asks for them gets those values alongside, from
//! [`crate::conventions`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ksdist::ks_2samp_pvalue;
use crate::read::MISSING;

/// Floor on bin proportions in PSI.
pub const PSI_EPS: f64 = 1e-4;

/// Drift of one numeric column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Numeric {
    pub psi: f64,
    pub psi_bin_edges: Vec<f64>,
    pub ks_statistic: f64,
    /// scipy's `ks_2samp` p-value (see [`crate::ksdist`]).
    pub ks_pvalue: f64,
    pub js_distance: f64,
    pub wasserstein: f64,
    pub reference_mean: f64,
    pub current_mean: f64,
}

/// Drift of one categorical column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Categorical {
    pub categories: Vec<String>,
    pub reference_counts: Vec<u64>,
    pub current_counts: Vec<u64>,
    pub psi: f64,
    pub js_distance: f64,
    pub chi2_statistic: f64,
    pub chi2_pvalue: f64,
    pub chi2_dof: u64,
}

/// A numeric reference prepared once: sorted values, PSI bin edges and bin proportions.
#[derive(Debug, Clone)]
pub struct NumericReference {
    sorted: Vec<f64>,
    edges: Vec<f64>,
    proportions: Vec<f64>,
}

impl NumericReference {
    /// Prepares the reference; None when it has no value.
    pub fn new(values: &[f64]) -> Option<NumericReference> {
        NumericReference::from_sorted(crate::sort::sorted_present(values.iter().copied()))
    }

    /// Prepares the reference from its present values sorted ascending; None when empty.
    pub fn from_sorted(sorted: Vec<f64>) -> Option<NumericReference> {
        if sorted.is_empty() {
            return None;
        }
        let mut edges: Vec<f64> = (1..10)
            .map(|i| quantile_linear(&sorted, i as f64 * 0.1))
            .collect();
        edges.dedup();
        let proportions = proportions(&bin_counts(&sorted, &edges), sorted.len());
        Some(NumericReference {
            sorted,
            edges,
            proportions,
        })
    }

    /// The reference's present values, sorted ascending.
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// The sorted values, taken back.
    pub fn into_sorted(self) -> Vec<f64> {
        self.sorted
    }
}

/// Numeric drift; None when either window has no value.
pub fn numeric(reference: &[f64], current: &[f64]) -> Option<Numeric> {
    numeric_against(&NumericReference::new(reference)?, current)
}

/// Numeric drift of `current` against a prepared reference; None when `current` has no value.
pub fn numeric_against(reference: &NumericReference, current: &[f64]) -> Option<Numeric> {
    numeric_sorted(
        reference,
        &crate::sort::sorted_present(current.iter().copied()),
    )
}

/// Numeric drift of the current window's present values sorted ascending; None when empty.
pub fn numeric_sorted(reference: &NumericReference, c: &[f64]) -> Option<Numeric> {
    let r = &reference.sorted;
    if c.is_empty() {
        return None;
    }
    let pr = &reference.proportions;
    let pc = proportions(&bin_counts(c, &reference.edges), c.len());
    let m = Merged::of(r, c);
    Some(Numeric {
        psi: psi(pr, &pc),
        ks_pvalue: ks_2samp_pvalue(m.ks_statistic, r.len(), c.len()),
        ks_statistic: m.ks_statistic,
        js_distance: js_distance(pr, &pc),
        wasserstein: m.wasserstein,
        reference_mean: m.reference_sum / r.len() as f64,
        current_mean: m.current_sum / c.len() as f64,
        psi_bin_edges: reference.edges.clone(),
    })
}

/// What one merge of the two sorted windows gives: the values of [`ks_statistic`] and
/// [`wasserstein`], and each window's sum in ascending order (so bit for bit the sums those
/// functions' callers would get from `iter().sum()`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Merged {
    ks_statistic: f64,
    wasserstein: f64,
    reference_sum: f64,
    current_sum: f64,
}

impl Merged {
    /// Walks the merged order of `r` and `c` (both sorted, no NaN) once. Before each value the
    /// gap to the previous one adds |F_ref - F_cur| times its width to the Wasserstein total;
    /// after the last of equal values, F_ref - F_cur is a candidate for the KS statistic.
    fn of(r: &[f64], c: &[f64]) -> Merged {
        let (n1, n2) = (r.len() as f64, c.len() as f64);
        let (mut i, mut j) = (0usize, 0usize);
        let (mut reference_sum, mut current_sum) = (-0.0f64, -0.0f64);
        let (mut max, mut min) = (0.0f64, 0.0f64);
        let mut total = 0.0;
        // F_ref - F_cur over the values taken so far.
        let mut d = 0.0f64;
        let mut prev: Option<f64> = None;
        while i < r.len() || j < c.len() {
            let take_r = match (r.get(i), c.get(j)) {
                (Some(a), Some(b)) => a <= b,
                (Some(_), None) => true,
                _ => false,
            };
            let x = if take_r { r[i] } else { c[j] };
            if let Some(p) = prev {
                total += d.abs() * (x - p);
            }
            // Selects rather than branches: which window comes next is a coin toss.
            reference_sum = if take_r {
                reference_sum + x
            } else {
                reference_sum
            };
            current_sum = if take_r { current_sum } else { current_sum + x };
            i += usize::from(take_r);
            j += usize::from(!take_r);
            prev = Some(x);
            d = i as f64 / n1 - j as f64 / n2;
            let next = match (r.get(i), c.get(j)) {
                (Some(a), Some(b)) => a.min(*b),
                (Some(a), None) => *a,
                (None, Some(b)) => *b,
                (None, None) => f64::NAN,
            };
            // The last of equal values (NaN never equals x).
            let last = next != x;
            max = if last { max.max(d) } else { max };
            min = if last { min.min(d) } else { min };
        }
        Merged {
            ks_statistic: max.max(-min).clamp(0.0, 1.0),
            wasserstein: total,
            reference_sum,
            current_sum,
        }
    }
}

/// numpy's `quantile(x, q, method="linear")` on sorted `x`.
pub fn quantile_linear(sorted: &[f64], q: f64) -> f64 {
    // numpy's "linear" method: virtual index = (n - 1) q.
    let virtual_index = (sorted.len() - 1) as f64 * q;
    let lo = virtual_index.floor();
    let gamma = virtual_index - lo;
    let last = sorted.len() - 1;
    let i = (lo.max(0.0) as usize).min(last);
    let a = sorted[i];
    let b = sorted[(i + 1).min(last)];
    // numpy's _lerp: a + (b - a) t, and b - (b - a)(1 - t) when t >= 0.5.
    let diff = b - a;
    if gamma >= 0.5 {
        b - diff * (1.0 - gamma)
    } else {
        a + diff * gamma
    }
}

/// Counts per bin of sorted values; bin = number of edges <= x.
fn bin_counts(sorted: &[f64], edges: &[f64]) -> Vec<u64> {
    let mut below = 0;
    let mut counts = Vec::with_capacity(edges.len() + 1);
    for e in edges {
        let p = sorted.partition_point(|x| x < e);
        counts.push((p - below) as u64);
        below = p;
    }
    counts.push((sorted.len() - below) as u64);
    counts
}

fn proportions(counts: &[u64], n: usize) -> Vec<f64> {
    counts.iter().map(|c| *c as f64 / n as f64).collect()
}

/// Population stability index with the [`PSI_EPS`] floor.
pub fn psi(p_ref: &[f64], p_cur: &[f64]) -> f64 {
    p_ref
        .iter()
        .zip(p_cur)
        .map(|(a, b)| {
            let (a, b) = (a.max(PSI_EPS), b.max(PSI_EPS));
            (b - a) * (b / a).ln()
        })
        .sum()
}

/// scipy's `jensenshannon(p, q, base=2)`: both normalised, sqrt of the mean KL to the midpoint.
pub fn js_distance(p: &[f64], q: &[f64]) -> f64 {
    jensen_shannon(p, q, Some(2.0))
}

/// scipy's `jensenshannon(p, q, base)`; the natural logarithm without a base.
pub fn jensen_shannon(p: &[f64], q: &[f64], base: Option<f64>) -> f64 {
    let sp: f64 = p.iter().sum();
    let sq: f64 = q.iter().sum();
    let (mut left, mut right) = (0.0, 0.0);
    for (p, q) in p.iter().zip(q) {
        let (p, q) = (p / sp, q / sq);
        let m = (p + q) / 2.0;
        left += rel_entr(p, m);
        right += rel_entr(q, m);
    }
    let mut js = left + right;
    if let Some(b) = base {
        js /= b.ln();
    }
    (js / 2.0).max(0.0).sqrt()
}

/// scipy's `rel_entr(x, y)` = x ln(x / y) for x > 0, y > 0 (0 for x = 0): as x ln(1 + (x - y)/y)
/// when x / y is in (1/2, 2), which keeps the digits that cancel in a divergence of nearly equal
/// distributions.
fn rel_entr(x: f64, y: f64) -> f64 {
    if x <= 0.0 || y <= 0.0 {
        return if x == 0.0 && y >= 0.0 {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let ratio = x / y;
    if 0.5 < ratio && ratio < 2.0 {
        x * ((x - y) / y).ln_1p()
    } else if f64::MIN_POSITIVE < ratio && ratio < f64::INFINITY {
        x * ratio.ln()
    } else {
        x * (x.ln() - y.ln())
    }
}

/// Two-sided KS statistic: max |F_ref(x) - F_cur(x)| over every observed x.
pub fn ks_statistic(r: &[f64], c: &[f64]) -> f64 {
    let (n1, n2) = (r.len() as f64, c.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let (mut max, mut min) = (0.0f64, 0.0f64);
    while i < r.len() || j < c.len() {
        let x = match (r.get(i), c.get(j)) {
            (Some(a), Some(b)) => a.min(*b),
            (Some(a), None) => *a,
            (None, Some(b)) => *b,
            (None, None) => break,
        };
        while i < r.len() && r[i] <= x {
            i += 1;
        }
        while j < c.len() && c[j] <= x {
            j += 1;
        }
        let d = i as f64 / n1 - j as f64 / n2;
        max = max.max(d);
        min = min.min(d);
    }
    max.max(-min).clamp(0.0, 1.0)
}

/// Wasserstein-1 distance: ∫ |F_ref - F_cur| over the merged sorted values.
pub fn wasserstein(r: &[f64], c: &[f64]) -> f64 {
    let (n1, n2) = (r.len() as f64, c.len() as f64);
    let (mut i, mut j) = (0usize, 0usize);
    let mut total = 0.0;
    let mut prev: Option<f64> = None;
    while i < r.len() || j < c.len() {
        let take_r = match (r.get(i), c.get(j)) {
            (Some(a), Some(b)) => a <= b,
            (Some(_), None) => true,
            _ => false,
        };
        let x = if take_r { r[i] } else { c[j] };
        if let Some(p) = prev {
            // The CDFs just before x, at p: counts of values <= p.
            let (fi, fj) = (i as f64 / n1, j as f64 / n2);
            total += (fi - fj).abs() * (x - p);
        }
        if take_r {
            i += 1;
        } else {
            j += 1;
        }
        prev = Some(x);
    }
    total
}

/// Categorical drift from both windows' codes and categories.
pub fn categorical(
    reference: (&[u32], &[String]),
    current: (&[u32], &[String]),
) -> Option<Categorical> {
    let mut table: BTreeMap<&str, [u64; 2]> = BTreeMap::new();
    for (w, (codes, cats)) in [reference, current].into_iter().enumerate() {
        let mut counts = vec![0u64; cats.len()];
        for c in codes.iter().filter(|c| **c != MISSING) {
            counts[*c as usize] += 1;
        }
        for (cat, n) in cats.iter().zip(counts) {
            if n > 0 {
                table.entry(cat.as_str()).or_default()[w] += n;
            }
        }
    }
    let rc: Vec<u64> = table.values().map(|v| v[0]).collect();
    let cc: Vec<u64> = table.values().map(|v| v[1]).collect();
    let (nr, nc) = (rc.iter().sum::<u64>(), cc.iter().sum::<u64>());
    if nr == 0 || nc == 0 {
        return None;
    }
    let pr = proportions(&rc, nr as usize);
    let pc = proportions(&cc, nc as usize);
    let (chi2_statistic, chi2_dof) = chi2_contingency(&rc, &cc);
    let chi2_pvalue = if chi2_dof == 0 || chi2_statistic == 0.0 {
        1.0
    } else {
        // The upper regularised gamma is the chi-square survival function; an undefined
        // statistic gives an undefined p-value rather than a panic.
        statrs::function::gamma::checked_gamma_ur(chi2_dof as f64 / 2.0, chi2_statistic / 2.0)
            .unwrap_or(f64::NAN)
    };
    Some(Categorical {
        categories: table.keys().map(|k| (*k).to_string()).collect(),
        psi: psi(&pr, &pc),
        js_distance: js_distance(&pr, &pc),
        chi2_statistic,
        chi2_pvalue,
        chi2_dof,
        reference_counts: rc,
        current_counts: cc,
    })
}

/// Pearson's chi-square of the 2 x k table and its degrees of freedom, as scipy's
/// `chi2_contingency` (with Yates' continuity correction when dof = 1).
fn chi2_contingency(a: &[u64], b: &[u64]) -> (f64, u64) {
    let dof = a.len().saturating_sub(1) as u64;
    if dof == 0 {
        return (0.0, 0);
    }
    let rows = [a.iter().sum::<u64>() as f64, b.iter().sum::<u64>() as f64];
    let total = rows[0] + rows[1];
    let mut stat = 0.0;
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        let col = (a[k] + b[k]) as f64;
        for (r, observed) in [(rows[0], *x as f64), (rows[1], *y as f64)] {
            let expected = r * col / total;
            let mut o = observed;
            if dof == 1 {
                let diff = expected - observed;
                o += diff.abs().min(0.5) * diff.signum();
            }
            stat += (o - expected) * (o - expected) / expected;
        }
    }
    (stat, dof)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_samples_give_hand_computed_values() {
        let r = [1.0, 2.0, 3.0, 4.0];
        let c = [3.0, 4.0, 5.0, 6.0];
        assert_eq!(ks_statistic(&r, &c), 0.5);
        assert_eq!(wasserstein(&r, &c), 2.0);
        assert_eq!(quantile_linear(&r, 0.5), 2.5);
        assert_eq!(bin_counts(&r, &[2.0, 3.0]), vec![1, 1, 2]);
        assert_eq!(js_distance(&[0.5, 0.5], &[0.5, 0.5]), 0.0);
        assert!((js_distance(&[1.0, 0.0], &[0.0, 1.0]) - 1.0).abs() < 1e-15);
    }

    /// The one merge gives bit for bit what the separate functions and sums give.
    #[test]
    fn one_merge_equals_the_separate_passes() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut draw = |n: usize, shift: f64| -> Vec<f64> {
            let mut v: Vec<f64> = (0..n)
                .map(|i| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    match i % 11 {
                        0 => -0.0,
                        1 => 0.0,
                        _ => (state % 2_000) as f64 / 64.0 - 10.0 + shift,
                    }
                })
                .collect();
            v.sort_unstable_by(f64::total_cmp);
            v
        };
        let cases = [
            (draw(3_000, 0.0), draw(2_000, 1.5)),
            (draw(1, 0.0), draw(500, -3.0)),
            (vec![1.0, 2.0, 3.0, 4.0], vec![3.0, 4.0, 5.0, 6.0]),
            (vec![2.0, 2.0], vec![2.0]),
        ];
        for (r, c) in &cases {
            let m = Merged::of(r, c);
            assert_eq!(m.ks_statistic.to_bits(), ks_statistic(r, c).to_bits());
            assert_eq!(m.wasserstein.to_bits(), wasserstein(r, c).to_bits());
            assert_eq!(m.reference_sum.to_bits(), r.iter().sum::<f64>().to_bits());
            assert_eq!(m.current_sum.to_bits(), c.iter().sum::<f64>().to_bits());
        }
    }
}
