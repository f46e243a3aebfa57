//! Gap analysis: the prioritised list of gaps against ISO/IEC 42001.

use aims_app::gap::{GapFormat, GapQuery};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::json::ApiQuery;
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/gaps", get(list))
}

/// Filters and format of the gap list.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GapsQuery {
    /// critical, high, medium or low.
    pub severity: Option<String>,
    /// maturity, soa, soa-undecided, di or scope.
    pub source: Option<String>,
    /// json (default), csv or md.
    pub format: Option<String>,
}

/// The gaps, critical first and in the standard's order within a severity; `counts` are of the
/// whole report.
#[utoipa::path(get, path = "/gaps", tag = "gaps", security(("bearer" = [])), params(GapsQuery),
    responses((status = 200, body = aims_app::gap::GapReport), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<GapsQuery>,
) -> Result<Response, ApiError> {
    let format = GapFormat::parse(q.format.as_deref().unwrap_or("json"))?;
    let query = GapQuery {
        severity: q.severity,
        source: q.source,
    };
    let report = s.app.gap_list(&a, &query).await?;
    let (body, content_type, file) = match format {
        GapFormat::Csv => (
            aims_app::gap::to_csv(&report.gaps)?,
            "text/csv; charset=utf-8",
            "gaps.csv",
        ),
        GapFormat::Markdown => (
            aims_app::gap::to_markdown(&report),
            "text/markdown; charset=utf-8",
            "gaps.md",
        ),
        GapFormat::Json | GapFormat::Table => return Ok(Json(report).into_response()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        body,
    )
        .into_response())
}
