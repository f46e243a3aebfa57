//! Maturity of the AI management system: a six-level scale, one question per sub-clause of
//! ISO/IEC 42001 clauses 4 to 10, assessments that answer every question, their scores and the
//! comparison of two assessments.
//!
//! Which sub-clauses exist is the catalog's business (the application passes them in); this
//! module holds the levels, the question of each sub-clause and the rules.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;
use crate::time;

/// The lowest and highest level.
pub const MIN_LEVEL: i64 = 0;
pub const MAX_LEVEL: i64 = 5;
/// The target of an answer when neither the answer nor the assessment sets one.
pub const DEFAULT_TARGET: i64 = 3;

/// One level of the scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Level {
    pub level: i64,
    pub name: &'static str,
    /// What the level means for an AI management system.
    pub definition: &'static str,
    /// What to do to reach this level from the one below.
    pub next_step: &'static str,
}

/// The scale, level 0 to 5.
pub const LEVELS: [Level; 6] = [
    Level {
        level: 0,
        name: "Absent",
        definition: "Nothing is in place: the requirement is not addressed for any AI system, and nobody is expected to address it.",
        next_step: "name an owner and start addressing the requirement for the AI systems in scope",
    },
    Level {
        level: 1,
        name: "Initial",
        definition: "Addressed ad hoc by individuals for some AI systems, with few or no records; the result depends on who happens to do it.",
        next_step: "agree one way of working and use it for every new or changed AI system",
    },
    Level {
        level: 2,
        name: "Repeatable",
        definition: "A known way of working is repeated for most AI systems, but it is not written down, approved or owned as part of the AIMS.",
        next_step: "write the way of working down, have it approved, give it an owner and keep its records",
    },
    Level {
        level: 3,
        name: "Defined",
        definition: "Documented, approved and owned; applied to every AI system in scope, leaving records an auditor can follow from start to end.",
        next_step: "define indicators for it, measure them and review the results with management",
    },
    Level {
        level: 4,
        name: "Measured",
        definition: "Performance is measured against objectives or indicators; the results are reviewed by management and acted upon.",
        next_step: "feed measurements, incidents and audit findings back into planned improvements",
    },
    Level {
        level: 5,
        name: "Optimising",
        definition: "Improved continually from measurements, incidents, audits and changes outside the organisation; lessons are shared across AI systems.",
        next_step: "keep improving and share what works across AI systems",
    },
];

/// The level with this number, if it is one.
pub fn level(n: i64) -> Option<&'static Level> {
    LEVELS.iter().find(|l| l.level == n)
}

/// `2 (Repeatable)`.
pub fn level_label(n: i64) -> String {
    level(n).map_or_else(|| n.to_string(), |l| format!("{n} ({})", l.name))
}

/// The question asked about each sub-clause, by clause ID. Written by this project; the
/// application checks that it matches the catalog's sub-clauses one to one.
pub const QUESTIONS: &[(&str, &str)] = &[
    ("4.1", "Have you identified the internal and external issues that bear on your AI management system, including whether you act as AI provider, developer or user, and do you revisit them?"),
    ("4.2", "Do you know which interested parties matter to your AI systems, what each of them requires, and which of those requirements the AIMS will address?"),
    ("4.3", "Is the scope of the AIMS written down, with its boundaries, the AI systems it covers and a justification for everything left out?"),
    ("4.4", "Is the AIMS set up as a set of connected processes that are kept up to date and improved?"),
    ("5.1", "Does top management visibly steer the AIMS: setting policy and objectives, providing resources and building AI governance into business processes?"),
    ("5.2", "Is there an approved AI policy that fits the organisation's purpose, commits to meeting requirements and to improvement, and has been communicated?"),
    ("5.3", "Are responsibilities and authorities for AI governance assigned and understood, including who reports on how the AIMS performs?"),
    ("6.1.1", "When planning the AIMS, do you work out which risks and opportunities must be addressed and plan how to address them?"),
    ("6.1.2", "Do you run a defined AI risk assessment process that identifies, analyses and evaluates AI risks against set criteria and gives consistent results?"),
    ("6.1.3", "Do you choose how each AI risk is treated, determine the controls needed (checked against Annex A) and keep a Statement of Applicability?"),
    ("6.1.4", "Do you assess what your AI systems could mean for individuals, groups and society, and use the results in your risk decisions?"),
    ("6.2", "Are measurable AI objectives set where they matter, each with an owner, resources, a deadline and a way to judge the result?"),
    ("6.3", "Are changes to the AIMS planned before they are made and carried out in a controlled way?"),
    ("7.1", "Have you determined and provided the resources the AIMS needs: people, data, tools and computing?"),
    ("7.2", "Is the competence each AI role needs defined, and do you keep training records and evidence of competence for the people in those roles?"),
    ("7.3", "Do staff know the AI policy, how their work contributes to the AIMS and what happens when it is not followed?"),
    ("7.4", "Have you decided what to communicate about the AIMS, when, to whom and how, inside and outside the organisation?"),
    ("7.5.1", "Have you decided which documented information the AIMS needs beyond what the standard asks for, and is it kept?"),
    ("7.5.2", "When documents are created or updated, are they identified, reviewed and approved in a consistent way?"),
    ("7.5.3", "Is documented information controlled: available where needed, protected, versioned, retained and disposed of as planned?"),
    ("8.1", "Are the processes the AIMS relies on planned, controlled and run as planned, including those provided by outside parties?"),
    ("8.2", "Are AI risk assessments carried out at planned intervals and whenever something significant changes, with the results recorded?"),
    ("8.3", "Is the AI risk treatment plan carried out, and is its effectiveness checked and recorded?"),
    ("8.4", "Are AI system impact assessments carried out at planned intervals and whenever something significant changes, with the results recorded?"),
    ("9.1", "Have you decided what to monitor and measure about the AIMS and its AI systems, how and when, and do you evaluate the results?"),
    ("9.2.1", "Do internal audits check at planned intervals that the AIMS meets its requirements and works in practice?"),
    ("9.2.2", "Is there an audit programme with criteria, scope, impartial auditors and reporting of results to management?"),
    ("9.3.1", "Does top management review the AIMS at planned intervals to judge whether it is suitable, adequate and effective?"),
    ("9.3.2", "Do management reviews consider what they must: earlier actions, changes, performance trends, audit results, risks and opportunities?"),
    ("9.3.3", "Do management reviews end in recorded decisions on improvements and changes to the AIMS?"),
    ("10.1", "Does the organisation keep making the AIMS more suitable, adequate and effective?"),
    ("10.2", "When something does not conform, do you react, find the cause, take corrective action and check that it worked?"),
];

/// The question about sub-clause `clause`.
pub fn question(clause: &str) -> Option<&'static str> {
    QUESTIONS
        .iter()
        .find(|(id, _)| *id == clause)
        .map(|(_, q)| *q)
}

/// The top-level clause a sub-clause belongs to: `6` for `6.1.2`.
pub fn top_clause(clause: &str) -> &str {
    clause.split('.').next().unwrap_or(clause)
}

/// One answered question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    /// The sub-clause (`6.1.2`).
    pub clause: String,
    /// Where it stands, 0 to 5.
    pub current: i64,
    /// Where it should be, 0 to 5.
    pub target: i64,
    /// Why, in the assessor's words; may be empty.
    pub note: String,
}

/// An assessment as recorded: also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Assessment {
    /// `MAT-n`.
    pub key: String,
    /// The day the assessment describes (YYYY-MM-DD).
    pub assessed_on: String,
    /// Username of the assessor.
    pub assessor: String,
    pub note: String,
    /// The target used for answers that set none.
    pub default_target: i64,
    /// One answer per sub-clause, in catalog order.
    pub answers: Vec<Answer>,
    pub created_by: String,
    pub created_at: String,
}

/// One answer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// The sub-clause (`6.1.2`).
    pub clause: Option<String>,
    /// 0 to 5; required.
    pub current: Option<i64>,
    /// 0 to 5; defaults to the assessment's target.
    pub target: Option<i64>,
    pub note: Option<String>,
}

/// An assessment as typed into a form, the API or the CLI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentInput {
    /// YYYY-MM-DD, not in the future; defaults to today.
    pub assessed_on: Option<String>,
    /// Username of the assessor; defaults to the one recording it.
    pub assessor: Option<String>,
    pub note: Option<String>,
    /// Target for answers that set none (0 to 5; default 3).
    pub target: Option<i64>,
    /// One answer per sub-clause of clauses 4 to 10; all are required.
    #[serde(default)]
    pub answers: Vec<AnswerInput>,
}

/// What a valid input holds (the key, assessor and times are the application's to add).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAssessment {
    pub assessed_on: String,
    pub assessor: Option<String>,
    pub note: String,
    pub default_target: i64,
    pub answers: Vec<Answer>,
}

fn check_level(e: &mut ValidationErrors, field: &str, value: i64) -> Option<i64> {
    if (MIN_LEVEL..=MAX_LEVEL).contains(&value) {
        Some(value)
    } else {
        e.push(
            field,
            format!("{value} is not a level (expected {MIN_LEVEL} to {MAX_LEVEL})"),
        );
        None
    }
}

impl AssessmentInput {
    /// Validates against the sub-clauses `clauses` (in catalog order) on day `today`. Every
    /// sub-clause must be answered exactly once; the answers come back in the order of `clauses`.
    /// Errors name `answers[6.1.2]` (missing, unknown or repeated) or `answers[6.1.2].current`.
    pub fn validate(
        &self,
        clauses: &[String],
        today: NaiveDate,
    ) -> Result<ValidAssessment, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let assessed_on = match e.take(time::date("assessed_on", self.assessed_on.as_deref())) {
            Some(Some(d)) if d > today => {
                e.push("assessed_on", format!("{d} is in the future"));
                None
            }
            Some(d) => Some(d.unwrap_or(today).to_string()),
            None => None,
        };
        let assessor = e
            .take(text::optional(
                "assessor",
                self.assessor.as_deref(),
                text::SHORT,
            ))
            .flatten();
        let note = e
            .take(text::optional("note", self.note.as_deref(), text::LONG))
            .flatten()
            .unwrap_or_default();
        let default_target = match self.target {
            Some(t) => check_level(&mut e, "target", t),
            None => Some(DEFAULT_TARGET),
        };
        let known: BTreeSet<&str> = clauses.iter().map(String::as_str).collect();
        let mut answered: BTreeMap<String, Answer> = BTreeMap::new();
        for (i, a) in self.answers.iter().enumerate() {
            let clause = a.clause.as_deref().map(str::trim).unwrap_or_default();
            if clause.is_empty() {
                e.push(format!("answers[{i}].clause"), "is required");
                continue;
            }
            let field = format!("answers[{clause}]");
            if !known.contains(clause) {
                e.push(
                    field,
                    "is not a sub-clause of ISO/IEC 42001 clauses 4 to 10",
                );
                continue;
            }
            if answered.contains_key(clause) {
                e.push(field, "is answered more than once");
                continue;
            }
            let current = match a.current {
                Some(c) => check_level(&mut e, &format!("{field}.current"), c),
                None => {
                    e.push(format!("{field}.current"), "is required");
                    None
                }
            };
            let target = match a.target {
                Some(t) => check_level(&mut e, &format!("{field}.target"), t),
                None => default_target,
            };
            let note = e
                .take(text::optional(
                    &format!("{field}.note"),
                    a.note.as_deref(),
                    text::LONG,
                ))
                .flatten()
                .unwrap_or_default();
            answered.insert(
                clause.to_owned(),
                Answer {
                    clause: clause.to_owned(),
                    current: current.unwrap_or(MIN_LEVEL),
                    target: target.unwrap_or(DEFAULT_TARGET),
                    note,
                },
            );
        }
        for c in clauses {
            if !answered.contains_key(c) {
                e.push(
                    format!("answers[{c}]"),
                    "is not answered; every question needs a current level",
                );
            }
        }
        match (assessed_on, default_target) {
            (Some(assessed_on), Some(default_target)) if e.is_empty() => Ok(ValidAssessment {
                assessed_on,
                assessor,
                note,
                default_target,
                answers: clauses.iter().filter_map(|c| answered.remove(c)).collect(),
            }),
            _ => Err(e),
        }
    }
}

/// Rounds to one decimal.
pub fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn mean(values: impl Iterator<Item = i64>) -> f64 {
    let (sum, n) = values.fold((0i64, 0i64), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        one_decimal(sum as f64 / n as f64)
    }
}

/// The mean current and target level of one top-level clause.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ClauseScore {
    /// `6`.
    pub clause: String,
    pub title: String,
    /// Mean current level of its sub-clauses, to one decimal.
    pub current: f64,
    /// Mean target level of its sub-clauses, to one decimal.
    pub target: f64,
}

/// The scores of an assessment: per top-level clause (4 to 10) and overall (the mean of every
/// answer, so each sub-clause weighs the same).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Scores {
    pub clauses: Vec<ClauseScore>,
    pub overall_current: f64,
    pub overall_target: f64,
}

/// The scores of `answers`; `title` names a top-level clause. Clauses come in the order their
/// first answer does.
pub fn scores(answers: &[Answer], title: impl Fn(&str) -> String) -> Scores {
    let mut order: Vec<&str> = Vec::new();
    for a in answers {
        let top = top_clause(&a.clause);
        if !order.contains(&top) {
            order.push(top);
        }
    }
    let clauses = order
        .into_iter()
        .map(|top| {
            let of = || answers.iter().filter(move |a| top_clause(&a.clause) == top);
            ClauseScore {
                clause: top.to_owned(),
                title: title(top),
                current: mean(of().map(|a| a.current)),
                target: mean(of().map(|a| a.target)),
            }
        })
        .collect();
    Scores {
        clauses,
        overall_current: mean(answers.iter().map(|a| a.current)),
        overall_target: mean(answers.iter().map(|a| a.target)),
    }
}

/// How one sub-clause moved between two assessments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AnswerDelta {
    pub clause: String,
    /// Current level in the first assessment (absent when it has no answer).
    pub a: Option<i64>,
    pub b: Option<i64>,
    /// `b - a` when both answered.
    pub delta: Option<i64>,
}

/// How one top-level clause moved between two assessments.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ClauseDelta {
    pub clause: String,
    pub title: String,
    pub a: f64,
    pub b: f64,
    /// `b - a`, to one decimal.
    pub delta: f64,
}

/// Two assessments side by side: `a` is the earlier one as given, `b` the later.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub a_on: String,
    pub b_on: String,
    pub clauses: Vec<ClauseDelta>,
    pub answers: Vec<AnswerDelta>,
    pub overall_a: f64,
    pub overall_b: f64,
    pub overall_delta: f64,
    /// Sub-clauses whose current level rose from `a` to `b`.
    pub improved: Vec<String>,
    /// Sub-clauses whose current level fell.
    pub regressed: Vec<String>,
}

/// Compares the current levels of two assessments.
pub fn compare(a: &Assessment, b: &Assessment, title: impl Fn(&str) -> String) -> Comparison {
    let sa = scores(&a.answers, &title);
    let sb = scores(&b.answers, &title);
    let mut clause_ids: Vec<String> = sa.clauses.iter().map(|c| c.clause.clone()).collect();
    for c in &sb.clauses {
        if !clause_ids.contains(&c.clause) {
            clause_ids.push(c.clause.clone());
        }
    }
    let score_of = |s: &Scores, id: &str| {
        s.clauses
            .iter()
            .find(|c| c.clause == id)
            .map_or(0.0, |c| c.current)
    };
    let clauses = clause_ids
        .iter()
        .map(|id| {
            let (x, y) = (score_of(&sa, id), score_of(&sb, id));
            ClauseDelta {
                clause: id.clone(),
                title: title(id),
                a: x,
                b: y,
                delta: one_decimal(y - x),
            }
        })
        .collect();
    let mut ids: Vec<&str> = a.answers.iter().map(|x| x.clause.as_str()).collect();
    for x in &b.answers {
        if !ids.contains(&x.clause.as_str()) {
            ids.push(&x.clause);
        }
    }
    let level_in =
        |s: &Assessment, id: &str| s.answers.iter().find(|x| x.clause == id).map(|x| x.current);
    let answers: Vec<AnswerDelta> = ids
        .iter()
        .map(|id| {
            let (x, y) = (level_in(a, id), level_in(b, id));
            AnswerDelta {
                clause: (*id).to_owned(),
                a: x,
                b: y,
                delta: x.zip(y).map(|(x, y)| y - x),
            }
        })
        .collect();
    let moved = |up: bool| {
        answers
            .iter()
            .filter(|d| d.delta.is_some_and(|v| if up { v > 0 } else { v < 0 }))
            .map(|d| d.clause.clone())
            .collect()
    };
    Comparison {
        a: a.key.clone(),
        b: b.key.clone(),
        a_on: a.assessed_on.clone(),
        b_on: b.assessed_on.clone(),
        improved: moved(true),
        regressed: moved(false),
        clauses,
        answers,
        overall_a: sa.overall_current,
        overall_b: sb.overall_current,
        overall_delta: one_decimal(sb.overall_current - sa.overall_current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses() -> Vec<String> {
        ["4.1", "4.2", "6.1.2"]
            .iter()
            .map(|s| (*s).into())
            .collect()
    }

    fn answer(clause: &str, current: i64) -> AnswerInput {
        AnswerInput {
            clause: Some(clause.into()),
            current: Some(current),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default()
    }

    fn fields(r: Result<ValidAssessment, ValidationErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect()
    }

    #[test]
    fn levels_and_questions_are_complete() {
        assert_eq!(LEVELS.len(), 6);
        assert!(LEVELS.iter().zip(0..).all(|(l, n)| l.level == n));
        assert_eq!(QUESTIONS.len(), 32);
        assert_eq!(level_label(2), "2 (Repeatable)");
        assert_eq!(top_clause("6.1.2"), "6");
        assert_eq!(top_clause("10.2"), "10");
    }

    #[test]
    fn every_question_must_be_answered_within_the_scale() {
        let input = AssessmentInput {
            target: Some(4),
            answers: vec![
                answer("4.1", 2),
                AnswerInput {
                    target: Some(5),
                    ..answer("6.1.2", 1)
                },
                answer("4.2", 3),
            ],
            ..Default::default()
        };
        let v = input
            .validate(&clauses(), today())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.assessed_on, "2026-05-01");
        let got: Vec<(&str, i64, i64)> = v
            .answers
            .iter()
            .map(|a| (a.clause.as_str(), a.current, a.target))
            .collect();
        assert_eq!(got, vec![("4.1", 2, 4), ("4.2", 3, 4), ("6.1.2", 1, 5)]);

        let bad = AssessmentInput {
            assessed_on: Some("2026-05-02".into()),
            target: Some(6),
            answers: vec![
                answer("4.2", 7),
                answer("4.2", 1),
                answer("9.9", 1),
                AnswerInput {
                    target: Some(-1),
                    ..answer("6.1.2", 0)
                },
            ],
            ..Default::default()
        };
        assert_eq!(
            fields(bad.validate(&clauses(), today())),
            vec![
                "assessed_on",
                "target",
                "answers[4.2].current",
                "answers[4.2]",
                "answers[9.9]",
                "answers[6.1.2].target",
                "answers[4.1]",
            ]
        );
    }

    #[test]
    fn scores_are_means_to_one_decimal_and_compare_moves() {
        let ans = |c: &str, cur: i64, t: i64| Answer {
            clause: c.into(),
            current: cur,
            target: t,
            note: String::new(),
        };
        let a = Assessment {
            key: "MAT-1".into(),
            assessed_on: "2026-01-01".into(),
            assessor: "root".into(),
            note: String::new(),
            default_target: 3,
            answers: vec![ans("4.1", 1, 3), ans("4.2", 2, 3), ans("6.1.2", 1, 4)],
            created_by: "root".into(),
            created_at: String::new(),
        };
        let s = scores(&a.answers, |c| format!("Clause {c}"));
        assert_eq!(s.clauses.len(), 2);
        assert_eq!((s.clauses[0].current, s.clauses[0].target), (1.5, 3.0));
        assert_eq!(s.clauses[1].title, "Clause 6");
        assert_eq!((s.overall_current, s.overall_target), (1.3, 3.3));
        let b = Assessment {
            key: "MAT-2".into(),
            answers: vec![ans("4.1", 3, 3), ans("4.2", 1, 3), ans("6.1.2", 1, 4)],
            ..a.clone()
        };
        let c = compare(&a, &b, |c| c.to_owned());
        assert_eq!(c.improved, vec!["4.1"]);
        assert_eq!(c.regressed, vec!["4.2"]);
        assert_eq!(c.clauses[0].delta, 0.5);
        assert_eq!(c.overall_delta, 0.4);
        assert_eq!(c.answers[2].delta, Some(0));
    }
}
