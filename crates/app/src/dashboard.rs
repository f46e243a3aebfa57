//! What the dashboard shows: the inventory by stage and EU class, scope status, recent changes.

use aims_core::inventory::{EuClass, Stage};
use aims_core::ledger::Event;
use aims_core::Action;
use aims_store::incidents::Sort as IncidentSort;
use aims_store::listing::{Order, Page};
use aims_store::nonconformities::Sort as NcSort;
use aims_store::systems::{self, GroupColumn};
use serde::Serialize;

use crate::scope::ScopeStatus;
use crate::{Actor, App, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub word: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub systems_total: i64,
    pub by_stage: Vec<Count>,
    pub by_eu_class: Vec<Count>,
    pub scope: ScopeStatus,
    pub recent: Vec<Event>,
    /// Open incidents (neither resolved nor closed) per severity, 1 (critical) first.
    pub open_incidents: Vec<Count>,
    /// Open serious incidents not yet reported to the authority, nearest deadline first.
    pub serious_due: Vec<aims_core::incident::IncidentView>,
    /// Nonconformities not closed.
    pub open_nonconformities: i64,
    pub monitoring: MonitoringTile,
}

/// Monitoring at a glance: plans, runs overdue by their schedule, open alerts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MonitoringTile {
    pub plans: usize,
    pub overdue: usize,
    pub open_alerts: usize,
}

impl App {
    /// Active systems per lifecycle stage (retired left out) and per EU AI Act class.
    pub async fn inventory_counts(&self, actor: &Actor) -> Result<(Vec<Count>, Vec<Count>)> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let stages = systems::count_by(&mut conn, GroupColumn::Stage).await?;
        let classes = systems::count_by(&mut conn, GroupColumn::EuClass).await?;
        drop(conn);
        let find = |rows: &[(String, i64)], w: &str| {
            rows.iter().find(|(g, _)| g == w).map_or(0, |(_, c)| *c)
        };
        let by_stage = Stage::ALL
            .iter()
            .filter(|s| **s != Stage::Retired)
            .map(|s| Count {
                word: s.as_str().into(),
                label: s.label().into(),
                count: find(&stages, s.as_str()),
            })
            .collect();
        let by_eu_class = EuClass::ALL
            .iter()
            .map(|c| Count {
                word: c.as_str().into(),
                label: c.label().into(),
                count: find(&classes, c.as_str()),
            })
            .collect();
        Ok((by_stage, by_eu_class))
    }

    pub async fn dashboard(&self, actor: &Actor) -> Result<Dashboard> {
        actor.require(Action::Read)?;
        let (by_stage, by_eu_class) = self.inventory_counts(actor).await?;
        let open = aims_store::incidents::list(
            &mut *self.read().await?,
            &aims_store::incidents::Filter {
                open: true,
                ..Default::default()
            },
            Order::desc(IncidentSort::Key),
            None,
        )
        .await?
        .0;
        let open_incidents = aims_core::incident::SEVERITIES
            .iter()
            .map(|(n, label, _)| Count {
                word: n.to_string(),
                label: format!("{n} {label}"),
                count: open.iter().filter(|i| i.severity == *n).count() as i64,
            })
            .collect();
        let today = crate::actions::today();
        let mut serious_due: Vec<_> = open
            .into_iter()
            .map(|i| i.view(today))
            .filter(|v| v.countdown.as_ref().is_some_and(|c| c.days_left.is_some()))
            .collect();
        serious_due.sort_by_key(|v| v.countdown.as_ref().and_then(|c| c.days_left));
        let open_nonconformities = aims_store::nonconformities::list(
            &mut *self.read().await?,
            &aims_store::nonconformities::Filter {
                open: true,
                ..Default::default()
            },
            Order::desc(NcSort::Key),
            Some(Page {
                page: 1,
                per_page: 1,
            }),
        )
        .await?
        .1;
        Ok(Dashboard {
            open_incidents,
            serious_due,
            open_nonconformities,
            systems_total: by_stage.iter().map(|c| c.count).sum(),
            by_stage,
            by_eu_class,
            scope: self.scope_status(actor).await?,
            recent: self.ledger_log(actor, None, None, Some(10)).await?,
            monitoring: {
                let plans = self.monitor_overview(actor).await?;
                MonitoringTile {
                    plans: plans.len(),
                    overdue: plans.iter().filter(|p| p.overdue).count(),
                    open_alerts: plans.iter().map(|p| p.open_alerts).sum(),
                }
            },
        })
    }
}
