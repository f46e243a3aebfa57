//! Reading one catalog file: size limit, bounded YAML parse, then the semantic checks, each
//! error naming the file, the line and the field.

use std::collections::HashMap;

use serde::de::IgnoredAny;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::options::DuplicateKeyPolicy;
use serde_saphyr::{Budget, Options};

use crate::Framework;

/// Largest catalog file accepted, checked before parsing.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 32;
/// Most YAML nodes accepted in one file (a large catalog has a few thousand).
pub const MAX_NODES: usize = 200_000;

/// A catalog file that was refused, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {field}: {reason}")]
pub struct CatalogError {
    /// The file as it was named to the loader.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The key at fault (`id`, `parent`, an unknown key) or what the limit is about.
    pub field: String,
    pub reason: String,
}

impl CatalogError {
    pub(crate) fn new(
        file: &str,
        line: usize,
        field: &str,
        reason: impl Into<String>,
    ) -> CatalogError {
        CatalogError {
            file: file.to_owned(),
            line: line.max(1),
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}

/// Parses `text` (named `file` in errors) and checks its structure.
pub fn parse(file: &str, text: &str) -> Result<Framework, CatalogError> {
    let framework: Framework = bounded(file, text)?;
    check(file, text, &framework)?;
    Ok(framework)
}

/// The size limit, then a schema-free pass under the budget (so the limits hold whatever the
/// shape), then the typed parse.
pub(crate) fn bounded<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, CatalogError> {
    if text.len() > MAX_BYTES {
        return Err(CatalogError::new(
            file,
            1,
            "file",
            format!("is {} bytes, more than the {MAX_BYTES} allowed", text.len()),
        ));
    }
    serde_saphyr::from_str_with_options::<IgnoredAny>(text, options())
        .map_err(|e| yaml_error(file, text, &e))?;
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| yaml_error(file, text, &e))
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_anchors = 0;
    budget.max_aliases = 0;
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_documents = 1;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.with_snippet = false;
    options
}

/// A parser error as a [`CatalogError`]: its line, and the key it is about.
pub(crate) fn yaml_error(file: &str, text: &str, e: &serde_saphyr::Error) -> CatalogError {
    let line = e
        .location()
        .map(|l| usize::try_from(l.line()).unwrap_or(1))
        .unwrap_or(1);
    let (field, reason) = match e {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => (
            field.clone(),
            format!("unknown key (expected one of: {})", expected.join(", ")),
        ),
        serde_saphyr::Error::SerdeMissingField { field, .. } => {
            ((*field).to_owned(), "is required".to_owned())
        }
        serde_saphyr::Error::Budget { breach, .. } => budget_reason(breach),
        other => (key_near(text, line), first_line(&other.to_string())),
    };
    CatalogError::new(file, line, &field, reason)
}

fn budget_reason(breach: &BudgetBreach) -> (String, String) {
    let (field, reason) = match breach {
        BudgetBreach::Anchors { .. } => ("anchor", "anchors (&name) are not allowed in catalogs"),
        BudgetBreach::Aliases { .. } => ("alias", "aliases (*name) are not allowed in catalogs"),
        BudgetBreach::Depth { .. } => {
            return (
                "depth".to_owned(),
                format!("nesting is deeper than the {MAX_DEPTH} levels catalogs allow"),
            )
        }
        BudgetBreach::Nodes { .. } => ("nodes", "the file has more nodes than catalogs allow"),
        BudgetBreach::Documents { .. } => ("document", "a catalog file holds one YAML document"),
        _ => ("file", "the file exceeds a parsing limit"),
    };
    (field.to_owned(), reason.to_owned())
}

/// The first line of a parser message, without a trailing location.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or(message).trim();
    let line = line.split(" at line ").next().unwrap_or(line);
    line.split(", set DuplicateKeyPolicy")
        .next()
        .unwrap_or(line)
        .to_owned()
}

/// The mapping key on `line`, or on the nearest line above that has one; `document` if none.
fn key_near(text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = line.min(lines.len());
    lines[..end]
        .iter()
        .rev()
        .find_map(|l| key_of(l))
        .map_or_else(|| "document".to_owned(), str::to_owned)
}

/// `key` of a `key: value` or `- key: value` line.
pub(crate) fn key_of(line: &str) -> Option<&str> {
    let trimmed = line.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = trimmed.split_once(':')?;
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    plain.then_some(key)
}

/// The lines where each item's `id:` and `parent:` stand, in file order.
struct LineIndex {
    /// (id value, line of `id:`, line of that item's `parent:` if any)
    items: Vec<(String, usize, Option<usize>)>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut items: Vec<(String, usize, Option<usize>)> = Vec::new();
        let mut in_items = false;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with("items:") {
                in_items = true;
                continue;
            }
            if !in_items {
                continue;
            }
            match key_of(line) {
                Some("id") => items.push((value_of(line), n + 1, None)),
                Some("parent") => {
                    if let Some(last) = items.last_mut() {
                        last.2.get_or_insert(n + 1);
                    }
                }
                _ => {}
            }
        }
        LineIndex { items }
    }

    /// The line of the `nth` item's `id:` (falling back to a search by value).
    fn id_line(&self, nth: usize, id: &str) -> usize {
        match self.items.get(nth) {
            Some((value, line, _)) if value == id => *line,
            _ => self.items.iter().find(|i| i.0 == id).map_or(1, |i| i.1),
        }
    }

    /// The line of the `nth` item's `parent:`, else of its `id:`.
    fn parent_line(&self, nth: usize, id: &str) -> usize {
        match self.items.get(nth) {
            Some((value, _, Some(parent))) if value == id => *parent,
            _ => self.id_line(nth, id),
        }
    }
}

/// The scalar after `key:`, without quotes.
pub(crate) fn value_of(line: &str) -> String {
    let value = line.split_once(':').map_or("", |(_, v)| v);
    let value = value.split(" #").next().unwrap_or(value).trim();
    value.trim_matches(|c| c == '"' || c == '\'').to_owned()
}

/// Unique IDs, non-empty texts, parents that exist, no parent cycles.
fn check(file: &str, text: &str, fw: &Framework) -> Result<(), CatalogError> {
    let index = LineIndex::new(text);
    for (field, value) in [("id", &fw.id), ("name", &fw.name), ("version", &fw.version)] {
        if value.trim().is_empty() {
            return Err(CatalogError::new(
                file,
                top_line(text, field),
                field,
                "is empty",
            ));
        }
    }
    let lines = Lines {
        id: &|nth, id| index.id_line(nth, id),
        parent: &|nth, id| index.parent_line(nth, id),
    };
    check_items(file, fw, true, &lines)
}

/// The line of the top-level `field:`, or 1.
pub(crate) fn top_line(text: &str, field: &str) -> usize {
    text.lines()
        .position(|l| !l.starts_with(' ') && key_of(l) == Some(field))
        .map_or(1, |n| n + 1)
}

/// Where the `nth` item's `id` and `parent` stand, for errors.
pub(crate) struct Lines<'a> {
    pub id: &'a dyn Fn(usize, &str) -> usize,
    pub parent: &'a dyn Fn(usize, &str) -> usize,
}

/// An item ID without whitespace, in upper case: two IDs that match this way are one item.
pub(crate) fn folded(id: &str) -> String {
    id.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Unique IDs (ignoring case and whitespace), non-empty titles (and guidance when
/// `guidance` is set), parents that exist, no parent cycles.
pub(crate) fn check_items(
    file: &str,
    fw: &Framework,
    guidance: bool,
    lines: &Lines<'_>,
) -> Result<(), CatalogError> {
    let err = |line, field: &str, reason: String| Err(CatalogError::new(file, line, field, reason));
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (nth, item) in fw.items.iter().enumerate() {
        let line = (lines.id)(nth, &item.id);
        if item.id.trim().is_empty() {
            return err(line, "id", "is empty".into());
        }
        if let Some(first) = seen.insert(folded(&item.id), &item.id) {
            let reason = if first == item.id {
                format!("duplicate id '{}'", item.id)
            } else {
                format!(
                    "duplicate id '{}' (the same as '{first}' ignoring case and spaces)",
                    item.id
                )
            };
            return err(line, "id", reason);
        }
        if item.title.trim().is_empty() {
            return err(
                line,
                "title",
                format!("item '{}' has an empty title", item.id),
            );
        }
        if guidance && item.guidance.trim().is_empty() {
            return err(
                line,
                "guidance",
                format!("item '{}' has no guidance", item.id),
            );
        }
    }
    let parents: HashMap<&str, Option<&str>> = fw
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.parent.as_deref()))
        .collect();
    for (nth, item) in fw.items.iter().enumerate() {
        let Some(parent) = item.parent.as_deref() else {
            continue;
        };
        let line = (lines.parent)(nth, &item.id);
        if !parents.contains_key(parent) {
            let reason = format!(
                "item '{}' names parent '{parent}', which does not exist",
                item.id
            );
            return err(line, "parent", reason);
        }
        let mut at = Some(parent);
        for _ in 0..=fw.items.len() {
            match at {
                None => break,
                Some(p) if p == item.id => {
                    return err(
                        line,
                        "parent",
                        format!("item '{}' is its own ancestor", item.id),
                    )
                }
                Some(p) => at = parents.get(p).copied().flatten(),
            }
        }
    }
    Ok(())
}

/// The lines of the keys of each entry of a top-level list (`links:`), in file order.
pub(crate) struct ListLines {
    entries: Vec<HashMap<String, usize>>,
}

impl ListLines {
    pub(crate) fn new(text: &str, list: &str) -> ListLines {
        let mut entries: Vec<HashMap<String, usize>> = Vec::new();
        let mut inside = false;
        let mut dash_indent: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.starts_with("- ") {
                inside = key_of(line) == Some(list);
                continue;
            }
            if !inside {
                continue;
            }
            if trimmed.starts_with("- ") && dash_indent.is_none_or(|d| d == indent) {
                dash_indent = Some(indent);
                entries.push(HashMap::new());
            }
            if let (Some(entry), Some(key)) = (entries.last_mut(), key_of(line)) {
                entry.entry(key.to_owned()).or_insert(n + 1);
            }
        }
        ListLines { entries }
    }

    /// The line of `key` in the `nth` entry, else of the entry's first key, else 1.
    pub(crate) fn line(&self, nth: usize, key: &str) -> usize {
        let Some(entry) = self.entries.get(nth) else {
            return 1;
        };
        entry
            .get(key)
            .copied()
            .or_else(|| entry.values().min().copied())
            .unwrap_or(1)
    }
}
