//! Roadmap actions and the roadmap.

use aims_app::actions::ActionQuery;
use aims_app::roadmap::Roadmap;
use aims_core::action::{ActionInput, RoadmapAction};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::{total_count, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actions", get(list).post(add))
        .route("/actions/{key}", get(show).patch(update))
        .route("/roadmap", get(roadmap))
}

/// The actions, filtered (text, status, owner, `overdue=true`), sorted and, with `page` or
/// `per_page`, paged; the number of all matches is in `x-total-count`.
#[utoipa::path(get, path = "/actions", tag = "roadmap", security(("bearer" = [])), params(ActionQuery),
    responses((status = 200, body = Vec<RoadmapAction>, headers(("x-total-count" = i64, description = "How many actions match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ActionQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.action_list(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds an action; the start defaults to today.
#[utoipa::path(post, path = "/actions", tag = "roadmap", security(("bearer" = [])), request_body = ActionInput,
    responses((status = 201, body = RoadmapAction), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<ActionInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.action_add(&a, &body).await?),
    ))
}

/// One action.
#[utoipa::path(get, path = "/actions/{key}", tag = "roadmap", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = RoadmapAction), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.action_get(&a, &key).await?))
}

/// Changes the fields given. A contributor may change only the status of an action they own.
#[utoipa::path(patch, path = "/actions/{key}", tag = "roadmap", security(("bearer" = [])), params(("key" = String, Path)), request_body = ActionInput,
    responses((status = 200, body = RoadmapAction), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<ActionInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.action_update(&a, &key, &body).await?))
}

/// Progress (count and effort, per status), overdue actions and every action.
#[utoipa::path(get, path = "/roadmap", tag = "roadmap", security(("bearer" = [])),
    responses((status = 200, body = Roadmap), (status = 401, body = Problem)))]
async fn roadmap(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.roadmap(&a).await?))
}
