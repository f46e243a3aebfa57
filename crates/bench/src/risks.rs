//! The risks scenario: 100,000 risks over 10,000 AI systems, then the filtered register list and
//! the heat maps, timed in process as the API and pages compute them.
//!
//! The systems and 25 template risks (every likelihood and impact of the default 5x5 method,
//! every other one treated with a residual estimate) go through the services; the 100,000 risks
//! are copies of the templates written by a bulk loader with their own keys, titles, owners and
//! systems. The bulk rows have no ledger events: this scenario times reads, not verification.

use std::time::Instant;

use aims_app::risks::RiskQuery;
use aims_app::{Actor, App};
use aims_core::risk::register::{AssessInput, Risk, RiskInput, TreatInput};
use aims_store::risks::Basis;
use anyhow::{bail, Result};

use crate::controls::Timing;

const TEMPLATES: i64 = 25;

fn admin() -> Actor {
    Actor {
        username: "admin".into(),
        role: aims_core::Role::Admin,
        via: aims_app::Via::Local,
    }
}

/// 25 risks through the services, one per cell of the default method.
async fn templates(app: &App, admin: &Actor) -> Result<Vec<Risk>> {
    app.methodology_init(admin).await?;
    let mut out = Vec::new();
    for n in 0..TEMPLATES {
        let (l, i) = (1 + n / 5, 1 + n % 5);
        let input = RiskInput {
            title: Some(format!("Template risk {n}")),
            cause: Some("Training data under-represents a group".into()),
            event: Some("The model scores that group worse".into()),
            consequence: Some("Unfair decisions and complaints".into()),
            category: Some("ethical".into()),
            systems: Some(vec!["SYS-1".into()]),
            owner: Some("admin".into()),
            ..Default::default()
        };
        let key = app.risk_add(admin, &input).await?.key;
        let assess = AssessInput {
            likelihood: Some(l),
            likelihood_basis: Some("expert_judgement".into()),
            confidence: Some("medium".into()),
            impact_individuals_or_groups: Some(i),
            impact_organisation: Some(1),
            impact_society: Some(1),
        };
        let mut risk = app.risk_assess(admin, &key, &assess).await?;
        if n % 2 == 0 {
            let treat = TreatInput {
                option: Some("mitigate".into()),
                plan: Some("Rebalance the training data and monitor parity".into()),
                due_date: Some("2027-03-31".into()),
                residual_likelihood: Some(l.saturating_sub(1).max(1)),
                residual_impact_individuals_or_groups: Some(i),
                residual_impact_organisation: Some(1),
                residual_impact_society: Some(1),
                ..Default::default()
            };
            risk = app.risk_treat(admin, &key, &treat).await?;
        }
        out.push(risk);
    }
    Ok(out)
}

pub async fn seed(url: &str, systems: usize, risks: usize) -> Result<App> {
    let app = crate::seed::seed(url, systems, 0).await?;
    let admin = admin();
    let templates = templates(&app, &admin).await?;
    let started = Instant::now();
    let mut n = TEMPLATES;
    while (n as usize) < risks {
        let mut batch = Vec::with_capacity(10_000);
        while (n as usize) < risks && batch.len() < 10_000 {
            n += 1;
            let mut r = templates[(n % TEMPLATES) as usize].clone();
            r.key = format!("RSK-{n}");
            r.fields.title = format!("Risk {n}");
            r.fields.systems = [format!("SYS-{}", 1 + n as usize % systems)].into();
            batch.push((n, r));
        }
        let mut tx = app.db.begin_write().await?;
        aims_store::risks::insert_many(tx.conn(), &batch).await?;
        tx.commit().await?;
    }
    // Fresh statistics and, on PostgreSQL, the visibility map that index-only scans need: what
    // autovacuum would leave after such a load.
    let refresh = match app.db.backend() {
        aims_store::Backend::Postgres => "VACUUM ANALYZE",
        aims_store::Backend::Sqlite => "ANALYZE",
    };
    app.db.execute_raw(refresh).await?;
    println!(
        "bulk-loaded {} risks over {systems} systems in {:.1} s",
        risks as i64 - TEMPLATES,
        started.elapsed().as_secs_f64()
    );
    Ok(app)
}

fn summarise(name: &'static str, mut ms: Vec<f64>) -> Timing {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[(((ms.len() - 1) as f64) * p).round() as usize];
    Timing {
        name,
        median_ms: at(0.5),
        p95_ms: at(0.95),
    }
}

/// Times `runs` filtered list requests of 50 risks (a different filter and page each time) and
/// `runs` heat maps of each basis.
pub async fn measure(app: &App, systems: usize, runs: usize) -> Result<Vec<Timing>> {
    let admin = admin();
    let statuses = ["assessed", "treated"];
    let levels = ["low", "medium", "high", "critical"];
    let mut list = Vec::new();
    for k in 0..runs + 2 {
        let q = match k % 4 {
            0 => RiskQuery {
                status: Some(statuses[k % 2].into()),
                ..Default::default()
            },
            1 => RiskQuery {
                level: Some(levels[k % 4].into()),
                ..Default::default()
            },
            2 => RiskQuery {
                system: Some(format!("SYS-{}", 1 + (k * 37) % systems)),
                ..Default::default()
            },
            _ => RiskQuery {
                cell: Some(format!("{}-{}", 1 + k % 5, 1 + (k / 5) % 5)),
                ..Default::default()
            },
        };
        let q = RiskQuery {
            per_page: Some(50),
            page: Some(1 + (k as i64 * 7) % 20),
            ..q
        };
        let t = Instant::now();
        let page = app.risk_list(&admin, &q).await?;
        if k >= 2 {
            list.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if page.len() > 50 {
            bail!("a page of {} risks", page.len());
        }
    }
    let mut heat = Vec::new();
    for k in 0..runs + 2 {
        let basis = if k % 2 == 0 {
            Basis::Inherent
        } else {
            Basis::Residual
        };
        let t = Instant::now();
        let map = app.risk_heatmap(&admin, basis).await?;
        if k >= 2 {
            heat.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if map.total == 0 {
            bail!("empty heat map");
        }
    }
    Ok(vec![
        summarise("filtered register list (50 per page)", list),
        summarise("heat map", heat),
    ])
}
