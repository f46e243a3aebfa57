//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d).

use aims_app::soa::{SoaFormat, SoaQuery};
use aims_core::soa::SoaEntryInput;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};

use super::json::{total_count, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/soa", get(show))
        .route("/soa/export", get(export))
        .route("/soa/versions", get(history).post(snapshot))
        .route("/soa/versions/{version}/approve", post(approve))
        .route("/soa/{control_id}", put(set))
}

/// The export format.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv (default), xlsx or md.
    pub format: Option<String>,
}

/// One line per Annex A control: decision, justification, derived status, linked controls;
/// filtered (text, group `A.6`, decision, status), sorted (catalog order by default) and, with
/// `page` or `per_page`, paged; the number of all matches is in `x-total-count`.
#[utoipa::path(get, path = "/soa", tag = "soa", security(("bearer" = [])), params(SoaQuery),
    responses((status = 200, body = Vec<aims_core::soa::SoaLine>, headers(("x-total-count" = i64, description = "How many lines match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<SoaQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.soa_list(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Decides whether an Annex A control applies; the justification is required either way.
#[utoipa::path(put, path = "/soa/{control_id}", tag = "soa", security(("bearer" = [])), params(("control_id" = String, Path)), request_body = SoaEntryInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn set(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(control_id): ApiPath<String>,
    ApiJson(body): ApiJson<SoaEntryInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.soa_set(&a, &control_id, &body).await?))
}

/// The statement as CSV, XLSX or Markdown.
#[utoipa::path(get, path = "/soa/export", tag = "soa", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The statement as a file", content((String = "text/csv"), (String = "text/markdown"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let format = SoaFormat::parse(q.format.as_deref().unwrap_or("csv"))?;
    let body = s.app.soa_export(&a, format).await?;
    let disposition = format!("attachment; filename=\"{}\"", format.file_name());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    ))
}

/// Every recorded version, newest first.
#[utoipa::path(get, path = "/soa/versions", tag = "soa", security(("bearer" = [])),
    responses((status = 200, body = [Object]), (status = 401, body = Problem)))]
async fn history(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.soa_history(&a).await?))
}

/// Records the current statement as a new version.
#[utoipa::path(post, path = "/soa/versions", tag = "soa", security(("bearer" = [])),
    responses((status = 201, body = Object), (status = 403, body = Problem)))]
async fn snapshot(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.soa_snapshot(&a).await?)))
}

/// Approves a version; a second approval is a conflict.
#[utoipa::path(post, path = "/soa/versions/{version}/approve", tag = "soa", security(("bearer" = [])), params(("version" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn approve(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(version): ApiPath<i64>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.soa_approve(&a, version).await?))
}
