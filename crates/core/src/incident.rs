//! Incidents (`INC-n`, ISO/IEC 42001 10.1, A.8.4): what happened to which AI systems, how bad it
//! is, where it stands in its workflow, why it happened, and whether it is a serious incident
//! that must be reported to an authority within a deadline (EU AI Act Art. 73).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::keys::{normalise, Kind};
use crate::text;

crate::vocabulary!(
    /// How the incident came to light.
    IncidentSource {
        Monitoring => ("monitoring", "Monitoring"),
        UserReport => ("user_report", "User report"),
        Audit => ("audit", "Audit"),
        ExternalReport => ("external_report", "External report"),
    }
);

crate::vocabulary!(
    /// What kind of harm or failure it is.
    IncidentType {
        Performance => ("performance", "Performance"),
        BiasFairness => ("bias_fairness", "Bias or fairness"),
        Safety => ("safety", "Safety"),
        Security => ("security", "Security"),
        Privacy => ("privacy", "Privacy"),
        Misuse => ("misuse", "Misuse"),
        Transparency => ("transparency", "Transparency"),
        Other => ("other", "Other"),
    }
);

crate::vocabulary!(
    /// Where an incident stands in its workflow.
    IncidentStatus {
        Reported => ("reported", "Reported"),
        Triaged => ("triaged", "Triaged"),
        Investigating => ("investigating", "Investigating"),
        Contained => ("contained", "Contained"),
        Resolved => ("resolved", "Resolved"),
        Closed => ("closed", "Closed"),
    }
);

crate::vocabulary!(
    /// The family a root cause belongs to.
    CauseCategory {
        Data => ("data", "Data"),
        Model => ("model", "Model"),
        Process => ("process", "Process"),
        People => ("people", "People"),
        Technology => ("technology", "Technology"),
        ThirdParty => ("third_party", "Third party"),
        Other => ("other", "Other"),
    }
);

crate::vocabulary!(
    /// Why an incident counts as serious, which sets the reporting deadline.
    SeriousBasis {
        General => ("general", "Serious incident (general)"),
        Death => ("death", "A person died"),
        Widespread => ("widespread", "Widespread infringement or critical infrastructure disruption"),
    }
);

crate::vocabulary!(
    /// What a timeline entry records.
    TimelineKind {
        Reported => ("reported", "Reported"),
        Transition => ("transition", "Status change"),
        Note => ("note", "Note"),
        Breach => ("breach", "Monitoring breach"),
        Rca => ("rca", "Root cause analysis"),
        Link => ("link", "Links"),
        Serious => ("serious", "Serious incident"),
        Edit => ("edit", "Edit"),
    }
);

impl IncidentStatus {
    /// Neither resolved nor closed: still being worked on.
    pub fn is_open(self) -> bool {
        !matches!(self, IncidentStatus::Resolved | IncidentStatus::Closed)
    }

    /// The next state of the ordinary workflow.
    pub fn next(self) -> Option<IncidentStatus> {
        let i = Self::ALL.iter().position(|s| *s == self)?;
        Self::ALL.get(i + 1).copied()
    }
}

impl SeriousBasis {
    /// Days from awareness (detection) to the report to the authority.
    pub fn days(self) -> u64 {
        match self {
            SeriousBasis::General => 15,
            SeriousBasis::Death => 10,
            SeriousBasis::Widespread => 2,
        }
    }

    /// What the basis covers, in our words.
    pub fn definition(self) -> &'static str {
        match self {
            SeriousBasis::General => {
                "The AI system's failure or malfunction led, or may have led, to serious harm to a person's health, to serious damage to property or the environment, or to a breach of obligations protecting fundamental rights. Report within 15 days of becoming aware."
            }
            SeriousBasis::Death => {
                "The incident caused, or may have caused, a person's death. Report within 10 days of becoming aware."
            }
            SeriousBasis::Widespread => {
                "The incident infringes rights on a wide scale across many people or places, or seriously disrupts the running of critical infrastructure. Report within 2 days of becoming aware."
            }
        }
    }
}

/// Severity 1 is the most severe, 4 the least.
pub const SEVERITIES: [(i64, &str, &str); 4] = [
    (
        1,
        "Critical",
        "People are harmed or their rights infringed now, or a core service is down; act at once.",
    ),
    (
        2,
        "High",
        "Harm is likely or a key quality (accuracy, fairness, safety) is clearly below its threshold; act today.",
    ),
    (
        3,
        "Medium",
        "A limited or contained deviation with no harm seen yet; act within the week.",
    ),
    (
        4,
        "Low",
        "A minor issue or near miss worth recording and learning from.",
    ),
];

/// The name of a severity (`1` is `Critical`).
pub fn severity_label(severity: i64) -> &'static str {
    SEVERITIES
        .iter()
        .find(|(n, _, _)| *n == severity)
        .map_or("Unknown", |(_, l, _)| l)
}

impl IncidentType {
    /// What the type covers, in our words.
    pub fn definition(self) -> &'static str {
        match self {
            IncidentType::Performance => {
                "Accuracy, error rates, latency or availability worse than expected or agreed."
            }
            IncidentType::BiasFairness => "Outcomes differ unfairly between groups of people.",
            IncidentType::Safety => {
                "The system's behaviour put people's health or physical safety at risk."
            }
            IncidentType::Security => {
                "An attack on or a weakness of the system, its model or its data."
            }
            IncidentType::Privacy => {
                "Personal data used, exposed or inferred beyond what was allowed."
            }
            IncidentType::Misuse => {
                "The system was used for a purpose it was not meant or allowed for."
            }
            IncidentType::Transparency => {
                "People were not told, or told wrongly, that or how AI was involved."
            }
            IncidentType::Other => "Anything that fits none of the other types.",
        }
    }
}

/// One line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    pub at: String,
    pub author: String,
    #[schema(value_type = String)]
    pub kind: TimelineKind,
    pub text: String,
}

/// The root cause analysis: up to five successive "why" answers and the cause's family.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RootCause {
    pub whys: Vec<String>,
    #[schema(value_type = Option<String>)]
    pub category: Option<CauseCategory>,
}

/// Most "why" answers of a root cause analysis.
pub const MAX_WHYS: usize = 5;

impl RootCause {
    /// At least one why and a category: what resolving requires.
    pub fn is_complete(&self) -> bool {
        !self.whys.is_empty() && self.category.is_some()
    }
}

/// The serious-incident classification of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Serious {
    #[schema(value_type = String)]
    pub basis: SeriousBasis,
    /// When the authority was told (stops the clock).
    pub reported_to_authority_at: Option<String>,
}

/// The monitoring metric an incident was opened for (one open incident per system and metric).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MonitorRef {
    pub system: String,
    pub metric: String,
}

/// An incident as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Incident {
    /// `INC-n`.
    pub key: String,
    pub title: String,
    pub description: String,
    #[schema(value_type = String)]
    pub source: IncidentSource,
    #[schema(value_type = String)]
    pub incident_type: IncidentType,
    /// 1 (critical) to 4 (low).
    pub severity: i64,
    /// Affected AI systems (`SYS-n`), at least one.
    pub systems: Vec<String>,
    pub occurred_at: String,
    /// When the organisation became aware (starts the serious-incident clock).
    pub detected_at: String,
    pub owner: String,
    #[schema(value_type = String)]
    pub status: IncidentStatus,
    pub serious: Option<Serious>,
    pub root_cause: RootCause,
    pub lessons_learned: Option<String>,
    pub risks: Vec<String>,
    pub controls: Vec<String>,
    pub monitor: Option<MonitorRef>,
    pub timeline: Vec<TimelineEntry>,
    pub created_at: String,
    pub updated_at: String,
}

/// Where the reporting clock of a serious incident stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Countdown {
    #[schema(value_type = String)]
    pub basis: SeriousBasis,
    /// Days the basis allows.
    pub days: u64,
    /// The detection date plus those days (YYYY-MM-DD).
    pub deadline: String,
    /// `due`, `overdue` or `reported`.
    pub state: String,
    /// Days until the deadline; negative when overdue; none once reported.
    pub days_left: Option<i64>,
    /// The countdown in words: `3 days left`, `due today`, `overdue by 2 days`, `reported ...`.
    pub text: String,
}

/// The reporting deadline of a serious incident detected at `detected_at` (a stored instant or
/// a date): the detection date plus the basis's days.
pub fn deadline(detected_at: &str, basis: SeriousBasis) -> Option<NaiveDate> {
    let day = NaiveDate::parse_from_str(detected_at.get(..10)?, "%Y-%m-%d").ok()?;
    day.checked_add_days(Days::new(basis.days()))
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        "day"
    } else {
        "days"
    }
}

impl Incident {
    /// The countdown of a serious incident on `today`; none for others.
    pub fn countdown(&self, today: NaiveDate) -> Option<Countdown> {
        let s = self.serious.as_ref()?;
        let due = deadline(&self.detected_at, s.basis)?;
        let (state, days_left, text) = match &s.reported_to_authority_at {
            Some(at) => ("reported", None, format!("reported to the authority {at}")),
            None => {
                let left = (due - today).num_days();
                let text = match left {
                    0 => "due today".to_owned(),
                    l if l > 0 => format!("{l} {} left", plural(l)),
                    l => format!("overdue by {} {}", -l, plural(-l)),
                };
                let state = if left < 0 { "overdue" } else { "due" };
                (state, Some(left), text)
            }
        };
        Some(Countdown {
            basis: s.basis,
            days: s.basis.days(),
            deadline: due.to_string(),
            state: state.into(),
            days_left,
            text,
        })
    }

    /// The incident with its countdown, as the API and CLI show it.
    pub fn view(self, today: NaiveDate) -> IncidentView {
        IncidentView {
            countdown: self.countdown(today),
            severity_label: severity_label(self.severity).into(),
            incident: self,
        }
    }
}

/// An incident with what is derived from it on the day it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct IncidentView {
    #[serde(flatten)]
    pub incident: Incident,
    pub severity_label: String,
    pub countdown: Option<Countdown>,
}

/// An incident as typed into a form, the API or the CLI: every field optional, so that a patch
/// and a new incident share one shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    pub title: Option<String>,
    pub description: Option<String>,
    /// monitoring, user_report, audit, external_report.
    pub source: Option<String>,
    /// performance, bias_fairness, safety, security, privacy, misuse, transparency, other.
    pub incident_type: Option<String>,
    /// 1 (critical) to 4 (low).
    pub severity: Option<i64>,
    /// AI system keys; a given list replaces the current one.
    pub systems: Option<Vec<String>>,
    /// YYYY-MM-DD or an RFC 3339 instant.
    pub occurred_at: Option<String>,
    /// YYYY-MM-DD or an RFC 3339 instant; defaults to when the incident is recorded.
    pub detected_at: Option<String>,
    /// Username of the person in charge.
    pub owner: Option<String>,
    /// general, death or widespread marks a serious incident; empty clears it.
    pub serious_basis: Option<String>,
    /// When the authority was told (YYYY-MM-DD or an instant); empty clears it.
    pub reported_to_authority_at: Option<String>,
}

/// A date or instant as typed, in the stored form (RFC 3339, microseconds, `Z`).
pub fn instant(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if let Some(at) = crate::time::parse(v) {
        return Ok(crate::time::format(at));
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Ok(format!("{d}T00:00:00.000000Z")),
        Err(_) => Err(FieldError::new(
            field,
            format!("'{v}' is not a date or time (expected YYYY-MM-DD or RFC 3339)"),
        )),
    }
}

/// The severity as typed: 1 to 4.
pub fn severity(field: &str, value: i64) -> Result<i64, FieldError> {
    if (1..=4).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new(
            field,
            "must be 1 (critical), 2 (high), 3 (medium) or 4 (low)",
        ))
    }
}

/// A key of `kind` as typed, named by `field`.
pub fn key_of(field: &str, kind: Kind, value: &str) -> Result<String, FieldError> {
    let k = normalise(value);
    if Kind::of_key(&k) == Some(kind) {
        Ok(k)
    } else {
        Err(FieldError::new(
            field,
            format!(
                "'{}' is not a {} key (expected {}-n)",
                value.trim(),
                kind.name(),
                kind.prefix()
            ),
        ))
    }
}

/// The fields of an incident people set, read from an input over a base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentFields {
    pub title: String,
    pub description: String,
    pub source: IncidentSource,
    pub incident_type: IncidentType,
    pub severity: i64,
    pub systems: Vec<String>,
    pub occurred_at: String,
    pub detected_at: String,
    pub owner: String,
    pub serious: Option<Serious>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref()
}

impl IncidentInput {
    /// Reads the input over `base` (none for a new incident, then `now` is the default
    /// detection time). Every problem is reported at once.
    pub fn read(
        &self,
        base: Option<&Incident>,
        now: &str,
    ) -> Result<IncidentFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let title = match (&self.title, base) {
            (None, Some(b)) => Some(b.title.clone()),
            (t, _) => e.take(text::required("title", given(t))),
        };
        let description = match (&self.description, base) {
            (None, Some(b)) => Some(b.description.clone()),
            (d, _) => e.take(text::required_long("description", given(d))),
        };
        let source = match (&self.source, base) {
            (None, Some(b)) => Some(b.source),
            (None, None) => {
                e.push("source", "is required");
                None
            }
            (Some(s), _) => e.take(IncidentSource::parse("source", s)),
        };
        let incident_type = match (&self.incident_type, base) {
            (None, Some(b)) => Some(b.incident_type),
            (None, None) => {
                e.push("incident_type", "is required");
                None
            }
            (Some(s), _) => e.take(IncidentType::parse("incident_type", s)),
        };
        let severity_v = match (self.severity, base) {
            (None, Some(b)) => Some(b.severity),
            (None, None) => {
                e.push("severity", "is required");
                None
            }
            (Some(s), _) => e.take(severity("severity", s)),
        };
        let systems = match (&self.systems, base) {
            (None, Some(b)) => Some(b.systems.clone()),
            (given, _) => {
                let mut out: Vec<String> = Vec::new();
                for (i, s) in given.iter().flatten().enumerate() {
                    if s.trim().is_empty() {
                        continue;
                    }
                    if let Some(k) = e.take(key_of(&format!("systems[{i}]"), Kind::AiSystem, s)) {
                        if !out.contains(&k) {
                            out.push(k);
                        }
                    }
                }
                if out.is_empty() && !e.0.iter().any(|f| f.field.starts_with("systems")) {
                    e.push("systems", "name at least one affected AI system (SYS-n)");
                }
                Some(out)
            }
        };
        let occurred_at = match (&self.occurred_at, base) {
            (None, Some(b)) => Some(b.occurred_at.clone()),
            (None, None) => {
                e.push("occurred_at", "is required");
                None
            }
            (Some(v), _) => e.take(instant("occurred_at", v)),
        };
        let detected_at = match (&self.detected_at, base) {
            (None, Some(b)) => Some(b.detected_at.clone()),
            (None, None) => Some(now.to_owned()),
            (Some(v), _) if v.trim().is_empty() && base.is_none() => Some(now.to_owned()),
            (Some(v), _) => e.take(instant("detected_at", v)),
        };
        if let (Some(o), Some(d)) = (&occurred_at, &detected_at) {
            if d < o {
                e.push("detected_at", "cannot be before the incident occurred");
            }
        }
        let owner = match (&self.owner, base) {
            (None, Some(b)) => Some(b.owner.clone()),
            (o, _) => e.take(text::required("owner", given(o))),
        };
        let base_serious = base.and_then(|b| b.serious.clone());
        let basis = match &self.serious_basis {
            None => base_serious.as_ref().map(|s| s.basis),
            Some(s) if s.trim().is_empty() => None,
            Some(s) => e.take(SeriousBasis::parse("serious_basis", s)),
        };
        let reported = match &self.reported_to_authority_at {
            None => base_serious.and_then(|s| s.reported_to_authority_at),
            Some(v) if v.trim().is_empty() => None,
            Some(v) => e.take(instant("reported_to_authority_at", v)),
        };
        if reported.is_some() && basis.is_none() && self.serious_basis.is_none() {
            e.push(
                "reported_to_authority_at",
                "only a serious incident is reported to the authority; give serious_basis",
            );
        }
        let serious = basis.map(|basis| Serious {
            basis,
            reported_to_authority_at: reported,
        });
        if !e.is_empty() {
            return Err(e);
        }
        match (
            title,
            description,
            source,
            incident_type,
            severity_v,
            systems,
            occurred_at,
            detected_at,
            owner,
        ) {
            (
                Some(title),
                Some(description),
                Some(source),
                Some(incident_type),
                Some(severity),
                Some(systems),
                Some(occurred_at),
                Some(detected_at),
                Some(owner),
            ) => Ok(IncidentFields {
                title,
                description,
                source,
                incident_type,
                severity,
                systems,
                occurred_at,
                detected_at,
                owner,
                serious,
            }),
            _ => Err(ValidationErrors::single("input", "incomplete")),
        }
    }
}

/// Whether an incident may move from `from` to `to`, given its root cause analysis and lessons
/// learned. One step forward at a time, except:
/// - `reported` or `triaged` straight to `resolved` with a note (a false alarm or a duplicate:
///   nothing to investigate or contain);
/// - `resolved` back to `investigating` (reopened).
///
/// Resolving needs a complete root cause (a why and a category); closing needs lessons learned.
pub fn check_transition(
    from: IncidentStatus,
    to: IncidentStatus,
    note: Option<&str>,
    root_cause: &RootCause,
    lessons: Option<&str>,
) -> Result<(), FieldError> {
    use IncidentStatus::*;
    let has_note = note.is_some_and(|n| !n.trim().is_empty());
    let allowed = from.next() == Some(to)
        || (matches!(from, Reported | Triaged) && to == Resolved)
        || (from == Resolved && to == Investigating);
    if !allowed {
        return Err(FieldError::new(
            "status",
            format!(
                "cannot move from {from} to {to}; next is {}{}",
                from.next().map_or("nothing (closed)", |n| n.as_str()),
                if from == Resolved {
                    " (or investigating to reopen)"
                } else {
                    ""
                }
            ),
        ));
    }
    if matches!(from, Reported | Triaged) && to == Resolved && !has_note {
        return Err(FieldError::new(
            "note",
            format!("moving from {from} straight to resolved needs a note saying why (e.g. a false alarm)"),
        ));
    }
    if to == Resolved && !root_cause.is_complete() {
        return Err(FieldError::new(
            "root_cause",
            "resolving needs a root cause: at least one why and a cause category",
        ));
    }
    if to == Closed && lessons.is_none_or(|l| l.trim().is_empty()) {
        return Err(FieldError::new(
            "lessons_learned",
            "closing needs the lessons learned",
        ));
    }
    Ok(())
}

/// A root cause analysis as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RcaInput {
    /// Up to five answers, in order; a given list replaces the current one.
    pub whys: Option<Vec<String>>,
    /// data, model, process, people, technology, third_party, other; empty clears it.
    pub category: Option<String>,
    /// Empty clears it.
    pub lessons_learned: Option<String>,
}

impl RcaInput {
    /// The root cause and lessons over the current ones.
    pub fn read(
        &self,
        base: &RootCause,
        base_lessons: Option<&str>,
    ) -> Result<(RootCause, Option<String>), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let whys = match &self.whys {
            None => base.whys.clone(),
            Some(w) => {
                let w: Vec<String> = w
                    .iter()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect();
                if w.len() > MAX_WHYS {
                    e.push("whys", format!("at most {MAX_WHYS} answers"));
                }
                for (i, s) in w.iter().enumerate() {
                    e.take(text::optional(&format!("whys[{i}]"), Some(s), text::LONG));
                }
                w
            }
        };
        let category = match &self.category {
            None => base.category,
            Some(c) if c.trim().is_empty() => None,
            Some(c) => e.take(CauseCategory::parse("category", c)),
        };
        let lessons = match &self.lessons_learned {
            None => base_lessons.map(str::to_owned),
            Some(l) => e
                .take(text::optional("lessons_learned", Some(l), text::LONG))
                .flatten(),
        };
        e.into_result(|| (RootCause { whys, category }, lessons))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(detected: &str, basis: Option<SeriousBasis>) -> Incident {
        Incident {
            key: "INC-1".into(),
            title: "t".into(),
            description: "d".into(),
            source: IncidentSource::UserReport,
            incident_type: IncidentType::Safety,
            severity: 1,
            systems: vec!["SYS-1".into()],
            occurred_at: detected.into(),
            detected_at: detected.into(),
            owner: "root".into(),
            status: IncidentStatus::Reported,
            serious: basis.map(|basis| Serious {
                basis,
                reported_to_authority_at: None,
            }),
            root_cause: RootCause::default(),
            lessons_learned: None,
            risks: vec![],
            controls: vec![],
            monitor: None,
            timeline: vec![],
            created_at: detected.into(),
            updated_at: detected.into(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn each_basis_sets_its_deadline() {
        let at = "2026-03-01T22:30:00.000000Z";
        for (basis, due) in [
            (SeriousBasis::General, "2026-03-16"),
            (SeriousBasis::Death, "2026-03-11"),
            (SeriousBasis::Widespread, "2026-03-03"),
        ] {
            let c = incident(at, Some(basis)).countdown(day("2026-03-01"));
            assert_eq!(c.as_ref().map(|c| c.deadline.as_str()), Some(due));
        }
    }

    #[test]
    fn countdown_counts_down_then_overdue_then_reported() {
        let mut i = incident(
            "2026-03-01T10:00:00.000000Z",
            Some(SeriousBasis::Widespread),
        );
        let text =
            |i: &Incident, d: &str| i.countdown(day(d)).map(|c| (c.state, c.days_left, c.text));
        assert_eq!(
            text(&i, "2026-03-01"),
            Some(("due".into(), Some(2), "2 days left".into()))
        );
        assert_eq!(
            text(&i, "2026-03-02"),
            Some(("due".into(), Some(1), "1 day left".into()))
        );
        assert_eq!(
            text(&i, "2026-03-03"),
            Some(("due".into(), Some(0), "due today".into()))
        );
        assert_eq!(
            text(&i, "2026-03-06"),
            Some(("overdue".into(), Some(-3), "overdue by 3 days".into()))
        );
        if let Some(s) = i.serious.as_mut() {
            s.reported_to_authority_at = Some("2026-03-02T09:00:00.000000Z".into());
        }
        assert_eq!(
            text(&i, "2026-03-06").map(|t| (t.0, t.1)),
            Some(("reported".into(), None))
        );
        assert_eq!(
            incident("2026-03-01", None).countdown(day("2026-03-01")),
            None
        );
    }

    #[test]
    fn workflow_steps_skips_and_reopening() {
        use IncidentStatus::*;
        let done = RootCause {
            whys: vec!["w".into()],
            category: Some(CauseCategory::Data),
        };
        let none = RootCause::default();
        assert!(check_transition(Reported, Triaged, None, &none, None).is_ok());
        let skip = check_transition(Reported, Contained, None, &none, None).err();
        assert_eq!(skip.map(|e| e.field), Some("status".into()));
        let no_note = check_transition(Triaged, Resolved, None, &done, None).err();
        assert_eq!(no_note.map(|e| e.field), Some("note".into()));
        assert!(check_transition(Triaged, Resolved, Some("false alarm"), &done, None).is_ok());
        let no_rca = check_transition(Contained, Resolved, None, &none, None).err();
        assert_eq!(no_rca.map(|e| e.field), Some("root_cause".into()));
        let no_lessons = check_transition(Resolved, Closed, None, &done, Some(" ")).err();
        assert_eq!(no_lessons.map(|e| e.field), Some("lessons_learned".into()));
        assert!(check_transition(Resolved, Closed, None, &done, Some("l")).is_ok());
        assert!(check_transition(Resolved, Investigating, None, &done, None).is_ok());
        assert!(check_transition(Closed, Investigating, None, &done, None).is_err());
    }

    #[test]
    fn input_names_every_bad_field() {
        let input = IncidentInput {
            severity: Some(7),
            systems: Some(vec!["RSK-1".into()]),
            source: Some("rumour".into()),
            ..Default::default()
        };
        let e = input
            .read(None, "2026-01-01T00:00:00.000000Z")
            .err()
            .unwrap_or_default();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "title",
                "description",
                "source",
                "incident_type",
                "severity",
                "systems[0]",
                "occurred_at",
                "owner"
            ]
        );
    }

    #[test]
    fn severity_one_is_critical() {
        assert_eq!(severity_label(1), "Critical");
        assert_eq!(severity_label(4), "Low");
        assert_eq!(
            instant("x", "2026-02-03").ok(),
            Some("2026-02-03T00:00:00.000000Z".into())
        );
    }
}
