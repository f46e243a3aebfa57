//! The two-sample Kolmogorov-Smirnov p-value as scipy 1.17's `ks_2samp(method="auto")` gives it,
//! for every statistic and pair of sample sizes.
//!
//! When neither sample is larger than [`MAX_EXACT_N`], the p-value is exact: the statistic is
//! taken as h / lcm(n1, n2) with h = round(d lcm), and P(D >= d) under the null hypothesis is
//! counted over the lattice paths from (0, 0) to (n1, n2): for equal sizes by the alternating
//! reflection sum, otherwise as 1 - the share of paths that stay strictly inside the band
//! |i n2 - j n1| < h gcd, each column normalised by its binomial coefficient so that no count
//! overflows. Should that fail (a value outside [0, 1]), the asymptotic method is used, as scipy
//! does.
//!
//! For larger samples scipy uses the asymptotic method: the survival function of the one-sample
//! two-sided Kolmogorov distribution `kstwo.sf(d, round(m n / (m + n)))`, which [`kstwo`]
//! evaluates region by region with the same series and recursions as scipy (Ruben-Gambino,
//! Durbin's matrix, Pomeranz's recursion, Smirnov's exact one-sided sum, Pelz-Good).

mod dd;
mod durbin;
pub mod kstwo;
mod pomeranz;
mod smirnov;

pub use kstwo::kstwo_sf;

/// Largest sample that scipy's `auto` method tests exactly.
pub const MAX_EXACT_N: usize = 10_000;

/// The p-value of the two-sided two-sample KS statistic `d` for samples of `n1` and `n2`
/// (NaN when a sample is empty, where scipy refuses).
pub fn ks_2samp_pvalue(d: f64, n1: usize, n2: usize) -> f64 {
    if n1 == 0 || n2 == 0 {
        return f64::NAN;
    }
    if n1.max(n2) <= MAX_EXACT_N {
        if let Some(p) = exact_pvalue(d, n1, n2) {
            return p;
        }
    }
    asymptotic_pvalue(d, n1, n2)
}

/// The exact two-sided p-value; None when the computation leaves [0, 1].
pub fn exact_pvalue(d: f64, n1: usize, n2: usize) -> Option<f64> {
    let g = gcd(n1, n2);
    let lcm = (n1 / g) as f64 * n2 as f64;
    let h = (d * lcm).round_ties_even() as u64;
    if h == 0 {
        return Some(1.0);
    }
    let p = if n1 == n2 {
        outside_square(n1 as u64, h)
    } else {
        1.0 - inside_band(n1.max(n2) as u64, n1.min(n2) as u64, g as u64, h)
    };
    (p.is_finite() && (0.0..=1.0).contains(&p)).then_some(p)
}

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// P(D >= h/n) for two samples of n: 2 Σ_k (-1)^(k+1) C(2n, n - k h) / C(2n, n), evaluated
/// from the innermost term outwards as nested products, which avoids cancellation.
fn outside_square(n: u64, h: u64) -> f64 {
    let mut p = 0.0;
    let mut k = n / h;
    loop {
        let mut ratio = 1.0;
        for j in 0..h {
            // (n - k h - j) / (n + k h + j + 1): one factor of C(2n, n - (k+1) h)... ratio.
            ratio = (n as f64 - (k * h + j) as f64) * ratio / (n + k * h + j + 1) as f64;
        }
        p = ratio * (1.0 - p);
        if k == 0 {
            break;
        }
        k -= 1;
    }
    2.0 * p
}

/// The share of lattice paths from (0, 0) to (m, n) (m >= n) whose every point (i, j) has
/// |i n/g - j m/g| < h.
fn inside_band(m: u64, n: u64, g: u64, h: u64) -> f64 {
    let (mg, ng) = ((m / g) as i128, (n / g) as i128);
    let inside = |i: u64, j: u64| (i as i128 * ng - j as i128 * mg).abs() < h as i128;
    // col[j] = paths to (i, j) that stay inside / C(i + j, j).
    let mut col = vec![0.0f64; n as usize + 1];
    col[0] = 1.0;
    for j in 1..=n {
        col[j as usize] = if inside(0, j) {
            col[j as usize - 1]
        } else {
            0.0
        };
    }
    // Outside [lo, hi] of the previous column every entry is 0; the band only moves up.
    let (mut prev_lo, mut prev_hi) = (0u64, n);
    for i in 1..=m {
        // The band holds the j with |i ng - j mg| < h.
        let centre = i as i128 * ng;
        let lo = ((centre - h as i128) / mg).clamp(0, n as i128) as u64;
        let hi = (((centre + h as i128) / mg) as u64).min(n);
        for j in prev_lo..lo {
            col[j as usize] = 0.0;
        }
        for j in lo..=hi {
            let ju = j as usize;
            col[ju] = if !inside(i, j) {
                0.0
            } else if j == 0 {
                col[0]
            } else {
                (col[ju] * i as f64 + col[ju - 1] * j as f64) / (i + j) as f64
            };
        }
        for j in hi + 1..=prev_hi.max(hi) {
            col[j as usize] = 0.0;
        }
        (prev_lo, prev_hi) = (lo, hi);
    }
    col[n as usize]
}

/// scipy's asymptotic p-value: `kstwo.sf(d, round(m n / (m + n)))` (NaN for an empty sample).
pub fn asymptotic_pvalue(d: f64, n1: usize, n2: usize) -> f64 {
    if n1 == 0 || n2 == 0 {
        return f64::NAN;
    }
    let (m, n) = (n1.max(n2) as f64, n1.min(n2) as f64);
    let en = (m * n / (m + n)).round_ties_even();
    kstwo_sf(d, en as u64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (x, n, scipy 1.17.1 `float(scipy.stats.kstwo.sf(x, n))`), one or more per region of
    /// [`kstwo`]'s table, in its order.
    const KSTWO_SF: [(f64, u64, f64); 34] = [
        (1.0, 50, 0.0),
        (0.004, 200, 1.0),
        (0.19, 5, 0.977325184),
        (0.0065, 150, 1.0),
        (0.7, 3, 0.05400000000000003),
        (0.85, 5, 0.0001518750000000001),
        (0.55, 10, 0.0022805103214843725),
        (0.5, 1000, 1.064517291557782e-231),
        (0.6, 2000, 0.0),
        (0.1, 50, 0.6623112704658186),
        (0.07, 140, 0.4776228287946577),
        (0.12, 50, 0.4337679661310233),
        (0.3, 10, 0.27053557479999946),
        (0.2, 50, 0.03143877776953241),
        (0.19, 100, 0.0012339926382722768),
        (0.25, 100, 5.408871776434847e-06),
        (0.4, 140, 9.968909167860116e-21),
        (0.2, 25000, 0.0),
        (0.01, 25000, 0.013385458636528774),
        (0.015, 25000, 2.5743817626734544e-05),
        (0.05, 25000, 9.332872223744622e-55),
        (0.1, 1000, 3.703687096817711e-09),
        (0.03, 100000, 1.2701837245790524e-78),
        (0.0015, 2_000_000, 0.00024657290508461606),
        (0.004, 2_000_000, 3.199079428897566e-28),
        (0.001, 25000, 1.0),
        (0.046, 150, 0.8940724737878171),
        (0.036, 200, 0.94947273116952),
        (0.0125, 1000, 0.9971528020597908),
        (0.004, 5000, 0.9999977369528622),
        (0.0005, 100_000, 1.0),
        (0.006, 25000, 0.3278094629825107),
        (0.002, 200_000, 0.39995085369038097),
        (0.0009, 1_500_000, 0.1758481882331322),
    ];

    fn rel_close(what: &str, got: f64, want: f64, rel: f64) {
        let ok = if want == 0.0 {
            got == 0.0
        } else {
            ((got - want) / want).abs() <= rel
        };
        assert!(ok, "{what}: got {got:e}, scipy {want:e}");
    }

    #[test]
    fn kstwo_sf_matches_scipy_in_every_region() {
        for (x, n, want) in KSTWO_SF {
            rel_close(&format!("kstwo.sf({x}, {n})"), kstwo_sf(x, n), want, 1e-12);
        }
    }

    #[test]
    fn asymptotic_two_sample_pvalues_match_scipy() {
        // (d, n1, n2, scipy 1.17.1 `np.clip(kstwo.sf(d, np.round(m n / (m + n))), 0, 1)`, the
        // p-value `ks_2samp(method="auto")` returns for samples above 10 000 values).
        for (d, n1, n2, want) in [
            (0.0123, 30000, 20000, 0.05254496083703997),
            (0.00676, 50000, 50000, 0.20244580141436985),
            (0.015, 50000, 50000, 2.5743817626734544e-05),
            (0.0008, 4_000_000, 3_000_000, 0.2224495681279789),
        ] {
            let what = format!("ks_2samp p-value, d = {d}, n = {n1}, {n2}");
            rel_close(&what, ks_2samp_pvalue(d, n1, n2), want, 1e-12);
        }
        assert_eq!(ks_2samp_pvalue(0.0, 100, 100), 1.0);
        assert!(ks_2samp_pvalue(0.1, 0, 100).is_nan());
    }
}
