//! The implementation journey: the eight steps with their derived statuses, each linking to
//! where it is worked on, and the briefings with a form to record one.

use aims_app::journey::Journey;
use aims_core::journey::{Briefing, BriefingInput, BriefingKind};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/journey", get(show))
        .route("/journey/briefings", post(add_briefing))
}

const FIELDS: &[(&str, &str)] = &[
    ("kind", "Kind"),
    ("date", "Date"),
    ("audience", "Audience"),
    ("summary", "Summary"),
    ("decisions", "Decisions"),
];

#[derive(Template)]
#[template(path = "journey.html")]
struct JourneyPage {
    layout: Layout,
    journey: Journey,
    briefings: Vec<Briefing>,
    form: FormState,
    kinds: Vec<Opt>,
}

async fn page(
    state: &AppState,
    shell: &Shell,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let journey = state.app.journey(shell.actor()).await.or_page(shell)?;
    let briefings = state
        .app
        .briefing_list(shell.actor(), None)
        .await
        .or_page(shell)?;
    let page = JourneyPage {
        layout: shell.layout("journey", "Implementation journey"),
        journey,
        briefings,
        form,
        kinds: opts(BriefingKind::ALL, BriefingKind::as_str, BriefingKind::label),
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormState::new(FIELDS).set("date", aims_app::actions::today().to_string());
    page(&state, &shell, form, StatusCode::OK).await
}

async fn add_briefing(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = BriefingInput {
        kind: form.chosen("kind"),
        date: form.text("date"),
        audience: form.text("audience"),
        summary: form.text("summary"),
        decisions: form.text("decisions"),
    };
    match state.app.briefing_add(shell.actor(), &input).await {
        Ok(b) => Ok(Redirect::to(&format!("/journey#{}", b.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            page(&state, &shell, refused, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(shell.fail(e)),
    }
}
