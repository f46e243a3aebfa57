//! The change ledger: recent events page by page, one record's events, and verifying the chain.

use aims_app::ledger::VerifyReport;
use aims_core::keys::normalise;
use aims_core::ledger::Event;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use super::layout::{query_string, render, Layout, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(show))
        .route("/ledger/verify", post(verify))
}

/// Events per page.
const PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    layout: Layout,
    key: String,
    events: Vec<Event>,
    older: String,
    newest: String,
    error: String,
    report: Option<VerifyReport>,
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> &'a str {
    q.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

async fn page(
    state: &AppState,
    shell: &Shell,
    q: &[(String, String)],
    report: Option<VerifyReport>,
) -> Result<Response, PageError> {
    let key = normalise(param(q, "key"));
    let mut error = String::new();
    let before = match param(q, "before") {
        "" => None,
        b => match b.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                error = format!("'{b}' is not an event number.");
                None
            }
        },
    };
    let filter = (!key.is_empty()).then_some(key.as_str());
    let events = if error.is_empty() {
        state
            .app
            .ledger_log(shell.actor(), filter, before, Some(PAGE))
            .await
            .or_page(shell)?
    } else {
        Vec::new()
    };
    let older = match events.last() {
        Some(last) if i64::try_from(events.len()).unwrap_or(0) == PAGE && last.seq > 1 => format!(
            "/ledger{}",
            query_string(&[("key", key.clone()), ("before", last.seq.to_string())])
        ),
        _ => String::new(),
    };
    let newest = if before.is_some() {
        format!("/ledger{}", query_string(&[("key", key.clone())]))
    } else {
        String::new()
    };
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = LedgerPage {
        layout: shell.layout("ledger", "Ledger"),
        key,
        events,
        older,
        newest,
        error,
        report,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let report = if matches!(param(&q, "verify"), "1" | "yes" | "true") {
        Some(
            state
                .app
                .ledger_verify(shell.actor(), None)
                .await
                .or_page(&shell)?,
        )
    } else {
        None
    };
    page(&state, &shell, &q, report).await
}

async fn verify(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let report = state
        .app
        .ledger_verify(shell.actor(), None)
        .await
        .or_page(&shell)?;
    page(&state, &shell, &[], Some(report)).await
}
