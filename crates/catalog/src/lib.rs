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

pub mod load;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use load::CatalogError;

/// The built-in catalog files: (file name, text).
const BUILTIN: &[(&str, &str)] = &[(
    "catalogs/iso42001.yaml",
    include_str!("../../../catalogs/iso42001.yaml"),
)];

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
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 6] = [
        Kind::Clause,
        Kind::Objective,
        Kind::Control,
        Kind::AnnexCObjective,
        Kind::RiskSource,
        Kind::DocumentedInformation,
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
        }
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
            .find(|f| f.id.eq_ignore_ascii_case(id))
    }
}

impl Framework {
    /// The item with this ID (exact, then ignoring case).
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .or_else(|| self.items.iter().find(|i| i.id.eq_ignore_ascii_case(id)))
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
