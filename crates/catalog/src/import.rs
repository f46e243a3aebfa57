//! Files an organisation imports: detected by shape, parsed under the same bounds as the
//! built-in catalogs, and checked.
//!
//! Formats:
//! - **aims framework** (`id`, `name`, `version`, `items`): a framework of the organisation's
//!   own, or, when its ID is that of a built-in framework, the organisation's *licensed text* of
//!   that standard: each item names a built-in item (`id`) and carries the standard's wording
//!   (`text`), which is shown beside our guidance. Nothing else of the built-in changes.
//! - **aims crosswalk** (`source`, `target`, `links`): checked like the built-in crosswalks,
//!   against the built-in frameworks and the imported ones.
//! - **CISO Assistant library** (top-level `urn` and `objects`): `objects.framework` becomes a
//!   framework; `objects.requirement_mapping_set(s)` become crosswalks, provided both of their
//!   frameworks are known: a framework imported from a library with that URN, or a built-in or
//!   imported framework whose ID the URN's last segment spells, with or without its version
//!   (`urn:...:framework:iso42001-2023` names ISO42001, `...:nist-ai-rmf-1.0` NISTAIRMF).
//!   Requirement URNs resolve through the imported library's nodes, else by their last segment
//!   as an item ID. A set naming an unknown framework is refused, naming the field and URN.
//!
//! # IDs of imported frameworks
//!
//! `--id` (the `id` option) wins. Otherwise an aims file keeps its `id`, and a CISO Assistant
//! framework gets its `ref_id` in upper case with every run of characters other than letters,
//! digits and dots turned into one `-` (`iso27001-2022` becomes `ISO27001-2022`); when that
//! equals a built-in ID it gets `-CISO` appended, so an import never shadows a built-in
//! framework by accident. An ID is 1 to 40 characters: letters, digits, `.`, `_` and `-`.
//!
//! # CISO Assistant nodes
//!
//! Each requirement node becomes an item: its ID is the node's `ref_id`, or the last segment
//! of its URN when it has none (or when that `ref_id` is taken); its title is its `name`, else
//! its `ref_id`, else the start of its description; its `description` becomes the item's
//! `description` (the library's words, not licensed text of a standard). Its kind: `clause` when the ID is a clause number (`4.1`); otherwise `control` when
//! assessable, `theme` at depth 1 and `category` deeper. Relationships map `equal` to
//! equivalent, `subset`, `superset`, `intersect` to intersects; `not_related` is left out.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::de::IgnoredAny;
use serde::{Deserialize, Deserializer, Serialize};

use crate::crosswalk::{Crosswalk, Link, Relationship};
use crate::load::{self, bounded, check_items, folded, top_line, CatalogError, Lines, ListLines};
use crate::{Catalog, Framework, Item, Kind};

/// Longest framework ID accepted.
pub const MAX_ID: usize = 40;

/// The format an imported file was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// This project's own YAML (the shape of `catalogs/*.yaml`).
    Aims,
    /// A CISO Assistant library.
    CisoAssistant,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Aims => "aims",
            Format::CisoAssistant => "ciso_assistant",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An imported framework, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFramework {
    pub format: Format,
    pub framework: Framework,
    /// The CISO Assistant URN of the framework, when it came from a library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    /// CISO Assistant node URN to item ID, to resolve mapping sets imported later.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_urns: BTreeMap<String, String>,
    /// The licensed text of the built-in framework with the same ID: `framework.items` are the
    /// built-in items that have text.
    #[serde(default)]
    pub licensed: bool,
}

/// Crosswalks read from one file (a CISO Assistant library may hold several mapping sets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedCrosswalks {
    pub format: Format,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    pub crosswalks: Vec<Crosswalk>,
}

/// What an imported file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    Framework(ImportedFramework),
    Crosswalks(ImportedCrosswalks),
}

/// How to import: the ID to give a framework, and what was imported before.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The ID the imported framework gets (`--id`); frameworks only.
    pub id: Option<String>,
    /// Frameworks imported before, known to crosswalks and mapping sets.
    pub imported: Vec<ImportedFramework>,
}

/// Which keys the top level has, to tell the formats apart.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    urn: Option<IgnoredAny>,
    #[serde(default)]
    objects: Option<IgnoredAny>,
    #[serde(default)]
    id: Option<IgnoredAny>,
    #[serde(default)]
    items: Option<IgnoredAny>,
    #[serde(default)]
    source: Option<IgnoredAny>,
    #[serde(default)]
    links: Option<IgnoredAny>,
}

pub(crate) fn import(
    file: &str,
    text: &str,
    options: &ImportOptions,
) -> Result<Imported, CatalogError> {
    let probe: Probe = bounded(file, text)?;
    if probe.urn.is_some() && probe.objects.is_some() {
        return ciso(file, text, options);
    }
    if probe.source.is_some() || probe.links.is_some() {
        if options.id.is_some() {
            return Err(CatalogError::new(
                file,
                1,
                "id",
                "an ID can be given to an imported framework only, not to a crosswalk",
            ));
        }
        let cw = Catalog::load_crosswalk(file, text, &known(options))?;
        return Ok(Imported::Crosswalks(ImportedCrosswalks {
            format: Format::Aims,
            urn: None,
            crosswalks: vec![cw],
        }));
    }
    if probe.id.is_some() || probe.items.is_some() {
        return aims_framework(file, text, options).map(Imported::Framework);
    }
    Err(CatalogError::new(
        file,
        1,
        "document",
        "is not an aims framework (id, name, version, items), an aims crosswalk (source, \
         target, links) or a CISO Assistant library (urn, objects)",
    ))
}

/// The built-in frameworks and the imported ones (licensed texts add no framework).
fn known(options: &ImportOptions) -> Vec<&Framework> {
    let mut all: Vec<&Framework> = Catalog::builtin().iter().collect();
    for f in options.imported.iter().filter(|f| !f.licensed) {
        if Catalog::framework(&f.framework.id).is_none() {
            all.push(&f.framework);
        }
    }
    all
}

/// A framework ID as given or derived: upper case, checked.
fn checked_id(file: &str, line: usize, id: &str) -> Result<String, CatalogError> {
    let id = id.trim().to_ascii_uppercase();
    let ok = !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(id)
    } else {
        Err(CatalogError::new(
            file,
            line,
            "id",
            format!(
                "'{id}' is not a framework ID (1 to {MAX_ID} letters, digits, '.', '_' or '-')"
            ),
        ))
    }
}

#[derive(Deserialize)]
struct IdProbe {
    #[serde(default, deserialize_with = "scalar")]
    id: Option<String>,
}

fn aims_framework(
    file: &str,
    text: &str,
    options: &ImportOptions,
) -> Result<ImportedFramework, CatalogError> {
    let given: IdProbe = bounded(file, text)?;
    let id = match (&options.id, &given.id) {
        (Some(id), _) => checked_id(file, 1, id)?,
        (None, Some(id)) => checked_id(file, top_line(text, "id"), id)?,
        (None, None) => return Err(CatalogError::new(file, 1, "id", "is required")),
    };
    if let Some(builtin) = Catalog::framework(&id) {
        return licensed(file, text, builtin);
    }
    let mut framework = Catalog::load(file, text)?;
    framework.id = id;
    Ok(ImportedFramework {
        format: Format::Aims,
        framework,
        urn: None,
        node_urns: BTreeMap::new(),
        licensed: false,
    })
}

/// One item of a licensed-text file: a built-in item and its wording.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LicensedItem {
    id: String,
    #[serde(default)]
    text: Option<String>,
    // Accepted so that a full framework file can carry the text; the built-in's are kept.
    #[serde(default)]
    #[allow(dead_code)]
    kind: Option<IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    title: Option<IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    parent: Option<IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    guidance: Option<IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    evidence: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LicensedFile {
    #[allow(dead_code)]
    id: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    name: Option<IgnoredAny>,
    #[serde(default, deserialize_with = "scalar")]
    version: Option<String>,
    items: Vec<LicensedItem>,
}

/// The licensed text of a built-in framework: every item must be one of the built-in's, each
/// with its text.
fn licensed(
    file: &str,
    text: &str,
    builtin: &Framework,
) -> Result<ImportedFramework, CatalogError> {
    let parsed: LicensedFile = bounded(file, text)?;
    if let Some(v) = parsed.version.as_deref().map(str::trim) {
        if v != builtin.version {
            return Err(CatalogError::new(
                file,
                top_line(text, "version"),
                "version",
                format!(
                    "is '{v}', but the built-in {} is version '{}'",
                    builtin.id, builtin.version
                ),
            ));
        }
    }
    let lines = ListLines::new(text, "items");
    let mut texts: HashMap<String, String> = HashMap::new();
    for (nth, item) in parsed.items.iter().enumerate() {
        let Some(found) = builtin.item(&item.id) else {
            return Err(CatalogError::new(
                file,
                lines.line(nth, "id"),
                "id",
                format!(
                    "{} has no item '{}': a file with the ID of a built-in framework holds the \
                     licensed text of its items; import another framework under its own ID \
                     (--id)",
                    builtin.id, item.id
                ),
            ));
        };
        let wording = item.text.as_deref().map(str::trim).unwrap_or_default();
        if wording.is_empty() {
            return Err(CatalogError::new(
                file,
                lines.line(nth, "text"),
                "text",
                format!("item '{}' has no text", item.id),
            ));
        }
        if texts.insert(found.id.clone(), wording.to_owned()).is_some() {
            return Err(CatalogError::new(
                file,
                lines.line(nth, "id"),
                "id",
                format!("duplicate id '{}'", item.id),
            ));
        }
    }
    if texts.is_empty() {
        return Err(CatalogError::new(
            file,
            top_line(text, "items"),
            "items",
            "holds no item",
        ));
    }
    let items = builtin
        .items
        .iter()
        .filter_map(|i| {
            texts.remove(&i.id).map(|t| Item {
                text: Some(t),
                ..i.clone()
            })
        })
        .collect();
    Ok(ImportedFramework {
        format: Format::Aims,
        framework: Framework {
            id: builtin.id.clone(),
            name: builtin.name.clone(),
            version: builtin.version.clone(),
            items,
        },
        urn: None,
        node_urns: BTreeMap::new(),
        licensed: true,
    })
}

/// A string, number or boolean, as text (CISO Assistant writes `version: 1`, `ref_id: 5`).
fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        Text(String),
        Int(i64),
        Float(f64),
        Flag(bool),
    }
    Ok(Option::<Scalar>::deserialize(d)?.map(|s| match s {
        Scalar::Text(t) => t,
        Scalar::Int(n) => n.to_string(),
        Scalar::Float(x) => x.to_string(),
        Scalar::Flag(b) => b.to_string(),
    }))
}

#[derive(Deserialize)]
struct CisoLibrary {
    urn: String,
    #[serde(default, deserialize_with = "scalar")]
    ref_id: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    version: Option<String>,
    objects: CisoObjects,
}

#[derive(Deserialize)]
struct CisoObjects {
    #[serde(default)]
    framework: Option<CisoFramework>,
    #[serde(default)]
    requirement_mapping_set: Option<CisoMappingSet>,
    #[serde(default)]
    requirement_mapping_sets: Option<Vec<CisoMappingSet>>,
}

#[derive(Deserialize)]
struct CisoFramework {
    urn: String,
    #[serde(default, deserialize_with = "scalar")]
    ref_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    requirement_nodes: Vec<CisoNode>,
}

#[derive(Deserialize)]
struct CisoNode {
    urn: String,
    #[serde(default, deserialize_with = "scalar")]
    ref_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parent_urn: Option<String>,
    #[serde(default)]
    depth: Option<u32>,
    #[serde(default)]
    assessable: Option<bool>,
}

#[derive(Deserialize)]
struct CisoMappingSet {
    #[serde(default)]
    urn: Option<String>,
    #[serde(default, deserialize_with = "scalar")]
    ref_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    source_framework_urn: String,
    target_framework_urn: String,
    #[serde(default)]
    requirement_mappings: Vec<CisoMapping>,
}

#[derive(Deserialize)]
struct CisoMapping {
    source_requirement_urn: String,
    target_requirement_urn: String,
    relationship: String,
    #[serde(default)]
    rationale: Option<String>,
    #[serde(default)]
    annotation: Option<String>,
}

/// The line of the first `key: value` line whose value is `value`, else 1.
fn line_of(text: &str, key: &str, value: &str) -> usize {
    text.lines()
        .position(|l| load::key_of(l) == Some(key) && load::value_of(l) == value)
        .map_or(1, |n| n + 1)
}

/// The last `:` segment of a URN.
fn tail(urn: &str) -> &str {
    urn.rsplit(':').next().unwrap_or(urn).trim()
}

fn ciso(file: &str, text: &str, options: &ImportOptions) -> Result<Imported, CatalogError> {
    let lib: CisoLibrary = bounded(file, text)?;
    let mut sets: Vec<CisoMappingSet> = lib.objects.requirement_mapping_sets.unwrap_or_default();
    sets.extend(lib.objects.requirement_mapping_set);
    match lib.objects.framework {
        Some(fw) => ciso_framework(file, text, options, &lib.urn, lib.ref_id, lib.version, fw)
            .map(Imported::Framework),
        None if !sets.is_empty() => {
            if options.id.is_some() {
                return Err(CatalogError::new(
                    file,
                    1,
                    "id",
                    "an ID can be given to an imported framework only, not to mapping sets",
                ));
            }
            let crosswalks = sets
                .iter()
                .map(|s| mapping_set(file, text, options, s))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Imported::Crosswalks(ImportedCrosswalks {
                format: Format::CisoAssistant,
                urn: Some(lib.urn),
                crosswalks,
            }))
        }
        None => Err(CatalogError::new(
            file,
            top_line(text, "objects"),
            "objects",
            "holds neither a framework nor requirement mapping sets",
        )),
    }
}

/// A CISO Assistant ref_id as a framework ID (see the module documentation).
fn derived_id(ref_id: &str) -> String {
    let mut id = String::new();
    for c in ref_id.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '.' {
            id.push(c.to_ascii_uppercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_owned();
    if Catalog::framework(&id).is_some() {
        format!("{id}-CISO")
    } else {
        id
    }
}

/// Whether an item ID is a clause number (`4`, `6.1.2`).
fn clause_number(id: &str) -> bool {
    !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// At most `max` characters of the first line of `text`, with `…` when cut.
fn start_of(text: &str, max: usize) -> String {
    let first = text.trim().lines().next().unwrap_or_default().trim();
    if first.chars().count() <= max {
        return first.to_owned();
    }
    let mut cut: String = first.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[allow(clippy::too_many_arguments)]
fn ciso_framework(
    file: &str,
    text: &str,
    options: &ImportOptions,
    library_urn: &str,
    library_ref: Option<String>,
    version: Option<String>,
    fw: CisoFramework,
) -> Result<ImportedFramework, CatalogError> {
    let fw_line = line_of(text, "urn", &fw.urn);
    let id = match &options.id {
        Some(id) => {
            let id = checked_id(file, 1, id)?;
            if Catalog::framework(&id).is_some() {
                return Err(CatalogError::new(
                    file,
                    1,
                    "id",
                    format!(
                        "'{id}' is a built-in framework; give the CISO Assistant framework \
                         another ID (the licensed text of a built-in framework is imported \
                         in the aims format: items with id and text)"
                    ),
                ));
            }
            id
        }
        None => {
            let base = fw
                .ref_id
                .clone()
                .or(library_ref)
                .unwrap_or_else(|| tail(library_urn).to_owned());
            checked_id(file, fw_line, &derived_id(&base))?
        }
    };
    // First every node's ID, so that parents resolve whatever their order.
    let mut taken: HashSet<String> = HashSet::new();
    let mut node_urns: BTreeMap<String, String> = BTreeMap::new();
    let mut ids: Vec<String> = Vec::with_capacity(fw.requirement_nodes.len());
    for node in &fw.requirement_nodes {
        let line = line_of(text, "urn", &node.urn);
        let segment = tail(&node.urn).to_owned();
        let reference = node
            .ref_id
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let candidates = [
            reference.map(str::to_owned),
            Some(segment.clone()),
            reference.map(|r| format!("{r} ({segment})")),
        ];
        let Some(item_id) = candidates
            .into_iter()
            .flatten()
            .find(|c| !c.is_empty() && !taken.contains(&folded(c)))
        else {
            return Err(CatalogError::new(
                file,
                line,
                "urn",
                format!("node '{}' has an ID that is already taken", node.urn),
            ));
        };
        taken.insert(folded(&item_id));
        if node_urns
            .insert(node.urn.clone(), item_id.clone())
            .is_some()
        {
            return Err(CatalogError::new(
                file,
                line,
                "urn",
                format!("duplicate node urn '{}'", node.urn),
            ));
        }
        ids.push(item_id);
    }
    let mut items = Vec::with_capacity(ids.len());
    for (node, item_id) in fw.requirement_nodes.iter().zip(ids) {
        let parent = match node.parent_urn.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(node_urns.get(p).cloned().ok_or_else(|| {
                CatalogError::new(
                    file,
                    line_of(text, "parent_urn", p),
                    "parent_urn",
                    format!(
                        "node '{}' names parent '{p}', which does not exist",
                        node.urn
                    ),
                )
            })?),
        };
        let description = node
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty());
        let title = node
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .or_else(|| node.ref_id.clone().filter(|r| !r.trim().is_empty()))
            .or_else(|| description.map(|d| start_of(d, 80)))
            .unwrap_or_else(|| item_id.clone());
        let kind = if clause_number(&item_id) {
            Kind::Clause
        } else if node.assessable == Some(true) {
            Kind::Control
        } else if node.depth.unwrap_or(1) <= 1 && parent.is_none() {
            Kind::Theme
        } else {
            Kind::Category
        };
        items.push(Item {
            id: item_id,
            kind,
            title,
            parent,
            guidance: String::new(),
            evidence: Vec::new(),
            text: None,
            description: description.map(str::to_owned),
        });
    }
    let framework = Framework {
        id,
        name: fw
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| fw.urn.clone(), str::to_owned),
        version: version
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "1".to_owned()),
        items,
    };
    let line_by_item: HashMap<&str, usize> = node_urns
        .iter()
        .map(|(urn, id)| (id.as_str(), line_of(text, "urn", urn)))
        .collect();
    let at = |_: usize, id: &str| line_by_item.get(id).copied().unwrap_or(1);
    let lines = Lines {
        id: &at,
        parent: &at,
    };
    check_items(file, &framework, false, &lines)?;
    Ok(ImportedFramework {
        format: Format::CisoAssistant,
        framework,
        urn: Some(fw.urn),
        node_urns,
        licensed: false,
    })
}

/// A framework a mapping set names, and how to find its items by node URN.
struct Resolved<'a> {
    framework: &'a Framework,
    node_urns: Option<&'a BTreeMap<String, String>>,
}

impl Resolved<'_> {
    fn item(&self, urn: &str) -> Option<String> {
        if let Some(id) = self.node_urns.and_then(|m| m.get(urn.trim())) {
            return Some(id.clone());
        }
        let segment = tail(urn);
        self.framework
            .item(segment)
            .or_else(|| self.framework.item(&segment.replace('-', " ")))
            .map(|i| i.id.clone())
    }
}

/// Letters and digits only, in upper case: `nist-ai-rmf` and `NISTAIRMF` are one name.
fn bare(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A framework URN among the imported frameworks (by URN), else the built-in and imported
/// frameworks by ID: the URN's last segment with or without its version (`iso42001-2023`
/// names ISO42001, `nist-ai-rmf-1.0` names NISTAIRMF).
fn resolve<'a>(options: &'a ImportOptions, urn: &str) -> Option<Resolved<'a>> {
    let urn = urn.trim();
    if let Some(f) = options.imported.iter().find(|f| {
        f.urn
            .as_deref()
            .is_some_and(|u| u.eq_ignore_ascii_case(urn))
    }) {
        return Some(Resolved {
            framework: &f.framework,
            node_urns: Some(&f.node_urns),
        });
    }
    let segment = tail(urn);
    let unversioned = match segment.rsplit_once('-') {
        Some((name, v)) if v.chars().all(|c| c.is_ascii_digit() || c == '.') => name,
        _ => segment,
    };
    let names = [bare(segment), bare(unversioned)];
    let imported = options.imported.iter().filter(|f| !f.licensed);
    imported
        .map(|f| (&f.framework, Some(&f.node_urns)))
        .chain(Catalog::builtin().iter().map(|f| (f, None)))
        .find(|(f, _)| names.contains(&bare(&f.id)))
        .map(|(framework, node_urns)| Resolved {
            framework,
            node_urns,
        })
}

fn mapping_set(
    file: &str,
    text: &str,
    options: &ImportOptions,
    set: &CisoMappingSet,
) -> Result<Crosswalk, CatalogError> {
    let framework = |field: &str, urn: &str| {
        resolve(options, urn).ok_or_else(|| {
            CatalogError::new(
                file,
                line_of(text, field, urn),
                field,
                format!(
                    "framework '{urn}' is not known: import it first (known: the built-in \
                     frameworks and those imported before)"
                ),
            )
        })
    };
    let source = framework("source_framework_urn", &set.source_framework_urn)?;
    let target = framework("target_framework_urn", &set.target_framework_urn)?;
    let mut links: Vec<Link> = Vec::new();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for m in &set.requirement_mappings {
        let relationship = match m.relationship.trim().to_ascii_lowercase().as_str() {
            "equal" => Relationship::Equivalent,
            "subset" => Relationship::Subset,
            "superset" => Relationship::Superset,
            "intersect" => Relationship::Intersects,
            "not_related" => continue,
            other => {
                return Err(CatalogError::new(
                    file,
                    line_of(text, "source_requirement_urn", &m.source_requirement_urn),
                    "relationship",
                    format!(
                        "unknown relationship '{other}' (expected equal, subset, superset, \
                         intersect or not_related)"
                    ),
                ))
            }
        };
        let end = |field: &str, resolved: &Resolved<'_>, urn: &str| {
            resolved.item(urn).ok_or_else(|| {
                CatalogError::new(
                    file,
                    line_of(text, field, urn),
                    field,
                    format!("{} has no item for '{urn}'", resolved.framework.id),
                )
            })
        };
        let from = end("source_requirement_urn", &source, &m.source_requirement_urn)?;
        let to = end("target_requirement_urn", &target, &m.target_requirement_urn)?;
        if !seen.insert((folded(&from), folded(&to))) {
            continue;
        }
        let rationale = m
            .rationale
            .as_deref()
            .or(m.annotation.as_deref())
            .unwrap_or_default()
            .trim()
            .to_owned();
        links.push(Link {
            from,
            to,
            relationship,
            rationale,
        });
    }
    let name = set
        .name
        .clone()
        .or_else(|| set.ref_id.clone())
        .or_else(|| set.urn.clone())
        .unwrap_or_else(|| format!("{} to {}", source.framework.id, target.framework.id));
    let note = set
        .description
        .clone()
        .unwrap_or_else(|| "Imported from a CISO Assistant mapping set.".to_owned());
    Ok(Crosswalk {
        source: source.framework.id.clone(),
        target: target.framework.id.clone(),
        name,
        note,
        links,
    })
}
