//! Nonconformities: the list with its filters, sort and page in the address, a nonconformity's page
//! with its corrective actions and effectiveness checks (and the forms to add an action, record a
//! check and close), and the form to record one (prefilled from an incident with
//! `?source_ref=INC-n`).

use aims_app::actions::today;
use aims_app::nonconformities::{NcActionInput, NcQuery, VerifyInput};
use aims_core::action::{ActionInput, RoadmapAction};
use aims_core::nonconformity::{CheckResult, NcInput, NcSource, NcStatus, Nonconformity};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, owner_options, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/nonconformities", get(list).post(create))
        .route("/nonconformities/new", get(new))
        .route("/nonconformities/{key}", get(show))
        .route("/nonconformities/{key}/actions", post(add_action))
        .route("/nonconformities/{key}/checks", post(verify))
        .route("/nonconformities/{key}/close", post(close))
}

const FIELDS: &[(&str, &str)] = &[
    ("source", "Source"),
    ("source_ref", "Incident"),
    ("requirement", "Requirement"),
    ("description", "Description"),
    ("correction", "Correction"),
    ("root_cause", "Root cause"),
    ("owner", "Owner"),
    ("due_date", "Due date"),
];

const PAGE_FIELDS: &[(&str, &str)] = &[
    ("title", "Action title"),
    ("owner", "Action owner"),
    ("due_date", "Action due date"),
    ("existing", "Existing action"),
    ("action", "Action"),
    ("result", "Result"),
    ("note", "Note"),
    ("checked_at", "Checked on"),
    ("status", "Status"),
    ("gap", "Gap"),
    ("effort", "Effort"),
];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("status", "Status"),
    ("source", "Source"),
    ("owner", "Owner"),
    ("source_ref", "Incident"),
    ("open", "Open nonconformities only"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &[
    "q",
    "status",
    "source",
    "owner",
    "source_ref",
    "open",
    "sort",
    "per_page",
];

#[derive(Template)]
#[template(path = "nonconformities.html")]
struct ListPage {
    layout: Layout,
    items: Vec<Nonconformity>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    statuses: Vec<Opt>,
    sources: Vec<Opt>,
    filtered: bool,
}

/// A corrective action with its last check.
pub struct ActionRow {
    pub action: RoadmapAction,
    pub effective: bool,
}

#[derive(Template)]
#[template(path = "nonconformity.html")]
struct ShowPage {
    layout: Layout,
    nc: Nonconformity,
    actions: Vec<ActionRow>,
    blocker: Option<String>,
    form: FormState,
    owners: Vec<Opt>,
    results: Vec<Opt>,
    action_keys: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "nonconformity_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    owners: Vec<Opt>,
    sources: Vec<Opt>,
}

/// The list query of the address's parameters.
fn query(p: &mut Params) -> NcQuery {
    NcQuery {
        q: p.text("q"),
        status: p.text("status"),
        open: p.flag("open"),
        source: p.text("source"),
        owner: p.text("owner"),
        source_ref: p.text("source_ref"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    }
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/nonconformities", KEPT, pairs);
    let q = query(&mut p);
    let result = state.app.nc_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let noun = "nonconformities";
    let (items, pager) = match out.list {
        Some(l) => {
            let pager = Pager::new(&p, noun, l.total, l.page, l.per_page, l.items.len());
            (l.items, pager)
        }
        None => (Vec::new(), Pager::none(noun)),
    };
    let page = ListPage {
        layout: shell.layout("nonconformities", "Nonconformities"),
        items,
        columns: p.columns(
            "-key",
            &[
                ("Key", "key"),
                ("Status", "status"),
                ("Source", "source"),
                ("Owner", "owner"),
                ("Due", "due"),
            ],
        ),
        pager,
        form: out.form,
        statuses: opts(NcStatus::ALL, NcStatus::as_str, NcStatus::label),
        sources: opts(NcSource::ALL, NcSource::as_str, NcSource::label),
        filtered: p.filtered(),
    };
    Ok(render(out.status, &page))
}

async fn form_page(
    state: &AppState,
    shell: &Shell,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let owners = owner_options(state, shell, form.value("owner")).await?;
    let page = FormPage {
        layout: shell.layout("nonconformities", "Record a nonconformity"),
        form,
        owners,
        sources: opts(NcSource::ALL, NcSource::as_str, NcSource::label),
    };
    Ok(render(status, &page))
}

async fn new(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut form = FormState::new(FIELDS).set("owner", shell.actor().username.clone());
    if let Some((_, r)) = pairs.iter().find(|(k, _)| k == "source_ref") {
        form = form
            .set("source", NcSource::Incident.as_str())
            .set("source_ref", r.trim());
    }
    form_page(&state, &shell, form, StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = NcInput {
        source: form.chosen("source"),
        source_ref: form.text("source_ref"),
        requirement: form.text("requirement"),
        description: form.text("description"),
        correction: form.text("correction"),
        root_cause: form.text("root_cause"),
        owner: form.chosen("owner"),
        due_date: form.text("due_date"),
        status: None,
    };
    match state.app.nc_add(shell.actor(), &input).await {
        Ok(nc) => Ok(Redirect::to(&format!("/nonconformities/{}", nc.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            form_page(&state, &shell, refused, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn show_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: Option<FormState>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let nc = state.app.nc_get(shell.actor(), key).await.or_page(shell)?;
    let mut actions = Vec::new();
    for a in &nc.actions {
        let action = state
            .app
            .action_get(shell.actor(), a)
            .await
            .or_page(shell)?;
        actions.push(ActionRow {
            effective: nc.is_effective(a),
            action,
        });
    }
    let form = form.unwrap_or_else(|| {
        FormState::new(PAGE_FIELDS)
            .set("owner", shell.actor().username.clone())
            .set("checked_at", today().to_string())
    });
    let owners = owner_options(state, shell, form.value("owner")).await?;
    let page = ShowPage {
        layout: shell.layout("nonconformities", format!("{} nonconformity", nc.key)),
        action_keys: nc
            .actions
            .iter()
            .map(|a| Opt::new(a.clone(), a.clone()))
            .collect(),
        actions,
        blocker: nc.close_blocker(),
        form,
        owners,
        results: opts(CheckResult::ALL, CheckResult::as_str, CheckResult::label),
        nc,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    show_page(&state, &shell, &key, None, StatusCode::OK).await
}

async fn answer<T>(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: &FormData,
    result: Result<T, aims_app::AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/nonconformities/{}",
            aims_core::keys::normalise(key)
        ))
        .into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(PAGE_FIELDS, form, &e);
            show_page(
                state,
                shell,
                key,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn add_action(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = match form.chosen("existing") {
        Some(a) => NcActionInput::Existing(a),
        None => NcActionInput::New(Box::new(ActionInput {
            title: form.text("title"),
            owner: form.chosen("owner"),
            due_date: form.text("due_date"),
            effort: Some(1),
            ..Default::default()
        })),
    };
    let result = state.app.nc_action(shell.actor(), &key, &input).await;
    answer(&state, &shell, &key, &form, result).await
}

async fn verify(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = VerifyInput {
        action: form.text("action").unwrap_or_default(),
        result: form.text("result").unwrap_or_default(),
        note: form.text("note").unwrap_or_default(),
        checked_at: form.chosen("checked_at"),
    };
    let result = state.app.nc_verify(shell.actor(), &key, &input).await;
    answer(&state, &shell, &key, &form, result).await
}

async fn close(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let result = state.app.nc_close(shell.actor(), &key).await;
    answer(&state, &shell, &key, &form, result).await
}
