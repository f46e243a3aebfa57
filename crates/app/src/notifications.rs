//! What is due or overdue for one person: reviews of the risks they own, their actions and
//! corrective actions, their nonconformities, serious-incident reports, approvals and sign-offs
//! their role gives them, and the monitoring runs of their systems.

use aims_core::incident::Incident;
use aims_core::monitoring::Schedule;
use aims_core::nonconformity::Nonconformity;
use aims_core::notification::{self, Area, Notification};
use aims_core::{Action, Role};
use aims_store::notifications as store;
use aims_store::Conn;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::{Actor, App, AppError, Result};

/// Most items of one area in one list.
pub const PER_AREA: i64 = 100;

/// A person's notifications, overdue first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Notifications {
    pub username: String,
    /// The day they were computed for (YYYY-MM-DD).
    pub today: String,
    /// The last day counted as due soon.
    pub horizon: String,
    pub overdue: usize,
    pub items: Vec<Notification>,
}

/// The day a plan's next run is due, counted from `since` (a stored instant).
pub fn monitoring_due(schedule: &str, since: &str) -> Option<NaiveDate> {
    let schedule = Schedule::parse("schedule", schedule).ok()?;
    let day = NaiveDate::parse_from_str(since.get(..10)?, "%Y-%m-%d").ok()?;
    Some(day + Duration::days(schedule.days()))
}

/// Whether the role is given scope approvals and impact sign-offs to do.
fn approves(role: Role) -> bool {
    role.permits(Action::ApproveScope)
}

fn clip(text: &str, max: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= max {
        line.to_owned()
    } else {
        let mut s: String = line.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The serious incidents of `open` whose report is due by `until`, as notifications.
pub(crate) fn incident_reports(
    open: Vec<Incident>,
    today: NaiveDate,
    until: NaiveDate,
) -> Vec<Notification> {
    open.into_iter()
        .filter_map(|i| {
            let c = i.countdown(today)?;
            c.days_left?;
            (c.deadline <= until.to_string()).then(|| {
                Notification::due(
                    Area::IncidentReport,
                    i.key.clone(),
                    i.title.clone(),
                    format!("report to the authority ({})", c.text),
                    c.deadline.clone(),
                    today,
                )
            })
        })
        .collect()
}

/// Gathers the notifications of `username` (with `role`) on one read connection.
pub(crate) async fn gather(
    conn: &mut Conn,
    username: &str,
    role: Role,
    today: NaiveDate,
) -> Result<Vec<Notification>> {
    let until_day = notification::horizon(today);
    let until = until_day.to_string();
    let mut items = Vec::new();
    for r in store::risk_reviews(conn, username, &until, PER_AREA).await? {
        let level = r.note.map(|l| format!(" (level {l})")).unwrap_or_default();
        items.push(Notification::due(
            Area::RiskReview,
            r.key,
            r.title,
            format!("review the risk{level}"),
            r.date,
            today,
        ));
    }
    for a in store::actions(conn, username, &until, PER_AREA).await? {
        let (area, what) = match &a.note {
            Some(nc) => (
                Area::CorrectiveAction,
                format!("carry out the corrective action of {nc}"),
            ),
            None => (Area::Action, "finish the action".to_owned()),
        };
        items.push(Notification::due(area, a.key, a.title, what, a.date, today));
    }
    for n in store::nonconformities(conn, username, &until, PER_AREA).await? {
        let nc: Nonconformity = serde_json::from_str(&n.title)
            .map_err(|e| AppError::Internal(format!("nonconformity {}: {e}", n.key)))?;
        let what = if n.note.as_deref() == Some("verifying") {
            "check the effectiveness of the corrective actions"
        } else {
            "correct the nonconformity and plan its corrective actions"
        };
        items.push(Notification::due(
            Area::Nonconformity,
            n.key,
            clip(&nc.description, 80),
            what.into(),
            n.date,
            today,
        ));
    }
    let owner = (!approves(role)).then_some(username);
    let serious = store::serious_incidents(conn, owner, PER_AREA).await?;
    items.extend(incident_reports(serious, today, until_day));
    if approves(role) {
        if let Some(s) = store::scope_draft(conn).await? {
            let by = s.note.unwrap_or_default();
            items.push(Notification {
                link: notification::link(Area::ScopeApproval, &s.key),
                area: Area::ScopeApproval,
                key: s.key,
                title: clip(&s.title, 80),
                what: format!("approve or revise the scope proposed by {by}"),
                date: s.date,
                overdue: false,
            });
        }
        for d in store::impact_drafts(conn, username, PER_AREA).await? {
            let by = d.note.unwrap_or_default();
            items.push(Notification {
                link: notification::link(Area::ImpactSignOff, &d.key),
                area: Area::ImpactSignOff,
                title: format!("Impact assessment of {}", d.title),
                key: d.key,
                what: format!("sign off the draft by {by} once complete"),
                date: d.date,
                overdue: false,
            });
        }
    }
    for p in store::monitoring(conn, username, PER_AREA).await? {
        let Some(due) = monitoring_due(&p.schedule, &p.since) else {
            continue;
        };
        if due <= today {
            items.push(Notification::due(
                Area::MonitoringRun,
                p.system,
                p.name,
                format!("record the {} monitoring run", p.schedule),
                due.to_string(),
                today,
            ));
        }
    }
    notification::sort(&mut items);
    Ok(items)
}

impl App {
    /// What is due or overdue for the actor.
    pub async fn notifications(&self, actor: &Actor) -> Result<Notifications> {
        self.notifications_of(actor, &actor.username).await
    }

    /// What is due or overdue for `username` (anyone who may read may look).
    pub async fn notifications_of(&self, actor: &Actor, username: &str) -> Result<Notifications> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let (user, _) = aims_store::users::by_username(&mut conn, username)
            .await?
            .ok_or_else(|| AppError::invalid("user", format!("no user named '{username}'")))?;
        let today = crate::actions::today();
        let items = gather(&mut conn, &user.username, user.role, today).await?;
        Ok(Notifications {
            username: user.username,
            today: today.to_string(),
            horizon: notification::horizon(today).to_string(),
            overdue: items.iter().filter(|i| i.overdue).count(),
            items,
        })
    }

    /// How many items are due or overdue for the actor (the header badge), kept until the
    /// ledger moves or the day changes.
    pub async fn notification_count(&self, actor: &Actor) -> Result<usize> {
        let stamp = self.stamp().await?;
        let key = (actor.username.clone(), actor.role);
        let count = self
            .views
            .badges
            .get_or(key, stamp, || async {
                let mut conn = self.read().await?;
                let due = gather(&mut conn, &actor.username, actor.role, stamp.day).await?;
                Ok::<_, AppError>(due.len())
            })
            .await?;
        Ok(*count)
    }
}
