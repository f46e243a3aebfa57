//! `aims methodology show|set|history|init`: the risk assessment method (ISO/IEC 42001 6.1.2).

use std::path::PathBuf;

use aims_app::methodology::to_toml;
use aims_core::risk::methodology::Methodology;
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum MethodologyCmd {
    /// Show the method in force (or an earlier version).
    Show {
        /// An earlier version's number.
        #[arg(long)]
        version: Option<i64>,
        /// Print it as TOML, the form `set` reads.
        #[arg(long, conflicts_with = "json")]
        toml: bool,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Record a new version from a TOML file and re-score every risk.
    Set {
        /// The method as TOML (start from `aims methodology show --toml`).
        file: PathBuf,
    },
    /// Every recorded version, newest first.
    History(JsonArg),
    /// Record the default method as MTH-1.
    Init,
}

fn print(m: &Methodology) -> Result<()> {
    let d = &m.doc;
    let version = if m.version == 0 {
        "default (recorded on first use)".to_owned()
    } else {
        format!(
            "{} by {} at {}",
            m.key,
            m.created_by,
            output::when(&m.created_at)
        )
    };
    let matrix: Vec<String> = d
        .matrix
        .iter()
        .enumerate()
        .rev()
        .map(|(i, row)| {
            let cells: Vec<&str> = row.iter().map(|c| c.as_str()).collect();
            format!("L{}: {}", i + 1, cells.join(" "))
        })
        .collect();
    let acceptance: Vec<String> = d
        .acceptance
        .iter()
        .map(|(r, l)| format!("{r} up to {l}"))
        .collect();
    let reviews: Vec<String> = d
        .review_days
        .iter()
        .map(|(l, n)| format!("{l} {n} days"))
        .collect();
    let likelihood: Vec<String> = d
        .likelihood
        .iter()
        .enumerate()
        .map(|(i, l)| format!("{} {}: {}", i + 1, l.label, l.definition))
        .collect();
    output::fields(&[
        ("version", version),
        ("name", d.name.clone()),
        (
            "scales",
            format!("{} x {}", d.likelihood_levels(), d.impact_levels()),
        ),
        ("combination", d.combination.to_string()),
        ("appetite", d.appetite.to_string()),
        ("acceptance", acceptance.join(", ")),
        ("review", reviews.join(", ")),
        ("matrix", matrix.join("\n")),
        ("likelihood", likelihood.join("\n")),
    ])
}

pub async fn run(s: &Session, cmd: MethodologyCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        MethodologyCmd::Show { version, toml, out } => {
            let m = match version {
                Some(v) => app.methodology_get(actor, v).await?,
                None => app.methodology_show(actor).await?,
            };
            if out.json {
                return output::json(&m);
            }
            if toml {
                return output::line(to_toml(&m.doc).trim_end());
            }
            print(&m)
        }
        MethodologyCmd::Set { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let c = app.methodology_set_toml(actor, &text).await?;
            outln!(
                "recorded {} '{}'; re-scored {} risks",
                c.methodology.key,
                c.methodology.doc.name,
                c.rescored
            )
        }
        MethodologyCmd::History(out) => {
            let versions = app.methodology_history(actor).await?;
            if out.json {
                return output::json(&versions);
            }
            let mut table =
                Table::new(&["key", "name", "scales", "appetite", "created by", "created"]);
            for v in versions {
                table.row(vec![
                    v.key.clone(),
                    v.doc.name.clone(),
                    format!("{}x{}", v.doc.likelihood_levels(), v.doc.impact_levels()),
                    v.doc.appetite.to_string(),
                    v.created_by.clone(),
                    output::when(&v.created_at),
                ]);
            }
            table.print("no method recorded; the default applies until first use")
        }
        MethodologyCmd::Init => {
            let m = app.methodology_init(actor).await?;
            outln!("recorded {} '{}'", m.key, m.doc.name)
        }
    }
}
