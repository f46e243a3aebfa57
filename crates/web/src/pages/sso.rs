//! Single sign-on pages: `/login/oidc` sends the browser to the OpenID provider and
//! `/login/oidc/callback` signs it in when it comes back. Failures show the sign-in page with
//! the reason, and open no session.

use aims_app::sso::{Callback, SsoError};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::layout::{render, PageError};
use super::login::{safe_next, LoginPage};
use crate::auth::session_cookie;
use crate::AppState;

/// Keeps the state of a sign-in in progress, so that only the browser that started it can
/// complete it.
const STATE_COOKIE: &str = "aims_sso_state";
const STATE_COOKIE_PATH: &str = "/login/oidc";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login/oidc", get(start))
        .route("/login/oidc/callback", get(callback))
}

#[derive(serde::Deserialize)]
struct StartQuery {
    next: Option<String>,
}

#[derive(serde::Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn state_cookie(value: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(STATE_COOKIE, value);
    c.set_http_only(true);
    // Lax: the provider's redirect back is a top-level navigation, which carries it.
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c.set_path(STATE_COOKIE_PATH);
    // No lifetime of its own: the sign-in it names expires in the database after 10 minutes.
    c
}

fn cleared_state_cookie() -> Cookie<'static> {
    let mut c = Cookie::new(STATE_COOKIE, "");
    c.set_path(STATE_COOKIE_PATH);
    c.make_removal();
    c
}

fn not_configured() -> Response {
    PageError::new(
        StatusCode::NOT_FOUND,
        "Single sign-on is not configured on this aims server.".into(),
        None,
    )
    .into_response()
}

/// The sign-in page with the reason, logged for the security record.
fn refused(state: &AppState, e: &SsoError, next: String) -> Response {
    match e {
        SsoError::App(inner) => {
            tracing::error!(target: "aims::security", code = e.code(), "single sign-on failed: {inner}")
        }
        _ => {
            tracing::warn!(target: "aims::security", code = e.code(), "single sign-on refused: {e}")
        }
    }
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let message = match e {
        SsoError::App(_) => {
            "Single sign-on failed because of an internal error; it was logged.".to_owned()
        }
        _ => e.to_string(),
    };
    let mut page = LoginPage::new(state, next, String::new(), message);
    page.fields_invalid = false;
    render(status, &page)
}

async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<StartQuery>,
) -> Response {
    let Some(sso) = state.config.sso.clone() else {
        return not_configured();
    };
    let next = safe_next(q.next.as_deref());
    match sso.begin(&state.app, &next).await {
        Ok(started) => {
            let jar = jar.add(state_cookie(started.state, state.config.secure_cookies));
            (jar, Redirect::to(&started.url)).into_response()
        }
        Err(e) => refused(&state, &e, next),
    }
}

async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(sso) = state.config.sso.clone() else {
        return not_configured();
    };
    let cb = Callback {
        code: q.code,
        state: q.state,
        error: q.error,
        error_description: q.error_description,
        browser_state: jar.get(STATE_COOKIE).map(|c| c.value().to_owned()),
    };
    let jar = jar.add(cleared_state_cookie());
    match sso.finish(&state.app, &cb).await {
        Ok(done) => {
            tracing::info!(target: "aims::security", user = %done.session.username, "signed in through single sign-on");
            let jar = jar.add(session_cookie(
                done.session.secret,
                state.config.secure_cookies,
            ));
            (jar, Redirect::to(&done.next)).into_response()
        }
        Err(e) => (jar, refused(&state, &e, "/".into())).into_response(),
    }
}
