//! The risk assessment method (ISO/IEC 42001 6.1.2): the version in force with its scales,
//! matrix, acceptance criteria and review frequencies, the earlier versions, and the form that
//! records a new version (as TOML) and re-scores every risk.

use aims_app::methodology::to_toml;
use aims_core::risk::methodology::{MethodDoc, Methodology, RiskLevel, ScaleLevel};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{render, Layout, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/methodology", get(show).post(set))
        .route("/methodology/init", post(init))
}

const FIELDS: &[(&str, &str)] = &[("content", "Method (TOML)")];

/// A scale for people: its name and levels.
pub struct ScaleView {
    pub name: String,
    pub levels: Vec<(usize, ScaleLevel)>,
}

#[derive(Template)]
#[template(path = "methodology.html")]
struct Page {
    layout: Layout,
    m: Methodology,
    scales: Vec<ScaleView>,
    /// Rows from the highest likelihood: `(likelihood, cells)`.
    matrix: Vec<(usize, Vec<RiskLevel>)>,
    impact_levels: Vec<usize>,
    history: Vec<Methodology>,
    form: FormState,
}

fn scales(doc: &MethodDoc) -> Vec<ScaleView> {
    let view = |name: String, s: &[ScaleLevel]| ScaleView {
        name,
        levels: s
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, l)| (i + 1, l))
            .collect(),
    };
    let mut out = vec![view("Likelihood".into(), &doc.likelihood)];
    for (d, s) in &doc.impact {
        out.push(view(format!("Impact on {}", d.label().to_lowercase()), s));
    }
    out
}

async fn page(
    state: &AppState,
    shell: &Shell,
    form: Option<FormState>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let m = state
        .app
        .methodology_show(shell.actor())
        .await
        .or_page(shell)?;
    let history = state
        .app
        .methodology_history(shell.actor())
        .await
        .or_page(shell)?;
    let form = form.unwrap_or_else(|| FormState::new(FIELDS).set("content", to_toml(&m.doc)));
    let matrix = m
        .doc
        .matrix
        .iter()
        .enumerate()
        .map(|(i, r)| (i + 1, r.clone()))
        .rev()
        .collect();
    let page = Page {
        layout: shell.layout("risks", "Risk assessment method"),
        scales: scales(&m.doc),
        impact_levels: (1..=m.doc.impact_levels()).collect(),
        matrix,
        m,
        history,
        form,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    page(&state, &shell, None, StatusCode::OK).await
}

async fn set(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let text = form.get("content").unwrap_or_default();
    match state.app.methodology_set_toml(shell.actor(), text).await {
        Ok(_) => Ok(Redirect::to("/methodology").into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            page(
                &state,
                &shell,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn init(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    state
        .app
        .methodology_init(shell.actor())
        .await
        .or_page(&shell)?;
    Ok(Redirect::to("/methodology").into_response())
}
