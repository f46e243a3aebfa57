//! `GET /api/v1/search?q=`: one search over every area the caller may read.

use aims_app::search::SearchResults;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

use super::json::ApiQuery;
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

/// What to search for.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A key (`rsk-12`), a catalog requirement ID (`ISO42001:A.6.2.4`) or words of a title or
    /// text; 2 to 200 characters.
    pub q: String,
    /// Results per area, 1 to 100 (default 10).
    pub limit: Option<i64>,
}

/// Records whose key is the text first, then those whose title holds it, then those whose
/// other text holds it, grouped by area (users only for admins).
#[utoipa::path(get, path = "/search", tag = "search", security(("bearer" = [])), params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.search(&a, &q.q, q.limit).await?))
}
