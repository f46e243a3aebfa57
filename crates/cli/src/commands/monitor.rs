//! `aims monitor compute`: every monitoring metric for prediction-log files alone, no database.
//!
//! Exit codes make it a pipeline gate: 0 when no breach limit is crossed (warnings alone are
//! fine), 3 when any is, 2 for bad input (a missing column, a bad schema or thresholds file, an
//! unreadable log), 1 for anything else.

use std::path::PathBuf;
use std::process::ExitCode;

use aims_monitor::report::Performance;
use aims_monitor::thresholds::{Finding, Thresholds};
use aims_monitor::{compute, Input, LogSchema, MonitorError, Options, Progress, Report, Tasks};
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::failure;
use crate::outln;
use crate::output::{self, Table};

/// Exit code when a breach threshold is crossed.
pub const BREACH: u8 = 3;

#[derive(Debug, Subcommand)]
pub enum MonitorCmd {
    /// Compute performance, fairness, drift and data quality for log files (no database).
    Compute(ComputeArgs),
    /// Set or show a system's monitoring plan.
    #[command(subcommand)]
    Plan(super::monitoring::PlanCmd),
    /// Compute a prediction log under a system's plan and record the run (exits 3 on a breach).
    Run(super::monitoring::RunArgs),
    /// Record metric values computed elsewhere, judged under the plan (exits 3 on a breach).
    Push(super::monitoring::PushArgs),
    /// A system's runs, newest first.
    Runs {
        /// The AI system (SYS-3).
        system: String,
        /// Most runs to list (1 to 500).
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[command(flatten)]
        out: crate::commands::JsonArg,
    },
    /// One run with its judged values.
    Show {
        /// The run's key (RUN-4).
        key: String,
        /// Print the full metrics report of a computed log as JSON.
        #[arg(long)]
        report: bool,
        #[command(flatten)]
        out: crate::commands::JsonArg,
    },
    /// Alerts raised by warnings, newest first.
    Alerts {
        /// Only this system's alerts (SYS-3).
        #[arg(long)]
        system: Option<String>,
        /// Only open alerts.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        out: crate::commands::JsonArg,
    },
    /// Acknowledge an open alert.
    Ack {
        /// The alert's key (ALR-2).
        key: String,
        /// What was done about it.
        #[arg(long)]
        note: Option<String>,
    },
    /// Every plan: last observation, next run due, open alerts.
    Status {
        #[command(flatten)]
        out: crate::commands::JsonArg,
    },
}

impl MonitorCmd {
    /// Whether the command reads log files only, without the database.
    pub fn is_offline(&self) -> bool {
        matches!(self, MonitorCmd::Compute(_))
    }
}

#[derive(Debug, Args)]
pub struct ComputeArgs {
    /// The current prediction log (.csv, .parquet or .ndjson).
    #[arg(long, value_name = "FILE")]
    pub current: PathBuf,
    /// A reference log to compare against (drift and quality).
    #[arg(long, value_name = "FILE", conflicts_with = "split_at")]
    pub reference: Option<PathBuf>,
    /// Split --current at this RFC 3339 time: earlier rows are the reference.
    #[arg(long, value_name = "RFC3339")]
    pub split_at: Option<String>,
    /// The log schema (TOML): which column holds what.
    #[arg(long, value_name = "SCHEMA.toml")]
    pub schema: PathBuf,
    /// Also compute every metric per window of the current rows: 30m, 6h, 1d, 7d... (windows
    /// start at multiples of the length since the Unix epoch, so days start at midnight UTC).
    #[arg(long, value_name = "DURATION", value_parser = parse_window)]
    pub window: Option<WindowLen>,
    /// Warn and breach thresholds (TOML); a crossed breach exits 3.
    #[arg(long, value_name = "FILE")]
    pub thresholds: Option<PathBuf>,
    /// Print the full report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Compute only this metric family (repeatable); only the columns it needs are read.
    #[arg(long, value_name = "FAMILY", value_enum)]
    pub only: Vec<Family>,
}

/// A metric family for `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Family {
    Performance,
    Fairness,
    Drift,
    Quality,
}

/// The families to compute: all, or those named by `--only`.
fn tasks(only: &[Family]) -> Tasks {
    if only.is_empty() {
        return Tasks::ALL;
    }
    let mut t = Tasks::NONE;
    for f in only {
        match f {
            Family::Performance => t.performance = true,
            Family::Fairness => t.fairness = true,
            Family::Drift => t.drift = true,
            Family::Quality => t.quality = true,
        }
    }
    t
}

/// A window length in microseconds.
#[derive(Debug, Clone, Copy)]
pub struct WindowLen(pub i64);

/// `N` followed by s, m, h, d or w.
fn parse_window(text: &str) -> std::result::Result<WindowLen, String> {
    let (digits, unit) = text.split_at(text.len().saturating_sub(1));
    let seconds: i64 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err("expected a number and a unit: s, m, h, d or w (e.g. 1d)".into()),
    };
    let n: i64 = digits
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("'{digits}' is not a positive whole number"))?;
    n.checked_mul(seconds)
        .and_then(|s| s.checked_mul(1_000_000))
        .map(WindowLen)
        .ok_or_else(|| "window too long".into())
}

/// Runs a monitor command.
pub fn run(cmd: MonitorCmd) -> Result<ExitCode> {
    match cmd {
        MonitorCmd::Compute(args) => compute_cmd(&args),
        _ => anyhow::bail!("this monitor command needs the database"),
    }
}

fn compute_cmd(args: &ComputeArgs) -> Result<ExitCode> {
    let cutoff_us = match &args.split_at {
        Some(text) => Some(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|e| failure::invalid("split-at", format!("not an RFC 3339 time: {e}")))?
                .timestamp_micros(),
        ),
        None => None,
    };
    let input = match (&args.reference, cutoff_us) {
        (Some(reference), _) => Input::Pair {
            reference,
            current: &args.current,
        },
        (None, Some(cutoff_us)) => Input::Split {
            file: &args.current,
            cutoff_us,
        },
        (None, None) => Input::Whole(&args.current),
    };
    let report = match run_engine(args, input) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(failure::BAD_INPUT));
        }
    };
    if args.json {
        output::json(&report)?;
    } else {
        summary(&report)?;
    }
    let breaches = report
        .thresholds
        .as_ref()
        .map_or(&[][..], |t| &t.breaches[..]);
    for b in breaches {
        eprintln!("breach: {}", describe(b));
    }
    Ok(if breaches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(BREACH)
    })
}

fn run_engine(args: &ComputeArgs, input: Input<'_>) -> Result<Report, MonitorError> {
    let schema = LogSchema::load(&args.schema)?;
    let thresholds = args
        .thresholds
        .as_deref()
        .map(Thresholds::load)
        .transpose()?;
    let bar = crate::progress::Bar::new();
    let tell = |step| bar.step(step);
    let options = Options {
        window_us: args.window.map(|w| w.0),
        thresholds: thresholds.as_ref(),
        tasks: tasks(&args.only),
        progress: Some(Progress(&tell)),
    };
    compute(&schema, input, &options)
}

fn describe(f: &Finding) -> String {
    let side = match f.direction {
        aims_monitor::thresholds::Direction::Above => ">",
        aims_monitor::thresholds::Direction::Below => "<",
    };
    format!("{} = {} {side} {}", f.metric, num(Some(f.value)), f.limit)
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"))
}

/// A readable summary: one section per metric family.
fn summary(r: &Report) -> Result<()> {
    match r.rows.reference {
        Some(n) => outln!("rows: reference {n}, current {}", r.rows.current)?,
        None => outln!("rows: {}", r.rows.current)?,
    }
    if let Some(perf) = &r.performance {
        outln!("\nperformance")?;
        for (name, p) in [
            ("reference", perf.reference.as_ref()),
            ("current", Some(&perf.current)),
        ] {
            match p {
                Some(Performance::Binary(b)) => outln!(
                    "  {name}: accuracy {} precision {} recall {} f1 {} roc_auc {} brier {} log_loss {}",
                    num(b.accuracy),
                    num(b.precision),
                    num(b.recall),
                    num(b.f1),
                    num(b.roc_auc),
                    num(b.brier),
                    num(b.log_loss)
                )?,
                Some(Performance::Regression(g)) => {
                    outln!("  {name}: mae {} rmse {}", num(g.mae), num(g.rmse))?
                }
                None => {}
            }
        }
    }
    if let Some(fair) = &r.fairness {
        outln!("\nfairness (current)")?;
        let mut t = Table::new(&[
            "attribute",
            "dp diff",
            "dp ratio",
            "eq odds diff",
            "eq opp diff",
            "4/5 rule",
        ]);
        for (attr, a) in &fair.current {
            t.row(vec![
                attr.clone(),
                num(a.demographic_parity_difference),
                num(a.demographic_parity_ratio),
                num(a.equalized_odds_difference),
                num(a.equal_opportunity_difference),
                a.four_fifths_rule_pass
                    .map_or("-", |p| if p { "pass" } else { "FAIL" })
                    .to_string(),
            ]);
        }
        t.print("  no groups")?;
    }
    if let Some(drift) = &r.drift {
        outln!("\ndrift (reference -> current)")?;
        let mut t = Table::new(&[
            "column",
            "psi",
            "ks",
            "ks p",
            "js",
            "wasserstein / chi2 (p)",
        ]);
        for (c, d) in &drift.numeric {
            t.row(vec![
                c.clone(),
                num(Some(d.psi)),
                num(Some(d.ks_statistic)),
                num(Some(d.ks_pvalue)),
                num(Some(d.js_distance)),
                num(Some(d.wasserstein)),
            ]);
        }
        for (c, d) in &drift.categorical {
            t.row(vec![
                c.clone(),
                num(Some(d.psi)),
                "-".into(),
                "-".into(),
                num(Some(d.js_distance)),
                format!(
                    "{} ({})",
                    num(Some(d.chi2_statistic)),
                    num(Some(d.chi2_pvalue))
                ),
            ]);
        }
        t.print("  no columns")?;
    }
    let issues: Vec<String> = r
        .quality
        .iter()
        .filter_map(|(c, q)| {
            let unseen = q.unseen_categories.as_ref().filter(|u| !u.is_empty());
            let out = q.out_of_reference_range.filter(|n| *n > 0);
            (q.missing > 0 || unseen.is_some() || out.is_some()).then(|| {
                let mut parts = vec![format!("missing {}", q.missing)];
                parts.extend(out.map(|n| format!("out of reference range {n}")));
                parts.extend(unseen.map(|u| format!("unseen categories {}", u.join(", "))));
                format!("  {c}: {}", parts.join(", "))
            })
        })
        .collect();
    outln!(
        "\nquality: {}",
        if issues.is_empty() { "no issues" } else { "" }
    )?;
    for line in issues {
        outln!("{line}")?;
    }
    if let Some(windows) = &r.windows {
        outln!("\nwindows")?;
        let mut t = Table::new(&["start", "rows", "accuracy", "max psi"]);
        for (start, w) in windows {
            let accuracy = match &w.performance {
                Some(Performance::Binary(b)) => num(b.accuracy),
                Some(Performance::Regression(g)) => format!("mae {}", num(g.mae)),
                None => "-".into(),
            };
            let psi = w.drift.as_ref().and_then(|d| {
                let numeric = d.numeric.values().map(|n| n.psi);
                numeric
                    .chain(d.categorical.values().map(|c| c.psi))
                    .reduce(f64::max)
            });
            t.row(vec![start.clone(), w.rows.to_string(), accuracy, num(psi)]);
        }
        t.print("  no rows")?;
    }
    if let Some(t) = &r.thresholds {
        outln!(
            "\nthresholds: {} values checked, {} breaches, {} warnings",
            t.checked,
            t.breaches.len(),
            t.warnings.len()
        )?;
        for b in &t.breaches {
            outln!("  BREACH {}", describe(b))?;
        }
        for w in &t.warnings {
            outln!("  warn   {}", describe(w))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_lengths_parse_to_microseconds() {
        assert_eq!(parse_window("1d").map(|w| w.0), Ok(86_400_000_000));
        assert_eq!(parse_window("30m").map(|w| w.0), Ok(1_800_000_000));
        assert!(parse_window("0h").is_err());
        assert!(parse_window("d").is_err());
        assert!(parse_window("5y").is_err());
    }
}
