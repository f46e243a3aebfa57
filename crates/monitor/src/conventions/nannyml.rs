//! Univariate drift as nannyml 0.13.1's `UnivariateDriftCalculator` computes it with one chunk
//! per window, from each window's finite values.
//!
//! Continuous columns:
//! - Kolmogorov-Smirnov statistic. Below 10 000 reference values it is exact (scipy's
//!   `ks_2samp`). From 10 000 on nannyml approximates: the reference range [min, max] is cut
//!   into 10 000 equal bins (`np.linspace(min, max, 10001)`), both windows' cumulative shares
//!   are accumulated bin by bin (the current window's starting from its share below the
//!   reference minimum; its values above the maximum are never counted), and the statistic is
//!   the largest difference at the bins' upper edges. It differs from the exact statistic by
//!   up to about one bin's share of the values (0.19976 instead of 0.19984 for the benchmark's
//!   `num_0`).
//! - Wasserstein distance. Exact (scipy's) below 10 000 reference values; from 10 000 on the
//!   reference is cut into 10 000 equal bins (`np.histogram(reference, bins=10000)`) and the
//!   distance is Σ |F_ref - F_cur| × bin width over those bins, plus nannyml's terms for the
//!   current values below and above the reference range (each the area under the empirical
//!   CDF of those values and the reference edge, scaled by (their count + 1) / n_cur). When
//!   values lie below the range, the current CDF inside it starts from (their count + 1) / n_cur,
//!   as nannyml's does.
//! - Jensen-Shannon distance (base 2) on Doane's bins of the reference (`np.histogram_bin_edges(
//!   reference, bins="doane")`); the current share outside those bins, 1 - Σ shares, becomes an
//!   extra bin with reference share 0 when it is positive.
//!
//! Categorical columns: the chi-square statistic of scipy's `chi2_contingency` on the categories
//! of either window (Yates' correction when there are two), and the Jensen-Shannon distance
//! (base 2) on the reference's categories plus, when positive, one bin for the current share of
//! categories the reference lacks.
//!
//! nannyml drops NaN but keeps ±inf, on which its binning fails; here infinite values are left
//! out as evidently does.

use serde::{Deserialize, Serialize};

use super::numpy::{doane_edges, equal_width_edges, histogram, linspace, pairwise_sum};
use crate::drift;

/// Reference size from which nannyml bins instead of computing exactly.
pub const APPROXIMATE_FROM: usize = 10_000;

/// Bins of the approximations.
pub const BINS: usize = 10_000;

/// One column's drift under nannyml's conventions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Column {
    Continuous(Continuous),
    Categorical(Categorical),
}

/// nannyml's continuous methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Continuous {
    pub kolmogorov_smirnov: f64,
    pub wasserstein: f64,
    pub jensen_shannon: f64,
}

/// nannyml's categorical methods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Categorical {
    pub chi2: f64,
    pub jensen_shannon: f64,
}

/// A continuous column from both windows' finite values, sorted; None when either is empty.
pub fn continuous(r: &[f64], c: &[f64]) -> Option<Continuous> {
    if r.is_empty() || c.is_empty() {
        return None;
    }
    let exact = r.len() < APPROXIMATE_FROM;
    Some(Continuous {
        kolmogorov_smirnov: if exact {
            drift::ks_statistic(r, c)
        } else {
            binned_ks(r, c)
        },
        wasserstein: if exact {
            drift::wasserstein(r, c)
        } else {
            binned_wasserstein(r, c)
        },
        jensen_shannon: doane_js(r, c),
    })
}

/// A categorical column from its counts over the union of categories.
pub fn categorical(d: &drift::Categorical) -> Categorical {
    let nr: u64 = d.reference_counts.iter().sum();
    let nc: u64 = d.current_counts.iter().sum();
    let mut pr = Vec::new();
    let mut pc = Vec::new();
    for (r, c) in d.reference_counts.iter().zip(&d.current_counts) {
        if *r > 0 {
            pr.push(*r as f64 / nr as f64);
            pc.push(*c as f64 / nc as f64);
        }
    }
    with_leftover(&mut pr, &mut pc);
    Categorical {
        chi2: d.chi2_statistic,
        jensen_shannon: drift::js_distance(&pr, &pc),
    }
}

/// Appends the current share outside the reference's bins, 1 - Σ shares, when positive.
fn with_leftover(pr: &mut Vec<f64>, pc: &mut Vec<f64>) {
    let leftover = 1.0 - pairwise_sum(pc);
    if leftover > 0.0 {
        pc.push(leftover);
        pr.push(0.0);
    }
}

fn shares(counts: &[u64], n: usize) -> impl Iterator<Item = f64> + '_ {
    counts.iter().map(move |k| *k as f64 / n as f64)
}

/// Running sums in order, as `np.cumsum`.
fn cumsum(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut total = 0.0;
    values
        .map(|v| {
            total += v;
            total
        })
        .collect()
}

/// nannyml's binned KS statistic for a reference of 10 000 values or more.
fn binned_ks(r: &[f64], c: &[f64]) -> f64 {
    let edges = linspace(r[0], r[r.len() - 1], BINS + 1);
    let reference = cumsum(shares(&histogram(r, &edges), r.len()));
    let below = c.partition_point(|x| *x < edges[0]) as f64 / c.len() as f64;
    let current = cumsum(shares(&histogram(c, &edges), c.len()));
    reference
        .iter()
        .zip(&current)
        .map(|(a, b)| (a - (below + b)).abs())
        .fold(f64::NEG_INFINITY, f64::max)
}

/// nannyml's binned Wasserstein distance for a reference of 10 000 values or more.
fn binned_wasserstein(r: &[f64], c: &[f64]) -> f64 {
    let edges = equal_width_edges(r[0], r[r.len() - 1], BINS);
    let reference = cumsum(shares(&histogram(r, &edges), r.len()));
    let width = edges[1] - edges[0];
    let (lo, hi) = (edges[0], edges[edges.len() - 1]);
    let n = c.len() as f64;
    let smaller = &c[..c.partition_point(|x| *x < lo)];
    let bigger = &c[c.partition_point(|x| *x <= hi)..];

    let (mut term_smaller, mut amount_smaller) = (0.0, 0.0);
    if !smaller.is_empty() {
        amount_smaller = (smaller.len() + 1) as f64 / n;
        let mut vec = smaller.to_vec();
        vec.push(lo);
        let (x, y) = ecdf(&vec);
        let terms: Vec<f64> = y
            .iter()
            .zip(x.windows(2))
            .map(|(y, x)| y * (x[1] - x[0]))
            .collect();
        term_smaller = pairwise_sum(&terms) * amount_smaller;
    }
    let mut term_bigger = 0.0;
    if !bigger.is_empty() {
        let amount_bigger = (bigger.len() + 1) as f64 / n;
        let mut vec = vec![hi];
        vec.extend_from_slice(bigger);
        let (x, y) = ecdf(&vec);
        let terms: Vec<f64> = y
            .iter()
            .zip(x.windows(2))
            .map(|(y, x)| (1.0 - y) * (x[1] - x[0]))
            .collect();
        term_bigger = pairwise_sum(&terms) * amount_bigger;
    }
    let current = cumsum(shares(&histogram(c, &edges), c.len()));
    let within: Vec<f64> = reference
        .iter()
        .zip(&current)
        .map(|(a, b)| (a - (b + amount_smaller)).abs() * width)
        .collect();
    pairwise_sum(&within) + term_smaller + term_bigger
}

/// The distinct values of sorted values and the empirical CDF at each (count <= x over n).
fn ecdf(sorted: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let counts = super::numpy::unique_counts(sorted);
    let n = sorted.len() as f64;
    let mut seen = 0u64;
    counts
        .into_iter()
        .map(|(x, k)| {
            seen += k;
            (x, seen as f64 / n)
        })
        .unzip()
}

/// Jensen-Shannon distance (base 2) on Doane's bins of the reference.
fn doane_js(r: &[f64], c: &[f64]) -> f64 {
    let edges = doane_edges(r);
    let mut pr: Vec<f64> = shares(&histogram(r, &edges), r.len()).collect();
    let mut pc: Vec<f64> = shares(&histogram(c, &edges), c.len()).collect();
    with_leftover(&mut pr, &mut pc);
    drift::js_distance(&pr, &pc)
}
