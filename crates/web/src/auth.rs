//! Who is calling: an API token (`Authorization: Bearer`) or the session cookie.

use aims_app::auth::SessionActor;
use aims_app::{Actor, AppError};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use crate::error::ApiError;
use crate::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "aims_session";

/// The caller of an API operation.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let text = value.to_str().unwrap_or_default();
            let secret = text.strip_prefix("Bearer ").ok_or_else(|| {
                ApiError(AppError::Unauthenticated(
                    "the Authorization header must be 'Bearer <token>'".into(),
                ))
            })?;
            return Ok(ApiActor(state.app.token_actor(secret.trim()).await?));
        }
        let jar = CookieJar::from_headers(&parts.headers);
        match jar.get(SESSION_COOKIE) {
            Some(c) => Ok(ApiActor(state.app.session(c.value()).await?.actor)),
            None => Err(ApiError(AppError::Unauthenticated(
                "sign in first: send 'Authorization: Bearer <token>' or the session cookie".into(),
            ))),
        }
    }
}

/// The signed-in user of a page; without a valid session the browser goes to the login page.
pub struct PageActor(pub SessionActor);

impl FromRequestParts<AppState> for PageActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
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
