//! Column-sized buffers handed back and reused while one log is computed.
//!
//! Sorting a column of 10 million values needs a few 80 MB buffers (the keys, the sort's
//! scratch, the sorted windows). Allocated afresh for every column, each such buffer is mapped
//! by the allocator and faulted in page by page by the kernel, zeroed, and unmapped again when
//! the column is done: about a sixth of drift's time at 10M rows. A [`Buffers`] keeps the
//! buffers a column is done with for the next column; it lives as long as one computation, so
//! the memory is returned when the report is made.

use std::sync::Mutex;

/// Buffers smaller than this many values are not worth keeping.
const KEPT_FROM: usize = 1 << 17;

/// At most this many buffers are kept (two columns in flight need about six).
const KEPT_AT_MOST: usize = 8;

/// Free buffers, emptied, kept for reuse; shared by the threads of one computation.
#[derive(Debug, Default)]
pub struct Buffers {
    free: Mutex<Vec<Vec<u64>>>,
}

impl Buffers {
    /// An empty buffer with room for at least `n` values: the smallest kept one that is large
    /// enough, else the largest kept one grown, else a new one.
    pub fn take(&self, n: usize) -> Vec<u64> {
        let found = self.free.lock().ok().and_then(|mut free| {
            let fits = (0..free.len())
                .filter(|&i| free[i].capacity() >= n)
                .min_by_key(|&i| free[i].capacity());
            let largest = (0..free.len()).max_by_key(|&i| free[i].capacity());
            fits.or(largest).map(|i| free.swap_remove(i))
        });
        let mut v = found.unwrap_or_default();
        v.reserve(n);
        v
    }

    /// An empty buffer of floats with room for at least `n` values.
    pub fn take_floats(&self, n: usize) -> Vec<f64> {
        // An empty vector is converted in place (same size and alignment): no copy, no new
        // allocation.
        self.take(n).into_iter().map(f64::from_bits).collect()
    }

    /// Keeps `v`'s allocation for a later [`take`](Self::take), if it is large enough and
    /// there is room; otherwise frees it.
    pub fn give(&self, mut v: Vec<u64>) {
        if v.capacity() < KEPT_FROM {
            return;
        }
        v.clear();
        if let Ok(mut free) = self.free.lock() {
            free.push(v);
            if free.len() > KEPT_AT_MOST {
                if let Some(smallest) = (0..free.len()).min_by_key(|&i| free[i].capacity()) {
                    free.swap_remove(smallest);
                }
            }
        }
    }

    /// Frees every kept buffer: before memory is allocated elsewhere, so that kept buffers and
    /// new ones do not add up.
    pub fn release(&self) {
        if let Ok(mut free) = self.free.lock() {
            free.clear();
        }
    }

    /// [`give`](Self::give) for a buffer of floats.
    pub fn give_floats(&self, mut v: Vec<f64>) {
        v.clear();
        self.give(v.into_iter().map(f64::to_bits).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The capacities of the kept buffers.
    fn kept(buffers: &Buffers) -> Vec<usize> {
        buffers
            .free
            .lock()
            .map(|free| free.iter().map(Vec::capacity).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_given_buffer_is_taken_again_without_a_new_allocation() {
        let buffers = Buffers::default();
        let mut v = buffers.take_floats(1 << 20);
        v.extend((0..1000).map(f64::from));
        let at = v.as_ptr() as usize;
        buffers.give_floats(v);
        let again = buffers.take(1 << 19);
        assert!(again.is_empty());
        assert_eq!(again.as_ptr() as usize, at);
        assert!(again.capacity() >= 1 << 20);
    }

    #[test]
    fn the_smallest_buffer_that_fits_is_chosen() {
        let buffers = Buffers::default();
        let big = buffers.take(1 << 21);
        let small = buffers.take(1 << 18);
        let (big_at, small_at) = (big.as_ptr() as usize, small.as_ptr() as usize);
        buffers.give(big);
        buffers.give(small);
        let first = buffers.take(1 << 18);
        let second = buffers.take(1 << 20);
        assert_eq!(first.as_ptr() as usize, small_at);
        assert_eq!(second.as_ptr() as usize, big_at);
    }

    #[test]
    fn small_buffers_are_not_kept_and_the_count_is_bounded() {
        let buffers = Buffers::default();
        buffers.give(Vec::with_capacity(16));
        assert!(kept(&buffers).is_empty());
        for i in 0..KEPT_AT_MOST + 3 {
            buffers.give(Vec::with_capacity(KEPT_FROM + i));
        }
        let capacities = kept(&buffers);
        assert_eq!(capacities.len(), KEPT_AT_MOST);
        // The smallest were the ones let go.
        assert!(capacities.iter().all(|c| *c >= KEPT_FROM + 3));
        buffers.release();
        assert!(kept(&buffers).is_empty());
    }
}
