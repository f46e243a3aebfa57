//! Views of the register: heat maps of inherent and residual risk, top risks, risks above the
//! appetite without treatment, overdue reviews, and risks per AI system and per owner.

use std::collections::BTreeMap;
use std::sync::Arc;

use aims_core::risk::methodology::{MethodDoc, RiskLevel};
use aims_core::risk::register::Risk;
use aims_core::Action;
use aims_store::risks::{self as store, Basis, Filter};
use serde::Serialize;

use crate::risks::today;
use crate::{Actor, App, Result};

/// How many risks "top risks" lists.
pub const TOP: usize = 10;

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
    pub above_appetite_untreated: Vec<Risk>,
    pub overdue: Vec<Risk>,
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

fn rank(r: &Risk) -> (RiskLevel, i64) {
    let s = r.scores.residual.or(r.scores.inherent);
    (
        r.current_level().unwrap_or(RiskLevel::Low),
        s.map_or(0, |s| s.likelihood * s.impact),
    )
}

fn tallies(
    open: &[Risk],
    appetite: RiskLevel,
    names: impl Fn(&Risk) -> Vec<String>,
    href: impl Fn(&str) -> String,
) -> Vec<Tally> {
    let mut by: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in open {
        let above = r.current_level().is_some_and(|l| l > appetite);
        for n in names(r) {
            let e = by.entry(n).or_default();
            e.0 += 1;
            e.1 += i64::from(above);
        }
    }
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
        let open_filter = Filter {
            open: true,
            ..Default::default()
        };
        let open = store::list(&mut conn, &open_filter).await?;
        let appetite = m.doc.appetite;
        let mut top: Vec<Risk> = open
            .iter()
            .filter(|r| r.current_level().is_some())
            .cloned()
            .collect();
        top.sort_by_key(|r| std::cmp::Reverse(rank(r)));
        top.truncate(TOP);
        let above_appetite_untreated = open
            .iter()
            .filter(|r| r.treatment.is_none() && r.inherent_level().is_some_and(|l| l > appetite))
            .cloned()
            .collect();
        let day = today();
        let overdue = open
            .iter()
            .filter(|r| r.review_overdue(day))
            .cloned()
            .collect();
        let per_system = tallies(
            &open,
            appetite,
            |r| {
                if r.fields.systems.is_empty() {
                    vec!["organisation".to_owned()]
                } else {
                    r.fields.systems.iter().cloned().collect()
                }
            },
            |n| format!("/risks?system={n}"),
        );
        let per_owner = tallies(
            &open,
            appetite,
            |r| vec![r.fields.owner.clone()],
            |n| format!("/risks?owner={n}"),
        );
        Ok(RiskViews {
            methodology_version: m.version,
            appetite,
            inherent,
            residual,
            top,
            above_appetite_untreated,
            overdue,
            per_system,
            per_owner,
        })
    }
}
