//! Who is calling: an API token (`Authorization: Bearer`) or the session cookie.

use aims_app::auth::{NewSession, SessionActor};
use aims_app::{Actor, AppError};
use aims_core::security::SecurityEventKind;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::error::ApiError;
use crate::{audit, csrf, AppState};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "aims_session";

/// Header that carries the CSRF token of cookie-authenticated API writes.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The caller of an API operation. A cookie-authenticated write must also carry the session's
/// CSRF token in `X-CSRF-Token`; token-authenticated calls need none.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let client = audit::client(parts);
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let text = value.to_str().unwrap_or_default();
            let secret = text.strip_prefix("Bearer ").ok_or_else(|| {
                ApiError(AppError::Unauthenticated(
                    "the Authorization header must be 'Bearer <token>'".into(),
                ))
            })?;
            let what = format!("{} {}", parts.method, parts.uri.path());
            let actor = state
                .app
                .token_actor_from(secret.trim(), client.as_deref(), &what)
                .await?;
            audit::remember(parts, &actor);
            return Ok(ApiActor(actor));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(c) = jar.get(SESSION_COOKIE) else {
            return Err(ApiError(AppError::Unauthenticated(
                "sign in first: send 'Authorization: Bearer <token>' or the session cookie".into(),
            )));
        };
        let session = state.app.session(c.value()).await?;
        audit::remember(parts, &session.actor);
        if !parts.method.is_safe() {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !csrf::matches(sent, &session.csrf) {
                csrf::record_rejection(state, &session.actor, client.as_deref(), parts).await;
                return Err(ApiError(AppError::Refused(
                    "a write signed in by cookie must send the session's CSRF token in the \
                     X-CSRF-Token header"
                        .into(),
                )));
            }
        }
        Ok(ApiActor(session.actor))
    }
}

/// The signed-in user of a page; without a valid session the browser goes to the login page.
/// (For a POST the CSRF layer has already resolved the session and checked the form's token.)
pub struct PageActor(pub SessionActor);

impl FromRequestParts<AppState> for PageActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(checked) = parts.extensions.get::<SessionActor>() {
            let checked = checked.clone();
            audit::remember(parts, &checked.actor);
            return Ok(PageActor(checked));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let to_login = || Redirect::to(&format!("/login?next={}", urlencode(next))).into_response();
        let Some(cookie) = jar.get(SESSION_COOKIE) else {
            return Err(to_login());
        };
        match state.app.session(cookie.value()).await {
            Ok(mut s) => {
                audit::remember(parts, &s.actor);
                // The header's badge; a failure to count leaves it out rather than the page.
                s.due = match state.app.notification_count(&s.actor).await {
                    Ok(n) => Some(n),
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot count notifications");
                        None
                    }
                };
                Ok(PageActor(s))
            }
            Err(AppError::Unauthenticated(_)) => Err(to_login()),
            Err(e) => Err((StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()),
        }
    }
}

/// Signs in from `client`: the per-address limit first, then the app's sign-in, which ends the
/// session of any cookie the browser already had. Shared by the login page and the API.
pub async fn sign_in(
    state: &AppState,
    jar: &CookieJar,
    client: Option<&str>,
    username: &str,
    password: &str,
) -> Result<NewSession, AppError> {
    if let Err(wait) = state.login_limiter.attempt(client.unwrap_or("unknown")) {
        let detail = format!(
            "too many sign-in attempts from this address (as '{}')",
            username.trim()
        );
        if let Err(e) = state
            .app
            .security_record(SecurityEventKind::RateLimited, None, client, &detail)
            .await
        {
            tracing::error!(error = %e, "could not record a throttled sign-in");
        }
        return Err(AppError::Throttled {
            message: "too many sign-in attempts from your address; wait a little and try again"
                .into(),
            retry_after: wait,
        });
    }
    let previous = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    state
        .app
        .login_from(username, password, client, previous.as_deref())
        .await
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when configured.
pub fn session_cookie(secret: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(SESSION_COOKIE, secret);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_secure(secure);
    c.set_path("/");
    c
}

/// A cookie that removes the session cookie.
pub fn cleared_cookie() -> Cookie<'static> {
    let mut c = Cookie::new(SESSION_COOKIE, "");
    c.set_path("/");
    c.make_removal();
    c
}

/// Percent-encodes a value for a query string.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
