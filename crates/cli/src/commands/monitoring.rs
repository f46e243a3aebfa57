//! `aims monitor plan|run|push|runs|show|alerts|ack|status`: monitoring recorded in the database,
//! under each system's plan. `aims monitor run` and `push` exit 3 when a breach limit is crossed,
//! like `monitor compute`, so a pipeline can record its run and gate on it in one step.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use aims_app::monitoring::{rules_from_toml, LogRun, RunOutcome};
use aims_core::monitoring::{Level, PlanInput, PushInput, Run, Schedule, Window};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::commands::monitor::BREACH;
use crate::commands::JsonArg;
use crate::failure;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Set or change a system's plan; flags not given keep their value.
    Set(PlanArgs),
    /// Show a system's plan.
    Show {
        /// The AI system (SYS-3).
        system: String,
        #[command(flatten)]
        out: JsonArg,
    },
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The AI system (SYS-3).
    pub system: String,
    /// The prediction log schema (TOML), as for `monitor compute --schema`.
    #[arg(long, value_name = "SCHEMA.toml")]
    pub schema: Option<PathBuf>,
    /// The watched metrics with warn and breach limits (TOML), as for `monitor compute --thresholds`.
    #[arg(long, value_name = "FILE")]
    pub thresholds: Option<PathBuf>,
    #[arg(long, help = format!("Also compute per window of the current rows: {}", Window::words().join(", ")))]
    pub window: Option<String>,
    #[arg(long, help = format!("How often a run is expected: {}", Schedule::words().join(", ")))]
    pub schedule: Option<String>,
    /// Username of the person who answers for it (default: you, for a new plan).
    #[arg(long)]
    pub owner: Option<String>,
    /// Post alerts and breaches to this URL, signed with HMAC-SHA256; "" removes it.
    #[arg(long)]
    pub webhook_url: Option<String>,
    /// Read the webhook secret (16 characters or more) from this environment variable.
    #[arg(long, value_name = "VAR")]
    pub webhook_secret_env: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The AI system (SYS-3).
    #[arg(long)]
    pub system: String,
    /// The current prediction log (.csv, .parquet or .ndjson).
    #[arg(long, value_name = "FILE")]
    pub current: PathBuf,
    /// A reference log to compare against (drift).
    #[arg(long, value_name = "FILE", conflicts_with = "split_at")]
    pub reference: Option<PathBuf>,
    /// Split --current at this RFC 3339 time: earlier rows are the reference.
    #[arg(long, value_name = "RFC3339")]
    pub split_at: Option<String>,
    /// The time the data describes (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    pub observed_at: Option<String>,
    /// A name for the run; default the file name.
    #[arg(long)]
    pub label: Option<String>,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// The AI system (SYS-3).
    #[arg(long)]
    pub system: String,
    /// A value as METRIC=VALUE (performance.current.accuracy=0.91); repeat for more.
    #[arg(long = "metric", value_name = "METRIC=VALUE", required = true)]
    pub metrics: Vec<String>,
    /// The time the values describe (RFC 3339); default now.
    #[arg(long, value_name = "RFC3339")]
    pub observed_at: Option<String>,
    /// The pipeline or job that computed them.
    #[arg(long)]
    pub label: Option<String>,
    #[command(flatten)]
    pub out: JsonArg,
}

fn read(flag: &str, path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| failure::invalid(flag, format!("{}: {e}", path.display())))
}

fn plan_input(args: PlanArgs) -> Result<PlanInput> {
    let schema = args
        .schema
        .as_ref()
        .map(|p| read("schema", p))
        .transpose()?;
    let rules = match &args.thresholds {
        Some(p) => Some(rules_from_toml("thresholds", &read("thresholds", p)?)?),
        None => None,
    };
    let webhook_secret = match &args.webhook_secret_env {
        Some(var) => Some(std::env::var(var).map_err(|_| {
            failure::invalid(
                "webhook-secret-env",
                format!("the environment variable {var} is not set"),
            )
        })?),
        None => None,
    };
    Ok(PlanInput {
        schema,
        rules,
        window: args.window,
        schedule: args.schedule,
        owner: args.owner,
        webhook_url: args.webhook_url,
        webhook_secret,
    })
}

fn parse_metric(text: &str) -> Result<(String, f64)> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| failure::invalid("metric", format!("'{text}' is not METRIC=VALUE")))?;
    let value: f64 = value.trim().parse().map_err(|_| {
        failure::invalid(
            &format!("metric {}", name.trim()),
            format!("'{}' is not a number", value.trim()),
        )
    })?;
    Ok((name.trim().to_string(), value))
}

fn level_word(l: Level) -> &'static str {
    match l {
        Level::Ok => "ok",
        Level::Warn => "WARN",
        Level::Breach => "BREACH",
    }
}

fn print_run(run: &Run) -> Result<()> {
    output::fields(&[
        ("run", run.key.clone()),
        ("system", run.system.clone()),
        ("outcome", run.outcome.label().to_string()),
        ("observed", output::when(&run.observed_at)),
        ("source", run.source.label().to_string()),
        ("label", opt(run.label.as_deref())),
        (
            "rows",
            format!(
                "{} current, {} reference",
                run.rows_current, run.rows_reference
            ),
        ),
        ("current sha256", opt(run.current_sha256.as_deref())),
        ("recorded by", run.recorded_by.clone()),
    ])?;
    let mut table = Table::new(&["metric", "value", "level", "limit"]);
    for o in &run.observations {
        table.row(vec![
            o.metric.clone(),
            format!("{:.6}", o.value),
            level_word(o.level).to_string(),
            o.limit.map_or_else(|| "-".into(), |l| l.to_string()),
        ]);
    }
    table.print("no watched values")?;
    if !run.unmatched.is_empty() {
        outln!("not produced by this run: {}", run.unmatched.join(", "))?;
    }
    Ok(())
}

fn finish(out: &RunOutcome, json: bool) -> Result<ExitCode> {
    if json {
        output::json(out)?;
    } else {
        print_run(&out.run)?;
        for a in &out.alerts {
            outln!("alert: {a}")?;
        }
        for i in &out.incidents {
            outln!("incident: {i}")?;
        }
        for d in &out.deliveries {
            outln!(
                "webhook {} {}: {}",
                d.event,
                d.subject,
                d.error.clone().unwrap_or_else(|| "delivered".into())
            )?;
        }
    }
    Ok(if out.run.outcome == Level::Breach {
        ExitCode::from(BREACH)
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs a monitoring command that uses the database.
pub async fn run(s: &Session, cmd: super::monitor::MonitorCmd) -> Result<ExitCode> {
    use super::monitor::MonitorCmd as M;
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        M::Compute(_) => anyhow::bail!("monitor compute does not use the database"),
        M::Plan(PlanCmd::Set(args)) => {
            let system = args.system.clone();
            let plan = app
                .monitor_plan_set(actor, &system, &plan_input(args)?)
                .await?;
            outln!(
                "monitoring plan of {} is at version {} ({} watched metric rules)",
                plan.system,
                plan.version,
                plan.rules.len()
            )?;
        }
        M::Plan(PlanCmd::Show { system, out }) => {
            let view = app.monitor_view(actor, &system).await?;
            let plan = view
                .plan
                .with_context(|| format!("{} has no monitoring plan", view.system))?;
            if out.json {
                output::json(&plan)?;
                return Ok(ExitCode::SUCCESS);
            }
            output::fields(&[
                ("system", plan.system.clone()),
                ("owner", plan.owner.clone()),
                ("version", plan.version.to_string()),
                ("window", plan.window.label().to_string()),
                ("schedule", plan.schedule.label().to_string()),
                ("next run due", opt(view.next_due.as_deref())),
                ("webhook", opt(plan.webhook_url.as_deref())),
            ])?;
            let mut table = Table::new(&["metric", "warn", "breach", "bad side"]);
            for r in &plan.rules {
                let lim = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| v.to_string());
                table.row(vec![
                    r.metric.clone(),
                    lim(r.warn),
                    lim(r.breach),
                    r.direction.to_string(),
                ]);
            }
            table.print("no watched metrics")?;
        }
        M::Run(args) => {
            let log = LogRun {
                current: args.current,
                reference: args.reference,
                split_at: args.split_at,
                observed_at: args.observed_at,
                label: args.label,
            };
            let bar = crate::progress::Bar::new();
            let out = app
                .monitor_run_with_progress(actor, &args.system, &log, Some(bar.for_run()))
                .await;
            drop(bar);
            let out = out?;
            return finish(&out, args.out.json);
        }
        M::Push(args) => {
            let metrics = args
                .metrics
                .iter()
                .map(|m| parse_metric(m))
                .collect::<Result<BTreeMap<_, _>>>()?;
            let input = PushInput {
                metrics,
                observed_at: args.observed_at,
                label: args.label,
            };
            let out = app.monitor_push(actor, &args.system, &input).await?;
            return finish(&out, args.out.json);
        }
        M::Runs { system, limit, out } => {
            let runs = app.monitor_runs(actor, &system, limit).await?;
            if out.json {
                output::json(&runs)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(&["run", "observed", "source", "label", "rows", "outcome"]);
            for r in &runs {
                table.row(vec![
                    r.key.clone(),
                    output::when(&r.observed_at),
                    r.source.to_string(),
                    opt(r.label.as_deref()),
                    r.rows_current.to_string(),
                    level_word(r.outcome).to_string(),
                ]);
            }
            table.print("no runs")?;
        }
        M::Show { key, report, out } => {
            let (run, full) = app.monitor_run_get(actor, &key).await?;
            if report {
                output::json(&full)?;
            } else if out.json {
                output::json(&run)?;
            } else {
                print_run(&run)?;
            }
        }
        M::Alerts { system, open, out } => {
            let alerts = app.monitor_alerts(actor, system.as_deref(), open).await?;
            if out.json {
                output::json(&alerts)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(&[
                "alert", "system", "metric", "value", "limit", "times", "status",
            ]);
            for a in &alerts {
                table.row(vec![
                    a.key.clone(),
                    a.system.clone(),
                    a.metric.clone(),
                    format!("{:.6}", a.value),
                    a.limit.to_string(),
                    a.occurrences.to_string(),
                    a.status.to_string(),
                ]);
            }
            table.print("no alerts")?;
        }
        M::Ack { key, note } => {
            let a = app.monitor_alert_ack(actor, &key, note.as_deref()).await?;
            outln!("{} acknowledged", a.key)?;
        }
        M::Status { out } => {
            let plans = app.monitor_overview(actor).await?;
            if out.json {
                output::json(&plans)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(&[
                "system",
                "owner",
                "schedule",
                "last observed",
                "next due",
                "open alerts",
            ]);
            for p in &plans {
                table.row(vec![
                    p.plan.system.clone(),
                    p.plan.owner.clone(),
                    p.plan.schedule.to_string(),
                    p.last_observed
                        .as_deref()
                        .map_or_else(|| "never".into(), output::when),
                    match (&p.next_due, p.overdue) {
                        (Some(d), true) => format!("{d} (overdue)"),
                        (Some(d), false) => d.clone(),
                        (None, _) => "-".into(),
                    },
                    p.open_alerts.to_string(),
                ]);
            }
            table.print("no monitoring plans")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
