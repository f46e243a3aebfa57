//! `aims gap report`: the prioritised gap list against ISO/IEC 42001, each gap with the
//! actions planned to close it.

use std::path::PathBuf;

use aims_app::gap::{to_csv, to_markdown, GapFormat, GapQuery};
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum GapCmd {
    /// Every gap, critical first: maturity below target, SoA, documented information, scope.
    Report {
        /// table, csv, md or json.
        #[arg(long, default_value = "table")]
        format: String,
        /// Print JSON (the same as --format json).
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Only gaps of this severity (critical, high, medium, low).
        #[arg(long)]
        severity: Option<String>,
        /// Only gaps from this source (maturity, soa, soa-undecided, di, scope).
        #[arg(long)]
        source: Option<String>,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub async fn run(s: &Session, cmd: GapCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        GapCmd::Report {
            format,
            json,
            severity,
            source,
            output,
        } => {
            let format = if json {
                GapFormat::Json
            } else {
                GapFormat::parse(&format)?
            };
            let report = app.gap_list(actor, &GapQuery { severity, source }).await?;
            let text = match format {
                GapFormat::Csv => to_csv(&report.gaps)?,
                GapFormat::Markdown => to_markdown(&report),
                GapFormat::Json => serde_json::to_string_pretty(&report)?,
                GapFormat::Table => {
                    let c = &report.counts;
                    let mut t = Table::new(&[
                        "severity",
                        "gap",
                        "requirement",
                        "current",
                        "target",
                        "actions",
                    ]);
                    for g in &report.gaps {
                        t.row(vec![
                            g.severity.to_string(),
                            g.id.clone(),
                            output::clip(&format!("{} {}", g.requirement, g.title), 60),
                            output::clip(&g.current, 40),
                            output::clip(&g.target, 30),
                            g.actions.join(","),
                        ]);
                    }
                    let shown = if report.gaps.len() == c.total {
                        String::new()
                    } else {
                        format!("{} shown of ", report.gaps.len())
                    };
                    let summary = format!(
                        "{shown}{} gaps: {} critical, {} high, {} medium, {} low",
                        c.total, c.critical, c.high, c.medium, c.low
                    );
                    if output.is_none() {
                        t.print("no gaps match")?;
                        return outln!("{summary}");
                    }
                    summary
                }
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, &text)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    outln!("wrote {}", path.display())
                }
                None => output::line(text.trim_end_matches('\n')),
            }
        }
    }
}
