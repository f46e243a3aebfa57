//! Coverage of other frameworks by the ISO/IEC 42001 implementation, and integration with the
//! ISO 27001 or ISO 9001 implementations an organisation already runs.

use aims_app::coverage::{CoverageReport, IntegrationCoverage};
use aims_core::integration::ExternalImplementation;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::{ApiJson, ApiPath};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/coverage/{framework}", get(coverage))
        .route("/integrations", get(list))
        .route("/integrations/{framework}", get(show).put(import))
}

/// A register of an existing implementation, as CSV text.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterUpload {
    /// The file it came from, for the record.
    #[serde(default)]
    pub source: Option<String>,
    /// CSV with an ID column (id, control or clause), a status column (implemented, partial,
    /// not implemented, not applicable) and optionally a note.
    #[serde(default)]
    pub content: String,
}

/// What the ISO 42001 implementation covers of a framework (EUAIA, NISTAIRMF, ISO27001, ISO9001):
/// per requirement, per article, function or clause, with the uncovered items listed.
#[utoipa::path(get, path = "/coverage/{framework}", tag = "coverage", security(("bearer" = [])), params(("framework" = String, Path)),
    responses((status = 200, body = CoverageReport), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn coverage(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(framework): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.coverage(&a, &framework).await?))
}

/// Every recorded implementation of another standard.
#[utoipa::path(get, path = "/integrations", tag = "coverage", security(("bearer" = [])),
    responses((status = 200, body = Vec<ExternalImplementation>), (status = 401, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.integration_list(&a).await?))
}

/// The recorded implementation of ISO27001 or ISO9001 and which ISO 42001 requirements it covers.
#[utoipa::path(get, path = "/integrations/{framework}", tag = "coverage", security(("bearer" = [])), params(("framework" = String, Path)),
    responses((status = 200, body = IntegrationCoverage), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(framework): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.integration_coverage(&a, &framework).await?))
}

/// Records the implementation of ISO27001 or ISO9001 from its register, replacing the earlier one.
#[utoipa::path(put, path = "/integrations/{framework}", tag = "coverage", security(("bearer" = [])), params(("framework" = String, Path)), request_body = RegisterUpload,
    responses((status = 200, body = ExternalImplementation), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(framework): ApiPath<String>,
    ApiJson(body): ApiJson<RegisterUpload>,
) -> Result<impl IntoResponse, ApiError> {
    let source = body.source.unwrap_or_else(|| "register.csv".into());
    let recorded = s
        .app
        .integration_import(&a, &framework, &source, &body.content)
        .await?;
    Ok((StatusCode::OK, Json(recorded)))
}
