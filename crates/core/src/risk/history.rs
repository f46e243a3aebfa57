//! Incidents inform likelihood: the incidents that affected a risk's AI systems in the last year
//! suggest a likelihood level through the yearly frequencies of the method's likelihood scale. The
//! suggestion is shown beside the estimate; it is never applied by itself.

use serde::Serialize;

use super::methodology::ScaleLevel;

/// How far back incidents count.
pub const WINDOW_DAYS: i64 = 365;

/// A likelihood level suggested by incident history.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    /// The suggested level (1 = the scale's lowest) and its label.
    pub level: i64,
    pub label: String,
    /// The incidents counted (`INC-n`), newest first.
    pub incidents: Vec<String>,
    /// Incidents a year over the window.
    pub per_year: f64,
    pub window_days: i64,
    /// The inherent likelihood estimated in the register, for comparison.
    pub estimate: Option<i64>,
    /// Whether the estimate differs from the suggestion.
    pub differs: bool,
}

/// The level whose yearly frequency the incident rate reaches, or `None` when no incident
/// counted (absence of incidents is no evidence of rarity) or the scale gives no frequencies.
pub fn suggest(
    scale: &[ScaleLevel],
    incidents: Vec<String>,
    window_days: i64,
    estimate: Option<i64>,
) -> Option<Suggestion> {
    if incidents.is_empty() || window_days <= 0 {
        return None;
    }
    let per_year = incidents.len() as f64 * 365.0 / window_days as f64;
    let with_frequency: Vec<(usize, f64)> = scale
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.per_year.map(|f| (i, f)))
        .collect();
    let (index, _) = with_frequency
        .iter()
        .rev()
        .find(|(_, f)| per_year >= *f)
        .or_else(|| with_frequency.first())?;
    let level = *index as i64 + 1;
    Some(Suggestion {
        level,
        label: scale.get(*index)?.label.clone(),
        incidents,
        per_year,
        window_days,
        estimate,
        differs: estimate.is_some_and(|e| e != level),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::methodology::{default_doc, square_doc};

    fn keys(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("INC-{i}")).collect()
    }

    #[test]
    fn the_default_scale_maps_yearly_counts_to_levels() {
        let scale = default_doc().likelihood;
        let level = |n: usize| suggest(&scale, keys(n), WINDOW_DAYS, Some(2)).map(|s| s.level);
        assert_eq!(level(0), None, "no incident suggests nothing");
        assert_eq!(level(1), Some(3), "once a year: possible");
        assert_eq!(level(2), Some(4), "twice a year: likely");
        assert_eq!(level(11), Some(4));
        assert_eq!(level(12), Some(5), "monthly: almost certain");
        let s = suggest(&scale, keys(3), WINDOW_DAYS, Some(2)).unwrap_or_else(|| panic!("none"));
        assert_eq!(
            (s.label.as_str(), s.per_year, s.differs),
            ("Likely", 3.0, true)
        );
        let same = suggest(&scale, keys(3), WINDOW_DAYS, Some(4)).map(|s| s.differs);
        assert_eq!(same, Some(false));
        // One incident over two years is half a year's worth: still possible (0.33 a year).
        assert_eq!(
            suggest(&scale, keys(1), 730, None).map(|s| s.level),
            Some(3)
        );
        // Over ten years, once is below "unlikely" (0.1): the lowest level with a frequency.
        assert_eq!(
            suggest(&scale, keys(1), 3650 * 2, None).map(|s| s.level),
            Some(1)
        );
    }

    #[test]
    fn a_scale_without_frequencies_suggests_nothing() {
        assert_eq!(
            suggest(&square_doc(3).likelihood, keys(4), WINDOW_DAYS, None),
            None
        );
    }
}
