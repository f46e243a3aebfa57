//! Nonconformities (`NC-n`, ISO/IEC 42001 10.2): a requirement not met, its immediate correction,
//! its root cause, and the corrective actions (roadmap actions `ACT-n`) whose effectiveness is
//! checked before they count as done.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::keys::Kind;
use crate::text;

crate::vocabulary!(
    /// Where the nonconformity was found.
    NcSource {
        Incident => ("incident", "Incident"),
        InternalAudit => ("internal_audit", "Internal audit"),
        ExternalAudit => ("external_audit", "External audit"),
        Monitoring => ("monitoring", "Monitoring"),
        ManagementReview => ("management_review", "Management review"),
        Other => ("other", "Other"),
    }
);

crate::vocabulary!(
    /// Where a nonconformity stands.
    NcStatus {
        Open => ("open", "Open"),
        ActionPlanned => ("action_planned", "Action planned"),
        Verifying => ("verifying", "Verifying"),
        Closed => ("closed", "Closed"),
    }
);

crate::vocabulary!(
    /// The outcome of an effectiveness check.
    CheckResult {
        Effective => ("effective", "Effective"),
        NotEffective => ("not_effective", "Not effective"),
    }
);

/// One effectiveness check of a corrective action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EffectivenessCheck {
    /// `ACT-n`.
    pub action: String,
    #[schema(value_type = String)]
    pub result: CheckResult,
    pub note: String,
    /// The day the check was made (YYYY-MM-DD).
    pub checked_at: String,
    /// Who recorded it.
    pub checked_by: String,
    pub recorded_at: String,
}

/// A nonconformity as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Nonconformity {
    /// `NC-n`.
    pub key: String,
    #[schema(value_type = String)]
    pub source: NcSource,
    /// The record it came from (`INC-n`), when there is one.
    pub source_ref: Option<String>,
    /// The requirement not met (`ISO42001:8.4`).
    pub requirement: Option<String>,
    pub description: String,
    /// The immediate fix.
    pub correction: Option<String>,
    pub root_cause: Option<String>,
    pub owner: String,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
    #[schema(value_type = String)]
    pub status: NcStatus,
    /// Corrective actions (`ACT-n`), in the order linked.
    pub actions: Vec<String>,
    pub checks: Vec<EffectivenessCheck>,
    pub created_at: String,
    pub updated_at: String,
}

impl Nonconformity {
    /// The last check of `action`, if any.
    pub fn last_check(&self, action: &str) -> Option<&EffectivenessCheck> {
        self.checks.iter().rev().find(|c| c.action == action)
    }

    /// Whether `action` passed its last effectiveness check.
    pub fn is_effective(&self, action: &str) -> bool {
        self.last_check(action)
            .is_some_and(|c| c.result == CheckResult::Effective)
    }

    /// Why the nonconformity may not close yet, if anything stops it.
    pub fn close_blocker(&self) -> Option<String> {
        if self.status == NcStatus::Closed {
            return Some(format!("{} is already closed", self.key));
        }
        if self.actions.is_empty() {
            return Some("no corrective action is linked; add one with `aims nc action`".into());
        }
        let pending: Vec<&str> = self
            .actions
            .iter()
            .filter(|a| !self.is_effective(a))
            .map(String::as_str)
            .collect();
        if pending.is_empty() {
            None
        } else {
            Some(format!(
                "every corrective action must pass an effectiveness check first; not yet effective: {}",
                pending.join(", ")
            ))
        }
    }
}

/// A nonconformity as typed: every field optional, so that a patch and a new one share one shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NcInput {
    /// incident, internal_audit, external_audit, monitoring, management_review, other.
    pub source: Option<String>,
    /// `INC-n` when the source is an incident; empty clears it.
    pub source_ref: Option<String>,
    /// `FRAMEWORK:ID` (`ISO42001:8.4`); empty clears it.
    pub requirement: Option<String>,
    pub description: Option<String>,
    pub correction: Option<String>,
    pub root_cause: Option<String>,
    pub owner: Option<String>,
    /// YYYY-MM-DD; empty clears it.
    pub due_date: Option<String>,
    /// open, action_planned or verifying (closing has its own call).
    pub status: Option<String>,
}

/// The fields of a nonconformity people set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcFields {
    pub source: NcSource,
    pub source_ref: Option<String>,
    pub requirement: Option<String>,
    pub description: String,
    pub correction: Option<String>,
    pub root_cause: Option<String>,
    pub owner: String,
    pub due_date: Option<String>,
    pub status: NcStatus,
}

fn opt_long(
    e: &mut ValidationErrors,
    field: &str,
    given: &Option<String>,
    base: Option<&Option<String>>,
) -> Option<String> {
    match (given, base) {
        (None, Some(b)) => b.clone(),
        (g, _) => e
            .take(text::optional(field, g.as_deref(), text::LONG))
            .flatten(),
    }
}

impl NcInput {
    /// Reads the input over `base` (none for a new nonconformity).
    pub fn read(&self, base: Option<&Nonconformity>) -> Result<NcFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let source = match (&self.source, base) {
            (None, Some(b)) => Some(b.source),
            (None, None) => {
                e.push("source", "is required");
                None
            }
            (Some(s), _) => e.take(NcSource::parse("source", s)),
        };
        let source_ref = match (&self.source_ref, base) {
            (None, Some(b)) => b.source_ref.clone(),
            (None, None) => None,
            (Some(r), _) if r.trim().is_empty() => None,
            (Some(r), _) => e.take(crate::incident::key_of("source_ref", Kind::Incident, r)),
        };
        if source_ref.is_some() && source.is_some_and(|s| s != NcSource::Incident) {
            e.push(
                "source_ref",
                "an incident reference needs the source 'incident'",
            );
        }
        let requirement = match (&self.requirement, base) {
            (None, Some(b)) => b.requirement.clone(),
            (None, None) => None,
            (Some(r), _) if r.trim().is_empty() => None,
            (Some(r), _) => e
                .take(crate::control::requirement_ref("requirement", r))
                .map(|(f, id)| crate::control::format_requirement(&f, &id)),
        };
        let description = match (&self.description, base) {
            (None, Some(b)) => Some(b.description.clone()),
            (d, _) => e.take(text::required_long("description", d.as_deref())),
        };
        let correction = opt_long(
            &mut e,
            "correction",
            &self.correction,
            base.map(|b| &b.correction),
        );
        let root_cause = opt_long(
            &mut e,
            "root_cause",
            &self.root_cause,
            base.map(|b| &b.root_cause),
        );
        let owner = match (&self.owner, base) {
            (None, Some(b)) => Some(b.owner.clone()),
            (o, _) => e.take(text::required("owner", o.as_deref())),
        };
        let due_date = match (&self.due_date, base) {
            (None, Some(b)) => b.due_date.clone(),
            (d, _) => e
                .take(crate::time::date("due_date", d.as_deref()))
                .flatten()
                .map(|d| d.to_string()),
        };
        let status = match (&self.status, base) {
            (None, Some(b)) => Some(b.status),
            (None, None) => Some(NcStatus::Open),
            (Some(s), _) => {
                match e.take(NcStatus::parse("status", s)) {
                    Some(NcStatus::Closed) if base.is_none_or(|b| b.status != NcStatus::Closed) => {
                        e.push("status", "a nonconformity closes through `nc close`, once its actions are verified");
                        None
                    }
                    other => other,
                }
            }
        };
        if !e.is_empty() {
            return Err(e);
        }
        match (source, description, owner, status) {
            (Some(source), Some(description), Some(owner), Some(status)) => Ok(NcFields {
                source,
                source_ref,
                requirement,
                description,
                correction,
                root_cause,
                owner,
                due_date,
                status,
            }),
            _ => Err(ValidationErrors::single("input", "incomplete")),
        }
    }
}

/// The result of a check as typed.
pub fn check_result(field: &str, text: &str) -> Result<CheckResult, FieldError> {
    CheckResult::parse(field, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nc(actions: &[&str], checks: &[(&str, CheckResult)]) -> Nonconformity {
        Nonconformity {
            key: "NC-1".into(),
            source: NcSource::InternalAudit,
            source_ref: None,
            requirement: None,
            description: "d".into(),
            correction: None,
            root_cause: None,
            owner: "root".into(),
            due_date: None,
            status: NcStatus::ActionPlanned,
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
            checks: checks
                .iter()
                .map(|(a, r)| EffectivenessCheck {
                    action: (*a).into(),
                    result: *r,
                    note: "n".into(),
                    checked_at: "2026-01-01".into(),
                    checked_by: "root".into(),
                    recorded_at: "2026-01-01T00:00:00.000000Z".into(),
                })
                .collect(),
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn closes_only_when_every_action_was_effective() {
        use CheckResult::*;
        assert!(nc(&[], &[]).close_blocker().is_some());
        let b = nc(&["ACT-1", "ACT-2"], &[("ACT-1", Effective)]).close_blocker();
        assert!(b.is_some_and(|b| b.ends_with("ACT-2")));
        let later_bad = nc(&["ACT-1"], &[("ACT-1", Effective), ("ACT-1", NotEffective)]);
        assert!(later_bad.close_blocker().is_some());
        let good = nc(&["ACT-1"], &[("ACT-1", NotEffective), ("ACT-1", Effective)]);
        assert_eq!(good.close_blocker(), None);
    }

    #[test]
    fn input_checks_references() {
        let input = NcInput {
            source: Some("internal_audit".into()),
            source_ref: Some("INC-2".into()),
            requirement: Some("nonsense".into()),
            description: Some("d".into()),
            owner: Some("root".into()),
            status: Some("closed".into()),
            ..Default::default()
        };
        let e = input.read(None).err().unwrap_or_default();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["source_ref", "requirement", "status"]);
    }
}
