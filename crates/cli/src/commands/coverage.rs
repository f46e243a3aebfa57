//! `aims coverage FRAMEWORK` and `aims integration import|show|list`: what the ISO/IEC 42001
//! implementation covers of another framework, and what an existing ISO 27001 or ISO 9001
//! implementation already covers of ISO 42001.

use std::path::PathBuf;

use aims_app::coverage::CoverageReport;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The covered framework: EUAIA, NISTAIRMF, ISO27001 or ISO9001.
    pub framework: String,
    /// List every requirement, not only the summary per article, function or clause.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub out: JsonArg,
}

#[derive(Debug, Subcommand)]
pub enum IntegrationCmd {
    /// Record an existing implementation from its register: CSV with an ID column (id, control
    /// or clause), a status column (implemented, partial, not implemented, not applicable) and
    /// optionally a note. Replaces the framework's earlier import.
    Import {
        /// ISO27001 or ISO9001.
        framework: String,
        /// The register, as CSV.
        file: PathBuf,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Which ISO 42001 requirements the recorded implementation covers, wholly or in part.
    Show {
        /// ISO27001 or ISO9001.
        framework: String,
        /// List every requirement, not only the summary per clause and theme.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        out: JsonArg,
    },
    /// The recorded implementations.
    List(JsonArg),
}

pub async fn run_coverage(s: &Session, args: CoverageArgs) -> Result<()> {
    let report = s.app.coverage(&s.actor, &args.framework).await?;
    if args.out.json {
        return output::json(&report);
    }
    print(&report, args.all)
}

pub async fn run_integration(s: &Session, cmd: IntegrationCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        IntegrationCmd::Import {
            framework,
            file,
            out,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let recorded = app
                .integration_import(actor, &framework, &name, &text)
                .await?;
            if out.json {
                return output::json(&recorded);
            }
            outln!(
                "recorded {} items of {} from {}; see `aims integration show {}`",
                recorded.items.len(),
                recorded.framework,
                recorded.source,
                recorded.framework
            )
        }
        IntegrationCmd::Show {
            framework,
            all,
            out,
        } => {
            let view = app.integration_coverage(actor, &framework).await?;
            if out.json {
                return output::json(&view);
            }
            let report = &view.coverage;
            match &view.implementation {
                Some(r) => outln!(
                    "{} implementation from {} ({} items), imported by {} at {}",
                    r.framework,
                    r.source,
                    r.items.len(),
                    r.imported_by,
                    output::when(&r.imported_at)
                )?,
                None => outln!(
                    "no {} implementation recorded yet; import one with `aims integration import {} FILE`",
                    report.covering,
                    report.covering
                )?,
            }
            print(report, all)
        }
        IntegrationCmd::List(out) => {
            let list = app.integration_list(actor).await?;
            if out.json {
                return output::json(&list);
            }
            let mut table = Table::new(&["framework", "items", "source", "imported by", "at"]);
            for r in list {
                table.row(vec![
                    r.framework,
                    r.items.len().to_string(),
                    r.source,
                    r.imported_by,
                    output::when(&r.imported_at),
                ]);
            }
            table.print("no implementations recorded")
        }
    }
}

fn print(report: &CoverageReport, all: bool) -> Result<()> {
    let t = &report.tally;
    outln!(
        "{} covers {}% of {}: {} wholly, {} in part, {} not covered, {} with no counterpart",
        report.covering,
        report.percent,
        report.covered,
        t.wholly,
        t.partly,
        t.uncovered,
        t.no_counterpart
    )?;
    let mut table = Table::new(&[
        "group",
        "title",
        "covered",
        "wholly",
        "partly",
        "not covered",
        "uncovered items",
    ]);
    for g in &report.groups {
        table.row(vec![
            g.id.clone(),
            g.title.clone(),
            format!("{}%", g.percent),
            g.tally.wholly.to_string(),
            g.tally.partly.to_string(),
            (g.tally.uncovered + g.tally.no_counterpart).to_string(),
            output::clip(&g.uncovered.join(", "), 60),
        ]);
    }
    table.print("no requirements")?;
    if all {
        let mut table = Table::new(&["requirement", "title", "coverage", "through"]);
        for r in &report.requirements {
            let through: Vec<String> = r
                .covered_by
                .iter()
                .map(|c| format!("{} ({}, {})", c.id, c.relationship, c.status))
                .collect();
            table.row(vec![
                r.id.clone(),
                r.title.clone(),
                r.coverage.label().into(),
                through.join("; "),
            ]);
        }
        table.print("no requirements")?;
    }
    Ok(())
}
