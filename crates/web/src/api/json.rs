//! Request bodies and queries whose rejections are problem details naming the field.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::{problem, ProblemField};

/// A JSON body: an object, always (serde would also take a struct from an array of its fields).
/// Syntax errors answer 400, unknown keys and wrong types 422 with the field named.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(problem(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Expected request with `Content-Type: application/json`".to_owned(),
                Vec::new(),
            ));
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(rejection) => return Err(json_problem(JsonRejection::from(rejection))),
        };
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
        if first.is_some_and(|b| *b != b'{') {
            return Err(problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "the body must be a JSON object".to_owned(),
                vec![ProblemField {
                    field: "body".to_owned(),
                    reason: "must be a JSON object".to_owned(),
                }],
            ));
        }
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

/// Whether the content type is JSON (`application/json` or `application/*+json`).
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(value) = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
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

/// The `x-total-count` header of a list answered as a plain array: how many records match on
/// every page.
pub fn total_count(total: i64) -> [(HeaderName, HeaderValue); 1] {
    [(
        HeaderName::from_static("x-total-count"),
        HeaderValue::from(total),
    )]
}

/// Path parameters: a value of the wrong type answers 422 naming the parameter.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(rejection) => {
                let template = parts
                    .extensions
                    .get::<axum::extract::MatchedPath>()
                    .map(|m| m.as_str().to_owned())
                    .unwrap_or_default();
                Err(path_problem(rejection, &template))
            }
        }
    }
}

fn path_problem(rejection: PathRejection, template: &str) -> Response {
    let text = rejection.body_text();
    match rejection {
        PathRejection::FailedToDeserializePathParams(e) => {
            let field = match e.kind() {
                axum::extract::path::ErrorKind::ParseErrorAtKey { key, .. }
                | axum::extract::path::ErrorKind::InvalidUtf8InPathParam { key } => key.clone(),
                _ => only_parameter(template).unwrap_or("path").to_owned(),
            };
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
        _ => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            text,
            Vec::new(),
        ),
    }
}

/// The name of a route's single path parameter (`version` in `/scope/versions/{version}`).
fn only_parameter(template: &str) -> Option<&str> {
    let mut names = template
        .split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'));
    let first = names.next()?;
    names.next().is_none().then_some(first)
}

#[cfg(test)]
mod tests {
    use super::{field_of, only_parameter};

    #[test]
    fn the_single_path_parameter_is_named() {
        assert_eq!(only_parameter("/scope/versions/{version}"), Some("version"));
        assert_eq!(only_parameter("/risks/{key}/links/{other}"), None);
        assert_eq!(only_parameter("/risks"), None);
    }

    #[test]
    fn field_names_from_serde_messages() {
        assert_eq!(
            field_of("Failed to deserialize: unknown field `colour`, expected one of `name`"),
            "colour"
        );
        assert_eq!(field_of("Failed to deserialize the JSON body into the target type: name: invalid type: integer"), "name");
    }
}
