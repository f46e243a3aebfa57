//! Signing in and out.

use aims_app::AppError;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;

use super::form::FormData;
use super::layout::{render, Layout, PageError, Shell};
use crate::audit::Client;
use crate::auth::{cleared_cookie, session_cookie, sign_in, PageActor, SESSION_COOKIE};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(show).post(submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    pub layout: Layout,
    pub next: String,
    pub username: String,
    pub error: String,
    /// Whether the error is about the typed username and password (not single sign-on).
    pub fields_invalid: bool,
    /// "Sign in with LABEL" and its link, when single sign-on is configured.
    pub sso_label: String,
    pub sso_href: String,
}

impl LoginPage {
    /// The sign-in page, with the single sign-on button when it is configured.
    pub(super) fn new(state: &AppState, next: String, username: String, error: String) -> Self {
        let (sso_label, sso_href) = match &state.config.sso {
            Some(sso) => (
                sso.settings().label.clone(),
                format!("/login/oidc?next={}", crate::auth::urlencode(&next)),
            ),
            None => (String::new(), String::new()),
        };
        LoginPage {
            layout: Layout::anonymous("Sign in"),
            next,
            username,
            fields_invalid: !error.is_empty(),
            error,
            sso_label,
            sso_href,
        }
    }
}

#[derive(serde::Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Where to go after signing in: a local path only, never another site.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

async fn show(State(state): State<AppState>, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    let page = LoginPage::new(&state, next, String::new(), String::new());
    render(StatusCode::OK, &page)
}

async fn submit(
    State(state): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let form = FormData(form);
    let username = form.get("username").unwrap_or_default().trim().to_owned();
    let password = form.get("password").unwrap_or_default();
    let next = safe_next(form.get("next"));
    match sign_in(&state, &jar, client.as_deref(), &username, password).await {
        Ok(session) => {
            let jar = jar.add(session_cookie(session.secret, state.config.secure_cookies));
            (jar, Redirect::to(&next)).into_response()
        }
        Err(AppError::Unauthenticated(_)) => {
            let error = "Sign-in failed: the username or password is not correct, or the account is disabled.";
            let page = LoginPage::new(&state, next, username, error.into());
            render(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e @ AppError::Throttled { .. }) => {
            let page = LoginPage::new(&state, next, username, format!("Sign-in refused: {e}."));
            let mut res = render(StatusCode::TOO_MANY_REQUESTS, &page);
            crate::error::mark(&mut res, &e);
            res
        }
        Err(e) => PageError::from_app(e, None).into_response(),
    }
}

async fn logout(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Client(client): Client,
    jar: CookieJar,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        let secret = cookie.value().to_owned();
        state
            .app
            .logout_from(&secret, client.as_deref())
            .await
            .map_err(|e| shell.fail(e))?;
    }
    Ok((jar.add(cleared_cookie()), Redirect::to("/login")).into_response())
}
