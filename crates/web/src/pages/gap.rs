//! Gap analysis: the prioritised gap list, filtered by severity and source, with the actions
//! planned against each gap (or a link to plan one), and its CSV download.

use aims_app::gap::{GapQuery, GapReport};
use aims_core::gap::{GapSource, Severity};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::form::FormState;
use super::layout::{ok, opts, query_string, Layout, Opt, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/gaps", get(list))
        .route("/gaps/export.csv", get(export))
}

const FIELDS: &[(&str, &str)] = &[("severity", "Severity"), ("source", "Source")];

/// The form of a new action that closes gap `id`.
pub fn plan_href(id: &str) -> String {
    format!("/actions/new{}", query_string(&[("gap", id.to_owned())]))
}

#[derive(Template)]
#[template(path = "gaps.html")]
struct ListPage {
    layout: Layout,
    report: Option<GapReport>,
    form: FormState,
    severities: Vec<Opt>,
    sources: Vec<Opt>,
    filtered: bool,
    csv_href: String,
}

fn blank(v: &Option<String>) -> String {
    v.clone().unwrap_or_default().trim().to_owned()
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<GapQuery>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let (severity, source) = (blank(&q.severity), blank(&q.source));
    let form = FormState::new(FIELDS)
        .set("severity", severity.clone())
        .set("source", source.clone());
    let (report, form) = match state.app.gap_list(shell.actor(), &q).await {
        Ok(r) => (Some(r), form),
        Err(e @ aims_app::AppError::Invalid(_)) => {
            let mut refused = form;
            for f in e.fields() {
                refused = refused.with_error(&f.field, &f.reason);
            }
            (None, refused)
        }
        Err(e) => return Err(shell.fail(e)),
    };
    let pairs = [("severity", severity.clone()), ("source", source.clone())];
    let page = ListPage {
        layout: shell.layout("gaps", "Gap analysis"),
        report,
        form,
        severities: opts(Severity::ALL, Severity::as_str, Severity::label),
        sources: opts(GapSource::ALL, GapSource::as_str, GapSource::label),
        filtered: !severity.is_empty() || !source.is_empty(),
        csv_href: format!("/gaps/export.csv{}", query_string(&pairs)),
    };
    Ok(ok(&page))
}

async fn export(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<GapQuery>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let report = state
        .app
        .gap_list(shell.actor(), &q)
        .await
        .or_page(&shell)?;
    let csv = aims_app::gap::to_csv(&report.gaps).or_page(&shell)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"gaps.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
