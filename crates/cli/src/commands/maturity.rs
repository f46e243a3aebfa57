//! `aims maturity assess|show|compare|list|model`: maturity self-assessments of the AI
//! management system, one question per sub-clause of ISO/IEC 42001 clauses 4 to 10.

use std::path::PathBuf;

use aims_app::maturity::{answers_from_csv, AssessmentView};
use aims_app::AppError;
use aims_core::maturity::{AnswerInput, AssessmentInput, Scores};
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum MaturityCmd {
    /// Record an assessment; every sub-clause of clauses 4 to 10 must be answered.
    Assess {
        /// An answer, CLAUSE=CURRENT or CLAUSE=CURRENT:TARGET (4.1=2, 6.1.2=1:4); repeatable.
        /// Overrides the same clause in --file.
        #[arg(long = "set", value_name = "CLAUSE=LEVEL")]
        set: Vec<String>,
        /// Answers as CSV with the header clause,current,target,note.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Target for answers that give none (0 to 5; default 3).
        #[arg(long)]
        target: Option<i64>,
        /// The day assessed (YYYY-MM-DD; default today).
        #[arg(long = "on", value_name = "DATE")]
        on: Option<String>,
        /// A note on the whole assessment.
        #[arg(long)]
        note: Option<String>,
        /// The assessor's username (default: you).
        #[arg(long)]
        assessor: Option<String>,
    },
    /// Scores per clause and the answers of one assessment (the latest by default).
    Show {
        /// The assessment (MAT-2).
        key: Option<String>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Per clause and per sub-clause changes from assessment A to B.
    Compare {
        /// The earlier assessment.
        a: String,
        /// The later assessment.
        b: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Every assessment with its scores, latest first.
    List(JsonArg),
    /// The levels and the question of each sub-clause.
    Model(JsonArg),
}

/// Parses `4.1=2` or `4.1=2:4`.
fn parse_set(i: usize, text: &str) -> Result<AnswerInput, AppError> {
    let field = format!("set[{i}]");
    let bad = || {
        AppError::invalid(
            &field,
            format!(
                "'{text}' is not CLAUSE=LEVEL or CLAUSE=LEVEL:TARGET (e.g. 4.1=2 or 6.1.2=1:4)"
            ),
        )
    };
    let (clause, levels) = text.split_once('=').ok_or_else(bad)?;
    let (current, target) = match levels.split_once(':') {
        Some((c, t)) => (c, Some(t)),
        None => (levels, None),
    };
    let current = current.trim().parse::<i64>().map_err(|_| bad())?;
    let target = target
        .map(|t| t.trim().parse::<i64>().map_err(|_| bad()))
        .transpose()?;
    if clause.trim().is_empty() {
        return Err(bad());
    }
    Ok(AnswerInput {
        clause: Some(clause.trim().to_owned()),
        current: Some(current),
        target,
        note: None,
    })
}

fn level(v: f64) -> String {
    format!("{v:.1}")
}

fn print_scores(scores: &Scores) -> Result<()> {
    let mut table = Table::new(&["clause", "title", "current", "target"]);
    for c in &scores.clauses {
        table.row(vec![
            c.clause.clone(),
            c.title.clone(),
            level(c.current),
            level(c.target),
        ]);
    }
    table.row(vec![
        "all".into(),
        "Overall".into(),
        level(scores.overall_current),
        level(scores.overall_target),
    ]);
    table.print("no scores")
}

fn print_view(v: &AssessmentView) -> Result<()> {
    let a = &v.assessment;
    output::fields(&[
        ("assessment", a.key.clone()),
        ("assessed on", a.assessed_on.clone()),
        ("assessor", a.assessor.clone()),
        ("note", a.note.clone()),
    ])?;
    output::line("")?;
    print_scores(&v.scores)?;
    output::line("")?;
    let mut table = Table::new(&["sub-clause", "title", "current", "target", "note"]);
    for q in &v.questions {
        table.row(vec![
            q.clause.clone(),
            output::clip(&q.title, 48),
            q.current_label(),
            q.target_label(),
            output::clip(&q.note, 40),
        ]);
    }
    table.print("no answers")
}

pub async fn run(s: &Session, cmd: MaturityCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        MaturityCmd::Assess {
            set,
            file,
            target,
            on,
            note,
            assessor,
        } => {
            let mut answers = match &file {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    answers_from_csv(&text)?
                }
                None => Vec::new(),
            };
            for (i, text) in set.iter().enumerate() {
                let a = parse_set(i, text)?;
                match answers.iter_mut().find(|x| x.clause == a.clause) {
                    Some(x) => {
                        x.current = a.current;
                        if a.target.is_some() {
                            x.target = a.target;
                        }
                    }
                    None => answers.push(a),
                }
            }
            let input = AssessmentInput {
                assessed_on: on,
                assessor,
                note,
                target,
                answers,
            };
            let v = app.maturity_assess(actor, &input).await?;
            outln!(
                "recorded {} of {}: overall {} against a target of {}",
                v.assessment.key,
                v.assessment.assessed_on,
                level(v.scores.overall_current),
                level(v.scores.overall_target)
            )
        }
        MaturityCmd::Show { key, out } => {
            let v = match key {
                Some(k) => app.maturity_get(actor, &k).await?,
                None => app.maturity_latest(actor).await?.ok_or_else(|| {
                    AppError::not_found(
                        "maturity assessment (record one with `aims maturity assess`)",
                    )
                })?,
            };
            if out.json {
                return output::json(&v);
            }
            print_view(&v)
        }
        MaturityCmd::Compare { a, b, out } => {
            let c = app.maturity_compare(actor, &a, &b).await?;
            if out.json {
                return output::json(&c);
            }
            outln!(
                "{} ({}) -> {} ({}): overall {} -> {} ({:+.1})",
                c.a,
                c.a_on,
                c.b,
                c.b_on,
                level(c.overall_a),
                level(c.overall_b),
                c.overall_delta
            )?;
            let mut table = Table::new(&["clause", "title", "before", "after", "change"]);
            for d in &c.clauses {
                table.row(vec![
                    d.clause.clone(),
                    d.title.clone(),
                    level(d.a),
                    level(d.b),
                    format!("{:+.1}", d.delta),
                ]);
            }
            table.print("no clauses")?;
            let list = |ids: &[String]| {
                if ids.is_empty() {
                    "none".to_owned()
                } else {
                    ids.join(", ")
                }
            };
            outln!("improved: {}", list(&c.improved))?;
            outln!("regressed: {}", list(&c.regressed))
        }
        MaturityCmd::List(out) => {
            let list = app.maturity_list(actor).await?;
            if out.json {
                return output::json(&list);
            }
            let mut headers = vec!["key", "assessed on", "assessor"];
            headers.extend(["4", "5", "6", "7", "8", "9", "10", "overall", "target"]);
            let mut table = Table::new(&headers);
            for s in list {
                let mut row = vec![s.key, s.assessed_on, s.assessor];
                row.extend(s.scores.clauses.iter().map(|c| level(c.current)));
                row.push(level(s.scores.overall_current));
                row.push(level(s.scores.overall_target));
                table.row(row);
            }
            table.print("no maturity assessments; record one with `aims maturity assess`")
        }
        MaturityCmd::Model(out) => {
            let m = app.maturity_model(actor).await?;
            if out.json {
                return output::json(&m);
            }
            let mut levels = Table::new(&["level", "name", "definition"]);
            for l in &m.levels {
                levels.row(vec![
                    l.level.to_string(),
                    l.name.to_owned(),
                    l.definition.to_owned(),
                ]);
            }
            levels.print("no levels")?;
            output::line("")?;
            let mut table = Table::new(&["sub-clause", "title", "question"]);
            for q in m.questions {
                table.row(vec![q.clause, q.title, q.question]);
            }
            table.print("no questions")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_takes_a_level_and_an_optional_target() {
        let a = parse_set(0, "6.1.2=1:4").ok();
        assert_eq!(
            a.map(|a| (a.clause, a.current, a.target)),
            Some((Some("6.1.2".into()), Some(1), Some(4)))
        );
        assert!(parse_set(0, "4.1").is_err());
        assert!(parse_set(1, "4.1=x").is_err());
        assert!(parse_set(1, "=2").is_err());
    }
}
