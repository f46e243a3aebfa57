//! Context of the organisation (ISO/IEC 42001 4.1, 4.2): the issues with their filters, sort and
//! page in the address, a summary of the interested parties, and the pages and forms of issues.
//! Parties have their own module.

use aims_app::context::{IssueQuery, PartyQuery};
use aims_core::context::{ContextIssue, IssueCategory, IssueFields, IssueInput, IssueSide};
use aims_core::ledger::Event;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{ok, opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/context", get(overview))
        .route("/context/issues", post(create))
        .route("/context/issues/new", get(new))
        .route("/context/issues/{key}", get(show).post(update))
        .route("/context/issues/{key}/edit", get(edit))
        .route("/context/issues/{key}/archive", post(archive))
}

const FIELDS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("side", "Internal or external"),
    ("category", "Category"),
    ("description", "Description"),
    ("effect", "Effect on the AI management system"),
    ("review_date", "Review date"),
];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("side", "Internal or external"),
    ("category", "Category"),
    ("archived", "Include archived issues"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &["q", "side", "category", "archived", "sort", "per_page"];

#[derive(Template)]
#[template(path = "context.html")]
struct OverviewPage {
    layout: Layout,
    issues: Vec<ContextIssue>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    sides: Vec<Opt>,
    categories: Vec<Opt>,
    filtered: bool,
    parties: PartySummary,
}

/// The interested parties in two numbers, linking to their list.
pub struct PartySummary {
    pub total: i64,
    pub unaddressed: i64,
}

#[derive(Template)]
#[template(path = "issue.html")]
struct ShowPage {
    layout: Layout,
    issue: ContextIssue,
    history: Vec<Event>,
}

#[derive(Template)]
#[template(path = "issue_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    sides: Vec<Opt>,
    categories: Vec<Opt>,
}

async fn overview(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/context", KEPT, pairs);
    let q = IssueQuery {
        q: p.text("q"),
        side: p.text("side"),
        category: p.text("category"),
        archived: p.flag("archived"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    };
    let result = state.app.issue_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (issues, pager) = Pager::of(&p, "issues", out.list);
    let count = |unaddressed| PartyQuery {
        unaddressed,
        per_page: Some(1),
        ..PartyQuery::default()
    };
    let all = state.app.party_list(shell.actor(), &count(None)).await;
    let open = state
        .app
        .party_list(shell.actor(), &count(Some(true)))
        .await;
    let parties = PartySummary {
        total: all.or_page(&shell)?.total,
        unaddressed: open.or_page(&shell)?.total,
    };
    let page = OverviewPage {
        layout: shell.layout("context", "Context of the organisation"),
        issues,
        columns: p.columns(
            "key",
            &[
                ("Key", "key"),
                ("Title", "title"),
                ("Side", "side"),
                ("Category", "category"),
                ("Review by", "review"),
            ],
        ),
        pager,
        form: out.form,
        sides: opts(IssueSide::ALL, IssueSide::as_str, IssueSide::label),
        categories: opts(
            IssueCategory::ALL,
            IssueCategory::as_str,
            IssueCategory::label,
        ),
        filtered: p.filtered(),
        parties,
    };
    Ok(render(out.status, &page))
}

fn prefill(f: &IssueFields) -> FormState {
    FormState::new(FIELDS)
        .set("title", &f.title)
        .set("side", f.side.as_str())
        .set("category", f.category.as_str())
        .set("description", &f.description)
        .set("effect", f.effect.clone().unwrap_or_default())
        .set("review_date", f.review_date.clone().unwrap_or_default())
}

fn input(f: &FormData) -> IssueInput {
    IssueInput {
        title: f.text("title"),
        side: f.chosen("side"),
        category: f.chosen("category"),
        description: f.text("description"),
        effect: f.text("effect"),
        review_date: f.text("review_date"),
    }
}

fn form_page(shell: &Shell, key: &str, form: FormState, status: StatusCode) -> Response {
    let (title, action) = if key.is_empty() {
        (
            "Add a context issue".to_owned(),
            "/context/issues".to_owned(),
        )
    } else {
        (format!("Edit {key}"), format!("/context/issues/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("context", title),
        form,
        action,
        key: key.to_owned(),
        sides: opts(IssueSide::ALL, IssueSide::as_str, IssueSide::label),
        categories: opts(
            IssueCategory::ALL,
            IssueCategory::as_str,
            IssueCategory::label,
        ),
    };
    render(status, &page)
}

async fn new(PageActor(session): PageActor) -> Response {
    form_page(
        &Shell::new(session),
        "",
        FormState::new(FIELDS),
        StatusCode::OK,
    )
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state.app.issue_add(shell.actor(), &input(&form)).await {
        Ok(i) => Ok(Redirect::to(&format!("/context/issues/{}", i.key)).into_response()),
        Err(e) if is_form_error(&e) => Ok(form_page(
            &shell,
            "",
            FormState::refused(FIELDS, &form, &e),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(shell.fail(e)),
    }
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let issue = state
        .app
        .issue_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&issue.key), None, Some(100))
        .await
        .or_page(&shell)?;
    let page = ShowPage {
        layout: shell.layout("context", format!("{} {}", issue.key, issue.fields.title)),
        issue,
        history,
    };
    Ok(ok(&page))
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let issue = state
        .app
        .issue_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    Ok(form_page(
        &shell,
        &issue.key,
        prefill(&issue.fields),
        StatusCode::OK,
    ))
}

async fn update(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state
        .app
        .issue_update(shell.actor(), &key, &input(&form))
        .await
    {
        Ok(i) => Ok(Redirect::to(&format!("/context/issues/{}", i.key)).into_response()),
        Err(e) if is_form_error(&e) => Ok(form_page(
            &shell,
            &aims_core::keys::normalise(&key),
            FormState::refused(FIELDS, &form, &e),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(shell.fail(e)),
    }
}

async fn archive(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let issue = state
        .app
        .issue_archive(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    Ok(Redirect::to(&format!("/context/issues/{}", issue.key)).into_response())
}
