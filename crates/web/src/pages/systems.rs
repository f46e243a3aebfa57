//! The inventory list: filters, sorting and pages, all kept in the URL; and its CSV export.

use aims_app::systems::{ListQuery, SystemPage, SystemView};
use aims_app::AppError;
use aims_core::inventory::{EuClass, Stage};
use aims_core::{FieldError, ValidationErrors};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::form::FormState;
use super::layout::{opts, query_string, render, Layout, Opt, OrPage, PageError, Shell};
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

/// A list query read from the URL, with the numbers that did not parse.
struct Parsed {
    query: ListQuery,
    pairs: Vec<(String, String)>,
    errors: Vec<FieldError>,
}

fn parse(pairs: Vec<(String, String)>) -> Parsed {
    let mut errors = Vec::new();
    let get = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let mut number = |name: &str| {
        get(name).and_then(|v| match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(FieldError::new(
                    name,
                    format!("'{v}' is not a whole number"),
                ));
                None
            }
        })
    };
    let (page, per_page) = (number("page"), number("per_page"));
    let query = ListQuery {
        stage: get("stage"),
        owner: get("owner"),
        unit: get("unit"),
        eu_class: get("eu_class"),
        scope: get("scope"),
        status: get("status"),
        q: get("q"),
        sort: get("sort"),
        page,
        per_page,
    };
    Parsed {
        query,
        pairs,
        errors,
    }
}

impl Parsed {
    fn value(&self, name: &str) -> String {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The current query with `changes` applied, as `/systems?...`.
    fn link(&self, path: &str, changes: &[(&str, String)]) -> String {
        let mut pairs: Vec<(&str, String)> = KEPT
            .iter()
            .filter(|k| !changes.iter().any(|(c, _)| c == *k))
            .map(|k| (*k, self.value(k)))
            .collect();
        pairs.extend(changes.iter().cloned());
        format!("{path}{}", query_string(&pairs))
    }

    fn state(&self, error: Option<&AppError>) -> FormState {
        let mut s = FormState::new(FILTERS);
        for name in KEPT {
            s = s.set(name, self.value(name));
        }
        if let Some(e) = error {
            for f in e.fields() {
                s = s.with_error(&f.field, &f.reason);
            }
        }
        for f in &self.errors {
            s = s.with_error(&f.field, &f.reason);
        }
        s
    }
}

/// A sortable column header.
pub struct Column {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or "" (for `aria-sort`).
    pub sorted: &'static str,
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
    total: i64,
    first: i64,
    last: i64,
    prev: String,
    next: String,
    export: String,
    clear: bool,
}

fn columns(p: &Parsed) -> Vec<Column> {
    let current = p.value("sort");
    let current = if current.is_empty() {
        "key".to_owned()
    } else {
        current
    };
    [
        ("Key", "key"),
        ("Name", "name"),
        ("Stage", "stage"),
        ("Owner", "owner"),
        ("Criticality", "criticality"),
        ("Updated", "updated"),
    ]
    .into_iter()
    .map(|(label, word)| {
        let (sorted, next) = if current == word {
            ("ascending", format!("-{word}"))
        } else if current.strip_prefix('-') == Some(word) {
            ("descending", word.to_owned())
        } else {
            ("", word.to_owned())
        };
        Column {
            label,
            href: p.link("/systems", &[("sort", next)]),
            sorted,
        }
    })
    .collect()
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let parsed = parse(pairs);
    // With a page number that did not parse, the rest is still checked so every error shows.
    let result = match state.app.system_list(shell.actor(), &parsed.query).await {
        Ok(_) if !parsed.errors.is_empty() => Err(AppError::Invalid(ValidationErrors::default())),
        other => other,
    };
    let (found, error) = match result {
        Ok(page) => (page, None),
        Err(e @ AppError::Invalid(_)) => (
            SystemPage {
                items: Vec::new(),
                total: 0,
                page: 1,
                per_page: 50,
            },
            Some(e),
        ),
        Err(e) => return Err(shell.fail(e)),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let shown = i64::try_from(found.items.len()).unwrap_or(0);
    let first = (found.page - 1) * found.per_page + 1;
    let page = ListPage {
        layout: shell.layout("inventory", "Inventory"),
        form: parsed.state(error.as_ref()),
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
        columns: columns(&parsed),
        prev: if found.page > 1 {
            parsed.link("/systems", &[("page", (found.page - 1).to_string())])
        } else {
            String::new()
        },
        next: if first - 1 + shown < found.total {
            parsed.link("/systems", &[("page", (found.page + 1).to_string())])
        } else {
            String::new()
        },
        export: parsed.link("/systems/export.csv", &[]),
        clear: KEPT.iter().any(|k| !parsed.value(k).is_empty()),
        total: found.total,
        first: if shown == 0 { 0 } else { first },
        last: first - 1 + shown,
        items: found.items,
    };
    Ok(render(status, &page))
}

async fn export(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let parsed = parse(pairs);
    if let Some(f) = parsed.errors.first() {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            format!("The export could not be made: {f}."),
            Some(shell.bar()),
        ));
    }
    let csv = state
        .app
        .system_export_csv(shell.actor(), &parsed.query)
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
