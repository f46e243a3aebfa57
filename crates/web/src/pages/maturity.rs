//! Maturity assessments: the history with the latest radar, the assessment form (one row per
//! question), one assessment, and the comparison of two. Charts are SVG drawn on the server.

use aims_app::maturity::{AssessmentSummary, AssessmentView, Model};
use aims_app::AppError;
use aims_core::maturity::{AnswerInput, AssessmentInput, Comparison, Scores};
use aims_core::FieldError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};

use super::form::FormData;
use super::layout::{ok, render, Layout, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/maturity", get(history))
        .route("/maturity/new", get(new).post(create))
        .route("/maturity/compare", get(compare))
        .route("/maturity/{key}", get(show))
}

/// One axis of a radar chart, with its label.
pub struct Axis {
    pub x: String,
    pub y: String,
    pub lx: String,
    pub ly: String,
    pub anchor: &'static str,
    pub label: String,
}

/// One polygon of a radar chart.
pub struct Series {
    pub name: String,
    pub points: String,
    pub stroke: &'static str,
    pub fill: &'static str,
    pub fill_opacity: &'static str,
    pub dash: &'static str,
}

/// A radar chart: one axis per top-level clause, levels 0 to 5 outwards.
pub struct Radar {
    pub id: String,
    pub title: String,
    pub description: String,
    pub size: u32,
    /// Room left and right of the square for the axis labels.
    pub pad: u32,
    pub center: String,
    pub rings: Vec<String>,
    /// Where each ring's level is written, on the upward axis: `(x, y, level)`.
    pub ring_labels: Vec<(String, String, u32)>,
    pub axes: Vec<Axis>,
    pub series: Vec<Series>,
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

impl Radar {
    /// `series` holds `(name, values per axis, colour, filled, dashed)`.
    fn new(
        id: &str,
        title: String,
        size: u32,
        axes: &[(String, String)],
        series: Vec<(String, Vec<f64>, &'static str, bool, bool)>,
    ) -> Radar {
        let c = f64::from(size) / 2.0;
        let radius = c - 50.0;
        let n = axes.len().max(1);
        let point = |i: usize, level: f64| {
            let angle =
                -std::f64::consts::FRAC_PI_2 + (i as f64) * std::f64::consts::TAU / n as f64;
            let r = radius * level.clamp(0.0, 5.0) / 5.0;
            (c + r * angle.cos(), c + r * angle.sin())
        };
        let polygon = |values: &[f64]| {
            (0..n)
                .map(|i| {
                    let (x, y) = point(i, values.get(i).copied().unwrap_or(0.0));
                    format!("{},{}", fmt(x), fmt(y))
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let rings = (1..=5).map(|l| polygon(&vec![f64::from(l); n])).collect();
        let ring_labels = (1..=5u32)
            .map(|l| {
                let (x, y) = point(0, f64::from(l));
                (fmt(x + 4.0), fmt(y - 3.0), l)
            })
            .collect();
        let axes_out = axes
            .iter()
            .enumerate()
            .map(|(i, (id, title))| {
                let (x, y) = point(i, 5.0);
                let (lx, ly) = point(i, 5.0 + 5.0 * 14.0 / radius);
                let dx = lx - c;
                Axis {
                    x: fmt(x),
                    y: fmt(y),
                    lx: fmt(lx),
                    ly: fmt(if dx.abs() < 1.0 && ly < c {
                        ly - 6.0
                    } else {
                        ly + 4.0
                    }),
                    anchor: if dx.abs() < 1.0 {
                        "middle"
                    } else if dx > 0.0 {
                        "start"
                    } else {
                        "end"
                    },
                    label: format!("{id} {}", short_title(title)),
                }
            })
            .collect();
        let description = series
            .iter()
            .map(|(name, values, ..)| {
                let parts: Vec<String> = axes
                    .iter()
                    .zip(values)
                    .map(|((id, _), v)| format!("clause {id} {}", fmt(*v)))
                    .collect();
                format!("{name}: {}.", parts.join(", "))
            })
            .collect::<Vec<_>>()
            .join(" ");
        Radar {
            id: id.to_owned(),
            title,
            description,
            size,
            pad: 90,
            center: fmt(c),
            rings,
            ring_labels,
            axes: axes_out,
            series: series
                .into_iter()
                .map(|(name, values, stroke, filled, dashed)| Series {
                    points: polygon(&values),
                    name,
                    stroke,
                    fill: if filled { stroke } else { "none" },
                    fill_opacity: if filled { "0.2" } else { "0" },
                    dash: if dashed { "6 4" } else { "none" },
                })
                .collect(),
        }
    }

    /// Current and target of one assessment.
    pub fn of_scores(key: &str, scores: &Scores) -> Radar {
        let axes: Vec<(String, String)> = scores
            .clauses
            .iter()
            .map(|c| (c.clause.clone(), c.title.clone()))
            .collect();
        Radar::new(
            &format!("radar-{key}"),
            format!("Maturity of {key} per clause: current and target levels"),
            460,
            &axes,
            vec![
                (
                    "Current".into(),
                    scores.clauses.iter().map(|c| c.current).collect(),
                    "#1d70b8",
                    true,
                    false,
                ),
                (
                    "Target".into(),
                    scores.clauses.iter().map(|c| c.target).collect(),
                    "#d4351c",
                    false,
                    true,
                ),
            ],
        )
    }

    /// The current levels of two assessments.
    pub fn of_comparison(c: &Comparison) -> Radar {
        let axes: Vec<(String, String)> = c
            .clauses
            .iter()
            .map(|d| (d.clause.clone(), d.title.clone()))
            .collect();
        Radar::new(
            "radar-compare",
            format!("Current maturity per clause: {} and {}", c.a, c.b),
            380,
            &axes,
            vec![
                (
                    format!("{} ({})", c.a, c.a_on),
                    c.clauses.iter().map(|d| d.a).collect(),
                    "#505a5f",
                    false,
                    true,
                ),
                (
                    format!("{} ({})", c.b, c.b_on),
                    c.clauses.iter().map(|d| d.b).collect(),
                    "#1d70b8",
                    true,
                    false,
                ),
            ],
        )
    }
}

/// A clause title short enough for a chart label: its first word (`Context`, `Planning`).
fn short_title(title: &str) -> String {
    title
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[derive(Template)]
#[template(path = "maturity.html")]
struct HistoryPage {
    layout: Layout,
    history: Vec<AssessmentSummary>,
    latest: Option<AssessmentView>,
    radar: Option<Radar>,
    clauses: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "maturity_show.html")]
struct ShowPage {
    layout: Layout,
    v: AssessmentView,
    radar: Radar,
}

#[derive(Template)]
#[template(path = "maturity_compare.html")]
struct ComparePage {
    layout: Layout,
    c: Comparison,
    radar: Radar,
}

/// One question row of the form, with what was chosen and its error.
pub struct Row {
    pub clause: String,
    pub title: String,
    pub question: String,
    pub current: String,
    pub target: String,
    pub note: String,
    pub error: String,
}

/// One entry of the error summary.
pub struct Problem {
    pub anchor: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "maturity_form.html")]
struct FormPage {
    layout: Layout,
    model: Model,
    rows: Vec<Row>,
    assessed_on: String,
    note: String,
    target: String,
    errors: Vec<FieldError>,
    problems: Vec<Problem>,
}

impl FormPage {
    /// The errors of a top-level field, joined.
    fn error(&self, name: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == name)
            .map(|e| e.reason.clone())
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn levels(&self) -> Vec<(String, String)> {
        self.model
            .levels
            .iter()
            .map(|l| (l.level.to_string(), format!("{} {}", l.level, l.name)))
            .collect()
    }
}

/// The sub-clause an error field is about: `answers[6.1.2].current` → `6.1.2`.
fn clause_of(field: &str) -> Option<&str> {
    field.strip_prefix("answers[")?.split(']').next()
}

async fn history(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let history = state
        .app
        .maturity_list(shell.actor())
        .await
        .or_page(&shell)?;
    let latest = state
        .app
        .maturity_latest(shell.actor())
        .await
        .or_page(&shell)?;
    let radar = latest
        .as_ref()
        .map(|v| Radar::of_scores(&v.assessment.key, &v.scores));
    let page = HistoryPage {
        layout: shell.layout("maturity", "Maturity"),
        history,
        latest,
        radar,
        clauses: aims_app::maturity::top_clauses(),
    };
    Ok(ok(&page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let v = state
        .app
        .maturity_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    let page = ShowPage {
        layout: shell.layout(
            "maturity",
            format!("Maturity assessment {}", v.assessment.key),
        ),
        radar: Radar::of_scores(&v.assessment.key, &v.scores),
        v,
    };
    Ok(ok(&page))
}

#[derive(Debug, Default, serde::Deserialize)]
struct CompareParams {
    a: Option<String>,
    b: Option<String>,
}

async fn compare(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<CompareParams>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let c = state
        .app
        .maturity_compare(
            shell.actor(),
            q.a.as_deref().unwrap_or_default(),
            q.b.as_deref().unwrap_or_default(),
        )
        .await
        .or_page(&shell)?;
    let page = ComparePage {
        layout: shell.layout("maturity", format!("Compare {} with {}", c.a, c.b)),
        radar: Radar::of_comparison(&c),
        c,
    };
    Ok(ok(&page))
}

fn form_page(
    shell: &Shell,
    form: Option<&FormData>,
    prefill: Option<&AssessmentView>,
    error: Option<&AppError>,
) -> FormPage {
    let model = aims_app::maturity::model();
    let errors = error.map(AppError::fields).unwrap_or_default();
    let value = |name: &str| {
        form.and_then(|f| f.get(name))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let rows = model
        .questions
        .iter()
        .map(|q| {
            let before =
                prefill.and_then(|p| p.assessment.answers.iter().find(|a| a.clause == q.clause));
            let pick = |name: &str, old: Option<i64>| match form {
                Some(_) => value(&format!("{name}_{}", q.clause)),
                None => old.map(|v| v.to_string()).unwrap_or_default(),
            };
            Row {
                current: pick("current", before.map(|a| a.current)),
                target: pick("target", before.map(|a| a.target)),
                note: value(&format!("note_{}", q.clause)),
                error: errors
                    .iter()
                    .filter(|e| clause_of(&e.field) == Some(q.clause.as_str()))
                    .map(|e| match e.field.rsplit_once('.') {
                        Some((_, part))
                            if e.field.ends_with(".current")
                                || e.field.ends_with(".target")
                                || e.field.ends_with(".note") =>
                        {
                            format!("{part}: {}", e.reason)
                        }
                        _ => e.reason.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                clause: q.clause.clone(),
                title: q.title.clone(),
                question: q.question.clone(),
            }
        })
        .collect();
    let problems = errors
        .iter()
        .map(|e| match clause_of(&e.field) {
            Some(c) => Problem {
                anchor: format!("q-{c}"),
                text: format!("Question {c}: {}", e.reason),
            },
            None => Problem {
                anchor: format!("f-{}", e.field),
                text: format!("{}: {}", e.field.replace('_', " "), e.reason),
            },
        })
        .collect();
    FormPage {
        layout: shell.layout("maturity", "New maturity assessment"),
        assessed_on: form.map_or_else(
            || chrono::Utc::now().date_naive().to_string(),
            |_| value("assessed_on"),
        ),
        note: value("note"),
        target: form.map_or_else(|| "3".to_owned(), |_| value("target")),
        model,
        rows,
        errors,
        problems,
    }
}

async fn new(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    if !shell.actor().role.permits(aims_core::Action::WriteMaturity) {
        return Err(shell.fail(AppError::Forbidden {
            role: shell.actor().role,
            action: aims_core::Action::WriteMaturity,
        }));
    }
    let latest = state
        .app
        .maturity_latest(shell.actor())
        .await
        .or_page(&shell)?;
    Ok(ok(&form_page(&shell, None, latest.as_ref(), None)))
}

fn level(form: &FormData, name: &str) -> Result<Option<i64>, FieldError> {
    match form.get(name).map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| FieldError::new(name, format!("'{v}' is not a level (0 to 5)"))),
    }
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let mut bad = aims_core::ValidationErrors::default();
    let mut answers = Vec::new();
    for q in aims_app::maturity::model().questions {
        let field = |part: &str| format!("answers[{}].{part}", q.clause);
        let current = level(&form, &format!("current_{}", q.clause))
            .map_err(|e| FieldError::new(field("current"), e.reason))
            .map_err(|e| bad.0.push(e))
            .ok()
            .flatten();
        let target = level(&form, &format!("target_{}", q.clause))
            .map_err(|e| FieldError::new(field("target"), e.reason))
            .map_err(|e| bad.0.push(e))
            .ok()
            .flatten();
        // An unanswered question is left out, so that the service names it.
        if current.is_none()
            && bad
                .0
                .iter()
                .all(|e| clause_of(&e.field) != Some(q.clause.as_str()))
        {
            continue;
        }
        answers.push(AnswerInput {
            clause: Some(q.clause.clone()),
            current: current.or(Some(-1)),
            target,
            note: form.chosen(&format!("note_{}", q.clause)),
        });
    }
    let target = level(&form, "target")
        .map_err(|e| bad.0.push(e))
        .ok()
        .flatten();
    let input = AssessmentInput {
        assessed_on: form.chosen("assessed_on"),
        assessor: None,
        note: form.chosen("note"),
        target,
        answers,
    };
    let result = if bad.is_empty() {
        state.app.maturity_assess(shell.actor(), &input).await
    } else {
        Err(AppError::Invalid(bad))
    };
    match result {
        Ok(v) => Ok(Redirect::to(&format!("/maturity/{}", v.assessment.key)).into_response()),
        Err(e) if matches!(e, AppError::Invalid(_)) => {
            let page = form_page(&shell, Some(&form), None, Some(&e));
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(shell.fail(e)),
    }
}
