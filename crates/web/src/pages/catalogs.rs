//! Catalog pages: the frameworks with an import form, one framework's tree of items, one item
//! with its guidance, licensed text and crosswalk links both ways, and crosswalk tables.

use aims_app::catalogs::{
    CrosswalkQuery, CrosswalkSummary, CrosswalkView, FrameworkSummary, FrameworkView,
    ImportRequest, ItemView,
};
use aims_app::AppError;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{render, Layout, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalogs", get(list))
        .route("/catalogs/import", post(import))
        .route("/catalogs/{id}", get(show))
        .route("/catalogs/{id}/items/{item}", get(item))
        .route("/crosswalks", get(crosswalks))
}

const IMPORT_FIELDS: &[(&str, &str)] = &[
    ("file_name", "File name"),
    ("id", "Framework ID"),
    ("content", "File content"),
];

const QUERY_FIELDS: &[(&str, &str)] = &[
    ("source", "Source framework"),
    ("target", "Target framework"),
    ("id", "Item"),
];

/// A path segment with everything but unreserved characters percent-encoded (`Art. 9` becomes
/// `Art.%209`).
pub fn segment(s: &str) -> String {
    crate::auth::urlencode(s).replace('/', "%2F")
}

/// The page of an item.
pub fn item_href(framework: &str, id: &str) -> String {
    format!("/catalogs/{}/items/{}", segment(framework), segment(id))
}

/// The page of a crosswalk.
pub fn crosswalk_href(source: &str, target: &str) -> String {
    format!(
        "/crosswalks?source={}&target={}",
        segment(source),
        segment(target)
    )
}

#[derive(Template)]
#[template(path = "catalogs.html")]
struct ListPage {
    layout: Layout,
    frameworks: Vec<FrameworkSummary>,
    crosswalks: Vec<CrosswalkSummary>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct ShowPage {
    layout: Layout,
    view: FrameworkView,
}

#[derive(Template)]
#[template(path = "catalog_item.html")]
struct ItemPage {
    layout: Layout,
    item: ItemView,
}

#[derive(Template)]
#[template(path = "crosswalks.html")]
struct CrosswalkPage {
    layout: Layout,
    form: FormState,
    crosswalks: Vec<CrosswalkSummary>,
    view: Option<CrosswalkView>,
}

/// `3 control, 2 clause` of a framework's counts.
pub fn counts(f: &FrameworkSummary) -> String {
    f.counts
        .iter()
        .map(|(k, n)| format!("{n} {}", k.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn list_page(
    state: &AppState,
    shell: &Shell,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let frameworks = state.app.catalog_list(shell.actor()).await.or_page(shell)?;
    let crosswalks = state
        .app
        .crosswalk_list(shell.actor())
        .await
        .or_page(shell)?;
    let page = ListPage {
        layout: shell.layout("catalogs", "Catalogs"),
        frameworks,
        crosswalks,
        form,
    };
    Ok(render(status, &page))
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    list_page(
        &state,
        &shell,
        FormState::new(IMPORT_FIELDS),
        StatusCode::OK,
    )
    .await
}

async fn import(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let request = ImportRequest {
        file_name: form.text("file_name").unwrap_or_default(),
        content: form.text("content").unwrap_or_default(),
        id: form.chosen("id"),
    };
    match state.app.catalog_import(shell.actor(), &request).await {
        Ok(out) if out.kind == "framework" => {
            let id = out.ids.first().cloned().unwrap_or_default();
            Ok(Redirect::to(&format!("/catalogs/{}", segment(&id))).into_response())
        }
        Ok(out) => {
            let first = out.ids.first().cloned().unwrap_or_default();
            let (source, target) = first.split_once(':').unwrap_or((&first, ""));
            Ok(Redirect::to(&crosswalk_href(source, target)).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(IMPORT_FIELDS, &form, &e);
            list_page(&state, &shell, refused, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let view = state
        .app
        .catalog_get(shell.actor(), &id)
        .await
        .or_page(&shell)?;
    let title = format!("{} ({})", view.summary.name, view.summary.version);
    let page = ShowPage {
        layout: shell.layout("catalogs", title),
        view,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn item(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path((id, item)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let item = state
        .app
        .catalog_item(shell.actor(), &id, &item)
        .await
        .or_page(&shell)?;
    let title = format!("{}:{} {}", item.framework, item.id, item.title);
    let page = ItemPage {
        layout: shell.layout("catalogs", title),
        item,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn crosswalks(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let data = FormData(query);
    let q = CrosswalkQuery {
        source: data.chosen("source"),
        target: data.chosen("target"),
        id: data.chosen("id"),
    };
    let mut form = FormState::new(QUERY_FIELDS);
    for (name, value) in [("source", &q.source), ("target", &q.target), ("id", &q.id)] {
        form = form.set(name, value.clone().unwrap_or_default());
    }
    let all = state
        .app
        .crosswalk_list(shell.actor())
        .await
        .or_page(&shell)?;
    let mut status = StatusCode::OK;
    let view = if q.source.is_none() && q.target.is_none() && q.id.is_none() {
        None
    } else {
        match state.app.crosswalk_query(shell.actor(), &q).await {
            Ok(v) => Some(v),
            Err(e @ (AppError::Invalid(_) | AppError::NotFound { .. })) => {
                status = if matches!(e, AppError::NotFound { .. }) {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                form = match &e {
                    AppError::Invalid(_) => FormState::refused(QUERY_FIELDS, &data, &e),
                    _ => form.with_error("crosswalk", &e.to_string()),
                };
                None
            }
            Err(e) => return Err(shell.fail(e)),
        }
    };
    let title = match &view {
        Some(v) => format!("Crosswalk {} to {}", v.source, v.target),
        None => "Crosswalks".to_owned(),
    };
    let page = CrosswalkPage {
        layout: shell.layout("catalogs", title),
        form,
        crosswalks: all,
        view,
    };
    Ok(render(status, &page))
}
