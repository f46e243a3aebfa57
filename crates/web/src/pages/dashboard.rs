//! The dashboard of the signed-in role (`?as=` switches to another the role may see): the
//! governance lead's overview with the inventory charts, the residual heat map and readiness;
//! the risk owner's risks and actions; the auditor's evidence and findings; the contributor's
//! systems and their monitoring; the viewer's one-page summary. Charts are SVG drawn here.

use aims_app::dashboard::Count;
use aims_app::role_dashboard::RoleDashboard;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::layout::{ok, query_string, Layout, OrPage, PageError, Shell};
use super::risks::{heat_svg, HeatSvg};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(show))
}

/// A horizontal bar chart drawn as SVG on the server.
pub struct Chart {
    pub id: &'static str,
    pub title: &'static str,
    pub column: &'static str,
    /// What the bars count (the table's column head).
    pub unit: &'static str,
    pub description: String,
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bars: Vec<Bar>,
}

pub struct Bar {
    pub label: String,
    pub count: i64,
    pub y: u32,
    pub width: u32,
    pub href: String,
}

const ROW: u32 = 26;
const WIDTH: u32 = 380;
const LABEL: u32 = 165;
const BAR_MAX: u32 = 175;

impl Chart {
    /// Bars of active systems, each linking to the inventory filtered by `param`.
    fn of(
        id: &'static str,
        title: &'static str,
        column: &'static str,
        param: &str,
        counts: &[Count],
    ) -> Chart {
        Chart::linked(id, title, column, "Systems", counts, |c| {
            format!("/systems{}", query_string(&[(param, c.word.clone())]))
        })
    }

    /// Bars of `counts`, each linking where `href` says.
    fn linked(
        id: &'static str,
        title: &'static str,
        column: &'static str,
        unit: &'static str,
        counts: &[Count],
        href: impl Fn(&Count) -> String,
    ) -> Chart {
        let max = counts.iter().map(|c| c.count).max().unwrap_or(0).max(1);
        let bars = counts
            .iter()
            .zip(0u32..)
            .map(|(c, i)| Bar {
                label: c.label.clone(),
                count: c.count,
                y: i * ROW,
                width: u32::try_from(c.count.max(0) * i64::from(BAR_MAX) / max).unwrap_or(0),
                href: href(c),
            })
            .collect::<Vec<_>>();
        let parts: Vec<String> = counts
            .iter()
            .map(|c| format!("{} {}", c.label, c.count))
            .collect();
        Chart {
            id,
            title,
            column,
            unit,
            description: if unit == "Systems" {
                format!("Active systems: {}.", parts.join(", "))
            } else {
                format!("{unit}: {}.", parts.join(", "))
            },
            width: WIDTH,
            height: ROW * u32::try_from(bars.len()).unwrap_or(0) + 4,
            label_width: LABEL,
            bars,
        }
    }
}

/// How far the journey has come, as one bar of eight segments.
pub struct ReadinessBar {
    pub description: String,
    /// `(x, class)` of each step: `done` or `todo`.
    pub segments: Vec<(u32, &'static str)>,
    pub width: u32,
    pub segment: u32,
}

impl ReadinessBar {
    fn of(r: &aims_app::role_dashboard::Readiness) -> ReadinessBar {
        let segment = 44;
        ReadinessBar {
            description: format!(
                "{} of {} journey steps done ({}%).",
                r.steps_done, r.steps, r.percent
            ),
            segments: r
                .journey
                .iter()
                .zip(0u32..)
                .map(|(s, i)| {
                    let done = s.status == aims_core::journey::StepStatus::Done;
                    (i * segment, if done { "done" } else { "todo" })
                })
                .collect(),
            width: segment * u32::try_from(r.journey.len()).unwrap_or(0),
            segment,
        }
    }
}

/// One link of the view switcher.
pub struct ViewLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
struct DashboardQuery {
    #[serde(rename = "as")]
    view: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    d: RoleDashboard,
    views: Vec<ViewLink>,
    charts: Vec<Chart>,
    heat: Option<HeatSvg>,
    readiness: Option<ReadinessBar>,
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let d = state
        .app
        .role_dashboard(shell.actor(), q.view.as_deref())
        .await
        .or_page(&shell)?;
    let views = d
        .views
        .iter()
        .map(|v| ViewLink {
            href: format!("/?as={}", v.as_str()),
            label: v.label(),
            current: *v == d.view,
        })
        .collect();
    let mut charts = Vec::new();
    let mut heat = None;
    let mut readiness = None;
    if let Some(g) = &d.governance {
        charts.push(Chart::of(
            "by-stage",
            "By lifecycle stage",
            "Stage",
            "stage",
            &g.by_stage,
        ));
        charts.push(Chart::of(
            "by-class",
            "By EU AI Act class",
            "EU AI Act class",
            "eu_class",
            &g.by_eu_class,
        ));
        heat = Some(heat_svg(
            &g.heatmap,
            "heat-residual",
            "Open risks by residual score",
        ));
        readiness = Some(ReadinessBar::of(&g.readiness));
    }
    if let Some(s) = &d.summary {
        charts.push(Chart::linked(
            "areas",
            "Records by area",
            "Area",
            "Records",
            &s.areas,
            |c| area_href(&c.word),
        ));
        readiness = Some(ReadinessBar::of(&s.readiness));
    }
    let page = DashboardPage {
        layout: shell.layout("dashboard", format!("Dashboard: {}", d.view.label())),
        views,
        charts,
        heat,
        readiness,
        d,
    };
    Ok(ok(&page))
}

/// The page of an area of the summary.
fn area_href(word: &str) -> String {
    match word {
        "systems" => "/systems",
        "risks" => "/risks",
        "controls" => "/controls",
        "incidents" => "/incidents",
        "nonconformities" => "/nonconformities",
        _ => "/roadmap",
    }
    .to_owned()
}
