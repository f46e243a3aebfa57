//! The implementation journey: eight ordered steps from a first maturity assessment to briefing
//! leadership on the roadmap. Each step's status is derived from the records, never ticked by
//! hand. Also the leadership briefings (`BRF-n`) that steps 6 and 8 look for.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;
use crate::time;

crate::vocabulary!(
    /// Where a step of the journey stands.
    StepStatus {
        NotStarted => ("not_started", "Not started"),
        InProgress => ("in_progress", "In progress"),
        Done => ("done", "Done"),
    }
);

crate::vocabulary!(
    /// What a briefing was for.
    BriefingKind {
        BusinessCase => ("business_case", "Business case: the value of certification"),
        LeadershipBriefing => ("leadership_briefing", "Leadership briefing"),
    }
);

/// A briefing as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Briefing {
    /// `BRF-n`.
    pub key: String,
    #[serde(flatten)]
    pub fields: BriefingFields,
    pub created_by: String,
    pub created_at: String,
}

/// What people fill in about a briefing, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BriefingFields {
    /// business_case or leadership_briefing.
    #[schema(value_type = String)]
    pub kind: BriefingKind,
    /// YYYY-MM-DD, the day it was given.
    pub date: String,
    /// Who was briefed.
    pub audience: String,
    pub summary: String,
    /// What was decided, if anything.
    pub decisions: Option<String>,
}

/// A briefing as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefingInput {
    /// business_case or leadership_briefing.
    pub kind: Option<String>,
    /// YYYY-MM-DD; defaults to today.
    pub date: Option<String>,
    pub audience: Option<String>,
    pub summary: Option<String>,
    pub decisions: Option<String>,
}

impl BriefingInput {
    pub fn validate(&self, today: NaiveDate) -> Result<BriefingFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let kind = match self.kind.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(BriefingKind::parse("kind", w)),
            _ => {
                e.push("kind", "is required (business_case or leadership_briefing)");
                None
            }
        };
        let date = e
            .take(time::date("date", self.date.as_deref()))
            .map(|d| d.unwrap_or(today));
        if let Some(d) = date.filter(|d| *d > today) {
            e.push(
                "date",
                format!("{d} is in the future; record a briefing once it is given"),
            );
        }
        let audience = e.take(text::required("audience", self.audience.as_deref()));
        let summary = e.take(text::required_long("summary", self.summary.as_deref()));
        let decisions = e.take(text::optional(
            "decisions",
            self.decisions.as_deref(),
            text::LONG,
        ));
        match (kind, date, audience, summary, decisions) {
            (Some(kind), Some(date), Some(audience), Some(summary), Some(decisions))
                if e.is_empty() =>
            {
                Ok(BriefingFields {
                    kind,
                    date: date.to_string(),
                    audience,
                    summary,
                    decisions,
                })
            }
            _ => Err(e),
        }
    }
}

/// What the journey's statuses are derived from, gathered by the service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JourneyFacts {
    /// Maturity assessments recorded.
    pub maturity_assessments: i64,
    /// Scope versions recorded, and whether one is approved.
    pub scope_versions: i64,
    pub scope_approved: bool,
    /// The existing management systems whose implementation was imported (`ISO27001`,
    /// `ISO9001`), the items they record, and how many are implemented wholly or in part.
    pub existing_frameworks: Vec<String>,
    pub existing_recorded: i64,
    pub existing_implemented: i64,
    /// Annex A controls in the catalog, and how many have an SoA decision.
    pub annex_a_controls: i64,
    pub soa_decided: i64,
    /// Roadmap actions; those linked to a gap that are not cancelled, and how many are done.
    pub actions: i64,
    pub gap_actions: i64,
    pub gap_actions_done: i64,
    /// Business case briefings recorded.
    pub business_cases: i64,
    /// Certification bodies recorded, and the key of the selected one.
    pub cert_bodies: i64,
    pub cert_body_selected: Option<String>,
    /// The latest leadership briefing: its date and when it was recorded.
    pub last_leadership_briefing: Option<(String, String)>,
    /// When the roadmap last changed (the latest change of any action), a stored timestamp.
    pub roadmap_changed_at: Option<String>,
}

/// One step of the journey with its derived status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Step {
    /// 1 to 8.
    pub number: i64,
    /// A stable word (`maturity`, `scope`, ...).
    pub id: String,
    pub title: String,
    /// not_started, in_progress or done.
    #[schema(value_type = String)]
    pub status: StepStatus,
    /// Why it has this status, in one line.
    pub reason: String,
    /// The page where the step is worked on.
    pub href: String,
    /// The CLI command that works on it.
    pub command: String,
}

/// The steps: (id, title, page, command).
pub const STEPS: [(&str, &str, &str, &str); 8] = [
    (
        "maturity",
        "Assess maturity",
        "/maturity",
        "aims maturity assess",
    ),
    ("scope", "Define the scope", "/scope", "aims scope set"),
    (
        "integration",
        "Evaluate integration with existing management systems",
        "/coverage",
        "aims integration import ISO27001 register.csv",
    ),
    ("gaps", "Analyse the gaps", "/gaps", "aims gap report"),
    ("roadmap", "Plan the roadmap", "/roadmap", "aims roadmap"),
    (
        "business_case",
        "Make the case: the value of certification",
        "/journey#briefings-h",
        "aims briefing add --kind business_case",
    ),
    (
        "certification_bodies",
        "Choose a certification body",
        "/certification-bodies",
        "aims certbody list",
    ),
    (
        "leadership_briefing",
        "Brief leadership",
        "/journey#briefings-h",
        "aims briefing add --kind leadership_briefing",
    ),
];

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether a briefing given on `date` and recorded at `recorded` comes after a change at
/// `changed` (stored timestamps): a later day, or the same day and recorded after the change.
pub fn briefed_after(date: &str, recorded: &str, changed: &str) -> bool {
    let change_day = changed.get(..10).unwrap_or(changed);
    date > change_day || (date == change_day && recorded > changed)
}

/// The status and reason of each step, in order.
pub fn derive(f: &JourneyFacts) -> Vec<Step> {
    use StepStatus::*;
    let statuses: [(StepStatus, String); 8] = [
        // 1. Maturity.
        if f.maturity_assessments > 0 {
            (
                Done,
                format!(
                    "{} recorded",
                    plural(
                        f.maturity_assessments,
                        "maturity assessment",
                        "maturity assessments"
                    )
                ),
            )
        } else {
            (NotStarted, "no maturity assessment recorded".into())
        },
        // 2. Scope.
        if f.scope_approved {
            (Done, "a scope version is approved".into())
        } else if f.scope_versions > 0 {
            (
                InProgress,
                "a scope is drafted but no version is approved".into(),
            )
        } else {
            (NotStarted, "no scope version recorded".into())
        },
        // 3. Integration with existing management systems (ISO/IEC 27001, ISO 9001).
        if f.existing_frameworks.is_empty() {
            (
                NotStarted,
                "no existing ISO/IEC 27001 or ISO 9001 implementation imported".into(),
            )
        } else if f.existing_implemented > 0 {
            (
                Done,
                format!(
                    "{} imported: {} of {} implemented wholly or in part",
                    f.existing_frameworks.join(" and "),
                    f.existing_implemented,
                    plural(f.existing_recorded, "item", "items")
                ),
            )
        } else {
            (
                InProgress,
                format!(
                    "{} imported, but none of its {} is implemented yet",
                    f.existing_frameworks.join(" and "),
                    plural(f.existing_recorded, "item", "items")
                ),
            )
        },
        // 4. Gap analysis.
        {
            let all_decided = f.annex_a_controls > 0 && f.soa_decided >= f.annex_a_controls;
            let undecided = (f.annex_a_controls - f.soa_decided).max(0);
            if f.maturity_assessments > 0 && all_decided {
                (
                    Done,
                    "a maturity assessment exists and every Annex A control has an SoA decision"
                        .into(),
                )
            } else if f.maturity_assessments > 0 || f.soa_decided > 0 {
                let missing = if f.maturity_assessments == 0 {
                    "no maturity assessment yet".to_owned()
                } else {
                    format!(
                        "{} without an SoA decision",
                        plural(undecided, "Annex A control", "Annex A controls")
                    )
                };
                (InProgress, missing)
            } else {
                (
                    NotStarted,
                    "no maturity assessment and no SoA decision yet".into(),
                )
            }
        },
        // 5. Roadmap.
        if f.actions == 0 {
            (NotStarted, "no roadmap action recorded".into())
        } else if f.gap_actions > 0 && f.gap_actions_done == f.gap_actions {
            (
                Done,
                format!(
                    "every action linked to a gap is done ({})",
                    plural(f.gap_actions, "action", "actions")
                ),
            )
        } else if f.gap_actions == 0 {
            (
                InProgress,
                format!(
                    "{}, none linked to a gap yet",
                    plural(f.actions, "action", "actions")
                ),
            )
        } else {
            (
                InProgress,
                format!(
                    "actions linked to a gap done: {} of {}",
                    f.gap_actions_done, f.gap_actions
                ),
            )
        },
        // 6. Business case.
        if f.business_cases > 0 {
            (Done, "a business case briefing is recorded".into())
        } else {
            (NotStarted, "no business case briefing recorded".into())
        },
        // 7. Certification bodies.
        match (&f.cert_body_selected, f.cert_bodies) {
            (Some(key), _) => (Done, format!("{key} is selected")),
            (None, 0) => (NotStarted, "no certification body recorded".into()),
            (None, n) => (
                InProgress,
                format!(
                    "{} considered, none selected",
                    plural(n, "certification body", "certification bodies")
                ),
            ),
        },
        // 8. Leadership briefing.
        match (&f.last_leadership_briefing, &f.roadmap_changed_at) {
            (None, _) => (NotStarted, "no leadership briefing recorded".into()),
            (Some(_), None) => (
                InProgress,
                "leadership was briefed, but there is no roadmap to brief on yet".into(),
            ),
            (Some((date, recorded)), Some(changed)) => {
                if briefed_after(date, recorded, changed) {
                    (
                        Done,
                        format!(
                            "leadership was briefed on {date}, after the latest roadmap change"
                        ),
                    )
                } else {
                    (
                        InProgress,
                        format!(
                            "the roadmap changed on {} after the latest leadership briefing ({date})",
                            changed.get(..10).unwrap_or(changed)
                        ),
                    )
                }
            }
        },
    ];
    STEPS
        .iter()
        .zip(statuses)
        .zip(1i64..)
        .map(
            |(((id, title, href, command), (status, reason)), number)| Step {
                number,
                id: (*id).to_owned(),
                title: (*title).to_owned(),
                status,
                reason,
                href: (*href).to_owned(),
                command: (*command).to_owned(),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use StepStatus::*;

    fn statuses(f: &JourneyFacts) -> Vec<StepStatus> {
        derive(f).into_iter().map(|s| s.status).collect()
    }

    #[test]
    fn an_empty_organisation_has_started_nothing() {
        let steps = derive(&JourneyFacts::default());
        assert_eq!(steps.len(), 8);
        assert!(steps.iter().all(|s| s.status == NotStarted));
        let numbers: Vec<i64> = steps.iter().map(|s| s.number).collect();
        assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
    }

    #[test]
    fn each_rule_moves_its_step() {
        let mut f = JourneyFacts {
            annex_a_controls: 38,
            ..Default::default()
        };
        f.scope_versions = 1;
        f.soa_decided = 10;
        f.existing_frameworks = vec!["ISO27001".into()];
        f.existing_recorded = 2;
        f.actions = 3;
        f.cert_bodies = 2;
        f.last_leadership_briefing =
            Some(("2026-03-01".into(), "2026-03-01T10:00:00.000000Z".into()));
        assert_eq!(
            statuses(&f),
            vec![
                NotStarted, InProgress, InProgress, InProgress, InProgress, NotStarted, InProgress,
                InProgress
            ]
        );
        f.maturity_assessments = 1;
        f.scope_approved = true;
        f.existing_implemented = 1;
        f.soa_decided = 38;
        f.gap_actions = 2;
        f.gap_actions_done = 2;
        f.business_cases = 1;
        f.cert_body_selected = Some("CB-2".into());
        f.roadmap_changed_at = Some("2026-03-01T09:00:00.000000Z".into());
        assert_eq!(statuses(&f), vec![Done; 8]);
        let steps = derive(&f);
        assert_eq!(steps[6].reason, "CB-2 is selected");
        // A roadmap change after the briefing reopens step 8; gaps still open reopen step 5.
        f.roadmap_changed_at = Some("2026-03-01T11:00:00.000000Z".into());
        f.gap_actions_done = 1;
        let steps = derive(&f);
        assert_eq!(steps[7].status, InProgress);
        assert!(
            steps[7].reason.contains("changed on 2026-03-01"),
            "{}",
            steps[7].reason
        );
        assert_eq!(steps[4].status, InProgress);
        assert_eq!(steps[4].reason, "actions linked to a gap done: 1 of 2");
        // An assessment alone is not a gap analysis.
        f.soa_decided = 37;
        let steps = derive(&f);
        assert_eq!(steps[3].status, InProgress);
        assert_eq!(steps[3].reason, "1 Annex A control without an SoA decision");
    }

    #[test]
    fn briefings_after_a_change() {
        let changed = "2026-03-01T09:00:00.000000Z";
        assert!(briefed_after(
            "2026-03-02",
            "2026-03-02T08:00:00.000000Z",
            changed
        ));
        assert!(briefed_after(
            "2026-03-01",
            "2026-03-01T09:30:00.000000Z",
            changed
        ));
        assert!(!briefed_after(
            "2026-03-01",
            "2026-03-01T08:00:00.000000Z",
            changed
        ));
        assert!(!briefed_after(
            "2026-02-28",
            "2026-03-05T08:00:00.000000Z",
            changed
        ));
    }

    #[test]
    fn briefing_input_is_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let good = BriefingInput {
            kind: Some("business_case".into()),
            audience: Some("Board".into()),
            summary: Some("Why certify".into()),
            ..Default::default()
        };
        let b = good.validate(today).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (b.kind, b.date.as_str()),
            (BriefingKind::BusinessCase, "2026-03-01")
        );
        let bad = BriefingInput {
            kind: Some("memo".into()),
            date: Some("2026-04-01".into()),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .validate(today)
            .err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default();
        assert_eq!(fields, vec!["kind", "date", "audience", "summary"]);
    }
}
