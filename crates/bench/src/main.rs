//! `cargo run --release -p aims-bench -- --backend sqlite|postgres [--scenario foundation|controls]`
//!
//! The `controls` scenario seeds 5,000 controls with 20,000 requirement links and times the
//! Statement of Applicability, coverage of the EU AI Act and the gap analysis (see `controls.rs`).
//!
//! The `foundation` scenario (the default):
//! Seeds 10,000 AI systems through the services and tops the ledger up to 1,000,000 events,
//! then starts the release `aims serve` and measures what BENCHMARKS.md reports.
//! The top-up events are appended by a bulk loader (one statement per 100 events) that chains
//! them exactly as the services do: each repeats its system's current state, so `ledger verify`
//! checks both the chain and every entity, as it would after a million real updates.

#![allow(clippy::print_stdout)]

mod controls;
mod measure;
mod risks;
mod seed;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;

#[derive(Parser)]
struct Args {
    /// `foundation` (inventory, ledger, server), `controls` (SoA, coverage, gap analysis) or
    /// `risks` (risk register list and heat map).
    #[arg(long, default_value = "foundation")]
    scenario: String,
    /// Controls to seed in the `controls` scenario.
    #[arg(long, default_value_t = 5_000)]
    controls: usize,
    /// Requirement links in the `controls` scenario.
    #[arg(long, default_value_t = 20_000)]
    links: usize,
    /// Risks in the `risks` scenario (over `--systems` AI systems).
    #[arg(long, default_value_t = 100_000)]
    risks: usize,
    /// Runs per timing in the `controls` and `risks` scenarios.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    backend: String,
    /// AI systems to seed.
    #[arg(long, default_value_t = 10_000)]
    systems: usize,
    /// Ledger events in total after seeding.
    #[arg(long, default_value_t = 1_000_000)]
    events: i64,
    /// Requests per latency measurement.
    #[arg(long, default_value_t = 500)]
    requests: usize,
    /// The `aims` binary to start.
    #[arg(long, default_value = "target/release/aims")]
    aims: PathBuf,
    /// Measure an already seeded database at this URL instead of seeding a new one.
    #[arg(long)]
    existing: Option<String>,
    /// PostgreSQL server for `--backend postgres` (a new database is created on it).
    #[arg(
        long,
        env = "AIMS_TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/test"
    )]
    postgres: String,
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    if !["foundation", "controls", "risks"].contains(&args.scenario.as_str()) {
        bail!("unknown scenario '{}'", args.scenario);
    }
    if args.scenario == "foundation" && !args.aims.exists() {
        bail!(
            "{} not found: run `cargo build --release -p aims-cli` first",
            args.aims.display()
        );
    }
    if let Some(url) = &args.existing {
        let app = aims_app::App::open(url, aims_app::Settings::default()).await?;
        measure::verify(&app).await?;
        return Ok(());
    }
    let url = match args.backend.as_str() {
        "sqlite" => {
            let dir = std::env::temp_dir().join(format!("aims-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            format!("sqlite://{}", dir.join("aims.db").display())
        }
        "postgres" => seed::postgres_database(&args.postgres).await?,
        other => bail!("unknown backend '{other}'"),
    };
    println!("backend: {} ({url})", args.backend);
    if args.scenario == "risks" {
        let app = risks::seed(&url, args.systems, args.risks).await?;
        let timings = risks::measure(&app, args.systems, args.runs.max(200)).await?;
        println!();
        println!("| backend | systems | risks | computation | median ms | p95 ms |");
        println!("|---|---|---|---|---|---|");
        for t in timings {
            println!(
                "| {} | {} | {} | {} | {:.2} | {:.2} |",
                args.backend, args.systems, args.risks, t.name, t.median_ms, t.p95_ms
            );
        }
        return Ok(());
    }
    if args.scenario == "controls" {
        let app = controls::seed(&url, args.controls, args.links).await?;
        let timings = controls::measure(&app, args.runs).await?;
        println!();
        println!("| backend | controls | links | computation | median ms | p95 ms |");
        println!("|---|---|---|---|---|---|");
        for t in timings {
            println!(
                "| {} | {} | {} | {} | {:.2} | {:.2} |",
                args.backend, args.controls, args.links, t.name, t.median_ms, t.p95_ms
            );
        }
        return Ok(());
    }
    let app = seed::seed(&url, args.systems, args.events)
        .await
        .context("seeding")?;
    let verify = measure::verify(&app).await?;
    app.db.close().await;
    let server = measure::serve(&args.aims, &url, args.requests).await?;
    println!();
    println!("| backend | systems | events | list p50 ms | list p95 ms | system page p95 ms | verify events/s | start ms | idle RSS MiB |");
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {:.0} | {:.0} | {:.1} |",
        args.backend,
        args.systems,
        verify.events,
        server.list_p50_ms,
        server.list_p95_ms,
        server.page_p95_ms,
        verify.events as f64 / verify.seconds,
        server.start_ms,
        server.idle_rss_mib
    );
    Ok(())
}
