//! Incidents: the list with its filters, sort and page in the address, an incident's page
//! (timeline, countdown, transitions, root cause analysis, links), and the forms to report and edit
//! incidents.

use aims_app::actions::today;
use aims_app::incidents::{IncidentQuery, LinkInput, MoveInput};
use aims_app::AppError;
use aims_core::incident::{
    CauseCategory, IncidentInput, IncidentSource, IncidentStatus, IncidentType, IncidentView,
    RcaInput, SeriousBasis, SEVERITIES,
};
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
        .route("/incidents", get(list).post(create))
        .route("/incidents/new", get(new))
        .route("/incidents/{key}", get(show).post(update))
        .route("/incidents/{key}/edit", get(edit))
        .route("/incidents/{key}/move", post(move_to))
        .route("/incidents/{key}/note", post(note))
        .route("/incidents/{key}/rca", post(rca))
        .route("/incidents/{key}/links", post(link))
}

const FIELDS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("description", "Description"),
    ("source", "Source"),
    ("incident_type", "Type"),
    ("severity", "Severity"),
    ("systems", "Affected systems"),
    ("occurred_at", "Occurred"),
    ("detected_at", "Detected"),
    ("owner", "Owner"),
    ("serious_basis", "Serious incident"),
    ("reported_to_authority_at", "Reported to the authority"),
];

/// The forms of an incident's page share one state: only one is sent at a time.
const PAGE_FIELDS: &[(&str, &str)] = &[
    ("to", "Status"),
    ("status", "Status"),
    ("note", "Note"),
    ("text", "Note"),
    ("root_cause", "Root cause"),
    ("whys", "Why"),
    ("category", "Cause category"),
    ("lessons_learned", "Lessons learned"),
    ("add", "Link"),
    ("remove", "Unlink"),
];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("status", "Status"),
    ("severity", "Severity"),
    ("incident_type", "Type"),
    ("system", "AI system"),
    ("owner", "Owner"),
    ("serious", "Serious incidents only"),
    ("open", "Open incidents only"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &[
    "q",
    "status",
    "severity",
    "incident_type",
    "system",
    "owner",
    "serious",
    "open",
    "sort",
    "per_page",
];

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage {
    layout: Layout,
    items: Vec<IncidentView>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    statuses: Vec<Opt>,
    severities: Vec<Opt>,
    types: Vec<Opt>,
    filtered: bool,
    board: Vec<BoardColumn>,
}

/// One status of the board above the list: how many incidents stand there, and the list
/// filtered to them.
pub struct BoardColumn {
    pub label: &'static str,
    pub count: i64,
    pub href: String,
    /// The list is filtered to this status now.
    pub current: bool,
}

/// A status the incident may move to from its page.
pub struct Move {
    pub to: &'static str,
    pub label: String,
    /// Whether the move needs a note (a skip to resolved).
    pub note: bool,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct ShowPage {
    layout: Layout,
    v: IncidentView,
    moves: Vec<Move>,
    whys: Vec<String>,
    form: FormState,
    categories: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "incident_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    owners: Vec<Opt>,
    sources: Vec<Opt>,
    types: Vec<Opt>,
    severities: Vec<Opt>,
    bases: Vec<Opt>,
}

fn severities() -> Vec<Opt> {
    SEVERITIES
        .iter()
        .map(|(n, l, d)| Opt::new(n.to_string(), format!("{n} {l}: {d}")))
        .collect()
}

/// The list query of the address's parameters.
fn query(p: &mut Params) -> IncidentQuery {
    IncidentQuery {
        q: p.text("q"),
        status: p.text("status"),
        open: p.flag("open"),
        severity: p.number("severity"),
        incident_type: p.text("incident_type"),
        owner: p.text("owner"),
        system: p.text("system"),
        serious: p.flag("serious"),
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
    let mut p = Params::new("/incidents", KEPT, pairs);
    let q = query(&mut p);
    let result = state.app.incident_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (items, pager, counts) = match out.list {
        Some(l) => {
            let pager = Pager::new(&p, "incidents", l.total, l.page, l.per_page, l.items.len());
            (l.items, pager, l.board)
        }
        None => (Vec::new(), Pager::none("incidents"), Vec::new()),
    };
    let chosen = p.value("status");
    let board = counts
        .iter()
        .map(|c| BoardColumn {
            label: c.status.label(),
            count: c.count,
            href: format!("/incidents?status={}", c.status.as_str()),
            current: chosen == c.status.as_str(),
        })
        .collect();
    let page = ListPage {
        layout: shell.layout("incidents", "Incidents"),
        items,
        columns: p.columns(
            "-key",
            &[
                ("Key", "key"),
                ("Title", "title"),
                ("Severity", "severity"),
                ("Type", "type"),
                ("Status", "status"),
                ("Owner", "owner"),
            ],
        ),
        pager,
        form: out.form,
        statuses: opts(
            IncidentStatus::ALL,
            IncidentStatus::as_str,
            IncidentStatus::label,
        ),
        severities: severities(),
        types: opts(IncidentType::ALL, IncidentType::as_str, IncidentType::label),
        filtered: p.filtered(),
        board,
    };
    Ok(render(out.status, &page))
}

fn input(f: &FormData) -> Result<IncidentInput, AppError> {
    let severity = match f.chosen("severity") {
        None => None,
        Some(t) => Some(t.parse::<i64>().map_err(|_| {
            AppError::invalid("severity", format!("'{t}' is not a severity (1 to 4)"))
        })?),
    };
    Ok(IncidentInput {
        title: f.text("title"),
        description: f.text("description"),
        source: f.chosen("source"),
        incident_type: f.chosen("incident_type"),
        severity,
        systems: f.get("systems").map(split_list),
        occurred_at: f.text("occurred_at"),
        detected_at: f.text("detected_at"),
        owner: f.chosen("owner"),
        serious_basis: f.get("serious_basis").map(str::to_owned),
        reported_to_authority_at: f.get("reported_to_authority_at").map(str::to_owned),
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
        ("Report an incident".to_owned(), "/incidents".to_owned())
    } else {
        (format!("Edit {key}"), format!("/incidents/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("incidents", title),
        form,
        action,
        key: key.to_owned(),
        owners,
        sources: opts(
            IncidentSource::ALL,
            IncidentSource::as_str,
            IncidentSource::label,
        ),
        types: opts(IncidentType::ALL, IncidentType::as_str, IncidentType::label),
        severities: severities(),
        bases: opts(SeriousBasis::ALL, SeriousBasis::as_str, SeriousBasis::label),
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
        .set("occurred_at", today().to_string());
    form_page(&state, &shell, "", form, StatusCode::OK).await
}

async fn submitted(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: FormData,
) -> Result<Response, PageError> {
    let result = match input(&form) {
        Ok(i) if key.is_empty() => state.app.incident_add(shell.actor(), &i).await,
        Ok(i) => state.app.incident_update(shell.actor(), key, &i).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(i) => Ok(Redirect::to(&format!("/incidents/{}", i.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(FIELDS, &form, &e);
            let key = aims_core::keys::normalise(key);
            form_page(
                state,
                shell,
                &key,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    submitted(&state, &shell, "", FormData(form)).await
}

async fn update(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    submitted(&state, &shell, &key, FormData(form)).await
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let i = state
        .app
        .incident_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    let form = FormState::new(FIELDS)
        .set("title", &i.title)
        .set("description", &i.description)
        .set("source", i.source.as_str())
        .set("incident_type", i.incident_type.as_str())
        .set("severity", i.severity.to_string())
        .set("systems", i.systems.join(", "))
        .set("occurred_at", &i.occurred_at)
        .set("detected_at", &i.detected_at)
        .set("owner", &i.owner)
        .set(
            "serious_basis",
            i.serious.as_ref().map_or("", |s| s.basis.as_str()),
        )
        .set(
            "reported_to_authority_at",
            i.serious
                .as_ref()
                .and_then(|s| s.reported_to_authority_at.clone())
                .unwrap_or_default(),
        );
    form_page(&state, &shell, &i.key, form, StatusCode::OK).await
}

/// The moves the workflow allows from `status`.
fn moves(status: IncidentStatus) -> Vec<Move> {
    use IncidentStatus::*;
    let mut out: Vec<Move> = status
        .next()
        .map(|n| Move {
            to: n.as_str(),
            label: format!("Move to {}", n.label().to_lowercase()),
            note: false,
        })
        .into_iter()
        .collect();
    if matches!(status, Reported | Triaged) {
        out.push(Move {
            to: Resolved.as_str(),
            label: "Resolve as a false alarm or duplicate".into(),
            note: true,
        });
    }
    if status == Resolved {
        out.push(Move {
            to: Investigating.as_str(),
            label: "Reopen (back to investigating)".into(),
            note: false,
        });
    }
    out
}

async fn show_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: Option<FormState>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let i = state
        .app
        .incident_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let mut whys = i.root_cause.whys.clone();
    whys.resize(aims_core::incident::MAX_WHYS, String::new());
    let form = form.unwrap_or_else(|| {
        FormState::new(PAGE_FIELDS)
            .set("category", i.root_cause.category.map_or("", |c| c.as_str()))
            .set(
                "lessons_learned",
                i.lessons_learned.clone().unwrap_or_default(),
            )
    });
    let page = ShowPage {
        layout: shell.layout("incidents", format!("{} {}", i.key, i.title)),
        moves: moves(i.status),
        whys,
        form,
        categories: opts(
            CauseCategory::ALL,
            CauseCategory::as_str,
            CauseCategory::label,
        ),
        v: i.view(today()),
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

/// Answers a form of the incident's page: back to the page, or the page with the error beside
/// the field.
async fn answer(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: &FormData,
    result: Result<aims_core::incident::Incident, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(i) => Ok(Redirect::to(&format!("/incidents/{}", i.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(PAGE_FIELDS, form, &e);
            show_page(
                state,
                shell,
                key,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn move_to(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = MoveInput {
        to: form.chosen("to").unwrap_or_default(),
        note: form.text("note"),
    };
    let result = state.app.incident_move(shell.actor(), &key, &input).await;
    answer(&state, &shell, &key, &form, result).await
}

async fn note(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let text = form.text("text").unwrap_or_default();
    let result = state.app.incident_note(shell.actor(), &key, &text).await;
    answer(&state, &shell, &key, &form, result).await
}

async fn rca(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = RcaInput {
        whys: Some(form.all("whys")),
        category: Some(form.get("category").unwrap_or_default().to_owned()),
        lessons_learned: Some(form.get("lessons_learned").unwrap_or_default().to_owned()),
    };
    let result = state.app.incident_rca(shell.actor(), &key, &input).await;
    answer(&state, &shell, &key, &form, result).await
}

async fn link(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = LinkInput {
        add: form.get("add").map(split_list).unwrap_or_default(),
        remove: form.all("remove"),
    };
    let result = state.app.incident_link(shell.actor(), &key, &input).await;
    answer(&state, &shell, &key, &form, result).await
}
