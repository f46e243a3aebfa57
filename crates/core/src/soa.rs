//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): one line per Annex A control, whether
//! it applies and why, and its implementation status derived from the organisation's controls.

use serde::{Deserialize, Serialize};

use crate::control::ControlStatus;
use crate::error::ValidationErrors;
use crate::text;

crate::vocabulary!(
    /// The implementation status of an Annex A control, derived from the linked controls.
    SoaStatus {
        NotImplemented => ("not_implemented", "Not implemented"),
        Planned => ("planned", "Planned"),
        PartiallyImplemented => ("partially_implemented", "Partially implemented"),
        Implemented => ("implemented", "Implemented"),
        Excluded => ("excluded", "Excluded"),
    }
);

/// The status derived from the statuses of the controls linked to one Annex A control: none
/// linked is not implemented; all implemented (ignoring not applicable ones) is implemented;
/// any implemented or in progress is partially implemented; otherwise planned.
pub fn derive_status(linked: &[ControlStatus]) -> SoaStatus {
    let counted: Vec<ControlStatus> = linked
        .iter()
        .copied()
        .filter(|s| *s != ControlStatus::NotApplicable)
        .collect();
    if linked.is_empty() {
        SoaStatus::NotImplemented
    } else if !counted.is_empty() && counted.iter().all(|s| *s == ControlStatus::Implemented) {
        SoaStatus::Implemented
    } else if counted
        .iter()
        .any(|s| matches!(s, ControlStatus::Implemented | ControlStatus::InProgress))
    {
        SoaStatus::PartiallyImplemented
    } else {
        SoaStatus::Planned
    }
}

/// The status shown on a line: excluded when not applicable, else derived.
pub fn line_status(applicable: Option<bool>, linked: &[ControlStatus]) -> SoaStatus {
    match applicable {
        Some(false) => SoaStatus::Excluded,
        _ => derive_status(linked),
    }
}

/// A decision as recorded, and the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaEntry {
    /// The Annex A control ID (`A.6.2.4`).
    pub control_id: String,
    pub applicable: bool,
    pub justification: String,
    pub updated_at: String,
}

/// One line of the Statement of Applicability as shown and exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SoaLine {
    /// The Annex A control ID (`A.6.2.4`).
    pub control_id: String,
    pub title: String,
    /// `None` while not yet decided.
    pub applicable: Option<bool>,
    pub justification: Option<String>,
    /// not_implemented, planned, partially_implemented, implemented or excluded.
    #[schema(value_type = String)]
    pub status: SoaStatus,
    /// Keys of the organisation's controls linked to it.
    pub controls: Vec<String>,
    /// Evidence items (none are recorded yet).
    pub evidence_count: i64,
}

/// A recorded version of the whole statement, approved like a controlled document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SoaVersion {
    /// `SOA-n`.
    pub key: String,
    pub version: i64,
    pub lines: Vec<SoaLine>,
    pub created_by: String,
    pub created_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
}

/// A decision as typed into a form, the API or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SoaEntryInput {
    /// Whether the Annex A control applies.
    pub applicable: Option<bool>,
    /// Why it is included or excluded; required either way.
    pub justification: Option<String>,
}

impl SoaEntryInput {
    /// The decision and its justification, both required.
    pub fn validate(&self) -> Result<(bool, String), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.applicable.is_none() {
            e.push("applicable", "is required (yes or no)");
        }
        let justification = e.take(text::required_long(
            "justification",
            self.justification.as_deref(),
        ));
        match (self.applicable, justification) {
            (Some(a), Some(j)) if e.is_empty() => Ok((a, j)),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ControlStatus::*;

    #[test]
    fn status_follows_the_linked_controls() {
        assert_eq!(derive_status(&[]), SoaStatus::NotImplemented);
        assert_eq!(
            derive_status(&[Implemented, NotApplicable]),
            SoaStatus::Implemented
        );
        assert_eq!(
            derive_status(&[Implemented, Planned]),
            SoaStatus::PartiallyImplemented
        );
        assert_eq!(
            derive_status(&[InProgress]),
            SoaStatus::PartiallyImplemented
        );
        assert_eq!(derive_status(&[Planned, Planned]), SoaStatus::Planned);
        assert_eq!(derive_status(&[NotApplicable]), SoaStatus::Planned);
        assert_eq!(
            line_status(Some(false), &[Implemented]),
            SoaStatus::Excluded
        );
        assert_eq!(line_status(None, &[Implemented]), SoaStatus::Implemented);
    }

    #[test]
    fn justification_is_required_both_ways() {
        for applicable in [true, false] {
            let bad = SoaEntryInput {
                applicable: Some(applicable),
                justification: Some("  ".into()),
            };
            let fields: Vec<String> = bad
                .validate()
                .err()
                .map(|e| e.0)
                .unwrap_or_default()
                .into_iter()
                .map(|f| f.field)
                .collect();
            assert_eq!(fields, vec!["justification"]);
        }
        let good = SoaEntryInput {
            applicable: Some(false),
            justification: Some("No third parties".into()),
        };
        assert_eq!(good.validate(), Ok((false, "No third parties".into())));
    }
}
