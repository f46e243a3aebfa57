//! The risk assessment methodology (ISO/IEC 42001 6.1.2): scales, how impact dimensions
//! combine, the matrix from likelihood and impact to a level, acceptance criteria and review
//! frequencies. Scale sizes are data, so 3x3, 4x4 and 5x5 methods are all possible.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::role::Role;
use crate::text;

crate::vocabulary!(
    /// The level of a risk, from the matrix.
    RiskLevel {
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
        Critical => ("critical", "Critical"),
    }
);

crate::vocabulary!(
    /// On whom or what an impact falls.
    ImpactDimension {
        IndividualsOrGroups => ("individuals_or_groups", "Individuals or groups"),
        Organisation => ("organisation", "The organisation"),
        Society => ("society", "Society"),
    }
);

crate::vocabulary!(
    /// How the impacts on the dimensions combine into one impact.
    Combination {
        Highest => ("highest", "The highest impact"),
        Weighted => ("weighted", "Weighted average (rounded half up)"),
    }
);

/// Fewest and most levels a scale may have.
pub const MIN_LEVELS: usize = 2;
pub const MAX_LEVELS: usize = 10;
/// Longest review interval, in days.
pub const MAX_REVIEW_DAYS: i64 = 3660;

/// One level of a scale; its value is its position (1 for the first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleLevel {
    pub label: String,
    pub definition: String,
    /// For likelihood: how often it would happen. Optional for impact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// For likelihood: the yearly number of incidents from which this level applies, so that a
    /// system's incident history can suggest a level (see [`super::history`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_year: Option<f64>,
}

/// A method as written by people (TOML file, JSON body, form); validated into a [`MethodDoc`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MethodDoc {
    pub name: String,
    /// The likelihood scale, lowest first.
    pub likelihood: Vec<ScaleLevel>,
    /// One impact scale per dimension, lowest first; every dimension has the same size.
    #[schema(value_type = Object)]
    pub impact: BTreeMap<ImpactDimension, Vec<ScaleLevel>>,
    /// `highest` or `weighted`.
    #[schema(value_type = String)]
    pub combination: Combination,
    /// Weights per dimension for `weighted` (whole numbers, at least one above zero).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = Object)]
    pub weights: BTreeMap<ImpactDimension, u32>,
    /// Rows by likelihood (1 first), columns by impact (1 first).
    #[schema(value_type = Vec<Vec<String>>)]
    pub matrix: Vec<Vec<RiskLevel>>,
    /// The highest level that may be accepted without treatment.
    #[schema(value_type = String)]
    pub appetite: RiskLevel,
    /// The highest level each role may accept; a role not listed accepts nothing.
    #[schema(value_type = Object)]
    pub acceptance: BTreeMap<Role, RiskLevel>,
    /// Days between reviews, per level.
    #[schema(value_type = Object)]
    pub review_days: BTreeMap<RiskLevel, i64>,
}

/// A recorded version of the method (`MTH-n`); also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Methodology {
    pub key: String,
    pub version: i64,
    #[serde(flatten)]
    pub doc: MethodDoc,
    pub created_by: String,
    pub created_at: String,
}

impl MethodDoc {
    pub fn likelihood_levels(&self) -> usize {
        self.likelihood.len()
    }

    pub fn impact_levels(&self) -> usize {
        self.impact.values().next().map_or(0, Vec::len)
    }

    /// The level of a cell; `None` outside the scales.
    pub fn level(&self, likelihood: i64, impact: i64) -> Option<RiskLevel> {
        let l = usize::try_from(likelihood).ok()?.checked_sub(1)?;
        let i = usize::try_from(impact).ok()?.checked_sub(1)?;
        self.matrix.get(l)?.get(i).copied()
    }

    /// The highest level `role` may accept, if any.
    pub fn may_accept(&self, role: Role) -> Option<RiskLevel> {
        self.acceptance.get(&role).copied()
    }

    /// Days until the next review of a risk at `level`.
    pub fn review_interval(&self, level: RiskLevel) -> i64 {
        self.review_days.get(&level).copied().unwrap_or(365)
    }

    /// Checks every rule of a method; each error names its field (`matrix[2][3]`).
    pub fn validate(mut self) -> Result<MethodDoc, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if let Some(n) = e.take(text::required("name", Some(&self.name))) {
            self.name = n;
        }
        check_scale(&mut e, "likelihood", &mut self.likelihood);
        check_frequencies(&mut e, &self.likelihood);
        let mut impact_size = None;
        for d in ImpactDimension::ALL {
            let field = format!("impact.{d}");
            match self.impact.get_mut(d) {
                None => e.push(field, "is required (one scale per dimension)"),
                Some(scale) => {
                    check_scale(&mut e, &field, scale);
                    for (i, level) in scale.iter().enumerate() {
                        if level.per_year.is_some() {
                            e.push(
                                format!("{field}[{}].per_year", i + 1),
                                "only likelihood levels have a yearly frequency",
                            );
                        }
                    }
                    match impact_size {
                        None => impact_size = Some(scale.len()),
                        Some(n) if n != scale.len() => e.push(
                            field,
                            format!(
                                "has {} levels; every impact scale must have {n}",
                                scale.len()
                            ),
                        ),
                        Some(_) => {}
                    }
                }
            }
        }
        match self.combination {
            Combination::Highest => self.weights.clear(),
            Combination::Weighted => {
                if self.weights.values().all(|w| *w == 0) {
                    e.push(
                        "weights",
                        "at least one weight above zero is required for 'weighted'",
                    );
                }
                if self.weights.values().any(|w| *w > 1000) {
                    e.push("weights", "each weight is at most 1000");
                }
            }
        }
        let (rows, cols) = (self.likelihood.len(), impact_size.unwrap_or(0));
        if self.matrix.len() != rows {
            e.push(
                "matrix",
                format!(
                    "has {} rows; it needs one per likelihood level ({rows})",
                    self.matrix.len()
                ),
            );
        } else {
            for (r, row) in self.matrix.iter().enumerate() {
                if row.len() != cols {
                    e.push(
                        format!("matrix[{}]", r + 1),
                        format!(
                            "has {} cells; it needs one per impact level ({cols})",
                            row.len()
                        ),
                    );
                    continue;
                }
                for (c, cell) in row.iter().enumerate() {
                    let left = c.checked_sub(1).and_then(|p| row.get(p));
                    let above = r
                        .checked_sub(1)
                        .and_then(|p| self.matrix.get(p))
                        .and_then(|p| p.get(c));
                    if left.is_some_and(|l| l > cell) || above.is_some_and(|a| a > cell) {
                        e.push(
                            format!("matrix[{}][{}]", r + 1, c + 1),
                            "is lower than a cell of lower likelihood or impact; levels may not fall as either grows",
                        );
                    }
                }
            }
        }
        for role in self.acceptance.keys() {
            if !matches!(role, Role::Admin | Role::GovernanceLead | Role::RiskOwner) {
                e.push(
                    format!("acceptance.{role}"),
                    "only admin, governance_lead and risk_owner may accept risks",
                );
            }
        }
        for level in RiskLevel::ALL {
            match self.review_days.get(level) {
                None => e.push(format!("review_days.{level}"), "is required"),
                Some(d) if !(1..=MAX_REVIEW_DAYS).contains(d) => e.push(
                    format!("review_days.{level}"),
                    format!("must be between 1 and {MAX_REVIEW_DAYS} days"),
                ),
                Some(_) => {}
            }
        }
        e.into_result(|| self)
    }
}

fn check_scale(e: &mut ValidationErrors, field: &str, scale: &mut [ScaleLevel]) {
    if !(MIN_LEVELS..=MAX_LEVELS).contains(&scale.len()) {
        e.push(
            field,
            format!(
                "has {} levels; a scale has between {MIN_LEVELS} and {MAX_LEVELS}",
                scale.len()
            ),
        );
    }
    for (i, level) in scale.iter_mut().enumerate() {
        let f = format!("{field}[{}]", i + 1);
        if let Some(l) = e.take(text::required(&format!("{f}.label"), Some(&level.label))) {
            level.label = l;
        }
        if let Some(d) = e.take(text::required_long(
            &format!("{f}.definition"),
            Some(&level.definition),
        )) {
            level.definition = d;
        }
        if let Some(g) = e.take(text::optional(
            &format!("{f}.guidance"),
            level.guidance.as_deref(),
            text::LONG,
        )) {
            level.guidance = g;
        }
    }
}

/// Yearly frequencies, where given, are finite, not negative, and rise with the level.
fn check_frequencies(e: &mut ValidationErrors, scale: &[ScaleLevel]) {
    let mut last: Option<f64> = None;
    for (i, level) in scale.iter().enumerate() {
        let Some(f) = level.per_year else { continue };
        let field = format!("likelihood[{}].per_year", i + 1);
        if !f.is_finite() || f < 0.0 {
            e.push(field, "must be a number of incidents a year, 0 or more");
        } else if last.is_some_and(|l| f <= l) {
            e.push(
                field,
                "must be higher than the yearly frequency of the level below",
            );
        } else {
            last = Some(f);
        }
    }
}

fn lvl(label: &str, definition: &str, guidance: Option<&str>) -> ScaleLevel {
    ScaleLevel {
        label: label.into(),
        definition: definition.into(),
        guidance: guidance.map(Into::into),
        per_year: None,
    }
}

/// A likelihood level with the yearly frequency from which it applies.
fn freq(label: &str, definition: &str, guidance: &str, per_year: f64) -> ScaleLevel {
    ScaleLevel {
        per_year: Some(per_year),
        ..lvl(label, definition, Some(guidance))
    }
}

/// The level of cell `l x i` of the default 5x5 matrix, from the product of the two.
fn default_cell(l: usize, i: usize) -> RiskLevel {
    match l * i {
        0..=4 => RiskLevel::Low,
        5..=9 => RiskLevel::Medium,
        10..=16 => RiskLevel::High,
        _ => RiskLevel::Critical,
    }
}

/// The method aims starts with: 5x5, the highest impact counts, appetite medium.
pub fn default_doc() -> MethodDoc {
    use ImpactDimension::*;
    let likelihood = vec![
        freq(
            "Rare",
            "Not expected to happen in the life of the system.",
            "Less than once in ten years",
            0.0,
        ),
        freq(
            "Unlikely",
            "Could happen but there is no sign it will.",
            "About once in three to ten years",
            0.1,
        ),
        freq(
            "Possible",
            "Might well happen; similar systems have seen it.",
            "About once in one to three years",
            0.33,
        ),
        freq(
            "Likely",
            "Expected to happen at some point.",
            "Several times a year",
            2.0,
        ),
        freq(
            "Almost certain",
            "Happening already or expected soon and often.",
            "Monthly or more often",
            12.0,
        ),
    ];
    let individuals = vec![
        lvl("Negligible", "No noticeable effect on any person.", None),
        lvl(
            "Minor",
            "Short inconvenience to a few people, easily put right.",
            None,
        ),
        lvl(
            "Moderate",
            "Real harm to some people (money, access, privacy) that can be remedied.",
            None,
        ),
        lvl(
            "Major",
            "Serious or lasting harm to people or to a vulnerable group.",
            None,
        ),
        lvl(
            "Severe",
            "Irreversible harm to life, health, liberty or fundamental rights.",
            None,
        ),
    ];
    let organisation = vec![
        lvl("Negligible", "Absorbed in daily work.", None),
        lvl("Minor", "Small cost or local embarrassment.", None),
        lvl(
            "Moderate",
            "Noticeable cost, complaints or a regulator's question.",
            None,
        ),
        lvl(
            "Major",
            "Large loss, sanctions or national press coverage.",
            None,
        ),
        lvl(
            "Severe",
            "Threatens the licence to operate or the organisation's survival.",
            None,
        ),
    ];
    let society = vec![
        lvl(
            "Negligible",
            "No effect beyond the people directly involved.",
            None,
        ),
        lvl("Minor", "A small effect on a local community.", None),
        lvl(
            "Moderate",
            "Erodes trust or fairness in a market or region.",
            None,
        ),
        lvl(
            "Major",
            "Widespread effect on groups, institutions or the environment.",
            None,
        ),
        lvl(
            "Severe",
            "Lasting damage to democratic, social or environmental systems.",
            None,
        ),
    ];
    MethodDoc {
        name: "Default 5x5 method".into(),
        likelihood,
        impact: BTreeMap::from([
            (IndividualsOrGroups, individuals),
            (Organisation, organisation),
            (Society, society),
        ]),
        combination: Combination::Highest,
        weights: BTreeMap::new(),
        matrix: (1..=5)
            .map(|l| (1..=5).map(|i| default_cell(l, i)).collect())
            .collect(),
        appetite: RiskLevel::Medium,
        acceptance: BTreeMap::from([
            (Role::RiskOwner, RiskLevel::Medium),
            (Role::GovernanceLead, RiskLevel::High),
            (Role::Admin, RiskLevel::Critical),
        ]),
        review_days: BTreeMap::from([
            (RiskLevel::Low, 365),
            (RiskLevel::Medium, 180),
            (RiskLevel::High, 90),
            (RiskLevel::Critical, 30),
        ]),
    }
}

/// A small method of `n` levels on every scale, for tests and small organisations: the level of
/// a cell is the sum of likelihood and impact, spread over low to critical.
pub fn square_doc(n: usize) -> MethodDoc {
    let scale = |what: &str| -> Vec<ScaleLevel> {
        (1..=n)
            .map(|v| {
                lvl(
                    &format!("{what} {v}"),
                    &format!("{what} level {v} of {n}."),
                    None,
                )
            })
            .collect()
    };
    let matrix = (1..=n)
        .map(|l| {
            (1..=n)
                .map(|i| {
                    // 2..=2n mapped onto the four levels.
                    let s = (l + i - 2) * 4 / (2 * n - 1);
                    RiskLevel::ALL
                        .get(s)
                        .copied()
                        .unwrap_or(RiskLevel::Critical)
                })
                .collect()
        })
        .collect();
    MethodDoc {
        name: format!("{n}x{n} method"),
        likelihood: scale("Likelihood"),
        impact: ImpactDimension::ALL
            .iter()
            .map(|d| (*d, scale("Impact")))
            .collect(),
        matrix,
        ..default_doc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<MethodDoc, ValidationErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_default_is_valid_and_5x5() {
        let d = default_doc().validate().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((d.likelihood_levels(), d.impact_levels()), (5, 5));
        assert_eq!(d.level(1, 1), Some(RiskLevel::Low));
        assert_eq!(d.level(6, 1), None);
        assert_eq!(d.level(0, 1), None);
    }

    #[test]
    fn square_methods_of_3_and_4_are_valid() {
        for n in [3, 4] {
            let d = square_doc(n).validate().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((d.likelihood_levels(), d.impact_levels()), (n, n));
            assert_eq!(d.level(1, 1), Some(RiskLevel::Low));
            assert_eq!(d.level(n as i64, n as i64), Some(RiskLevel::Critical));
        }
    }

    #[test]
    fn bad_methods_name_their_fields() {
        let mut d = default_doc();
        d.matrix[2][2] = RiskLevel::Low;
        d.review_days.remove(&RiskLevel::High);
        d.acceptance.insert(Role::Viewer, RiskLevel::Low);
        d.likelihood.truncate(1);
        let f = fields(d.validate());
        assert!(f.contains(&"likelihood".to_string()), "{f:?}");
        assert!(f.contains(&"matrix".to_string()), "{f:?}");
        assert!(f.contains(&"acceptance.viewer".to_string()), "{f:?}");
        assert!(f.contains(&"review_days.high".to_string()), "{f:?}");

        let mut d = default_doc();
        d.matrix[2][2] = RiskLevel::Low;
        assert_eq!(fields(d.validate()), vec!["matrix[3][3]"]);

        let mut d = default_doc();
        d.combination = Combination::Weighted;
        assert_eq!(fields(d.validate()), vec!["weights"]);

        let mut d = default_doc();
        if let Some(s) = d.impact.get_mut(&ImpactDimension::Society) {
            s.pop();
        }
        assert_eq!(fields(d.validate()), vec!["impact.society"]);
    }
}
