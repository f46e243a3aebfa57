//! CSRF protection of every state-changing page request, in one layer: a POST from a signed-in
//! browser must carry the session's token (the `csrf` form field, or the `X-CSRF-Token` header),
//! or it is refused with a 403 page before any handler or service runs. The JSON API checks the
//! header in its extractor (`auth::ApiActor`).

use aims_app::auth::SessionActor;
use aims_app::Actor;
use aims_core::security::SecurityEventKind;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use futures_util::StreamExt;

use crate::auth::{CSRF_HEADER, SESSION_COOKIE};
use crate::pages::layout::{PageError, UserBar};
use crate::{audit, AppState, BODY_LIMIT};

/// How much of a multipart body is read to find its first field (the token).
const PEEK_LIMIT: usize = 16 * 1024;

/// Whether `sent` is the session's token (compared in constant time).
pub fn matches(sent: &str, expected: &str) -> bool {
    let (a, b) = (sent.as_bytes(), expected.as_bytes());
    !a.is_empty()
        && a.len() == b.len()
        && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Records a rejected request in the security trail.
pub async fn record_rejection(
    state: &AppState,
    actor: &Actor,
    client: Option<&str>,
    parts: &Parts,
) {
    let detail = format!("{} {}", parts.method, parts.uri.path());
    if let Err(e) = state
        .app
        .security_record(
            SecurityEventKind::CsrfRejected,
            Some(actor),
            client,
            &detail,
        )
        .await
    {
        tracing::error!(error = %e, "could not record a CSRF rejection");
    }
}

/// The layer over every page route.
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Signing in has no session to protect yet; it ends any session the browser had.
    if req.method().is_safe() || req.uri().path() == "/login" {
        return next.run(req).await;
    }
    let jar = CookieJar::from_headers(req.headers());
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        // No session: the handler's extractor sends the browser to the login page.
        return next.run(req).await;
    };
    let Ok(session) = state.app.session(cookie.value()).await else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let bar = UserBar {
        username: session.actor.username.clone(),
        role: session.actor.role,
        csrf: session.csrf.clone(),
        due: None,
    };
    let (sent, body) = match token_of(&parts.headers, body).await {
        Ok(found) => found,
        Err(status) => {
            return PageError::new(
                status,
                format!(
                    "The form is larger than the {} KiB this server accepts.",
                    BODY_LIMIT / 1024
                ),
                Some(bar),
            )
            .into_response()
        }
    };
    if !matches(&sent, &session.csrf) {
        record_rejection(
            &state,
            &session.actor,
            audit::client(&parts).as_deref(),
            &parts,
        )
        .await;
        return PageError::new(
            StatusCode::FORBIDDEN,
            "The form could not be accepted: it has expired or did not come from this site. \
             Go back, reload the page and try again."
                .into(),
            Some(bar),
        )
        .into_response();
    }
    parts.extensions.insert::<SessionActor>(session);
    next.run(Request::from_parts(parts, body)).await
}

/// The token a request carries, and its body to pass on unchanged.
async fn token_of(headers: &HeaderMap, body: Body) -> Result<(String, Body), StatusCode> {
    if let Some(sent) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((sent.to_owned(), body));
    }
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let essence = kind
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/x-www-form-urlencoded" => {
            let bytes = axum::body::to_bytes(body, BODY_LIMIT)
                .await
                .map_err(|_| StatusCode::PAYLOAD_TOO_LARGE)?;
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            let sent = pairs
                .into_iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v)
                .unwrap_or_default();
            Ok((sent, Body::from(bytes)))
        }
        "multipart/form-data" => match boundary(&kind) {
            Some(b) => Ok(first_field(&b, body).await),
            None => Ok((String::new(), body)),
        },
        _ => Ok((String::new(), body)),
    }
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("boundary")).then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// Reads the start of a multipart body until its first field is complete; that field must be
/// `csrf` (pages put the token first in every upload form). The body is passed on whole.
async fn first_field(boundary: &str, body: Body) -> (String, Body) {
    let mut stream = body.into_data_stream();
    let mut head: Vec<u8> = Vec::new();
    let mut found = None;
    while head.len() < PEEK_LIMIT {
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            _ => break,
        }
        found = first_part(&head, boundary);
        if found.is_some() {
            break;
        }
    }
    let head = Bytes::from(head);
    let rest = futures_util::stream::once(async move { Ok::<_, axum::Error>(head) }).chain(stream);
    (found.flatten().unwrap_or_default(), Body::from_stream(rest))
}

/// The first part of a multipart body: `None` while incomplete, `Some(None)` when it is not
/// `csrf`, `Some(Some(token))` when it is.
fn first_part(buf: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    let start = find(buf, opening.as_bytes())? + opening.len();
    let headers_end = start + find(&buf[start..], b"\r\n\r\n")?;
    let headers = String::from_utf8_lossy(&buf[start..headers_end]).to_ascii_lowercase();
    let value_start = headers_end + 4;
    let closing = format!("\r\n--{boundary}");
    let value_end = value_start + find(&buf[value_start..], closing.as_bytes())?;
    let is_csrf = headers
        .lines()
        .any(|l| l.starts_with("content-disposition:") && l.contains("name=\"csrf\""));
    Some(is_csrf.then(|| String::from_utf8_lossy(&buf[value_start..value_end]).into_owned()))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_first_multipart_field() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"current\"; filename=\"a.csv\"\r\n\r\nx,y\r\n--XyZ--\r\n";
        assert_eq!(first_part(body, "XyZ"), Some(Some("abc123".to_owned())));
        assert_eq!(first_part(&body[..40], "XyZ"), None);
        let other =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nabc\r\n--XyZ--";
        assert_eq!(first_part(other, "XyZ"), Some(None));
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\"").as_deref(),
            Some("XyZ")
        );
    }

    #[test]
    fn tokens_match_only_exactly() {
        assert!(matches("abc", "abc"));
        assert!(!matches("abd", "abc"));
        assert!(!matches("", ""));
        assert!(!matches("ab", "abc"));
    }
}
