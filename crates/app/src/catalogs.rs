//! Frameworks and crosswalks: the built-in catalogs and what the organisation imported (its own
//! frameworks, CISO Assistant libraries, its licensed text of a built-in standard), listed,
//! shown item by item with the crosswalk links in and out, queried, and imported.
//!
//! An imported crosswalk between the same two frameworks as a built-in one takes its place.
//! Licensed text never replaces our guidance: it is shown beside it. A CISO Assistant library's
//! node descriptions are the library's words and are shown as descriptions, not licensed text.
//!
//! A framework imported again must keep every item that controls or actions still link to
//! (requirement references `FW:ID`); otherwise the import is refused as a conflict.

use std::collections::BTreeMap;

use aims_catalog::{
    same_id, Catalog, CatalogError, Crosswalk, Format, Framework, ImportOptions, Imported,
    ImportedFramework, Item,
};
use aims_core::control::format_requirement;
use aims_core::keys::Kind;
use aims_core::Action;
use aims_store::frameworks::{self as store, Import, Table};
use aims_store::Conn;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// Ledger actions of imports.
pub const FRAMEWORK_IMPORTED: &str = "framework_imported";
pub const CROSSWALK_IMPORTED: &str = "crosswalk_imported";

/// A file to import, as the API, a page or the CLI hands it over.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ImportRequest {
    /// The file's name, used in error messages (`iso27001-2022.yaml`).
    pub file_name: String,
    /// The file's text: an aims framework or crosswalk, or a CISO Assistant library.
    pub content: String,
    /// The ID the imported framework gets (frameworks only); see the catalog crate's rule.
    #[serde(default)]
    pub id: Option<String>,
}

/// When and how an imported framework or crosswalk arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportInfo {
    /// 1 for the first import of this ID, one more per re-import.
    pub version: i64,
    /// `aims` or `ciso_assistant`.
    pub format: String,
    pub file_name: String,
    pub imported_by: String,
    pub imported_at: String,
}

impl From<&Import> for ImportInfo {
    fn from(r: &Import) -> Self {
        ImportInfo {
            version: r.version,
            format: r.format.clone(),
            file_name: r.file_name.clone(),
            imported_by: r.imported_by.clone(),
            imported_at: r.imported_at.clone(),
        }
    }
}

/// One framework in the list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FrameworkSummary {
    pub id: String,
    pub name: String,
    /// The framework's edition (`2023`).
    pub version: String,
    /// `built_in`, `imported` (an aims file of the organisation's own) or `ciso_assistant`
    /// (imported from a CISO Assistant library).
    pub origin: String,
    /// How many items it has (`item_count` in JSON, so that a framework's view can list
    /// its `items`).
    #[serde(rename = "item_count")]
    pub items: usize,
    /// Items per kind (kinds with none left out).
    pub counts: BTreeMap<String, usize>,
    /// How many items carry the organisation's licensed text of the standard.
    pub licensed_text: usize,
    /// The import of the framework itself, or of the licensed text of a built-in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<ImportInfo>,
}

/// An item named in a tree, a parent or a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemRef {
    pub id: String,
    pub kind: String,
    pub title: String,
}

impl From<&Item> for ItemRef {
    fn from(i: &Item) -> Self {
        ItemRef {
            id: i.id.clone(),
            kind: i.kind.as_str().to_owned(),
            title: i.title.clone(),
        }
    }
}

/// An item in a framework's tree, in tree order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TreeItem {
    pub id: String,
    pub kind: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// 0 for top-level items.
    pub depth: usize,
    /// Our guidance (empty for imported frameworks that bring none).
    pub guidance: String,
    /// Whether the organisation's licensed text of this item is stored.
    pub has_text: bool,
    /// Whether the imported library describes this item (see [`ItemView::description`]).
    pub has_description: bool,
}

/// A framework with every item, and the crosswalks it takes part in.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FrameworkView {
    #[serde(flatten)]
    pub summary: FrameworkSummary,
    pub items: Vec<TreeItem>,
    pub crosswalks: Vec<CrosswalkSummary>,
}

/// A crosswalk in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CrosswalkSummary {
    pub source: String,
    pub target: String,
    pub name: String,
    pub links: usize,
    /// `built_in` or `imported`.
    pub origin: String,
}

/// One link with the titles of both ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkView {
    pub source: String,
    pub from: String,
    pub from_title: String,
    /// How `from` relates to `to`: equivalent, subset, superset or intersects.
    pub relationship: String,
    pub target: String,
    pub to: String,
    pub to_title: String,
    pub rationale: String,
}

/// One item with its guidance, licensed text, children and crosswalk links both ways.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemView {
    pub framework: String,
    pub framework_name: String,
    pub id: String,
    pub kind: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<ItemRef>,
    pub guidance: String,
    pub evidence: Vec<String>,
    /// The standard's own wording, when the organisation imported its licensed copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The description the imported library gives the item (CISO Assistant): the library's
    /// words, not licensed text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub children: Vec<ItemRef>,
    /// Links from this item to items of other frameworks.
    pub links_out: Vec<LinkView>,
    /// Links from items of other frameworks to this item.
    pub links_in: Vec<LinkView>,
}

/// The links between two frameworks, as asked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CrosswalkView {
    pub source: String,
    pub target: String,
    pub name: String,
    pub note: String,
    /// `built_in` or `imported`.
    pub origin: String,
    /// Whether the stored crosswalk runs the other way and was turned round (subset and
    /// superset swap).
    pub reversed: bool,
    pub links: Vec<LinkView>,
}

/// A crosswalk query; `id` keeps the links with that item at either end.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CrosswalkQuery {
    /// Source framework (ISO42001).
    pub source: Option<String>,
    /// Target framework (EUAIA).
    pub target: Option<String>,
    /// An item of either framework (A.6.2.6, Art. 9).
    pub id: Option<String>,
}

/// What one import stored.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// `framework` or `crosswalk`.
    pub kind: String,
    /// The ledger keys written (`FW:ISO27001-2022`, `XW:ISO42001:SCF`).
    pub keys: Vec<String>,
    /// Framework IDs, or `SOURCE:TARGET` of each crosswalk.
    pub ids: Vec<String>,
    pub name: String,
    /// `aims` or `ciso_assistant`.
    pub format: String,
    /// The version of the (first) stored row.
    pub version: i64,
    /// Items of a framework, or links of the crosswalks.
    pub count: usize,
    /// The licensed text of a built-in framework.
    pub licensed: bool,
}

/// The state an import records in the ledger: the row, with a digest instead of the content.
#[derive(Debug, Serialize)]
pub struct ImportState<'a> {
    pub id: &'a str,
    pub version: i64,
    pub name: &'a str,
    pub format: &'a str,
    pub file_name: &'a str,
    pub content_sha256: String,
    pub imported_by: &'a str,
    pub imported_at: &'a str,
}

/// The ledger state of a stored import row.
pub fn import_state(row: &Import) -> ImportState<'_> {
    ImportState {
        id: &row.id,
        version: row.version,
        name: &row.name,
        format: &row.format,
        file_name: &row.file_name,
        content_sha256: hex::encode(Sha256::digest(row.content.as_bytes())),
        imported_by: &row.imported_by,
        imported_at: &row.imported_at,
    }
}

/// The ledger key of an imported framework or crosswalk row.
pub fn import_key(table: Table, id: &str) -> String {
    match table {
        Table::Frameworks => format!("FW:{id}"),
        Table::Crosswalks => format!("XW:{id}"),
    }
}

fn corrupt(id: &str, e: serde_json::Error) -> AppError {
    AppError::Internal(format!("stored import {id} cannot be read: {e}"))
}

/// A catalog file that was refused, as bad input naming the content.
fn refused(e: &CatalogError) -> AppError {
    AppError::invalid("content", e.to_string())
}

/// The catalogs as the organisation sees them: built-in and imported.
struct Library {
    frameworks: Vec<(Import, ImportedFramework)>,
    crosswalks: Vec<(Import, Crosswalk)>,
}

const BUILT_IN: &str = "built_in";
const IMPORTED: &str = "imported";
const CISO_ASSISTANT: &str = "ciso_assistant";

/// A stored import read back. Imports from CISO Assistant libraries stored before node
/// descriptions had a field of their own carry them as `text`: they are descriptions.
fn read_framework(row: &Import) -> Result<ImportedFramework> {
    let mut f: ImportedFramework =
        serde_json::from_str(&row.content).map_err(|e| corrupt(&row.id, e))?;
    if f.format == Format::CisoAssistant {
        for item in &mut f.framework.items {
            if let Some(t) = item.text.take() {
                item.description.get_or_insert(t);
            }
        }
    }
    Ok(f)
}

impl Library {
    async fn load(conn: &mut Conn) -> Result<Library> {
        let mut frameworks = Vec::new();
        for row in store::list(conn, Table::Frameworks).await? {
            let f = read_framework(&row)?;
            frameworks.push((row, f));
        }
        let mut crosswalks = Vec::new();
        for row in store::list(conn, Table::Crosswalks).await? {
            let c: Crosswalk =
                serde_json::from_str(&row.content).map_err(|e| corrupt(&row.id, e))?;
            crosswalks.push((row, c));
        }
        Ok(Library {
            frameworks,
            crosswalks,
        })
    }

    /// The framework `id` as shown: a built-in one with any licensed text laid over its items,
    /// or an imported one; with its summary.
    fn framework(&self, id: &str) -> Option<(Framework, FrameworkSummary)> {
        let stored = self
            .frameworks
            .iter()
            .find(|(_, f)| f.framework.id.eq_ignore_ascii_case(id.trim()));
        if let Some(builtin) = Catalog::framework(id) {
            let mut fw = builtin.clone();
            let mut licensed = 0;
            if let Some((_, f)) = stored.filter(|(_, f)| f.licensed) {
                for item in &mut fw.items {
                    if let Some(t) = f.framework.item(&item.id).and_then(|i| i.text.clone()) {
                        item.text = Some(t);
                        licensed += 1;
                    }
                }
            }
            let import = stored.map(|(row, _)| ImportInfo::from(row));
            let summary = summary(&fw, BUILT_IN, licensed, import);
            return Some((fw, summary));
        }
        let (row, f) = stored?;
        let licensed = f
            .framework
            .items
            .iter()
            .filter(|i| i.text.is_some())
            .count();
        let origin = match f.format {
            Format::CisoAssistant => CISO_ASSISTANT,
            Format::Aims => IMPORTED,
        };
        let summary = summary(&f.framework, origin, licensed, Some(row.into()));
        Some((f.framework.clone(), summary))
    }

    fn summaries(&self) -> Vec<FrameworkSummary> {
        let builtin = Catalog::builtin().iter().map(|f| f.id.as_str());
        let imported = self
            .frameworks
            .iter()
            .filter(|(_, f)| !f.licensed && Catalog::framework(&f.framework.id).is_none())
            .map(|(_, f)| f.framework.id.as_str());
        builtin
            .chain(imported)
            .filter_map(|id| self.framework(id).map(|(_, s)| s))
            .collect()
    }

    /// Every crosswalk: imported ones, then the built-in ones no import replaced.
    fn crosswalks(&self) -> Vec<(&Crosswalk, &'static str)> {
        let mut all: Vec<(&Crosswalk, &'static str)> =
            self.crosswalks.iter().map(|(_, c)| (c, IMPORTED)).collect();
        for c in Catalog::crosswalks() {
            let replaced = all.iter().any(|(i, _)| {
                i.source.eq_ignore_ascii_case(&c.source) && i.target.eq_ignore_ascii_case(&c.target)
            });
            if !replaced {
                all.push((c, BUILT_IN));
            }
        }
        all
    }

    /// The title of `id` in framework `fw`, if both exist.
    fn title(&self, fw: &str, id: &str) -> String {
        if let Some(f) = Catalog::framework(fw) {
            return f.item(id).map(|i| i.title.clone()).unwrap_or_default();
        }
        self.frameworks
            .iter()
            .find(|(_, f)| f.framework.id.eq_ignore_ascii_case(fw))
            .and_then(|(_, f)| f.framework.item(id).map(|i| i.title.clone()))
            .unwrap_or_default()
    }

    fn link(&self, cw: &Crosswalk, from: &str, to: &str, rel: &str, why: &str) -> LinkView {
        LinkView {
            source: cw.source.clone(),
            from: from.to_owned(),
            from_title: self.title(&cw.source, from),
            relationship: rel.to_owned(),
            target: cw.target.clone(),
            to: to.to_owned(),
            to_title: self.title(&cw.target, to),
            rationale: why.to_owned(),
        }
    }
}

fn summary(
    fw: &Framework,
    origin: &str,
    licensed_text: usize,
    import: Option<ImportInfo>,
) -> FrameworkSummary {
    FrameworkSummary {
        id: fw.id.clone(),
        name: fw.name.clone(),
        version: fw.version.clone(),
        origin: origin.to_owned(),
        items: fw.items.len(),
        counts: fw
            .counts()
            .into_iter()
            .map(|(k, n)| (k.as_str().to_owned(), n))
            .collect(),
        licensed_text,
        import,
    }
}

/// The items of `fw` in tree order (each parent followed by its children), with depths.
fn tree(fw: &Framework) -> Vec<TreeItem> {
    fn walk(fw: &Framework, item: &Item, depth: usize, out: &mut Vec<TreeItem>) {
        out.push(TreeItem {
            id: item.id.clone(),
            kind: item.kind.as_str().to_owned(),
            title: item.title.clone(),
            parent: item.parent.clone(),
            depth,
            guidance: item.guidance.clone(),
            has_text: item.text.is_some(),
            has_description: item.description.is_some(),
        });
        if depth < 32 {
            for child in fw.children(&item.id) {
                walk(fw, child, depth + 1, out);
            }
        }
    }
    let mut out = Vec::with_capacity(fw.items.len());
    for root in fw.items.iter().filter(|i| i.parent.is_none()) {
        walk(fw, root, 0, &mut out);
    }
    out
}

/// The frameworks imported as frameworks of their own (not licensed text), for checks.
pub(crate) async fn imported_frameworks(conn: &mut Conn) -> Result<Vec<Framework>> {
    let mut out = Vec::new();
    for row in store::list(conn, Table::Frameworks).await? {
        let f = read_framework(&row)?;
        if !f.licensed && Catalog::framework(&f.framework.id).is_none() {
            out.push(f.framework);
        }
    }
    Ok(out)
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Library {
    /// The built-in catalogs alone, for use without a database.
    fn builtin() -> Library {
        Library {
            frameworks: Vec::new(),
            crosswalks: Vec::new(),
        }
    }

    fn get(&self, id: &str) -> Result<FrameworkView> {
        let (fw, summary) = self
            .framework(id)
            .ok_or_else(|| AppError::not_found(format!("framework {}", id.trim())))?;
        let crosswalks = self
            .crosswalks()
            .into_iter()
            .filter(|(c, _)| c.source == fw.id || c.target == fw.id)
            .map(|(c, origin)| crosswalk_summary(c, origin))
            .collect();
        Ok(FrameworkView {
            summary,
            items: tree(&fw),
            crosswalks,
        })
    }

    fn item(&self, framework: &str, id: &str) -> Result<ItemView> {
        let (fw, _) = self
            .framework(framework)
            .ok_or_else(|| AppError::not_found(format!("framework {}", framework.trim())))?;
        let item = fw
            .item(id)
            .ok_or_else(|| AppError::not_found(format!("item {} of {}", id.trim(), fw.id)))?;
        let mut links_out = Vec::new();
        let mut links_in = Vec::new();
        for (cw, _) in self.crosswalks() {
            if cw.source == fw.id {
                for l in cw.from_item(&item.id) {
                    let rel = l.relationship.as_str();
                    links_out.push(self.link(cw, &l.from, &l.to, rel, &l.rationale));
                }
            }
            if cw.target == fw.id {
                for l in cw.to_item(&item.id) {
                    let rel = l.relationship.as_str();
                    links_in.push(self.link(cw, &l.from, &l.to, rel, &l.rationale));
                }
            }
        }
        Ok(ItemView {
            framework: fw.id.clone(),
            framework_name: fw.name.clone(),
            id: item.id.clone(),
            kind: item.kind.as_str().to_owned(),
            title: item.title.clone(),
            parent: item
                .parent
                .as_deref()
                .and_then(|p| fw.item(p))
                .map(ItemRef::from),
            guidance: item.guidance.clone(),
            evidence: item.evidence.clone(),
            text: item.text.clone(),
            description: item.description.clone(),
            children: fw.children(&item.id).map(ItemRef::from).collect(),
            links_out,
            links_in,
        })
    }

    fn crosswalk_list(&self) -> Vec<CrosswalkSummary> {
        self.crosswalks()
            .into_iter()
            .map(|(c, origin)| crosswalk_summary(c, origin))
            .collect()
    }

    fn query(&self, query: &CrosswalkQuery) -> Result<CrosswalkView> {
        let mut e = aims_core::ValidationErrors::default();
        let source = blank(&query.source);
        let target = blank(&query.target);
        if source.is_none() {
            e.push("source", "is required");
        }
        if target.is_none() {
            e.push("target", "is required");
        }
        let (Some(source), Some(target)) = (source, target) else {
            return Err(e.into());
        };
        for (field, fw) in [("source", source), ("target", target)] {
            if self.framework(fw).is_none() {
                e.push(field, format!("unknown framework '{fw}'"));
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let all = self.crosswalks();
        let same = |c: &Crosswalk, s: &str, t: &str| {
            c.source.eq_ignore_ascii_case(s) && c.target.eq_ignore_ascii_case(t)
        };
        let (cw, origin, reversed) = match all.iter().find(|(c, _)| same(c, source, target)) {
            Some((c, o)) => (*c, *o, false),
            None => match all.iter().find(|(c, _)| same(c, target, source)) {
                Some((c, o)) => (*c, *o, true),
                None => {
                    return Err(AppError::not_found(format!(
                        "crosswalk from {source} to {target}"
                    )))
                }
            },
        };
        let turned = Crosswalk {
            source: cw.target.clone(),
            target: cw.source.clone(),
            name: String::new(),
            note: String::new(),
            links: Vec::new(),
        };
        let wanted = blank(&query.id);
        if let Some(id) = wanted {
            let has = |fw: &str| {
                self.framework(fw)
                    .is_some_and(|(f, _)| f.items.iter().any(|i| same_id(&i.id, id)))
            };
            if !has(&cw.source) && !has(&cw.target) {
                let (s, t) = if reversed {
                    (&cw.target, &cw.source)
                } else {
                    (&cw.source, &cw.target)
                };
                return Err(AppError::invalid(
                    "id",
                    format!("{s} has no item '{id}', nor has {t}"),
                ));
            }
        }
        let mut links = Vec::new();
        for l in &cw.links {
            if let Some(id) = wanted {
                if !same_id(&l.from, id) && !same_id(&l.to, id) {
                    continue;
                }
            }
            links.push(if reversed {
                let rel = l.relationship.reversed();
                self.link(&turned, &l.to, &l.from, rel.as_str(), &l.rationale)
            } else {
                self.link(cw, &l.from, &l.to, l.relationship.as_str(), &l.rationale)
            });
        }
        let (s, t) = if reversed {
            (cw.target.clone(), cw.source.clone())
        } else {
            (cw.source.clone(), cw.target.clone())
        };
        Ok(CrosswalkView {
            source: s,
            target: t,
            name: cw.name.clone(),
            note: cw.note.clone(),
            origin: origin.to_owned(),
            reversed,
            links,
        })
    }
}

/// Refuses a new version of an imported framework that drops items controls or actions still
/// link to, naming each dropped item and the keys that link to it.
async fn keeps_linked_items(conn: &mut Conn, before: &Framework, after: &Framework) -> Result<()> {
    let dropped: Vec<String> = before
        .items
        .iter()
        .filter(|i| after.item(&i.id).is_none())
        .map(|i| format_requirement(&before.id, &i.id))
        .collect();
    if dropped.is_empty() {
        return Ok(());
    }
    let mut linked: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for l in aims_store::controls::requirement_links(conn, &dropped).await? {
        if let Some(r) = dropped.iter().find(|d| **d == l.requirement) {
            linked.entry(r.as_str()).or_default().push(l.control_key);
        }
    }
    for a in aims_store::actions::all(conn).await? {
        for r in dropped
            .iter()
            .filter(|d| a.fields.requirements.contains(*d))
        {
            linked.entry(r.as_str()).or_default().push(a.key.clone());
        }
    }
    if linked.is_empty() {
        return Ok(());
    }
    let listed: Vec<String> = dropped
        .iter()
        .filter_map(|d| {
            linked
                .get(d.as_str())
                .map(|keys| format!("{d} ({})", keys.join(", ")))
        })
        .collect();
    Err(AppError::conflict(
        "content",
        format!(
            "this version of {} drops items still linked from controls or actions: {}; unlink \
             them first",
            after.id,
            listed.join("; ")
        ),
    ))
}

fn crosswalk_summary(c: &Crosswalk, origin: &str) -> CrosswalkSummary {
    CrosswalkSummary {
        source: c.source.clone(),
        target: c.target.clone(),
        name: c.name.clone(),
        links: c.links.len(),
        origin: origin.to_owned(),
    }
}

/// The built-in catalogs without a database (the CLI before `aims init`): the same answers
/// the services give when nothing has been imported.
pub mod builtin {
    use super::*;

    pub fn list() -> Vec<FrameworkSummary> {
        Library::builtin().summaries()
    }

    pub fn get(id: &str) -> Result<FrameworkView> {
        Library::builtin().get(id)
    }

    pub fn item(framework: &str, id: &str) -> Result<ItemView> {
        Library::builtin().item(framework, id)
    }

    pub fn crosswalk_list() -> Vec<CrosswalkSummary> {
        Library::builtin().crosswalk_list()
    }

    pub fn crosswalk(query: &CrosswalkQuery) -> Result<CrosswalkView> {
        Library::builtin().query(query)
    }
}

impl App {
    async fn library(&self, actor: &Actor) -> Result<Library> {
        actor.require(Action::Read)?;
        Library::load(&mut *self.read().await?).await
    }

    /// Every framework: the built-in ones, then the imported ones, with item counts per kind.
    pub async fn catalog_list(&self, actor: &Actor) -> Result<Vec<FrameworkSummary>> {
        Ok(self.library(actor).await?.summaries())
    }

    /// One framework with its items in tree order and the crosswalks it takes part in.
    pub async fn catalog_get(&self, actor: &Actor, id: &str) -> Result<FrameworkView> {
        self.library(actor).await?.get(id)
    }

    /// One item with guidance, evidence, licensed text, children and crosswalk links.
    pub async fn catalog_item(&self, actor: &Actor, framework: &str, id: &str) -> Result<ItemView> {
        self.library(actor).await?.item(framework, id)
    }

    /// Every crosswalk (imported ones replace built-in ones between the same frameworks).
    pub async fn crosswalk_list(&self, actor: &Actor) -> Result<Vec<CrosswalkSummary>> {
        Ok(self.library(actor).await?.crosswalk_list())
    }

    /// The links from `source` to `target` (a crosswalk stored the other way is turned round),
    /// optionally only those with the item `id` at either end.
    pub async fn crosswalk_query(
        &self,
        actor: &Actor,
        query: &CrosswalkQuery,
    ) -> Result<CrosswalkView> {
        self.library(actor).await?.query(query)
    }

    /// Imports a framework or crosswalk file: detects its format, checks it against the
    /// built-in and imported frameworks, stores it (replacing an earlier import of the same ID
    /// with the next version) and records `framework_imported` or `crosswalk_imported`.
    pub async fn catalog_import(
        &self,
        actor: &Actor,
        request: &ImportRequest,
    ) -> Result<ImportOutcome> {
        actor.require(Action::ImportCatalogs)?;
        let file_name = request.file_name.trim();
        let file_name = if file_name.is_empty() {
            "upload.yaml"
        } else {
            file_name
        };
        if request.content.trim().is_empty() {
            return Err(AppError::invalid("content", "is empty"));
        }
        let mut tx = self.db.begin_write().await?;
        let mut imported = Vec::new();
        for row in store::list(tx.conn(), Table::Frameworks).await? {
            imported.push(read_framework(&row)?);
        }
        let options = ImportOptions {
            id: blank(&request.id).map(str::to_owned),
            imported,
        };
        let result =
            Catalog::import_with(file_name, &request.content, &options).map_err(|e| refused(&e))?;
        if let Imported::Framework(f) = &result {
            let before = options
                .imported
                .iter()
                .find(|p| !p.licensed && p.framework.id.eq_ignore_ascii_case(&f.framework.id));
            if let Some(before) = before {
                keeps_linked_items(tx.conn(), &before.framework, &f.framework).await?;
            }
        }
        let at = now();
        let by = actor.username.clone();
        let rows: Vec<(Table, Import)> = match &result {
            Imported::Framework(f) => {
                let content =
                    serde_json::to_string(f).map_err(|e| AppError::Internal(e.to_string()))?;
                vec![(
                    Table::Frameworks,
                    Import {
                        id: f.framework.id.clone(),
                        version: 0,
                        name: f.framework.name.clone(),
                        format: f.format.as_str().to_owned(),
                        file_name: file_name.to_owned(),
                        content,
                        imported_by: by.clone(),
                        imported_at: at.clone(),
                    },
                )]
            }
            Imported::Crosswalks(set) => {
                let mut rows = Vec::new();
                for c in &set.crosswalks {
                    let content =
                        serde_json::to_string(c).map_err(|e| AppError::Internal(e.to_string()))?;
                    rows.push((
                        Table::Crosswalks,
                        Import {
                            id: format!("{}:{}", c.source, c.target),
                            version: 0,
                            name: c.name.clone(),
                            format: set.format.as_str().to_owned(),
                            file_name: file_name.to_owned(),
                            content,
                            imported_by: by.clone(),
                            imported_at: at.clone(),
                        },
                    ));
                }
                rows
            }
        };
        let mut keys = Vec::new();
        let mut ids = Vec::new();
        let mut first_version = 0;
        for (table, mut row) in rows {
            let previous = store::get(tx.conn(), table, &row.id).await?;
            row.version = previous.map_or(1, |p| p.version + 1);
            if first_version == 0 {
                first_version = row.version;
            }
            store::put(tx.conn(), table, &row).await?;
            let (kind, action) = match table {
                Table::Frameworks => (Kind::Framework, FRAMEWORK_IMPORTED),
                Table::Crosswalks => (Kind::Crosswalk, CROSSWALK_IMPORTED),
            };
            let key = import_key(table, &row.id);
            record(&mut tx, actor, kind, &key, action, &import_state(&row)).await?;
            keys.push(key);
            ids.push(row.id);
        }
        tx.commit().await?;
        Ok(match result {
            Imported::Framework(f) => ImportOutcome {
                kind: "framework".into(),
                keys,
                ids,
                name: f.framework.name,
                format: f.format.as_str().into(),
                version: first_version,
                count: f.framework.items.len(),
                licensed: f.licensed,
            },
            Imported::Crosswalks(set) => ImportOutcome {
                kind: "crosswalk".into(),
                keys,
                ids,
                name: set
                    .crosswalks
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                format: set.format.as_str().into(),
                version: first_version,
                count: set.crosswalks.iter().map(|c| c.links.len()).sum(),
                licensed: false,
            },
        })
    }
}
