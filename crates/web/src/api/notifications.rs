//! What is due for the caller, and the dashboard of their role.

use aims_app::notifications::Notifications;
use aims_app::role_dashboard::RoleDashboard;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::ApiQuery;
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/dashboard", get(dashboard))
}

/// Whose notifications to read.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// A username (default: the caller).
    pub user: Option<String>,
}

/// Which dashboard to show.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// governance, risk_owner, auditor, contributor or summary (default: the caller's role's).
    #[serde(rename = "as")]
    #[param(rename = "as")]
    pub view: Option<String>,
}

/// What is due or overdue for the caller (or `user`): risk reviews, actions, corrective actions,
/// nonconformities, serious-incident reports, approvals and sign-offs, monitoring runs; overdue
/// first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = Notifications), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<NotificationQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let user = q.user.unwrap_or_else(|| a.username.clone());
    Ok(Json(s.app.notifications_of(&a, &user).await?))
}

/// The dashboard of the caller's role, or of `as` when the role may look through it.
#[utoipa::path(get, path = "/dashboard", tag = "notifications", security(("bearer" = [])), params(DashboardQuery),
    responses((status = 200, body = RoleDashboard), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn dashboard(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.role_dashboard(&a, q.view.as_deref()).await?))
}
