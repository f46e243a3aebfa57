//! `aims ledger verify|log|checkpoint`: the hash-chained change ledger.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use aims_app::ledger::LedgerQuery;
use aims_core::ledger::Checkpoint;
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::commands::list_args::print_range;
use crate::commands::JsonArg;
use crate::output::{self, Table};
use crate::session::Session;
use crate::{failure, outln};

#[derive(Debug, Subcommand)]
pub enum LedgerCmd {
    /// Recompute the chain and check every record against its last event; exit 1 if broken.
    Verify {
        /// A checkpoint saved earlier with `aims ledger checkpoint`.
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Events, newest first (`--sort seq` for oldest first), a page at a time.
    Log {
        /// Only the events of this record (SYS-3).
        #[arg(long, value_name = "KEY")]
        entity: Option<String>,
        /// Only events of this kind of record (ai_system, risk, ...).
        #[arg(long)]
        kind: Option<String>,
        /// Only events by this user, directly or through one of their API tokens.
        #[arg(long, value_name = "USERNAME")]
        actor: Option<String>,
        /// Only events of this action (create, update, approve, ...).
        #[arg(long)]
        action: Option<String>,
        /// Only events on or after this day (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only events on or before this day (YYYY-MM-DD, UTC).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Events per page (default 50, at most 1000).
        #[arg(long, value_name = "N")]
        limit: Option<i64>,
        /// Page number, from 1.
        #[arg(long)]
        page: Option<i64>,
        /// Only events before this sequence number (reading on from the last one seen).
        #[arg(long, value_name = "SEQ")]
        before: Option<i64>,
        /// seq (oldest first) or -seq (newest first, the default).
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Print the head of the chain as {"seq":N,"hash":"..."} for an auditor to keep.
    Checkpoint,
}

pub async fn run(s: &Session, cmd: LedgerCmd) -> Result<ExitCode> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        LedgerCmd::Verify { checkpoint, out } => {
            let checkpoint = checkpoint.as_deref().map(read_checkpoint).transpose()?;
            let report = app.ledger_verify(actor, checkpoint.as_ref()).await?;
            if out.json {
                output::json(&report)?;
            } else if report.intact {
                outln!("{}", report.message)?;
                outln!("head: seq {} hash {}", report.head.seq, report.head.hash)?;
            }
            if report.intact {
                return Ok(ExitCode::SUCCESS);
            }
            if !out.json {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: ledger broken: {}",
                    report.message
                );
            }
            Ok(ExitCode::from(failure::FAILED))
        }
        LedgerCmd::Log {
            entity,
            kind,
            actor: by,
            action,
            from,
            to,
            limit,
            page,
            before,
            sort,
            out,
        } => {
            let query = LedgerQuery {
                key: entity,
                kind,
                actor: by,
                action,
                from,
                to,
                before,
                sort,
                page,
                limit,
                ..LedgerQuery::default()
            };
            let found = app.ledger_list(actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let events = found.items;
            let shown = events.len();
            if out.json {
                output::json(&events)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut table = Table::new(&["seq", "at", "actor", "action", "kind", "key"]);
            for e in events {
                table.row(vec![
                    e.seq.to_string(),
                    output::when(&e.at),
                    e.actor,
                    e.action,
                    e.kind,
                    e.key,
                ]);
            }
            table.print("no events")?;
            print_range(total, page, per_page, shown)?;
            Ok(ExitCode::SUCCESS)
        }
        LedgerCmd::Checkpoint => {
            let head = app.ledger_checkpoint(actor).await?;
            outln!("{}", serde_json::to_string(&head)?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A checkpoint file as written by `aims ledger checkpoint`.
fn read_checkpoint(path: &Path) -> Result<Checkpoint> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read checkpoint file {}", path.display()))?;
    serde_json::from_str(text.trim()).map_err(|e| {
        failure::invalid(
            "checkpoint",
            format!(
                "{} is not a checkpoint ({{\"seq\":N,\"hash\":\"...\"}}): {e}",
                path.display()
            ),
        )
    })
}
