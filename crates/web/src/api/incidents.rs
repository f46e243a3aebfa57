//! Incidents and nonconformities.

use aims_app::actions::today;
use aims_app::incidents::{IncidentList, IncidentQuery, LinkInput, MoveInput};
use aims_app::nonconformities::{NcActionInput, NcList, NcQuery, VerifyInput};
use aims_core::action::RoadmapAction;
use aims_core::incident::{IncidentInput, IncidentView, RcaInput};
use aims_core::nonconformity::{NcInput, Nonconformity};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::json::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/incidents", get(list).post(add))
        .route("/incidents/{key}", get(show).patch(update))
        .route("/incidents/{key}/transitions", post(transition))
        .route("/incidents/{key}/notes", post(note))
        .route("/incidents/{key}/rca", post(rca))
        .route("/incidents/{key}/links", post(link))
        .route("/nonconformities", get(nc_list).post(nc_add))
        .route("/nonconformities/{key}", get(nc_show).patch(nc_update))
        .route("/nonconformities/{key}/actions", post(nc_action))
        .route("/nonconformities/{key}/checks", post(nc_verify))
        .route("/nonconformities/{key}/close", post(nc_close))
}

/// A timeline note.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub text: Option<String>,
}

/// A corrective action to add: `existing` links an action, `new` creates one.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NcActionBody {
    /// An existing roadmap action (`ACT-n`).
    pub existing: Option<String>,
    /// A new roadmap action.
    pub new: Option<aims_core::action::ActionInput>,
}

/// A corrective action with the nonconformity it now belongs to.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct NcWithAction {
    pub nonconformity: Nonconformity,
    pub action: RoadmapAction,
}

/// Incidents, filtered, sorted (newest first by default) and, with `page` or `per_page`, paged;
/// each with its serious-incident countdown.
#[utoipa::path(get, path = "/incidents", tag = "incidents", security(("bearer" = [])), params(IncidentQuery),
    responses((status = 200, body = IncidentList), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.incident_list(&a, &q).await?))
}

/// Reports an incident; detection defaults to now.
#[utoipa::path(post, path = "/incidents", tag = "incidents", security(("bearer" = [])), request_body = IncidentInput,
    responses((status = 201, body = IncidentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<IncidentInput>,
) -> Result<impl IntoResponse, ApiError> {
    let i = s.app.incident_add(&a, &body).await?;
    Ok((StatusCode::CREATED, Json(i.view(today()))))
}

/// One incident with its timeline and countdown.
#[utoipa::path(get, path = "/incidents/{key}", tag = "incidents", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = IncidentView), (status = 404, body = Problem)))]
async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.incident_get(&a, &key).await?.view(today())))
}

/// Changes the fields given, including `serious_basis` and `reported_to_authority_at`.
#[utoipa::path(patch, path = "/incidents/{key}", tag = "incidents", security(("bearer" = [])), params(("key" = String, Path)), request_body = IncidentInput,
    responses((status = 200, body = IncidentView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<IncidentInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app.incident_update(&a, &key, &body).await?.view(today()),
    ))
}

/// Moves the incident to another status (one step forward; triaged to resolved with a note;
/// resolved back to investigating). Resolving needs a root cause, closing lessons learned.
#[utoipa::path(post, path = "/incidents/{key}/transitions", tag = "incidents", security(("bearer" = [])), params(("key" = String, Path)), request_body = MoveInput,
    responses((status = 200, body = IncidentView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transition(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<MoveInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app.incident_move(&a, &key, &body).await?.view(today()),
    ))
}

/// Adds a note to the timeline.
#[utoipa::path(post, path = "/incidents/{key}/notes", tag = "incidents", security(("bearer" = [])), params(("key" = String, Path)), request_body = NoteInput,
    responses((status = 200, body = IncidentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn note(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<NoteInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app
            .incident_note(&a, &key, body.text.as_deref().unwrap_or_default())
            .await?
            .view(today()),
    ))
}

/// Records the root cause analysis (up to five whys, a category) and lessons learned.
#[utoipa::path(post, path = "/incidents/{key}/rca", tag = "incidents", security(("bearer" = [])), params(("key" = String, Path)), request_body = RcaInput,
    responses((status = 200, body = IncidentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn rca(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<RcaInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app.incident_rca(&a, &key, &body).await?.view(today()),
    ))
}

/// Links or unlinks risks (RSK-n) and controls (CTL-n).
#[utoipa::path(post, path = "/incidents/{key}/links", tag = "incidents", security(("bearer" = [])), params(("key" = String, Path)), request_body = LinkInput,
    responses((status = 200, body = IncidentView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn link(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<LinkInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(
        s.app.incident_link(&a, &key, &body).await?.view(today()),
    ))
}

/// Nonconformities, filtered, sorted (newest first by default) and, with `page` or
/// `per_page`, paged.
#[utoipa::path(get, path = "/nonconformities", tag = "nonconformities", security(("bearer" = [])), params(NcQuery),
    responses((status = 200, body = NcList), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn nc_list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<NcQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.nc_list(&a, &q).await?))
}

/// Records a nonconformity.
#[utoipa::path(post, path = "/nonconformities", tag = "nonconformities", security(("bearer" = [])), request_body = NcInput,
    responses((status = 201, body = Nonconformity), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn nc_add(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<NcInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((StatusCode::CREATED, Json(s.app.nc_add(&a, &body).await?)))
}

/// One nonconformity with its actions and checks.
#[utoipa::path(get, path = "/nonconformities/{key}", tag = "nonconformities", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Nonconformity), (status = 404, body = Problem)))]
async fn nc_show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.nc_get(&a, &key).await?))
}

/// Changes the fields given.
#[utoipa::path(patch, path = "/nonconformities/{key}", tag = "nonconformities", security(("bearer" = [])), params(("key" = String, Path)), request_body = NcInput,
    responses((status = 200, body = Nonconformity), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn nc_update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<NcInput>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.nc_update(&a, &key, &body).await?))
}

/// Adds a corrective action: `{"new": {...action...}}` creates a roadmap action, `{"existing": "ACT-3"}` links one.
#[utoipa::path(post, path = "/nonconformities/{key}/actions", tag = "nonconformities", security(("bearer" = [])), params(("key" = String, Path)), request_body = NcActionBody,
    responses((status = 201, body = NcWithAction), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn nc_action(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<NcActionBody>,
) -> Result<impl IntoResponse, ApiError> {
    let input = match (body.existing, body.new) {
        (Some(_), Some(_)) => {
            return Err(aims_app::AppError::invalid(
                "existing",
                "give either existing or new, not both",
            )
            .into())
        }
        (Some(k), None) => NcActionInput::Existing(k),
        (None, n) => NcActionInput::New(Box::new(n.unwrap_or_default())),
    };
    let (nonconformity, action) = s.app.nc_action(&a, &key, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(NcWithAction {
            nonconformity,
            action,
        }),
    ))
}

/// Records an effectiveness check; `effective` sets the action done, `not_effective` keeps it in progress.
#[utoipa::path(post, path = "/nonconformities/{key}/checks", tag = "nonconformities", security(("bearer" = [])), params(("key" = String, Path)), request_body = VerifyInput,
    responses((status = 200, body = NcWithAction), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn nc_verify(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
    ApiJson(body): ApiJson<VerifyInput>,
) -> Result<impl IntoResponse, ApiError> {
    let (nonconformity, action) = s.app.nc_verify(&a, &key, &body).await?;
    Ok(Json(NcWithAction {
        nonconformity,
        action,
    }))
}

/// Closes a nonconformity whose every corrective action passed an effectiveness check.
#[utoipa::path(post, path = "/nonconformities/{key}/close", tag = "nonconformities", security(("bearer" = [])), params(("key" = String, Path)),
    responses((status = 200, body = Nonconformity), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn nc_close(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(key): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.nc_close(&a, &key).await?))
}
