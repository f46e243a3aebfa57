//! `aims action add|list|show|update`: roadmap actions.

use aims_app::actions::{today, ActionQuery};
use aims_core::action::{ActionInput, ActionStatus, RoadmapAction};
use aims_core::text::split_list;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum ActionCmd {
    /// Record an action.
    Add {
        #[command(flatten)]
        flags: ActionFlags,
        /// Plan it against this gap of `aims gap report` (soa:A.6.2.4): sets the gap, and the
        /// title and requirement unless given.
        #[arg(long = "from-gap", value_name = "GAP_ID", conflicts_with = "gap")]
        from_gap: Option<String>,
    },
    /// List actions.
    List {
        #[arg(long, help = format!("Only this status: {}", ActionStatus::words().join(", ")))]
        status: Option<String>,
        /// Only actions owned by this user.
        #[arg(long)]
        owner: Option<String>,
        /// Only actions due before today that are neither done nor cancelled.
        #[arg(long)]
        overdue: bool,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one action.
    Show {
        /// The action's key (ACT-2).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change an action; only the given flags change.
    Update {
        /// The action's key (ACT-2).
        key: String,
        #[command(flatten)]
        flags: ActionFlags,
    },
}

#[derive(Debug, Args)]
pub struct ActionFlags {
    #[arg(long)]
    pub title: Option<String>,
    /// What is to be done ('' clears it).
    #[arg(long)]
    pub description: Option<String>,
    /// Username of the person who carries it out.
    #[arg(long)]
    pub owner: Option<String>,
    /// Start date (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// Due date (YYYY-MM-DD), not before the start.
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    #[arg(long, help = format!("Status: {}", ActionStatus::words().join(", ")))]
    pub status: Option<String>,
    /// Effort in person-days (a whole number above 0).
    #[arg(long, value_name = "DAYS")]
    pub effort: Option<i64>,
    /// An action it depends on (ACT-1); repeat or separate with commas; '' empties the list.
    #[arg(long = "depends-on", value_name = "KEY")]
    pub depends_on: Vec<String>,
    /// The gap it closes, SOURCE:ID (soa:A.6.2.4, maturity:6.1.2); '' clears it.
    #[arg(long)]
    pub gap: Option<String>,
    /// A requirement it serves, FRAMEWORK:ID (ISO42001:6.1.2); repeat or separate with commas.
    #[arg(long = "requirement", value_name = "REF")]
    pub requirements: Vec<String>,
}

/// The values of a repeated flag, each split at commas; `None` when the flag was not given.
fn listed(values: Vec<String>) -> Option<Vec<String>> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().flat_map(|v| split_list(v)).collect())
    }
}

impl ActionFlags {
    fn input(self) -> ActionInput {
        ActionInput {
            title: self.title,
            description: self.description,
            owner: self.owner,
            start_date: self.start,
            due_date: self.due,
            status: self.status,
            effort: self.effort,
            depends_on: listed(self.depends_on),
            gap: self.gap,
            requirements: listed(self.requirements),
        }
    }
}

pub async fn run(s: &Session, cmd: ActionCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        ActionCmd::Add { flags, from_gap } => {
            let mut input = flags.input();
            if let Some(id) = from_gap {
                let defaults = app.action_defaults_for_gap(actor, "from_gap", &id).await?;
                input.gap = defaults.gap;
                input.title = input.title.or(defaults.title);
                input.requirements = input.requirements.or(defaults.requirements);
            }
            let a = app.action_add(actor, &input).await?;
            outln!("added {} '{}'", a.key, a.fields.title)
        }
        ActionCmd::List {
            status,
            owner,
            overdue,
            list,
            out,
        } => {
            let query = ActionQuery {
                q: list.q,
                status,
                owner,
                overdue: Some(overdue),
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = app.action_list(actor, &query).await?;
            if out.json {
                return output::json(&found.items);
            }
            print_table(&found.items)?;
            print_range(found.total, found.page, found.per_page, found.items.len())
        }
        ActionCmd::Show { key, out } => {
            let a = app.action_get(actor, &key).await?;
            if out.json {
                return output::json(&a);
            }
            print_action(&a)
        }
        ActionCmd::Update { key, flags } => {
            let a = app.action_update(actor, &key, &flags.input()).await?;
            outln!(
                "updated {} '{}' ({})",
                a.key,
                a.fields.title,
                a.fields.status
            )
        }
    }
}

/// The actions as a table, overdue ones marked.
pub fn print_table(actions: &[RoadmapAction]) -> Result<()> {
    let day = today();
    let mut table = Table::new(&[
        "key",
        "title",
        "owner",
        "start",
        "due",
        "status",
        "days",
        "depends on",
        "gap",
    ]);
    for a in actions {
        let f = &a.fields;
        let status = if a.is_overdue(day) {
            format!("{} (overdue)", f.status)
        } else {
            f.status.to_string()
        };
        table.row(vec![
            a.key.clone(),
            output::clip(&f.title, 40),
            f.owner.clone(),
            f.start_date.clone(),
            f.due_date.clone(),
            status,
            f.effort.to_string(),
            f.depends_on.join(","),
            opt(f.gap.as_deref()),
        ]);
    }
    table.print("no actions")
}

fn print_action(a: &RoadmapAction) -> Result<()> {
    let f = &a.fields;
    output::fields(&[
        ("key", a.key.clone()),
        ("title", f.title.clone()),
        ("description", opt(f.description.as_deref())),
        ("owner", f.owner.clone()),
        ("start", f.start_date.clone()),
        ("due", f.due_date.clone()),
        (
            "status",
            if a.is_overdue(today()) {
                format!("{} (overdue)", f.status)
            } else {
                f.status.to_string()
            },
        ),
        ("effort", format!("{} person-days", f.effort)),
        ("depends on", f.depends_on.join(", ")),
        ("gap", opt(f.gap.as_deref())),
        ("requirements", f.requirements.join(", ")),
    ])
}
