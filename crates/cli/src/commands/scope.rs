//! `aims scope show|set|approve|history|diff` (ISO/IEC 42001 4.3).

use aims_app::scope::ScopeStatus;
use aims_core::scope::{Change, Coverage, Exclusion, ScopeInput, ScopeVersion};
use aims_core::text::split_list;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, join, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum ScopeCmd {
    /// The approved scope, the newest version, and how many systems are in and out.
    Show(JsonArg),
    /// Propose a new scope version (a draft until approved).
    Set(ScopeFlags),
    /// Approve a version; it becomes the scope in force.
    Approve {
        /// The version number.
        version: i64,
    },
    /// Every version, newest first.
    History(JsonArg),
    /// The line-by-line difference between two versions.
    Diff {
        from: i64,
        to: i64,
        #[command(flatten)]
        out: JsonArg,
    },
}

#[derive(Debug, Args)]
pub struct ScopeFlags {
    /// The scope statement.
    #[arg(long)]
    pub statement: Option<String>,
    /// Boundaries: sites, operations, organisational limits.
    #[arg(long)]
    pub boundaries: Option<String>,
    /// Business units, comma-separated.
    #[arg(long, value_name = "A,B")]
    pub units: Option<String>,
    #[arg(long, help = format!("Which systems it covers: {}", Coverage::words().join(", ")))]
    pub coverage: Option<String>,
    /// Systems covered when coverage is 'systems', comma-separated.
    #[arg(long, value_name = "SYS-1,SYS-2")]
    pub systems: Option<String>,
    /// Something left out and why, as ITEM=JUSTIFICATION (repeatable).
    #[arg(long, value_name = "ITEM=JUSTIFICATION")]
    pub exclude: Vec<String>,
}

impl ScopeFlags {
    fn input(self) -> ScopeInput {
        // Without `=` the justification is empty, which the service refuses naming the field.
        let exclusions: Vec<Exclusion> = self
            .exclude
            .iter()
            .map(|x| {
                let (item, justification) = x.split_once('=').unwrap_or((x, ""));
                Exclusion {
                    item: item.trim().to_owned(),
                    justification: justification.trim().to_owned(),
                }
            })
            .collect();
        ScopeInput {
            statement: self.statement,
            boundaries: self.boundaries,
            units: self.units.as_deref().map(split_list),
            coverage: self.coverage,
            systems: self.systems.as_deref().map(split_list),
            exclusions: (!exclusions.is_empty()).then_some(exclusions),
        }
    }
}

pub async fn run(s: &Session, cmd: ScopeCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        ScopeCmd::Show(out) => {
            let status = app.scope_status(actor).await?;
            if out.json {
                return output::json(&status);
            }
            print_status(&status)
        }
        ScopeCmd::Set(flags) => {
            let v = app.scope_set(actor, &flags.input()).await?;
            outln!(
                "proposed scope version {} ({}); approve it with `aims scope approve {}`",
                v.version,
                v.key,
                v.version
            )
        }
        ScopeCmd::Approve { version } => {
            let v = app.scope_approve(actor, version).await?;
            let status = app.scope_status(actor).await?;
            outln!(
                "approved scope version {}: {} AI systems in scope, {} out",
                v.version,
                status.systems_in_scope,
                status.systems_out_of_scope
            )
        }
        ScopeCmd::History(out) => {
            let versions = app.scope_history(actor).await?;
            if out.json {
                return output::json(&versions);
            }
            let mut table = Table::new(&[
                "version",
                "key",
                "coverage",
                "created by",
                "created",
                "approved by",
                "approved",
            ]);
            for v in versions {
                table.row(vec![
                    v.version.to_string(),
                    v.key,
                    v.fields.coverage.to_string(),
                    v.created_by,
                    output::when(&v.created_at),
                    opt(v.approved_by.as_deref()),
                    v.approved_at
                        .as_deref()
                        .map(output::when)
                        .unwrap_or_default(),
                ]);
            }
            table.print("no scope versions; propose one with `aims scope set`")
        }
        ScopeCmd::Diff { from, to, out } => {
            let lines = app.scope_diff(actor, from, to).await?;
            if out.json {
                return output::json(&lines);
            }
            for l in lines {
                let mark = match l.change {
                    Change::Added => '+',
                    Change::Removed => '-',
                    Change::Same => ' ',
                };
                outln!("{mark} {}", l.text)?;
            }
            Ok(())
        }
    }
}

fn print_status(status: &ScopeStatus) -> Result<()> {
    match &status.approved {
        Some(v) => {
            outln!(
                "scope in force: version {} ({}), approved by {} at {}",
                v.version,
                v.key,
                opt(v.approved_by.as_deref()),
                output::when(v.approved_at.as_deref().unwrap_or_default())
            )?;
            print_version(v)?;
        }
        None => outln!("no approved scope yet")?,
    }
    if let Some(latest) = status.latest.as_ref().filter(|l| !l.is_approved()) {
        outln!(
            "draft awaiting approval: version {} by {} at {} (`aims scope approve {}`)",
            latest.version,
            latest.created_by,
            output::when(&latest.created_at),
            latest.version
        )?;
    }
    outln!(
        "AI systems in scope: {}, out of scope: {}",
        status.systems_in_scope,
        status.systems_out_of_scope
    )
}

fn print_version(v: &ScopeVersion) -> Result<()> {
    let f = &v.fields;
    let exclusions = f
        .exclusions
        .iter()
        .map(|x| format!("{} ({})", x.item, x.justification));
    output::fields(&[
        ("  statement", f.statement.clone()),
        ("  boundaries", opt(f.boundaries.as_deref())),
        ("  units", join(&f.units)),
        ("  coverage", f.coverage.label().to_owned()),
        ("  systems", join(&f.systems)),
        ("  exclusions", exclusions.collect::<Vec<_>>().join("; ")),
    ])
}
