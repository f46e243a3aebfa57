//! Certification bodies (`CB-n`) the organisation considers for its ISO/IEC 42001 audit, and
//! where each stands in the choice. At most one is selected.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;

crate::vocabulary!(
    /// Where a certification body stands in the organisation's choice.
    CertBodyStatus {
        Candidate => ("candidate", "Candidate"),
        Shortlisted => ("shortlisted", "Shortlisted"),
        Selected => ("selected", "Selected"),
        Rejected => ("rejected", "Rejected"),
    }
);

/// A certification body as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CertBody {
    /// `CB-n`.
    pub key: String,
    #[serde(flatten)]
    pub fields: CertBodyFields,
    pub created_at: String,
    pub updated_at: String,
}

/// What people fill in about a certification body, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CertBodyFields {
    pub name: String,
    /// The accreditation body and scheme, as free text.
    pub accreditation: Option<String>,
    /// Industry sectors it audits.
    pub sectors: Vec<String>,
    /// Its experience with AI management systems, as free text.
    pub ai_experience: Option<String>,
    pub notes: Option<String>,
    /// candidate, shortlisted, selected or rejected.
    #[schema(value_type = String)]
    pub status: CertBodyStatus,
}

/// A certification body as typed; absent fields keep their value on update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertBodyInput {
    pub name: Option<String>,
    /// Empty clears it.
    pub accreditation: Option<String>,
    /// A given list replaces the current one.
    pub sectors: Option<Vec<String>>,
    /// Empty clears it.
    pub ai_experience: Option<String>,
    /// Empty clears it.
    pub notes: Option<String>,
    /// candidate (default), shortlisted, selected, rejected.
    pub status: Option<String>,
}

fn optional(
    e: &mut ValidationErrors,
    field: &str,
    given: Option<&str>,
    base: Option<&Option<String>>,
) -> Option<Option<String>> {
    match given {
        Some(v) => e.take(text::optional(field, Some(v), text::LONG)),
        None => Some(base.cloned().flatten()),
    }
}

impl CertBodyInput {
    /// Validates over `base` (absent fields keep their value), or as new when `None`.
    pub fn validate(
        &self,
        base: Option<&CertBodyFields>,
    ) -> Result<CertBodyFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.take(text::required(
            "name",
            self.name.as_deref().or(base.map(|b| b.name.as_str())),
        ));
        let accreditation = optional(
            &mut e,
            "accreditation",
            self.accreditation.as_deref(),
            base.map(|b| &b.accreditation),
        );
        let ai_experience = optional(
            &mut e,
            "ai_experience",
            self.ai_experience.as_deref(),
            base.map(|b| &b.ai_experience),
        );
        let notes = optional(
            &mut e,
            "notes",
            self.notes.as_deref(),
            base.map(|b| &b.notes),
        );
        let sectors = match &self.sectors {
            Some(list) => e.take(text::list("sectors", list)),
            None => Some(base.map(|b| b.sectors.clone()).unwrap_or_default()),
        };
        let status = match self.status.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(CertBodyStatus::parse("status", w)),
            _ => Some(base.map_or(CertBodyStatus::Candidate, |b| b.status)),
        };
        match (name, accreditation, sectors, ai_experience, notes, status) {
            (
                Some(name),
                Some(accreditation),
                Some(sectors),
                Some(ai_experience),
                Some(notes),
                Some(status),
            ) if e.is_empty() => Ok(CertBodyFields {
                name,
                accreditation,
                sectors,
                ai_experience,
                notes,
                status,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_body_is_a_candidate_and_patch_keeps_fields() {
        let new = CertBodyInput {
            name: Some(" Example Cert Ltd ".into()),
            sectors: Some(vec!["Finance".into(), " finance".into(), "Health".into()]),
            ..Default::default()
        };
        let b = new.validate(None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.name, "Example Cert Ltd");
        assert_eq!(b.status, CertBodyStatus::Candidate);
        assert_eq!(b.sectors, vec!["Finance", "finance", "Health"]);
        let patch = CertBodyInput {
            status: Some("shortlisted".into()),
            notes: Some("Good references".into()),
            ..Default::default()
        };
        let p = patch.validate(Some(&b)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.status, CertBodyStatus::Shortlisted);
        assert_eq!(p.sectors, b.sectors);
        let bad = CertBodyInput {
            name: Some(" ".into()),
            status: Some("chosen".into()),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .validate(None)
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, vec!["name", "status"]);
    }
}
