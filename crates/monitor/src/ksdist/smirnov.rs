//! The one-sided Smirnov survival function P(D+_n >= x), as scipy's `special.smirnov` computes
//! it where the two-sided distribution needs it (x >= 0.5, or n x² large).
//!
//! Birnbaum and Tingey's sum: P(D+_n >= x) = x Σ_{v=0}^{⌊n(1-x)⌋} C(n, v) (x + v/n)^(v-1)
//! (1 - x - v/n)^(n-v). As scipy does, each term is formed in double-double arithmetic with
//! binomial coefficients and powers held as (mantissa, binary exponent) so that nothing over- or
//! underflows, and the sum stops once the remaining terms cannot change it. scipy switches to
//! the upper (alternating) sum only when n x² <= 1/4 or x < 1/n; neither occurs for the calls
//! made by [`super::kstwo`], so only the lower sum is implemented. Above a million
//! observations scipy uses the approximation exp(-(6 n x + 1)² / (18 n)), and so does this
//! module.

use super::dd::{ldexp, Dd};

/// Largest n scipy sums exactly.
const MAX_SUMMED_N: u64 = 1_000_000;

/// ln of the smallest normal f64: below it the survival function is 0.
const MIN_LOG: f64 = -7.083_964_185_322_641e2;

/// P(D+_n >= x) for n >= 1 and x in [0, 1]; NaN outside.
pub(crate) fn smirnov_sf(n: u64, x: f64) -> f64 {
    if n == 0 || !(0.0..=1.0).contains(&x) {
        return f64::NAN;
    }
    if n == 1 {
        return 1.0 - x;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x == 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    let (nx_floor, alpha) = floor_and_fraction(n, x);
    if nx_floor == 0 || (nx_floor == 1 && alpha == 0.0) {
        // x <= 1/n: the CDF is x (1 + x)^(n - 1).
        let t = pow_dd(Dd::ONE + x, n as i64 - 1).to_f64();
        return 1.0 - x * t;
    }
    if -2.0 * nf * x * x < MIN_LOG {
        return 0.0;
    }
    if nx_floor >= n as i64 - 1 {
        // x >= 1 - 1/n: only the v = 0 term.
        return pow_dd(Dd::ONE - x, n as i64).to_f64();
    }
    if n > MAX_SUMMED_N {
        let y = 6.0 * nf * x + 1.0;
        let log_p = -(y * y) / 18.0 / nf;
        return if log_p < -std::f64::consts::LN_2 {
            log_p.exp()
        } else {
            1.0 - (-log_p.exp_m1())
        };
    }
    // The terms run over the v with x + v/n < 1: v < n - n x.
    lower_sum(n as i64, x, n as i64 - nx_floor).clamp(0.0, 1.0)
}

/// ⌊n x⌋ and n x - ⌊n x⌋, from the exact product n x.
fn floor_and_fraction(n: u64, x: f64) -> (i64, f64) {
    let nf = n as f64;
    let p = nf * x;
    let e = nf.mul_add(x, -p);
    let mut fl = p.floor();
    if fl == p && e < 0.0 {
        fl -= 1.0;
    }
    let mut alpha = (p - fl) + e;
    let mut floor = fl as i64;
    if alpha >= 1.0 {
        floor += 1;
        alpha = 0.0;
    }
    (floor, alpha)
}

/// x Σ_{v < terms} A_v, stopping when the remaining terms are negligible.
fn lower_sum(n: i64, x: f64, terms: i64) -> f64 {
    let mut binomial = Scaled {
        mantissa: Dd::ONE,
        exponent: 0,
    };
    // v = 0: (1 - x)^n / x.
    let first = pow_dd((Dd::ONE - x) / Dd::ONE, n) / x;
    let mut sum = first;
    binomial.times_ratio(n, 0);
    for v in 1..terms {
        let term = term(n, x, v, &binomial);
        if term.is_finite() && term.hi != 0.0 {
            sum = sum + term;
        }
        if term.hi != 0.0 {
            let rest = 4.0 * (terms - v) as f64 * term.hi.abs();
            if rest < f64::EPSILON * sum.hi && v != terms - 1 {
                break;
            }
        } else if v > n / 2 {
            break;
        }
        binomial.times_ratio(n, v);
    }
    (sum * x).to_f64()
}

/// A_v = C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v), with C(n, v) given.
fn term(n: i64, x: f64, v: i64, binomial: &Scaled) -> Dd {
    let below = Dd::from_f64((n - v) as f64) / n as f64 - x;
    let below = Scaled::power(below, n - v);
    let above = Dd::from_f64(v as f64) / n as f64 + x;
    let above = Scaled::power(above, v - 1);
    let mantissa = above.mantissa * below.mantissa * binomial.mantissa;
    mantissa.ldexp(binomial.exponent + above.exponent + below.exponent)
}

/// mantissa 2^exponent, with the mantissa's high part in [0.5, 1).
#[derive(Debug, Clone, Copy)]
struct Scaled {
    mantissa: Dd,
    exponent: i64,
}

/// Largest binary exponent a partial power may reach before it is rescaled.
const MAX_EXPONENT: i64 = 960;

impl Scaled {
    /// self = self (n - j) / (j + 1): from C(n, j) to C(n, j + 1).
    fn times_ratio(&mut self, n: i64, j: i64) {
        let ratio = Dd::from_f64((n - j) as f64) / (j as f64 + 1.0);
        let (m, e) = (self.mantissa * ratio).frexp();
        self.mantissa = m;
        self.exponent += e;
    }

    /// a^m for m >= 0, split into partial powers that stay within the f64 range.
    fn power(a: Dd, m: i64) -> Scaled {
        if m <= 0 {
            return Scaled {
                mantissa: Dd::ONE,
                exponent: 0,
            };
        }
        let (y, y_exp) = a.frexp();
        if m == 1 {
            return Scaled {
                mantissa: y,
                exponent: y_exp,
            };
        }
        let mut max_exponent = MAX_EXPONENT;
        if m as f64 * (y.hi - 1.0) / y.hi < -(MAX_EXPONENT as f64) * std::f64::consts::LN_2 {
            let log2_y = y.hi.ln() / std::f64::consts::LN_2;
            if m as f64 * log2_y <= -(MAX_EXPONENT as f64) {
                max_exponent = (just_above(-(MAX_EXPONENT as f64) / log2_y + 1.0) / 2.0) as i64;
            }
        }
        if m <= max_exponent {
            let (mantissa, e) = pow_dd(y, m).frexp();
            return Scaled {
                mantissa,
                exponent: e + m * y_exp,
            };
        }
        let (q, r) = (m / max_exponent, m % max_exponent);
        let rest = Scaled::power(y, r);
        let chunk = Scaled::power(y, max_exponent);
        let chunks = Scaled::power(chunk.mantissa, q);
        let (mantissa, e) = (rest.mantissa * chunks.mantissa).frexp();
        Scaled {
            mantissa,
            exponent: e + chunks.exponent + chunk.exponent * q + rest.exponent + m * y_exp,
        }
    }
}

/// x increased by about one unit in its last place (x (1 + 2^-52), rounded), as scipy's
/// helper for the partial-power size.
fn just_above(x: f64) -> f64 {
    let l = (ldexp(x, -52) + x).abs();
    if l == 0.0 {
        x.abs()
    } else {
        l
    }
}

/// a^m in double-double: the f64 power of the high part, corrected for the low part.
fn pow_dd(a: Dd, m: i64) -> Dd {
    if m <= 0 {
        return if m == 0 {
            Dd::ONE
        } else {
            Dd::ONE / pow_dd(a, -m)
        };
    }
    if a.hi == 0.0 {
        return Dd::from_f64(0.0);
    }
    let ans = a.hi.powf(m as f64);
    let r = a.lo / a.hi;
    let mf = m as f64;
    let mut adj = mf * r;
    if adj.abs() > 1e-8 {
        if adj.abs() < 1e-4 {
            // (1 + r)^m - 1 to second order.
            adj += (mf * r) * ((mf - 1.0) / 2.0 * r);
        } else {
            adj = (mf * r.ln_1p()).exp_m1();
        }
    }
    Dd::from_f64(ans) + ans * adj
}
