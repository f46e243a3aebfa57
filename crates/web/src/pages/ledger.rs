//! The change ledger: its events with their filters, sort and page in the address, and
//! verifying the chain.

use aims_app::ledger::{kinds, LedgerQuery, VerifyReport};
use aims_core::keys::normalise;
use aims_core::ledger::Event;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use super::form::FormState;
use super::layout::{render, Layout, Opt, OrPage, PageError, Shell};
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(show))
        .route("/ledger/verify", post(verify))
}

const FILTERS: &[(&str, &str)] = &[
    ("key", "Record key"),
    ("kind", "Kind of record"),
    ("actor", "Who"),
    ("action", "Action"),
    ("from", "From"),
    ("to", "To"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &[
    "key", "kind", "actor", "action", "from", "to", "sort", "per_page",
];

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    layout: Layout,
    /// The record whose events are listed ("" for every record).
    record: String,
    events: Vec<Event>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    kinds: Vec<Opt>,
    filtered: bool,
    report: Option<VerifyReport>,
}

async fn page(
    state: &AppState,
    shell: &Shell,
    pairs: Vec<(String, String)>,
    report: Option<VerifyReport>,
) -> Result<Response, PageError> {
    let mut p = Params::new("/ledger", KEPT, pairs);
    let q = LedgerQuery {
        key: p.text("key"),
        kind: p.text("kind"),
        actor: p.text("actor"),
        action: p.text("action"),
        from: p.text("from"),
        to: p.text("to"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
        ..LedgerQuery::default()
    };
    let result = state.app.ledger_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (events, pager) = Pager::of(&p, "events", out.list);
    let page = LedgerPage {
        layout: shell.layout("ledger", "Ledger"),
        record: normalise(&p.value("key")),
        events,
        columns: p.columns("-seq", &[("Event", "seq")]),
        pager,
        form: out.form,
        kinds: kinds()
            .into_iter()
            .map(|k| Opt::new(k, k.replace('_', " ")))
            .collect(),
        filtered: p.filtered(),
        report,
    };
    Ok(render(out.status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let asked = q
        .iter()
        .any(|(k, v)| k == "verify" && matches!(v.trim(), "1" | "yes" | "true"));
    let report = if asked {
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
    page(&state, &shell, q, report).await
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
    page(&state, &shell, Vec::new(), Some(report)).await
}
