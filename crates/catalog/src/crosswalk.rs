//! Crosswalks: how the items of one framework relate to the items of another
//! (`catalogs/crosswalks/<source>-<target>.yaml`), read and checked against the frameworks.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::load::{bounded, folded, top_line, CatalogError, ListLines};
use crate::Framework;

/// How a `from` item relates to a `to` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// The same obligation.
    Equivalent,
    /// `from` is narrower: meeting it satisfies part of `to`.
    Subset,
    /// `from` is broader: meeting it satisfies all of `to`.
    Superset,
    /// They overlap and each has parts the other lacks.
    Intersects,
}

impl Relationship {
    /// Every relationship, in display order.
    pub const ALL: [Relationship; 4] = [
        Relationship::Equivalent,
        Relationship::Subset,
        Relationship::Superset,
        Relationship::Intersects,
    ];

    /// The name used in the YAML files and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Equivalent => "equivalent",
            Relationship::Subset => "subset",
            Relationship::Superset => "superset",
            Relationship::Intersects => "intersects",
        }
    }

    /// The relationship named `word`, ignoring case.
    pub fn parse(word: &str) -> Option<Relationship> {
        Relationship::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(word.trim()))
    }

    /// The same relation seen from the other end (`to` related to `from`).
    pub fn reversed(self) -> Relationship {
        match self {
            Relationship::Subset => Relationship::Superset,
            Relationship::Superset => Relationship::Subset,
            other => other,
        }
    }
}

impl std::fmt::Display for Relationship {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One link of a crosswalk: an item of the source framework and an item of the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// An item of the source framework, spelled as that framework spells it.
    pub from: String,
    /// An item of the target framework, spelled as that framework spells it.
    pub to: String,
    pub relationship: Relationship,
    /// Why these relate and what differs, in our words.
    #[serde(default)]
    pub rationale: String,
}

/// A crosswalk from one framework to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    /// The source framework's ID (`ISO42001`).
    pub source: String,
    /// The target framework's ID (`EUAIA`).
    pub target: String,
    pub name: String,
    /// What the mapping is and how far to trust it.
    #[serde(default)]
    pub note: String,
    pub links: Vec<Link>,
}

impl Crosswalk {
    /// The links whose `from` is `id` (ignoring case and whitespace).
    pub fn from_item<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links
            .iter()
            .filter(move |l| crate::same_id(&l.from, id))
    }

    /// The links whose `to` is `id` (ignoring case and whitespace).
    pub fn to_item<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Link> + 'a {
        self.links.iter().filter(move |l| crate::same_id(&l.to, id))
    }
}

/// The framework named `id` among `frameworks`, ignoring case.
fn find<'a>(frameworks: &[&'a Framework], id: &str) -> Option<&'a Framework> {
    frameworks
        .iter()
        .copied()
        .find(|f| f.id.eq_ignore_ascii_case(id.trim()))
}

/// Parses and checks a crosswalk file (named `file` in errors).
pub(crate) fn parse(
    file: &str,
    text: &str,
    frameworks: &[&Framework],
) -> Result<Crosswalk, CatalogError> {
    let raw: Crosswalk = bounded(file, text)?;
    check(file, text, raw, frameworks)
}

/// Checks a parsed crosswalk: frameworks known, every end an item, no pair twice, texts given.
/// Returns it with framework and item IDs spelled as their catalogs spell them.
pub(crate) fn check(
    file: &str,
    text: &str,
    mut cw: Crosswalk,
    frameworks: &[&Framework],
) -> Result<Crosswalk, CatalogError> {
    let known = || {
        frameworks
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let framework = |field: &str, id: &str| {
        find(frameworks, id).ok_or_else(|| {
            CatalogError::new(
                file,
                top_line(text, field),
                field,
                format!("unknown framework '{id}' (known: {})", known()),
            )
        })
    };
    let source = framework("source", &cw.source)?;
    let target = framework("target", &cw.target)?;
    if cw.name.trim().is_empty() {
        return Err(CatalogError::new(
            file,
            top_line(text, "name"),
            "name",
            "is empty",
        ));
    }
    cw.source = source.id.clone();
    cw.target = target.id.clone();
    let lines = ListLines::new(text, "links");
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (nth, link) in cw.links.iter_mut().enumerate() {
        let at = |field: &str| lines.line(nth, field);
        let from = source.item(&link.from).ok_or_else(|| {
            CatalogError::new(
                file,
                at("from"),
                "from",
                format!("{} has no item '{}'", source.id, link.from),
            )
        })?;
        let to = target.item(&link.to).ok_or_else(|| {
            CatalogError::new(
                file,
                at("to"),
                "to",
                format!("{} has no item '{}'", target.id, link.to),
            )
        })?;
        link.from = from.id.clone();
        link.to = to.id.clone();
        if link.rationale.trim().is_empty() {
            return Err(CatalogError::new(
                file,
                at("rationale"),
                "rationale",
                format!(
                    "the link from '{}' to '{}' has no rationale",
                    link.from, link.to
                ),
            ));
        }
        let pair = (folded(&link.from), folded(&link.to));
        if let Some(first) = seen.insert(pair, at("from")) {
            return Err(CatalogError::new(
                file,
                at("from"),
                "from",
                format!(
                    "duplicate link from '{}' to '{}' (first at line {first})",
                    link.from, link.to
                ),
            ));
        }
    }
    Ok(cw)
}
