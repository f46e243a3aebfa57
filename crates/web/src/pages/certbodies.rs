//! Certification bodies: the register with a form to add one, and each body's page with its
//! edit form. At most one body is selected.

use aims_core::certbody::{CertBody, CertBodyFields, CertBodyInput, CertBodyStatus};
use aims_core::ledger::Event;
use aims_core::text::split_list;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/certification-bodies", get(list).post(create))
        .route("/certification-bodies/{key}", get(show).post(update))
}

const FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("accreditation", "Accreditation"),
    ("sectors", "Sectors"),
    ("ai_experience", "AI experience"),
    ("notes", "Notes"),
    ("status", "Status"),
];

#[derive(Template)]
#[template(path = "certbodies.html")]
struct ListPage {
    layout: Layout,
    bodies: Vec<CertBody>,
    form: FormState,
    statuses: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "certbody.html")]
struct ShowPage {
    layout: Layout,
    body: CertBody,
    history: Vec<Event>,
    form: FormState,
    statuses: Vec<Opt>,
}

fn statuses() -> Vec<Opt> {
    opts(
        CertBodyStatus::ALL,
        CertBodyStatus::as_str,
        CertBodyStatus::label,
    )
}

fn input(f: &FormData) -> CertBodyInput {
    CertBodyInput {
        name: f.text("name"),
        accreditation: f.text("accreditation"),
        sectors: f.get("sectors").map(split_list),
        ai_experience: f.text("ai_experience"),
        notes: f.text("notes"),
        status: f.chosen("status"),
    }
}

fn prefill(f: &CertBodyFields) -> FormState {
    FormState::new(FIELDS)
        .set("name", &f.name)
        .set("accreditation", f.accreditation.clone().unwrap_or_default())
        .set("sectors", f.sectors.join(", "))
        .set("ai_experience", f.ai_experience.clone().unwrap_or_default())
        .set("notes", f.notes.clone().unwrap_or_default())
        .set("status", f.status.as_str())
}

async fn list_page(
    state: &AppState,
    shell: &Shell,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let bodies = state
        .app
        .certbody_list(shell.actor())
        .await
        .or_page(shell)?;
    let page = ListPage {
        layout: shell.layout("journey", "Certification bodies"),
        bodies,
        form,
        statuses: statuses(),
    };
    Ok(render(status, &page))
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormState::new(FIELDS).set("status", CertBodyStatus::Candidate.as_str());
    list_page(&state, &shell, form, StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state.app.certbody_add(shell.actor(), &input(&form)).await {
        Ok(b) => Ok(Redirect::to(&format!("/certification-bodies/{}", b.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            list_page(&state, &shell, refused, StatusCode::UNPROCESSABLE_ENTITY).await
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
    let body = state
        .app
        .certbody_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&body.key), None, Some(100))
        .await
        .or_page(shell)?;
    let page = ShowPage {
        layout: shell.layout("journey", format!("{} {}", body.key, body.fields.name)),
        form: form.unwrap_or_else(|| prefill(&body.fields)),
        body,
        history,
        statuses: statuses(),
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

async fn update(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state
        .app
        .certbody_update(shell.actor(), &key, &input(&form))
        .await
    {
        Ok(b) => Ok(Redirect::to(&format!("/certification-bodies/{}", b.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            show_page(
                &state,
                &shell,
                &key,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}
