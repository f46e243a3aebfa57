//! Maturity assessments of the AI management system: the model, assessments, comparison.

use aims_core::maturity::AssessmentInput;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/maturity", get(list).post(assess))
        .route("/maturity/model", get(model))
        .route("/maturity/compare", get(compare))
        .route("/maturity/{key}", get(show))
}

/// The two assessments to compare.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// The earlier assessment (`MAT-1`).
    pub a: Option<String>,
    /// The later assessment (`MAT-2`).
    pub b: Option<String>,
}

/// Every assessment with its scores per clause and overall, latest first.
#[utoipa::path(get, path = "/maturity", tag = "maturity", security(("bearer" = [])),
    responses((status = 200, body = Vec<aims_app::maturity::AssessmentSummary>), (status = 401, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.maturity_list(&a).await?))
}

/// Records an assessment. Every question must be answered (`answers[4.1]` names a missing one);
/// levels are 0 to 5; targets default to `target`, else 3.
#[utoipa::path(post, path = "/maturity", tag = "maturity", security(("bearer" = [])), request_body = AssessmentInput,
    responses((status = 201, body = aims_app::maturity::AssessmentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn assess(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<AssessmentInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.maturity_assess(&a, &body).await?),
    ))
}

/// The maturity levels and one question per sub-clause of clauses 4 to 10.
#[utoipa::path(get, path = "/maturity/model", tag = "maturity", security(("bearer" = [])),
    responses((status = 200, body = aims_app::maturity::Model), (status = 401, body = Problem)))]
async fn model(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.maturity_model(&a).await?))
}

/// Per sub-clause and per clause deltas between two assessments, with what improved and regressed.
#[utoipa::path(get, path = "/maturity/compare", tag = "maturity", security(("bearer" = [])), params(CompareQuery),
    responses((status = 200, body = aims_core::maturity::Comparison), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn compare(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let first = q.a.unwrap_or_default();
    let second = q.b.unwrap_or_default();
    Ok(Json(s.app.maturity_compare(&a, &first, &second).await?))
}

/// One assessment with its scores and answers.
#[utoipa::path(get, path = "/maturity/{key}", tag = "maturity", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = aims_app::maturity::AssessmentView), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.maturity_get(&a, &key).await?))
}
