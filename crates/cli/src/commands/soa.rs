//! `aims soa show|set|export|snapshot|approve|history`: the Statement of Applicability
//! (ISO/IEC 42001 6.1.3 d).

use std::path::PathBuf;

use aims_app::soa::{SoaFormat, SoaQuery};
use aims_app::AppError;
use aims_core::soa::{SoaEntryInput, SoaStatus};
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum SoaCmd {
    /// One line per Annex A control: applicable, justification, status, linked controls (sort by
    /// control, applicable, status or controls).
    Show {
        /// Only this group of Annex A (A.6).
        #[arg(long)]
        group: Option<String>,
        /// Only this decision: yes, no or undecided.
        #[arg(long)]
        applicable: Option<String>,
        #[arg(long, help = format!("Only this status: {}", SoaStatus::words().join(", ")))]
        status: Option<String>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Decide whether an Annex A control applies; the justification is required either way.
    Set {
        /// The Annex A control (A.6.2.4).
        control_id: String,
        /// yes or no.
        #[arg(long, value_name = "yes|no")]
        applicable: String,
        /// Why it is included or excluded.
        #[arg(long)]
        justification: Option<String>,
    },
    /// Write the statement as CSV, XLSX or Markdown.
    Export {
        /// csv, xlsx (needs --output) or md.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Record the current statement as a new version.
    Snapshot,
    /// Approve a version.
    Approve {
        /// The version number.
        version: i64,
    },
    /// Every version, newest first.
    History(JsonArg),
}

fn yes_no(word: &str) -> Result<bool, AppError> {
    match word.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        other => Err(AppError::invalid(
            "applicable",
            format!("unknown value '{other}'; expected one of: yes, no"),
        )),
    }
}

pub async fn run(s: &Session, cmd: SoaCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        SoaCmd::Show {
            group,
            applicable,
            status,
            list,
            out,
        } => {
            let query = SoaQuery {
                q: list.q,
                group,
                applicable,
                status,
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = app.soa_list(actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let lines = found.items;
            let shown = lines.len();
            if out.json {
                return output::json(&lines);
            }
            let mut table = Table::new(&[
                "control",
                "title",
                "applicable",
                "status",
                "controls",
                "justification",
            ]);
            for l in lines {
                table.row(vec![
                    l.control_id,
                    l.title,
                    match l.applicable {
                        Some(true) => "yes".into(),
                        Some(false) => "no".into(),
                        None => "undecided".into(),
                    },
                    l.status.to_string(),
                    l.controls.join(", "),
                    opt(l.justification.as_deref()),
                ]);
            }
            table.print("no Annex A controls match")?;
            print_range(total, page, per_page, shown)
        }
        SoaCmd::Set {
            control_id,
            applicable,
            justification,
        } => {
            let input = SoaEntryInput {
                applicable: Some(yes_no(&applicable)?),
                justification,
            };
            let e = app.soa_set(actor, &control_id, &input).await?;
            outln!(
                "{}: {}",
                e.control_id,
                if e.applicable {
                    "applicable"
                } else {
                    "excluded"
                }
            )
        }
        SoaCmd::Export { format, output } => {
            let format = SoaFormat::parse(&format)?;
            if format == SoaFormat::Xlsx && output.is_none() {
                return Err(AppError::invalid(
                    "output",
                    "an XLSX workbook is binary; name a file with --output",
                )
                .into());
            }
            let bytes = app.soa_export(actor, format).await?;
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    outln!("wrote {}", path.display())
                }
                None => output::line(String::from_utf8_lossy(&bytes).trim_end_matches('\n')),
            }
        }
        SoaCmd::Snapshot => {
            let v = app.soa_snapshot(actor).await?;
            outln!(
                "recorded SoA version {} ({}); approve it with `aims soa approve {}`",
                v.version,
                v.key,
                v.version
            )
        }
        SoaCmd::Approve { version } => {
            let v = app.soa_approve(actor, version).await?;
            outln!("approved SoA version {} ({})", v.version, v.key)
        }
        SoaCmd::History(out) => {
            let versions = app.soa_history(actor).await?;
            if out.json {
                return output::json(&versions);
            }
            let mut table = Table::new(&[
                "version",
                "key",
                "created by",
                "created",
                "approved by",
                "approved",
            ]);
            for v in versions {
                table.row(vec![
                    v.version.to_string(),
                    v.key,
                    v.created_by,
                    output::when(&v.created_at),
                    opt(v.approved_by.as_deref()),
                    v.approved_at
                        .as_deref()
                        .map(output::when)
                        .unwrap_or_default(),
                ]);
            }
            table.print("no SoA versions; record one with `aims soa snapshot`")
        }
    }
}
