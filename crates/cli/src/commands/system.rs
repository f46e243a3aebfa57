//! `aims system add|list|show|update|retire|export`: the AI system inventory.

use std::path::PathBuf;

use aims_app::systems::{SystemPage, SystemView};
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::commands::system_args::{Filters, SystemFlags};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, join, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum SystemCmd {
    /// Add an AI system.
    Add(SystemFlags),
    /// List AI systems.
    List {
        #[command(flatten)]
        filters: Filters,
        /// Page number, from 1.
        #[arg(long)]
        page: Option<i64>,
        /// Systems per page (default 50, at most 200).
        #[arg(long)]
        per_page: Option<i64>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one AI system.
    Show {
        /// The system's key (SYS-3).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change an AI system; only the given flags change.
    Update {
        /// The system's key (SYS-3).
        key: String,
        #[command(flatten)]
        flags: SystemFlags,
    },
    /// Retire an AI system, with a reason.
    Retire {
        /// The system's key (SYS-3).
        key: String,
        /// Why it is retired.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Export the inventory as CSV (every page).
    Export {
        #[command(flatten)]
        filters: Filters,
        /// Write to FILE instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub async fn run(s: &Session, cmd: SystemCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        SystemCmd::Add(flags) => {
            let v = app.system_add(actor, &flags.input()).await?;
            outln!(
                "added {} '{}'{}",
                v.system.key,
                v.system.fields.name,
                scope_note(&v)
            )
        }
        SystemCmd::List {
            filters,
            page,
            per_page,
            out,
        } => {
            let found = app
                .system_list(actor, &filters.query(page, per_page))
                .await?;
            if out.json {
                return output::json(&found);
            }
            print_page(&found)
        }
        SystemCmd::Show { key, out } => {
            let v = app.system_get(actor, &key).await?;
            if out.json {
                return output::json(&v);
            }
            print_system(&v)
        }
        SystemCmd::Update { key, flags } => {
            let v = app.system_update(actor, &key, &flags.input()).await?;
            outln!(
                "updated {} '{}'{}",
                v.system.key,
                v.system.fields.name,
                scope_note(&v)
            )
        }
        SystemCmd::Retire { key, reason } => {
            let v = app.system_retire(actor, &key, reason.as_deref()).await?;
            outln!("retired {} '{}'", v.system.key, v.system.fields.name)
        }
        SystemCmd::Export { filters, output } => {
            let csv = app
                .system_export_csv(actor, &filters.query(None, None))
                .await?;
            match output {
                Some(path) => {
                    std::fs::write(&path, csv)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    outln!("wrote {}", path.display())
                }
                None => output::line(csv.trim_end_matches('\n')),
            }
        }
    }
}

fn scope_note(v: &SystemView) -> &'static str {
    if v.in_scope {
        " (in scope)"
    } else {
        " (out of scope)"
    }
}

fn print_page(page: &SystemPage) -> Result<()> {
    let mut table = Table::new(&[
        "key",
        "name",
        "stage",
        "owner",
        "unit",
        "eu class",
        "criticality",
        "scope",
        "status",
    ]);
    for v in &page.items {
        let (s, f) = (&v.system, &v.system.fields);
        table.row(vec![
            s.key.clone(),
            output::clip(&f.name, 40),
            f.stage.to_string(),
            f.owner.clone(),
            output::clip(f.business_unit.as_deref().unwrap_or_default(), 24),
            f.eu_class.to_string(),
            f.criticality.to_string(),
            if v.in_scope { "in" } else { "out" }.into(),
            s.status.to_string(),
        ]);
    }
    table.print("no AI systems match")?;
    let shown = i64::try_from(page.items.len()).unwrap_or(i64::MAX);
    if shown < page.total {
        let first = (page.page - 1) * page.per_page + 1;
        let last = first + shown - 1;
        outln!(
            "{first}-{last} of {} (--page {} for more)",
            page.total,
            page.page + 1
        )?;
    }
    Ok(())
}

fn print_system(v: &SystemView) -> Result<()> {
    let (s, f) = (&v.system, &v.system.fields);
    output::fields(&[
        ("key", s.key.clone()),
        ("name", f.name.clone()),
        ("purpose", f.purpose.clone()),
        ("intended use", opt(f.intended_use.as_deref())),
        ("owner", f.owner.clone()),
        ("unit", opt(f.business_unit.as_deref())),
        ("stage", f.stage.to_string()),
        ("technique", f.technique.to_string()),
        ("ai roles", join(&f.ai_roles)),
        ("supplier", opt(f.supplier.as_deref())),
        ("data categories", join(&f.data_categories)),
        ("stakeholders", join(&f.stakeholders)),
        ("regions", join(&f.regions)),
        ("eu class", f.eu_class.to_string()),
        ("eu rationale", opt(f.eu_rationale.as_deref())),
        ("criticality", f.criticality.to_string()),
        ("in scope", if v.in_scope { "yes" } else { "no" }.into()),
        ("status", s.status.to_string()),
        ("retired reason", opt(s.retired_reason.as_deref())),
        ("created", output::when(&s.created_at)),
        ("updated", output::when(&s.updated_at)),
    ])
}
