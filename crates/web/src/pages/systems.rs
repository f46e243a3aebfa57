//! The inventory list: filters, sorting and pages, all kept in the URL; and its CSV export.

use aims_app::systems::{ListQuery, SystemView};
use aims_core::inventory::{EuClass, Stage};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::form::FormState;
use super::layout::{opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/systems", get(list))
        .route("/systems/export.csv", get(export))
}

/// The filter fields, with their labels (for the error summary).
const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("stage", "Stage"),
    ("eu_class", "EU AI Act class"),
    ("owner", "Owner"),
    ("unit", "Business unit"),
    ("scope", "Scope"),
    ("status", "Status"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &[
    "q", "stage", "eu_class", "owner", "unit", "scope", "status", "sort", "per_page",
];

/// The list query of the address's parameters.
fn query(p: &mut Params) -> ListQuery {
    ListQuery {
        stage: p.text("stage"),
        owner: p.text("owner"),
        unit: p.text("unit"),
        eu_class: p.text("eu_class"),
        scope: p.text("scope"),
        status: p.text("status"),
        q: p.text("q"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.number("per_page"),
    }
}

#[derive(Template)]
#[template(path = "systems.html")]
struct ListPage {
    layout: Layout,
    form: FormState,
    stages: Vec<Opt>,
    classes: Vec<Opt>,
    scopes: Vec<Opt>,
    statuses: Vec<Opt>,
    columns: Vec<Column>,
    items: Vec<SystemView>,
    pager: Pager,
    export: String,
    clear: bool,
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/systems", KEPT, pairs);
    let q = query(&mut p);
    let result = state.app.system_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (items, pager) = match out.list {
        Some(l) => {
            let pager = Pager::new(
                &p,
                "systems",
                l.total,
                l.page,
                Some(l.per_page),
                l.items.len(),
            );
            (l.items, pager)
        }
        None => (Vec::new(), Pager::none("systems")),
    };
    let page = ListPage {
        layout: shell.layout("inventory", "Inventory"),
        form: out.form,
        stages: opts(Stage::ALL, Stage::as_str, Stage::label)
            .into_iter()
            .filter(|o| o.value != Stage::Retired.as_str())
            .collect(),
        classes: opts(EuClass::ALL, EuClass::as_str, EuClass::label),
        scopes: vec![Opt::new("in", "In scope"), Opt::new("out", "Out of scope")],
        statuses: vec![
            Opt::new("active", "Active"),
            Opt::new("retired", "Retired"),
            Opt::new("all", "Active and retired"),
        ],
        columns: p.columns(
            "key",
            &[
                ("Key", "key"),
                ("Name", "name"),
                ("Stage", "stage"),
                ("Owner", "owner"),
                ("Criticality", "criticality"),
                ("Updated", "updated"),
            ],
        ),
        pager,
        export: p.link_to("/systems/export.csv", &[]),
        clear: p.filtered(),
        items,
    };
    Ok(render(out.status, &page))
}

async fn export(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/systems", KEPT, pairs);
    let q = query(&mut p);
    if let Some(f) = p.errors().first() {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            format!("The export could not be made: {f}."),
            Some(shell.bar()),
        ));
    }
    let csv = state
        .app
        .system_export_csv(shell.actor(), &q)
        .await
        .or_page(&shell)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"aims-inventory.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv,
    )
        .into_response())
}
