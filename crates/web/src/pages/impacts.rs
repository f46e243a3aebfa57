//! AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5): the list with its filters, sort
//! and page in the address, an assessment's page with every section, its harms table, its versions and the
//! sign-off form, and the form for a new version or a draft.

use aims_app::impacts::{ImpactDetail, ImpactQuery, ImpactView};
use aims_app::AppError;
use aims_core::impact::{
    FriaInput, HarmArea, HarmInput, ImpactAssessment, ImpactInput, ImpactStatus, MitigationInput,
    SignInput,
};
use aims_core::{FieldError, ValidationErrors};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
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
        .route("/impacts", get(list).post(create))
        .route("/impacts/new", get(new))
        .route("/impacts/{key}", get(show).post(update))
        .route("/impacts/{key}/edit", get(edit))
        .route("/impacts/{key}/sign", post(sign))
}

const FIELDS: &[(&str, &str)] = &[
    ("system", "AI system"),
    ("intended_use", "Intended use"),
    ("foreseeable_misuse", "Reasonably foreseeable misuse"),
    ("affected_groups", "Affected individuals and groups"),
    ("vulnerable_groups", "Vulnerable groups"),
    ("harms", "Harms"),
    (
        "harms_fairness_and_discrimination",
        "Harm: fairness and discrimination",
    ),
    ("harms_privacy", "Harm: privacy"),
    ("harms_safety", "Harm: safety"),
    ("harms_human_rights", "Harm: human rights"),
    (
        "harms_transparency_and_explainability",
        "Harm: transparency and explainability",
    ),
    ("harms_accountability", "Harm: accountability"),
    ("harms_environment", "Harm: environment"),
    ("harms_economic", "Harm: economic"),
    ("benefits", "Benefits"),
    ("mitigations", "Mitigations"),
    ("residual_assessment", "Residual assessment"),
    ("fria", "Fundamental-rights impact"),
    ("fria_deployer_process", "Deployer's process"),
    ("fria_period_and_frequency", "Period and frequency of use"),
    ("fria_persons_affected", "Categories of persons affected"),
    ("fria_specific_risks", "Specific risks of harm"),
    ("fria_human_oversight", "Human oversight measures"),
    (
        "fria_measures_if_materialised",
        "Measures if the risks materialise",
    ),
    ("status", "Status"),
];

const SIGN_FIELDS: &[(&str, &str)] = &[("note", "Note")];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("system", "AI system"),
    ("status", "Status"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &["q", "system", "status", "sort", "per_page"];

/// The labels of the fundamental-rights fields, in form order.
const FRIA_LABELS: [(&str, &str); 6] = [
    (
        "deployer_process",
        "Deployer's process in which the system is used",
    ),
    ("period_and_frequency", "Period and frequency of use"),
    (
        "persons_affected",
        "Categories of natural persons and groups likely to be affected",
    ),
    ("specific_risks", "Specific risks of harm to them"),
    ("human_oversight", "Human oversight measures"),
    (
        "measures_if_materialised",
        "Measures if the risks materialise (governance, complaints)",
    ),
];

/// The form field a service error belongs to: `harms[privacy].severity` is shown beside the
/// privacy row (`harms_privacy`), `fria.human_oversight` beside its text area.
fn form_field(e: &FieldError) -> FieldError {
    if let Some((area, sub)) = e
        .field
        .strip_prefix("harms[")
        .and_then(|r| r.split_once(']'))
    {
        let sub = sub.trim_start_matches('.');
        let reason = if sub.is_empty() {
            e.reason.clone()
        } else {
            format!("{sub}: {}", e.reason)
        };
        return FieldError::new(format!("harms_{area}"), reason);
    }
    if let Some(f) = e.field.strip_prefix("fria.") {
        return FieldError::new(format!("fria_{f}"), e.reason.clone());
    }
    e.clone()
}

fn for_form(e: AppError) -> AppError {
    match e {
        AppError::Invalid(v) => {
            AppError::Invalid(ValidationErrors(v.0.iter().map(form_field).collect()))
        }
        AppError::Conflict(f) => AppError::Conflict(form_field(&f)),
        other => other,
    }
}

/// An assessment as a row of a list.
pub struct Row {
    pub key: String,
    pub system: String,
    pub system_name: String,
    pub version: i64,
    pub status: ImpactStatus,
    pub author: String,
    pub signed_by: String,
    pub updated_at: String,
    pub superseded_by: String,
}

fn row(v: &ImpactView) -> Row {
    let a = &v.assessment;
    Row {
        key: a.key.clone(),
        system: a.system.clone(),
        system_name: v.system_name.clone(),
        version: a.version,
        status: a.status,
        author: a.author.clone(),
        signed_by: a.signed_by.clone().unwrap_or_default(),
        updated_at: a.updated_at.clone(),
        superseded_by: v.superseded_by.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "impacts.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    filtered: bool,
    statuses: Vec<Opt>,
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/impacts", KEPT, pairs);
    let q = ImpactQuery {
        q: p.text("q"),
        system: p.text("system"),
        status: p.text("status"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    };
    let result = state.app.impact_list(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (views, pager) = Pager::of(&p, "assessments", out.list);
    let rows = views.iter().map(row).collect();
    let page = ListPage {
        layout: shell.layout("impacts", "Impact assessments"),
        rows,
        columns: p.columns(
            "key",
            &[
                ("Key", "key"),
                ("AI system", "system"),
                ("Version", "version"),
                ("Status", "status"),
                ("Author", "author"),
                ("Signed by", "signed_by"),
                ("Updated", "updated"),
            ],
        ),
        pager,
        form: out.form,
        filtered: p.filtered(),
        statuses: opts(ImpactStatus::ALL, ImpactStatus::as_str, ImpactStatus::label),
    };
    Ok(render(out.status, &page))
}

/// One harm area as a row of the form and of the page.
pub struct HarmRow {
    pub area: &'static str,
    pub label: &'static str,
    pub assessed: bool,
    pub description: String,
    pub severity: i64,
    pub likelihood: i64,
    pub level: String,
    /// The level's word (`high`), or "" when not scored.
    pub level_word: &'static str,
}

fn harm_rows(a: &ImpactAssessment) -> Vec<HarmRow> {
    HarmArea::ALL
        .iter()
        .map(|area| {
            let h = a.fields.harms.get(area);
            HarmRow {
                area: area.as_str(),
                label: area.label(),
                assessed: h.is_some(),
                description: h.map(|h| h.description.clone()).unwrap_or_default(),
                severity: h.map_or(0, |h| h.severity),
                likelihood: h.map_or(0, |h| h.likelihood),
                level: h
                    .and_then(|h| h.level)
                    .map_or_else(|| "—".to_owned(), |l| l.label().to_owned()),
                level_word: h
                    .and_then(|h| h.level)
                    .map_or("", aims_core::risk::methodology::RiskLevel::as_str),
            }
        })
        .collect()
}

/// The form's choices: systems (new only) and the method's scales.
struct Choices {
    systems: Vec<Opt>,
    severity: Vec<Opt>,
    likelihood: Vec<Opt>,
    areas: Vec<(&'static str, &'static str)>,
    fria: Vec<(String, &'static str)>,
}

async fn choices(state: &AppState, shell: &Shell) -> Result<Choices, PageError> {
    let m = state
        .app
        .methodology_show(shell.actor())
        .await
        .or_page(shell)?;
    let scale = |levels: &[aims_core::risk::methodology::ScaleLevel]| -> Vec<Opt> {
        levels
            .iter()
            .enumerate()
            .map(|(i, l)| Opt::new((i + 1).to_string(), format!("{} {}", i + 1, l.label)))
            .collect()
    };
    let systems = state
        .app
        .system_list(
            shell.actor(),
            &aims_app::systems::ListQuery {
                per_page: Some(aims_app::systems::MAX_PAGE),
                ..Default::default()
            },
        )
        .await
        .or_page(shell)?
        .items
        .into_iter()
        .map(|s| {
            Opt::new(
                s.system.key.clone(),
                format!("{} {}", s.system.key, s.system.fields.name),
            )
        })
        .collect();
    Ok(Choices {
        systems,
        severity: scale(
            m.doc
                .impact
                .get(&aims_core::risk::methodology::ImpactDimension::IndividualsOrGroups)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        ),
        likelihood: scale(&m.doc.likelihood),
        areas: HarmArea::ALL
            .iter()
            .map(|a| (a.as_str(), a.label()))
            .collect(),
        fria: FRIA_LABELS
            .iter()
            .map(|(f, l)| (format!("fria_{f}"), *l))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "impact_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    system: String,
    fria_required: bool,
    c: Choices,
}

/// A number chosen in a form; blank is none.
fn num(f: &FormData, name: &str, field: &str, e: &mut ValidationErrors) -> Option<i64> {
    let t = f.get(name).map(str::trim).filter(|t| !t.is_empty())?;
    match t.parse::<i64>() {
        Ok(v) => Some(v),
        Err(_) => {
            e.push(field, format!("'{t}' is not a whole number"));
            None
        }
    }
}

fn lines(f: &FormData, name: &str) -> Option<Vec<String>> {
    f.get(name).map(|t| {
        t.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    })
}

fn input(f: &FormData, e: &mut ValidationErrors) -> ImpactInput {
    // Only the areas the form carries: a missing row keeps its harm, a blank one removes it.
    let harms = HarmArea::ALL
        .iter()
        .filter(|a| f.get(&format!("harm_{a}_description")).is_some())
        .map(|a| {
            let p = format!("harm_{a}");
            let field = format!("harms_{a}");
            (
                a.as_str().to_owned(),
                HarmInput {
                    description: f.text(&format!("{p}_description")),
                    severity: num(f, &format!("{p}_severity"), &field, e),
                    likelihood: num(f, &format!("{p}_likelihood"), &field, e),
                },
            )
        })
        .collect();
    let t = |name: &str| f.text(&format!("fria_{name}"));
    ImpactInput {
        system: f.chosen("system"),
        intended_use: f.text("intended_use"),
        foreseeable_misuse: f.text("foreseeable_misuse"),
        affected_groups: lines(f, "affected_groups"),
        vulnerable_groups: lines(f, "vulnerable_groups"),
        harms: Some(harms),
        benefits: f.text("benefits"),
        mitigations: f.get("mitigations").map(|text| {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(MitigationInput::parse_line)
                .collect()
        }),
        residual_assessment: f.text("residual_assessment"),
        fria: Some(FriaInput {
            deployer_process: t("deployer_process"),
            period_and_frequency: t("period_and_frequency"),
            persons_affected: t("persons_affected"),
            specific_risks: t("specific_risks"),
            human_oversight: t("human_oversight"),
            measures_if_materialised: t("measures_if_materialised"),
        }),
    }
}

/// The form filled with an assessment's values (to edit a draft, or to start the next version).
fn prefill(a: &ImpactAssessment) -> FormState {
    let f = &a.fields;
    let mut s = FormState::new(FIELDS)
        .set("system", &a.system)
        .set("intended_use", &f.intended_use)
        .set(
            "foreseeable_misuse",
            f.foreseeable_misuse.clone().unwrap_or_default(),
        )
        .set("affected_groups", f.affected_groups.join("\n"))
        .set("vulnerable_groups", f.vulnerable_groups.join("\n"))
        .set("benefits", f.benefits.clone().unwrap_or_default())
        .set(
            "residual_assessment",
            f.residual_assessment.clone().unwrap_or_default(),
        );
    for (area, h) in &f.harms {
        let p = format!("harm_{area}");
        s = s
            .set(&format!("{p}_description"), &h.description)
            .set(&format!("{p}_severity"), h.severity.to_string())
            .set(&format!("{p}_likelihood"), h.likelihood.to_string());
    }
    let mitigations: Vec<String> = f
        .mitigations
        .iter()
        .map(|m| {
            let join = |s: &std::collections::BTreeSet<String>| {
                s.iter().cloned().collect::<Vec<_>>().join(" ")
            };
            format!(
                "{} | {} | {}",
                m.description,
                join(&m.risks),
                join(&m.controls)
            )
        })
        .collect();
    s = s.set("mitigations", mitigations.join("\n"));
    if let Some(fria) = &f.fria {
        for (name, v) in fria.fields() {
            s = s.set(&format!("fria_{name}"), v.unwrap_or_default());
        }
    }
    s
}

async fn form_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let c = choices(state, shell).await?;
    let system = form.value("system").to_owned();
    let fria_required = match system.is_empty() {
        true => false,
        false => match state.app.system_get(shell.actor(), &system).await {
            Ok(s) => aims_core::impact::fria_required(&s.system.fields),
            Err(_) => false,
        },
    };
    let (title, action) = if key.is_empty() {
        ("New impact assessment".to_owned(), "/impacts".to_owned())
    } else {
        (format!("Edit {key}"), format!("/impacts/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("impacts", title),
        form,
        action,
        key: key.to_owned(),
        system,
        fria_required,
        c,
    };
    Ok(render(status, &page))
}

/// The form for a new version: the system's latest version's values, when it has one.
async fn new(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let p = Params::new("/impacts/new", &[], pairs);
    let system = p.text("system").map(|s| aims_core::keys::normalise(&s));
    let mut form = FormState::new(FIELDS);
    if let Some(sys) = &system {
        let q = ImpactQuery {
            system: Some(sys.clone()),
            ..ImpactQuery::default()
        };
        let versions = state
            .app
            .impact_list(shell.actor(), &q)
            .await
            .or_page(&shell)?;
        if let Some(last) = versions.items.last() {
            form = prefill(&last.assessment);
        }
        form = form.set("system", sys.clone());
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
    let mut e = ValidationErrors::default();
    let i = input(&form, &mut e);
    let outcome = if e.is_empty() {
        state.app.impact_add(shell.actor(), &i).await
    } else {
        Err(AppError::Invalid(e))
    };
    match outcome {
        Ok(v) => Ok(Redirect::to(&format!("/impacts/{}", v.assessment.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let state_ = FormState::refused(FIELDS, &form, &for_form(e));
            form_page(&state, &shell, "", state_, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn edit(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let d = state
        .app
        .impact_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    let a = &d.view.assessment;
    let form = if a.status == ImpactStatus::Draft {
        prefill(a)
    } else {
        prefill(a).with_error(
            "status",
            &format!(
                "{} is signed and can no longer change; start a new version",
                a.key
            ),
        )
    };
    form_page(&state, &shell, &a.key.clone(), form, StatusCode::OK).await
}

async fn update(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let mut e = ValidationErrors::default();
    let i = input(&form, &mut e);
    let outcome = if e.is_empty() {
        state.app.impact_update(shell.actor(), &key, &i).await
    } else {
        Err(AppError::Invalid(e))
    };
    match outcome {
        Ok(v) => Ok(Redirect::to(&format!("/impacts/{}", v.assessment.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let key = aims_core::keys::normalise(&key);
            let d = state
                .app
                .impact_get(shell.actor(), &key)
                .await
                .or_page(&shell)?;
            let state_ = FormState::refused(FIELDS, &form, &for_form(e))
                .set("system", d.view.assessment.system);
            form_page(
                &state,
                &shell,
                &key,
                state_,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

/// A mitigation with its links.
pub struct MitigationRow {
    pub description: String,
    pub risks: Vec<String>,
    pub controls: Vec<String>,
}

#[derive(Template)]
#[template(path = "impact.html")]
struct ShowPage {
    layout: Layout,
    v: ImpactView,
    harms: Vec<HarmRow>,
    mitigations: Vec<MitigationRow>,
    fria: Vec<(&'static str, String)>,
    versions: Vec<Row>,
    events: Vec<aims_core::ledger::Event>,
    sign: FormState,
    draft: bool,
}

async fn show_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    sign: FormState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let ImpactDetail { view, versions } = state
        .app
        .impact_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let a = &view.assessment;
    let events = state
        .app
        .ledger_log(shell.actor(), Some(&a.key), None, Some(100))
        .await
        .or_page(shell)?;
    let fria = match &a.fields.fria {
        None => Vec::new(),
        Some(f) => FRIA_LABELS
            .iter()
            .zip(f.fields())
            .map(|((_, label), (_, v))| (*label, v.unwrap_or("—").to_owned()))
            .collect(),
    };
    let page = ShowPage {
        layout: shell.layout(
            "impacts",
            format!("{} impact assessment of {}", a.key, view.system_name),
        ),
        harms: harm_rows(a),
        mitigations: a
            .fields
            .mitigations
            .iter()
            .map(|m| MitigationRow {
                description: m.description.clone(),
                risks: m.risks.iter().cloned().collect(),
                controls: m.controls.iter().cloned().collect(),
            })
            .collect(),
        fria,
        versions: versions.iter().map(row).collect(),
        events,
        sign,
        draft: a.status == ImpactStatus::Draft,
        v: view,
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
        FormState::new(SIGN_FIELDS),
        StatusCode::OK,
    )
    .await
}

async fn sign(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = SignInput {
        note: form.text("note"),
    };
    match state.app.impact_sign(shell.actor(), &key, &input).await {
        Ok(v) => Ok(Redirect::to(&format!("/impacts/{}", v.assessment.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(SIGN_FIELDS, &form, &e);
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
