//! Drift as evidently 0.7.23 reports it (`DataDriftPreset`: one `ValueDrift` per column and
//! `DriftedColumnsCount`), from each window's finite values (evidently drops NaN and ±inf).
//!
//! - Bins for PSI and Jensen-Shannon: a numeric column with more than 20 distinct reference
//!   values gets Sturges' equal-width bins over both windows together (`np.histogram_bin_edges(
//!   ..., bins="sturges")`, bins [e_i, e_(i+1)), the last one closed); any other column one bin
//!   per distinct value of either window. Proportions are counts over the window's size.
//! - PSI = Σ (p_ref - p_cur) ln(p_ref / p_cur), where a zero proportion is replaced, in each
//!   window separately, by the window's smallest non-zero proportion / 10^6 when that is at
//!   most 1e-4, else by 1e-4.
//! - Jensen-Shannon distance with the natural logarithm (scipy's `jensenshannon` without a
//!   base), on the raw proportions.
//! - Wasserstein distance (scipy's) divided by max(std(reference, ddof 0), 0.001).
//! - KS: scipy's `ks_2samp` p-value. Chi-square: scipy's `chisquare` p-value of the current
//!   counts against the reference counts scaled to the current window's size (an expected count
//!   of 0 gives p = 0). Z: the two-proportion z-test p-value, 2 (1 - Φ(|z|)), of "not the
//!   smallest value".
//! - The default test: a reference of at most 1000 values gets KS (numeric with more than 5
//!   distinct values in both windows together), else chi-square (more than 2) or Z; a larger
//!   reference gets the normed Wasserstein distance (numeric, more than 5 distinct values), else
//!   Jensen-Shannon. Thresholds: 0.05 for p-values (drift when p <= 0.05 for KS, p < 0.05 for
//!   chi-square and Z), 0.1 for distances (drift when the value >= 0.1).
//! - The summary counts the drifted columns and their share of all compared columns.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::numpy::{histogram, pairwise_sum, std, sturges_edges, unique_counts};
use crate::drift;

/// A drift test as evidently names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Kolmogorov-Smirnov p-value.
    Ks,
    /// Wasserstein distance normed by the reference's standard deviation.
    Wasserstein,
    /// Population stability index.
    Psi,
    /// Jensen-Shannon distance (natural logarithm).
    Jensenshannon,
    /// Chi-square goodness-of-fit p-value.
    Chisquare,
    /// Two-proportion z-test p-value.
    Z,
}

impl Method {
    /// Evidently's default threshold.
    pub fn threshold(self) -> f64 {
        match self {
            Method::Ks | Method::Chisquare | Method::Z => 0.05,
            Method::Wasserstein | Method::Psi | Method::Jensenshannon => 0.1,
        }
    }

    /// Evidently's verdict for a value of this test at `threshold`.
    pub fn drifted(self, value: f64, threshold: f64) -> bool {
        match self {
            Method::Ks => value <= threshold,
            Method::Chisquare | Method::Z => value < threshold,
            Method::Wasserstein | Method::Psi | Method::Jensenshannon => value >= threshold,
        }
    }
}

/// One column's drift under evidently's conventions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The test evidently picks for this column by default.
    pub method: Method,
    pub threshold: f64,
    /// The default test's value.
    pub value: f64,
    pub drifted: bool,
    pub psi: f64,
    pub jensenshannon: f64,
    /// Numeric columns only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ks_pvalue: Option<f64>,
    /// Numeric columns only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wasserstein_normed: Option<f64>,
    /// Categorical columns only; absent with a single category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chisquare_pvalue: Option<f64>,
}

/// How many compared columns drifted under their default test (`DriftedColumnsCount`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftedColumns {
    pub count: usize,
    /// count / the number of compared columns.
    pub share: f64,
}

/// The summary over every column's default verdict.
pub fn drifted_columns(columns: &BTreeMap<String, Column>) -> DriftedColumns {
    let count = columns.values().filter(|c| c.drifted).count();
    let share = if columns.is_empty() {
        0.0
    } else {
        count as f64 / columns.len() as f64
    };
    DriftedColumns { count, share }
}

/// A numeric column from both windows' finite values, sorted; None when either is empty.
pub fn numeric(r: &[f64], c: &[f64]) -> Option<Column> {
    if r.is_empty() || c.is_empty() {
        return None;
    }
    let (nr, nc) = (r.len() as f64, c.len() as f64);
    let values = per_value_counts(r, c);
    let reference_distinct = values.iter().filter(|(n, _)| *n > 0).count();
    let (pr, pc) = if reference_distinct > 20 {
        let edges = sturges_edges(r, c);
        let share = |x: &[f64], n: f64| -> Vec<f64> {
            histogram(x, &edges)
                .into_iter()
                .map(|k| k as f64 / n)
                .collect()
        };
        (share(r, nr), share(c, nc))
    } else {
        proportions(&values)
    };
    let ks_pvalue = crate::ksdist::ks_2samp_pvalue(drift::ks_statistic(r, c), r.len(), c.len());
    let wasserstein_normed = drift::wasserstein(r, c) / std(r).max(0.001);
    let method = if r.len() <= 1000 {
        match values.len() {
            0..=2 => Method::Z,
            3..=5 => Method::Chisquare,
            _ => Method::Ks,
        }
    } else if values.len() <= 5 {
        Method::Jensenshannon
    } else {
        Method::Wasserstein
    };
    let psi = psi(&pr, &pc);
    let jensenshannon = drift::jensen_shannon(&pr, &pc, None);
    let value = match method {
        Method::Ks => ks_pvalue,
        Method::Wasserstein => wasserstein_normed,
        Method::Psi => psi,
        Method::Jensenshannon => jensenshannon,
        Method::Chisquare => chisquare(&values).unwrap_or(f64::NAN),
        Method::Z => z_test(&values),
    };
    Some(verdict(
        method,
        value,
        Column {
            method,
            threshold: 0.0,
            value: 0.0,
            drifted: false,
            psi,
            jensenshannon,
            ks_pvalue: Some(ks_pvalue),
            wasserstein_normed: Some(wasserstein_normed),
            chisquare_pvalue: None,
        },
    ))
}

/// A categorical column from its counts over the union of categories.
pub fn categorical(d: &drift::Categorical) -> Column {
    let values: Vec<(u64, u64)> = d
        .reference_counts
        .iter()
        .copied()
        .zip(d.current_counts.iter().copied())
        .collect();
    let (pr, pc) = proportions(&values);
    let nr: u64 = d.reference_counts.iter().sum();
    let method = match (nr <= 1000, values.len()) {
        (true, 0..=2) => Method::Z,
        (true, _) => Method::Chisquare,
        (false, _) => Method::Jensenshannon,
    };
    let psi = psi(&pr, &pc);
    let jensenshannon = drift::jensen_shannon(&pr, &pc, None);
    let chisquare_pvalue = chisquare(&values);
    let value = match method {
        Method::Z => z_test(&values),
        Method::Chisquare => chisquare_pvalue.unwrap_or(f64::NAN),
        _ => jensenshannon,
    };
    verdict(
        method,
        value,
        Column {
            method,
            threshold: 0.0,
            value: 0.0,
            drifted: false,
            psi,
            jensenshannon,
            ks_pvalue: None,
            wasserstein_normed: None,
            chisquare_pvalue,
        },
    )
}

fn verdict(method: Method, value: f64, column: Column) -> Column {
    let threshold = method.threshold();
    Column {
        threshold,
        value,
        drifted: method.drifted(value, threshold),
        ..column
    }
}

/// (reference count, current count) per distinct value of either window, ascending.
fn per_value_counts(r: &[f64], c: &[f64]) -> Vec<(u64, u64)> {
    let (a, b) = (unique_counts(r), unique_counts(c));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    let mut out = Vec::new();
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some((x, _)), Some((y, _))) if x == y => (a.next(), b.next()),
            (Some((x, _)), Some((y, _))) if x < y => (a.next(), None),
            (Some(_), None) => (a.next(), None),
            (_, Some(_)) => (None, b.next()),
            (None, None) => break,
        };
        out.push((next.0.map_or(0, |v| v.1), next.1.map_or(0, |v| v.1)));
    }
    out
}

/// Each window's proportions from (reference, current) counts.
fn proportions(counts: &[(u64, u64)]) -> (Vec<f64>, Vec<f64>) {
    let nr: u64 = counts.iter().map(|c| c.0).sum();
    let nc: u64 = counts.iter().map(|c| c.1).sum();
    counts
        .iter()
        .map(|(r, c)| (*r as f64 / nr as f64, *c as f64 / nc as f64))
        .unzip()
}

/// Zero proportions replaced as evidently does: by the smallest non-zero one / 10^6 when that
/// is at most 1e-4, else by 1e-4.
fn fill_zeroes(p: &[f64]) -> Vec<f64> {
    let smallest = p
        .iter()
        .copied()
        .filter(|x| *x != 0.0)
        .fold(f64::INFINITY, f64::min);
    let fill = if smallest <= 1e-4 {
        smallest / 1e6
    } else {
        1e-4
    };
    p.iter()
        .map(|x| if *x == 0.0 { fill } else { *x })
        .collect()
}

fn psi(pr: &[f64], pc: &[f64]) -> f64 {
    let (pr, pc) = (fill_zeroes(pr), fill_zeroes(pc));
    let terms: Vec<f64> = pr
        .iter()
        .zip(&pc)
        .map(|(r, c)| (r - c) * (r / c).ln())
        .collect();
    pairwise_sum(&terms)
}

/// scipy's `chisquare(f_obs = current counts, f_exp = reference counts n_cur / n_ref)` p-value;
/// None with a single value (no degree of freedom).
fn chisquare(counts: &[(u64, u64)]) -> Option<f64> {
    let dof = counts.len().checked_sub(1).filter(|d| *d > 0)?;
    let nr: u64 = counts.iter().map(|c| c.0).sum();
    let nc: u64 = counts.iter().map(|c| c.1).sum();
    let k_norm = nc as f64 / nr as f64;
    let terms: Vec<f64> = counts
        .iter()
        .map(|(r, c)| {
            let expected = *r as f64 * k_norm;
            let d = *c as f64 - expected;
            d * d / expected
        })
        .collect();
    let stat = pairwise_sum(&terms);
    Some(chi2_sf(stat, dof as f64))
}

/// The chi-square survival function; 0 for an infinite statistic.
pub(crate) fn chi2_sf(stat: f64, dof: f64) -> f64 {
    if stat.is_infinite() {
        return 0.0;
    }
    if stat <= 0.0 {
        return 1.0;
    }
    statrs::function::gamma::checked_gamma_ur(dof / 2.0, stat / 2.0).unwrap_or(f64::NAN)
}

/// The two-sided two-proportion z-test p-value of "not the smallest value", as evidently's
/// `z` test; 1 when both windows hold the same single value.
fn z_test(counts: &[(u64, u64)]) -> f64 {
    // Both windows are non-empty, so a single value is held by both.
    if counts.len() == 1 {
        return 1.0;
    }
    let nr: u64 = counts.iter().map(|c| c.0).sum();
    let nc: u64 = counts.iter().map(|c| c.1).sum();
    let (first_r, first_c) = counts.first().copied().unwrap_or((0, 0));
    let (n1, n2) = (nr as f64, nc as f64);
    let p1 = (nr - first_r) as f64 / n1;
    let p2 = (nc - first_c) as f64 / n2;
    let p = (p1 * n1 + p2 * n2) / (n1 + n2);
    let z = (p1 - p2) / (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
    2.0 * (1.0 - normal_cdf(z.abs()))
}

/// Φ(x) as scipy's `ndtr`: 1/2 + erf(x/√2)/2 near 0, else from erfc.
fn normal_cdf(x: f64) -> f64 {
    use statrs::function::erf::{erf, erfc};
    let t = x * std::f64::consts::FRAC_1_SQRT_2;
    let z = t.abs();
    if z < std::f64::consts::FRAC_1_SQRT_2 {
        0.5 + 0.5 * erf(t)
    } else {
        let y = 0.5 * erfc(z);
        if t > 0.0 {
            1.0 - y
        } else {
            y
        }
    }
}
