//! Interested parties (ISO/IEC 42001 4.2): the list with its filters, sort and page in the
//! address, their pages and forms. Requirements are edited as lines of
//! `requirement | how it is addressed`; a line without `| how` is not yet addressed.

use aims_app::context::{unaddressed, PartyQuery};
use aims_core::context::{Party, PartyFields, PartyInput, PartyRequirement, PartyType};
use aims_core::ledger::Event;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{piped_lines, FormData, FormState};
use super::layout::{ok, opts, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/parties", get(list).post(create))
        .route("/parties/new", get(new))
        .route("/parties/{key}", get(show).post(update))
        .route("/parties/{key}/edit", get(edit))
        .route("/parties/{key}/archive", post(archive))
}

const FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("party_type", "Type"),
    ("description", "Description"),
    ("requirements", "Requirements"),
];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("party_type", "Type"),
    (
        "unaddressed",
        "Only parties with requirements not yet addressed",
    ),
    ("archived", "Include archived parties"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &[
    "q",
    "party_type",
    "unaddressed",
    "archived",
    "sort",
    "per_page",
];

/// A party as its row shows it.
pub struct Row {
    pub p: Party,
    pub unaddressed: usize,
}

#[derive(Template)]
#[template(path = "parties.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    types: Vec<Opt>,
    filtered: bool,
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/parties", KEPT, pairs);
    let q = PartyQuery {
        q: p.text("q"),
        party_type: p.text("party_type"),
        unaddressed: p.flag("unaddressed"),
        archived: p.flag("archived"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    };
    let result = state.app.party_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (parties, pager) = Pager::of(&p, "parties", out.list);
    let rows = parties
        .into_iter()
        .map(|p| Row {
            unaddressed: unaddressed(&p),
            p,
        })
        .collect();
    let mut columns = p.columns(
        "key",
        &[
            ("Key", "key"),
            ("Name", "name"),
            ("Type", "type"),
            ("Requirements", "requirements"),
            ("Not yet addressed", "unaddressed"),
        ],
    );
    for c in columns.iter_mut().skip(3) {
        c.class = "num";
    }
    let page = ListPage {
        layout: shell.layout("context", "Interested parties"),
        rows,
        columns,
        pager,
        form: out.form,
        types: opts(PartyType::ALL, PartyType::as_str, PartyType::label),
        filtered: p.filtered(),
    };
    Ok(render(out.status, &page))
}

#[derive(Template)]
#[template(path = "party.html")]
struct ShowPage {
    layout: Layout,
    p: Party,
    history: Vec<Event>,
}

#[derive(Template)]
#[template(path = "party_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    types: Vec<Opt>,
}

/// Requirements as the textarea shows them.
fn requirement_lines(reqs: &[PartyRequirement]) -> String {
    reqs.iter()
        .map(
            |r| match r.how.as_deref().filter(|h| r.addressed && !h.is_empty()) {
                Some(how) => format!("{} | {how}", r.text),
                None => r.text.clone(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
}

/// Requirements as typed: `text | how` is addressed, `text` alone is not.
fn requirements(text: &str) -> Vec<PartyRequirement> {
    piped_lines(text)
        .into_iter()
        .map(|(text, how)| PartyRequirement {
            text,
            addressed: !how.is_empty(),
            how: (!how.is_empty()).then_some(how),
        })
        .collect()
}

fn prefill(f: &PartyFields) -> FormState {
    FormState::new(FIELDS)
        .set("name", &f.name)
        .set("party_type", f.party_type.as_str())
        .set("description", f.description.clone().unwrap_or_default())
        .set("requirements", requirement_lines(&f.requirements))
}

fn input(f: &FormData) -> PartyInput {
    PartyInput {
        name: f.text("name"),
        party_type: f.chosen("party_type"),
        description: f.text("description"),
        requirements: f.get("requirements").map(requirements),
    }
}

fn form_page(shell: &Shell, key: &str, form: FormState, status: StatusCode) -> Response {
    let (title, action) = if key.is_empty() {
        ("Add an interested party".to_owned(), "/parties".to_owned())
    } else {
        (format!("Edit {key}"), format!("/parties/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("context", title),
        form,
        action,
        key: key.to_owned(),
        types: opts(PartyType::ALL, PartyType::as_str, PartyType::label),
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
    match state.app.party_add(shell.actor(), &input(&form)).await {
        Ok(p) => Ok(Redirect::to(&format!("/parties/{}", p.key)).into_response()),
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
    let p = state
        .app
        .party_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&p.key), None, Some(100))
        .await
        .or_page(&shell)?;
    let page = ShowPage {
        layout: shell.layout("context", format!("{} {}", p.key, p.fields.name)),
        p,
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
    let p = state
        .app
        .party_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    Ok(form_page(
        &shell,
        &p.key,
        prefill(&p.fields),
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
        .party_update(shell.actor(), &key, &input(&form))
        .await
    {
        Ok(p) => Ok(Redirect::to(&format!("/parties/{}", p.key)).into_response()),
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
    let p = state
        .app
        .party_archive(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    Ok(Redirect::to(&format!("/parties/{}", p.key)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_lines_round_trip() {
        let reqs = requirements("Fair treatment | Quarterly monitoring\nAn explanation\n");
        assert_eq!(reqs.len(), 2);
        assert!(reqs[0].addressed && !reqs[1].addressed);
        assert_eq!(
            requirement_lines(&reqs),
            "Fair treatment | Quarterly monitoring\nAn explanation"
        );
    }
}
