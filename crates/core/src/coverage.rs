//! Coverage through a crosswalk: how far what an organisation has implemented in one framework
//! meets the requirements of another.
//!
//! Each link of a crosswalk says how a source item relates to a target item. Whether an
//! implemented source item can meet a target item *wholly* or only *in part* depends on that
//! relationship and on which way the crosswalk is read:
//!
//! | relationship of `from` to `to` | `from` implemented covers `to` | `to` implemented covers `from` |
//! |---|---|---|
//! | equivalent | wholly | wholly |
//! | superset (`from` is broader) | wholly | partly |
//! | subset (`from` is narrower) | partly | wholly |
//! | intersects | partly | partly |
//!
//! A requirement is then covered **wholly** when at least one implemented item linked to it can
//! cover it wholly; **partly** when some linked item is implemented or partially implemented;
//! **uncovered** when it has linked items but none of them is implemented even in part; and it has
//! **no counterpart** when nothing links to it. Several partial links are never added up to a whole:
//! that judgement stays with a person.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::soa::SoaStatus;

crate::vocabulary!(
    /// How far a requirement is met through a crosswalk.
    Coverage {
        Wholly => ("wholly", "Covered wholly"),
        Partly => ("partly", "Covered in part"),
        Uncovered => ("uncovered", "Not covered"),
        NoCounterpart => ("no_counterpart", "No counterpart"),
    }
);

crate::vocabulary!(
    /// Where an item of the covering framework stands.
    Implementation {
        Implemented => ("implemented", "Implemented"),
        Partial => ("partial", "Partially implemented"),
        NotImplemented => ("not_implemented", "Not implemented"),
        NotApplicable => ("not_applicable", "Not applicable"),
    }
);

impl Implementation {
    /// A status as organisations write it in their own registers: `implemented`, `yes`, `done`;
    /// `partial`, `in progress`; `not implemented`, `planned`, `no`; `not applicable`, `n/a`.
    /// Case, spaces, hyphens and underscores do not matter.
    pub fn read(field: &str, text: &str) -> Result<Implementation, FieldError> {
        let word: String = text
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| if c == '-' || c == '_' { ' ' } else { c })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let found = match word.as_str() {
            "implemented" | "yes" | "done" | "complete" | "completed" | "in place"
            | "effective" | "fully implemented" => Implementation::Implemented,
            "partial"
            | "partly"
            | "partially"
            | "partially implemented"
            | "in progress"
            | "partially effective" => Implementation::Partial,
            "not implemented" | "planned" | "no" | "not started" | "missing" | "gap" | "none" => {
                Implementation::NotImplemented
            }
            "not applicable" | "n/a" | "na" | "excluded" => Implementation::NotApplicable,
            _ => {
                return Err(FieldError::new(
                    field,
                    format!(
                        "unknown status '{}'; expected implemented, partial, not implemented or \
                         not applicable",
                        text.trim()
                    ),
                ))
            }
        };
        Ok(found)
    }
}

impl From<SoaStatus> for Implementation {
    fn from(s: SoaStatus) -> Implementation {
        match s {
            SoaStatus::Implemented => Implementation::Implemented,
            SoaStatus::PartiallyImplemented => Implementation::Partial,
            SoaStatus::Planned | SoaStatus::NotImplemented => Implementation::NotImplemented,
            SoaStatus::Excluded => Implementation::NotApplicable,
        }
    }
}

/// What one link can deliver when its covering item is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Whole,
    Part,
}

/// A crosswalk relationship as the four words of the catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    Equivalent,
    Subset,
    Superset,
    Intersects,
}

/// Which way a crosswalk is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The crosswalk's source items cover its target items.
    Forward,
    /// The crosswalk's target items cover its source items.
    Reverse,
}

/// The strength of a link read in `direction` (see the table in the module documentation).
pub fn strength(relation: Relation, direction: Direction) -> Strength {
    use {Direction::*, Relation::*};
    match (relation, direction) {
        (Equivalent, _) | (Superset, Forward) | (Subset, Reverse) => Strength::Whole,
        (Subset, Forward) | (Superset, Reverse) | (Intersects, _) => Strength::Part,
    }
}

/// The coverage of one requirement from its links: each link's strength and where its covering
/// item stands.
pub fn cover(links: &[(Strength, Implementation)]) -> Coverage {
    if links.is_empty() {
        return Coverage::NoCounterpart;
    }
    let whole = links
        .iter()
        .any(|(s, i)| *s == Strength::Whole && *i == Implementation::Implemented);
    let some = links
        .iter()
        .any(|(_, i)| matches!(i, Implementation::Implemented | Implementation::Partial));
    if whole {
        Coverage::Wholly
    } else if some {
        Coverage::Partly
    } else {
        Coverage::Uncovered
    }
}

/// Counts of a group of requirements by coverage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = CoverageTally)]
pub struct Tally {
    pub wholly: usize,
    pub partly: usize,
    pub uncovered: usize,
    pub no_counterpart: usize,
}

impl Tally {
    pub fn add(&mut self, c: Coverage) {
        match c {
            Coverage::Wholly => self.wholly += 1,
            Coverage::Partly => self.partly += 1,
            Coverage::Uncovered => self.uncovered += 1,
            Coverage::NoCounterpart => self.no_counterpart += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.wholly + self.partly + self.uncovered + self.no_counterpart
    }

    /// Share covered, counting a partly covered requirement as half, in whole percent.
    pub fn percent(&self) -> u32 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        let points = 2 * self.wholly + self.partly;
        ((points * 100) as f64 / (2 * total) as f64).round() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Implementation::*;
    use Strength::*;

    #[test]
    fn strengths_follow_the_table() {
        use Direction::*;
        use Relation::*;
        let expected = [
            (Equivalent, Whole, Whole),
            (Superset, Whole, Part),
            (Subset, Part, Whole),
            (Intersects, Part, Part),
        ];
        for (r, forward, reverse) in expected {
            assert_eq!(strength(r, Forward), forward, "{r:?}");
            assert_eq!(strength(r, Reverse), reverse, "{r:?}");
        }
    }

    #[test]
    fn coverage_needs_an_implemented_whole_link_to_be_whole() {
        assert_eq!(cover(&[]), Coverage::NoCounterpart);
        assert_eq!(cover(&[(Whole, Implemented)]), Coverage::Wholly);
        assert_eq!(cover(&[(Whole, Partial)]), Coverage::Partly);
        assert_eq!(cover(&[(Part, Implemented)]), Coverage::Partly);
        assert_eq!(
            cover(&[(Part, Implemented), (Part, Implemented)]),
            Coverage::Partly,
            "parts never add up to a whole"
        );
        assert_eq!(
            cover(&[(Whole, NotImplemented), (Part, NotApplicable)]),
            Coverage::Uncovered
        );
        assert_eq!(
            cover(&[(Part, NotImplemented), (Whole, Implemented)]),
            Coverage::Wholly
        );
    }

    #[test]
    fn statuses_are_read_as_people_write_them() {
        for (text, expected) in [
            ("Implemented", Implemented),
            (" YES ", Implemented),
            ("partially-implemented", Partial),
            ("In_Progress", Partial),
            ("planned", NotImplemented),
            ("Not  implemented", NotImplemented),
            ("N/A", NotApplicable),
        ] {
            assert_eq!(Implementation::read("status", text), Ok(expected), "{text}");
        }
        let e = Implementation::read("rows[3].status", "sort of").err();
        assert_eq!(e.map(|e| e.field), Some("rows[3].status".to_owned()));
    }

    #[test]
    fn percent_counts_partly_as_half() {
        let mut t = Tally::default();
        for c in [
            Coverage::Wholly,
            Coverage::Partly,
            Coverage::Uncovered,
            Coverage::NoCounterpart,
        ] {
            t.add(c);
        }
        assert_eq!(t.total(), 4);
        assert_eq!(t.percent(), 38, "(2 + 1) / 8 = 37.5%");
        assert_eq!(Tally::default().percent(), 0);
    }
}
