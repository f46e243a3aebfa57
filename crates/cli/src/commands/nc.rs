//! `aims nc add|list|show|update|action|verify|close`: nonconformities and corrective actions.

use aims_app::nonconformities::{NcActionInput, NcQuery, VerifyInput};
use aims_core::action::ActionInput;
use aims_core::nonconformity::{CheckResult, NcInput, NcSource, NcStatus, Nonconformity};
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum NcCmd {
    /// Record a nonconformity.
    Add {
        #[command(flatten)]
        flags: NcFlags,
    },
    /// List nonconformities, newest first.
    List {
        #[arg(long, help = format!("Only this status: {}", NcStatus::words().join(", ")))]
        status: Option<String>,
        /// Only nonconformities not closed.
        #[arg(long)]
        open: bool,
        #[arg(long, help = format!("Only this source: {}", NcSource::words().join(", ")))]
        source: Option<String>,
        /// Only nonconformities owned by this user.
        #[arg(long, value_name = "USERNAME")]
        owner: Option<String>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one nonconformity with its actions and checks.
    Show {
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change a nonconformity; only the given flags change.
    Update {
        key: String,
        #[command(flatten)]
        flags: NcFlags,
    },
    /// Add a corrective action: a new roadmap action (--title, --owner, --due), or an existing
    /// one (--existing ACT-n).
    Action {
        key: String,
        /// Link this existing action instead of creating one.
        #[arg(long, value_name = "ACT", conflicts_with_all = ["title", "owner", "due", "effort"])]
        existing: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// Username of the person who carries it out.
        #[arg(long)]
        owner: Option<String>,
        /// Due date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// Effort in person-days (default 1).
        #[arg(long, value_name = "DAYS")]
        effort: Option<i64>,
    },
    /// Record an effectiveness check of a corrective action: effective sets it done.
    Verify {
        key: String,
        /// The corrective action checked (ACT-n).
        #[arg(long)]
        action: String,
        #[arg(long, help = format!("Result: {}", CheckResult::words().join(", ")))]
        result: String,
        /// What was checked and found.
        #[arg(long)]
        note: String,
        /// The day of the check (YYYY-MM-DD); today when absent.
        #[arg(long = "checked-at", value_name = "DATE")]
        checked_at: Option<String>,
    },
    /// Close a nonconformity whose every corrective action was checked effective.
    Close { key: String },
}

#[derive(Debug, Args)]
pub struct NcFlags {
    #[arg(long, help = format!("Where it was found: {}", NcSource::words().join(", ")))]
    pub source: Option<String>,
    /// The incident it came from (INC-n; '' clears it).
    #[arg(long = "source-ref", value_name = "INC")]
    pub source_ref: Option<String>,
    /// The requirement not met (ISO42001:8.4; '' clears it).
    #[arg(long)]
    pub requirement: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    /// The immediate fix.
    #[arg(long)]
    pub correction: Option<String>,
    #[arg(long = "root-cause")]
    pub root_cause: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    /// Due date (YYYY-MM-DD; '' clears it).
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    #[arg(
        long,
        help = "Status: open, action_planned, verifying (closing is `nc close`)"
    )]
    pub status: Option<String>,
}

impl NcFlags {
    fn input(self) -> NcInput {
        NcInput {
            source: self.source,
            source_ref: self.source_ref,
            requirement: self.requirement,
            description: self.description,
            correction: self.correction,
            root_cause: self.root_cause,
            owner: self.owner,
            due_date: self.due,
            status: self.status,
        }
    }
}

pub async fn run(s: &Session, cmd: NcCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        NcCmd::Add { flags } => {
            let nc = app.nc_add(actor, &flags.input()).await?;
            outln!("added {}", nc.key)
        }
        NcCmd::List {
            status,
            open,
            source,
            owner,
            list,
            out,
        } => {
            let query = NcQuery {
                q: list.q,
                status,
                open: Some(open),
                source,
                owner,
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
                ..Default::default()
            };
            let found = app.nc_list(actor, &query).await?;
            if out.json {
                return output::json(&found);
            }
            print_table(&found.items)?;
            print_range(found.total, found.page, found.per_page, found.items.len())
        }
        NcCmd::Show { key, out } => {
            let nc = app.nc_get(actor, &key).await?;
            if out.json {
                return output::json(&nc);
            }
            print_nc(&nc)
        }
        NcCmd::Update { key, flags } => {
            let nc = app.nc_update(actor, &key, &flags.input()).await?;
            outln!("updated {} ({})", nc.key, nc.status)
        }
        NcCmd::Action {
            key,
            existing,
            title,
            owner,
            due,
            effort,
        } => {
            let input = match existing {
                Some(a) => NcActionInput::Existing(a),
                None => NcActionInput::New(Box::new(ActionInput {
                    title,
                    owner,
                    due_date: due,
                    effort: Some(effort.unwrap_or(1)),
                    ..Default::default()
                })),
            };
            let (nc, a) = app.nc_action(actor, &key, &input).await?;
            outln!(
                "{} is a corrective action of {} ({})",
                a.key,
                nc.key,
                nc.status
            )
        }
        NcCmd::Verify {
            key,
            action,
            result,
            note,
            checked_at,
        } => {
            let input = VerifyInput {
                action,
                result,
                note,
                checked_at,
            };
            let (nc, a) = app.nc_verify(actor, &key, &input).await?;
            outln!(
                "{} checked: {} is {}; {} is {}",
                nc.key,
                a.key,
                a.fields.status,
                nc.key,
                nc.status
            )
        }
        NcCmd::Close { key } => {
            let nc = app.nc_close(actor, &key).await?;
            outln!("{} is closed", nc.key)
        }
    }
}

fn print_table(items: &[Nonconformity]) -> Result<()> {
    let mut table = Table::new(&[
        "key",
        "status",
        "source",
        "requirement",
        "description",
        "owner",
        "due",
        "actions",
    ]);
    for nc in items {
        table.row(vec![
            nc.key.clone(),
            nc.status.to_string(),
            match &nc.source_ref {
                Some(r) => format!("{} {r}", nc.source),
                None => nc.source.to_string(),
            },
            opt(nc.requirement.as_deref()),
            output::clip(&nc.description, 40),
            nc.owner.clone(),
            opt(nc.due_date.as_deref()),
            nc.actions.join(","),
        ]);
    }
    table.print("no nonconformities")
}

fn print_nc(nc: &Nonconformity) -> Result<()> {
    output::fields(&[
        ("key", nc.key.clone()),
        ("status", nc.status.to_string()),
        ("source", nc.source.to_string()),
        ("source ref", opt(nc.source_ref.as_deref())),
        ("requirement", opt(nc.requirement.as_deref())),
        ("description", nc.description.clone()),
        ("correction", opt(nc.correction.as_deref())),
        ("root cause", opt(nc.root_cause.as_deref())),
        ("owner", nc.owner.clone()),
        ("due", opt(nc.due_date.as_deref())),
        ("actions", nc.actions.join(", ")),
    ])?;
    if !nc.checks.is_empty() {
        outln!("checks:")?;
        for c in &nc.checks {
            outln!(
                "  {}  {}  {}  by {}: {}",
                c.checked_at,
                c.action,
                c.result,
                c.checked_by,
                c.note
            )?;
        }
    }
    Ok(())
}
