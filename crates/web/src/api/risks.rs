//! The risk register and the risk assessment method (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3).

use aims_app::risks::{parse_basis, PlanFormat, RiskQuery};
use aims_core::risk::methodology::MethodDoc;
use aims_core::risk::register::{AcceptInput, AssessInput, ReviewInput, RiskInput, TreatInput};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::json::{total_count, ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risks", get(list).post(add))
        .route("/risks/export", get(export))
        .route("/risks/views", get(views))
        .route("/risks/heatmap", get(heatmap))
        .route("/risks/{key}", get(show).patch(update))
        .route("/risks/{key}/assess", post(assess))
        .route("/risks/{key}/treat", post(treat))
        .route("/risks/{key}/accept", post(accept))
        .route("/risks/{key}/review", post(review))
        .route("/methodology", get(method_show).put(method_set))
        .route("/methodology/init", post(method_init))
        .route("/methodology/versions", get(method_history))
        .route("/methodology/versions/{version}", get(method_version))
}

/// The export format.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv (default) or xlsx.
    pub format: Option<String>,
}

/// Which estimate a heat map counts.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HeatmapQuery {
    /// inherent (default) or residual.
    pub basis: Option<String>,
}

/// The risks, filtered by status, owner, system (`organisation` for organisation-wide), category,
/// current level, heat map cell (`3-4` with `basis`) or overdue review, in the order of `sort`;
/// with `per_page`, a page of them. The number of all matches is in `x-total-count`.
#[utoipa::path(get, path = "/risks", tag = "risks", security(("bearer" = [])), params(RiskQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many risks match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<RiskQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.risk_page(&a, &q).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Adds a risk, with its first inherent estimate when given.
#[utoipa::path(post, path = "/risks", tag = "risks", security(("bearer" = [])), request_body = RiskInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<RiskInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.risk_add(&a, &body).await?)))
}

/// One risk with its scores under every method version.
#[utoipa::path(get, path = "/risks/{key}", tag = "risks", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.risk_get(&a, &key).await?))
}

/// Changes the fields given.
#[utoipa::path(patch, path = "/risks/{key}", tag = "risks", security(("bearer" = [])), params(("key" = String, Path)), request_body = RiskInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<RiskInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.risk_update(&a, &key, &body).await?))
}

/// Records the inherent estimate.
#[utoipa::path(post, path = "/risks/{key}/assess", tag = "risks", security(("bearer" = [])), params(("key" = String, Path)), request_body = AssessInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn assess(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<AssessInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.risk_assess(&a, &key, &body).await?))
}

/// Records the treatment and the residual estimate.
#[utoipa::path(post, path = "/risks/{key}/treat", tag = "risks", security(("bearer" = [])), params(("key" = String, Path)), request_body = TreatInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn treat(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<TreatInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.risk_treat(&a, &key, &body).await?))
}

/// Accepts the risk at its current level; outside the method's criteria it is refused (422)
/// naming `level` or `role`.
#[utoipa::path(post, path = "/risks/{key}/accept", tag = "risks", security(("bearer" = [])), params(("key" = String, Path)), request_body = AcceptInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn accept(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.risk_accept(&a, &key, &body).await?))
}

/// Records a review; `close` closes the risk.
#[utoipa::path(post, path = "/risks/{key}/review", tag = "risks", security(("bearer" = [])), params(("key" = String, Path)), request_body = ReviewInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn review(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<ReviewInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.risk_review(&a, &key, &body).await?))
}

/// The risk treatment plan as CSV or XLSX.
#[utoipa::path(get, path = "/risks/export", tag = "risks", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "The plan as a file", content((String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn export(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let format = PlanFormat::parse(q.format.as_deref().unwrap_or("csv"))?;
    let body = s.app.risk_export(&a, format).await?;
    let disposition = format!("attachment; filename=\"{}\"", format.file_name());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    ))
}

/// Heat maps, top risks, risks above the appetite without treatment and overdue reviews (the
/// first 50 of each in key order, with how many there are), risks per AI system and per owner.
#[utoipa::path(get, path = "/risks/views", tag = "risks", security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 401, body = Problem)))]
async fn views(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(aims_app::risk_views::RiskViews::clone(
        &*s.app.risk_views(&a).await?,
    )))
}

/// Counts of open risks per cell of the matrix.
#[utoipa::path(get, path = "/risks/heatmap", tag = "risks", security(("bearer" = [])), params(HeatmapQuery),
    responses((status = 200, body = Object), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn heatmap(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<HeatmapQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let basis = parse_basis("basis", q.basis.as_deref().unwrap_or("inherent"))
        .map_err(aims_app::AppError::from)?;
    Ok(Json(s.app.risk_heatmap(&a, basis).await?))
}

/// The method in force (version 0: the default, recorded on first use).
#[utoipa::path(get, path = "/methodology", tag = "risks", security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 401, body = Problem)))]
async fn method_show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.methodology_show(&a).await?))
}

/// Records a new method version and re-scores every risk.
#[utoipa::path(put, path = "/methodology", tag = "risks", security(("bearer" = [])), request_body = MethodDoc,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn method_set(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<impl IntoResponse, ApiError> {
    // The role is checked before the body is read, so a reader learns nothing from a bad body.
    a.require(aims_core::Action::ChangeMethodology)?;
    let doc: MethodDoc = serde_json::from_value(body)
        .map_err(|e| aims_app::AppError::invalid("body", format!("not a valid method: {e}")))?;
    Ok(Json(s.app.methodology_set(&a, doc).await?))
}

/// Records the default method as MTH-1.
#[utoipa::path(post, path = "/methodology/init", tag = "risks", security(("bearer" = [])),
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn method_init(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.methodology_init(&a).await?)))
}

/// Every recorded version, newest first.
#[utoipa::path(get, path = "/methodology/versions", tag = "risks", security(("bearer" = [])),
    responses((status = 200, body = [Object]), (status = 401, body = Problem)))]
async fn method_history(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.methodology_history(&a).await?))
}

/// One recorded version.
#[utoipa::path(get, path = "/methodology/versions/{version}", tag = "risks", security(("bearer" = [])), params(("version" = String, Path, description = "The version number or key (`2`, `MTH-2`)")),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
async fn method_version(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(version): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    let text = version.trim();
    let number = text
        .get(..4)
        .filter(|p| p.eq_ignore_ascii_case("MTH-"))
        .map_or(text, |_| &text[4..]);
    let version = number
        .parse::<i64>()
        .map_err(|_| aims_app::AppError::not_found(format!("methodology version '{text}'")))?;
    Ok(Json(s.app.methodology_get(&a, version).await?))
}
