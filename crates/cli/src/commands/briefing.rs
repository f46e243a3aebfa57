//! `aims briefing add|list`: the business case for certification and leadership briefings.

use aims_core::journey::{BriefingInput, BriefingKind};
use anyhow::Result;
use clap::Subcommand;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum BriefingCmd {
    /// Record a briefing once it has been given.
    Add {
        #[arg(long, help = format!("Kind: {}", BriefingKind::words().join(", ")))]
        kind: String,
        /// The day it was given (YYYY-MM-DD); defaults to today.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        /// Who was briefed.
        #[arg(long)]
        audience: Option<String>,
        /// What was presented.
        #[arg(long)]
        summary: Option<String>,
        /// What was decided.
        #[arg(long)]
        decisions: Option<String>,
    },
    /// List briefings, newest first.
    List {
        #[arg(long, help = format!("Only this kind: {}", BriefingKind::words().join(", ")))]
        kind: Option<String>,
        #[command(flatten)]
        out: JsonArg,
    },
}

pub async fn run(s: &Session, cmd: BriefingCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        BriefingCmd::Add {
            kind,
            date,
            audience,
            summary,
            decisions,
        } => {
            let input = BriefingInput {
                kind: Some(kind),
                date,
                audience,
                summary,
                decisions,
            };
            let b = app.briefing_add(actor, &input).await?;
            outln!("added {} ({} on {})", b.key, b.fields.kind, b.fields.date)
        }
        BriefingCmd::List { kind, out } => {
            let list = app.briefing_list(actor, kind.as_deref()).await?;
            if out.json {
                return output::json(&list);
            }
            let mut table = Table::new(&["key", "kind", "date", "audience", "summary"]);
            for b in list {
                table.row(vec![
                    b.key,
                    b.fields.kind.to_string(),
                    b.fields.date,
                    output::clip(&b.fields.audience, 30),
                    output::clip(&b.fields.summary, 50),
                ]);
            }
            table.print("no briefings")
        }
    }
}
