//! P(D_n <= x) by Pomeranz's recursion (1974), as scipy's `_kolmogn_Pomeranz`: 2n + 1 rows,
//! each the convolution of a few entries of the previous row with truncated Poisson weights
//! (of g/n, 2g/n or (1 - 2g)/n, where g is the distance of n x to the nearest integer); the
//! probability is n! times the last entry of the last row. Rows are rescaled by 2^128 when
//! they grow small.

use super::dd::ldexp;

const SCALE_EXPONENT: i64 = 128;

/// P(D_n <= x) for 0 < x < 1, clipped to [0, 1].
pub(crate) fn pomeranz_cdf(n: u64, x: f64) -> f64 {
    let n_i = n as i64;
    let t = n as f64 * x;
    let ll = t.floor() as i64;
    let f = t - ll as f64;
    let g = f.min(1.0 - f);
    let ceilf = i64::from(f > 0.0);
    let roundf = i64::from(f > 0.5);
    let npwrs = (2 * (ll + 1)) as usize;
    let big = ldexp(1.0, SCALE_EXPONENT);
    let small = ldexp(1.0, -SCALE_EXPONENT);

    // (c/n)^j / j! for the three weights c = g, 2g, 1 - 2g.
    let powers = |c: f64| {
        let mut p = vec![1.0; npwrs];
        for j in 1..npwrs {
            p[j] = p[j - 1] * c / j as f64;
        }
        p
    };
    let nf = n as f64;
    let (g_over_n, two_g_over_n, rest_over_n) = (g / nf, 2.0 * g / nf, (1.0 - 2.0 * g) / nf);
    let gpower = powers(g_over_n);
    let twogpower = powers(two_g_over_n);
    let onem2gpower = powers(rest_over_n);

    let mut v0 = vec![0.0; npwrs];
    let mut v1 = vec![0.0; npwrs];
    v1[0] = 1.0;
    let (mut v0_start, mut v1_start) = (0i64, 0i64);
    let mut expnt = 0i64;
    let (mut j1, _) = row_bounds(0, n_i, ll, ceilf, roundf);
    for i in 1..=(2 * n_i + 1) {
        let k1 = j1;
        std::mem::swap(&mut v0, &mut v1);
        std::mem::swap(&mut v0_start, &mut v1_start);
        v1.iter_mut().for_each(|v| *v = 0.0);
        let (lo, hi) = row_bounds(i, n_i, ll, ceilf, roundf);
        j1 = lo;
        let pwrs = if i == 1 || i == 2 * n_i + 1 {
            &gpower
        } else if i % 2 == 1 {
            &twogpower
        } else {
            &onem2gpower
        };
        let len = hi - k1 + 1;
        if len > 0 {
            let from = slice(&v0, k1 - v0_start, k1 - v0_start + len);
            let conv = convolve(from, slice(pwrs, 0, len));
            let conv_start = j1 - k1;
            let conv_len = hi - j1 + 1;
            let taken = slice(&conv, conv_start, conv_start + conv_len);
            v1[..taken.len()].copy_from_slice(taken);
            let max = v1.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if 0.0 < max && max < small {
                v1.iter_mut().for_each(|v| *v *= big);
                expnt -= SCALE_EXPONENT;
            }
            v1_start = v0_start + j1 - k1;
        }
    }
    let mut ans = v1
        .get((n_i - v1_start).max(0) as usize)
        .copied()
        .unwrap_or(0.0);
    for m in 1..=n {
        if ans.abs() > big {
            ans *= small;
            expnt += SCALE_EXPONENT;
        }
        ans *= m as f64;
    }
    if expnt != 0 {
        ans = ldexp(ans, expnt);
    }
    ans.clamp(0.0, 1.0)
}

/// The first and last index of the entries of row i that can be non-zero.
fn row_bounds(i: i64, n: i64, ll: i64, ceilf: i64, roundf: i64) -> (i64, i64) {
    let (j1, j2) = if i == 0 {
        (-ll - ceilf - 1, ll + ceilf - 1)
    } else {
        let (half, odd) = ((i + 1) / 2, (i + 1) % 2);
        if odd == 0 {
            if half == n + 1 {
                (n - ll - ceilf - 1, n + ll + ceilf - 1)
            } else {
                (half - 1 - ll - roundf - 1, half + ll - 1 + ceilf - 1)
            }
        } else {
            (half - 1 - ll - 1, half + ll + roundf - 1)
        }
    };
    ((j1 + 2).max(0), j2.min(n))
}

/// `v[from..to]` with Python's clamping of the bounds.
fn slice(v: &[f64], from: i64, to: i64) -> &[f64] {
    let len = v.len() as i64;
    let from = from.clamp(0, len) as usize;
    let to = to.clamp(0, len) as usize;
    &v[from..to.max(from)]
}

/// The full discrete convolution of a and b.
fn convolve(a: &[f64], b: &[f64]) -> Vec<f64> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let mut out = vec![0.0; a.len() + b.len() - 1];
    for (i, av) in a.iter().enumerate() {
        for (j, bv) in b.iter().enumerate() {
            out[i + j] += av * bv;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pomeranz_matches_scipy() {
        // scipy 1.17.1 `scipy.stats._ksstats._kolmogn_Pomeranz(n, x)`.
        for (n, x, want) in [
            (10, 0.3, 0.7294644252000005),
            (50, 0.2, 0.9685612222304676),
            (140, 0.15, 0.9967504395584898),
        ] {
            let got = pomeranz_cdf(n, x);
            assert!(
                (got - want).abs() <= 1e-13 * want,
                "n = {n}, x = {x}: {got}"
            );
        }
    }
}
