//! Scope of the AI management system (ISO/IEC 42001 4.3): versioned statements, which systems
//! they cover, and the difference between two versions.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::inventory::AiSystem;
use crate::keys::{normalise, Kind};
use crate::text;

crate::vocabulary!(
    /// How a scope statement selects the AI systems it covers.
    Coverage {
        All => ("all", "All AI systems"),
        Units => ("units", "The systems of the listed units"),
        Systems => ("systems", "An explicit list of systems"),
    }
);

/// Something left out of the scope, and why. `item` is a system key (`SYS-4`) or a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub item: String,
    #[serde(default)]
    pub justification: String,
}

/// The content of one scope version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeFields {
    pub statement: String,
    pub boundaries: Option<String>,
    pub units: Vec<String>,
    pub coverage: Coverage,
    /// The systems covered when `coverage` is `systems`.
    pub systems: Vec<String>,
    pub exclusions: Vec<Exclusion>,
}

/// A scope version as recorded; also its ledger state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScopeVersion {
    pub key: String,
    pub version: i64,
    #[serde(flatten)]
    pub fields: ScopeFields,
    pub created_by: String,
    pub created_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
}

impl ScopeVersion {
    pub fn is_approved(&self) -> bool {
        self.approved_at.is_some()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeInput {
    pub statement: Option<String>,
    pub boundaries: Option<String>,
    pub units: Option<Vec<String>>,
    pub coverage: Option<String>,
    pub systems: Option<Vec<String>>,
    pub exclusions: Option<Vec<Exclusion>>,
}

impl ScopeInput {
    /// Validates a new version. Referenced systems are checked by the service, which knows them.
    pub fn validate(&self) -> Result<ScopeFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let statement = e.take(text::required_long("statement", self.statement.as_deref()));
        let boundaries = e.take(text::optional(
            "boundaries",
            self.boundaries.as_deref(),
            text::LONG,
        ));
        let units = e.take(text::list(
            "units",
            self.units.as_deref().unwrap_or_default(),
        ));
        let coverage = match self.coverage.as_deref() {
            Some(w) if !w.trim().is_empty() => e.take(Coverage::parse("coverage", w)),
            _ => Some(Coverage::All),
        };
        let systems = e
            .take(text::list(
                "systems",
                self.systems.as_deref().unwrap_or_default(),
            ))
            .map(|v| v.iter().map(|k| normalise(k)).collect::<Vec<_>>());
        if let (Some(Coverage::Units), Some(units)) = (coverage, &units) {
            if units.is_empty() {
                e.push(
                    "units",
                    "must name at least one unit when coverage is 'units'",
                );
            }
        }
        if let (Some(Coverage::Systems), Some(systems)) = (coverage, &systems) {
            if systems.is_empty() {
                e.push(
                    "systems",
                    "must name at least one system when coverage is 'systems'",
                );
            }
        }
        let source = self.exclusions.as_deref().unwrap_or_default();
        if source.len() > text::MAX_ITEMS {
            e.push(
                "exclusions",
                format!("has more than {} entries", text::MAX_ITEMS),
            );
        }
        let mut exclusions: Vec<Exclusion> = Vec::with_capacity(source.len());
        for (i, x) in source.iter().enumerate() {
            let item = e.take(text::required(
                &format!("exclusions[{i}].item"),
                Some(&x.item),
            ));
            let justification = e.take(text::required_long(
                &format!("exclusions[{i}].justification"),
                Some(&x.justification),
            ));
            if let (Some(item), Some(justification)) = (item, justification) {
                let item = if Kind::of_key(&item) == Some(Kind::AiSystem) {
                    normalise(&item)
                } else {
                    item
                };
                if exclusions.iter().any(|x| x.item == item) {
                    e.push(
                        format!("exclusions[{i}].item"),
                        format!("'{item}' is excluded twice"),
                    );
                }
                exclusions.push(Exclusion {
                    item,
                    justification,
                });
            }
        }
        match (statement, boundaries, units, coverage, systems) {
            (Some(statement), Some(boundaries), Some(units), Some(coverage), Some(systems))
                if e.is_empty() =>
            {
                Ok(ScopeFields {
                    statement,
                    boundaries,
                    units,
                    coverage,
                    systems,
                    exclusions,
                })
            }
            _ => Err(e),
        }
    }
}

impl ScopeFields {
    /// The system keys this version names (in its list or its exclusions), for the service to check.
    pub fn referenced_systems(&self) -> Vec<(String, String)> {
        let listed = self
            .systems
            .iter()
            .enumerate()
            .map(|(i, k)| (format!("systems[{i}]"), k.clone()));
        let excluded = self
            .exclusions
            .iter()
            .enumerate()
            .filter(|(_, x)| Kind::of_key(&x.item) == Some(Kind::AiSystem))
            .map(|(i, x)| (format!("exclusions[{i}].item"), x.item.clone()));
        listed.chain(excluded).collect()
    }

    /// Whether `system` is inside this scope. Exclusions win over inclusion; retired systems are out.
    pub fn covers(&self, system: &AiSystem) -> bool {
        if system.status == crate::inventory::SystemStatus::Retired {
            return false;
        }
        if self.exclusions.iter().any(|x| x.item == system.key) {
            return false;
        }
        match self.coverage {
            Coverage::All => true,
            Coverage::Units => system
                .fields
                .business_unit
                .as_ref()
                .is_some_and(|u| self.units.contains(u)),
            Coverage::Systems => self.systems.contains(&system.key),
        }
    }

    /// The version as lines of text, the form in which two versions are compared.
    pub fn as_lines(&self) -> String {
        let mut out = format!("Statement:\n{}\n", self.statement);
        out.push_str(&format!(
            "Boundaries:\n{}\n",
            self.boundaries.as_deref().unwrap_or("(none)")
        ));
        out.push_str(&format!(
            "Units: {}\n",
            if self.units.is_empty() {
                "(none)".into()
            } else {
                self.units.join(", ")
            }
        ));
        out.push_str(&format!("Coverage: {}\n", self.coverage.label()));
        for s in &self.systems {
            out.push_str(&format!("System in scope: {s}\n"));
        }
        for x in &self.exclusions {
            out.push_str(&format!(
                "Excluded: {} (justification: {})\n",
                x.item, x.justification
            ));
        }
        out
    }
}

crate::vocabulary!(
    /// Whether a line of a diff is kept, added or removed.
    Change {
        Same => ("same", "Unchanged"),
        Added => ("added", "Added"),
        Removed => ("removed", "Removed"),
    }
);

/// One line of the difference between two scope versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

/// The line-by-line difference from `old` to `new`.
pub fn diff(old: &ScopeFields, new: &ScopeFields) -> Vec<DiffLine> {
    let (a, b) = (old.as_lines(), new.as_lines());
    similar::TextDiff::from_lines(&a, &b)
        .iter_all_changes()
        .map(|c| DiffLine {
            change: match c.tag() {
                similar::ChangeTag::Equal => Change::Same,
                similar::ChangeTag::Insert => Change::Added,
                similar::ChangeTag::Delete => Change::Removed,
            },
            text: c.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ScopeInput {
        ScopeInput {
            statement: Some("All AI systems of Acme".into()),
            ..Default::default()
        }
    }

    #[test]
    fn exclusion_needs_justification() {
        let bad = ScopeInput {
            exclusions: Some(vec![Exclusion {
                item: "SYS-3".into(),
                justification: " ".into(),
            }]),
            ..input()
        };
        let field = bad.validate().err().map(|e| e.0[0].field.clone());
        assert_eq!(field.as_deref(), Some("exclusions[0].justification"));
    }

    #[test]
    fn units_coverage_needs_units() {
        let bad = ScopeInput {
            coverage: Some("units".into()),
            ..input()
        };
        assert_eq!(
            bad.validate()
                .err()
                .map(|e| e.0[0].field.clone())
                .as_deref(),
            Some("units")
        );
    }

    #[test]
    fn diff_marks_changes() {
        let a = input().validate().unwrap_or_else(|e| panic!("{e}"));
        let b = ScopeInput {
            units: Some(vec!["Retail".into()]),
            ..input()
        }
        .validate()
        .unwrap_or_else(|e| panic!("{e}"));
        let d = diff(&a, &b);
        let changed: Vec<(Change, &str)> = d
            .iter()
            .filter(|l| l.change != Change::Same)
            .map(|l| (l.change, l.text.as_str()))
            .collect();
        assert_eq!(
            changed,
            vec![
                (Change::Removed, "Units: (none)"),
                (Change::Added, "Units: Retail")
            ]
        );
    }
}
