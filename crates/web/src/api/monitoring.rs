//! Monitoring of deployed AI systems (ISO/IEC 42001 9.1, A.6.2.6): plans, log uploads, pushed
//! values, runs and alerts.

use aims_core::monitoring::{PlanInput, PushInput};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;

use super::json::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{problem, ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/monitoring", get(overview))
        .route("/monitoring/alerts", get(alerts))
        .route("/monitoring/alerts/{key}/ack", post(ack))
        .route("/monitoring/runs/{key}", get(run))
        .route("/systems/{key}/monitoring", get(view))
        .route("/systems/{key}/monitoring/plan", put(set_plan))
        .route(
            "/systems/{key}/monitoring/runs",
            get(runs)
                .post(upload)
                .layer(DefaultBodyLimit::max(crate::upload::UPLOAD_LIMIT)),
        )
        .route("/systems/{key}/monitoring/observations", post(push))
}

/// Every monitoring plan with its last observation, next due day and open alerts.
#[utoipa::path(get, path = "/monitoring", tag = "monitoring", security(("bearer" = [])),
    responses((status = 200, body = [Object]), (status = 401, body = Problem)))]
pub(super) async fn overview(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.monitor_overview(&a).await?))
}

/// A system's plan, latest runs, alerts, metric trends and webhook deliveries.
#[utoipa::path(get, path = "/systems/{key}/monitoring", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub(super) async fn view(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.monitor_view(&a, &key).await?))
}

/// Sets or changes a system's plan: the log schema (TOML), the watched metrics with warn and
/// breach limits, the window, the schedule, the owner and an optional signed webhook.
#[utoipa::path(put, path = "/systems/{key}/monitoring/plan", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path)), request_body = PlanInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn set_plan(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<PlanInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.monitor_plan_set(&a, &key, &body).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RunsQuery {
    /// Most runs to return (1 to 500, default 50).
    pub limit: Option<i64>,
}

/// A system's runs, newest first, with their judged observations.
#[utoipa::path(get, path = "/systems/{key}/monitoring/runs", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path), RunsQuery),
    responses((status = 200, body = [Object]), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn runs(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiQuery(q): ApiQuery<RunsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app.monitor_runs(&a, &key, q.limit.unwrap_or(50)).await?,
    ))
}

/// Uploads a prediction log (multipart: `current`, optional `reference` files; optional text
/// fields `split_at`, `observed_at`, `label`), computes it under the system's plan and stores the
/// run. Warnings raise alerts, breaches open incidents. A log that cannot be read stores nothing
/// and answers 422 naming the file, row and column.
#[utoipa::path(post, path = "/systems/{key}/monitoring/runs", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path)),
    request_body(content = String, content_type = "multipart/form-data", description = "current (file), reference (file), split_at, observed_at, label"),
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn upload(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    request: Request,
) -> Result<Response, ApiError> {
    // Permission first: a refused caller's body is not even read.
    a.require(aims_core::Action::RecordMonitoring)?;
    let form = match Multipart::from_request(request, &()).await {
        Ok(form) => form,
        Err(rejection) => {
            return Ok(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                format!(
                    "send the log as multipart/form-data: {}",
                    rejection.body_text()
                ),
                Vec::new(),
            ))
        }
    };
    let upload = crate::upload::read_log(form).await?;
    let outcome = s.app.monitor_run(&a, &key, &upload.log).await?;
    Ok((StatusCode::CREATED, Json(outcome)).into_response())
}

/// Metric values a pipeline computed itself (`{"metrics": {"performance.current.accuracy": 0.91}}`),
/// judged under the system's plan like a computed log; usable with an API token.
#[utoipa::path(post, path = "/systems/{key}/monitoring/observations", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path)), request_body = PushInput,
    responses((status = 201, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn push(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<PushInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.monitor_push(&a, &key, &body).await?),
    ))
}

/// One run with its observations and, for a computed log, the full metrics report.
#[utoipa::path(get, path = "/monitoring/runs/{key}", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)))]
pub(super) async fn run(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    let (run, report) = s.app.monitor_run_get(&a, &key).await?;
    Ok(Json(serde_json::json!({ "run": run, "report": report })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlertsQuery {
    /// Only this system's alerts (`SYS-3`).
    pub system: Option<String>,
    /// Only open alerts.
    pub open: Option<bool>,
}

/// Alerts raised by warnings, newest first.
#[utoipa::path(get, path = "/monitoring/alerts", tag = "monitoring", security(("bearer" = [])), params(AlertsQuery),
    responses((status = 200, body = [Object]), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn alerts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<AlertsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app
            .monitor_alerts(&a, q.system.as_deref(), q.open.unwrap_or(false))
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckInput {
    /// What was done about it.
    pub note: Option<String>,
}

/// Acknowledges an open alert (409 when already acknowledged).
#[utoipa::path(post, path = "/monitoring/alerts/{key}/ack", tag = "monitoring", security(("bearer" = [])), params(("key" = String, Path)), request_body = AckInput,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub(super) async fn ack(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<AckInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app
            .monitor_alert_ack(&a, &key, body.note.as_deref())
            .await?,
    ))
}
