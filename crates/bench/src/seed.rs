//! Seeding the benchmark organisation.

use std::time::Instant;

use aims_app::{Actor, App, Settings};
use aims_core::inventory::SystemInput;
use aims_core::keys::Kind;
use aims_core::ledger::{Event, EventBody};
use anyhow::Result;
use sqlx::{Connection, Executor};

const STAGES: &[&str] = &[
    "concept",
    "design",
    "development",
    "validation",
    "deployed",
    "monitored",
];
const UNITS: &[&str] = &["Lending", "Health", "People", "Operations", "Marketing"];

/// A new database on the PostgreSQL server at `base`.
pub async fn postgres_database(base: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(base).await?;
    let name = format!("aims_bench_{}", std::process::id());
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await?;
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let (prefix, _) = base.rsplit_once('/').unwrap_or((base, ""));
    Ok(format!("{prefix}/{name}"))
}

pub async fn seed(url: &str, systems: usize, events: i64) -> Result<App> {
    let app = App::open_and_migrate(url, Settings::default()).await?;
    app.bootstrap_admin("admin", "bench-admin-password").await?;
    let admin = Actor {
        username: "admin".into(),
        role: aims_core::Role::Admin,
        via: aims_app::Via::Local,
    };
    let started = Instant::now();
    for i in 0..systems {
        let input = SystemInput {
            name: Some(format!("System {i:05}")),
            purpose: Some(format!("Benchmark system number {i} scoring applications")),
            owner: Some("admin".into()),
            business_unit: Some(UNITS[i % UNITS.len()].into()),
            stage: Some(STAGES[i % STAGES.len()].into()),
            technique: Some("classical_ml".into()),
            ai_roles: Some(vec!["provider".into(), "deployer".into()]),
            data_categories: Some(vec!["personal".into()]),
            stakeholders: Some(vec!["Customers".into()]),
            regions: Some(vec!["EU".into()]),
            ..Default::default()
        };
        app.system_add(&admin, &input).await?;
    }
    println!(
        "seeded {systems} systems through the services in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    top_up(&app, &admin, events).await?;
    // A bulk load leaves the planner's statistics behind; autovacuum would refresh them soon after.
    app.db.execute_raw("ANALYZE").await?;
    println!(
        "topped the ledger up to {events} events in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(app)
}

/// Appends update events that repeat each system's current state until the ledger holds `events`.
async fn top_up(app: &App, admin: &Actor, events: i64) -> Result<()> {
    let mut states = Vec::new();
    let mut page = 1;
    loop {
        let q = aims_app::systems::ListQuery {
            per_page: Some(200),
            page: Some(page),
            ..Default::default()
        };
        let found = app.system_list(admin, &q).await?;
        if found.items.is_empty() {
            break;
        }
        for v in found.items {
            states.push((v.system.key.clone(), aims_core::canonical::of(&v.system)?));
        }
        page += 1;
    }
    let head = app.ledger_checkpoint(admin).await?;
    let (mut seq, mut prev) = (head.seq, head.hash);
    let at = aims_core::time::format(chrono::Utc::now());
    let mut i = 0usize;
    while seq < events {
        let mut batch: Vec<Event> = Vec::with_capacity(10_000);
        while seq < events && batch.len() < 10_000 {
            seq += 1;
            let (key, data) = &states[i % states.len()];
            i += 1;
            let body = EventBody {
                seq,
                at: &at,
                actor: "admin",
                kind: Kind::AiSystem.name(),
                key,
                action: "update",
                data,
            };
            let hash = body.hash(&prev);
            batch.push(Event {
                seq,
                at: at.clone(),
                actor: "admin".into(),
                kind: Kind::AiSystem.name().into(),
                key: key.clone(),
                action: "update".into(),
                data: data.clone(),
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            });
        }
        let mut tx = app.db.begin_write().await?;
        aims_store::ledger::insert_chained(tx.conn(), &batch).await?;
        tx.commit().await?;
    }
    Ok(())
}
