//! numpy 2.4's rules that evidently's and nannyml's binning rely on, applied to sorted values:
//! evenly spaced edges (`linspace`), automatically chosen bin edges (`histogram_bin_edges` with
//! "sturges" or "doane"), histogram counts and pairwise summation.

/// The order in which `np.sum` adds a contiguous float64 array: blocks of up to 128 values
/// summed with eight accumulators, larger arrays halved (at a multiple of 8) and summed
/// recursively; the reduction starts from 0.
pub(crate) fn pairwise_sum(a: &[f64]) -> f64 {
    0.0 + pairwise(a)
}

fn pairwise(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        return a.iter().fold(-0.0, |s, x| s + x);
    }
    if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let whole = n - n % 8;
        for chunk in a[8..whole].chunks_exact(8) {
            for (acc, x) in r.iter_mut().zip(chunk) {
                *acc += x;
            }
        }
        let mut s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for x in &a[whole..] {
            s += x;
        }
        return s;
    }
    let half = n / 2;
    let half = half - half % 8;
    pairwise(&a[..half]) + pairwise(&a[half..])
}

/// `np.mean`: the pairwise sum over n.
pub(crate) fn mean(a: &[f64]) -> f64 {
    pairwise_sum(a) / a.len() as f64
}

/// `np.std` with ddof = 0.
pub(crate) fn std(a: &[f64]) -> f64 {
    let m = mean(a);
    let squares: Vec<f64> = a.iter().map(|x| (x - m) * (x - m)).collect();
    (pairwise_sum(&squares) / a.len() as f64).sqrt()
}

/// `np.linspace(start, stop, num)` with the end point: start + i step, the last value `stop`.
pub(crate) fn linspace(start: f64, stop: f64, num: usize) -> Vec<f64> {
    if num == 0 {
        return Vec::new();
    }
    if num == 1 {
        return vec![start];
    }
    let div = (num - 1) as f64;
    let delta = stop - start;
    let step = delta / div;
    let mut y: Vec<f64> = (0..num)
        .map(|i| {
            let i = i as f64;
            if step == 0.0 {
                i / div * delta + start
            } else {
                i * step + start
            }
        })
        .collect();
    y[num - 1] = stop;
    y
}

/// numpy's outer edges of a histogram: the data's minimum and maximum, widened by 1/2 on each
/// side when they are equal.
pub(crate) fn outer_edges(min: f64, max: f64) -> (f64, f64) {
    if min == max {
        (min - 0.5, max + 0.5)
    } else {
        (min, max)
    }
}

/// Edges of `bins` equal-width bins between the outer edges of [min, max].
pub(crate) fn equal_width_edges(min: f64, max: f64, bins: usize) -> Vec<f64> {
    let (first, last) = outer_edges(min, max);
    linspace(first, last, bins + 1)
}

/// The edges `np.histogram_bin_edges(values, bins=rule)` gives, for a bin width computed from the
/// values: ⌈(last - first) / width⌉ equal bins, or one bin when the width is 0.
fn edges_for_width(min: f64, max: f64, width: f64) -> Vec<f64> {
    let (first, last) = outer_edges(min, max);
    let bins = if width != 0.0 && width.is_finite() {
        ((last - first) / width).ceil().max(1.0) as usize
    } else {
        1
    };
    linspace(first, last, bins + 1)
}

/// Sturges' rule over the union of two sorted, non-empty samples: width = range / (log2 n + 1).
pub(crate) fn sturges_edges(a: &[f64], b: &[f64]) -> Vec<f64> {
    let (min, max) = union_range(a, b);
    let n = (a.len() + b.len()) as f64;
    edges_for_width(min, max, (max - min) / (n.log2() + 1.0))
}

/// Doane's rule on one sorted, non-empty sample: width = range / (1 + log2 n + log2(1 + |g1| /
/// σ_g1)), g1 the sample skewness; one bin when the values do not vary or n <= 2.
pub(crate) fn doane_edges(sorted: &[f64]) -> Vec<f64> {
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let n = sorted.len() as f64;
    let mut width = 0.0;
    if sorted.len() > 2 {
        let sg1 = (6.0 * (n - 2.0) / ((n + 1.0) * (n + 3.0))).sqrt();
        let sigma = std(sorted);
        if sigma > 0.0 {
            let m = mean(sorted);
            let cubes: Vec<f64> = sorted.iter().map(|x| ((x - m) / sigma).powf(3.0)).collect();
            let g1 = mean(&cubes);
            width = (max - min) / (1.0 + n.log2() + (1.0 + g1.abs() / sg1).log2());
        }
    }
    edges_for_width(min, max, width)
}

fn union_range(a: &[f64], b: &[f64]) -> (f64, f64) {
    let firsts = [a.first(), b.first()];
    let lasts = [a.last(), b.last()];
    let min = firsts
        .into_iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let max = lasts
        .into_iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// `np.histogram(values, edges)` counts for sorted values: bin i holds e_i <= x < e_(i+1), the
/// last bin also x = its upper edge; values outside the edges are not counted.
pub(crate) fn histogram(sorted: &[f64], edges: &[f64]) -> Vec<u64> {
    let last = edges.len().saturating_sub(1);
    let cumulative: Vec<usize> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            if i < last {
                sorted.partition_point(|x| x < e)
            } else {
                sorted.partition_point(|x| x <= e)
            }
        })
        .collect();
    cumulative
        .windows(2)
        .map(|w| w[1].saturating_sub(w[0]) as u64)
        .collect()
}

/// The distinct values of sorted values (0.0 and -0.0 are one value) and their counts.
pub(crate) fn unique_counts(sorted: &[f64]) -> Vec<(f64, u64)> {
    let mut out: Vec<(f64, u64)> = Vec::new();
    for x in sorted {
        match out.last_mut() {
            Some((v, n)) if *v == *x => *n += 1,
            _ => out.push((*x, 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_adds_in_numpys_order() {
        // 1e16 + 1 + ... : a left-to-right sum loses every 1; numpy's blocks keep some.
        let mut a = vec![1.0; 200];
        a[0] = 1e16;
        // Blocks [0, 96) and [96, 200): the first block's accumulator 0 holds 1e16 and its 11
        // other values round away; the other accumulators keep theirs.
        let want = {
            let first: f64 = 1e16 + 84.0;
            first + 104.0
        };
        assert_eq!(pairwise_sum(&a), want);
        assert_eq!(pairwise_sum(&[0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
    }

    #[test]
    fn linspace_and_edges_follow_numpy() {
        // np.linspace(0, 1, 4) = [0, 1/3, 2/3, 1] with 2/3 computed as 2 * (1/3).
        assert_eq!(
            linspace(0.0, 1.0, 4),
            vec![0.0, 1.0 / 3.0, 2.0 * (1.0 / 3.0), 1.0]
        );
        assert_eq!(equal_width_edges(2.0, 2.0, 2), vec![1.5, 2.0, 2.5]);
        // 8 values over [0, 7]: Sturges gives 4 bins (log2 8 + 1 = 4).
        let a: Vec<f64> = (0..4).map(f64::from).collect();
        let b: Vec<f64> = (4..8).map(f64::from).collect();
        assert_eq!(sturges_edges(&a, &b), vec![0.0, 1.75, 3.5, 5.25, 7.0]);
        // A constant sample has one bin of width 1 around the value.
        assert_eq!(doane_edges(&[3.0, 3.0, 3.0]), vec![2.5, 3.5]);
    }

    #[test]
    fn histogram_closes_only_the_last_bin() {
        let x = [0.0, 1.0, 1.0, 2.0, 3.0, 4.0];
        assert_eq!(histogram(&x, &[1.0, 2.0, 3.0]), vec![2, 2]);
        assert_eq!(histogram(&x, &[-1.0, 0.0, 0.0, 5.0]), vec![0, 0, 6]);
        assert_eq!(unique_counts(&[-0.0, 0.0, 1.0]), vec![(-0.0, 2), (1.0, 1)]);
        assert_eq!(std(&[1.0, 2.0, 3.0, 4.0]), 1.25f64.sqrt());
    }
}
