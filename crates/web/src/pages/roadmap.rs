//! The roadmap page: progress, overdue actions, and a timeline drawn as an SVG Gantt chart on
//! the server (one bar per action from start to due, coloured by status, dependency arrows, a
//! line for today), with the action keys linking to their pages.

use aims_app::roadmap::Roadmap;
use aims_core::action::{ActionStatus, RoadmapAction};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate};

use super::layout::{ok, Layout, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/roadmap", get(show))
}

/// Width of the label column, of the time axis, height of a row and of the axis header.
const LABEL: i64 = 260;
const AXIS: i64 = 640;
const ROW: i64 = 28;
const HEAD: i64 = 34;

/// One bar of the chart.
pub struct Bar {
    pub key: String,
    pub label: String,
    pub y: i64,
    pub x: i64,
    pub width: i64,
    pub fill: &'static str,
    pub overdue: bool,
    /// What the bar says, for its tooltip and screen readers.
    pub text: String,
}

/// A tick of the time axis (the first day of a month).
pub struct Tick {
    pub x: i64,
    pub label: String,
}

/// The timeline as the template draws it.
pub struct Gantt {
    pub width: i64,
    pub height: i64,
    pub bars: Vec<Bar>,
    /// SVG path data of each dependency arrow.
    pub arrows: Vec<String>,
    pub ticks: Vec<Tick>,
    pub today_x: i64,
    pub description: String,
}

/// The fill of a bar: a colour per status, each readable against white.
pub fn fill(status: ActionStatus) -> &'static str {
    match status {
        ActionStatus::Planned => "#57606a",
        ActionStatus::InProgress => "#0a58a8",
        ActionStatus::Done => "#1a6b35",
        ActionStatus::Cancelled => "#b8bec6",
    }
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

impl Gantt {
    pub fn of(actions: &[RoadmapAction], today: NaiveDate) -> Gantt {
        let starts = actions.iter().filter_map(|a| day(&a.fields.start_date));
        let dues = actions.iter().filter_map(|a| day(&a.fields.due_date));
        let first = starts.chain([today]).min().unwrap_or(today);
        let last = dues.chain([today]).max().unwrap_or(today);
        // Whole months either side, so that the first and last bars do not touch the edges.
        let from = first.with_day(1).unwrap_or(first);
        let to = last
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.with_day(1))
            .unwrap_or(last);
        let days = (to - from).num_days().max(1);
        let x = |d: NaiveDate| LABEL + (d - from).num_days() * AXIS / days;
        let mut ticks = Vec::new();
        let mut m = from;
        while m <= to {
            ticks.push(Tick {
                x: x(m),
                label: m.format("%b %Y").to_string(),
            });
            match m.checked_add_months(chrono::Months::new(1)) {
                Some(next) => m = next,
                None => break,
            }
        }
        // Thin the labels out on long roadmaps: at most about eight.
        let step = ticks.len().div_ceil(8).max(1);
        let last_tick = ticks.len().saturating_sub(1);
        for (i, t) in ticks.iter_mut().enumerate() {
            if i % step != 0 || i == last_tick {
                t.label.clear();
            }
        }
        let bars: Vec<Bar> = actions
            .iter()
            .zip(0i64..)
            .map(|(a, i)| {
                let f = &a.fields;
                let s = day(&f.start_date).unwrap_or(from);
                let d = day(&f.due_date).unwrap_or(s);
                let x0 = x(s);
                let x1 = x(d.succ_opt().unwrap_or(d));
                let overdue = a.is_overdue(today);
                Bar {
                    key: a.key.clone(),
                    label: clip(&f.title, 28),
                    y: HEAD + i * ROW,
                    x: x0,
                    width: (x1 - x0).max(3),
                    fill: fill(f.status),
                    overdue,
                    text: format!(
                        "{} {}: {} to {}, {}{}, {} person-days",
                        a.key,
                        f.title,
                        f.start_date,
                        f.due_date,
                        f.status.label().to_lowercase(),
                        if overdue { ", overdue" } else { "" },
                        f.effort
                    ),
                }
            })
            .collect();
        let mut arrows = Vec::new();
        for (a, bar) in actions.iter().zip(&bars) {
            for dep in &a.fields.depends_on {
                if let Some(from_bar) = bars.iter().find(|b| &b.key == dep) {
                    let (x1, y1) = (from_bar.x + from_bar.width, from_bar.y + ROW / 2 - 2);
                    let (x2, y2) = (bar.x, bar.y + ROW / 2 - 2);
                    let elbow = x1 + 6;
                    if x2 >= elbow + 6 {
                        arrows.push(format!("M{x1} {y1} H{elbow} V{y2} H{}", x2 - 1));
                    } else {
                        // The action starts before its dependency ends: run between the rows
                        // and come in from the left of the bar's start.
                        let between = bar.y + 2;
                        let left = x2 - 8;
                        arrows.push(format!(
                            "M{x1} {y1} H{elbow} V{between} H{left} V{y2} H{}",
                            x2 - 1
                        ));
                    }
                }
            }
        }
        let height = HEAD + ROW * bars.len() as i64 + 8;
        let description = format!(
            "Timeline of {} actions from {} to {}; today is {}. {}",
            bars.len(),
            first,
            last,
            today,
            bars.iter()
                .map(|b| b.text.clone())
                .collect::<Vec<_>>()
                .join(". ")
        );
        Gantt {
            width: LABEL + AXIS + 16,
            height,
            bars,
            arrows,
            ticks,
            today_x: x(today),
            description,
        }
    }
}

/// The legend: status label and colour.
pub struct Legend {
    pub label: &'static str,
    pub fill: &'static str,
}

#[derive(Template)]
#[template(path = "roadmap.html")]
struct RoadmapPage {
    layout: Layout,
    roadmap: Roadmap,
    overdue: Vec<RoadmapAction>,
    gantt: Gantt,
    legend: Vec<Legend>,
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let roadmap = state.app.roadmap(shell.actor()).await.or_page(&shell)?;
    let today = day(&roadmap.today).unwrap_or_else(aims_app::actions::today);
    let gantt = Gantt::of(&roadmap.actions, today);
    let overdue = roadmap
        .actions
        .iter()
        .filter(|a| roadmap.is_overdue(&a.key))
        .cloned()
        .collect();
    let legend = ActionStatus::ALL
        .iter()
        .map(|s| Legend {
            label: s.label(),
            fill: fill(*s),
        })
        .collect();
    let page = RoadmapPage {
        layout: shell.layout("roadmap", "Roadmap"),
        roadmap,
        overdue,
        gantt,
        legend,
    };
    Ok(ok(&page))
}
