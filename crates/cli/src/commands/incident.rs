//! `aims incident add|list|show|update|move|note|rca|link|serious`: incidents.

use aims_app::actions::today;
use aims_app::incidents::{IncidentQuery, LinkInput, MoveInput};
use aims_core::incident::{
    severity_label, CauseCategory, IncidentInput, IncidentSource, IncidentStatus, IncidentType,
    IncidentView, RcaInput, SeriousBasis,
};
use aims_core::text::split_list;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum IncidentCmd {
    /// Report an incident.
    Add {
        #[command(flatten)]
        flags: IncidentFlags,
    },
    /// List incidents, newest first.
    List {
        #[arg(long, help = format!("Only this status: {}", IncidentStatus::words().join(", ")))]
        status: Option<String>,
        /// Only incidents neither resolved nor closed.
        #[arg(long)]
        open: bool,
        /// Only this severity (1 critical .. 4 low).
        #[arg(long)]
        severity: Option<i64>,
        /// Only incidents affecting this AI system (SYS-1).
        #[arg(long)]
        system: Option<String>,
        /// Only serious incidents.
        #[arg(long)]
        serious: bool,
        #[arg(long = "type", help = format!("Only this type: {}", IncidentType::words().join(", ")))]
        incident_type: Option<String>,
        /// Only incidents owned by this user.
        #[arg(long, value_name = "USERNAME")]
        owner: Option<String>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one incident with its timeline and countdown.
    Show {
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change an incident; only the given flags change.
    Update {
        key: String,
        #[command(flatten)]
        flags: IncidentFlags,
    },
    /// Move an incident to another status.
    Move {
        key: String,
        #[arg(help = format!("The new status: {}", IncidentStatus::words().join(", ")))]
        to: String,
        /// Why (required when skipping straight to resolved).
        #[arg(long)]
        note: Option<String>,
    },
    /// Add a note to the timeline.
    Note { key: String, text: String },
    /// Record the root cause analysis and lessons learned.
    Rca {
        key: String,
        /// A "why" answer, in order; repeat up to five times (replaces the current answers).
        #[arg(long = "why")]
        whys: Vec<String>,
        #[arg(long, help = format!("Cause category: {}", CauseCategory::words().join(", ")))]
        category: Option<String>,
        /// Lessons learned ('' clears them).
        #[arg(long)]
        lessons: Option<String>,
    },
    /// Link risks (RSK-n) and controls (CTL-n), or unlink them with --remove.
    Link {
        key: String,
        /// Keys to link.
        targets: Vec<String>,
        /// Keys to unlink; repeat or separate with commas.
        #[arg(long)]
        remove: Vec<String>,
    },
    /// Mark a serious incident (EU AI Act Art. 73), record the report to the authority, or clear it.
    Serious {
        key: String,
        #[arg(long, help = format!("Basis: {} (15, 10 and 2 days)", SeriousBasis::words().join(", ")))]
        basis: Option<String>,
        /// When the authority was told (YYYY-MM-DD or RFC 3339): stops the clock.
        #[arg(long = "reported-at", value_name = "WHEN")]
        reported_at: Option<String>,
        /// No longer a serious incident.
        #[arg(long, conflicts_with_all = ["basis", "reported_at"])]
        clear: bool,
    },
}

#[derive(Debug, Args)]
pub struct IncidentFlags {
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long, help = format!("How it came to light: {}", IncidentSource::words().join(", ")))]
    pub source: Option<String>,
    #[arg(long = "type", help = format!("Type: {}", IncidentType::words().join(", ")))]
    pub incident_type: Option<String>,
    /// 1 (critical), 2 (high), 3 (medium) or 4 (low).
    #[arg(long)]
    pub severity: Option<i64>,
    /// An affected AI system (SYS-1); repeat or separate with commas.
    #[arg(long = "system", value_name = "KEY")]
    pub systems: Vec<String>,
    /// When it happened (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "WHEN")]
    pub occurred: Option<String>,
    /// When the organisation became aware (YYYY-MM-DD or RFC 3339); defaults to now.
    #[arg(long, value_name = "WHEN")]
    pub detected: Option<String>,
    /// Username of the person in charge.
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long = "serious", value_name = "BASIS", help = format!("Serious incident basis: {}", SeriousBasis::words().join(", ")))]
    pub serious_basis: Option<String>,
}

fn listed(values: Vec<String>) -> Option<Vec<String>> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().flat_map(|v| split_list(v)).collect())
    }
}

impl IncidentFlags {
    fn input(self) -> IncidentInput {
        IncidentInput {
            title: self.title,
            description: self.description,
            source: self.source,
            incident_type: self.incident_type,
            severity: self.severity,
            systems: listed(self.systems),
            occurred_at: self.occurred,
            detected_at: self.detected,
            owner: self.owner,
            serious_basis: self.serious_basis,
            reported_to_authority_at: None,
        }
    }
}

pub async fn run(s: &Session, cmd: IncidentCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        IncidentCmd::Add { flags } => {
            let i = app.incident_add(actor, &flags.input()).await?;
            outln!("added {} '{}'", i.key, i.title)
        }
        IncidentCmd::List {
            status,
            open,
            severity,
            system,
            serious,
            incident_type,
            owner,
            list,
            out,
        } => {
            let query = IncidentQuery {
                q: list.q,
                status,
                open: Some(open),
                severity,
                incident_type,
                owner,
                system,
                serious: Some(serious),
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = app.incident_list(actor, &query).await?;
            if out.json {
                return output::json(&found);
            }
            print_table(&found.items)?;
            print_range(found.total, found.page, found.per_page, found.items.len())
        }
        IncidentCmd::Show { key, out } => {
            let v = app.incident_get(actor, &key).await?.view(today());
            if out.json {
                return output::json(&v);
            }
            print_incident(&v)
        }
        IncidentCmd::Update { key, flags } => {
            let i = app.incident_update(actor, &key, &flags.input()).await?;
            outln!("updated {} '{}'", i.key, i.title)
        }
        IncidentCmd::Move { key, to, note } => {
            let i = app
                .incident_move(actor, &key, &MoveInput { to, note })
                .await?;
            outln!("{} is {}", i.key, i.status)
        }
        IncidentCmd::Note { key, text } => {
            let i = app.incident_note(actor, &key, &text).await?;
            outln!("noted on {}", i.key)
        }
        IncidentCmd::Rca {
            key,
            whys,
            category,
            lessons,
        } => {
            let input = RcaInput {
                whys: (!whys.is_empty()).then_some(whys),
                category,
                lessons_learned: lessons,
            };
            let i = app.incident_rca(actor, &key, &input).await?;
            outln!(
                "{}: {} why(s), category {}, lessons {}",
                i.key,
                i.root_cause.whys.len(),
                opt(i.root_cause.category.map(|c| c.as_str())),
                if i.lessons_learned.is_some() {
                    "recorded"
                } else {
                    "none"
                }
            )
        }
        IncidentCmd::Link {
            key,
            targets,
            remove,
        } => {
            let input = LinkInput {
                add: targets.iter().flat_map(|v| split_list(v)).collect(),
                remove: remove.iter().flat_map(|v| split_list(v)).collect(),
            };
            let i = app.incident_link(actor, &key, &input).await?;
            outln!(
                "{} links: risks {}, controls {}",
                i.key,
                opt(Some(&i.risks.join(", "))
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str())),
                opt(Some(&i.controls.join(", "))
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str()))
            )
        }
        IncidentCmd::Serious {
            key,
            basis,
            reported_at,
            clear,
        } => {
            let input = IncidentInput {
                serious_basis: if clear { Some(String::new()) } else { basis },
                reported_to_authority_at: reported_at,
                ..Default::default()
            };
            let v = app
                .incident_update(actor, &key, &input)
                .await?
                .view(today());
            match &v.countdown {
                Some(c) => outln!(
                    "{} is a serious incident ({}): deadline {}, {}",
                    v.incident.key,
                    c.basis,
                    c.deadline,
                    c.text
                ),
                None => outln!("{} is not a serious incident", v.incident.key),
            }
        }
    }
}

fn countdown(v: &IncidentView) -> String {
    v.countdown
        .as_ref()
        .map_or(String::new(), |c| format!("{} ({})", c.deadline, c.text))
}

/// The incidents as a table, with the serious-incident countdown.
pub fn print_table(items: &[IncidentView]) -> Result<()> {
    let mut table = Table::new(&[
        "key", "title", "status", "severity", "type", "systems", "owner", "deadline",
    ]);
    for v in items {
        let i = &v.incident;
        table.row(vec![
            i.key.clone(),
            output::clip(&i.title, 40),
            i.status.to_string(),
            format!("{} {}", i.severity, severity_label(i.severity)),
            i.incident_type.to_string(),
            i.systems.join(","),
            i.owner.clone(),
            countdown(v),
        ]);
    }
    table.print("no incidents")
}

fn print_incident(v: &IncidentView) -> Result<()> {
    let i = &v.incident;
    output::fields(&[
        ("key", i.key.clone()),
        ("title", i.title.clone()),
        ("description", i.description.clone()),
        ("status", i.status.to_string()),
        (
            "severity",
            format!("{} ({})", i.severity, severity_label(i.severity)),
        ),
        ("type", i.incident_type.to_string()),
        ("source", i.source.to_string()),
        ("systems", i.systems.join(", ")),
        ("occurred", i.occurred_at.clone()),
        ("detected", i.detected_at.clone()),
        ("owner", i.owner.clone()),
        (
            "serious",
            v.countdown.as_ref().map_or("no".into(), |c| {
                format!("{}: deadline {}, {}", c.basis, c.deadline, c.text)
            }),
        ),
        ("whys", i.root_cause.whys.join(" / ")),
        ("cause", opt(i.root_cause.category.map(|c| c.as_str()))),
        ("lessons", opt(i.lessons_learned.as_deref())),
        ("risks", i.risks.join(", ")),
        ("controls", i.controls.join(", ")),
    ])?;
    outln!("timeline:")?;
    for e in &i.timeline {
        outln!(
            "  {}  {:<10}  {}  {}",
            output::when(&e.at),
            e.kind,
            e.author,
            e.text
        )?;
    }
    Ok(())
}
