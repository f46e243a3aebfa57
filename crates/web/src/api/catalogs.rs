//! Frameworks (built-in and imported), their items, imports and crosswalk queries.

use aims_app::catalogs::{
    CrosswalkQuery, CrosswalkView, FrameworkSummary, FrameworkView, ImportOutcome, ImportRequest,
    ItemView,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::json::{ApiJson, ApiPath, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalogs", get(list))
        .route("/catalogs/import", post(import))
        .route("/catalogs/{id}", get(show))
        .route("/catalogs/{id}/items/{item}", get(item))
        .route("/crosswalks", get(crosswalk))
}

/// Every framework, built-in then imported, with item counts per kind.
#[utoipa::path(get, path = "/catalogs", tag = "catalogs", security(("bearer" = [])),
    responses((status = 200, body = Vec<FrameworkSummary>), (status = 401, body = Problem)))]
pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.catalog_list(&a).await?))
}

/// One framework: its items in tree order (with depth) and the crosswalks it takes part in.
#[utoipa::path(get, path = "/catalogs/{id}", tag = "catalogs", security(("bearer" = [])),
    params(("id" = String, Path, description = "Framework ID, ignoring case (ISO42001)")),
    responses((status = 200, body = FrameworkView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath(id): ApiPath<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.catalog_get(&a, &id).await?))
}

/// One item: guidance, evidence, the organisation's licensed text if imported, children and
/// crosswalk links both ways. The item ID ignores case and whitespace (`art.9` is `Art. 9`).
#[utoipa::path(get, path = "/catalogs/{id}/items/{item}", tag = "catalogs", security(("bearer" = [])),
    params(("id" = String, Path, description = "Framework ID"), ("item" = String, Path, description = "Item ID (A.6.2.6)")),
    responses((status = 200, body = ItemView), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub(super) async fn item(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiPath((id, item)): ApiPath<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.catalog_item(&a, &id, &item).await?))
}

/// Imports a framework or crosswalk: an aims YAML file, the licensed text of a built-in
/// framework, or a CISO Assistant library. A refused file answers 422 naming `content` with
/// `FILE:LINE: FIELD: REASON`.
#[utoipa::path(post, path = "/catalogs/import", tag = "catalogs", security(("bearer" = [])), request_body = ImportRequest,
    responses((status = 201, body = ImportOutcome), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn import(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(body): ApiJson<ImportRequest>,
) -> Result<impl IntoResponse, ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.catalog_import(&a, &body).await?),
    ))
}

/// The links from `source` to `target` with titles on both ends (a crosswalk stored the other
/// way is turned round), optionally only those with item `id` at either end.
#[utoipa::path(get, path = "/crosswalks", tag = "catalogs", security(("bearer" = [])), params(CrosswalkQuery),
    responses((status = 200, body = CrosswalkView), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub(super) async fn crosswalk(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CrosswalkQuery>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.crosswalk_query(&a, &q).await?))
}
