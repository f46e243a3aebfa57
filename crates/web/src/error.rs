//! Errors of the JSON API as RFC 9457 problem details; the internal detail is logged, never sent.

use aims_app::AppError;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered as `application/problem+json`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable code clients can match on.
    pub code: String,
    /// Each invalid field and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub reason: String,
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::NotFound { .. } => StatusCode::NOT_FOUND,
        AppError::Forbidden { .. } | AppError::Refused(_) => StatusCode::FORBIDDEN,
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Schema(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A problem response for `status` with `detail` (used for errors that never reach a service).
pub fn problem(
    status: StatusCode,
    code: &str,
    detail: String,
    errors: Vec<ProblemField>,
) -> Response {
    let body = Problem {
        kind: format!("https://aims.invalid/problems/{code}"),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        code: code.to_owned(),
        errors,
    };
    let json = serde_json::to_string(&body).unwrap_or_default();
    let mut res = (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        json,
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let detail = if status.is_server_error() && !matches!(self.0, AppError::Schema(_)) {
            tracing::error!(error = %self.0, "request failed");
            "an internal error occurred; it has been logged".to_owned()
        } else {
            self.0.to_string()
        };
        let errors = self
            .0
            .fields()
            .into_iter()
            .map(|f| ProblemField {
                field: f.field,
                reason: f.reason,
            })
            .collect();
        let mut res = problem(status, self.0.code(), detail, errors);
        mark(&mut res, &self.0);
        res
    }
}

/// Marks a refusal for the security trail, and tells a throttled caller when to come back.
pub fn mark(res: &mut Response, e: &AppError) {
    match e {
        AppError::Forbidden { .. } | AppError::Refused(_) => {
            res.extensions_mut()
                .insert(crate::audit::Denied(e.to_string()));
        }
        AppError::Throttled { retry_after, .. } => {
            if let Ok(v) = header::HeaderValue::from_str(&retry_after.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        _ => {}
    }
}
