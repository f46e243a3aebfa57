//! `aims catalog list|show`: the built-in framework catalogs. Needs no database.

use std::collections::BTreeMap;

use aims_catalog::{Catalog, Framework, Item, Kind};
use anyhow::{anyhow, Result};
use clap::Subcommand;
use serde::Serialize;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};

#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// The built-in frameworks with their item counts by kind.
    List(JsonArg),
    /// A framework's tree of clauses and Annex A, or one item with its guidance and children.
    Show {
        /// The framework (ISO42001).
        framework: String,
        /// An item of it (6.1.2, A.6.2.6); without it, the tree.
        id: Option<String>,
        #[command(flatten)]
        out: JsonArg,
    },
}

/// One framework in `catalog list`.
#[derive(Serialize)]
struct Summary<'a> {
    id: &'a str,
    name: &'a str,
    version: &'a str,
    items: usize,
    counts: BTreeMap<Kind, usize>,
}

/// A node of the tree printed by `catalog show FRAMEWORK`.
#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    kind: Kind,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<Node<'a>>,
}

/// A child in `catalog show FRAMEWORK ID`.
#[derive(Serialize)]
struct Child<'a> {
    id: &'a str,
    kind: Kind,
    title: &'a str,
}

/// One item in `catalog show FRAMEWORK ID`.
#[derive(Serialize)]
struct Detail<'a> {
    framework: &'a str,
    #[serde(flatten)]
    item: &'a Item,
    children: Vec<Child<'a>>,
}

/// The kinds shown in the tree.
const TREE: [Kind; 3] = [Kind::Clause, Kind::Objective, Kind::Control];

pub fn run(cmd: CatalogCmd) -> Result<()> {
    match cmd {
        CatalogCmd::List(out) => list(out.json),
        CatalogCmd::Show { framework, id, out } => {
            let fw = Catalog::framework(&framework).ok_or_else(|| {
                let known: Vec<&str> = Catalog::builtin().iter().map(|f| f.id.as_str()).collect();
                anyhow!(
                    "unknown framework '{framework}' (known: {})",
                    known.join(", ")
                )
            })?;
            match id {
                None => tree(fw, out.json),
                Some(id) => show(fw, &id, out.json),
            }
        }
    }
}

fn list(json: bool) -> Result<()> {
    let summaries: Vec<Summary> = Catalog::builtin()
        .iter()
        .map(|f| Summary {
            id: &f.id,
            name: &f.name,
            version: &f.version,
            items: f.items.len(),
            counts: f.counts(),
        })
        .collect();
    if json {
        return output::json(&summaries);
    }
    let mut table = Table::new(&["id", "version", "items", "by kind", "name"]);
    for s in &summaries {
        let kinds = s.counts.iter().map(|(k, n)| format!("{n} {k}"));
        table.row(vec![
            s.id.to_owned(),
            s.version.to_owned(),
            s.items.to_string(),
            output::join(kinds),
            s.name.to_owned(),
        ]);
    }
    table.print("no catalogs")
}

fn node<'a>(fw: &'a Framework, item: &'a Item) -> Node<'a> {
    let children = fw
        .children(&item.id)
        .filter(|c| TREE.contains(&c.kind))
        .map(|c| node(fw, c))
        .collect();
    Node {
        id: &item.id,
        kind: item.kind,
        title: &item.title,
        children,
    }
}

fn tree(fw: &Framework, json: bool) -> Result<()> {
    let roots: Vec<Node> = fw.roots(&TREE).map(|i| node(fw, i)).collect();
    if json {
        return output::json(&roots);
    }
    outln!("{} ({}): {}", fw.id, fw.version, fw.name)?;
    let mut text = String::new();
    for root in &roots {
        render(root, 0, &mut text);
    }
    output::line(text.trim_end())
}

fn render(node: &Node, depth: usize, out: &mut String) {
    // Titles line up whatever the depth.
    let indent = "  ".repeat(depth);
    let width = 14usize.saturating_sub(indent.len());
    out.push_str(&format!("{indent}{:<width$} {}\n", node.id, node.title));
    for child in &node.children {
        render(child, depth + 1, out);
    }
}

fn show(fw: &Framework, id: &str, json: bool) -> Result<()> {
    let item = fw
        .item(id)
        .ok_or_else(|| anyhow!("{} has no item '{id}'", fw.id))?;
    let children: Vec<Child> = fw
        .children(&item.id)
        .map(|c| Child {
            id: &c.id,
            kind: c.kind,
            title: &c.title,
        })
        .collect();
    if json {
        return output::json(&Detail {
            framework: &fw.id,
            item,
            children,
        });
    }
    output::fields(&[
        ("id", format!("{}:{}", fw.id, item.id)),
        ("kind", item.kind.to_string()),
        ("title", item.title.clone()),
        ("parent", output::opt(item.parent.as_deref())),
        ("guidance", item.guidance.clone()),
    ])?;
    if !item.evidence.is_empty() {
        outln!("evidence:")?;
        for e in &item.evidence {
            outln!("  - {e}")?;
        }
    }
    if !children.is_empty() {
        outln!("children:")?;
        for c in &children {
            outln!("  {:<10} {:<22} {}", c.id, c.kind.as_str(), c.title)?;
        }
    }
    Ok(())
}
