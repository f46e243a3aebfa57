//! Roadmap actions: the list with its filters, sort and page in the address, an action's page with
//! its dependencies and history, and the forms to add and edit actions or move their status.

use aims_app::actions::{today, ActionQuery};
use aims_app::AppError;
use aims_core::action::{ActionInput, ActionStatus, RoadmapAction};
use aims_core::ledger::Event;
use aims_core::text::split_list;
use aims_core::{Action, Role};
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
        .route("/actions", get(list).post(create))
        .route("/actions/new", get(new))
        .route("/actions/{key}", get(show).post(update))
        .route("/actions/{key}/edit", get(edit))
        .route("/actions/{key}/status", post(move_status))
}

const FIELDS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("description", "Description"),
    ("owner", "Owner"),
    ("start_date", "Start date"),
    ("due_date", "Due date"),
    ("status", "Status"),
    ("effort", "Effort"),
    ("depends_on", "Depends on"),
    ("gap", "Gap"),
    ("requirements", "Requirements"),
];

const STATUS_FIELDS: &[(&str, &str)] = &[("status", "Status")];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("status", "Status"),
    ("owner", "Owner"),
    ("overdue", "Overdue only"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &["q", "status", "owner", "overdue", "sort", "per_page"];

/// One action of the list, with whether it is overdue.
pub struct Row {
    pub action: RoadmapAction,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "actions.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    statuses: Vec<Opt>,
    filtered: bool,
}

/// A dependency or dependent with its status.
pub struct Linked {
    pub key: String,
    pub title: String,
    pub status: String,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "action.html")]
struct ShowPage {
    layout: Layout,
    action: RoadmapAction,
    overdue: bool,
    depends_on: Vec<Linked>,
    dependents: Vec<Linked>,
    history: Vec<Event>,
    /// Whether this user may change the status (writers, and a contributor who owns it).
    can_move: bool,
    form: FormState,
    statuses: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "action_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    owners: Vec<Opt>,
    statuses: Vec<Opt>,
}

fn statuses() -> Vec<Opt> {
    opts(ActionStatus::ALL, ActionStatus::as_str, ActionStatus::label)
}

/// The list query of the address's parameters.
fn query(p: &mut Params) -> ActionQuery {
    ActionQuery {
        q: p.text("q"),
        status: p.text("status"),
        owner: p.text("owner"),
        overdue: p.flag("overdue"),
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
    let mut p = Params::new("/actions", KEPT, pairs);
    let q = query(&mut p);
    let result = state.app.action_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let day = today();
    let (rows, pager) = match out.list {
        Some(l) => {
            let pager = Pager::new(&p, "actions", l.total, l.page, l.per_page, l.items.len());
            let rows = l
                .items
                .into_iter()
                .map(|a| Row {
                    overdue: a.is_overdue(day),
                    action: a,
                })
                .collect();
            (rows, pager)
        }
        None => (Vec::new(), Pager::none("actions")),
    };
    let mut columns = p.columns(
        "key",
        &[
            ("Key", "key"),
            ("Title", "title"),
            ("Owner", "owner"),
            ("Start", "start"),
            ("Due", "due"),
            ("Status", "status"),
            ("Person-days", "effort"),
        ],
    );
    if let Some(effort) = columns.last_mut() {
        effort.class = "num";
    }
    let page = ListPage {
        layout: shell.layout("roadmap", "Actions"),
        rows,
        columns,
        pager,
        form: out.form,
        statuses: statuses(),
        filtered: p.filtered(),
    };
    Ok(render(out.status, &page))
}

fn prefill(a: &RoadmapAction) -> FormState {
    let f = &a.fields;
    FormState::new(FIELDS)
        .set("title", &f.title)
        .set("description", f.description.clone().unwrap_or_default())
        .set("owner", &f.owner)
        .set("start_date", &f.start_date)
        .set("due_date", &f.due_date)
        .set("status", f.status.as_str())
        .set("effort", f.effort.to_string())
        .set("depends_on", f.depends_on.join(", "))
        .set("gap", f.gap.clone().unwrap_or_default())
        .set("requirements", f.requirements.join("\n"))
}

/// The input of a submitted form, or the error of an effort that is not a whole number.
fn input(f: &FormData) -> Result<ActionInput, AppError> {
    let effort = match f.chosen("effort") {
        None => None,
        Some(t) => Some(t.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "effort",
                format!("'{t}' is not a whole number of person-days"),
            )
        })?),
    };
    Ok(ActionInput {
        title: f.text("title"),
        description: f.text("description"),
        owner: f.chosen("owner"),
        start_date: f.text("start_date"),
        due_date: f.text("due_date"),
        status: f.chosen("status"),
        effort,
        depends_on: f.get("depends_on").map(split_list),
        gap: f.text("gap"),
        requirements: f.get("requirements").map(split_list),
    })
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
        ("Add an action".to_owned(), "/actions".to_owned())
    } else {
        (format!("Edit {key}"), format!("/actions/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("roadmap", title),
        form,
        action,
        key: key.to_owned(),
        owners,
        statuses: statuses(),
    };
    Ok(render(status, &page))
}

/// The empty form; `?gap=<id>` (the link "Plan an action" of the gap list) prefills the gap,
/// a title naming the requirement and the requirement itself.
async fn new(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut form = FormState::new(FIELDS)
        .set("owner", shell.actor().username.clone())
        .set("start_date", today().to_string())
        .set("status", ActionStatus::Planned.as_str());
    let gap = pairs
        .iter()
        .find(|(k, _)| k == "gap")
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty());
    if let Some(gap) = gap {
        match state
            .app
            .action_defaults_for_gap(shell.actor(), "gap", &gap)
            .await
        {
            Ok(d) => {
                form = form
                    .set("title", d.title.unwrap_or_default())
                    .set("gap", d.gap.unwrap_or_default())
                    .set(
                        "requirements",
                        d.requirements.unwrap_or_default().join("\n"),
                    );
            }
            Err(e) if is_form_error(&e) => {
                form = form.set("gap", gap);
                for f in e.fields() {
                    form = form.with_error(&f.field, &f.reason);
                }
            }
            Err(e) => return Err(shell.fail(e)),
        }
    }
    form_page(&state, &shell, "", form, StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let result = match input(&form) {
        Ok(i) => state.app.action_add(shell.actor(), &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/actions/{}", a.key)).into_response()),
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

fn linked(all: &[RoadmapAction], keys: &[String]) -> Vec<Linked> {
    keys.iter()
        .map(|k| {
            let a = all.iter().find(|a| &a.key == k);
            Linked {
                key: k.clone(),
                title: a.map(|a| a.fields.title.clone()).unwrap_or_default(),
                status: a.map(|a| a.fields.status.label()).unwrap_or("").to_owned(),
                done: a.is_some_and(|a| a.fields.status == ActionStatus::Done),
            }
        })
        .collect()
}

async fn show_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: Option<FormState>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let action = state
        .app
        .action_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let all = state
        .app
        .action_list(shell.actor(), &ActionQuery::default())
        .await
        .or_page(shell)?
        .items;
    let dependents: Vec<String> = all
        .iter()
        .filter(|a| a.fields.depends_on.contains(&action.key))
        .map(|a| a.key.clone())
        .collect();
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&action.key), None, Some(100))
        .await
        .or_page(shell)?;
    let actor = shell.actor();
    let can_move = actor.role.permits(Action::PlanActions)
        || (actor.role == Role::Contributor && actor.username == action.fields.owner);
    let form = form.unwrap_or_else(|| {
        FormState::new(STATUS_FIELDS).set("status", action.fields.status.as_str())
    });
    let page = ShowPage {
        layout: shell.layout("roadmap", format!("{} {}", action.key, action.fields.title)),
        overdue: action.is_overdue(today()),
        depends_on: linked(&all, &action.fields.depends_on),
        dependents: linked(&all, &dependents),
        history,
        can_move,
        form,
        statuses: statuses(),
        action,
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
    let a = state
        .app
        .action_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    form_page(&state, &shell, &a.key, prefill(&a), StatusCode::OK).await
}

async fn update(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let result = match input(&form) {
        Ok(i) => state.app.action_update(shell.actor(), &key, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => Ok(Redirect::to(&format!("/actions/{}", a.key)).into_response()),
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

/// Moves the status only (the form on the action's page).
async fn move_status(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = ActionInput {
        status: form.chosen("status"),
        ..Default::default()
    };
    match state.app.action_update(shell.actor(), &key, &input).await {
        Ok(a) => Ok(Redirect::to(&format!("/actions/{}", a.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(STATUS_FIELDS, &form, &e);
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
