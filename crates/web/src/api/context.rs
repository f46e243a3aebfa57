//! Context issues and interested parties.

use aims_app::context::{IssueQuery, PartyQuery};
use aims_core::context::{IssueInput, PartyInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::json::{total_count, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/context/issues", get(list_issues).post(add_issue))
        .route("/context/issues/{key}", get(show_issue).patch(update_issue))
        .route("/context/issues/{key}/archive", post(archive_issue))
        .route("/parties", get(list_parties).post(add_party))
        .route("/parties/{key}", get(show_party).patch(update_party))
        .route("/parties/{key}/archive", post(archive_party))
}

/// Context issues, filtered (text, side, category; archived ones with `archived=true`), sorted
/// and, with `page` or `per_page`, paged; the number of all matches is in `x-total-count`.
#[utoipa::path(get, path = "/context/issues", tag = "context", security(("bearer" = [])), params(IssueQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many issues match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list_issues(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<IssueQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.issue_list(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds a context issue.
#[utoipa::path(post, path = "/context/issues", tag = "context", security(("bearer" = [])), request_body = IssueInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_issue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<IssueInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.issue_add(&a, &body).await?)))
}

/// One context issue.
#[utoipa::path(get, path = "/context/issues/{key}", tag = "context", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn show_issue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.issue_get(&a, &key).await?))
}

/// Changes the fields given.
#[utoipa::path(patch, path = "/context/issues/{key}", tag = "context", security(("bearer" = [])), params(("key" = String, Path)), request_body = IssueInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_issue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<IssueInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.issue_update(&a, &key, &body).await?))
}

/// Archives a context issue.
#[utoipa::path(post, path = "/context/issues/{key}/archive", tag = "context", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn archive_issue(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.issue_archive(&a, &key).await?))
}

/// Interested parties, filtered (text, type, requirements not yet addressed; archived ones with
/// `archived=true`), sorted and, with `page` or `per_page`, paged; the number of all matches is
/// in `x-total-count`.
#[utoipa::path(get, path = "/parties", tag = "context", security(("bearer" = [])), params(PartyQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many parties match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list_parties(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PartyQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.party_list(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds an interested party.
#[utoipa::path(post, path = "/parties", tag = "context", security(("bearer" = [])), request_body = PartyInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_party(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<PartyInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.party_add(&a, &body).await?)))
}

/// One interested party.
#[utoipa::path(get, path = "/parties/{key}", tag = "context", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn show_party(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.party_get(&a, &key).await?))
}

/// Changes the fields given; `requirements`, when given, replaces the list.
#[utoipa::path(patch, path = "/parties/{key}", tag = "context", security(("bearer" = [])), params(("key" = String, Path)), request_body = PartyInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update_party(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<PartyInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.party_update(&a, &key, &body).await?))
}

/// Archives an interested party.
#[utoipa::path(post, path = "/parties/{key}/archive", tag = "context", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn archive_party(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.party_archive(&a, &key).await?))
}
