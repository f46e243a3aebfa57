//! The organisation's controls (ISO/IEC 42001 6.1.3, Annex A): the list with its filters, sort and
//! page in the address, a control's page with its requirements and AI systems, and the forms to
//! add, edit and link controls.

use aims_app::controls::{requirement_title, ControlQuery};
use aims_core::control::{
    Control, ControlFields, ControlInput, ControlStatus, Effectiveness, LinksInput,
};
use aims_core::ledger::Event;
use aims_core::text::split_list;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, owner_options, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/controls", get(list).post(create))
        .route("/controls/new", get(new))
        .route("/controls/{key}", get(show).post(update))
        .route("/controls/{key}/edit", get(edit))
        .route("/controls/{key}/links", post(link))
}

const FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("description", "Description"),
    ("owner", "Owner"),
    ("status", "Status"),
    ("implementation_date", "Implementation date"),
    ("effectiveness", "Effectiveness"),
    ("review_date", "Review date"),
];

const LINK_FIELDS: &[(&str, &str)] = &[
    ("requirements", "Requirements met"),
    ("systems", "AI systems covered"),
];

/// A linked requirement with its catalog title.
pub struct RequirementRow {
    pub reference: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "controls.html")]
struct ListPage {
    layout: Layout,
    controls: Vec<Control>,
    columns: Vec<Column>,
    pager: Pager,
    /// The filters as given, with any error beside its field.
    form: FormState,
    statuses: Vec<Opt>,
    applicability: Vec<Opt>,
    effectiveness: Vec<Opt>,
    /// Whether any filter is set (for the "clear" link).
    filtered: bool,
}

#[derive(Template)]
#[template(path = "control.html")]
struct ShowPage {
    layout: Layout,
    control: Control,
    requirements: Vec<RequirementRow>,
    history: Vec<Event>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "control_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    owners: Vec<Opt>,
    statuses: Vec<Opt>,
    effectiveness: Vec<Opt>,
}

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("status", "Status"),
    ("applicable", "Applicability"),
    ("effectiveness", "Effectiveness"),
    ("owner", "Owner"),
    ("requirement", "Requirement"),
    ("system", "AI system"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &[
    "q",
    "status",
    "applicable",
    "effectiveness",
    "owner",
    "requirement",
    "system",
    "sort",
    "per_page",
];

/// The list query of the address's parameters (unknown ones are ignored).
fn query(p: &mut Params) -> ControlQuery {
    ControlQuery {
        q: p.text("q"),
        status: p.text("status"),
        applicable: p.flag("applicable"),
        effectiveness: p.text("effectiveness"),
        owner: p.text("owner"),
        requirement: p.text("requirement"),
        system: p.text("system"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    }
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/controls", KEPT, pairs);
    let q = query(&mut p);
    let result = state.app.control_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (controls, pager) = Pager::of(&p, "controls", out.list);
    let page = ListPage {
        layout: shell.layout("controls", "Controls"),
        controls,
        columns: p.columns(
            "key",
            &[
                ("Key", "key"),
                ("Name", "name"),
                ("Status", "status"),
                ("Effectiveness", "effectiveness"),
                ("Owner", "owner"),
                ("Review by", "review"),
            ],
        ),
        pager,
        form: out.form,
        statuses: opts(
            ControlStatus::ALL,
            ControlStatus::as_str,
            ControlStatus::label,
        ),
        applicability: vec![
            Opt::new("true", "Applicable"),
            Opt::new("false", "Not applicable"),
        ],
        effectiveness: opts(
            Effectiveness::ALL,
            Effectiveness::as_str,
            Effectiveness::label,
        ),
        filtered: p.filtered(),
    };
    Ok(render(out.status, &page))
}

fn prefill(f: &ControlFields) -> FormState {
    FormState::new(FIELDS)
        .set("name", &f.name)
        .set("description", &f.description)
        .set("owner", &f.owner)
        .set("status", f.status.as_str())
        .set(
            "implementation_date",
            f.implementation_date.clone().unwrap_or_default(),
        )
        .set("effectiveness", f.effectiveness.as_str())
        .set("review_date", f.review_date.clone().unwrap_or_default())
}

fn input(f: &FormData) -> ControlInput {
    ControlInput {
        name: f.text("name"),
        description: f.text("description"),
        owner: f.chosen("owner"),
        status: f.chosen("status"),
        implementation_date: f.text("implementation_date"),
        effectiveness: f.chosen("effectiveness"),
        review_date: f.text("review_date"),
    }
}

async fn form_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let current_owner = form.value("owner").to_owned();
    let owners = owner_options(state, shell, &current_owner).await?;
    let (title, action) = if key.is_empty() {
        ("Add a control".to_owned(), "/controls".to_owned())
    } else {
        (format!("Edit {key}"), format!("/controls/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("controls", title),
        form,
        action,
        key: key.to_owned(),
        owners,
        statuses: opts(
            ControlStatus::ALL,
            ControlStatus::as_str,
            ControlStatus::label,
        ),
        effectiveness: opts(
            Effectiveness::ALL,
            Effectiveness::as_str,
            Effectiveness::label,
        ),
    };
    Ok(render(status, &page))
}

async fn new(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormState::new(FIELDS)
        .set("owner", shell.actor().username.clone())
        .set("status", ControlStatus::Planned.as_str())
        .set("effectiveness", Effectiveness::NotAssessed.as_str());
    form_page(&state, &shell, "", form, StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state.app.control_add(shell.actor(), &input(&form)).await {
        Ok(c) => Ok(Redirect::to(&format!("/controls/{}", c.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            form_page(
                &state,
                &shell,
                "",
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn show_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: Option<FormState>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let control = state
        .app
        .control_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&control.key), None, Some(100))
        .await
        .or_page(shell)?;
    let requirements = control
        .requirements
        .iter()
        .map(|r| RequirementRow {
            reference: r.clone(),
            title: requirement_title(r).unwrap_or_default(),
        })
        .collect();
    let form = form.unwrap_or_else(|| {
        let reqs: Vec<String> = control.requirements.iter().cloned().collect();
        let systems: Vec<String> = control.systems.iter().cloned().collect();
        FormState::new(LINK_FIELDS)
            .set("requirements", reqs.join("\n"))
            .set("systems", systems.join(", "))
    });
    let page = ShowPage {
        layout: shell.layout(
            "controls",
            format!("{} {}", control.key, control.fields.name),
        ),
        control,
        requirements,
        history,
        form,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    show_page(&state, &shell, &key, None, StatusCode::OK).await
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let c = state
        .app
        .control_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    form_page(&state, &shell, &c.key, prefill(&c.fields), StatusCode::OK).await
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
        .control_update(shell.actor(), &key, &input(&form))
        .await
    {
        Ok(c) => Ok(Redirect::to(&format!("/controls/{}", c.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            let key = aims_core::keys::normalise(&key);
            form_page(
                &state,
                &shell,
                &key,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn link(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let links = LinksInput {
        requirements: Some(split_list(form.get("requirements").unwrap_or_default())),
        systems: Some(split_list(form.get("systems").unwrap_or_default())),
    };
    match state.app.control_link(shell.actor(), &key, &links).await {
        Ok(c) => Ok(Redirect::to(&format!("/controls/{}", c.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(LINK_FIELDS, &form, &e);
            show_page(
                &state,
                &shell,
                &key,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}
