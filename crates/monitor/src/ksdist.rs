//! The two-sample Kolmogorov-Smirnov p-value as scipy 1.17's `ks_2samp(method="auto")` gives it.
//!
//! For samples larger than 10,000 scipy uses the asymptotic method: the survival function of
//! the one-sample two-sided Kolmogorov distribution `kstwo.sf(d, round(m n / (m + n)))`, which it
//! evaluates (Simard & L'Ecuyer) as 0 when n d² >= 370, as 1 - the Pelz-Good approximation
//! of the CDF when n d² < 2.2 and n d^1.5 > 1.4, and by other series elsewhere. This module
//! implements exactly those two regions and returns None elsewhere (smaller samples, which
//! scipy tests exactly, or the regions scipy evaluates with Smirnov's or Durbin's series),
//! rather than an approximation that would differ from scipy.

use std::f64::consts::PI;

/// Largest sample that scipy's `auto` method tests exactly (not implemented here).
pub const MAX_EXACT_N: usize = 10_000;

/// The p-value of the two-sided two-sample KS statistic `d` for samples of `n1` and `n2`.
pub fn ks_2samp_pvalue(d: f64, n1: usize, n2: usize) -> Option<f64> {
    if n1.max(n2) <= MAX_EXACT_N || n1 == 0 || n2 == 0 {
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
    fn small_samples_and_unimplemented_regions_give_none() {
        assert_eq!(ks_2samp_pvalue(0.1, 100, 100), None);
        assert_eq!(ks_2samp_pvalue(0.2, 50_000, 50_000), Some(0.0));
        // n d^2 = 25000 * 0.015^2 = 5.6: scipy uses Smirnov's series there.
        assert_eq!(ks_2samp_pvalue(0.015, 50_000, 50_000), None);
    }
}
