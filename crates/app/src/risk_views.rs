//! Views of the register: heat maps of inherent and residual risk, top risks, risks above the
//! appetite without treatment, overdue reviews, and risks per AI system and per owner.

use std::collections::BTreeMap;
use std::sync::Arc;

use aims_core::risk::methodology::{MethodDoc, RiskLevel};
use aims_core::risk::register::Risk;
use aims_core::Action;
use aims_store::risks::{self as store, Basis};
use serde::Serialize;

use crate::risks::today;
use crate::{Actor, App, Result};

/// How many risks "top risks" lists.
pub const TOP: usize = 10;
/// How many risks the lists of untreated and overdue risks hold (the rest are counted).
pub const LISTED: usize = 50;

/// One cell of a heat map.
#[derive(Debug, Clone, Serialize)]
pub struct HeatCell {
    pub likelihood: i64,
    pub impact: i64,
    pub level: RiskLevel,
    pub count: i64,
    /// The register filtered to the risks in the cell.
    pub href: String,
}

/// Counts of open risks per cell; rows from the highest likelihood down.
#[derive(Debug, Clone, Serialize)]
pub struct HeatMap {
    pub basis: &'static str,
    pub likelihood_levels: usize,
    pub impact_levels: usize,
    pub rows: Vec<Vec<HeatCell>>,
    pub total: i64,
}

/// Risks counted under one AI system or owner.
#[derive(Debug, Clone, Serialize)]
pub struct Tally {
    /// The system key (or `organisation`) or the owner's username.
    pub name: String,
    pub open: i64,
    pub above_appetite: i64,
    /// The register filtered to them.
    pub href: String,
}

/// Everything the register's overview shows.
#[derive(Debug, Clone, Serialize)]
pub struct RiskViews {
    pub methodology_version: i64,
    pub appetite: RiskLevel,
    pub inherent: HeatMap,
    pub residual: HeatMap,
    pub top: Vec<Risk>,
    /// Open risks above the appetite without a treatment: the first [`LISTED`] in key order.
    pub above_appetite_untreated: Vec<Risk>,
    /// How many open risks are above the appetite without a treatment.
    pub above_appetite_untreated_count: i64,
    /// Open risks whose review is overdue: the first [`LISTED`] in key order.
    pub overdue: Vec<Risk>,
    /// How many open risks have an overdue review.
    pub overdue_count: i64,
    pub per_system: Vec<Tally>,
    pub per_owner: Vec<Tally>,
}

fn basis_word(b: Basis) -> &'static str {
    match b {
        Basis::Inherent => "inherent",
        Basis::Residual => "residual",
    }
}

/// A heat map of `counts` (`(likelihood, impact, count)`) on the method's matrix.
pub fn heat_map(doc: &MethodDoc, basis: Basis, counts: &[(i64, i64, i64)]) -> HeatMap {
    let word = basis_word(basis);
    let by: BTreeMap<(i64, i64), i64> = counts.iter().map(|(l, i, c)| ((*l, *i), *c)).collect();
    let (nl, ni) = (doc.likelihood_levels() as i64, doc.impact_levels() as i64);
    let rows = (1..=nl)
        .rev()
        .map(|l| {
            (1..=ni)
                .map(|i| HeatCell {
                    likelihood: l,
                    impact: i,
                    level: doc.level(l, i).unwrap_or(RiskLevel::Critical),
                    count: by.get(&(l, i)).copied().unwrap_or(0),
                    href: format!("/risks?cell={l}-{i}&basis={word}"),
                })
                .collect()
        })
        .collect();
    HeatMap {
        basis: word,
        likelihood_levels: nl as usize,
        impact_levels: ni as usize,
        rows,
        total: counts.iter().map(|c| c.2).sum(),
    }
}

/// The tallies of `(name, open, above the appetite)`, by name, each linking to its risks;
/// names without open risks are left out.
fn tallies(counts: Vec<(String, i64, i64)>, href: impl Fn(&str) -> String) -> Vec<Tally> {
    let by: BTreeMap<String, (i64, i64)> = counts
        .into_iter()
        .filter(|(_, open, _)| *open > 0)
        .map(|(name, open, above)| (name, (open, above)))
        .collect();
    by.into_iter()
        .map(|(name, (open, above_appetite))| Tally {
            href: href(&name),
            name,
            open,
            above_appetite,
        })
        .collect()
}

impl App {
    /// The heat map of open risks on one basis.
    pub async fn risk_heatmap(&self, actor: &Actor, basis: Basis) -> Result<HeatMap> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let m = crate::methodology::current(&mut conn).await?;
        let counts = store::cells(&mut conn, basis).await?;
        Ok(heat_map(&m.doc, basis, &counts))
    }

    /// The register's overview.
    /// The views of the register, computed again only when the ledger has moved on (or the day
    /// has changed) since they were last computed.
    pub async fn risk_views(&self, actor: &Actor) -> Result<Arc<RiskViews>> {
        actor.require(Action::Read)?;
        let stamp = self.stamp().await?;
        self.views
            .risk_views
            .get_or(stamp, || self.compute_risk_views())
            .await
    }

    async fn compute_risk_views(&self) -> Result<RiskViews> {
        let mut conn = self.read().await?;
        let m = crate::methodology::current(&mut conn).await?;
        let inherent = heat_map(
            &m.doc,
            Basis::Inherent,
            &store::cells(&mut conn, Basis::Inherent).await?,
        );
        let residual = heat_map(
            &m.doc,
            Basis::Residual,
            &store::cells(&mut conn, Basis::Residual).await?,
        );
        let appetite = m.doc.appetite;
        let above: Vec<RiskLevel> = RiskLevel::ALL
            .iter()
            .copied()
            .filter(|l| *l > appetite)
            .collect();
        let listed = i64::try_from(LISTED).unwrap_or(i64::MAX);
        let top = store::top(&mut conn, i64::try_from(TOP).unwrap_or(i64::MAX)).await?;
        let (above_appetite_untreated, above_appetite_untreated_count) =
            store::untreated(&mut conn, &above, listed).await?;
        let day = today().format("%Y-%m-%d").to_string();
        let (overdue, overdue_count) = store::review_before(&mut conn, &day, listed).await?;
        let counted = store::tallies(&mut conn, &above).await?;
        let per_system = tallies(counted.systems, |n| format!("/risks?system={n}"));
        let per_owner = tallies(counted.owners, |n| format!("/risks?owner={n}"));
        Ok(RiskViews {
            methodology_version: m.version,
            appetite,
            inherent,
            residual,
            top,
            above_appetite_untreated,
            above_appetite_untreated_count,
            overdue,
            overdue_count,
            per_system,
            per_owner,
        })
    }
}
