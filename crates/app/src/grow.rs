//! Growing an organisation to a size for load tests (`aims demo --grow systems=N,risks=M`):
//! adds made-up AI systems and assessed risks until the inventory and the register hold the
//! numbers asked for. Everything goes through the batch services, so each record is checked,
//! stored and recorded in the ledger exactly as one added by hand.

use std::time::Instant;

use aims_core::inventory::SystemInput;
use aims_core::risk::register::RiskInput;
use aims_core::FieldError;
use serde::Serialize;

use crate::systems::ListQuery;
use crate::{Actor, App, AppError, Result};

/// Records written per transaction.
const BATCH: usize = 500;

const STAGES: &[&str] = &[
    "concept",
    "design",
    "development",
    "validation",
    "deployed",
    "monitored",
];
const UNITS: &[&str] = &["Lending", "Health", "People", "Operations", "Marketing"];
const TECHNIQUES: &[&str] = &["classical_ml", "deep_learning", "generative", "rule_based"];
const CATEGORIES: &[&str] = &["technical", "ethical", "legal", "operational"];

/// The sizes to grow to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrowTarget {
    pub systems: Option<usize>,
    pub risks: Option<usize>,
}

impl GrowTarget {
    /// Parses `systems=10000,risks=100000` (either part may be left out).
    pub fn parse(spec: &str) -> std::result::Result<GrowTarget, FieldError> {
        let mut target = GrowTarget::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| FieldError::new("grow", format!("'{part}' is not NAME=COUNT")))?;
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| FieldError::new("grow", format!("'{value}' is not a whole number")))?;
            match name.trim() {
                "systems" => target.systems = Some(n),
                "risks" => target.risks = Some(n),
                other => {
                    return Err(FieldError::new(
                        "grow",
                        format!("unknown part '{other}'; expected systems or risks"),
                    ))
                }
            }
        }
        if target == GrowTarget::default() {
            return Err(FieldError::new(
                "grow",
                "name at least one of systems=N, risks=N",
            ));
        }
        Ok(target)
    }
}

/// What a grow added and how long it took.
#[derive(Debug, Clone, Serialize)]
pub struct GrowReport {
    pub systems_added: usize,
    pub systems_seconds: f64,
    pub risks_added: usize,
    pub risks_seconds: f64,
}

/// A made-up AI system, the `i`th of the grown ones.
fn system_input(i: usize, owner: &str) -> SystemInput {
    SystemInput {
        name: Some(format!("Load system {i:06}")),
        purpose: Some(format!(
            "Scores {} applications for the load test (system {i})",
            UNITS[i % UNITS.len()].to_lowercase()
        )),
        owner: Some(owner.into()),
        business_unit: Some(UNITS[i % UNITS.len()].into()),
        stage: Some(STAGES[i % STAGES.len()].into()),
        technique: Some(TECHNIQUES[i % TECHNIQUES.len()].into()),
        ai_roles: Some(vec!["deployer".into()]),
        data_categories: Some(vec!["personal".into()]),
        stakeholders: Some(vec!["Customers".into()]),
        regions: Some(vec!["EU".into()]),
        ..Default::default()
    }
}

/// A made-up risk, the `i`th of the grown ones, on `system` and assessed on every cell in turn.
fn risk_input(i: usize, system: String, owner: &str) -> RiskInput {
    let cell = i % 25;
    RiskInput {
        title: Some(format!("Load risk {i:06}: drift in {system}")),
        cause: Some("Input data shifts away from the training data".into()),
        event: Some("The model's error rate rises unnoticed".into()),
        consequence: Some("Wrong decisions about applicants".into()),
        category: Some(CATEGORIES[i % CATEGORIES.len()].into()),
        systems: Some(vec![system]),
        owner: Some(owner.into()),
        likelihood: Some(1 + (cell / 5) as i64),
        likelihood_basis: Some("expert_judgement".into()),
        confidence: Some("medium".into()),
        impact_individuals_or_groups: Some(1 + (cell % 5) as i64),
        impact_organisation: Some(1),
        impact_society: Some(1),
        ..Default::default()
    }
}

impl App {
    /// Adds AI systems and risks until there are `target` of each; `progress` hears each batch.
    /// Owners are the acting user; risks are spread over the active AI systems.
    pub async fn grow(
        &self,
        actor: &Actor,
        target: GrowTarget,
        mut progress: impl FnMut(&str, usize, usize),
    ) -> Result<GrowReport> {
        let owner = actor.username.clone();
        let mut report = GrowReport {
            systems_added: 0,
            systems_seconds: 0.0,
            risks_added: 0,
            risks_seconds: 0.0,
        };
        let count = ListQuery {
            status: Some("all".into()),
            per_page: Some(1),
            ..Default::default()
        };
        let have = self.system_list(actor, &count).await?.total as usize;
        if let Some(want) = target.systems.filter(|w| *w > have) {
            let started = Instant::now();
            let mut next = have;
            while next < want {
                let end = (next + BATCH).min(want);
                let inputs: Vec<SystemInput> =
                    (next..end).map(|i| system_input(i + 1, &owner)).collect();
                self.system_add_batch(actor, &inputs).await?;
                report.systems_added += inputs.len();
                next = end;
                progress("systems", next, want);
            }
            report.systems_seconds = started.elapsed().as_secs_f64();
        }
        let Some(want) = target.risks else {
            return Ok(report);
        };
        let have = aims_store::risks::count(&mut *self.read().await?).await? as usize;
        if want <= have {
            return Ok(report);
        }
        let systems = self.active_system_keys(actor).await?;
        if systems.is_empty() {
            return Err(AppError::invalid(
                "grow",
                "risks need at least one active AI system to be about",
            ));
        }
        let started = Instant::now();
        let mut next = have;
        while next < want {
            let end = (next + BATCH).min(want);
            let inputs: Vec<RiskInput> = (next..end)
                .map(|i| risk_input(i + 1, systems[i % systems.len()].clone(), &owner))
                .collect();
            self.risk_add_batch(actor, &inputs).await?;
            report.risks_added += inputs.len();
            next = end;
            progress("risks", next, want);
        }
        report.risks_seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// The keys of every active AI system, page by page.
    async fn active_system_keys(&self, actor: &Actor) -> Result<Vec<String>> {
        let mut keys = Vec::new();
        let mut page = 1;
        loop {
            let q = ListQuery {
                per_page: Some(200),
                page: Some(page),
                ..Default::default()
            };
            let found = self.system_list(actor, &q).await?;
            if found.items.is_empty() {
                return Ok(keys);
            }
            keys.extend(found.items.into_iter().map(|v| v.system.key));
            page += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GrowTarget;

    #[test]
    fn parses_both_parts_and_refuses_others() {
        let t = GrowTarget::parse("systems=10000, risks=100000").ok();
        assert_eq!(
            t,
            Some(GrowTarget {
                systems: Some(10_000),
                risks: Some(100_000)
            })
        );
        let only = GrowTarget::parse("risks=5").ok();
        assert_eq!(only.and_then(|t| t.risks), Some(5));
        let bad = GrowTarget::parse("servers=3").err().map(|e| e.reason);
        assert_eq!(
            bad.as_deref(),
            Some("unknown part 'servers'; expected systems or risks")
        );
        assert!(GrowTarget::parse("systems=ten").is_err());
        assert!(GrowTarget::parse("").is_err());
    }
}
