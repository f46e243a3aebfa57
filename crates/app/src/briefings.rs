//! Briefings (`BRF-n`): the business case for certification and the briefings of leadership on
//! the roadmap. Recorded once, as given.

use aims_core::journey::{Briefing, BriefingInput, BriefingKind};
use aims_core::keys::Kind;
use aims_core::ledger::actions;
use aims_core::Action;
use aims_store::briefings as store;

use crate::actions::today;
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

impl App {
    pub async fn briefing_add(&self, actor: &Actor, input: &BriefingInput) -> Result<Briefing> {
        actor.require(Action::ManageCertification)?;
        let fields = input.validate(today())?;
        let mut tx = self.db.begin_write().await?;
        let n = aims_store::counters::next(tx.conn(), Kind::Briefing).await?;
        let briefing = Briefing {
            key: Kind::Briefing.key(n),
            fields,
            created_by: actor.username.clone(),
            created_at: now(),
        };
        store::insert(tx.conn(), n, &briefing).await?;
        record(
            &mut tx,
            actor,
            Kind::Briefing,
            &briefing.key,
            actions::CREATE,
            &briefing,
        )
        .await?;
        tx.commit().await?;
        Ok(briefing)
    }

    /// Briefings, newest first, optionally of one kind (`business_case`, `leadership_briefing`).
    pub async fn briefing_list(&self, actor: &Actor, kind: Option<&str>) -> Result<Vec<Briefing>> {
        actor.require(Action::Read)?;
        let kind = match kind.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => Some(BriefingKind::parse("kind", k).map_err(AppError::from)?),
            None => None,
        };
        Ok(store::list(&mut *self.read().await?, kind).await?)
    }
}

/// Seeds the business case briefing of the demo organisation, given six weeks ago.
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    let input = BriefingInput {
        kind: Some("business_case".into()),
        date: Some((today() - chrono::Duration::days(42)).to_string()),
        audience: Some("Executive committee".into()),
        summary: Some(
            "Certification against ISO/IEC 42001 shows regulators and lending partners that our AI is governed; it prepares the EU AI Act conformity work for credit scoring and CV screening, and shortens partner due diligence."
                .into(),
        ),
        decisions: Some(
            "Pursue certification within twelve months; fund the roadmap; the governance lead owns it."
                .into(),
        ),
    };
    app.briefing_add(actor, &input).await?;
    Ok(())
}
