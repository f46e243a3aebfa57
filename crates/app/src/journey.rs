//! The implementation journey: the eight steps with statuses derived from the records.

use aims_core::action::ActionStatus;
use aims_core::coverage::Implementation;
use aims_core::journey::{derive, BriefingKind, JourneyFacts, Step};
use aims_core::Action;
use aims_store::Conn;
use serde::{Deserialize, Serialize};

use crate::{Actor, App, Result};

/// The journey: its steps in order and the facts they were derived from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Journey {
    pub steps: Vec<Step>,
    /// How many steps are done.
    pub done: i64,
}

/// Gathers what the steps are derived from, on one connection.
async fn facts(conn: &mut Conn) -> Result<JourneyFacts> {
    let mut f = JourneyFacts {
        maturity_assessments: aims_store::maturity::list(conn).await?.len() as i64,
        ..Default::default()
    };
    let scope = aims_store::scope::history(conn).await?;
    f.scope_versions = scope.len() as i64;
    f.scope_approved = scope.iter().any(|v| v.is_approved());
    // Existing management systems: the imported ISO/IEC 27001 and ISO 9001 implementations.
    for e in aims_store::integrations::all(conn, |_, _| 0).await? {
        f.existing_recorded += e.items.len() as i64;
        f.existing_implemented += e
            .items
            .iter()
            .filter(|i| {
                matches!(
                    i.status,
                    Implementation::Implemented | Implementation::Partial
                )
            })
            .count() as i64;
        f.existing_frameworks.push(e.framework);
    }
    let annex_a: Vec<String> = crate::soa::annex_a()
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    f.annex_a_controls = annex_a.len() as i64;
    f.soa_decided = aims_store::soa::entries(conn)
        .await?
        .iter()
        .filter(|e| annex_a.contains(&e.control_id))
        .count() as i64;
    let actions = aims_store::actions::all(conn).await?;
    f.actions = actions.len() as i64;
    let gap_actions: Vec<_> = actions
        .iter()
        .filter(|a| a.fields.gap.is_some() && a.fields.status != ActionStatus::Cancelled)
        .collect();
    f.gap_actions = gap_actions.len() as i64;
    f.gap_actions_done = gap_actions
        .iter()
        .filter(|a| a.fields.status == ActionStatus::Done)
        .count() as i64;
    f.roadmap_changed_at = actions.iter().map(|a| a.updated_at.clone()).max();
    f.business_cases = aims_store::briefings::list(conn, Some(BriefingKind::BusinessCase))
        .await?
        .len() as i64;
    f.last_leadership_briefing =
        aims_store::briefings::list(conn, Some(BriefingKind::LeadershipBriefing))
            .await?
            .into_iter()
            .map(|b| (b.fields.date, b.created_at))
            .max();
    f.cert_bodies = aims_store::certbodies::list(conn).await?.len() as i64;
    f.cert_body_selected = aims_store::certbodies::selected(conn).await?;
    Ok(f)
}

impl App {
    /// The eight steps of the implementation journey, each with its derived status and reason.
    pub async fn journey(&self, actor: &Actor) -> Result<Journey> {
        actor.require(Action::Read)?;
        let f = facts(&mut *self.read().await?).await?;
        let steps = derive(&f);
        let done = steps
            .iter()
            .filter(|s| s.status == aims_core::journey::StepStatus::Done)
            .count() as i64;
        Ok(Journey { steps, done })
    }
}
