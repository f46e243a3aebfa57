//! The JSON API under `/api/v1`. Each resource module owns its routes; the OpenAPI 3.1
//! document is generated from the handlers' annotations.

mod actions;
mod catalogs;
mod certbodies;
mod context;
mod controls;
mod coverage;
mod gap;
mod impacts;
mod incidents;
mod journey;
mod json;
mod ledger;
mod maturity;
mod monitoring;
mod risks;
mod scope;
mod search;
mod session;
mod soa;
mod systems;
mod users;

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::problem;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .merge(session::router())
        .merge(users::router())
        .merge(systems::router())
        .merge(context::router())
        .merge(controls::router())
        .merge(catalogs::router())
        .merge(scope::router())
        .merge(soa::router())
        .merge(maturity::router())
        .merge(gap::router())
        .merge(coverage::router())
        .merge(ledger::router())
        .merge(actions::router())
        .merge(certbodies::router())
        .merge(journey::router())
        .merge(risks::router())
        .merge(impacts::router())
        .merge(monitoring::router())
        .merge(incidents::router())
        .merge(search::router())
        .fallback(not_found)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "aims API", description = "AI management system (ISO/IEC 42001) JSON API. Errors are RFC 9457 problem details."),
    servers((url = "/api/v1")),
    paths(
        health, session::login, session::logout, session::me,
        users::list_users, users::add_user, users::disable_user, users::list_tokens, users::create_token, users::revoke_token,
        systems::list, systems::export, systems::add, systems::show, systems::update, systems::retire,
        context::list_issues, context::add_issue, context::show_issue, context::update_issue, context::archive_issue,
        context::list_parties, context::add_party, context::show_party, context::update_party, context::archive_party,
        controls::list, controls::add, controls::show, controls::update, controls::link,
        catalogs::list, catalogs::show, catalogs::item, catalogs::import, catalogs::crosswalk,
        scope::status, scope::history, scope::propose, scope::show, scope::approve, scope::diff,
        soa::show, soa::set, soa::export, soa::history, soa::snapshot, soa::approve,
        maturity::list, maturity::assess, maturity::model, maturity::compare, maturity::show,
        gap::list,
        coverage::coverage, coverage::list, coverage::show, coverage::import,
        ledger::events, ledger::verify, ledger::checkpoint,
        actions::list, actions::add, actions::show, actions::update, actions::roadmap,
        certbodies::list, certbodies::add, certbodies::show, certbodies::update,
        journey::journey, journey::list, journey::add,
        risks::list, risks::add, risks::show, risks::update, risks::assess, risks::treat, risks::accept, risks::review,
        risks::export, risks::views, risks::heatmap,
        risks::method_show, risks::method_set, risks::method_init, risks::method_history, risks::method_version,
        impacts::list, impacts::add, impacts::show, impacts::update, impacts::sign,
        monitoring::overview, monitoring::view, monitoring::set_plan, monitoring::runs, monitoring::upload,
        monitoring::push, monitoring::run, monitoring::alerts, monitoring::ack,
        incidents::list, incidents::add, incidents::show, incidents::update, incidents::transition, incidents::note,
        incidents::rca, incidents::link,
        incidents::nc_list, incidents::nc_add, incidents::nc_show, incidents::nc_update, incidents::nc_action,
        incidents::nc_verify, incidents::nc_close,
        search::search,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = doc.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

/// The OpenAPI 3.1 document of the API.
pub fn openapi_document() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

/// Liveness and database reachability; needs no credentials.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Object), (status = 503, body = crate::error::Problem)))]
async fn health(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> axum::response::Response {
    match s.app.db.ping().await {
        Ok(()) => Json(serde_json::json!({"status": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not reachable".into(),
                Vec::new(),
            )
        }
    }
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
}

async fn not_found() -> axum::response::Response {
    problem(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such API operation".into(),
        Vec::new(),
    )
}
