//! Data quality of the current window, against the reference when there is one.
//!
//! Missing rate = missing values / rows (NaN or null for numbers, null for categories).
//! Numeric: values outside the reference's [min, max]. Categorical: values whose category never
//! occurs in the reference.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::read::MISSING;

/// Quality of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnQuality {
    pub rows: usize,
    pub missing: usize,
    pub missing_rate: Option<f64>,
    /// Numeric with a reference: current values below the reference minimum or above its maximum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_reference_range: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_of_reference_range_rate: Option<f64>,
    /// Categorical with a reference: current values of categories absent from the reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unseen_categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unseen_rate: Option<f64>,
}

fn rate(a: usize, n: usize) -> Option<f64> {
    (n > 0).then(|| a as f64 / n as f64)
}

/// Quality of a numeric column.
pub fn numeric(current: &[f64], reference: Option<&[f64]>) -> ColumnQuality {
    let rows = current.len();
    let missing = current.iter().filter(|v| v.is_nan()).count();
    let range = reference.and_then(|r| {
        let present = r.iter().filter(|v| !v.is_nan());
        let min = present.clone().copied().reduce(f64::min)?;
        let max = present.copied().reduce(f64::max)?;
        Some((min, max))
    });
    let out = range.map(|(min, max)| current.iter().filter(|v| **v < min || **v > max).count());
    ColumnQuality {
        rows,
        missing,
        missing_rate: rate(missing, rows),
        out_of_reference_range: out,
        out_of_reference_range_rate: out.and_then(|o| rate(o, rows)),
        unseen_categories: None,
        unseen_rate: None,
    }
}

/// [`numeric`] from the current window's row count and both windows' present values sorted
/// ascending (as [`crate::sort`] gives them): the same counts, by binary search.
pub fn numeric_sorted(rows: usize, current: &[f64], reference: &[f64]) -> ColumnQuality {
    let missing = rows - current.len();
    let out = reference.first().zip(reference.last()).map(|(min, max)| {
        let below = current.partition_point(|v| v < min);
        let above = current.len() - current.partition_point(|v| v <= max);
        below + above
    });
    ColumnQuality {
        rows,
        missing,
        missing_rate: rate(missing, rows),
        out_of_reference_range: out,
        out_of_reference_range_rate: out.and_then(|o| rate(o, rows)),
        unseen_categories: None,
        unseen_rate: None,
    }
}

/// Quality of a categorical column.
pub fn categorical(
    current: (&[u32], &[String]),
    reference: Option<(&[u32], &[String])>,
) -> ColumnQuality {
    let (codes, cats) = current;
    let rows = codes.len();
    let missing = codes.iter().filter(|c| **c == MISSING).count();
    let (unseen, unseen_rows) = match reference {
        Some((rcodes, rcats)) => {
            let mut present = vec![false; rcats.len()];
            for c in rcodes.iter().filter(|c| **c != MISSING) {
                present[*c as usize] = true;
            }
            let seen: BTreeSet<&str> = rcats
                .iter()
                .zip(&present)
                .filter(|(_, p)| **p)
                .map(|(n, _)| n.as_str())
                .collect();
            // Per current code: is its category absent from the reference?
            let new_code: Vec<bool> = cats.iter().map(|n| !seen.contains(n.as_str())).collect();
            let mut used = vec![false; cats.len()];
            let mut n = 0;
            for c in codes.iter().filter(|c| **c != MISSING) {
                if new_code[*c as usize] {
                    used[*c as usize] = true;
                    n += 1;
                }
            }
            let names: BTreeSet<String> = cats
                .iter()
                .zip(&used)
                .filter(|(_, u)| **u)
                .map(|(name, _)| name.clone())
                .collect();
            (Some(names.into_iter().collect()), Some(n))
        }
        None => (None, None),
    };
    ColumnQuality {
        rows,
        missing,
        missing_rate: rate(missing, rows),
        out_of_reference_range: None,
        out_of_reference_range_rate: None,
        unseen_categories: unseen,
        unseen_rate: unseen_rows.and_then(|n| rate(n, rows)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_out_of_range_and_unseen_are_counted() {
        let q = numeric(&[0.0, f64::NAN, 5.0, -1.0], Some(&[0.0, 4.0]));
        assert_eq!((q.missing, q.out_of_reference_range), (1, Some(2)));
        let cats = vec!["a".to_string(), "b".to_string()];
        let q = categorical((&[0, 1, 1, MISSING], &cats), Some((&[0], &cats)));
        assert_eq!(q.unseen_categories, Some(vec!["b".to_string()]));
        assert_eq!(q.unseen_rate, Some(0.5));
        assert_eq!(q.missing_rate, Some(0.25));
    }

    #[test]
    fn sorted_windows_give_the_same_numeric_quality() {
        let sorted = |v: &[f64]| crate::sort::sorted_present(v.iter().copied());
        let cases: [(&[f64], &[f64]); 4] = [
            (
                &[0.0, f64::NAN, 5.0, -1.0, 4.0, -0.0],
                &[0.0, 4.0, f64::NAN],
            ),
            (
                &[f64::INFINITY, 2.0, 2.0, f64::NEG_INFINITY],
                &[-0.0, 2.0, 3.0],
            ),
            (&[1.0, f64::NAN], &[f64::NAN]),
            (&[f64::NAN, f64::NAN], &[1.0]),
        ];
        for (current, reference) in cases {
            let want = numeric(current, Some(reference));
            let got = numeric_sorted(current.len(), &sorted(current), &sorted(reference));
            assert_eq!(got, want);
        }
    }
}
