//! Request bodies and queries whose rejections are problem details naming the field.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::{problem, ProblemField};

/// A JSON body: syntax errors answer 400, unknown keys and wrong types 422 with the field named.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> Response {
    let text = rejection.body_text();
    match rejection {
        JsonRejection::JsonDataError(_) => {
            let field = field_of(&text);
            problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                text.clone(),
                vec![ProblemField {
                    field,
                    reason: text,
                }],
            )
        }
        JsonRejection::MissingJsonContentType(_) => problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            text,
            Vec::new(),
        ),
        r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "the request body is larger than the {} KiB this server accepts",
                crate::BODY_LIMIT / 1024
            ),
            Vec::new(),
        ),
        _ => problem(StatusCode::BAD_REQUEST, "bad_request", text, Vec::new()),
    }
}

/// The field a serde message is about: `unknown field `x``, or the path before `: `.
fn field_of(message: &str) -> String {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        return rest.split('`').next().unwrap_or_default().to_owned();
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        return rest.split('`').next().unwrap_or_default().to_owned();
    }
    // axum prefixes data errors with "Failed to deserialize the JSON body into the target type: PATH: reason".
    message
        .split(": ")
        .nth(1)
        .filter(|p| !p.contains(' '))
        .map(str::to_owned)
        .unwrap_or_else(|| "body".to_owned())
}

/// A query string: unknown or malformed parameters answer 422 naming the parameter.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => Err(query_problem(rejection)),
        }
    }
}

fn query_problem(rejection: QueryRejection) -> Response {
    let text = rejection.body_text();
    let field = field_of(&text);
    problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
        text.clone(),
        vec![ProblemField {
            field,
            reason: text,
        }],
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn field_names_from_serde_messages() {
        assert_eq!(
            field_of("Failed to deserialize: unknown field `colour`, expected one of `name`"),
            "colour"
        );
        assert_eq!(field_of("Failed to deserialize the JSON body into the target type: name: invalid type: integer"), "name");
    }
}
