//! The dashboard: the inventory in two bar charts, the scope's approval status and recent changes.

use aims_app::dashboard::{Count, Dashboard};
use aims_core::scope::ScopeVersion;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::layout::{ok, query_string, Layout, OrPage, PageError, Shell};
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
    fn of(
        id: &'static str,
        title: &'static str,
        column: &'static str,
        param: &str,
        counts: &[Count],
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
                href: format!("/systems{}", query_string(&[(param, c.word.clone())])),
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
            description: format!("Active systems: {}.", parts.join(", ")),
            width: WIDTH,
            height: ROW * u32::try_from(bars.len()).unwrap_or(0) + 4,
            label_width: LABEL,
            bars,
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    d: Dashboard,
    draft: Option<ScopeVersion>,
    charts: Vec<Chart>,
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let d = state.app.dashboard(shell.actor()).await.or_page(&shell)?;
    let draft = d.scope.latest.clone().filter(|v| !v.is_approved());
    let page = DashboardPage {
        layout: shell.layout("dashboard", "Dashboard"),
        charts: vec![
            Chart::of(
                "by-stage",
                "By lifecycle stage",
                "Stage",
                "stage",
                &d.by_stage,
            ),
            Chart::of(
                "by-class",
                "By EU AI Act class",
                "EU AI Act class",
                "eu_class",
                &d.by_eu_class,
            ),
        ],
        draft,
        d,
    };
    Ok(ok(&page))
}
