//! `aims catalog list|show|import`: the frameworks, built-in and imported. `list` and `show`
//! need no database (then they show the built-in catalogs only); `import` stores a file.

use std::process::ExitCode;

use aims_app::catalogs::{self, FrameworkSummary, FrameworkView, ImportRequest, ItemView};
use aims_app::AppError;
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::cli::Global;
use crate::commands::JsonArg;
use crate::failure::{self, BAD_INPUT};
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// The frameworks (built-in and imported) with their item counts by kind.
    List(JsonArg),
    /// A framework's tree of items, or one item with its guidance, children and crosswalk links.
    Show {
        /// The framework (ISO42001, ISO27001, ISO9001, EUAIA, NISTAIRMF or an imported one).
        framework: String,
        /// An item of it (6.1.2, A.6.2.6, "Art. 9"); without it, the tree.
        id: Option<String>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Import a framework or crosswalk: an aims YAML file, the licensed text of a built-in
    /// framework (its ID, items with id and text), or a CISO Assistant library.
    Import {
        /// The YAML file.
        file: std::path::PathBuf,
        /// The ID the imported framework gets (default: the file's; a CISO Assistant framework
        /// gets its ref_id in upper case, with -CISO appended if a built-in framework has it).
        #[arg(long)]
        id: Option<String>,
        #[command(flatten)]
        out: JsonArg,
    },
}

/// Whether the database exists: without it, only the built-in catalogs are shown.
pub(crate) fn has_database(global: &Global) -> bool {
    crate::config::Location::from_global(global)
        .require_existing()
        .is_ok()
}

pub async fn run(global: &Global, cmd: CatalogCmd) -> Result<ExitCode> {
    if let CatalogCmd::Import { file, id, out } = cmd {
        let session = Session::open(global).await?;
        let result = import(&session, &file, id, out.json).await;
        session.close().await;
        return result;
    }
    let session = if has_database(global) {
        Some(Session::open(global).await?)
    } else {
        None
    };
    let result = read(session.as_ref(), cmd).await;
    if let Some(s) = session {
        s.close().await;
    }
    result.map(|()| ExitCode::SUCCESS)
}

async fn read(s: Option<&Session>, cmd: CatalogCmd) -> Result<()> {
    match cmd {
        CatalogCmd::List(out) => {
            let list = match s {
                Some(s) => s.app.catalog_list(&s.actor).await?,
                None => catalogs::builtin::list(),
            };
            list_out(&list, out.json)
        }
        CatalogCmd::Show {
            framework,
            id: None,
            out,
        } => {
            let view = match s {
                Some(s) => s.app.catalog_get(&s.actor, &framework).await,
                None => catalogs::builtin::get(&framework),
            };
            tree_out(&view.map_err(|e| unknown(e, &framework, None))?, out.json)
        }
        CatalogCmd::Show {
            framework,
            id: Some(id),
            out,
        } => {
            let view = match s {
                Some(s) => s.app.catalog_item(&s.actor, &framework, &id).await,
                None => catalogs::builtin::item(&framework, &id),
            };
            let view = match view {
                Err(e @ AppError::NotFound { .. }) => {
                    // Which of the two is unknown: the framework, or its item.
                    let found = match s {
                        Some(s) => s.app.catalog_get(&s.actor, &framework).await.ok(),
                        None => catalogs::builtin::get(&framework).ok(),
                    };
                    let item = found.map(|f| (f.summary.id, id));
                    return Err(unknown(e, &framework, item));
                }
                other => other?,
            };
            item_out(&view, out.json)
        }
        CatalogCmd::Import { .. } => Ok(()),
    }
}

/// A framework or item that is not there is bad input (exit 2), like an unknown framework
/// given to `aims crosswalk`; `item` is the framework's ID and the item asked for, when the
/// framework exists and the item does not.
fn unknown(e: AppError, framework: &str, item: Option<(String, String)>) -> anyhow::Error {
    match (e, item) {
        (AppError::NotFound { .. }, None) => failure::invalid(
            "framework",
            format!("unknown framework '{}'", framework.trim()),
        ),
        (AppError::NotFound { .. }, Some((fw, id))) => {
            failure::invalid("id", format!("{fw} has no item '{}'", id.trim()))
        }
        (other, _) => other.into(),
    }
}

fn list_out(list: &[FrameworkSummary], json: bool) -> Result<()> {
    if json {
        return output::json(list);
    }
    let mut table = Table::new(&["id", "version", "origin", "items", "by kind", "name"]);
    for s in list {
        let kinds = s.counts.iter().map(|(k, n)| format!("{n} {k}"));
        let origin = if s.licensed_text > 0 {
            format!("{} + licensed text", s.origin)
        } else {
            s.origin.clone()
        };
        table.row(vec![
            s.id.clone(),
            s.version.clone(),
            origin,
            s.items.to_string(),
            output::join(kinds),
            s.name.clone(),
        ]);
    }
    table.print("no catalogs")
}

fn tree_out(view: &FrameworkView, json: bool) -> Result<()> {
    if json {
        return output::json(view);
    }
    let s = &view.summary;
    outln!("{} ({}): {}", s.id, s.version, s.name)?;
    let mut text = String::new();
    for item in &view.items {
        // Titles line up whatever the depth.
        let indent = "  ".repeat(item.depth.min(8));
        let width = 16usize.saturating_sub(indent.len());
        text.push_str(&format!("{indent}{:<width$} {}\n", item.id, item.title));
    }
    output::line(text.trim_end())
}

fn item_out(item: &ItemView, json: bool) -> Result<()> {
    if json {
        return output::json(item);
    }
    output::fields(&[
        ("id", format!("{}:{}", item.framework, item.id)),
        ("kind", item.kind.clone()),
        ("title", item.title.clone()),
        (
            "parent",
            item.parent
                .as_ref()
                .map(|p| format!("{} {}", p.id, p.title))
                .unwrap_or_default(),
        ),
        ("guidance", item.guidance.clone()),
    ])?;
    if !item.evidence.is_empty() {
        outln!("evidence:")?;
        for e in &item.evidence {
            outln!("  - {e}")?;
        }
    }
    if let Some(text) = &item.text {
        outln!("licensed text:")?;
        for line in text.lines() {
            outln!("  {line}")?;
        }
    }
    if let Some(text) = &item.description {
        outln!("description:")?;
        for line in text.lines() {
            outln!("  {line}")?;
        }
    }
    if !item.children.is_empty() {
        outln!("children:")?;
        for c in &item.children {
            outln!("  {:<12} {:<22} {}", c.id, c.kind, c.title)?;
        }
    }
    if !item.links_out.is_empty() {
        outln!("crosswalk links out:")?;
        for l in &item.links_out {
            outln!(
                "  {:<10} {}:{} {}",
                l.relationship,
                l.target,
                l.to,
                l.to_title
            )?;
        }
    }
    if !item.links_in.is_empty() {
        outln!("crosswalk links in:")?;
        for l in &item.links_in {
            outln!(
                "  {}:{} {} ({})",
                l.source,
                l.from,
                l.from_title,
                l.relationship
            )?;
        }
    }
    Ok(())
}

async fn import(
    s: &Session,
    file: &std::path::Path,
    id: Option<String>,
    json: bool,
) -> Result<ExitCode> {
    let content =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let request = ImportRequest {
        file_name: file.display().to_string(),
        content,
        id,
    };
    let out = match s.app.catalog_import(&s.actor, &request).await {
        Ok(out) => out,
        // A refused file: `FILE:LINE: FIELD: REASON`, as the catalog names it.
        Err(AppError::Invalid(e)) if e.0.len() == 1 && e.0[0].field == "content" => {
            eprintln!("error: {}", e.0[0].reason);
            return Ok(ExitCode::from(BAD_INPUT));
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        output::json(&out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let what = if out.licensed {
        "licensed text of".to_owned()
    } else {
        out.kind.clone()
    };
    let unit = if out.kind == "framework" {
        "items"
    } else {
        "links"
    };
    outln!(
        "imported {what} {} ({} {unit}, version {}, {} format) as {}",
        out.ids.join(", "),
        out.count,
        out.version,
        out.format,
        out.keys.join(", ")
    )?;
    Ok(ExitCode::SUCCESS)
}
