//! Users and API tokens.

use aims_app::auth::NewToken;
use aims_app::users::{NewUser, UserQuery, UserUpdate};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};

use super::json::{total_count, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(add_user))
        .route("/users/{username}", patch(update_user))
        .route("/users/{username}/disable", post(disable_user))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{key}", delete(revoke_token))
}

/// The users, filtered (text, role, disabled), sorted and, with `page` or `per_page`, paged;
/// the number of all matches is in `x-total-count`.
#[utoipa::path(get, path = "/users", tag = "users", security(("bearer" = [])), params(UserQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many users match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list_users(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.user_search(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds a user (admins).
#[utoipa::path(post, path = "/users", tag = "users", security(("bearer" = [])), request_body = NewUser,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<NewUser>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.user_add(&a, &body).await?)))
}

/// Changes a user's e-mail address (admins; anyone for themselves). An empty address removes it.
#[utoipa::path(patch, path = "/users/{username}", tag = "users", security(("bearer" = [])),
    params(("username" = String, Path)), request_body = UserUpdate,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(username): ApiPath<String>,
    ApiJson(body): ApiJson<UserUpdate>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.user_update(&a, &username, &body).await?))
}

/// Disables a user and ends their sessions (admins).
#[utoipa::path(post, path = "/users/{username}/disable", tag = "users", security(("bearer" = [])),
    params(("username" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn disable_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(username): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.user_disable(&a, &username).await?))
}

/// The caller's tokens (admins: everyone's).
#[utoipa::path(get, path = "/tokens", tag = "tokens", security(("bearer" = [])), responses((status = 200, body = [Object])))]
async fn list_tokens(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.token_list(&a).await?))
}

/// Creates a token; its secret is in this response only.
#[utoipa::path(post, path = "/tokens", tag = "tokens", security(("bearer" = [])), request_body = NewToken,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<NewToken>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.token_create(&a, &body).await?),
    ))
}

/// Revokes a token (its owner or an admin).
#[utoipa::path(delete, path = "/tokens/{key}", tag = "tokens", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn revoke_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.token_revoke(&a, &key).await?))
}
