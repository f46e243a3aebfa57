//! Monitoring pages: the overview of every plan with the open alerts, a system's monitoring page
//! (metric trends against their limits as SVG, runs, alerts, the upload form and the plan form),
//! and a run's page with its judged values and full report.

use aims_app::monitoring::{rules_from_toml, rules_to_toml, MonitoringView, PlanStatus};
use aims_core::monitoring::{matches, Alert, AlertStatus, Level, Plan, PlanInput, Point, Run};
use aims_core::monitoring::{Schedule, Window};
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{opts, owner_options, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/monitoring", get(overview))
        .route("/monitoring/runs/{key}", get(run_page))
        .route("/monitoring/alerts/{key}/ack", post(ack))
        .route("/systems/{key}/monitoring", get(system_page))
        .route("/systems/{key}/monitoring/plan", post(set_plan))
        .route(
            "/systems/{key}/monitoring/runs",
            post(upload).layer(DefaultBodyLimit::max(crate::upload::UPLOAD_LIMIT)),
        )
}

const PLAN_FIELDS: &[(&str, &str)] = &[
    ("owner", "Owner"),
    ("schema", "Log schema"),
    ("rules", "Watched metrics"),
    ("window", "Window"),
    ("schedule", "Schedule"),
    ("webhook_url", "Webhook URL"),
    ("webhook_secret", "Webhook secret"),
];

const RUN_FIELDS: &[(&str, &str)] = &[
    ("current", "Prediction log"),
    ("reference", "Reference log"),
    ("split_at", "Split at"),
    ("observed_at", "Observed at"),
    ("label", "Label"),
    ("log", "Prediction log"),
    ("system", "AI system"),
    ("schema", "Log schema"),
    ("plan", "Plan"),
];

/// One metric's trend as an SVG line with its warn and breach limits.
pub struct TrendChart {
    pub id: String,
    pub metric: String,
    pub width: f64,
    pub height: f64,
    pub line: String,
    pub dots: Vec<Dot>,
    /// `(y, label)` of the warn and breach limits, where the plan sets them.
    pub warn: Option<(f64, String)>,
    pub breach: Option<(f64, String)>,
    pub top: String,
    pub bottom: String,
    pub description: String,
    pub points: Vec<Point>,
}

pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub class: &'static str,
    pub title: String,
}

const W: f64 = 560.0;
const H: f64 = 150.0;
const PAD: f64 = 14.0;

fn fmt(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The chart of `points` (oldest first) under `plan`'s first rule matching `metric`.
pub fn trend_chart(i: usize, metric: &str, points: &[Point], plan: Option<&Plan>) -> TrendChart {
    let rule = plan.and_then(|p| p.rules.iter().find(|r| matches(&r.metric, metric)));
    let warn = rule.and_then(|r| r.warn);
    let breach = rule.and_then(|r| r.breach);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in points.iter().map(|p| p.value).chain(warn).chain(breach) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }
    let margin = (hi - lo) * 0.08;
    let (lo, hi) = (lo - margin, hi + margin);
    let y = |v: f64| PAD + (hi - v) / (hi - lo) * (H - 2.0 * PAD);
    let n = points.len().max(2) - 1;
    let x = |k: usize| PAD + 40.0 + k as f64 * (W - 2.0 * PAD - 40.0) / n as f64;
    let dots: Vec<Dot> = points
        .iter()
        .enumerate()
        .map(|(k, p)| Dot {
            x: x(k),
            y: y(p.value),
            class: match p.level {
                Level::Ok => "dot-ok",
                Level::Warn => "dot-warn",
                Level::Breach => "dot-breach",
            },
            title: format!(
                "{} {}: {} ({})",
                p.run,
                p.observed_at.get(..10).unwrap_or_default(),
                fmt(p.value),
                p.level.label()
            ),
        })
        .collect();
    let line = dots
        .iter()
        .map(|d| format!("{:.1},{:.1}", d.x, d.y))
        .collect::<Vec<_>>()
        .join(" ");
    let last = points.last();
    TrendChart {
        id: format!("trend-{i}"),
        metric: metric.to_string(),
        width: W,
        height: H,
        line,
        dots,
        warn: warn.map(|w| (y(w), format!("warn {}", fmt(w)))),
        breach: breach.map(|b| (y(b), format!("breach {}", fmt(b)))),
        top: fmt(hi),
        bottom: fmt(lo),
        description: format!(
            "{metric}: {} values{}",
            points.len(),
            last.map_or(String::new(), |p| format!(
                ", latest {} ({})",
                fmt(p.value),
                p.level.label()
            ))
        ),
        points: points.to_vec(),
    }
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct OverviewPage {
    layout: Layout,
    plans: Vec<PlanStatus>,
    alerts: Vec<Alert>,
}

#[derive(Template)]
#[template(path = "system_monitoring.html")]
struct SystemPage {
    layout: Layout,
    view: MonitoringView,
    name: String,
    charts: Vec<TrendChart>,
    plan_form: FormState,
    run_form: FormState,
    owners: Vec<Opt>,
    windows: Vec<Opt>,
    schedules: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "monitoring_run.html")]
struct RunPage {
    layout: Layout,
    run: Run,
    report: String,
}

/// A metric value for people: at most four decimals, no trailing zeros.
pub fn fmt_value(v: &f64) -> String {
    fmt(*v)
}

/// A limit, or a dash where none is set.
pub fn fmt_limit(v: &Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), fmt)
}

async fn overview(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let plans = state
        .app
        .monitor_overview(shell.actor())
        .await
        .or_page(&shell)?;
    let alerts = state
        .app
        .monitor_alerts(shell.actor(), None, true)
        .await
        .or_page(&shell)?;
    let page = OverviewPage {
        layout: shell.layout("monitoring", "Monitoring"),
        plans,
        alerts,
    };
    Ok(render(StatusCode::OK, &page))
}

fn plan_prefill(plan: Option<&Plan>, me: &str) -> FormState {
    let f = FormState::new(PLAN_FIELDS);
    match plan {
        Some(p) => f
            .set("owner", &p.owner)
            .set("schema", &p.schema)
            .set("rules", rules_to_toml(&p.rules))
            .set("window", p.window.as_str())
            .set("schedule", p.schedule.as_str())
            .set("webhook_url", p.webhook_url.clone().unwrap_or_default()),
        None => f
            .set("owner", me)
            .set("window", Window::Whole.as_str())
            .set("schedule", Schedule::Weekly.as_str()),
    }
}

async fn system_view(
    state: &AppState,
    shell: &Shell,
    key: &str,
    plan_form: Option<FormState>,
    run_form: Option<FormState>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let view = state
        .app
        .monitor_view(shell.actor(), key)
        .await
        .or_page(shell)?;
    let system = state
        .app
        .system_get(shell.actor(), &view.system)
        .await
        .or_page(shell)?;
    let charts = view
        .trends
        .iter()
        .enumerate()
        .map(|(i, (metric, points))| trend_chart(i, metric, points, view.plan.as_ref()))
        .collect();
    let current_owner = view.plan.as_ref().map_or("", |p| p.owner.as_str());
    let owners = owner_options(state, shell, current_owner).await?;
    let page = SystemPage {
        layout: shell.layout(
            "monitoring",
            format!(
                "Monitoring of {} {}",
                view.system, system.system.fields.name
            ),
        ),
        plan_form: plan_form
            .unwrap_or_else(|| plan_prefill(view.plan.as_ref(), &shell.actor().username)),
        run_form: run_form.unwrap_or_else(|| FormState::new(RUN_FIELDS)),
        name: system.system.fields.name,
        charts,
        owners,
        windows: opts(Window::ALL, Window::as_str, Window::label),
        schedules: opts(Schedule::ALL, Schedule::as_str, Schedule::label),
        view,
    };
    Ok(render(status, &page))
}

async fn system_page(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    system_view(&state, &shell, &key, None, None, StatusCode::OK).await
}

async fn set_plan(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let result = match rules_from_toml("rules", form.get("rules").unwrap_or_default()) {
        Ok(rules) => {
            let input = PlanInput {
                schema: form.text("schema"),
                rules: Some(rules),
                window: form.chosen("window"),
                schedule: form.chosen("schedule"),
                owner: form.chosen("owner"),
                webhook_url: Some(form.get("webhook_url").unwrap_or_default().to_string()),
                // A blank secret keeps the one set before.
                webhook_secret: form.text("webhook_secret").filter(|s| !s.trim().is_empty()),
            };
            state
                .app
                .monitor_plan_set(shell.actor(), &key, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/systems/{}/monitoring", p.system)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(PLAN_FIELDS, &form, &e);
            system_view(
                &state,
                &shell,
                &key,
                Some(refused),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn upload(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let up = crate::upload::read_log(form).await;
    let text = match &up {
        Ok(u) => FormData(u.text.clone()),
        Err(_) => FormData(Vec::new()),
    };
    let result = match up {
        Ok(u) => state.app.monitor_run(shell.actor(), &key, &u.log).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => Ok(Redirect::to(&format!("/monitoring/runs/{}", out.run.key)).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(RUN_FIELDS, &text, &e);
            system_view(
                &state,
                &shell,
                &key,
                None,
                Some(refused),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn run_page(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let (run, report) = state
        .app
        .monitor_run_get(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    let report = report
        .map(|r| serde_json::to_string_pretty(&r).unwrap_or_default())
        .unwrap_or_default();
    let page = RunPage {
        layout: shell.layout("monitoring", format!("Run {} of {}", run.key, run.system)),
        run,
        report,
    };
    Ok(render(StatusCode::OK, &page))
}

async fn ack(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let note = form.text("note");
    let a = state
        .app
        .monitor_alert_ack(shell.actor(), &key, note.as_deref())
        .await
        .map_err(|e| shell.fail(e))?;
    let back = match form.get("back") {
        Some("system") => format!("/systems/{}/monitoring#alerts-h", a.system),
        _ => "/monitoring#alerts-h".to_string(),
    };
    Ok(Redirect::to(&back).into_response())
}

/// Whether an alert is still open (for templates).
pub fn is_open(a: &Alert) -> bool {
    a.status == AlertStatus::Open
}
