//! Double-double numbers: an unevaluated sum hi + lo of two f64 with |lo| <= ulp(hi) / 2, about
//! 106 bits of precision. Used where scipy's Smirnov sum works in double-double, so that its
//! terms are reproduced to the last bit of an f64.

use std::ops::{Add, Div, Mul, Neg, Sub};

/// hi + lo, normalised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Dd {
    pub hi: f64,
    pub lo: f64,
}

/// a + b exactly, as (sum, error), for any a and b.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// a + b exactly when |a| >= |b|.
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// a b exactly, as (product, error).
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

impl Dd {
    pub const ONE: Dd = Dd { hi: 1.0, lo: 0.0 };

    pub fn from_f64(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }

    fn renormalised(hi: f64, lo: f64) -> Dd {
        let (hi, lo) = quick_two_sum(hi, lo);
        Dd { hi, lo }
    }

    /// The nearest f64.
    pub fn to_f64(self) -> f64 {
        self.hi
    }

    pub fn is_finite(self) -> bool {
        self.hi.is_finite()
    }

    /// x = m 2^e with m's high part in [0.5, 1), as C's `frexp` on the high part.
    pub fn frexp(self) -> (Dd, i64) {
        let (m, e) = frexp(self.hi);
        (
            Dd {
                hi: m,
                lo: ldexp(self.lo, -e),
            },
            e,
        )
    }

    /// x 2^e.
    pub fn ldexp(self, e: i64) -> Dd {
        Dd {
            hi: ldexp(self.hi, e),
            lo: ldexp(self.lo, e),
        }
    }
}

impl Add for Dd {
    type Output = Dd;
    fn add(self, b: Dd) -> Dd {
        let (s1, s2) = two_sum(self.hi, b.hi);
        let (t1, t2) = two_sum(self.lo, b.lo);
        let (s1, s2) = quick_two_sum(s1, s2 + t1);
        Dd::renormalised(s1, s2 + t2)
    }
}

impl Add<f64> for Dd {
    type Output = Dd;
    fn add(self, b: f64) -> Dd {
        let (s1, s2) = two_sum(self.hi, b);
        Dd::renormalised(s1, s2 + self.lo)
    }
}

impl Neg for Dd {
    type Output = Dd;
    fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl Sub for Dd {
    type Output = Dd;
    fn sub(self, b: Dd) -> Dd {
        self + (-b)
    }
}

impl Sub<f64> for Dd {
    type Output = Dd;
    fn sub(self, b: f64) -> Dd {
        self + (-b)
    }
}

impl Mul for Dd {
    type Output = Dd;
    fn mul(self, b: Dd) -> Dd {
        let (p1, p2) = two_prod(self.hi, b.hi);
        let p2 = p2 + (self.hi * b.lo + self.lo * b.hi);
        Dd::renormalised(p1, p2)
    }
}

impl Mul<f64> for Dd {
    type Output = Dd;
    fn mul(self, b: f64) -> Dd {
        let (p1, p2) = two_prod(self.hi, b);
        Dd::renormalised(p1, p2 + self.lo * b)
    }
}

impl Div for Dd {
    type Output = Dd;
    fn div(self, b: Dd) -> Dd {
        // Three rounds of long division, each a quotient digit of about 53 bits.
        let q1 = self.hi / b.hi;
        let r = self - b * q1;
        let q2 = r.hi / b.hi;
        let r = r - b * q2;
        let q3 = r.hi / b.hi;
        Dd::renormalised(q1, q2) + q3
    }
}

impl Div<f64> for Dd {
    type Output = Dd;
    fn div(self, b: f64) -> Dd {
        self / Dd::from_f64(b)
    }
}

/// C's `frexp`: x = m 2^e with |m| in [0.5, 1); (x, 0) for 0, infinities and NaN.
pub(crate) fn frexp(x: f64) -> (f64, i64) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(x * f64::from_bits(0x4350_0000_0000_0000)); // 2^54
        return (m, e - 54);
    }
    let m = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (m, exp - 1022)
}

/// C's `ldexp`: x 2^e, rounded once.
pub(crate) fn ldexp(x: f64, e: i64) -> f64 {
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    let (mut y, mut e) = (x, e);
    if e > 1023 {
        // Two steps reach any finite result; beyond that the result is infinite anyway.
        for _ in 0..2 {
            if e > 1023 {
                y *= pow2(1023);
                e -= 1023;
            }
        }
        e = e.min(1023);
    } else if e < -1022 {
        // Steps of 2^(-1022 + 53) keep y normal, so that only the last step rounds.
        for _ in 0..2 {
            if e < -1022 {
                y *= pow2(-1022 + 53);
                e += 1022 - 53;
            }
        }
        e = e.max(-1022);
    }
    y * pow2(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_double_arithmetic_keeps_the_low_part() {
        let third = Dd::ONE / 3.0;
        // 1/3 = hi + lo with hi the f64 nearest 1/3 and lo the rest.
        assert_eq!(third.hi, 1.0 / 3.0);
        assert!((third.lo - 1.850_371_707_708_594e-17).abs() < 1e-31);
        let one = third * 3.0;
        assert_eq!((one.hi, one.lo.abs() < 1e-32), (1.0, true));
        let tiny = (Dd::ONE + 1e-20) - 1.0;
        assert!((tiny.hi - 1e-20).abs() < 1e-36);
    }

    #[test]
    fn frexp_and_ldexp_match_c() {
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(-0.75), (-0.75, 0));
        assert_eq!(frexp(f64::MIN_POSITIVE / 4.0), (0.5, -1023));
        assert_eq!(ldexp(0.5, 4), 8.0);
        assert_eq!(ldexp(1.0, -1074), f64::from_bits(1));
        assert_eq!(ldexp(0.75, 1024), 0.75 * 2f64.powi(1023) * 2.0);
        assert_eq!(ldexp(1.0, 2000), f64::INFINITY);
        assert_eq!(ldexp(1.5, -1075), f64::from_bits(1));
    }
}
