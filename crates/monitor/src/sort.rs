//! Sorting floats by radix: the same order and the same values as
//! `sort_unstable_by(f64::total_cmp)`, in a few linear passes.
//!
//! Missing values (NaN) are left out. The values become unsigned keys in the order of
//! `total_cmp`; the histograms of every digit are counted while the keys are made, so the sort
//! is one pass to make the keys plus one scatter pass per digit that is not shared by all keys,
//! the last of which writes the values back instead of the keys.
//!
//! The `_in` variants take their keys and scratch space from [`Buffers`] and give back what
//! they no longer need, so that sorting column after column reuses the same memory.

use crate::buffers::Buffers;

/// Below this many values a comparison sort is faster.
const RADIX_ABOVE: usize = 2_048;

/// Bits per radix digit.
const DIGIT: u32 = 11;

/// Buckets per digit.
const BUCKETS: usize = 1 << DIGIT;

/// Digits per 64-bit key.
const PASSES: usize = 64usize.div_ceil(DIGIT as usize);

/// The present (non-NaN) values of `values`, sorted ascending.
pub fn sorted_present(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    sorted_present_in(values, &Buffers::default())
}

/// [`sorted_present`] with memory from `buffers`.
pub fn sorted_present_in(values: impl IntoIterator<Item = f64>, buffers: &Buffers) -> Vec<f64> {
    let values = values.into_iter();
    let mut keys = Keys::with_capacity(values.size_hint().0, buffers);
    for x in values {
        keys.push(x);
    }
    keys.sorted(buffers)
}

/// The present values of `values` split by `keep` (true: first result), each part sorted
/// ascending; one read of `values`, which is freed before the parts are sorted. `keep` must be
/// as long as `values`.
pub fn sorted_split(values: Vec<f64>, keep: &[bool]) -> (Vec<f64>, Vec<f64>) {
    sorted_split_in(values, keep, &Buffers::default())
}

/// [`sorted_split`] with memory from `buffers`; `values` is given back to them.
pub fn sorted_split_in(values: Vec<f64>, keep: &[bool], buffers: &Buffers) -> (Vec<f64>, Vec<f64>) {
    let first = keep.iter().filter(|k| **k).count();
    let mut a = Keys::with_capacity(first, buffers);
    let mut b = Keys::with_capacity(values.len().saturating_sub(first), buffers);
    for (x, k) in values.iter().zip(keep) {
        if *k {
            a.push(*x);
        } else {
            b.push(*x);
        }
    }
    buffers.give_floats(values);
    rayon::join(|| a.sorted(buffers), || b.sorted(buffers))
}

/// `v` sorted by `f64::total_cmp`.
pub fn sorted(v: Vec<f64>) -> Vec<f64> {
    if v.len() <= RADIX_ABOVE || u32::try_from(v.len()).is_err() {
        let mut v = v;
        v.sort_unstable_by(f64::total_cmp);
        return v;
    }
    let buffers = Buffers::default();
    let mut keys = Keys::with_capacity(v.len(), &buffers);
    for x in v {
        keys.push_any(x);
    }
    keys.sorted(&buffers)
}

/// Sort keys of values, with the count of every digit value of every digit position: values
/// pushed one by one, then [`sorted`](Keys::sorted).
pub(crate) struct Keys {
    keys: Vec<u64>,
    /// `counts[p * BUCKETS + d]`: keys whose digit `p` is `d`.
    counts: Vec<u32>,
}

impl Keys {
    /// Room for `n` values, from `buffers`.
    pub(crate) fn with_capacity(n: usize, buffers: &Buffers) -> Keys {
        Keys {
            keys: buffers.take(n),
            counts: vec![0; BUCKETS * PASSES],
        }
    }

    /// Adds `x` unless it is NaN.
    #[inline]
    fn push(&mut self, x: f64) {
        if !x.is_nan() {
            self.push_any(x);
        }
    }

    /// Adds `x`, NaN or not.
    #[inline]
    pub(crate) fn push_any(&mut self, x: f64) {
        let k = key(x);
        self.keys.push(k);
        for (p, counts) in self.counts.chunks_exact_mut(BUCKETS).enumerate() {
            let c = &mut counts[digit(k, p)];
            // Wraps only past u32::MAX keys, which are sorted by comparison.
            *c = c.wrapping_add(1);
        }
    }

    /// The values, sorted ascending; the scratch space goes back to `buffers`.
    pub(crate) fn sorted(self, buffers: &Buffers) -> Vec<f64> {
        let Keys {
            mut keys,
            mut counts,
        } = self;
        let n = keys.len();
        if n <= RADIX_ABOVE || u32::try_from(n).is_err() {
            keys.sort_unstable();
            return keys.into_iter().map(value).collect();
        }
        // Digits every key shares leave the order as it is.
        let passes: Vec<usize> = (0..PASSES)
            .filter(|p| !counts[p * BUCKETS..(p + 1) * BUCKETS].contains(&(n as u32)))
            .collect();
        let Some(&last) = passes.last() else {
            return keys.into_iter().map(value).collect();
        };
        let mut scratch = buffers.take(n);
        scratch.resize(n, 0);
        for &p in &passes {
            let next = &mut counts[p * BUCKETS..(p + 1) * BUCKETS];
            let mut sum = 0u32;
            for c in next.iter_mut() {
                let here = *c;
                *c = sum;
                sum += here;
            }
            if p == last {
                scatter(&keys, &mut scratch, next, p, |k| value(k).to_bits());
            } else {
                scatter(&keys, &mut scratch, next, p, |k| k);
            }
            std::mem::swap(&mut keys, &mut scratch);
        }
        buffers.give(scratch);
        keys.into_iter().map(f64::from_bits).collect()
    }
}

/// One stable counting pass on digit `p`: each key goes, as `out(key)`, to the next free slot
/// of its digit's bucket (`next` holds each bucket's next free slot).
#[inline]
fn scatter(keys: &[u64], to: &mut [u64], next: &mut [u32], p: usize, out: impl Fn(u64) -> u64) {
    for &k in keys {
        let slot = &mut next[digit(k, p)];
        to[*slot as usize] = out(k);
        *slot += 1;
    }
}

/// Digit `p` (from the least significant) of key `k`.
#[inline]
fn digit(k: u64, p: usize) -> usize {
    (k >> (p as u32 * DIGIT)) as usize & (BUCKETS - 1)
}

/// An unsigned key whose order is `f64::total_cmp`'s.
fn key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The value of a key made by [`key`].
fn value(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn awkward(n: usize) -> Vec<f64> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        (0..n)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                match i % 7 {
                    0 => -0.0,
                    1 => 0.0,
                    2 => f64::INFINITY,
                    3 => (state % 100) as f64 - 50.0,
                    4 if i % 3 == 0 => f64::NAN,
                    _ => f64::from_bits(state >> 2) * if i % 2 == 0 { -1.0 } else { 1.0 },
                }
            })
            .collect()
    }

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    fn by_total_cmp(v: impl IntoIterator<Item = f64>) -> Vec<f64> {
        let mut v: Vec<f64> = v.into_iter().filter(|x| !x.is_nan()).collect();
        v.sort_unstable_by(f64::total_cmp);
        v
    }

    #[test]
    fn radix_order_is_total_cmp_order() {
        for n in [0, 1, 100, 10_000] {
            let v: Vec<f64> = awkward(n).into_iter().filter(|x| !x.is_nan()).collect();
            let want = by_total_cmp(v.clone());
            assert_eq!(bits(&sorted(v.clone())), bits(&want));
            assert_eq!(bits(&sorted_present(v)), bits(&want));
        }
    }

    #[test]
    fn missing_values_are_left_out() {
        let v = awkward(10_000);
        assert!(v.iter().any(|x| x.is_nan()));
        assert_eq!(bits(&sorted_present(v.clone())), bits(&by_total_cmp(v)));
    }

    #[test]
    fn a_split_sorts_each_part() {
        let v = awkward(20_000);
        let keep: Vec<bool> = (0..v.len()).map(|i| i < 7_000 || i % 5 == 0).collect();
        let (a, b) = sorted_split(v.clone(), &keep);
        let part = |want: bool| v.iter().zip(&keep).filter(move |(_, k)| **k == want);
        assert_eq!(bits(&a), bits(&by_total_cmp(part(true).map(|(x, _)| *x))));
        assert_eq!(bits(&b), bits(&by_total_cmp(part(false).map(|(x, _)| *x))));
    }

    #[test]
    fn keys_sharing_digits_skip_their_passes() {
        // Every value has the same sign and exponent: the top digits are shared.
        let v: Vec<f64> = (0..5_000)
            .map(|i| 1.0 + f64::from(i % 977) / 1024.0)
            .collect();
        assert_eq!(bits(&sorted(v.clone())), bits(&by_total_cmp(v)));
        let same = vec![2.5; 4_000];
        assert_eq!(sorted(same.clone()), same);
    }
}
