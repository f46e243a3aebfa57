//! The implementation journey and the briefings it looks for.

use aims_app::journey::Journey;
use aims_core::journey::{Briefing, BriefingInput};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::{ApiJson, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/journey", get(journey))
        .route("/briefings", get(list).post(add))
}

/// The filter of the briefing list.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BriefingQuery {
    /// business_case or leadership_briefing.
    pub kind: Option<String>,
}

/// The eight steps, each with its status derived from the records and a one-line reason.
#[utoipa::path(get, path = "/journey", tag = "journey", security(("bearer" = [])),
    responses((status = 200, body = Journey), (status = 401, body = Problem)))]
async fn journey(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.journey(&a).await?))
}

/// Briefings, newest first.
#[utoipa::path(get, path = "/briefings", tag = "journey", security(("bearer" = [])), params(BriefingQuery),
    responses((status = 200, body = Vec<Briefing>), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<BriefingQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.briefing_list(&a, q.kind.as_deref()).await?))
}

/// Records a briefing once it has been given.
#[utoipa::path(post, path = "/briefings", tag = "journey", security(("bearer" = [])), request_body = BriefingInput,
    responses((status = 201, body = Briefing), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<BriefingInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.briefing_add(&a, &body).await?),
    ))
}
