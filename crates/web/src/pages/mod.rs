//! Server-rendered pages. Each page module owns its routes; `layout`, `form` and `table` (the
//! sorted, filtered, paged lists) hold what they share.
//!
//! Pages need no JavaScript and no inline styles (the CSP forbids both). Every POST form carries
//! the session's CSRF token, checked before any service is called.

mod account;
mod actions;
mod catalogs;
mod certbodies;
mod context;
mod controls;
mod coverage;
mod dashboard;
mod form;
mod gap;
mod impacts;
mod incidents;
mod journey;
pub(crate) mod layout;
mod ledger;
mod login;
mod maturity;
mod methodology;
mod monitoring;
mod nonconformities;
mod notifications;
mod parties;
mod risks;
mod roadmap;
mod scope;
mod search;
mod security;
mod soa;
mod sso;
mod system;
mod systems;
mod table;
mod users;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::AppState;

/// The stylesheet, embedded in the binary.
const CSS: &str = include_str!("../../static/aims.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/aims.css", get(stylesheet))
        .merge(login::routes())
        .merge(sso::routes())
        .merge(dashboard::routes())
        .merge(systems::routes())
        .merge(system::routes())
        .merge(context::routes())
        .merge(controls::routes())
        .merge(catalogs::routes())
        .merge(parties::routes())
        .merge(scope::routes())
        .merge(soa::routes())
        .merge(maturity::routes())
        .merge(gap::routes())
        .merge(coverage::routes())
        .merge(ledger::routes())
        .merge(actions::routes())
        .merge(roadmap::routes())
        .merge(certbodies::routes())
        .merge(journey::routes())
        .merge(risks::routes())
        .merge(impacts::routes())
        .merge(monitoring::routes())
        .merge(incidents::routes())
        .merge(nonconformities::routes())
        .merge(notifications::routes())
        .merge(methodology::routes())
        .merge(account::routes())
        .merge(users::routes())
        .merge(search::routes())
        .merge(security::routes())
        .fallback(not_found)
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

async fn not_found() -> Response {
    layout::PageError::new(
        StatusCode::NOT_FOUND,
        "There is no page at this address.".into(),
        None,
    )
    .into_response()
}
