//! `/search?q=`: the results of the header's search box, grouped by area.

use aims_app::search::SearchResults;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::layout::{render, Layout, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(show))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    /// Why the text was refused, shown beside the field.
    error: String,
    results: Option<SearchResults>,
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let q = pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut page = SearchPage {
        layout: shell.layout("search", "Search"),
        q: q.clone(),
        error: String::new(),
        results: None,
    };
    if q.is_empty() {
        return Ok(render(StatusCode::OK, &page));
    }
    match state.app.search(shell.actor(), &q, None).await {
        Ok(r) => {
            page.layout = shell.layout("search", format!("Search: {q}"));
            page.results = Some(r);
            Ok(render(StatusCode::OK, &page))
        }
        Err(e) if is_form_error(&e) => {
            page.error = e
                .fields()
                .into_iter()
                .map(|f| f.reason)
                .collect::<Vec<_>>()
                .join("; ");
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(shell.fail(e)),
    }
}
