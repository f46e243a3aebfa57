//! `aims certbody add|list|update`: certification bodies under consideration.

use aims_core::certbody::{CertBody, CertBodyInput, CertBodyStatus};
use aims_core::text::split_list;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum CertBodyCmd {
    /// Record a certification body (a candidate unless --status says otherwise).
    Add(CertBodyFlags),
    /// List the certification bodies.
    List(JsonArg),
    /// Change a certification body; only the given flags change.
    Update {
        /// The body's key (CB-1).
        key: String,
        #[command(flatten)]
        flags: CertBodyFlags,
    },
}

#[derive(Debug, Args)]
pub struct CertBodyFlags {
    /// Unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// The accreditation body and scheme ('' clears it).
    #[arg(long)]
    pub accreditation: Option<String>,
    /// A sector it audits; repeat or separate with commas; '' empties the list.
    #[arg(long = "sector", value_name = "SECTOR")]
    pub sectors: Vec<String>,
    /// Its experience with AI management systems ('' clears it).
    #[arg(long)]
    pub ai_experience: Option<String>,
    /// Notes ('' clears them).
    #[arg(long)]
    pub notes: Option<String>,
    #[arg(long, help = format!("Status: {} (at most one selected)", CertBodyStatus::words().join(", ")))]
    pub status: Option<String>,
}

impl CertBodyFlags {
    fn input(self) -> CertBodyInput {
        CertBodyInput {
            name: self.name,
            accreditation: self.accreditation,
            sectors: if self.sectors.is_empty() {
                None
            } else {
                Some(self.sectors.iter().flat_map(|v| split_list(v)).collect())
            },
            ai_experience: self.ai_experience,
            notes: self.notes,
            status: self.status,
        }
    }
}

pub async fn run(s: &Session, cmd: CertBodyCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        CertBodyCmd::Add(flags) => {
            let b = app.certbody_add(actor, &flags.input()).await?;
            outln!("added {} '{}' ({})", b.key, b.fields.name, b.fields.status)
        }
        CertBodyCmd::List(out) => {
            let bodies = app.certbody_list(actor).await?;
            if out.json {
                return output::json(&bodies);
            }
            print_table(&bodies)
        }
        CertBodyCmd::Update { key, flags } => {
            let b = app.certbody_update(actor, &key, &flags.input()).await?;
            outln!(
                "updated {} '{}' ({})",
                b.key,
                b.fields.name,
                b.fields.status
            )
        }
    }
}

fn print_table(bodies: &[CertBody]) -> Result<()> {
    let mut table = Table::new(&["key", "name", "status", "accreditation", "sectors"]);
    for b in bodies {
        let f = &b.fields;
        table.row(vec![
            b.key.clone(),
            output::clip(&f.name, 40),
            f.status.to_string(),
            output::clip(&opt(f.accreditation.as_deref()), 40),
            f.sectors.join(", "),
        ]);
    }
    table.print("no certification bodies")
}
