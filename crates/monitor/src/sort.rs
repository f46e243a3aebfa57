//! Sorting floats by radix: the same order and the same values as
//! `sort_unstable_by(f64::total_cmp)`, in a few linear passes.

/// Below this many values a comparison sort is faster.
const RADIX_ABOVE: usize = 2_048;

/// Bits per radix digit.
const DIGIT: u32 = 11;

/// The present (non-NaN) values of `values`, sorted ascending.
pub fn sorted_present(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    sorted(values.into_iter().filter(|x| !x.is_nan()).collect())
}

/// `v` sorted by `f64::total_cmp` (the keys reuse `v`'s allocation).
pub fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    if v.len() <= RADIX_ABOVE {
        v.sort_unstable_by(f64::total_cmp);
        return v;
    }
    let mut keys: Vec<u64> = v.into_iter().map(key).collect();
    radix(&mut keys);
    keys.into_iter().map(value).collect()
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

fn value(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// LSD radix sort of u64 keys, skipping digits that all keys share.
fn radix(keys: &mut Vec<u64>) {
    let buckets = 1usize << DIGIT;
    let passes = 64u32.div_ceil(DIGIT) as usize;
    let mut counts = vec![0usize; buckets * passes];
    for k in keys.iter() {
        for p in 0..passes {
            counts[p * buckets + ((k >> (p as u32 * DIGIT)) as usize & (buckets - 1))] += 1;
        }
    }
    let mut scratch = vec![0u64; keys.len()];
    for p in 0..passes {
        let c = &mut counts[p * buckets..(p + 1) * buckets];
        if c.contains(&keys.len()) {
            continue;
        }
        let mut sum = 0;
        for n in c.iter_mut() {
            let here = *n;
            *n = sum;
            sum += here;
        }
        let shift = p as u32 * DIGIT;
        for k in keys.iter() {
            let d = (k >> shift) as usize & (buckets - 1);
            scratch[c[d]] = *k;
            c[d] += 1;
        }
        std::mem::swap(keys, &mut scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_order_is_total_cmp_order() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut v: Vec<f64> = (0..10_000)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                match i % 7 {
                    0 => -0.0,
                    1 => 0.0,
                    2 => f64::INFINITY,
                    3 => (state % 100) as f64 - 50.0,
                    _ => f64::from_bits(state >> 2) * if i % 2 == 0 { -1.0 } else { 1.0 },
                }
            })
            .collect();
        let mut want = v.clone();
        want.sort_unstable_by(f64::total_cmp);
        v = sorted(v);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&v), bits(&want));
    }
}
