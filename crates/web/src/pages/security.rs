//! The security audit trail (admins and auditors), unlocking accounts, and changing one's password.

use aims_app::auth::PasswordChange;
use aims_app::security::SecurityQuery;
use aims_core::security::{SecurityEvent, SecurityEventKind};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;

use super::form::{FormData, FormState};
use super::layout::{query_string, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::{PageActor, SESSION_COOKIE};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/security-events", get(events))
        .route("/users/{username}/unlock", post(unlock))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
}

/// Events per page.
const PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "security_events.html")]
struct EventsPage {
    layout: Layout,
    kinds: Vec<Opt>,
    kind: String,
    user: String,
    events: Vec<SecurityEvent>,
    older: String,
    error: String,
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> &'a str {
    q.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

async fn events(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let kind = param(&q, "kind").to_owned();
    let user = param(&q, "user").to_owned();
    let before = param(&q, "before");
    let query = SecurityQuery {
        kind: Some(kind.clone()),
        user: Some(user.clone()),
        before: before.parse().ok(),
        limit: Some(PAGE),
    };
    let (found, error) = match state.app.security_events(shell.actor(), &query).await {
        Ok(f) => (Some(f), String::new()),
        Err(e) if is_form_error(&e) => (None, format!("The filter is not valid: {e}.")),
        Err(e) => return Err(shell.fail(e)),
    };
    let (events, older) = match found {
        Some(f) => {
            let older = f.next_before.map_or_else(String::new, |b| {
                format!(
                    "/security-events{}",
                    query_string(&[
                        ("kind", kind.clone()),
                        ("user", user.clone()),
                        ("before", b.to_string())
                    ])
                )
            });
            (f.events, older)
        }
        None => (Vec::new(), String::new()),
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = EventsPage {
        layout: shell.layout("security", "Security events"),
        kinds: SecurityEventKind::ALL
            .iter()
            .map(|k| Opt::new(k.as_str(), k.label()))
            .collect(),
        kind,
        user,
        events,
        older,
        error,
    };
    Ok(render(status, &page))
}

async fn unlock(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let u = state
        .app
        .user_unlock(shell.actor(), &username)
        .await
        .or_page(&shell)?;
    Ok(Redirect::to(&format!(
        "/users{}",
        query_string(&[("unlocked", u.username)])
    ))
    .into_response())
}

const PASSWORD_FIELDS: &[(&str, &str)] = &[
    ("current_password", "Current password"),
    ("new_password", "New password"),
];

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    form: FormState,
    notice: String,
}

async fn password_form(
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let shell = Shell::new(session);
    let notice = if param(&q, "changed").is_empty() {
        String::new()
    } else {
        "Your password was changed; your other sessions were ended.".into()
    };
    let page = PasswordPage {
        layout: shell.layout("account", "Change your password"),
        form: FormState::new(PASSWORD_FIELDS),
        notice,
    };
    render(StatusCode::OK, &page)
}

async fn change_password(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    jar: CookieJar,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = PasswordChange {
        current_password: form.get("current_password").map(str::to_owned),
        new_password: form.get("new_password").map(str::to_owned),
    };
    let keep = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    match state
        .app
        .password_change(shell.actor(), keep.as_deref(), &input)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account/password?changed=1").into_response()),
        Err(e) if is_form_error(&e) => {
            let page = PasswordPage {
                layout: shell.layout("account", "Change your password"),
                form: FormState::refused(PASSWORD_FIELDS, &form, &e),
                notice: String::new(),
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(shell.fail(e)),
    }
}
