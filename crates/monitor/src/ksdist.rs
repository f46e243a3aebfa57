//! The two-sample Kolmogorov-Smirnov p-value as scipy 1.17's `ks_2samp(method="auto")` gives it.
//!
//! When neither sample is larger than [`MAX_EXACT_N`], the p-value is exact: the statistic is
//! taken as h / lcm(n1, n2) with h = round(d lcm), and P(D >= d) under the null hypothesis is
//! counted over the lattice paths from (0, 0) to (n1, n2): for equal sizes by the alternating
//! reflection sum, otherwise as 1 - the share of paths that stay strictly inside the band
//! |i n2 - j n1| < h gcd, each column normalised by its binomial coefficient so that no count
//! overflows. Should that fail (a value outside [0, 1]), the asymptotic method is used, as scipy
//! does.
//!
//! For larger samples scipy uses the asymptotic method: the survival function of
//! the one-sample two-sided Kolmogorov distribution `kstwo.sf(d, round(m n / (m + n)))`, which it
//! evaluates (Simard & L'Ecuyer) as 0 when n d² >= 370, as 1 - the Pelz-Good approximation
//! of the CDF when n d² < 2.2 and n d^1.5 > 1.4, and by other series elsewhere. This module
//! implements exactly those two regions and returns None elsewhere (smaller samples, which
//! scipy tests exactly, or the regions scipy evaluates with Smirnov's or Durbin's series),
//! rather than an approximation that would differ from scipy.

use std::f64::consts::PI;

/// Largest sample that scipy's `auto` method tests exactly.
pub const MAX_EXACT_N: usize = 10_000;

/// The p-value of the two-sided two-sample KS statistic `d` for samples of `n1` and `n2`.
pub fn ks_2samp_pvalue(d: f64, n1: usize, n2: usize) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    if n1.max(n2) <= MAX_EXACT_N {
        if let Some(p) = exact_pvalue(d, n1, n2) {
            return Some(p);
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

/// scipy's asymptotic p-value: `kstwo.sf(d, round(m n / (m + n)))`, in the regions implemented.
pub fn asymptotic_pvalue(d: f64, n1: usize, n2: usize) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (m, n) = (n1.max(n2) as f64, n1.min(n2) as f64);
    let en = (m * n / (m + n)).round_ties_even();
    kstwo_sf(d, en).map(|p| p.clamp(0.0, 1.0))
}

/// `kstwo.sf(x, n)` in the regions implemented (see the module documentation), for n > 140.
fn kstwo_sf(x: f64, n: f64) -> Option<f64> {
    if n <= 140.0 {
        return None;
    }
    if x >= 1.0 {
        return Some(0.0);
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    let t = n * x;
    if t <= 0.5 {
        return Some(1.0);
    }
    if t <= 1.0 {
        return None;
    }
    if t >= n - 1.0 {
        return Some(2.0 * (1.0 - x).powf(n));
    }
    if x >= 0.5 {
        return None;
    }
    let nxsquared = t * x;
    if nxsquared >= 370.0 {
        return Some(0.0);
    }
    if nxsquared >= 2.2 {
        return None;
    }
    if n <= 100_000.0 && n * x.powf(1.5) <= 1.4 {
        return None;
    }
    Some(1.0 - pelz_good_cdf(n, x))
}

/// The Pelz-Good (1976) approximation of P(D_n <= x), in scipy's arrangement.
fn pelz_good_cdf(n: f64, x: f64) -> f64 {
    let pi2 = PI * PI;
    let pi4 = pi2 * pi2;
    let pi6 = pi4 * pi2;
    let sqrt2pi = (2.0 * PI).sqrt();
    let z = n.sqrt() * x;
    let (z2, z3, z4, z6) = (z.powi(2), z.powi(3), z.powi(4), z.powi(6));
    let qlog = -pi2 / 8.0 / z2;
    if qlog < -708.0 {
        return 0.0;
    }
    let q = qlog.exp();
    let k1a = -z2;
    let k1b = pi2 / 4.0;
    let k2a = 6.0 * z6 + 2.0 * z4;
    let k2b = (2.0 * z4 - 5.0 * z2) * pi2 / 4.0;
    let k2c = pi4 * (1.0 - 2.0 * z2) / 16.0;
    let k3d = pi6 * (5.0 - 30.0 * z2) / 64.0;
    let k3c = pi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
    let k3b = pi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
    let k3a = -30.0 * z6 - 90.0 * z.powi(8);
    let mut k = [0.0f64; 4];
    let maxk = (16.0 * z / PI).ceil() as i64;
    for kk in (1..=maxk).rev() {
        let m = (2 * kk - 1) as f64;
        let (m2, m4, m6) = (m * m, m.powi(4), m.powi(6));
        let qpower = q.powf(8.0 * kk as f64);
        let coeffs = [
            1.0,
            k1a + k1b * m2,
            k2a + k2b * m2 + k2c * m4,
            k3a + k3b * m2 + k3c * m4 + k3d * m6,
        ];
        for (acc, c) in k.iter_mut().zip(coeffs) {
            *acc = *acc * qpower + c;
        }
    }
    let denominators = [z, 6.0 * z4, 72.0 * z.powi(7), 6480.0 * z.powi(10)];
    for (acc, d) in k.iter_mut().zip(denominators) {
        *acc = *acc * q * sqrt2pi / d;
    }
    let q = (-pi2 / 2.0 / z2).exp();
    let sqrt3z = 3f64.sqrt() * z;
    let (mut k2extra, mut k3extra) = (0.0, 0.0);
    for kk in (1..=maxk).rev() {
        let kf = kk as f64;
        let k2 = kf * kf;
        let qp = q.powf(k2);
        let kspi = PI * kf;
        k2extra += k2 * qp;
        k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * k2 * qp;
    }
    k[2] += k2extra * pi2 * sqrt2pi / (-36.0 * z3);
    k[3] += k3extra * pi2 * sqrt2pi / (216.0 * z6);
    (0..4).map(|i| k[i] / n.powf(i as f64 / 2.0)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unimplemented_asymptotic_regions_give_none() {
        assert_eq!(ks_2samp_pvalue(0.0, 100, 100), Some(1.0));
        assert_eq!(ks_2samp_pvalue(0.2, 50_000, 50_000), Some(0.0));
        // n d^2 = 25000 * 0.015^2 = 5.6: scipy uses Smirnov's series there.
        assert_eq!(ks_2samp_pvalue(0.015, 50_000, 50_000), None);
    }
}
