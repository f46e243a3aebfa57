//! Maturity assessments of the AI management system: the model (levels and one question per
//! sub-clause of ISO/IEC 42001 clauses 4 to 10, the sub-clauses taken from the built-in
//! catalog), assessments `MAT-n` kept over time, their scores and comparisons.

use aims_catalog::{Catalog, Kind as ItemKind};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::maturity::{
    self, Answer, AnswerInput, Assessment, AssessmentInput, Comparison, Level, Scores,
};
use aims_core::Action;
use aims_store::maturity as store;
use serde::Serialize;

use crate::record::{now, record};
use crate::soa::FRAMEWORK;
use crate::{Actor, App, AppError, Result};

/// One question of the model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Question {
    /// The sub-clause (`6.1.2`).
    pub clause: String,
    /// Its title in the catalog.
    pub title: String,
    /// The top-level clause it belongs to (`6`).
    pub top: String,
    pub question: String,
}

/// The maturity model: its levels and questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Model {
    pub levels: Vec<Level>,
    pub default_target: i64,
    pub questions: Vec<Question>,
}

/// The sub-clauses of clauses 4 to 10: clause items of the catalog with no clause children,
/// in catalog order, as `(id, title)`.
pub fn leaf_clauses() -> Vec<(String, String)> {
    let Some(fw) = Catalog::framework(FRAMEWORK) else {
        return Vec::new();
    };
    let in_range = |id: &str| {
        maturity::top_clause(id)
            .parse::<u32>()
            .is_ok_and(|n| (4..=10).contains(&n))
    };
    fw.items
        .iter()
        .filter(|i| i.kind == ItemKind::Clause && in_range(&i.id))
        .filter(|i| !fw.children(&i.id).any(|c| c.kind == ItemKind::Clause))
        .map(|i| (i.id.clone(), i.title.clone()))
        .collect()
}

/// The title of a clause of the catalog (`6` → Planning), or the ID itself.
pub fn clause_title(id: &str) -> String {
    Catalog::framework(FRAMEWORK)
        .and_then(|f| f.item(id))
        .map_or_else(|| id.to_owned(), |i| i.title.clone())
}

/// The top-level clauses (4 to 10), in order, as `(id, title)`: the axes of the radar.
pub fn top_clauses() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (id, _) in leaf_clauses() {
        let top = maturity::top_clause(&id).to_owned();
        if !out.iter().any(|(t, _)| *t == top) {
            let title = clause_title(&top);
            out.push((top, title));
        }
    }
    out
}

/// The model: levels and one question per sub-clause.
pub fn model() -> Model {
    Model {
        levels: maturity::LEVELS.to_vec(),
        default_target: maturity::DEFAULT_TARGET,
        questions: leaf_clauses()
            .into_iter()
            .map(|(clause, title)| Question {
                top: maturity::top_clause(&clause).to_owned(),
                question: maturity::question(&clause).unwrap_or_default().to_owned(),
                clause,
                title,
            })
            .collect(),
    }
}

/// One answer with its question, for showing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AnswerView {
    pub clause: String,
    pub title: String,
    pub question: String,
    pub current: i64,
    pub target: i64,
    pub note: String,
}

impl AnswerView {
    pub fn current_label(&self) -> String {
        maturity::level_label(self.current)
    }

    pub fn target_label(&self) -> String {
        maturity::level_label(self.target)
    }

    /// Whether the answer is below its target.
    pub fn short(&self) -> bool {
        self.current < self.target
    }
}

/// An assessment with its scores and its answers next to their questions.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AssessmentView {
    #[serde(flatten)]
    pub assessment: Assessment,
    pub scores: Scores,
    /// The answers with their questions, in catalog order.
    pub questions: Vec<AnswerView>,
}

/// An assessment in the history: its key, day, assessor and scores.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AssessmentSummary {
    pub key: String,
    pub assessed_on: String,
    pub assessor: String,
    pub note: String,
    pub scores: Scores,
}

/// The scores of an assessment, top-level clauses titled from the catalog.
pub fn scores_of(a: &Assessment) -> Scores {
    maturity::scores(&a.answers, clause_title)
}

fn view(a: Assessment) -> AssessmentView {
    let questions = a
        .answers
        .iter()
        .map(|x| AnswerView {
            clause: x.clause.clone(),
            title: clause_title(&x.clause),
            question: maturity::question(&x.clause).unwrap_or_default().to_owned(),
            current: x.current,
            target: x.target,
            note: x.note.clone(),
        })
        .collect();
    AssessmentView {
        scores: scores_of(&a),
        questions,
        assessment: a,
    }
}

/// Answers read from CSV with the header `clause,current,target,note` (target and note may be
/// empty). Errors name `file` and the line.
pub fn answers_from_csv(text: &str) -> Result<Vec<AnswerInput>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| AppError::invalid("file", format!("cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(clause), Some(current)) = (column("clause"), column("current")) else {
        return Err(AppError::invalid(
            "file",
            "the header must name the columns clause,current,target,note",
        ));
    };
    let (target, note) = (column("target"), column("note"));
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| AppError::invalid("file", format!("line {line}: {e}")))?;
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let level = |c: Option<usize>, name: &str| -> Result<Option<i64>> {
            cell(c)
                .map(|v| {
                    v.parse::<i64>().map_err(|_| {
                        AppError::invalid(
                            "file",
                            format!("line {line}: {name} '{v}' is not a level (0 to 5)"),
                        )
                    })
                })
                .transpose()
        };
        out.push(AnswerInput {
            clause: cell(Some(clause)).map(str::to_owned),
            current: level(Some(current), "current")?,
            target: level(target, "target")?,
            note: cell(note).map(str::to_owned),
        });
    }
    Ok(out)
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

impl App {
    /// The maturity model (levels and questions).
    pub async fn maturity_model(&self, actor: &Actor) -> Result<Model> {
        actor.require(Action::Read)?;
        Ok(model())
    }

    /// Records an assessment; every question must be answered.
    pub async fn maturity_assess(
        &self,
        actor: &Actor,
        input: &AssessmentInput,
    ) -> Result<AssessmentView> {
        actor.require(Action::WriteMaturity)?;
        let clauses: Vec<String> = leaf_clauses().into_iter().map(|(id, _)| id).collect();
        let valid = input.validate(&clauses, today())?;
        let mut tx = self.db.begin_write().await?;
        let assessor = match valid.assessor {
            Some(name) => {
                let found = aims_store::users::by_username(tx.conn(), &name).await?;
                match found {
                    Some((u, _)) => u.username,
                    None => return Err(AppError::invalid("assessor", format!("no user '{name}'"))),
                }
            }
            None => actor.username.clone(),
        };
        let n = aims_store::counters::next(tx.conn(), Kind::MaturityAssessment).await?;
        let a = Assessment {
            key: Kind::MaturityAssessment.key(n),
            assessed_on: valid.assessed_on,
            assessor,
            note: valid.note,
            default_target: valid.default_target,
            answers: valid.answers,
            created_by: actor.username.clone(),
            created_at: now(),
        };
        store::insert(tx.conn(), n, &a).await?;
        record(
            &mut tx,
            actor,
            Kind::MaturityAssessment,
            &a.key,
            actions::CREATE,
            &a,
        )
        .await?;
        tx.commit().await?;
        Ok(view(a))
    }

    /// Every assessment with its scores, latest first.
    pub async fn maturity_list(&self, actor: &Actor) -> Result<Vec<AssessmentSummary>> {
        actor.require(Action::Read)?;
        let all = store::list(&mut *self.read().await?).await?;
        Ok(all
            .into_iter()
            .map(|a| AssessmentSummary {
                scores: scores_of(&a),
                key: a.key,
                assessed_on: a.assessed_on,
                assessor: a.assessor,
                note: a.note,
            })
            .collect())
    }

    /// One assessment with scores and answers.
    pub async fn maturity_get(&self, actor: &Actor, key: &str) -> Result<AssessmentView> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        let a = store::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("maturity assessment {key}")))?;
        Ok(view(a))
    }

    /// The latest assessment (newest day assessed), if any.
    pub async fn maturity_latest(&self, actor: &Actor) -> Result<Option<AssessmentView>> {
        actor.require(Action::Read)?;
        Ok(store::latest(&mut *self.read().await?).await?.map(view))
    }

    /// Compares assessment `a` (before) with `b` (after).
    pub async fn maturity_compare(&self, actor: &Actor, a: &str, b: &str) -> Result<Comparison> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let mut fetch = Vec::new();
        for (field, key) in [("a", a), ("b", b)] {
            let key = normalise(key);
            if key.is_empty() {
                return Err(AppError::invalid(
                    field,
                    "is required (an assessment key, MAT-n)",
                ));
            }
            let found = store::get(&mut conn, &key)
                .await?
                .ok_or_else(|| AppError::not_found(format!("maturity assessment {key}")))?;
            fetch.push(found);
        }
        let (x, y) = (&fetch[0], &fetch[1]);
        Ok(maturity::compare(x, y, clause_title))
    }
}

/// Seeds two demo assessments about five months apart, the second showing progress.
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    let today = today();
    let first = today - chrono::Days::new(150);
    let second = today - chrono::Days::new(10);
    // (clause, level in the first assessment, level in the second, target)
    let plan: &[(&str, i64, i64, i64)] = &[
        ("4.1", 2, 3, 3),
        ("4.2", 1, 3, 3),
        ("4.3", 2, 4, 4),
        ("4.4", 1, 2, 3),
        ("5.1", 2, 3, 3),
        ("5.2", 1, 3, 3),
        ("5.3", 1, 2, 3),
        ("6.1.1", 1, 2, 3),
        ("6.1.2", 1, 2, 4),
        ("6.1.3", 1, 3, 4),
        ("6.1.4", 0, 1, 4),
        ("6.2", 1, 2, 3),
        ("6.3", 0, 1, 3),
        ("7.1", 2, 2, 3),
        ("7.2", 1, 2, 3),
        ("7.3", 1, 1, 3),
        ("7.4", 1, 2, 3),
        ("7.5.1", 1, 2, 3),
        ("7.5.2", 2, 3, 3),
        ("7.5.3", 1, 3, 3),
        ("8.1", 1, 2, 3),
        ("8.2", 1, 2, 4),
        ("8.3", 0, 1, 4),
        ("8.4", 0, 1, 4),
        ("9.1", 1, 2, 3),
        ("9.2.1", 0, 1, 3),
        ("9.2.2", 0, 1, 3),
        ("9.3.1", 0, 1, 3),
        ("9.3.2", 0, 1, 3),
        ("9.3.3", 0, 0, 3),
        ("10.1", 1, 1, 3),
        ("10.2", 1, 2, 3),
    ];
    let clauses: Vec<String> = leaf_clauses().into_iter().map(|(id, _)| id).collect();
    for (on, second_round, note) in [
        (
            first,
            false,
            "Baseline self-assessment by the governance lead before the AIMS project started.",
        ),
        (
            second,
            true,
            "Follow-up after the scope, controls and Statement of Applicability were approved.",
        ),
    ] {
        let answers = clauses
            .iter()
            .map(|c| {
                let (_, before, after, target) = plan
                    .iter()
                    .find(|(id, ..)| id == c)
                    .copied()
                    .unwrap_or((c.as_str(), 0, 0, maturity::DEFAULT_TARGET));
                AnswerInput {
                    clause: Some(c.clone()),
                    current: Some(if second_round { after } else { before }),
                    target: Some(target),
                    note: None,
                }
            })
            .collect();
        let input = AssessmentInput {
            assessed_on: Some(on.to_string()),
            assessor: None,
            note: Some(note.into()),
            target: None,
            answers,
        };
        app.maturity_assess(actor, &input).await?;
    }
    Ok(())
}

/// The answer of an assessment for a sub-clause.
pub fn answer<'a>(a: &'a Assessment, clause: &str) -> Option<&'a Answer> {
    a.answers.iter().find(|x| x.clause == clause)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_leaf_clause_has_a_question_and_every_question_a_leaf() {
        let leaves: Vec<String> = leaf_clauses().into_iter().map(|(id, _)| id).collect();
        assert_eq!(leaves.len(), 32);
        for id in &leaves {
            assert!(maturity::question(id).is_some(), "no question for {id}");
        }
        for (id, _) in maturity::QUESTIONS {
            assert!(
                leaves.iter().any(|l| l == id),
                "question {id} has no sub-clause"
            );
        }
        let tops: Vec<String> = top_clauses().into_iter().map(|(t, _)| t).collect();
        assert_eq!(tops, vec!["4", "5", "6", "7", "8", "9", "10"]);
    }

    #[test]
    fn answers_are_read_from_csv() {
        let csv = "clause,current,target,note\n4.1,2,,ok\n 6.1.2 , 1 , 4 ,\n";
        let got = answers_from_csv(csv).unwrap_or_default();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].target, None);
        assert_eq!(got[1].clause.as_deref(), Some("6.1.2"));
        assert_eq!((got[1].current, got[1].target), (Some(1), Some(4)));
        assert!(answers_from_csv("clause,current\n4.1,x\n").is_err());
        assert!(answers_from_csv("a,b\n").is_err());
    }
}
