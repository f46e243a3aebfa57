//! AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5).

use aims_app::impacts::ImpactQuery;
use aims_core::impact::{ImpactInput, SignInput};
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
        .route("/impacts", get(list).post(add))
        .route("/impacts/{key}", get(show).patch(update))
        .route("/impacts/{key}/sign", post(sign))
}

/// The assessments, filtered (text, system, status: draft, signed, reassessment_due), sorted
/// and, with `page` or `per_page`, paged; the number of all matches is in `x-total-count`.
#[utoipa::path(get, path = "/impacts", tag = "impacts", security(("bearer" = [])), params(ImpactQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many assessments match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ImpactQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.impact_list(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds a new version of a system's assessment, as a draft; fields not given come from the
/// previous version.
#[utoipa::path(post, path = "/impacts", tag = "impacts", security(("bearer" = [])), request_body = ImpactInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<ImpactInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.impact_add(&a, &body).await?),
    ))
}

/// One assessment with every version of its system's assessment.
#[utoipa::path(get, path = "/impacts/{key}", tag = "impacts", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.impact_get(&a, &key).await?))
}

/// Changes the fields given of a draft (409 once signed).
#[utoipa::path(patch, path = "/impacts/{key}", tag = "impacts", security(("bearer" = [])), params(("key" = String, Path)), request_body = ImpactInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<ImpactInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.impact_update(&a, &key, &body).await?))
}

/// Signs a draft off. Refused (422) naming `author` or `contributors` for its own writers, and
/// naming each missing field (`fria` for a deployed high-risk system) when incomplete.
#[utoipa::path(post, path = "/impacts/{key}/sign", tag = "impacts", security(("bearer" = [])), params(("key" = String, Path)), request_body = SignInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn sign(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<SignInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.impact_sign(&a, &key, &body).await?))
}
