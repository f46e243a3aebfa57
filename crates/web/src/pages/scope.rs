//! Scope of the AI management system (ISO/IEC 42001 4.3): the approved version and the draft,
//! proposing and approving versions, one version's page, and the difference between two.

use aims_app::scope::ScopeStatus;
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::Event;
use aims_core::scope::{
    Change, Coverage, DiffLine, Exclusion, ScopeFields, ScopeInput, ScopeVersion,
};
use aims_core::text::split_list;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{piped_lines, FormData, FormState};
use super::layout::{ok, opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/scope", get(overview).post(propose))
        .route("/scope/edit", get(edit))
        .route("/scope/approve", post(approve))
        .route("/scope/diff", get(diff))
        .route("/scope/{key}", get(version))
}

const FIELDS: &[(&str, &str)] = &[
    ("statement", "Scope statement"),
    ("boundaries", "Boundaries"),
    ("units", "Business units"),
    ("coverage", "Which AI systems it covers"),
    ("systems", "Systems in scope"),
    ("exclusions", "Exclusions"),
];

#[derive(Template)]
#[template(path = "scope.html")]
struct OverviewPage {
    layout: Layout,
    status: ScopeStatus,
    draft: Option<ScopeVersion>,
    history: Vec<ScopeVersion>,
}

#[derive(Template)]
#[template(path = "scope_version.html")]
struct VersionPage {
    layout: Layout,
    v: ScopeVersion,
    in_force: bool,
    history: Vec<Event>,
}

#[derive(Template)]
#[template(path = "scope_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    coverages: Vec<Opt>,
    base: i64,
}

#[derive(Template)]
#[template(path = "scope_diff.html")]
struct DiffPage {
    layout: Layout,
    versions: Vec<ScopeVersion>,
    from: i64,
    to: i64,
    lines: Vec<DiffLine>,
    added: usize,
    removed: usize,
    error: String,
}

async fn overview(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let status = state
        .app
        .scope_status(shell.actor())
        .await
        .or_page(&shell)?;
    let history = state
        .app
        .scope_history(shell.actor())
        .await
        .or_page(&shell)?;
    let page = OverviewPage {
        layout: shell.layout("scope", "Scope"),
        draft: status.latest.clone().filter(|v| !v.is_approved()),
        status,
        history,
    };
    Ok(ok(&page))
}

/// The version number of `SCP-3` or `3`.
fn version_number(key: &str) -> Option<i64> {
    let key = normalise(key);
    match Kind::of_key(&key) {
        Some(Kind::Scope) => key.split_once('-').and_then(|(_, n)| n.parse().ok()),
        _ => key.parse().ok(),
    }
}

async fn version(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let Some(n) = version_number(&key) else {
        return Err(PageError::new(
            StatusCode::NOT_FOUND,
            format!("There is no scope version '{key}'."),
            Some(shell.bar()),
        ));
    };
    let v = state
        .app
        .scope_get(shell.actor(), n)
        .await
        .or_page(&shell)?;
    let status = state
        .app
        .scope_status(shell.actor())
        .await
        .or_page(&shell)?;
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&v.key), None, Some(100))
        .await
        .or_page(&shell)?;
    let page = VersionPage {
        layout: shell.layout("scope", format!("Scope version {}", v.version)),
        in_force: status
            .approved
            .as_ref()
            .is_some_and(|a| a.version == v.version),
        v,
        history,
    };
    Ok(ok(&page))
}

fn prefill(f: &ScopeFields) -> FormState {
    FormState::new(FIELDS)
        .set("statement", &f.statement)
        .set("boundaries", f.boundaries.clone().unwrap_or_default())
        .set("units", f.units.join("\n"))
        .set("coverage", f.coverage.as_str())
        .set("systems", f.systems.join(", "))
        .set(
            "exclusions",
            f.exclusions
                .iter()
                .map(|x| format!("{} | {}", x.item, x.justification))
                .collect::<Vec<_>>()
                .join("\n"),
        )
}

fn input(f: &FormData) -> ScopeInput {
    ScopeInput {
        statement: f.text("statement"),
        boundaries: f.text("boundaries"),
        units: Some(split_list(f.get("units").unwrap_or_default())),
        coverage: f.chosen("coverage"),
        systems: Some(split_list(f.get("systems").unwrap_or_default())),
        exclusions: Some(
            piped_lines(f.get("exclusions").unwrap_or_default())
                .into_iter()
                .map(|(item, justification)| Exclusion {
                    item,
                    justification,
                })
                .collect(),
        ),
    }
}

fn form_page(shell: &Shell, form: FormState, base: i64, status: StatusCode) -> Response {
    let page = FormPage {
        layout: shell.layout("scope", "Propose a scope version"),
        form,
        coverages: opts(Coverage::ALL, Coverage::as_str, Coverage::label),
        base,
    };
    render(status, &page)
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let status = state
        .app
        .scope_status(shell.actor())
        .await
        .or_page(&shell)?;
    let (form, base) = match &status.latest {
        Some(v) => (prefill(&v.fields), v.version),
        None => (
            FormState::new(FIELDS).set("coverage", Coverage::All.as_str()),
            0,
        ),
    };
    Ok(form_page(&shell, form, base, StatusCode::OK))
}

async fn propose(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state.app.scope_set(shell.actor(), &input(&form)).await {
        Ok(v) => Ok(Redirect::to(&format!("/scope/{}", v.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let base = form.get("base").and_then(|b| b.parse().ok()).unwrap_or(0);
            Ok(form_page(
                &shell,
                FormState::refused(FIELDS, &form, &e),
                base,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn approve(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let Some(n) = form.get("version").and_then(version_number) else {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "The form did not say which version to approve.".into(),
            Some(shell.bar()),
        ));
    };
    let v = state
        .app
        .scope_approve(shell.actor(), n)
        .await
        .or_page(&shell)?;
    Ok(Redirect::to(&format!("/scope/{}", v.key)).into_response())
}

async fn diff(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let versions = state
        .app
        .scope_history(shell.actor())
        .await
        .or_page(&shell)?;
    let latest = versions.first().map_or(0, |v| v.version);
    let mut error = String::new();
    let mut pick = |name: &str, default: i64| match q
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
    {
        None | Some("") => default,
        Some(v) => version_number(v).unwrap_or_else(|| {
            error = format!("'{v}' is not a scope version number.");
            default
        }),
    };
    let to = pick("to", latest);
    let from = pick("from", (to - 1).max(1));
    let mut lines = Vec::new();
    if error.is_empty() && latest > 0 {
        match state.app.scope_diff(shell.actor(), from, to).await {
            Ok(l) => lines = l,
            Err(aims_app::AppError::NotFound { what }) => error = format!("There is no {what}."),
            Err(e) => return Err(shell.fail(e)),
        }
    }
    let count = |c: Change| lines.iter().filter(|l| l.change == c).count();
    let page = DiffPage {
        layout: shell.layout("scope", "Compare scope versions"),
        added: count(Change::Added),
        removed: count(Change::Removed),
        versions,
        from,
        to,
        lines,
        error,
    };
    let status = if page.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(render(status, &page))
}
