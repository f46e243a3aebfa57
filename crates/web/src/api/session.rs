//! Signing in and out, and who am I.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::json::ApiJson;
use crate::audit::Client;
use crate::auth::{cleared_cookie, session_cookie, sign_in, ApiActor, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/me", get(me))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoggedIn {
    pub username: String,
    pub role: String,
    pub expires_at: String,
    /// Send back as `X-CSRF-Token` or the `csrf` form field for cookie-authenticated writes from pages.
    pub csrf: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub role: String,
    /// `session`, `token` or `local`.
    pub via: String,
}

/// Signs in and sets the session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "session", request_body = Login,
    responses((status = 200, body = LoggedIn), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
async fn login(
    State(s): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
    ApiJson(body): ApiJson<Login>,
) -> Result<impl IntoResponse, ApiError> {
    let session = sign_in(&s, &jar, client.as_deref(), &body.username, &body.password).await?;
    let jar = jar.add(session_cookie(
        session.secret.clone(),
        s.config.secure_cookies,
    ));
    let out = LoggedIn {
        username: session.username,
        role: session.role.to_string(),
        expires_at: session.expires_at,
        csrf: session.csrf,
    };
    Ok((jar, Json(out)))
}

/// Ends the session of the cookie, if any.
#[utoipa::path(post, path = "/auth/logout", tag = "session", responses((status = 204)))]
async fn logout(
    State(s): State<AppState>,
    Client(client): Client,
    jar: CookieJar,
) -> Result<impl IntoResponse, ApiError> {
    if let Some(c) = jar.get(SESSION_COOKIE) {
        s.app.logout_from(c.value(), client.as_deref()).await?;
    }
    Ok((jar.add(cleared_cookie()), StatusCode::NO_CONTENT))
}

/// The caller.
#[utoipa::path(get, path = "/me", tag = "session", responses((status = 200, body = Me), (status = 401, body = crate::error::Problem)))]
async fn me(ApiActor(actor): ApiActor) -> Json<Me> {
    let via = match actor.via {
        aims_app::Via::Session => "session",
        aims_app::Via::Token(_) => "token",
        aims_app::Via::Local | aims_app::Via::System => "local",
    };
    Json(Me {
        username: actor.username,
        role: actor.role.to_string(),
        via: via.into(),
    })
}
