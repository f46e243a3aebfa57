//! The risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): the list with its filters in the
//! address, heat maps of inherent and residual risk, a risk's page with its assess, treat, accept
//! and review forms, the forms to add and edit risks, and the treatment plan as CSV and XLSX.

use aims_app::risk_views::{HeatMap, RiskViews, Tally};
use aims_app::risks::{annex_c_objectives, annex_c_sources, PlanFormat, RiskDetail, RiskQuery};
use aims_app::AppError;
use aims_core::risk::methodology::{ImpactDimension, RiskLevel};
use aims_core::risk::register::{
    AcceptInput, AssessInput, Confidence, LikelihoodBasis, ReviewInput, Risk, RiskCategory,
    RiskInput, RiskStatus, TreatInput, TreatmentOption,
};
use aims_core::risk::scoring::Score;
use aims_core::text::split_list;
use aims_core::{FieldError, ValidationErrors};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
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
        .route("/risks", get(list).post(create))
        .route("/risks/new", get(new))
        .route("/risks/export.csv", get(export_csv))
        .route("/risks/export.xlsx", get(export_xlsx))
        .route("/risks/{key}", get(show).post(update))
        .route("/risks/{key}/edit", get(edit))
        .route("/risks/{key}/assess", post(assess))
        .route("/risks/{key}/treat", post(treat))
        .route("/risks/{key}/accept", post(accept))
        .route("/risks/{key}/review", post(review))
}

const FIELDS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("cause", "Cause"),
    ("event", "Event"),
    ("consequence", "Consequence"),
    ("category", "Category"),
    ("sub_category", "Sub-category"),
    ("systems", "AI systems"),
    ("risk_sources", "Risk sources (Annex C)"),
    ("objectives", "Objectives affected (Annex C)"),
    ("owner", "Owner"),
    ("likelihood", "Likelihood"),
    ("likelihood_basis", "Basis of the likelihood"),
    ("confidence", "Confidence"),
    (
        "impact_individuals_or_groups",
        "Impact on individuals or groups",
    ),
    ("impact_organisation", "Impact on the organisation"),
    ("impact_society", "Impact on society"),
];

const ASSESS_FIELDS: &[(&str, &str)] = &[
    ("likelihood", "Likelihood"),
    ("likelihood_basis", "Basis of the likelihood"),
    ("confidence", "Confidence"),
    (
        "impact_individuals_or_groups",
        "Impact on individuals or groups",
    ),
    ("impact_organisation", "Impact on the organisation"),
    ("impact_society", "Impact on society"),
];

const TREAT_FIELDS: &[(&str, &str)] = &[
    ("option", "Treatment"),
    ("plan", "Plan"),
    ("controls", "Controls"),
    ("due_date", "Due date"),
    ("residual_likelihood", "Residual likelihood"),
    (
        "residual_impact_individuals_or_groups",
        "Residual impact on individuals or groups",
    ),
    (
        "residual_impact_organisation",
        "Residual impact on the organisation",
    ),
    ("residual_impact_society", "Residual impact on society"),
    ("residual_reason", "Why the residual risk is higher"),
];

const ACCEPT_FIELDS: &[(&str, &str)] = &[
    ("reason", "Reason"),
    ("level", "Level"),
    ("role", "Role"),
    ("status", "Status"),
];

const REVIEW_FIELDS: &[(&str, &str)] = &[
    ("date", "Day of the review"),
    ("notes", "Notes"),
    ("close", "Close the risk"),
];

/// The filter form's fields: the filters and the sort they keep.
const FORM_FIELDS: &[(&str, &str)] = &[
    ("status", "Status"),
    ("owner", "Owner"),
    ("system", "AI system"),
    ("category", "Category"),
    ("level", "Current level"),
    ("cell", "Heat map cell"),
    ("basis", "Basis"),
    ("overdue", "Overdue reviews"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// What the register's links keep.
const KEPT: &[&str] = &[
    "status", "owner", "system", "category", "level", "cell", "basis", "overdue", "sort",
    "per_page",
];

/// The register's sortable headers, in the table's order (Scope, between Category and Owner,
/// does not sort).
const SORTABLE: &[(&str, &str)] = &[
    ("Key", "key"),
    ("Title", "title"),
    ("Category", "category"),
    ("Owner", "owner"),
    ("Inherent", "inherent"),
    ("Residual", "residual"),
    ("Status", "status"),
    ("Next review", "review"),
];

/// One cell of a heat map as drawn.
pub struct SvgCell {
    pub x: i64,
    pub y: i64,
    pub size: i64,
    pub fill: &'static str,
    pub count: i64,
    pub href: String,
    pub label: String,
}

/// A heat map as an SVG picture.
pub struct HeatSvg {
    pub id: &'static str,
    pub title: String,
    pub width: i64,
    pub height: i64,
    pub cells: Vec<SvgCell>,
    /// `(x or y, text)` of the axis labels.
    pub rows: Vec<(i64, String)>,
    pub cols: Vec<(i64, String)>,
    pub total: i64,
}

const CELL: i64 = 52;
const LEFT: i64 = 44;
const TOP: i64 = 8;

/// The fill of a level (light, so the black count stays readable).
pub fn fill(level: RiskLevel) -> &'static str {
    match level {
        RiskLevel::Low => "#cdeccd",
        RiskLevel::Medium => "#fbeea2",
        RiskLevel::High => "#f6c28b",
        RiskLevel::Critical => "#eb9a9a",
    }
}

pub fn heat_svg(map: &HeatMap, id: &'static str, title: &str) -> HeatSvg {
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    for (r, row) in map.rows.iter().enumerate() {
        let y = TOP + r as i64 * CELL;
        if let Some(first) = row.first() {
            rows.push((y + CELL / 2 + 5, first.likelihood.to_string()));
        }
        for (c, cell) in row.iter().enumerate() {
            let x = LEFT + c as i64 * CELL;
            cells.push(SvgCell {
                x,
                y,
                size: CELL - 2,
                fill: fill(cell.level),
                count: cell.count,
                href: cell.href.clone(),
                label: format!(
                    "Likelihood {}, impact {}: {} ({}), {} risks",
                    cell.likelihood,
                    cell.impact,
                    cell.level.label(),
                    map.basis,
                    cell.count
                ),
            });
        }
    }
    let n = map.impact_levels as i64;
    let bottom = TOP + map.likelihood_levels as i64 * CELL;
    let cols = (1..=n)
        .map(|i| (LEFT + (i - 1) * CELL + CELL / 2, i.to_string()))
        .collect();
    HeatSvg {
        id,
        title: title.to_owned(),
        width: LEFT + n * CELL + 8,
        height: bottom + 44,
        cells,
        rows,
        cols,
        total: map.total,
    }
}

/// A risk as a row of the list.
pub struct RiskRow {
    pub key: String,
    pub title: String,
    pub scope: Vec<String>,
    pub owner: String,
    pub category: &'static str,
    pub inherent: String,
    pub range: String,
    pub residual: String,
    pub status: &'static str,
    pub next_review: String,
    pub overdue: bool,
}

/// A score for people: `High (4 × 4)`, or a dash.
pub fn score_text(s: &Option<Score>) -> String {
    s.map_or_else(
        || "—".to_owned(),
        |s| format!("{} ({} × {})", s.level.label(), s.likelihood, s.impact),
    )
}

fn range_text(r: &Risk) -> String {
    match r.scores.inherent_range {
        Some(g) if g.low != g.high => format!("{} to {}", g.low.label(), g.high.label()),
        _ => String::new(),
    }
}

fn row(r: &Risk, today: chrono::NaiveDate) -> RiskRow {
    RiskRow {
        key: r.key.clone(),
        title: r.fields.title.clone(),
        scope: r.fields.systems.iter().cloned().collect(),
        owner: r.fields.owner.clone(),
        category: r.fields.category.label(),
        inherent: score_text(&r.scores.inherent),
        range: range_text(r),
        residual: score_text(&r.scores.residual),
        status: r.status.label(),
        next_review: r.next_review.clone().unwrap_or_default(),
        overdue: r.review_overdue(today),
    }
}

#[derive(Template)]
#[template(path = "risks.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<RiskRow>,
    form: FormState,
    filtered: bool,
    statuses: Vec<Opt>,
    categories: Vec<Opt>,
    levels: Vec<Opt>,
    bases: Vec<Opt>,
    inherent: HeatSvg,
    residual: HeatSvg,
    views: std::sync::Arc<RiskViews>,
    top: Vec<RiskRow>,
    untreated: Vec<RiskRow>,
    overdue: Vec<RiskRow>,
    per_system: Vec<Tally>,
    per_owner: Vec<Tally>,
    /// How many of each view's entries are not shown.
    untreated_more: usize,
    overdue_more: usize,
    per_system_more: usize,
    per_owner_more: usize,
    /// The register's sortable headers ([`SORTABLE`]).
    columns: Vec<Column>,
    /// Which risks of how many the register shows, and the links to the pages around them.
    pager: Pager,
}

/// Entries shown of each view below the register (the rest are counted).
const SHOWN: usize = 20;

/// The first [`SHOWN`] of `list` and how many were left out.
fn shown<T: Clone>(list: &[T]) -> (Vec<T>, usize) {
    let n = list.len().min(SHOWN);
    (list[..n].to_vec(), list.len() - n)
}

/// How many of `count` are left out when `shown` are shown.
fn more(count: i64, shown: usize) -> usize {
    usize::try_from(count).unwrap_or(0).saturating_sub(shown)
}

/// The register's query from the address's parameters.
fn query(p: &mut Params) -> RiskQuery {
    RiskQuery {
        status: p.text("status"),
        owner: p.text("owner"),
        system: p.text("system"),
        category: p.text("category"),
        level: p.text("level"),
        cell: p.text("cell"),
        basis: p.text("basis"),
        overdue: p.text("overdue"),
        page: p.number("page"),
        per_page: p.per_page(),
        sort: p.text("sort"),
    }
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/risks", KEPT, pairs);
    let q = query(&mut p);
    let today = aims_app::risks::today();
    let result = state.app.risk_page(shell.actor(), &q).await;
    let out = p.outcome(FORM_FIELDS, result).map_err(|e| shell.fail(e))?;
    let (risks, pager) = Pager::of(&p, "risks", out.list);
    let views = state.app.risk_views(shell.actor()).await.or_page(&shell)?;
    let rows_of = |v: &[Risk]| v.iter().map(|r| row(r, today)).collect::<Vec<_>>();
    let (untreated, _) = shown(&views.above_appetite_untreated);
    let untreated_more = more(views.above_appetite_untreated_count, untreated.len());
    let (overdue, _) = shown(&views.overdue);
    let overdue_more = more(views.overdue_count, overdue.len());
    let (per_system, per_system_more) = shown(&views.per_system);
    let (per_owner, per_owner_more) = shown(&views.per_owner);
    let page = ListPage {
        layout: shell.layout("risks", "Risks"),
        rows: rows_of(&risks),
        form: out.form,
        filtered: p.filtered(),
        statuses: opts(RiskStatus::ALL, RiskStatus::as_str, RiskStatus::label),
        categories: opts(RiskCategory::ALL, RiskCategory::as_str, RiskCategory::label),
        levels: opts(RiskLevel::ALL, RiskLevel::as_str, RiskLevel::label),
        bases: vec![
            Opt::new("inherent", "Inherent"),
            Opt::new("residual", "Residual"),
        ],
        inherent: heat_svg(&views.inherent, "heat-inherent", "Inherent risk"),
        residual: heat_svg(&views.residual, "heat-residual", "Residual risk"),
        top: rows_of(&views.top),
        untreated: rows_of(&untreated),
        overdue: rows_of(&overdue),
        per_system,
        per_owner,
        untreated_more,
        overdue_more,
        per_system_more,
        per_owner_more,
        columns: p.columns("key", SORTABLE),
        pager,
        views,
    };
    Ok(render(out.status, &page))
}

async fn export(
    state: &AppState,
    shell: &Shell,
    format: PlanFormat,
) -> Result<Response, PageError> {
    let body = state
        .app
        .risk_export(shell.actor(), format)
        .await
        .or_page(shell)?;
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

async fn export_csv(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    export(&state, &Shell::new(session), PlanFormat::Csv).await
}

async fn export_xlsx(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    export(&state, &Shell::new(session), PlanFormat::Xlsx).await
}

/// Choices of the forms.
struct Choices {
    owners: Vec<Opt>,
    categories: Vec<Opt>,
    sources: Vec<Opt>,
    objectives: Vec<Opt>,
    bases: Vec<Opt>,
    confidences: Vec<Opt>,
    options: Vec<Opt>,
    likelihood: Vec<Opt>,
    impact: Vec<Opt>,
}

async fn choices(
    state: &AppState,
    shell: &Shell,
    current_owner: &str,
) -> Result<Choices, PageError> {
    let owners = owner_options(state, shell, current_owner).await?;
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
    let annex = |items: Vec<(String, String)>| {
        items
            .into_iter()
            .map(|(id, title)| Opt::new(id.clone(), format!("{id} {title}")))
            .collect()
    };
    Ok(Choices {
        owners,
        categories: opts(RiskCategory::ALL, RiskCategory::as_str, RiskCategory::label),
        sources: annex(annex_c_sources()),
        objectives: annex(annex_c_objectives()),
        bases: opts(
            LikelihoodBasis::ALL,
            LikelihoodBasis::as_str,
            LikelihoodBasis::label,
        ),
        confidences: opts(Confidence::ALL, Confidence::as_str, Confidence::label),
        options: opts(
            TreatmentOption::ALL,
            TreatmentOption::as_str,
            TreatmentOption::label,
        ),
        likelihood: scale(&m.doc.likelihood),
        impact: scale(
            m.doc
                .impact
                .get(&ImpactDimension::IndividualsOrGroups)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        ),
    })
}

#[derive(Template)]
#[template(path = "risk_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    action: String,
    key: String,
    c: Choices,
}

/// A number typed into a form; blank is none.
fn num(f: &FormData, name: &str, e: &mut ValidationErrors) -> Option<i64> {
    let t = f.get(name).map(str::trim).filter(|t| !t.is_empty())?;
    match t.parse::<i64>() {
        Ok(v) => Some(v),
        Err(_) => {
            e.0.push(FieldError::new(
                name,
                format!("'{t}' is not a whole number"),
            ));
            None
        }
    }
}

fn input(f: &FormData, e: &mut ValidationErrors) -> RiskInput {
    RiskInput {
        title: f.text("title"),
        cause: f.text("cause"),
        event: f.text("event"),
        consequence: f.text("consequence"),
        category: f.chosen("category"),
        sub_category: f.text("sub_category"),
        systems: f.get("systems").map(split_list),
        risk_sources: Some(f.all("risk_sources")),
        objectives: Some(f.all("objectives")),
        owner: f.chosen("owner"),
        likelihood: num(f, "likelihood", e),
        likelihood_basis: f.chosen("likelihood_basis"),
        confidence: f.chosen("confidence"),
        impact_individuals_or_groups: num(f, "impact_individuals_or_groups", e),
        impact_organisation: num(f, "impact_organisation", e),
        impact_society: num(f, "impact_society", e),
    }
}

fn prefill(r: &Risk) -> FormState {
    let f = &r.fields;
    let systems: Vec<String> = f.systems.iter().cloned().collect();
    let mut s = FormState::new(FIELDS)
        .set("title", &f.title)
        .set("cause", &f.cause)
        .set("event", &f.event)
        .set("consequence", &f.consequence)
        .set("category", f.category.as_str())
        .set("sub_category", f.sub_category.clone().unwrap_or_default())
        .set("systems", systems.join(", "))
        .set("owner", &f.owner);
    for id in &f.risk_sources {
        s = s.add("risk_sources", id.clone());
    }
    for id in &f.objectives {
        s = s.add("objectives", id.clone());
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
    let c = choices(state, shell, form.value("owner")).await?;
    let (title, action) = if key.is_empty() {
        ("Add a risk".to_owned(), "/risks".to_owned())
    } else {
        (format!("Edit {key}"), format!("/risks/{key}"))
    };
    let page = FormPage {
        layout: shell.layout("risks", title),
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
        .set(
            "likelihood_basis",
            LikelihoodBasis::ExpertJudgement.as_str(),
        )
        .set("confidence", Confidence::Medium.as_str());
    form_page(&state, &shell, "", form, StatusCode::OK).await
}

/// The typed form as refused with `e` (a parse error of the page or the service's).
fn refused(
    fields: &'static [(&'static str, &'static str)],
    form: &FormData,
    e: &AppError,
) -> FormState {
    FormState::refused(fields, form, e)
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
        state.app.risk_add(shell.actor(), &i).await
    } else {
        Err(AppError::Invalid(e))
    };
    match outcome {
        Ok(r) => Ok(Redirect::to(&format!("/risks/{}", r.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            form_page(
                &state,
                &shell,
                "",
                refused(FIELDS, &form, &e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
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
        .risk_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    form_page(
        &state,
        &shell,
        &d.risk.key,
        prefill(&d.risk),
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
    let mut e = ValidationErrors::default();
    let mut i = input(&form, &mut e);
    // The edit form carries no estimate: it is changed with the assess form.
    i.likelihood = None;
    i.impact_individuals_or_groups = None;
    i.impact_organisation = None;
    i.impact_society = None;
    i.likelihood_basis = None;
    i.confidence = None;
    let outcome = if e.is_empty() {
        state.app.risk_update(shell.actor(), &key, &i).await
    } else {
        Err(AppError::Invalid(e))
    };
    match outcome {
        Ok(r) => Ok(Redirect::to(&format!("/risks/{}", r.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let key = aims_core::keys::normalise(&key);
            form_page(
                &state,
                &shell,
                &key,
                refused(FIELDS, &form, &e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

/// One score under one method version, for people.
pub struct HistoryRow {
    pub version: i64,
    pub inherent: String,
    pub range: String,
    pub residual: String,
    pub recorded_at: String,
}

#[derive(Template)]
#[template(path = "risk.html")]
struct ShowPage {
    layout: Layout,
    risk: Risk,
    facts: Vec<(&'static str, String)>,
    history: Vec<HistoryRow>,
    events: Vec<aims_core::ledger::Event>,
    assess: FormState,
    treat: FormState,
    accept: FormState,
    review: FormState,
    c: Choices,
    closed: bool,
    /// What incident history suggests for the likelihood, and the estimate's label beside it.
    suggestion: Option<aims_core::risk::history::Suggestion>,
    estimate_label: String,
}

fn facts(r: &Risk, today: chrono::NaiveDate) -> Vec<(&'static str, String)> {
    let f = &r.fields;
    let list = |s: &std::collections::BTreeSet<String>, empty: &str| {
        if s.is_empty() {
            empty.to_owned()
        } else {
            s.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    };
    let mut out = vec![
        ("Status", r.status.label().to_owned()),
        ("Scope", list(&f.systems, "The whole organisation")),
        ("Cause", f.cause.clone()),
        ("Event", f.event.clone()),
        ("Consequence", f.consequence.clone()),
        (
            "Category",
            match &f.sub_category {
                Some(s) => format!("{} / {s}", f.category.label()),
                None => f.category.label().to_owned(),
            },
        ),
        ("Risk sources (Annex C)", list(&f.risk_sources, "—")),
        ("Objectives affected (Annex C)", list(&f.objectives, "—")),
        ("Owner", f.owner.clone()),
    ];
    if let Some(i) = &r.inherent {
        let impacts: Vec<String> = i
            .estimate
            .impact
            .iter()
            .map(|(d, v)| format!("{}: {v}", d.label()))
            .collect();
        out.push((
            "Inherent estimate",
            format!(
                "likelihood {} ({}, {} confidence); impact {}",
                i.estimate.likelihood,
                i.basis.label(),
                i.confidence.as_str(),
                impacts.join(", ")
            ),
        ));
    }
    out.push(("Inherent level", score_text(&r.scores.inherent)));
    let range = range_text(r);
    if !range.is_empty() {
        out.push(("Inherent level, low confidence range", range));
    }
    if let Some(t) = &r.treatment {
        out.push(("Treatment", t.option.label().to_owned()));
        out.push(("Plan", t.plan.clone().unwrap_or_else(|| "—".into())));
        out.push(("Controls", list(&t.controls, "—")));
        out.push(("Due date", t.due_date.clone().unwrap_or_else(|| "—".into())));
    }
    out.push(("Residual level", score_text(&r.scores.residual)));
    if let Some(reason) = &r.residual_reason {
        out.push(("Why the residual risk is higher", reason.clone()));
    }
    let overdue = if r.review_overdue(today) {
        " (overdue)"
    } else {
        ""
    };
    out.push((
        "Next review",
        format!(
            "{}{overdue}",
            r.next_review.clone().unwrap_or_else(|| "—".into())
        ),
    ));
    out.push((
        "Method version",
        format!("MTH-{}", r.scores.methodology_version),
    ));
    out
}

fn assess_prefill(r: &Risk) -> FormState {
    let mut s = FormState::new(ASSESS_FIELDS)
        .set(
            "likelihood_basis",
            LikelihoodBasis::ExpertJudgement.as_str(),
        )
        .set("confidence", Confidence::Medium.as_str());
    if let Some(i) = &r.inherent {
        s = s
            .set("likelihood", i.estimate.likelihood.to_string())
            .set("likelihood_basis", i.basis.as_str())
            .set("confidence", i.confidence.as_str());
        for (d, v) in &i.estimate.impact {
            s = s.set(&format!("impact_{d}"), v.to_string());
        }
    }
    s
}

fn treat_prefill(r: &Risk) -> FormState {
    let mut s = FormState::new(TREAT_FIELDS);
    if let Some(t) = &r.treatment {
        let controls: Vec<String> = t.controls.iter().cloned().collect();
        s = s
            .set("option", t.option.as_str())
            .set("plan", t.plan.clone().unwrap_or_default())
            .set("controls", controls.join(", "))
            .set("due_date", t.due_date.clone().unwrap_or_default());
    }
    if let Some(e) = &r.residual {
        s = s.set("residual_likelihood", e.likelihood.to_string());
        for (d, v) in &e.impact {
            s = s.set(&format!("residual_impact_{d}"), v.to_string());
        }
    }
    s.set(
        "residual_reason",
        r.residual_reason.clone().unwrap_or_default(),
    )
}

/// Which form of the risk page was refused.
enum Refused {
    None,
    Assess(FormState),
    Treat(FormState),
    Accept(FormState),
    Review(FormState),
}

async fn show_page(
    state: &AppState,
    shell: &Shell,
    key: &str,
    refused: Refused,
    status: StatusCode,
) -> Result<Response, PageError> {
    let RiskDetail {
        risk,
        score_history,
        incident_likelihood: suggestion,
    } = state
        .app
        .risk_get(shell.actor(), key)
        .await
        .or_page(shell)?;
    let events = state
        .app
        .ledger_log(shell.actor(), Some(&risk.key), None, Some(100))
        .await
        .or_page(shell)?;
    let c = choices(state, shell, &risk.fields.owner).await?;
    let history = score_history
        .iter()
        .map(|s| HistoryRow {
            version: s.methodology_version,
            inherent: score_text(&s.inherent),
            range: match s.inherent_range {
                Some(g) if g.low != g.high => format!("{} to {}", g.low.label(), g.high.label()),
                _ => String::new(),
            },
            residual: score_text(&s.residual),
            recorded_at: s.recorded_at.clone(),
        })
        .collect();
    let (mut assess, mut treat, mut accept, mut review) = (
        assess_prefill(&risk),
        treat_prefill(&risk),
        FormState::new(ACCEPT_FIELDS),
        FormState::new(REVIEW_FIELDS),
    );
    match refused {
        Refused::None => {}
        Refused::Assess(f) => assess = f,
        Refused::Treat(f) => treat = f,
        Refused::Accept(f) => accept = f,
        Refused::Review(f) => review = f,
    }
    let estimate_label = suggestion
        .as_ref()
        .and_then(|s| s.estimate)
        .and_then(|e| c.likelihood.iter().find(|o| o.value == e.to_string()))
        .map_or_else(|| "not estimated yet".to_string(), |o| o.label.clone());
    let page = ShowPage {
        layout: shell.layout("risks", format!("{} {}", risk.key, risk.fields.title)),
        facts: facts(&risk, aims_app::risks::today()),
        suggestion,
        estimate_label,
        closed: risk.status == RiskStatus::Closed,
        risk,
        history,
        events,
        assess,
        treat,
        accept,
        review,
        c,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    show_page(&state, &shell, &key, Refused::None, StatusCode::OK).await
}

/// Runs one of the risk page's forms: redirect on success, the page again with the form's
/// errors beside its fields on refusal.
async fn run_form(
    state: &AppState,
    shell: &Shell,
    key: &str,
    form: &FormData,
    fields: &'static [(&'static str, &'static str)],
    outcome: Result<Risk, AppError>,
    wrap: fn(FormState) -> Refused,
) -> Result<Response, PageError> {
    match outcome {
        Ok(r) => Ok(Redirect::to(&format!("/risks/{}", r.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            show_page(
                state,
                shell,
                key,
                wrap(refused(fields, form, &e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn assess(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let mut e = ValidationErrors::default();
    let input = AssessInput {
        likelihood: num(&form, "likelihood", &mut e),
        likelihood_basis: form.chosen("likelihood_basis"),
        confidence: form.chosen("confidence"),
        impact_individuals_or_groups: num(&form, "impact_individuals_or_groups", &mut e),
        impact_organisation: num(&form, "impact_organisation", &mut e),
        impact_society: num(&form, "impact_society", &mut e),
    };
    let outcome = if e.is_empty() {
        state.app.risk_assess(shell.actor(), &key, &input).await
    } else {
        Err(AppError::Invalid(e))
    };
    run_form(
        &state,
        &shell,
        &key,
        &form,
        ASSESS_FIELDS,
        outcome,
        Refused::Assess,
    )
    .await
}

async fn treat(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let mut e = ValidationErrors::default();
    let input = TreatInput {
        option: form.chosen("option"),
        plan: form.text("plan"),
        controls: form.get("controls").map(split_list),
        due_date: form.text("due_date"),
        residual_likelihood: num(&form, "residual_likelihood", &mut e),
        residual_impact_individuals_or_groups: num(
            &form,
            "residual_impact_individuals_or_groups",
            &mut e,
        ),
        residual_impact_organisation: num(&form, "residual_impact_organisation", &mut e),
        residual_impact_society: num(&form, "residual_impact_society", &mut e),
        residual_reason: form.text("residual_reason"),
    };
    let outcome = if e.is_empty() {
        state.app.risk_treat(shell.actor(), &key, &input).await
    } else {
        Err(AppError::Invalid(e))
    };
    run_form(
        &state,
        &shell,
        &key,
        &form,
        TREAT_FIELDS,
        outcome,
        Refused::Treat,
    )
    .await
}

async fn accept(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = AcceptInput {
        reason: form.text("reason"),
    };
    let outcome = state.app.risk_accept(shell.actor(), &key, &input).await;
    run_form(
        &state,
        &shell,
        &key,
        &form,
        ACCEPT_FIELDS,
        outcome,
        Refused::Accept,
    )
    .await
}

async fn review(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = ReviewInput {
        date: form.text("date"),
        notes: form.text("notes"),
        close: Some(form.get("close").is_some()),
    };
    let outcome = state.app.risk_review(shell.actor(), &key, &input).await;
    run_form(
        &state,
        &shell,
        &key,
        &form,
        REVIEW_FIELDS,
        outcome,
        Refused::Review,
    )
    .await
}
