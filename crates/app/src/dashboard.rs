//! What the dashboard shows: the inventory by stage and EU class, scope status, recent changes.

use aims_core::inventory::{EuClass, Stage};
use aims_core::ledger::Event;
use aims_core::Action;
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
    pub monitoring: MonitoringTile,
}

/// Monitoring at a glance: plans, runs overdue by their schedule, open alerts.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MonitoringTile {
    pub plans: usize,
    pub overdue: usize,
    pub open_alerts: usize,
}

impl App {
    pub async fn dashboard(&self, actor: &Actor) -> Result<Dashboard> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let stages = systems::count_by(&mut conn, GroupColumn::Stage).await?;
        let classes = systems::count_by(&mut conn, GroupColumn::EuClass).await?;
        drop(conn);
        let find = |rows: &[(String, i64)], w: &str| {
            rows.iter().find(|(g, _)| g == w).map_or(0, |(_, c)| *c)
        };
        let by_stage: Vec<Count> = Stage::ALL
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
        Ok(Dashboard {
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
