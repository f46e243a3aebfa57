//! `aims context party add|list|show|update|archive` (also `aims party ...`).

use aims_app::context::PartyQuery;
use aims_core::context::{Party, PartyInput, PartyRequirement, PartyType};
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum PartyCmd {
    /// Record an interested party.
    Add(PartyFlags),
    /// List interested parties (sort by key, name, type, requirements or unaddressed).
    List {
        /// Include archived parties.
        #[arg(long)]
        all: bool,
        #[arg(long, help = format!("Only this type: {}", PartyType::words().join(", ")))]
        party_type: Option<String>,
        /// Only parties with a requirement not yet addressed.
        #[arg(long)]
        unaddressed: bool,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one interested party with its requirements.
    Show {
        /// The party's key (IP-4).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change a party; only the given flags change, and any requirement flag replaces the list.
    Update {
        /// The party's key (IP-4).
        key: String,
        #[command(flatten)]
        flags: PartyFlags,
    },
    /// Archive an interested party.
    Archive {
        /// The party's key (IP-4).
        key: String,
    },
}

#[derive(Debug, Args)]
pub struct PartyFlags {
    /// Unique name.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long = "type", value_name = "TYPE", help = format!("Kind of party: {}", PartyType::words().join(", ")))]
    pub party_type: Option<String>,
    /// Who they are.
    #[arg(long)]
    pub description: Option<String>,
    /// A requirement not yet addressed (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub requirement: Vec<String>,
    /// A requirement and how the AIMS addresses it, as TEXT=HOW (repeatable; listed after
    /// the plain requirements).
    #[arg(long, value_name = "TEXT=HOW")]
    pub addressed_requirement: Vec<String>,
}

impl PartyFlags {
    fn input(self) -> PartyInput {
        let open = self.requirement.into_iter().map(|text| PartyRequirement {
            text,
            addressed: false,
            how: None,
        });
        // Without `=` the "how" is missing, which the service refuses naming the field.
        let addressed = self.addressed_requirement.into_iter().map(|r| {
            let (text, how) = match r.split_once('=') {
                Some((text, how)) => (text.to_owned(), Some(how.to_owned())),
                None => (r, None),
            };
            PartyRequirement {
                text,
                addressed: true,
                how,
            }
        });
        let requirements: Vec<PartyRequirement> = open.chain(addressed).collect();
        PartyInput {
            name: self.name,
            party_type: self.party_type,
            description: self.description,
            requirements: (!requirements.is_empty()).then_some(requirements),
        }
    }
}

pub async fn run(s: &Session, cmd: PartyCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        PartyCmd::Add(flags) => {
            let p = app.party_add(actor, &flags.input()).await?;
            outln!("added {} '{}'", p.key, p.fields.name)
        }
        PartyCmd::List {
            all,
            party_type,
            unaddressed,
            list,
            out,
        } => {
            let query = PartyQuery {
                q: list.q,
                party_type,
                unaddressed: unaddressed.then_some(true),
                archived: Some(all),
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = app.party_list(actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let parties = found.items;
            let shown = parties.len();
            if out.json {
                return output::json(&parties);
            }
            let mut table = Table::new(&["key", "name", "type", "requirements", "archived"]);
            for p in parties {
                let reqs = &p.fields.requirements;
                let addressed = reqs.iter().filter(|r| r.addressed).count();
                table.row(vec![
                    p.key,
                    output::clip(&p.fields.name, 48),
                    p.fields.party_type.to_string(),
                    format!("{} ({addressed} addressed)", reqs.len()),
                    if p.archived { "yes" } else { "" }.into(),
                ]);
            }
            table.print("no interested parties")?;
            print_range(total, page, per_page, shown)
        }
        PartyCmd::Show { key, out } => {
            let p = app.party_get(actor, &key).await?;
            if out.json {
                return output::json(&p);
            }
            print_party(&p)
        }
        PartyCmd::Update { key, flags } => {
            let p = app.party_update(actor, &key, &flags.input()).await?;
            outln!("updated {} '{}'", p.key, p.fields.name)
        }
        PartyCmd::Archive { key } => {
            let p = app.party_archive(actor, &key).await?;
            outln!("archived {} '{}'", p.key, p.fields.name)
        }
    }
}

fn print_party(p: &Party) -> Result<()> {
    let f = &p.fields;
    output::fields(&[
        ("key", p.key.clone()),
        ("name", f.name.clone()),
        ("type", f.party_type.to_string()),
        ("description", opt(f.description.as_deref())),
        ("archived", if p.archived { "yes" } else { "no" }.into()),
    ])?;
    if f.requirements.is_empty() {
        return outln!("requirements  -");
    }
    outln!("requirements:")?;
    for r in &f.requirements {
        match (&r.how, r.addressed) {
            (Some(how), true) => outln!("  [x] {} (addressed: {how})", r.text)?,
            _ => outln!("  [ ] {}", r.text)?,
        }
    }
    Ok(())
}
