//! One AI system: its page with its history, the add and edit forms, and retiring it.

use aims_app::AppError;
use aims_core::inventory::{
    AiRole, AiSystem, Criticality, DataCategory, EuClass, Stage, SystemFields, SystemInput,
    Technique,
};
use aims_core::ledger::Event;
use aims_core::text::split_list;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, owner_options, render, Layout, Opt, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/systems", post(create))
        .route("/systems/new", get(new))
        .route("/systems/{key}", get(show).post(update))
        .route("/systems/{key}/edit", get(edit))
        .route("/systems/{key}/retire", post(retire))
}

const FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("purpose", "Purpose"),
    ("intended_use", "Intended use"),
    ("owner", "Owner"),
    ("business_unit", "Business unit"),
    ("stage", "Lifecycle stage"),
    ("technique", "Technique"),
    ("ai_roles", "Our AI roles"),
    ("supplier", "Supplier"),
    ("data_categories", "Data categories"),
    ("stakeholders", "Stakeholders"),
    ("regions", "Regions"),
    ("eu_class", "EU AI Act class"),
    ("eu_rationale", "EU AI Act rationale"),
    ("criticality", "Criticality"),
];

const RETIRE_FIELDS: &[(&str, &str)] = &[("reason", "Reason for retiring")];

/// The choices of the system form.
pub struct Choices {
    pub owners: Vec<Opt>,
    pub stages: Vec<Opt>,
    pub techniques: Vec<Opt>,
    pub roles: Vec<Opt>,
    pub data: Vec<Opt>,
    pub classes: Vec<Opt>,
    pub criticality: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "system_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    /// Where the form posts to.
    action: String,
    /// The system being edited, or "" for a new one.
    key: String,
    c: Choices,
}

#[derive(Template)]
#[template(path = "system.html")]
struct ShowPage {
    layout: Layout,
    sys: AiSystem,
    in_scope: bool,
    history: Vec<Event>,
    /// The controls that cover the system.
    controls: Vec<aims_core::control::Control>,
    form: FormState,
}

/// Whether a service error belongs beside the form's fields rather than on an error page.
pub fn is_form_error(e: &AppError) -> bool {
    matches!(e, AppError::Invalid(_) | AppError::Conflict(_))
}

async fn choices(
    state: &AppState,
    shell: &Shell,
    current_owner: &str,
) -> Result<Choices, PageError> {
    let owners = owner_options(state, shell, current_owner).await?;
    let stages: Vec<Opt> = opts(Stage::ALL, Stage::as_str, Stage::label)
        .into_iter()
        .filter(|o| o.value != Stage::Retired.as_str())
        .collect();
    Ok(Choices {
        owners,
        stages,
        techniques: opts(Technique::ALL, Technique::as_str, Technique::label),
        roles: opts(AiRole::ALL, AiRole::as_str, AiRole::label),
        data: opts(DataCategory::ALL, DataCategory::as_str, DataCategory::label),
        classes: opts(EuClass::ALL, EuClass::as_str, EuClass::label),
        criticality: opts(Criticality::ALL, Criticality::as_str, Criticality::label),
    })
}

/// The form prefilled with a system's values.
fn prefill(f: &SystemFields) -> FormState {
    let mut s = FormState::new(FIELDS)
        .set("name", &f.name)
        .set("purpose", &f.purpose)
        .set("intended_use", f.intended_use.clone().unwrap_or_default())
        .set("owner", &f.owner)
        .set("business_unit", f.business_unit.clone().unwrap_or_default())
        .set("stage", f.stage.as_str())
        .set("technique", f.technique.as_str())
        .set("supplier", f.supplier.clone().unwrap_or_default())
        .set("stakeholders", f.stakeholders.join(", "))
        .set("regions", f.regions.join(", "))
        .set("eu_class", f.eu_class.as_str())
        .set("eu_rationale", f.eu_rationale.clone().unwrap_or_default())
        .set("criticality", f.criticality.as_str());
    for r in &f.ai_roles {
        s = s.add("ai_roles", r.as_str());
    }
    for d in &f.data_categories {
        s = s.add("data_categories", d.as_str());
    }
    s
}

/// The system a submitted form describes; every field is sent, so every field is set.
fn input(f: &FormData) -> SystemInput {
    SystemInput {
        name: f.text("name"),
        purpose: f.text("purpose"),
        intended_use: f.text("intended_use"),
        owner: f.text("owner"),
        business_unit: f.text("business_unit"),
        stage: f.chosen("stage"),
        technique: f.chosen("technique"),
        ai_roles: Some(f.all("ai_roles")),
        supplier: f.text("supplier"),
        data_categories: Some(f.all("data_categories")),
        stakeholders: Some(split_list(f.get("stakeholders").unwrap_or_default())),
        regions: Some(split_list(f.get("regions").unwrap_or_default())),
        eu_class: f.chosen("eu_class"),
        eu_rationale: f.text("eu_rationale"),
        criticality: f.chosen("criticality"),
    }
}

async fn form_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let c = choices(state, shell, form.value("owner")).await?;
    let (title, action) = if key.is_empty() {
        ("Add an AI system".to_owned(), "/systems".to_owned())
    } else {
        (format!("Edit {key}"), format!("/systems/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("inventory", title),
        form,
        action,
        key: key.to_owned(),
        c,
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
        .set("stage", Stage::Concept.as_str())
        .set("technique", Technique::Other.as_str())
        .set("eu_class", EuClass::Unclassified.as_str())
        .set("criticality", Criticality::Medium.as_str());
    form_page(&state, &shell, "", form, StatusCode::OK).await
}

async fn create(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state.app.system_add(shell.actor(), &input(&form)).await {
        Ok(s) => Ok(Redirect::to(&format!("/systems/{}", s.system.key)).into_response()),
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
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let s = state
        .app
        .system_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let history = state
        .app
        .ledger_log(shell.actor(), Some(&s.system.key), None, Some(100))
        .await
        .or_page(shell)?;
    let controls = state
        .app
        .control_list(
            shell.actor(),
            &aims_app::controls::ControlQuery {
                system: Some(s.system.key.clone()),
                ..Default::default()
            },
        )
        .await
        .or_page(shell)?
        .items;
    let page = ShowPage {
        layout: shell.layout(
            "inventory",
            format!("{} {}", s.system.key, s.system.fields.name),
        ),
        sys: s.system,
        in_scope: s.in_scope,
        history,
        controls,
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
    show_page(
        &state,
        &shell,
        &key,
        FormState::new(RETIRE_FIELDS),
        StatusCode::OK,
    )
    .await
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let s = state
        .app
        .system_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    if s.system.status.as_str() == "retired" {
        return Err(PageError::new(
            StatusCode::CONFLICT,
            format!("{} is retired and can no longer be changed.", s.system.key),
            Some(shell.bar()),
        ));
    }
    form_page(
        &state,
        &shell,
        &s.system.key,
        prefill(&s.system.fields),
        StatusCode::OK,
    )
    .await
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
        .system_update(shell.actor(), &key, &input(&form))
        .await
    {
        Ok(s) => Ok(Redirect::to(&format!("/systems/{}", s.system.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let key = aims_core::keys::normalise(&key);
            let refused = FormState::refused(FIELDS, &form, &e);
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

async fn retire(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    match state
        .app
        .system_retire(shell.actor(), &key, form.get("reason"))
        .await
    {
        Ok(s) => Ok(Redirect::to(&format!("/systems/{}", s.system.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(RETIRE_FIELDS, &form, &e);
            show_page(
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
