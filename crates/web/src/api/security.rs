//! The security audit trail, account lockouts and password changes.

use aims_app::auth::PasswordChange;
use aims_app::security::SecurityQuery;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;

use super::json::{ApiJson, ApiQuery};
use crate::auth::{ApiActor, SESSION_COOKIE};
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/security-events", get(events))
        .route("/users/locks", get(locks))
        .route("/users/{username}/unlock", post(unlock))
        .route("/account/password", post(change_password))
}

/// Security events, newest first unless `sort=seq`, filtered and a page at a time, with how
/// many match (admins and auditors).
#[utoipa::path(get, path = "/security-events", tag = "security", security(("bearer" = [])), params(SecurityQuery),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn events(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<SecurityQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.security_events(&a, &q).await?))
}

/// Accounts locked now after failed sign-ins (admins).
#[utoipa::path(get, path = "/users/locks", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = [Object]), (status = 403, body = Problem)))]
async fn locks(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.user_locks(&a).await?))
}

/// Lifts the lockout of a user (admins).
#[utoipa::path(post, path = "/users/{username}/unlock", tag = "users", security(("bearer" = [])),
    params(("username" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn unlock(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(username): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.user_unlock(&a, &username).await?))
}

/// Changes the caller's password; every other session of theirs ends.
#[utoipa::path(post, path = "/account/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn change_password(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    jar: CookieJar,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<impl IntoResponse, ApiError> {
    let keep = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    s.app.password_change(&a, keep.as_deref(), &body).await?;
    Ok(StatusCode::NO_CONTENT)
}
