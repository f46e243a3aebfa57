//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): the table of Annex A controls with
//! its filters, sort and page in the address, the form to decide one line, and its versions
//! with their approval.

use aims_app::soa::{annex_a_groups, SoaFormat, SoaQuery, APPLICABILITY};
use aims_core::soa::{SoaEntryInput, SoaLine, SoaStatus, SoaVersion};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/soa", get(show))
        .route("/soa/export.csv", get(export_csv))
        .route("/soa/export.xlsx", get(export_xlsx))
        .route("/soa/versions", post(snapshot))
        .route("/soa/versions/{version}/approve", post(approve))
        .route("/soa/{control_id}/edit", get(edit).post(update))
}

const FIELDS: &[(&str, &str)] = &[
    ("applicable", "Applicable"),
    ("justification", "Justification"),
];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("group", "Annex A group"),
    ("applicable", "Applicable"),
    ("status", "Status"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &["q", "group", "applicable", "status", "sort", "per_page"];

#[derive(Template)]
#[template(path = "soa.html")]
struct ShowPage {
    layout: Layout,
    lines: Vec<SoaLine>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    groups: Vec<Opt>,
    applicability: Vec<Opt>,
    statuses: Vec<Opt>,
    filtered: bool,
    versions: Vec<SoaVersion>,
}

#[derive(Template)]
#[template(path = "soa_form.html")]
struct FormPage {
    layout: Layout,
    line: SoaLine,
    form: FormState,
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/soa", KEPT, pairs);
    let q = SoaQuery {
        q: p.text("q"),
        group: p.text("group"),
        applicable: p.text("applicable"),
        status: p.text("status"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    };
    let result = state.app.soa_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (lines, pager) = Pager::of(&p, "lines", out.list);
    let versions = state.app.soa_history(shell.actor()).await.or_page(&shell)?;
    let columns = p.columns(
        "control",
        &[
            ("Control", "control"),
            ("Applicable", "applicable"),
            ("Status", "status"),
            ("Linked controls", "controls"),
        ],
    );
    let page = ShowPage {
        layout: shell.layout("soa", "Statement of Applicability"),
        lines,
        columns,
        pager,
        form: out.form,
        groups: annex_a_groups()
            .into_iter()
            .map(|(g, n)| {
                let label = format!("{g} ({n} controls)");
                Opt::new(g, label)
            })
            .collect(),
        applicability: APPLICABILITY
            .iter()
            .map(|(word, label, _)| Opt::new(*word, *label))
            .collect(),
        statuses: opts(SoaStatus::ALL, SoaStatus::as_str, SoaStatus::label),
        filtered: p.filtered(),
        versions,
    };
    Ok(render(out.status, &page))
}

async fn export_csv(state: State<AppState>, actor: PageActor) -> Result<Response, PageError> {
    export(state, actor, SoaFormat::Csv).await
}

async fn export_xlsx(state: State<AppState>, actor: PageActor) -> Result<Response, PageError> {
    export(state, actor, SoaFormat::Xlsx).await
}

async fn export(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    format: SoaFormat,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let body = state
        .app
        .soa_export(shell.actor(), format)
        .await
        .or_page(&shell)?;
    let disposition = format!("attachment; filename=\"{}\"", format.file_name());
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn line_of(state: &AppState, shell: &Shell, control_id: &str) -> Result<SoaLine, PageError> {
    let lines = state.app.soa_show(shell.actor()).await.or_page(shell)?;
    lines
        .into_iter()
        .find(|l| l.control_id.eq_ignore_ascii_case(control_id.trim()))
        .ok_or_else(|| {
            PageError::new(
                StatusCode::NOT_FOUND,
                format!("'{control_id}' is not an Annex A control."),
                Some(shell.bar()),
            )
        })
}

fn form_page(shell: &Shell, line: SoaLine, form: FormState, status: StatusCode) -> Response {
    let page = FormPage {
        layout: shell.layout("soa", format!("{} {}", line.control_id, line.title)),
        line,
        form,
    };
    render(status, &page)
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(control_id): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let line = line_of(&state, &shell, &control_id).await?;
    let applicable = match line.applicable {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let form = FormState::new(FIELDS).set("applicable", applicable).set(
        "justification",
        line.justification.clone().unwrap_or_default(),
    );
    Ok(form_page(&shell, line, form, StatusCode::OK))
}

async fn update(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(control_id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let line = line_of(&state, &shell, &control_id).await?;
    let input = SoaEntryInput {
        applicable: match form.get("applicable") {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        },
        justification: form.text("justification"),
    };
    match state
        .app
        .soa_set(shell.actor(), &line.control_id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/soa").into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            Ok(form_page(
                &shell,
                line,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn snapshot(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    state
        .app
        .soa_snapshot(shell.actor())
        .await
        .or_page(&shell)?;
    Ok(Redirect::to("/soa#versions-h").into_response())
}

async fn approve(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(version): Path<i64>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    state
        .app
        .soa_approve(shell.actor(), version)
        .await
        .or_page(&shell)?;
    Ok(Redirect::to("/soa#versions-h").into_response())
}
