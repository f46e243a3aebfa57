//! The security audit trail, account lockouts and password changes.

use aims_app::auth::PasswordChange;
use aims_app::security::SecurityQuery;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use utoipa::IntoParams;

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

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Only events of this kind (`login_failed`, `account_locked`, `permission_denied` ...).
    pub kind: Option<String>,
    /// Only events of this username.
    pub user: Option<String>,
    /// Only events on or after this day (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Only events on or before this day (YYYY-MM-DD, UTC).
    pub to: Option<String>,
    /// Only events before this sequence number (reading on from the last event seen).
    pub before: Option<i64>,
    /// `seq` (oldest first) or `-seq` (newest first, the default).
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<i64>,
    /// Events per page (1 to 1000, default 50).
    pub per_page: Option<i64>,
    /// The same as `per_page` (its older name).
    pub limit: Option<i64>,
}

/// Security events, newest first unless `sort=seq`, filtered and a page at a time, with how
/// many match (admins and auditors).
#[utoipa::path(get, path = "/security-events", tag = "security", security(("bearer" = [])), params(EventsQuery),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn events(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let q = SecurityQuery {
        kind: q.kind,
        user: q.user,
        from: q.from,
        to: q.to,
        before: q.before,
        sort: q.sort,
        page: q.page,
        per_page: q.per_page,
        limit: q.limit,
    };
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
