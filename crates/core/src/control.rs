//! The organisation's controls (ISO/IEC 42001 6.1.3, Annex A): what they are, their state, and
//! the requirements and AI systems they are linked to.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::text;
use crate::time;

crate::vocabulary!(
    /// Where a control stands.
    ControlStatus {
        Planned => ("planned", "Planned"),
        InProgress => ("in_progress", "In progress"),
        Implemented => ("implemented", "Implemented"),
        NotApplicable => ("not_applicable", "Not applicable"),
    }
);

crate::vocabulary!(
    /// How well a control works, as last assessed.
    Effectiveness {
        NotAssessed => ("not_assessed", "Not assessed"),
        Effective => ("effective", "Effective"),
        PartiallyEffective => ("partially_effective", "Partially effective"),
        Ineffective => ("ineffective", "Ineffective"),
    }
);

/// A control as recorded, with its links; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Control {
    pub key: String,
    #[serde(flatten)]
    pub fields: ControlFields,
    /// Requirement references it meets (`ISO42001:A.6.2.4`), sorted.
    pub requirements: BTreeSet<String>,
    /// Keys of the AI systems it covers, sorted.
    pub systems: BTreeSet<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What people fill in about a control, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlFields {
    pub name: String,
    pub description: String,
    /// Username of the accountable owner.
    pub owner: String,
    pub status: ControlStatus,
    pub implementation_date: Option<String>,
    pub effectiveness: Effectiveness,
    pub review_date: Option<String>,
}

/// A control as typed into a form, the API or the CLI: every field optional, so that a patch
/// and a new control share one shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub owner: Option<String>,
    /// planned (default), in_progress, implemented, not_applicable.
    pub status: Option<String>,
    /// YYYY-MM-DD; required when the status is implemented. Empty clears it.
    pub implementation_date: Option<String>,
    /// not_assessed (default), effective, partially_effective, ineffective.
    pub effectiveness: Option<String>,
    /// YYYY-MM-DD; empty clears it.
    pub review_date: Option<String>,
}

/// The requirements and AI systems a control is linked to. A list that is absent stays as it is;
/// a list that is given replaces the current one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinksInput {
    /// Requirement references, `FRAMEWORK:ID` (`ISO42001:A.6.2.4`).
    pub requirements: Option<Vec<String>>,
    /// AI system keys (`SYS-3`).
    pub systems: Option<Vec<String>>,
}

impl ControlInput {
    /// Validates this input over `base` (absent fields keep their value), or as new when `None`.
    pub fn validate(
        &self,
        base: Option<&ControlFields>,
    ) -> Result<ControlFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.take(text::required(
            "name",
            self.name.as_deref().or(base.map(|b| b.name.as_str())),
        ));
        let description = e.take(text::required_long(
            "description",
            self.description
                .as_deref()
                .or(base.map(|b| b.description.as_str())),
        ));
        let owner = e.take(text::required(
            "owner",
            self.owner.as_deref().or(base.map(|b| b.owner.as_str())),
        ));
        let status = match self.status.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(ControlStatus::parse("status", w)),
            _ => Some(base.map_or(ControlStatus::Planned, |b| b.status)),
        };
        let effectiveness = match self.effectiveness.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(Effectiveness::parse("effectiveness", w)),
            _ => Some(base.map_or(Effectiveness::NotAssessed, |b| b.effectiveness)),
        };
        let implementation_date = e.take(
            time::date(
                "implementation_date",
                self.implementation_date
                    .as_deref()
                    .or(base.and_then(|b| b.implementation_date.as_deref())),
            )
            .map(|d| d.map(|d| d.to_string())),
        );
        let review_date = e.take(
            time::date(
                "review_date",
                self.review_date
                    .as_deref()
                    .or(base.and_then(|b| b.review_date.as_deref())),
            )
            .map(|d| d.map(|d| d.to_string())),
        );
        if let (Some(ControlStatus::Implemented), Some(None)) = (status, &implementation_date) {
            e.push(
                "implementation_date",
                "is required when the status is 'implemented'",
            );
        }
        match (
            name,
            description,
            owner,
            status,
            implementation_date,
            effectiveness,
            review_date,
        ) {
            (
                Some(name),
                Some(description),
                Some(owner),
                Some(status),
                Some(implementation_date),
                Some(effectiveness),
                Some(review_date),
            ) if e.is_empty() => Ok(ControlFields {
                name,
                description,
                owner,
                status,
                implementation_date,
                effectiveness,
                review_date,
            }),
            _ => Err(e),
        }
    }
}

/// A requirement reference as typed (`iso42001 : A.6.2.4`), split into its framework (upper
/// case) and the framework's own ID. Whether both exist is for the catalog to say.
pub fn requirement_ref(field: &str, text: &str) -> Result<(String, String), FieldError> {
    let t = text.trim();
    match t.split_once(':') {
        Some((framework, id)) if !framework.trim().is_empty() && !id.trim().is_empty() => {
            Ok((framework.trim().to_ascii_uppercase(), id.trim().to_owned()))
        }
        _ => Err(FieldError::new(
            field,
            format!("'{t}' is not a requirement reference (expected FRAMEWORK:ID, e.g. ISO42001:A.6.2.4)"),
        )),
    }
}

/// The form a requirement reference is stored in.
pub fn format_requirement(framework: &str, id: &str) -> String {
    format!("{framework}:{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ControlInput {
        ControlInput {
            name: Some("Impact assessment procedure".into()),
            description: Some("How impact assessments are run".into()),
            owner: Some("alice".into()),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_apply_to_a_new_control() {
        let c = input().validate(None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (c.status, c.effectiveness),
            (ControlStatus::Planned, Effectiveness::NotAssessed)
        );
    }

    #[test]
    fn implemented_needs_a_date() {
        let bad = ControlInput {
            status: Some("implemented".into()),
            review_date: Some("2027-02-30".into()),
            ..input()
        };
        let fields: Vec<String> = bad
            .validate(None)
            .err()
            .map(|e| e.0)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, vec!["review_date", "implementation_date"]);
        let good = ControlInput {
            status: Some("implemented".into()),
            implementation_date: Some("2026-01-15".into()),
            ..input()
        };
        assert!(good.validate(None).is_ok());
    }

    #[test]
    fn patch_keeps_absent_fields() {
        let base = input().validate(None).unwrap_or_else(|e| panic!("{e}"));
        let patch = ControlInput {
            effectiveness: Some("effective".into()),
            ..Default::default()
        };
        let c = patch
            .validate(Some(&base))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.effectiveness, Effectiveness::Effective);
        assert_eq!(c.name, base.name);
    }

    #[test]
    fn requirement_references_are_normalised() {
        assert_eq!(
            requirement_ref("requirements[0]", " iso42001 : A.6.2.4 "),
            Ok(("ISO42001".into(), "A.6.2.4".into()))
        );
        assert!(requirement_ref("requirements[0]", "A.6.2.4").is_err());
        assert!(requirement_ref("requirements[0]", "ISO42001:").is_err());
    }
}
