//! P(D_n <= d) by Durbin's matrix (Marsaglia, Tsang and Wang's arrangement, as scipy's
//! `_kolmogn_DMTW`): with n d = k - h (k an integer, 0 <= h < 1), the probability is
//! n!/n^n times the (k, k) entry of H^n for a (2k - 1)-square matrix H built from h. The power
//! is taken by repeated squaring, and both the power and the final product are rescaled by
//! 2^±128 whenever they leave a safe range.

use super::dd::ldexp;

const SCALE_EXPONENT: i64 = 128;

/// P(D_n <= d), clipped to [0, 1].
pub(crate) fn durbin_cdf(n: u64, d: f64) -> f64 {
    if d >= 1.0 {
        return 1.0;
    }
    let nd = n as f64 * d;
    if nd <= 0.5 {
        return 0.0;
    }
    let k = nd.ceil() as usize;
    let h = k as f64 - nd;
    let m = 2 * k - 1;
    let mut base = initial_matrix(h, m);
    let big = ldexp(1.0, SCALE_EXPONENT);
    let small = ldexp(1.0, -SCALE_EXPONENT);

    let mut power = identity(m);
    let (mut power_exp, mut base_exp) = (0i64, 0i64);
    let mut rest = n;
    while rest > 0 {
        if rest % 2 == 1 {
            power = matmul(&power, &base, m);
            power_exp += base_exp;
        }
        base = matmul(&base, &base, m);
        base_exp *= 2;
        if base[(k - 1) * m + k - 1].abs() > big {
            for v in &mut base {
                *v /= big;
            }
            base_exp += SCALE_EXPONENT;
        }
        rest /= 2;
    }
    let mut p = power[(k - 1) * m + k - 1];
    // Times n!/n^n, one factor i/n at a time.
    let nf = n as f64;
    for i in 1..=n {
        p = i as f64 * p / nf;
        if p.abs() < small {
            p *= big;
            power_exp -= SCALE_EXPONENT;
        }
    }
    if power_exp != 0 {
        p = ldexp(p, power_exp);
    }
    p.clamp(0.0, 1.0)
}

/// The m x m matrix H, row-major: entry (r, c) is 1/(r - c + 1)! where c <= r + 1 and 0 above
/// the superdiagonal, with the first column and the last row replaced by values that depend on h.
fn initial_matrix(h: f64, m: usize) -> Vec<f64> {
    // v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1/j!.
    let mut v: Vec<f64> = (1..=m).map(|j| 1.0 - h.powf(j as f64)).collect();
    let mut w = vec![0.0; m];
    let mut fac = 1.0;
    for j in 1..=m {
        w[j - 1] = fac;
        fac /= j as f64;
        v[j - 1] *= fac;
    }
    let tt = (2.0 * h - 1.0).max(0.0).powf(m as f64) - 2.0 * h.powf(m as f64);
    v[m - 1] = (1.0 + tt) * fac;

    let mut a = vec![0.0; m * m];
    for col in 1..m {
        for (r, wv) in (col - 1..m).zip(&w) {
            a[r * m + col] = *wv;
        }
    }
    for (r, vv) in v.iter().enumerate() {
        a[r * m] = *vv;
    }
    for (c, vv) in v.iter().rev().enumerate() {
        a[(m - 1) * m + c] = *vv;
    }
    a
}

fn identity(m: usize) -> Vec<f64> {
    let mut a = vec![0.0; m * m];
    for i in 0..m {
        a[i * m + i] = 1.0;
    }
    a
}

fn matmul(a: &[f64], b: &[f64], m: usize) -> Vec<f64> {
    let mut c = vec![0.0; m * m];
    for i in 0..m {
        let row = &mut c[i * m..(i + 1) * m];
        for (l, aval) in a[i * m..(i + 1) * m].iter().enumerate() {
            if *aval == 0.0 {
                continue;
            }
            for (cv, bv) in row.iter_mut().zip(&b[l * m..(l + 1) * m]) {
                *cv += aval * bv;
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durbin_matches_scipy() {
        // scipy 1.17.1 `scipy.stats._ksstats._kolmogn_DMTW(n, d)`.
        for (n, d, want) in [
            (1, 0.75, 0.5),
            (2, 0.6, 0.6799999999999999),
            (10, 0.2, 0.25128096000000005),
            (100, 0.05, 0.0467840289364275),
        ] {
            let got = durbin_cdf(n, d);
            assert!(
                (got - want).abs() <= 1e-13 * want,
                "n = {n}, d = {d}: {got}"
            );
        }
        assert_eq!(durbin_cdf(5, 0.05), 0.0);
        assert_eq!(durbin_cdf(5, 1.0), 1.0);
    }
}
