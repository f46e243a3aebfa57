//! The controls scenario: an organisation with 5,000 controls and 20,000 requirement links,
//! seeded through the services, then the Statement of Applicability, coverage of the EU AI Act
//! and the gap analysis each computed in process, as the API and pages compute them.

use std::time::Instant;

use aims_app::{Actor, App, Settings};
use aims_catalog::{Catalog, Kind};
use aims_core::control::{ControlInput, LinksInput};
use aims_core::soa::SoaEntryInput;
use anyhow::{bail, Result};

const STATUSES: &[&str] = &["planned", "in_progress", "implemented", "not_applicable"];

/// Timings of one operation, in milliseconds.
pub struct Timing {
    pub name: &'static str,
    pub median_ms: f64,
    pub p95_ms: f64,
}

/// Every requirement a control may be linked to: the ISO 42001 clauses and Annex A controls,
/// then the other built-in frameworks' requirements.
fn requirement_pool() -> Vec<String> {
    let mut pool = Vec::new();
    for f in Catalog::builtin() {
        for i in &f.items {
            let wanted = matches!(
                i.kind,
                Kind::Clause | Kind::Control | Kind::Article | Kind::Subcategory
            );
            if wanted {
                pool.push(format!("{}:{}", f.id, i.id));
            }
        }
    }
    pool
}

pub async fn seed(url: &str, controls: usize, links: usize) -> Result<App> {
    let app = App::open_and_migrate(url, Settings::default()).await?;
    app.bootstrap_admin("admin", "bench-admin-password").await?;
    let admin = admin();
    let pool = requirement_pool();
    let per_control = links.div_ceil(controls.max(1));
    if per_control > pool.len() {
        bail!("more links per control than requirements to link");
    }
    let started = Instant::now();
    for i in 0..controls {
        let status = STATUSES[i % STATUSES.len()];
        let input = ControlInput {
            name: Some(format!("Control {i:05}")),
            description: Some(format!("Benchmark control number {i}")),
            owner: Some("admin".into()),
            status: Some(status.into()),
            implementation_date: (status == "implemented").then(|| "2026-01-15".into()),
            ..Default::default()
        };
        let key = app.control_add(&admin, &input).await?.key;
        // Spread the links over the pool; a stride coprime with most pool sizes.
        let requirements: Vec<String> = (0..per_control)
            .map(|k| pool[(i * 7 + k * 97) % pool.len()].clone())
            .collect();
        let links = LinksInput {
            requirements: Some(requirements),
            ..Default::default()
        };
        app.control_link(&admin, &key, &links).await?;
    }
    for (n, (id, _)) in aims_app::soa::annex_a().into_iter().enumerate() {
        let decision = SoaEntryInput {
            applicable: Some(n % 9 != 0),
            justification: Some("Benchmark decision".into()),
        };
        app.soa_set(&admin, &id, &decision).await?;
    }
    println!(
        "seeded {controls} controls with {} requirement links through the services in {:.1} s",
        controls * per_control,
        started.elapsed().as_secs_f64()
    );
    app.db.execute_raw("ANALYZE").await?;
    Ok(app)
}

fn admin() -> Actor {
    Actor {
        username: "admin".into(),
        role: aims_core::Role::Admin,
        via: aims_app::Via::Local,
    }
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

/// Runs each computation `runs` times after two warm-up runs.
pub async fn measure(app: &App, runs: usize) -> Result<Vec<Timing>> {
    let admin = admin();
    let mut out = Vec::new();

    let mut ms = Vec::new();
    for i in 0..runs + 2 {
        let t = Instant::now();
        let lines = app.soa_show(&admin).await?;
        if i >= 2 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if lines.len() != 38 {
            bail!("SoA has {} lines", lines.len());
        }
    }
    out.push(summarise("SoA (38 lines)", ms));

    let mut ms = Vec::new();
    for i in 0..runs + 2 {
        let t = Instant::now();
        let report = app.coverage(&admin, "EUAIA").await?;
        if i >= 2 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if report.requirements.is_empty() {
            bail!("empty coverage report");
        }
    }
    out.push(summarise("coverage of the EU AI Act", ms));

    let mut ms = Vec::new();
    for i in 0..runs + 2 {
        let t = Instant::now();
        let report = app.gap_report(&admin).await?;
        if i >= 2 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        if report.gaps.is_empty() {
            bail!("empty gap report");
        }
    }
    out.push(summarise("gap analysis", ms));
    Ok(out)
}
