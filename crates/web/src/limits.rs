//! A body over the size limit is answered 413 in the caller's language: problem JSON under
//! `/api`, an error page elsewhere (axum's own rejection is plain text).

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::problem;
use crate::pages::layout::PageError;

pub async fn too_large(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if res.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return res;
    }
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if kind.starts_with("application/problem+json") || kind.starts_with("text/html") {
        return res;
    }
    let detail = format!(
        "the request body is larger than this server accepts here (forms and API requests: at \
         most {} KiB; prediction logs: at most {} GiB)",
        crate::BODY_LIMIT / 1024,
        crate::upload::UPLOAD_LIMIT >> 30
    );
    if api {
        problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            detail,
            Vec::new(),
        )
    } else {
        PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The form could not be accepted: {detail}."),
            None,
        )
        .into_response()
    }
}
