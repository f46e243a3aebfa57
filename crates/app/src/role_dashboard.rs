//! One dashboard per role: the governance lead's overview (readiness, overdue items, top risks,
//! incidents, reviews), the risk owner's own risks and actions, the auditor's evidence and
//! findings, the contributor's systems with their monitoring, and a one-page summary for viewers.
//! Every figure is a bounded index query, so the page stays fast on a large register.

use aims_core::monitoring::Schedule;
use aims_core::notification::{self, Notification};
use aims_core::{Action, Role};
use aims_store::dashboards::{self as store, OwnedSystem, Table, TopRisk};
use chrono::Duration;
use serde::Serialize;

use crate::dashboard::Count;
use crate::risk_views::HeatMap;
use crate::{Actor, App, AppError, Result};

aims_core::vocabulary!(
    /// The dashboards: one per kind of work.
    View {
        Governance => ("governance", "Governance lead"),
        RiskOwner => ("risk_owner", "Risk owner"),
        Auditor => ("auditor", "Auditor"),
        Contributor => ("contributor", "Contributor"),
        Summary => ("summary", "Summary"),
    }
);

/// Rows of the short lists.
const TOP: i64 = 10;
/// Rows of a person's own lists.
const MINE: i64 = 25;

/// Who sees what: the view a role starts on, and the views it may switch to with `?as=`.
impl View {
    pub fn of(role: Role) -> View {
        match role {
            Role::Admin | Role::GovernanceLead => View::Governance,
            Role::RiskOwner => View::RiskOwner,
            Role::Auditor => View::Auditor,
            Role::Contributor => View::Contributor,
            Role::Viewer => View::Summary,
        }
    }

    /// Admins and governance leads may look through every view; auditors also through the
    /// governance view (they read everything); everyone through their own and the summary.
    pub fn allowed(role: Role, view: View) -> bool {
        view == View::of(role)
            || view == View::Summary
            || matches!(role, Role::Admin | Role::GovernanceLead)
            || (role == Role::Auditor && view == View::Governance)
    }
}

/// How far the implementation journey has come.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub steps_done: i64,
    pub steps: i64,
    /// Whole percent of steps done.
    pub percent: i64,
    #[schema(value_type = Vec<Object>)]
    pub journey: Vec<aims_core::journey::Step>,
}

/// A risk in a short list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskLine {
    pub key: String,
    pub title: String,
    pub owner: String,
    pub level: Option<String>,
    /// Likelihood times impact (residual where estimated).
    pub score: Option<i64>,
    pub next_review: Option<String>,
    pub review_overdue: bool,
}

impl RiskLine {
    fn of(r: TopRisk, today: &str) -> RiskLine {
        RiskLine {
            review_overdue: r.next_review.as_deref().is_some_and(|d| d < today),
            key: r.key,
            title: r.title,
            owner: r.owner,
            level: r.level,
            score: r.score,
            next_review: r.next_review,
        }
    }
}

/// Overdue items of everyone, per area.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueByArea {
    pub area: String,
    pub label: String,
    pub count: i64,
    pub href: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GovernanceView {
    pub readiness: Readiness,
    pub overdue: Vec<OverdueByArea>,
    pub top_risks: Vec<RiskLine>,
    #[schema(value_type = Object)]
    pub heatmap: HeatMap,
    #[schema(value_type = Vec<Object>)]
    pub open_incidents: Vec<Count>,
    /// Serious incidents whose report to the authority is due within the horizon, or overdue.
    pub incident_reports: Vec<Notification>,
    pub upcoming_reviews: Vec<RiskLine>,
    /// Approvals and sign-offs waiting (scope draft, impact assessment drafts).
    pub approvals: Vec<Notification>,
    pub open_nonconformities: i64,
    #[schema(value_type = Object)]
    pub monitoring: crate::dashboard::MonitoringTile,
    #[schema(value_type = Vec<Object>)]
    pub by_stage: Vec<Count>,
    #[schema(value_type = Vec<Object>)]
    pub by_eu_class: Vec<Count>,
    /// Active systems (retired left out).
    pub systems_total: i64,
    #[schema(value_type = Object)]
    pub scope: crate::scope::ScopeStatus,
    #[schema(value_type = Vec<Object>)]
    pub recent: Vec<aims_core::ledger::Event>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskOwnerView {
    pub risks_total: i64,
    pub risks: Vec<RiskLine>,
    /// Open actions and corrective actions, earliest due first.
    pub actions: Vec<Notification>,
    /// Risk reviews due within the horizon or overdue.
    pub reviews_due: Vec<Notification>,
}

/// A nonconformity raised by an audit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Finding {
    pub key: String,
    pub source: String,
    pub status: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditorView {
    /// The head of the ledger: an auditor keeps it and checks it later with `ledger verify`.
    #[schema(value_type = Object)]
    pub checkpoint: aims_core::ledger::Checkpoint,
    #[schema(value_type = Vec<Object>)]
    pub recent: Vec<aims_core::ledger::Event>,
    pub findings: Vec<Finding>,
    #[schema(value_type = Vec<Object>)]
    pub nonconformities: Vec<Count>,
    #[schema(value_type = Vec<Object>)]
    pub incidents: Vec<Count>,
    /// Monitoring plans and AI systems: what the evidence covers.
    pub systems: i64,
    pub monitored: i64,
    pub controls: i64,
}

/// An AI system someone owns and where its monitoring stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SystemLine {
    pub key: String,
    pub name: String,
    pub stage: String,
    /// daily, weekly or monthly; none when the system has no monitoring plan.
    pub schedule: Option<String>,
    pub last_run: Option<String>,
    pub last_outcome: Option<String>,
    pub next_due: Option<String>,
    pub overdue: bool,
    pub open_alerts: i64,
    /// Open incidents opened by threshold breaches.
    pub open_breaches: i64,
}

impl SystemLine {
    fn of(s: OwnedSystem, today: chrono::NaiveDate) -> SystemLine {
        let next = match (&s.schedule, &s.since) {
            (Some(sch), Some(since)) => crate::notifications::monitoring_due(sch, since),
            _ => None,
        };
        SystemLine {
            overdue: next.is_some_and(|d| d < today),
            next_due: next.map(|d| d.to_string()),
            key: s.key,
            name: s.name,
            stage: s.stage,
            schedule: s.schedule,
            last_run: s.last_run,
            last_outcome: s.last_outcome,
            open_alerts: s.open_alerts,
            open_breaches: s.open_breaches,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ContributorView {
    pub systems_total: i64,
    pub systems: Vec<SystemLine>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SummaryView {
    pub readiness: Readiness,
    /// Records per area: active systems, open risks, controls, open incidents, open
    /// nonconformities, open actions.
    #[schema(value_type = Vec<Object>)]
    pub areas: Vec<Count>,
    #[schema(value_type = Vec<Object>)]
    pub open_incidents: Vec<Count>,
}

/// The dashboard of one view; exactly one of the sections is set.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleDashboard {
    #[schema(value_type = String)]
    pub view: View,
    /// The views the actor may switch to.
    #[schema(value_type = Vec<String>)]
    pub views: Vec<View>,
    pub username: String,
    pub today: String,
    /// The actor's own notifications: how many, how many overdue.
    pub due: usize,
    pub overdue: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub governance: Option<GovernanceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk_owner: Option<RiskOwnerView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auditor: Option<AuditorView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contributor: Option<ContributorView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<SummaryView>,
}

fn sum_open(rows: &[(String, i64)], closed: &[&str]) -> i64 {
    rows.iter()
        .filter(|(s, _)| !closed.contains(&s.as_str()))
        .map(|(_, c)| *c)
        .sum()
}

fn status_counts(rows: &[(String, i64)], words: &[(&'static str, &'static str)]) -> Vec<Count> {
    words
        .iter()
        .map(|(w, l)| Count {
            word: (*w).into(),
            label: (*l).into(),
            count: rows.iter().find(|(s, _)| s == w).map_or(0, |(_, c)| *c),
        })
        .collect()
}

fn severities(rows: &[(i64, i64)]) -> Vec<Count> {
    aims_core::incident::SEVERITIES
        .iter()
        .map(|(n, label, _)| Count {
            word: n.to_string(),
            label: format!("{n} {label}"),
            count: rows.iter().find(|(s, _)| s == n).map_or(0, |(_, c)| *c),
        })
        .collect()
}

impl App {
    /// The dashboard of the actor's role, or of `view` when the role may look through it.
    pub async fn role_dashboard(&self, actor: &Actor, view: Option<&str>) -> Result<RoleDashboard> {
        actor.require(Action::Read)?;
        let view = match view.map(str::trim).filter(|v| !v.is_empty()) {
            None => View::of(actor.role),
            Some(v) => {
                let v = View::parse("as", v)?;
                if !View::allowed(actor.role, v) {
                    return Err(AppError::invalid(
                        "as",
                        format!(
                            "the {} role cannot switch to the {} dashboard",
                            actor.role.label(),
                            v.label()
                        ),
                    ));
                }
                v
            }
        };
        let stamp = self.stamp().await?;
        let key = (actor.username.clone(), actor.role, view);
        let kept = self
            .views
            .dashboards
            .get_or(key, stamp, || {
                self.compute_dashboard(actor, view, stamp.day)
            })
            .await?;
        Ok(RoleDashboard::clone(&kept))
    }

    /// The dashboard `view` as `actor` sees it on `today`.
    async fn compute_dashboard(
        &self,
        actor: &Actor,
        view: View,
        today: chrono::NaiveDate,
    ) -> Result<RoleDashboard> {
        let mut conn = self.read().await?;
        let mine =
            crate::notifications::gather(&mut conn, &actor.username, actor.role, today).await?;
        drop(conn);
        let mut d = RoleDashboard {
            view,
            views: View::ALL
                .iter()
                .copied()
                .filter(|v| View::allowed(actor.role, *v))
                .collect(),
            username: actor.username.clone(),
            today: today.to_string(),
            due: mine.len(),
            overdue: mine.iter().filter(|n| n.overdue).count(),
            governance: None,
            risk_owner: None,
            auditor: None,
            contributor: None,
            summary: None,
        };
        match view {
            View::Governance => d.governance = Some(self.governance_view(actor, today).await?),
            View::RiskOwner => d.risk_owner = Some(self.owner_view(actor, mine, today).await?),
            View::Auditor => d.auditor = Some(self.auditor_view(actor).await?),
            View::Contributor => d.contributor = Some(self.contributor_view(actor, today).await?),
            View::Summary => d.summary = Some(self.summary_view(actor).await?),
        }
        Ok(d)
    }

    async fn readiness(&self, actor: &Actor) -> Result<Readiness> {
        let j = self.journey(actor).await?;
        let steps = j.steps.len() as i64;
        Ok(Readiness {
            steps_done: j.done,
            steps,
            percent: if steps == 0 { 0 } else { j.done * 100 / steps },
            journey: j.steps,
        })
    }

    async fn governance_view(
        &self,
        actor: &Actor,
        today: chrono::NaiveDate,
    ) -> Result<GovernanceView> {
        let day = today.to_string();
        let mut conn = self.read().await?;
        let o = store::overdue(&mut conn, &day).await?;
        let cutoffs: Vec<(&str, String)> = Schedule::ALL
            .iter()
            .map(|s| (s.as_str(), (today - Duration::days(s.days())).to_string()))
            .collect();
        let monitoring = store::monitoring_overdue(&mut conn, &cutoffs).await?;
        let serious = aims_store::notifications::serious_incidents(
            &mut conn,
            None,
            crate::notifications::PER_AREA,
        )
        .await?;
        let incident_reports =
            crate::notifications::incident_reports(serious, today, notification::horizon(today));
        let overdue_reports = incident_reports.iter().filter(|n| n.overdue).count() as i64;
        let area = |area: &str, label: &str, count: i64, href: &str| OverdueByArea {
            area: area.into(),
            label: label.into(),
            count,
            href: href.into(),
        };
        let overdue = vec![
            area(
                "risk_review",
                "Risk reviews",
                o.risk_reviews,
                "/risks?overdue=true",
            ),
            area("action", "Actions", o.actions, "/roadmap"),
            area(
                "nonconformity",
                "Nonconformities",
                o.nonconformities,
                "/nonconformities?open=true",
            ),
            area(
                "incident_report",
                "Serious-incident reports",
                overdue_reports,
                "/incidents?serious=true",
            ),
            area(
                "monitoring_run",
                "Monitoring runs",
                monitoring,
                "/monitoring",
            ),
        ];
        let top_risks = store::top_risks(&mut conn, TOP)
            .await?
            .into_iter()
            .map(|r| RiskLine::of(r, &day))
            .collect();
        let upcoming_reviews = store::upcoming_reviews(&mut conn, &day, TOP)
            .await?
            .into_iter()
            .map(|r| RiskLine::of(r, &day))
            .collect();
        let open_incidents = severities(&store::open_incidents_by_severity(&mut conn).await?);
        let ncs = store::by_status(&mut conn, Table::Nonconformities).await?;
        let monitoring_tile = crate::dashboard::MonitoringTile {
            plans: store::totals(&mut conn).await?.monitored as usize,
            overdue: monitoring as usize,
            open_alerts: store::open_alerts(&mut conn).await? as usize,
        };
        let mut approvals = Vec::new();
        if let Some(s) = aims_store::notifications::scope_draft(&mut conn).await? {
            approvals.push(Notification {
                link: notification::link(notification::Area::ScopeApproval, &s.key),
                area: notification::Area::ScopeApproval,
                key: s.key,
                title: s.title.lines().next().unwrap_or_default().to_owned(),
                what: format!(
                    "approve the scope proposed by {}",
                    s.note.unwrap_or_default()
                ),
                date: s.date,
                overdue: false,
            });
        }
        for a in aims_store::notifications::impact_drafts(&mut conn, "", TOP).await? {
            approvals.push(Notification {
                link: notification::link(notification::Area::ImpactSignOff, &a.key),
                area: notification::Area::ImpactSignOff,
                key: a.key,
                title: format!("Impact assessment of {}", a.title),
                what: format!("sign off the draft by {}", a.note.unwrap_or_default()),
                date: a.date,
                overdue: false,
            });
        }
        drop(conn);
        let inventory = self.inventory_counts(actor).await?;
        Ok(GovernanceView {
            readiness: self.readiness(actor).await?,
            overdue,
            top_risks,
            heatmap: self
                .risk_heatmap(actor, aims_store::risks::Basis::Residual)
                .await?,
            open_incidents,
            incident_reports,
            upcoming_reviews,
            approvals,
            open_nonconformities: sum_open(&ncs, &["closed"]),
            monitoring: monitoring_tile,
            systems_total: inventory.0.iter().map(|c| c.count).sum(),
            by_stage: inventory.0,
            by_eu_class: inventory.1,
            scope: self.scope_status(actor).await?,
            recent: self.ledger_log(actor, None, None, Some(TOP)).await?,
        })
    }

    async fn owner_view(
        &self,
        actor: &Actor,
        mine: Vec<Notification>,
        today: chrono::NaiveDate,
    ) -> Result<RiskOwnerView> {
        let day = today.to_string();
        let mut conn = self.read().await?;
        let (risks, risks_total) = store::owned_risks(&mut conn, &actor.username, MINE).await?;
        let actions =
            aims_store::notifications::actions(&mut conn, &actor.username, "9999-12-31", MINE)
                .await?
                .into_iter()
                .map(|a| {
                    let (area, what) = match &a.note {
                        Some(nc) => (
                            notification::Area::CorrectiveAction,
                            format!("corrective action of {nc}"),
                        ),
                        None => (notification::Area::Action, "roadmap action".to_owned()),
                    };
                    Notification::due(area, a.key, a.title, what, a.date, today)
                })
                .collect();
        Ok(RiskOwnerView {
            risks_total,
            risks: risks.into_iter().map(|r| RiskLine::of(r, &day)).collect(),
            actions,
            reviews_due: mine
                .into_iter()
                .filter(|n| n.area == notification::Area::RiskReview)
                .collect(),
        })
    }

    async fn auditor_view(&self, actor: &Actor) -> Result<AuditorView> {
        let mut conn = self.read().await?;
        let findings = store::audit_findings(&mut conn, TOP)
            .await?
            .into_iter()
            .map(|(key, status, content)| {
                let nc: aims_core::nonconformity::Nonconformity = serde_json::from_str(&content)
                    .map_err(|e| AppError::Internal(format!("nonconformity {key}: {e}")))?;
                Ok(Finding {
                    key,
                    source: nc.source.label().into(),
                    status,
                    description: nc.description.lines().next().unwrap_or_default().to_owned(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let ncs = store::by_status(&mut conn, Table::Nonconformities).await?;
        let incidents = store::by_status(&mut conn, Table::Incidents).await?;
        let totals = store::totals(&mut conn).await?;
        drop(conn);
        let nc_words: Vec<(&str, &str)> = aims_core::nonconformity::NcStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect();
        let inc_words: Vec<(&str, &str)> = aims_core::incident::IncidentStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect();
        Ok(AuditorView {
            checkpoint: self.ledger_checkpoint(actor).await?,
            recent: self.ledger_log(actor, None, None, Some(TOP)).await?,
            findings,
            nonconformities: status_counts(&ncs, &nc_words),
            incidents: status_counts(&incidents, &inc_words),
            systems: totals.systems,
            monitored: totals.monitored,
            controls: totals.controls,
        })
    }

    async fn contributor_view(
        &self,
        actor: &Actor,
        today: chrono::NaiveDate,
    ) -> Result<ContributorView> {
        let (systems, systems_total) =
            store::owned_systems(&mut *self.read().await?, &actor.username, MINE).await?;
        Ok(ContributorView {
            systems_total,
            systems: systems
                .into_iter()
                .map(|s| SystemLine::of(s, today))
                .collect(),
        })
    }

    async fn summary_view(&self, actor: &Actor) -> Result<SummaryView> {
        let mut conn = self.read().await?;
        let totals = store::totals(&mut conn).await?;
        let risks = store::by_status(&mut conn, Table::Risks).await?;
        let incidents = store::by_status(&mut conn, Table::Incidents).await?;
        let ncs = store::by_status(&mut conn, Table::Nonconformities).await?;
        let actions = store::by_status(&mut conn, Table::Actions).await?;
        let open_incidents = severities(&store::open_incidents_by_severity(&mut conn).await?);
        drop(conn);
        let count = |word: &str, label: &str, count: i64| Count {
            word: word.into(),
            label: label.into(),
            count,
        };
        Ok(SummaryView {
            readiness: self.readiness(actor).await?,
            areas: vec![
                count("systems", "Active AI systems", totals.systems),
                count("risks", "Open risks", sum_open(&risks, &["closed"])),
                count("controls", "Controls", totals.controls),
                count(
                    "incidents",
                    "Open incidents",
                    sum_open(&incidents, &["resolved", "closed"]),
                ),
                count(
                    "nonconformities",
                    "Open nonconformities",
                    sum_open(&ncs, &["closed"]),
                ),
                count(
                    "actions",
                    "Open actions",
                    sum_open(&actions, &["done", "cancelled"]),
                ),
            ],
            open_incidents,
        })
    }
}
