//! Scoring a risk with a method: combining the impacts of the dimensions, reading the level from
//! the matrix, the range of levels a low-confidence estimate spans, and moving values between
//! methods of different scale sizes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::methodology::{Combination, ImpactDimension, MethodDoc, RiskLevel};
use crate::error::ValidationErrors;

/// Likelihood and impact per dimension, as estimated.
pub type Impacts = BTreeMap<ImpactDimension, i64>;

/// A scored estimate: its cell and its level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub likelihood: i64,
    /// The impacts of the dimensions combined by the method's rule.
    pub impact: i64,
    pub level: RiskLevel,
}

/// The lowest and highest level an estimate may stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRange {
    pub low: RiskLevel,
    pub high: RiskLevel,
}

/// The combined impact: the highest, or the weighted average rounded half up.
pub fn combine(doc: &MethodDoc, impacts: &Impacts) -> i64 {
    match doc.combination {
        Combination::Highest => impacts.values().copied().max().unwrap_or(1),
        Combination::Weighted => {
            let (mut num, mut den) = (0i64, 0i64);
            for (d, v) in impacts {
                let w = i64::from(doc.weights.get(d).copied().unwrap_or(0));
                num += w * v;
                den += w;
            }
            if den == 0 {
                return impacts.values().copied().max().unwrap_or(1);
            }
            // Half up: floor((2 num + den) / (2 den)).
            (2 * num + den) / (2 * den)
        }
    }
}

/// The score of an estimate whose values are within the method's scales.
pub fn score(doc: &MethodDoc, likelihood: i64, impacts: &Impacts) -> Option<Score> {
    let impact = combine(doc, impacts);
    doc.level(likelihood, impact).map(|level| Score {
        likelihood,
        impact,
        level,
    })
}

/// The levels the cells within `spread` likelihood levels of `s` reach (clamped to the scale).
/// A spread of 0 gives the score's own level twice.
pub fn range(doc: &MethodDoc, s: &Score, spread: i64) -> LevelRange {
    let top = i64::try_from(doc.likelihood_levels()).unwrap_or(1);
    let lo = (s.likelihood - spread).max(1);
    let hi = (s.likelihood + spread).min(top);
    let levels: Vec<RiskLevel> = (lo..=hi).filter_map(|l| doc.level(l, s.impact)).collect();
    LevelRange {
        low: levels.iter().copied().min().unwrap_or(s.level),
        high: levels.iter().copied().max().unwrap_or(s.level),
    }
}

/// Checks an estimate against the method's scales; errors name `{prefix}likelihood` and
/// `{prefix}impact_{dimension}`.
pub fn check(
    doc: &MethodDoc,
    prefix: &str,
    likelihood: i64,
    impacts: &Impacts,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let l = doc.likelihood_levels();
    if !(1..=l as i64).contains(&likelihood) {
        e.push(
            format!("{prefix}likelihood"),
            format!("{likelihood} is outside the method's likelihood scale (1 to {l})"),
        );
    }
    let n = doc.impact_levels();
    for d in ImpactDimension::ALL {
        let field = format!("{prefix}impact_{d}");
        match impacts.get(d) {
            None => e.push(field, "is required"),
            Some(v) if !(1..=n as i64).contains(v) => e.push(
                field,
                format!("{v} is outside the method's impact scale (1 to {n})"),
            ),
            Some(_) => {}
        }
    }
    e.into_result(|| ())
}

/// A value of a scale of `from` levels moved to a scale of `to` levels, keeping its place
/// (rounded up, so the top value stays on top).
pub fn rescale(value: i64, from: usize, to: usize) -> i64 {
    if from == to || from == 0 {
        return value;
    }
    let (v, from, to) = (value.max(1), from as i64, to as i64);
    ((v * to + from - 1) / from).clamp(1, to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::methodology::{default_doc, square_doc};
    use ImpactDimension::*;
    use RiskLevel::*;

    fn impacts(a: i64, b: i64, c: i64) -> Impacts {
        BTreeMap::from([(IndividualsOrGroups, a), (Organisation, b), (Society, c)])
    }

    /// Every cell of the default matrix, worked by hand (rows likelihood 1..5, columns impact 1..5).
    #[test]
    fn every_cell_of_the_default_matrix() {
        let d = default_doc();
        let expected = [
            [Low, Low, Low, Low, Medium],
            [Low, Low, Medium, Medium, High],
            [Low, Medium, Medium, High, High],
            [Low, Medium, High, High, Critical],
            [Medium, High, High, Critical, Critical],
        ];
        for l in 1..=5 {
            for i in 1..=5 {
                let s = score(&d, l, &impacts(i, 1, 1)).unwrap_or_else(|| panic!("{l}x{i}"));
                assert_eq!(s.level, expected[l as usize - 1][i as usize - 1], "{l}x{i}");
                assert_eq!((s.likelihood, s.impact), (l, i));
            }
        }
        assert_eq!(score(&d, 6, &impacts(1, 1, 1)), None);
    }

    /// Every cell of the 3x3 method.
    #[test]
    fn every_cell_of_a_3x3_method() {
        let d = square_doc(3);
        let expected = [
            [Low, Low, Medium],
            [Low, Medium, High],
            [Medium, High, Critical],
        ];
        for l in 1..=3 {
            for i in 1..=3 {
                let s = score(&d, l, &impacts(1, i, 1)).map(|s| s.level);
                assert_eq!(s, Some(expected[l as usize - 1][i as usize - 1]), "{l}x{i}");
            }
        }
        assert_eq!(score(&d, 4, &impacts(1, 1, 1)), None);
        assert_eq!(score(&d, 1, &impacts(4, 1, 1)), None);
    }

    #[test]
    fn every_cell_of_a_4x4_method() {
        let d = square_doc(4);
        let expected = [
            [Low, Low, Medium, Medium],
            [Low, Medium, Medium, High],
            [Medium, Medium, High, High],
            [Medium, High, High, Critical],
        ];
        for l in 1..=4 {
            for i in 1..=4 {
                let s = score(&d, l, &impacts(1, 1, i)).map(|s| s.level);
                assert_eq!(s, Some(expected[l as usize - 1][i as usize - 1]), "{l}x{i}");
            }
        }
    }

    #[test]
    fn highest_and_weighted_combination() {
        let mut d = default_doc();
        assert_eq!(combine(&d, &impacts(2, 5, 1)), 5);
        d.combination = Combination::Weighted;
        d.weights = BTreeMap::from([(IndividualsOrGroups, 2), (Organisation, 1), (Society, 1)]);
        // (2*2 + 5 + 1) / 4 = 2.5, half up: 3.
        assert_eq!(combine(&d, &impacts(2, 5, 1)), 3);
        // (2*4 + 1 + 1) / 4 = 2.5 -> 3; (2*1 + 1 + 2) / 4 = 1.25 -> 1.
        assert_eq!(combine(&d, &impacts(4, 1, 1)), 3);
        assert_eq!(combine(&d, &impacts(1, 1, 2)), 1);
        d.weights = BTreeMap::from([(Society, 1)]);
        assert_eq!(combine(&d, &impacts(5, 5, 2)), 2);
    }

    #[test]
    fn low_confidence_spans_a_range_of_levels() {
        let d = default_doc();
        let s = score(&d, 3, &impacts(4, 1, 1)).unwrap_or_else(|| panic!("3x4"));
        assert_eq!(s.level, High);
        // Likelihood 2..4 at impact 4: medium, high, high.
        assert_eq!(
            range(&d, &s, 1),
            LevelRange {
                low: Medium,
                high: High
            }
        );
        assert_eq!(
            range(&d, &s, 0),
            LevelRange {
                low: High,
                high: High
            }
        );
        // Clamped at the top: 4..5 at impact 5: critical.
        let s = score(&d, 5, &impacts(5, 1, 1)).unwrap_or_else(|| panic!("5x5"));
        assert_eq!(
            range(&d, &s, 1),
            LevelRange {
                low: Critical,
                high: Critical
            }
        );
        let s = score(&d, 1, &impacts(5, 1, 1)).unwrap_or_else(|| panic!("1x5"));
        assert_eq!(
            range(&d, &s, 1),
            LevelRange {
                low: Medium,
                high: High
            }
        );
    }

    #[test]
    fn checks_name_the_field_outside_the_scale() {
        let d = square_doc(3);
        let e = check(&d, "residual_", 4, &impacts(1, 0, 3))
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect::<Vec<_>>());
        assert_eq!(
            e,
            Some(vec![
                "residual_likelihood".into(),
                "residual_impact_organisation".into()
            ])
        );
        assert!(check(&d, "", 3, &impacts(3, 3, 3)).is_ok());
    }

    #[test]
    fn rescaling_keeps_the_place_on_the_scale() {
        let to3: Vec<i64> = (1..=5).map(|v| rescale(v, 5, 3)).collect();
        assert_eq!(to3, vec![1, 2, 2, 3, 3]);
        let to5: Vec<i64> = (1..=3).map(|v| rescale(v, 3, 5)).collect();
        assert_eq!(to5, vec![2, 4, 5]);
        assert_eq!(rescale(4, 5, 5), 4);
    }
}
