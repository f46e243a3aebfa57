//! Roadmap actions (`ACT-n`): the work that closes the gaps of the management system, with an
//! owner, dates, effort and dependencies on other actions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationErrors};
use crate::keys::{normalise, Kind};
use crate::text;
use crate::time;

crate::vocabulary!(
    /// Where an action stands.
    ActionStatus {
        Planned => ("planned", "Planned"),
        InProgress => ("in_progress", "In progress"),
        Done => ("done", "Done"),
        Cancelled => ("cancelled", "Cancelled"),
    }
);

impl ActionStatus {
    /// Whether the action is finished one way or the other (never overdue).
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::Cancelled)
    }
}

/// Largest effort of one action, in person-days.
pub const MAX_EFFORT: i64 = 10_000;

/// An action as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RoadmapAction {
    /// `ACT-n`.
    pub key: String,
    #[serde(flatten)]
    pub fields: ActionFields,
    pub created_at: String,
    pub updated_at: String,
}

impl RoadmapAction {
    /// Due before `today` and neither done nor cancelled.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        !self.fields.status.is_closed() && self.fields.due_date < today.to_string()
    }
}

/// What people fill in about an action, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ActionFields {
    pub title: String,
    pub description: Option<String>,
    /// Username of the person who carries it out.
    pub owner: String,
    /// YYYY-MM-DD.
    pub start_date: String,
    /// YYYY-MM-DD, not before the start.
    pub due_date: String,
    /// planned, in_progress, done or cancelled.
    #[schema(value_type = String)]
    pub status: ActionStatus,
    /// Person-days, more than 0.
    pub effort: i64,
    /// Keys of the actions that must be done first, in the order given.
    pub depends_on: Vec<String>,
    /// The gap it closes (`soa:A.6.2.4`, `maturity:6.1.2`).
    pub gap: Option<String>,
    /// Requirement references it serves (`ISO42001:6.1.2`), in the order given.
    pub requirements: Vec<String>,
}

/// An action as typed into a form, the API or the CLI: every field optional, so that a patch
/// and a new action share one shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub title: Option<String>,
    /// Empty clears it.
    pub description: Option<String>,
    /// Username of the owner.
    pub owner: Option<String>,
    /// YYYY-MM-DD; defaults to the day the action is created.
    pub start_date: Option<String>,
    /// YYYY-MM-DD; required.
    pub due_date: Option<String>,
    /// planned (default), in_progress, done, cancelled.
    pub status: Option<String>,
    /// Person-days, an integer above 0; required.
    pub effort: Option<i64>,
    /// Keys of other actions (`ACT-2`); a given list replaces the current one.
    pub depends_on: Option<Vec<String>>,
    /// A gap reference `<source>:<id>` (`soa:A.6.2.4`); empty clears it.
    pub gap: Option<String>,
    /// Requirement references `FRAMEWORK:ID`; a given list replaces the current one.
    pub requirements: Option<Vec<String>>,
}

/// A gap reference as typed (`soa : A.6.2.4`): source in lower case, then the source's own ID.
pub fn gap_ref(field: &str, text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    let bad = || {
        FieldError::new(
            field,
            format!("'{t}' is not a gap reference (expected SOURCE:ID, e.g. soa:A.6.2.4 or maturity:6.1.2)"),
        )
    };
    let (source, id) = t.split_once(':').ok_or_else(bad)?;
    let (source, id) = (source.trim(), id.trim());
    let source_ok = !source.is_empty()
        && source
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !source_ok || id.is_empty() || id.chars().any(char::is_whitespace) || t.len() > 100 {
        return Err(bad());
    }
    Ok(format!("{}:{id}", source.to_ascii_lowercase()))
}

/// The key of an action as typed (`act-3`), if it is one.
pub fn action_key(field: &str, text: &str) -> Result<String, FieldError> {
    let key = normalise(text);
    if Kind::of_key(&key) == Some(Kind::Action) {
        Ok(key)
    } else {
        Err(FieldError::new(
            field,
            format!("'{}' is not an action key (expected ACT-n)", text.trim()),
        ))
    }
}

fn date_text(
    e: &mut ValidationErrors,
    field: &str,
    given: Option<&str>,
    base: Option<&str>,
) -> Option<Option<NaiveDate>> {
    e.take(time::date(field, given.or(base)))
}

/// An input read as far as it goes: each field that could be read (`None` where it could not),
/// and each reference with the field it was given as (`depends_on[2]`), so that the service can
/// check the references even when other fields are wrong and report every problem at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub owner: Option<String>,
    pub start: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub status: Option<ActionStatus>,
    pub effort: Option<i64>,
    /// (field, key) in the order given, without repeats.
    pub depends_on: Vec<(String, String)>,
    pub gap: Option<String>,
    /// (field, `FRAMEWORK:ID`) in the order given, without repeats.
    pub requirements: Vec<(String, String)>,
}

impl Draft {
    /// The fields, when every required one could be read.
    pub fn fields(self) -> Option<ActionFields> {
        Some(ActionFields {
            title: self.title?,
            description: self.description?,
            owner: self.owner?,
            start_date: self.start?.to_string(),
            due_date: self.due?.to_string(),
            status: self.status?,
            effort: self.effort?,
            depends_on: self.depends_on.into_iter().map(|(_, k)| k).collect(),
            gap: self.gap,
            requirements: self.requirements.into_iter().map(|(_, r)| r).collect(),
        })
    }
}

/// The place of a field in the form (`depends_on[2]` is in place of `depends_on`, entry 2), so
/// that errors found in several passes can be listed in the order people read the form.
pub fn field_place(field: &str) -> (usize, usize) {
    const ORDER: [&str; 10] = [
        "title",
        "description",
        "owner",
        "start_date",
        "due_date",
        "status",
        "effort",
        "depends_on",
        "gap",
        "requirements",
    ];
    let (name, index) = match field.split_once('[') {
        Some((name, rest)) => (
            name,
            rest.trim_end_matches(']').parse::<usize>().unwrap_or(0),
        ),
        None => (field, 0),
    };
    let place = ORDER.iter().position(|n| *n == name).unwrap_or(ORDER.len());
    (place, index)
}

/// Sorts errors in the order of the form's fields (a stable sort: one field's errors keep
/// their order).
pub fn sort_errors(e: &mut ValidationErrors) {
    e.0.sort_by_key(|f| field_place(&f.field));
}

/// The title proposed for an action that closes a gap: `Close <requirement ID>: <its title>`.
pub fn title_for_gap(requirement: &str, title: &str) -> String {
    let id = requirement
        .split_once(':')
        .map_or(requirement, |(_, id)| id);
    let t = format!("Close {id}: {title}");
    if t.chars().count() > text::SHORT {
        t.chars().take(text::SHORT).collect()
    } else {
        t
    }
}

impl ActionInput {
    /// Validates this input over `base` (absent fields keep their value), or as new when `None`.
    /// `key` is the action's own key when it has one; `today` is the default start.
    /// Whether dependencies exist, and requirements are in a catalog, is for the service to say.
    pub fn validate(
        &self,
        key: Option<&str>,
        base: Option<&ActionFields>,
        today: NaiveDate,
    ) -> Result<ActionFields, ValidationErrors> {
        let (draft, e) = self.read(key, base, today);
        match draft.fields() {
            Some(fields) if e.is_empty() => Ok(fields),
            _ => Err(e),
        }
    }

    /// Reads this input over `base` as far as it goes: the draft and every error of the form's
    /// own rules (the references are checked by the service).
    pub fn read(
        &self,
        key: Option<&str>,
        base: Option<&ActionFields>,
        today: NaiveDate,
    ) -> (Draft, ValidationErrors) {
        let mut e = ValidationErrors::default();
        let title = e.take(text::required(
            "title",
            self.title.as_deref().or(base.map(|b| b.title.as_str())),
        ));
        let description = e.take(text::optional(
            "description",
            self.description
                .as_deref()
                .or(base.and_then(|b| b.description.as_deref())),
            text::LONG,
        ));
        let owner = e.take(text::required(
            "owner",
            self.owner.as_deref().or(base.map(|b| b.owner.as_str())),
        ));
        let start = date_text(
            &mut e,
            "start_date",
            self.start_date.as_deref(),
            base.map(|b| b.start_date.as_str()),
        )
        .map(|d| d.unwrap_or(today));
        let due = date_text(
            &mut e,
            "due_date",
            self.due_date.as_deref(),
            base.map(|b| b.due_date.as_str()),
        );
        let due = match due {
            Some(None) => {
                e.push("due_date", "is required");
                None
            }
            Some(Some(d)) => Some(d),
            None => None,
        };
        if let (Some(s), Some(d)) = (start, due) {
            if d < s {
                e.push("due_date", format!("{d} is before the start date {s}"));
            }
        }
        let status = match self.status.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(ActionStatus::parse("status", w)),
            _ => Some(base.map_or(ActionStatus::Planned, |b| b.status)),
        };
        let effort = match self.effort.or(base.map(|b| b.effort)) {
            None => {
                e.push(
                    "effort",
                    "is required (person-days, a whole number above 0)",
                );
                None
            }
            Some(n) if !(1..=MAX_EFFORT).contains(&n) => {
                e.push(
                    "effort",
                    format!("{n} is not between 1 and {MAX_EFFORT} person-days"),
                );
                None
            }
            Some(n) => Some(n),
        };
        let depends_on = match &self.depends_on {
            None => base
                .map(|b| b.depends_on.clone())
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, k)| (format!("depends_on[{i}]"), k))
                .collect(),
            Some(list) => {
                let mut out: Vec<(String, String)> = Vec::new();
                if list.len() > text::MAX_ITEMS {
                    e.push(
                        "depends_on",
                        format!("has more than {} entries", text::MAX_ITEMS),
                    );
                }
                for (i, k) in list.iter().enumerate() {
                    if k.trim().is_empty() {
                        continue;
                    }
                    let field = format!("depends_on[{i}]");
                    if let Some(k) = e.take(action_key(&field, k)) {
                        if Some(k.as_str()) == key {
                            e.push(field, "an action cannot depend on itself");
                        } else if !out.iter().any(|(_, o)| *o == k) {
                            out.push((field, k));
                        }
                    }
                }
                out
            }
        };
        let gap = match self.gap.as_deref().map(str::trim) {
            None => base.and_then(|b| b.gap.clone()),
            Some("") => None,
            Some(g) => e.take(gap_ref("gap", g)),
        };
        let requirements = match &self.requirements {
            None => base
                .map(|b| b.requirements.clone())
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, r)| (format!("requirements[{i}]"), r))
                .collect(),
            Some(list) => {
                let mut out: Vec<(String, String)> = Vec::new();
                for (i, r) in list.iter().enumerate() {
                    if r.trim().is_empty() {
                        continue;
                    }
                    let field = format!("requirements[{i}]");
                    if let Some((fw, id)) = e.take(crate::control::requirement_ref(&field, r)) {
                        let r = crate::control::format_requirement(&fw, &id);
                        if !out.iter().any(|(_, o)| *o == r) {
                            out.push((field, r));
                        }
                    }
                }
                out
            }
        };
        let draft = Draft {
            title,
            description,
            owner,
            start,
            due,
            status,
            effort,
            depends_on,
            gap,
            requirements,
        };
        (draft, e)
    }
}

/// The dependency graph of the recorded actions: key → (status, depends on).
pub type Graph = BTreeMap<String, (ActionStatus, Vec<String>)>;

/// Checks an action's dependencies against every recorded action: each must exist, none may
/// lead back to the action itself, a done action needs every dependency done, and an action
/// that a done action depends on stays done. Names `depends_on[i]`, or `status` for the two
/// done rules (the reason lists the actions in the way).
pub fn check_graph(key: &str, fields: &ActionFields, graph: &Graph) -> ValidationErrors {
    let deps: Vec<(String, String)> = fields
        .depends_on
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("depends_on[{i}]"), d.clone()))
        .collect();
    check_dependencies(key, &deps, Some(fields.status), graph)
}

/// [`check_graph`] over the dependencies of a [`Draft`], each named by its own field; the done
/// rules are checked only when the status could be read.
pub fn check_dependencies(
    key: &str,
    depends_on: &[(String, String)],
    status: Option<ActionStatus>,
    graph: &Graph,
) -> ValidationErrors {
    let mut e = ValidationErrors::default();
    for (field, dep) in depends_on {
        if !graph.contains_key(dep) {
            e.push(field.clone(), format!("no action {dep}"));
        } else if let Some(path) = path_to(graph, dep, key) {
            e.push(
                field.clone(),
                format!("would make a cycle: {key} → {} → {key}", path.join(" → ")),
            );
        }
    }
    let Some(status) = status else {
        return e;
    };
    if e.is_empty() && status == ActionStatus::Done {
        let open: Vec<String> = depends_on
            .iter()
            .map(|(_, d)| d)
            .filter(|d| graph.get(*d).is_some_and(|(s, _)| *s != ActionStatus::Done))
            .map(|d| {
                let s = graph.get(d).map_or("", |(s, _)| s.label());
                format!("{d} ({})", s.to_lowercase())
            })
            .collect();
        if !open.is_empty() {
            e.push(
                "status",
                format!(
                    "cannot be done while it depends on actions that are not done: {}",
                    open.join(", ")
                ),
            );
        }
    }
    if status != ActionStatus::Done {
        let done_dependents: Vec<&str> = graph
            .iter()
            .filter(|(k, (s, deps))| {
                k.as_str() != key && *s == ActionStatus::Done && deps.iter().any(|d| d == key)
            })
            .map(|(k, _)| k.as_str())
            .collect();
        if !done_dependents.is_empty() {
            e.push(
                "status",
                format!(
                    "must stay done: {} already done and depend on it",
                    done_dependents.join(", ")
                ),
            );
        }
    }
    e
}

/// The path of dependencies from `from` to `to`, if `to` can be reached (`[from, ..., last]`
/// where `last` depends on `to`).
fn path_to(graph: &Graph, from: &str, to: &str) -> Option<Vec<String>> {
    if from == to {
        return Some(Vec::new());
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<Vec<String>> = vec![vec![from.to_owned()]];
    while let Some(path) = stack.pop() {
        let Some(last) = path.last() else { continue };
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in graph.get(last).map(|(_, d)| d.as_slice()).unwrap_or(&[]) {
            if next == to {
                return Some(path);
            }
            let mut longer = path.clone();
            longer.push(next.clone());
            stack.push(longer);
        }
    }
    None
}

/// Counts and effort of a set of actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Tally {
    pub count: i64,
    /// Person-days.
    pub effort: i64,
}

/// One status of the roadmap with its count and effort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusTally {
    #[schema(value_type = String)]
    pub status: ActionStatus,
    pub label: String,
    pub count: i64,
    pub effort: i64,
}

/// Progress of the roadmap: done against the total (cancelled actions do not count in the
/// total), and the tally of each status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Progress {
    pub total: Tally,
    pub done: Tally,
    /// Done effort as a whole percentage of the total effort (0 when there is none).
    pub percent_effort: i64,
    pub by_status: Vec<StatusTally>,
}

/// The progress of `actions`.
pub fn progress(actions: &[RoadmapAction]) -> Progress {
    let by_status: Vec<StatusTally> = ActionStatus::ALL
        .iter()
        .map(|s| {
            let of: Vec<&RoadmapAction> =
                actions.iter().filter(|a| a.fields.status == *s).collect();
            StatusTally {
                status: *s,
                label: s.label().to_owned(),
                count: of.len() as i64,
                effort: of.iter().map(|a| a.fields.effort).sum(),
            }
        })
        .collect();
    let sum = |pred: &dyn Fn(ActionStatus) -> bool| Tally {
        count: by_status
            .iter()
            .filter(|t| pred(t.status))
            .map(|t| t.count)
            .sum(),
        effort: by_status
            .iter()
            .filter(|t| pred(t.status))
            .map(|t| t.effort)
            .sum(),
    };
    let total = sum(&|s| s != ActionStatus::Cancelled);
    let done = sum(&|s| s == ActionStatus::Done);
    let percent_effort = if total.effort > 0 {
        done.effort * 100 / total.effort
    } else {
        0
    };
    Progress {
        total,
        done,
        percent_effort,
        by_status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default()
    }

    fn input() -> ActionInput {
        ActionInput {
            title: Some("Write the AI policy".into()),
            owner: Some("alice".into()),
            due_date: Some("2026-04-30".into()),
            effort: Some(3),
            ..Default::default()
        }
    }

    fn fields_of(r: Result<ActionFields, ValidationErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect()
    }

    #[test]
    fn start_defaults_to_today_and_status_to_planned() {
        let a = input()
            .validate(None, None, today())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.start_date, "2026-03-01");
        assert_eq!(a.status, ActionStatus::Planned);
        assert!(a.depends_on.is_empty() && a.gap.is_none());
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = ActionInput {
            start_date: Some("2026-05-01".into()),
            effort: Some(0),
            status: Some("finished".into()),
            depends_on: Some(vec!["ACT-1".into(), "CTL-2".into(), "act-7".into()]),
            gap: Some("no colon".into()),
            requirements: Some(vec!["6.1.2".into()]),
            ..input()
        };
        assert_eq!(
            fields_of(bad.validate(Some("ACT-7"), None, today())),
            vec![
                "due_date",
                "status",
                "effort",
                "depends_on[1]",
                "depends_on[2]",
                "gap",
                "requirements[0]"
            ]
        );
        let no_due = ActionInput {
            due_date: None,
            effort: None,
            ..input()
        };
        assert_eq!(
            fields_of(no_due.validate(None, None, today())),
            vec!["due_date", "effort"]
        );
    }

    #[test]
    fn a_draft_keeps_what_could_be_read_with_its_field() {
        let bad = ActionInput {
            effort: None,
            depends_on: Some(vec![
                " ".into(),
                "ACT-3".into(),
                "CTL-2".into(),
                "act-3".into(),
            ]),
            requirements: Some(vec!["iso42001:6.1.2".into(), "nope".into(), "X:1".into()]),
            gap: Some("SOA:A.6.2.4".into()),
            ..input()
        };
        let (draft, e) = bad.read(None, None, today());
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["effort", "depends_on[2]", "requirements[1]"]);
        assert_eq!(draft.owner.as_deref(), Some("alice"));
        assert_eq!(draft.effort, None);
        assert_eq!(draft.gap.as_deref(), Some("soa:A.6.2.4"));
        assert_eq!(
            draft.depends_on,
            vec![("depends_on[1]".to_owned(), "ACT-3".to_owned())]
        );
        assert_eq!(
            draft.requirements,
            vec![
                ("requirements[0]".to_owned(), "ISO42001:6.1.2".to_owned()),
                ("requirements[2]".to_owned(), "X:1".to_owned())
            ]
        );
        assert_eq!(draft.fields(), None);
    }

    #[test]
    fn errors_sort_in_form_order() {
        let mut e = ValidationErrors::default();
        for f in [
            "requirements[0]",
            "depends_on[10]",
            "effort",
            "owner",
            "depends_on[2]",
        ] {
            e.push(f, "x");
        }
        sort_errors(&mut e);
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            named,
            vec![
                "owner",
                "effort",
                "depends_on[2]",
                "depends_on[10]",
                "requirements[0]"
            ]
        );
    }

    #[test]
    fn a_gap_proposes_a_title() {
        assert_eq!(
            title_for_gap("ISO42001:A.6.2.4", "AI system verification and validation"),
            "Close A.6.2.4: AI system verification and validation"
        );
        assert_eq!(title_for_gap("x", &"y".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn references_are_normalised() {
        assert_eq!(gap_ref("gap", " SOA:A.6.2.4 "), Ok("soa:A.6.2.4".into()));
        assert_eq!(
            gap_ref("gap", "soa-undecided:A.7.3"),
            Ok("soa-undecided:A.7.3".into())
        );
        assert!(gap_ref("gap", "soa:").is_err());
        assert!(gap_ref("gap", "so a:x").is_err());
        let a = ActionInput {
            depends_on: Some(vec!["act-2".into(), "ACT-2".into(), " ".into()]),
            requirements: Some(vec!["iso42001 : 6.1.2".into()]),
            ..input()
        }
        .validate(Some("ACT-1"), None, today())
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.depends_on, vec!["ACT-2"]);
        assert_eq!(a.requirements, vec!["ISO42001:6.1.2"]);
    }

    fn graph(edges: &[(&str, ActionStatus, &[&str])]) -> Graph {
        edges
            .iter()
            .map(|(k, s, d)| {
                (
                    (*k).to_owned(),
                    (*s, d.iter().map(|x| (*x).to_owned()).collect()),
                )
            })
            .collect()
    }

    #[test]
    fn dependencies_must_exist_and_make_no_cycle() {
        use ActionStatus::*;
        let g = graph(&[
            ("ACT-1", Planned, &[]),
            ("ACT-2", Planned, &["ACT-1"]),
            ("ACT-3", Planned, &["ACT-2"]),
        ]);
        let mut a = input()
            .validate(Some("ACT-1"), None, today())
            .unwrap_or_else(|e| panic!("{e}"));
        a.depends_on = vec!["ACT-9".into(), "ACT-3".into()];
        let e = check_graph("ACT-1", &a, &g);
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(named, vec!["depends_on[0]", "depends_on[1]"]);
        assert!(
            e.0[1].reason.contains("ACT-1 → ACT-3 → ACT-2 → ACT-1"),
            "{e}"
        );
        a.depends_on = vec!["ACT-2".into()];
        assert!(check_graph("ACT-4", &a, &g).is_empty());
    }

    #[test]
    fn done_needs_dependencies_done() {
        use ActionStatus::*;
        let g = graph(&[("ACT-1", InProgress, &[]), ("ACT-2", Done, &[])]);
        let mut a = input()
            .validate(Some("ACT-3"), None, today())
            .unwrap_or_else(|e| panic!("{e}"));
        a.depends_on = vec!["ACT-1".into(), "ACT-2".into()];
        a.status = Done;
        let e = check_graph("ACT-3", &a, &g);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "status");
        assert!(e.0[0].reason.contains("ACT-1 (in progress)"), "{e}");
        a.status = InProgress;
        assert!(check_graph("ACT-3", &a, &g).is_empty());
        // ACT-2 is done: reopening ACT-1 after ACT-2 was done on top of it is refused.
        let g = graph(&[("ACT-1", Done, &[]), ("ACT-2", Done, &["ACT-1"])]);
        a.depends_on = Vec::new();
        a.status = InProgress;
        let e = check_graph("ACT-1", &a, &g);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].field, "status");
        assert!(e.0[0].reason.contains("ACT-2"), "{e}");
    }

    #[test]
    fn progress_counts_done_against_the_uncancelled() {
        let mk = |status: ActionStatus, effort: i64, due: &str| RoadmapAction {
            key: "ACT-1".into(),
            fields: ActionFields {
                status,
                effort,
                due_date: due.into(),
                ..input()
                    .validate(None, None, today())
                    .unwrap_or_else(|e| panic!("{e}"))
            },
            created_at: String::new(),
            updated_at: String::new(),
        };
        let all = vec![
            mk(ActionStatus::Done, 2, "2026-01-01"),
            mk(ActionStatus::InProgress, 6, "2026-02-01"),
            mk(ActionStatus::Cancelled, 5, "2026-02-01"),
        ];
        let p = progress(&all);
        assert_eq!(
            p.total,
            Tally {
                count: 2,
                effort: 8
            }
        );
        assert_eq!(
            p.done,
            Tally {
                count: 1,
                effort: 2
            }
        );
        assert_eq!(p.percent_effort, 25);
        assert_eq!(p.by_status[3].effort, 5);
        let overdue: Vec<bool> = all.iter().map(|a| a.is_overdue(today())).collect();
        assert_eq!(overdue, vec![false, true, false]);
    }
}
