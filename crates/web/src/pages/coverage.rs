//! Coverage and integration pages: what the ISO/IEC 42001 implementation covers of the EU AI
//! Act, NIST AI RMF, ISO 27001 and ISO 9001, and what an existing ISO 27001 or ISO 9001
//! implementation already covers of ISO 42001, with the form that imports its register.

use aims_app::coverage::{
    self, CoverageReport, IntegrationCoverage, RequirementCoverage, IMPORTABLE,
};
use aims_app::AppError;
use aims_core::coverage::Coverage;
use aims_core::integration::ExternalImplementation;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{render, Layout, Opt, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/coverage", get(index))
        .route("/coverage/{framework}", get(report))
        .route("/integration", post(import))
        .route("/integration/{framework}", get(integration))
}

const FIELDS: &[(&str, &str)] = &[
    ("framework", "Standard"),
    ("source", "File name"),
    ("content", "Register (CSV)"),
];

/// One covered framework on the index, with what the ISO 42001 implementation covers of it.
struct Partner {
    report: CoverageReport,
    /// The imported implementation of this framework, when it is one that can be imported.
    recorded: Option<ExternalImplementation>,
    importable: bool,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct IndexPage {
    layout: Layout,
    partners: Vec<Partner>,
    frameworks: Vec<Opt>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "coverage_report.html")]
struct ReportPage {
    layout: Layout,
    report: CoverageReport,
    /// Requirements shown: all, or only those not covered.
    requirements: Vec<RequirementCoverage>,
    only_gaps: bool,
    /// For an integration page, the implementation the report is computed from.
    integration: Option<Option<ExternalImplementation>>,
    here: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct ReportQuery {
    show: Option<String>,
}

async fn index_page(
    state: &AppState,
    shell: &Shell,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let recorded = state
        .app
        .integration_list(shell.actor())
        .await
        .or_page(shell)?;
    let mut partners = Vec::new();
    for f in coverage::partners() {
        let report = state
            .app
            .coverage(shell.actor(), &f.id)
            .await
            .or_page(shell)?;
        partners.push(Partner {
            report,
            recorded: recorded.iter().find(|r| r.framework == f.id).cloned(),
            importable: IMPORTABLE.contains(&f.id.as_str()),
        });
    }
    let frameworks = coverage::partners()
        .into_iter()
        .filter(|f| IMPORTABLE.contains(&f.id.as_str()))
        .map(|f| Opt::new(f.id.clone(), f.name.clone()))
        .collect();
    let page = IndexPage {
        layout: shell.layout("coverage", "Coverage and integration"),
        partners,
        frameworks,
        form,
    };
    Ok(render(status, &page))
}

async fn index(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormState::new(FIELDS).set("framework", "ISO27001");
    index_page(&state, &shell, form, StatusCode::OK).await
}

fn report_page(
    shell: &Shell,
    report: CoverageReport,
    integration: Option<Option<ExternalImplementation>>,
    query: &ReportQuery,
    here: String,
) -> Response {
    let only_gaps = query.show.as_deref() == Some("gaps");
    let requirements = report
        .requirements
        .iter()
        .filter(|r| {
            !only_gaps || matches!(r.coverage, Coverage::Uncovered | Coverage::NoCounterpart)
        })
        .cloned()
        .collect();
    let title = match &integration {
        Some(_) => format!("What {} covers of ISO/IEC 42001", report.covering),
        None => format!("ISO/IEC 42001 coverage of {}", report.covered_name),
    };
    let page = ReportPage {
        layout: shell.layout("coverage", title),
        report,
        requirements,
        only_gaps,
        integration,
        here,
    };
    render(StatusCode::OK, &page)
}

async fn report(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(framework): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let report = state
        .app
        .coverage(shell.actor(), &framework)
        .await
        .map_err(not_found)
        .or_page(&shell)?;
    let here = format!("/coverage/{}", report.covered);
    Ok(report_page(&shell, report, None, &query, here))
}

async fn integration(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(framework): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let IntegrationCoverage {
        implementation,
        coverage,
    } = state
        .app
        .integration_coverage(shell.actor(), &framework)
        .await
        .map_err(not_found)
        .or_page(&shell)?;
    let here = format!("/integration/{}", coverage.covering);
    Ok(report_page(
        &shell,
        coverage,
        Some(implementation),
        &query,
        here,
    ))
}

/// An unknown framework in the path is a page that does not exist.
fn not_found(e: AppError) -> AppError {
    match e {
        AppError::Invalid(_) => AppError::not_found("the framework"),
        other => other,
    }
}

async fn import(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let framework = form.get("framework").unwrap_or("").to_owned();
    let source = form.get("source").unwrap_or("").to_owned();
    let content = form.get("content").unwrap_or("").to_owned();
    match state
        .app
        .integration_import(shell.actor(), &framework, &source, &content)
        .await
    {
        Ok(recorded) => {
            Ok(Redirect::to(&format!("/integration/{}", recorded.framework)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            // Row errors (`rows[LINE].status`) belong to the register's text box.
            let mut refused = FormState::new(FIELDS);
            for (k, v) in form.typed() {
                refused = refused.set(&k, v);
            }
            for e in errors.0 {
                refused = match e.field.strip_prefix("rows[") {
                    Some(rest) => {
                        let (line, column) = rest.split_once("].").unwrap_or((rest, ""));
                        let line = line.trim_end_matches(']');
                        refused
                            .with_error("content", &format!("line {line}, {column}: {}", e.reason))
                    }
                    None => refused.with_error(&e.field, &e.reason),
                };
            }
            index_page(&state, &shell, refused, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(shell.fail(e)),
    }
}
