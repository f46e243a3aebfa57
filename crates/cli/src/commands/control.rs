//! `aims control add|list|show|update|link`: the organisation's controls (ISO/IEC 42001 6.1.3,
//! Annex A).

use aims_app::controls::{requirement_title, ControlQuery};
use aims_core::control::{Control, ControlInput, ControlStatus, Effectiveness, LinksInput};
use aims_core::text::split_list;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum ControlCmd {
    /// Record a control.
    Add(ControlFlags),
    /// List controls.
    List {
        #[arg(long, help = format!("Only this status: {}", ControlStatus::words().join(", ")))]
        status: Option<String>,
        /// Only controls owned by this user.
        #[arg(long)]
        owner: Option<String>,
        /// Only controls meeting this requirement (ISO42001:A.6.2.4).
        #[arg(long)]
        requirement: Option<String>,
        /// Only controls covering this AI system (SYS-3).
        #[arg(long)]
        system: Option<String>,
        #[arg(long, help = format!("Only this effectiveness: {}", Effectiveness::words().join(", ")))]
        effectiveness: Option<String>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one control with its requirements and AI systems.
    Show {
        /// The control's key (CTL-2).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change a control; only the given flags change.
    Update {
        /// The control's key (CTL-2).
        key: String,
        #[command(flatten)]
        flags: ControlFlags,
    },
    /// Set the requirements a control meets and the AI systems it covers. A list not given stays
    /// as it is; `--requirement ''` or `--system ''` empties it.
    Link {
        /// The control's key (CTL-2).
        key: String,
        /// A requirement reference FRAMEWORK:ID (ISO42001:A.6.2.4); repeat or separate with commas.
        #[arg(long = "requirement", value_name = "REF")]
        requirements: Vec<String>,
        /// An AI system key (SYS-3); repeat or separate with commas.
        #[arg(long = "system", value_name = "KEY")]
        systems: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct ControlFlags {
    /// Unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// What the control does.
    #[arg(long)]
    pub description: Option<String>,
    /// Username of the accountable owner.
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long, help = format!("Status: {}", ControlStatus::words().join(", ")))]
    pub status: Option<String>,
    /// Date it was implemented (YYYY-MM-DD); required with --status implemented.
    #[arg(long, value_name = "DATE")]
    pub implementation_date: Option<String>,
    #[arg(long, help = format!("Effectiveness: {}", Effectiveness::words().join(", ")))]
    pub effectiveness: Option<String>,
    /// Next review date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub review_date: Option<String>,
}

impl ControlFlags {
    fn input(self) -> ControlInput {
        ControlInput {
            name: self.name,
            description: self.description,
            owner: self.owner,
            status: self.status,
            implementation_date: self.implementation_date,
            effectiveness: self.effectiveness,
            review_date: self.review_date,
        }
    }
}

/// The values of a repeated flag, each split at commas; `None` when the flag was not given.
fn listed(values: Vec<String>) -> Option<Vec<String>> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().flat_map(|v| split_list(v)).collect())
    }
}

pub async fn run(s: &Session, cmd: ControlCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        ControlCmd::Add(flags) => {
            let c = app.control_add(actor, &flags.input()).await?;
            outln!("added {} '{}'", c.key, c.fields.name)
        }
        ControlCmd::List {
            status,
            owner,
            requirement,
            system,
            effectiveness,
            list,
            out,
        } => {
            let query = ControlQuery {
                q: list.q,
                status,
                effectiveness,
                owner,
                requirement,
                system,
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
                ..Default::default()
            };
            let found = app.control_list(actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let controls = found.items;
            let shown = controls.len();
            if out.json {
                return output::json(&controls);
            }
            let mut table = Table::new(&[
                "key",
                "name",
                "status",
                "effectiveness",
                "owner",
                "requirements",
                "systems",
            ]);
            for c in controls {
                table.row(vec![
                    c.key,
                    output::clip(&c.fields.name, 40),
                    c.fields.status.to_string(),
                    c.fields.effectiveness.to_string(),
                    c.fields.owner,
                    c.requirements.len().to_string(),
                    c.systems.len().to_string(),
                ]);
            }
            table.print("no controls")?;
            print_range(total, page, per_page, shown)
        }
        ControlCmd::Show { key, out } => {
            let c = app.control_get(actor, &key).await?;
            if out.json {
                return output::json(&c);
            }
            print_control(&c)
        }
        ControlCmd::Update { key, flags } => {
            let c = app.control_update(actor, &key, &flags.input()).await?;
            outln!("updated {} '{}'", c.key, c.fields.name)
        }
        ControlCmd::Link {
            key,
            requirements,
            systems,
        } => {
            let links = LinksInput {
                requirements: listed(requirements),
                systems: listed(systems),
            };
            let c = app.control_link(actor, &key, &links).await?;
            outln!(
                "linked {} to {} requirements and {} AI systems",
                c.key,
                c.requirements.len(),
                c.systems.len()
            )
        }
    }
}

fn print_control(c: &Control) -> Result<()> {
    let f = &c.fields;
    let requirements: Vec<String> = c
        .requirements
        .iter()
        .map(|r| match requirement_title(r) {
            Some(t) => format!("{r} {t}"),
            None => r.clone(),
        })
        .collect();
    let systems: Vec<String> = c.systems.iter().cloned().collect();
    output::fields(&[
        ("key", c.key.clone()),
        ("name", f.name.clone()),
        ("description", f.description.clone()),
        ("owner", f.owner.clone()),
        ("status", f.status.to_string()),
        ("implemented", opt(f.implementation_date.as_deref())),
        ("effectiveness", f.effectiveness.to_string()),
        ("review date", opt(f.review_date.as_deref())),
        ("requirements", requirements.join("\n")),
        ("systems", systems.join(", ")),
    ])
}
