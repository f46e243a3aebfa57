//! Framework catalogs as data: the requirements and controls of a standard, each with an ID, a
//! short title and guidance written by this project (what good looks like, typical evidence).
//!
//! Catalogs are YAML files under `catalogs/` at the repository root, embedded in the binary and
//! validated when first read: unique IDs, every parent exists, no parent cycles. No text of the
//! standards themselves is stored, only identifiers, short titles and our own guidance.
//!
//! # YAML crate
//!
//! `serde_yaml` is unmaintained, so catalogs are read with `serde-saphyr`: maintained, pure Rust
//! (no C `libyaml` behind `unsafe`), panic-free by design, and it reports a line and column for
//! syntax, unknown-key and type errors. Above all it enforces a *budget* while parsing, counted on
//! parser events before any value is built, which is how a catalog's expansion is bounded:
//! this crate allows no anchors and no aliases at all (so no alias bomb), at most
//! [`load::MAX_DEPTH`] levels of nesting and a fixed number of nodes, and refuses a file over
//! [`load::MAX_BYTES`] before parsing it.

pub mod crosswalk;
pub mod import;
pub mod load;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use crosswalk::{Crosswalk, Link, Relationship};
pub use import::{Format, ImportOptions, Imported, ImportedCrosswalks, ImportedFramework};
pub use load::CatalogError;

/// The built-in catalog files: (file name, text).
const BUILTIN: &[(&str, &str)] = &[
    (
        "catalogs/iso42001.yaml",
        include_str!("../../../catalogs/iso42001.yaml"),
    ),
    (
        "catalogs/iso27001.yaml",
        include_str!("../../../catalogs/iso27001.yaml"),
    ),
    (
        "catalogs/iso9001.yaml",
        include_str!("../../../catalogs/iso9001.yaml"),
    ),
    (
        "catalogs/eu-ai-act.yaml",
        include_str!("../../../catalogs/eu-ai-act.yaml"),
    ),
    (
        "catalogs/nist-ai-rmf.yaml",
        include_str!("../../../catalogs/nist-ai-rmf.yaml"),
    ),
];

/// The built-in crosswalk files: (file name, text). Each is checked against [`BUILTIN`].
const BUILTIN_CROSSWALKS: &[(&str, &str)] = &[
    (
        "catalogs/crosswalks/iso42001-iso27001.yaml",
        include_str!("../../../catalogs/crosswalks/iso42001-iso27001.yaml"),
    ),
    (
        "catalogs/crosswalks/iso42001-iso9001.yaml",
        include_str!("../../../catalogs/crosswalks/iso42001-iso9001.yaml"),
    ),
    (
        "catalogs/crosswalks/iso42001-euaia.yaml",
        include_str!("../../../catalogs/crosswalks/iso42001-euaia.yaml"),
    ),
    (
        "catalogs/crosswalks/iso42001-nist-ai-rmf.yaml",
        include_str!("../../../catalogs/crosswalks/iso42001-nist-ai-rmf.yaml"),
    ),
];

/// One framework: a standard or regulation and its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Short ID used in requirement references (`ISO42001`).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Edition or version (`2023`).
    pub version: String,
    /// Every item, parents before their children.
    pub items: Vec<Item>,
}

/// One clause, objective, control or other entry of a framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The framework's own identifier (`6.1.2`, `A.6.2.6`).
    pub id: String,
    pub kind: Kind,
    /// A short title (our paraphrase, never the standard's text).
    pub title: String,
    /// The enclosing item; none for top-level items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// What good looks like, in our words.
    pub guidance: String,
    /// Typical evidence an auditor would expect to see.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The standard's own wording. Never shipped with aims: present only when an organisation
    /// imports its licensed copy of the standard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The description an imported library gives the item (a CISO Assistant node's
    /// `description`): the library's words, neither our guidance nor licensed text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A clause or sub-clause of the requirements.
    Clause,
    /// An Annex A control objective (topic).
    Objective,
    /// An Annex A control.
    Control,
    /// An organisational objective of Annex C.
    AnnexCObjective,
    /// A risk source of Annex C.
    RiskSource,
    /// A piece of documented information the standard requires.
    DocumentedInformation,
    /// A group of controls (ISO/IEC 27001 A.5 "Organizational controls").
    Theme,
    /// An article of a regulation (EU AI Act "Art. 9").
    Article,
    /// An annex of a regulation (EU AI Act "Annex III").
    Annex,
    /// An area of an annex (one of the EU AI Act's Annex III high-risk areas).
    Area,
    /// A function of the NIST AI RMF (GOVERN, MAP, MEASURE, MANAGE).
    Function,
    /// A category of a NIST AI RMF function (GOVERN 1).
    Category,
    /// A subcategory of a NIST AI RMF category (GOVERN 1.1).
    Subcategory,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 13] = [
        Kind::Clause,
        Kind::Objective,
        Kind::Control,
        Kind::AnnexCObjective,
        Kind::RiskSource,
        Kind::DocumentedInformation,
        Kind::Theme,
        Kind::Article,
        Kind::Annex,
        Kind::Area,
        Kind::Function,
        Kind::Category,
        Kind::Subcategory,
    ];

    /// The name used in the YAML files and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Clause => "clause",
            Kind::Objective => "objective",
            Kind::Control => "control",
            Kind::AnnexCObjective => "annex_c_objective",
            Kind::RiskSource => "risk_source",
            Kind::DocumentedInformation => "documented_information",
            Kind::Theme => "theme",
            Kind::Article => "article",
            Kind::Annex => "annex",
            Kind::Area => "area",
            Kind::Function => "function",
            Kind::Category => "category",
            Kind::Subcategory => "subcategory",
        }
    }

    /// The kind named `word` (as in the YAML files), ignoring case.
    pub fn parse(word: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word.trim()))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The set of catalogs this binary knows.
pub struct Catalog;

impl Catalog {
    /// Every built-in framework, parsed and validated once.
    ///
    /// # Panics
    /// If a built-in file is invalid; the crate's tests load every one of them.
    pub fn builtin() -> &'static [Framework] {
        static FRAMEWORKS: OnceLock<Vec<Framework>> = OnceLock::new();
        FRAMEWORKS.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(file, text)| {
                    Catalog::load(file, text)
                        .unwrap_or_else(|e| panic!("built-in catalog is invalid: {e}"))
                })
                .collect()
        })
    }

    /// Parses and validates one catalog file; `name` is the file named in errors.
    pub fn load(name: &str, text: &str) -> Result<Framework, CatalogError> {
        load::parse(name, text)
    }

    /// A built-in framework by ID, ignoring case.
    pub fn framework(id: &str) -> Option<&'static Framework> {
        Catalog::builtin()
            .iter()
            .find(|f| f.id.eq_ignore_ascii_case(id.trim()))
    }

    /// Every built-in crosswalk, parsed and checked against the built-in frameworks once.
    ///
    /// # Panics
    /// If a built-in file is invalid; the crate's tests load every one of them.
    pub fn crosswalks() -> &'static [Crosswalk] {
        static CROSSWALKS: OnceLock<Vec<Crosswalk>> = OnceLock::new();
        CROSSWALKS.get_or_init(|| {
            let frameworks: Vec<&Framework> = Catalog::builtin().iter().collect();
            BUILTIN_CROSSWALKS
                .iter()
                .map(|(file, text)| {
                    Catalog::load_crosswalk(file, text, &frameworks)
                        .unwrap_or_else(|e| panic!("built-in crosswalk is invalid: {e}"))
                })
                .collect()
        })
    }

    /// The built-in crosswalk from `source` to `target`, ignoring case.
    pub fn crosswalk(source: &str, target: &str) -> Option<&'static Crosswalk> {
        Catalog::crosswalks().iter().find(|c| {
            c.source.eq_ignore_ascii_case(source.trim())
                && c.target.eq_ignore_ascii_case(target.trim())
        })
    }

    /// Parses one crosswalk file and checks it against `frameworks`: both frameworks known,
    /// every `from` and `to` an item of its framework, no pair twice.
    pub fn load_crosswalk(
        name: &str,
        text: &str,
        frameworks: &[&Framework],
    ) -> Result<Crosswalk, CatalogError> {
        crosswalk::parse(name, text, frameworks)
    }

    /// Reads a file an organisation imports, detecting its format: an aims framework or
    /// crosswalk, or a CISO Assistant library (a framework or mapping sets). Checked against the
    /// built-in frameworks only; see [`Catalog::import_with`].
    pub fn import(name: &str, text: &str) -> Result<Imported, CatalogError> {
        import::import(name, text, &ImportOptions::default())
    }

    /// [`Catalog::import`] with an ID for the framework and the frameworks imported before.
    pub fn import_with(
        name: &str,
        text: &str,
        options: &ImportOptions,
    ) -> Result<Imported, CatalogError> {
        import::import(name, text, options)
    }
}

/// Whether two item IDs are the same, ignoring case and whitespace (`art.9` is `Art. 9`).
pub fn same_id(a: &str, b: &str) -> bool {
    let mut x = a.chars().filter(|c| !c.is_whitespace());
    let mut y = b.chars().filter(|c| !c.is_whitespace());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.eq_ignore_ascii_case(&q) => {}
            _ => return false,
        }
    }
}

impl Framework {
    /// The item with this ID (exact, then ignoring case and whitespace: `art.9` finds
    /// `Art. 9`, `govern1.1` finds `GOVERN 1.1`).
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .or_else(|| self.items.iter().find(|i| same_id(&i.id, id)))
    }

    /// The items whose parent is `id`, in file order.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items
            .iter()
            .filter(move |i| i.parent.as_deref() == Some(id))
    }

    /// The top-level items of the given kinds, in file order.
    pub fn roots(&self, kinds: &[Kind]) -> impl Iterator<Item = &Item> + '_ {
        let kinds = kinds.to_vec();
        self.items
            .iter()
            .filter(move |i| i.parent.is_none() && kinds.contains(&i.kind))
    }

    /// How many items there are of each kind (kinds with none are left out).
    pub fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut counts = BTreeMap::new();
        for item in &self.items {
            *counts.entry(item.kind).or_insert(0) += 1;
        }
        counts
    }
}
