//! What the list pages share: the query string read with every bad value named beside its
//! field, links that keep the other parameters, sortable column headers and the pager.

use aims_app::listing::Listed;
use aims_app::AppError;
use aims_core::{FieldError, ValidationErrors};
use axum::http::StatusCode;

use super::form::FormState;
use super::layout::query_string;
use super::system::is_form_error;

/// Rows per page of a list page unless `per_page` says otherwise.
pub const PER_PAGE: i64 = 50;

/// A list page's query string: the values as typed, and the ones that did not parse.
pub struct Params {
    path: &'static str,
    /// The parameters links keep, in order (`page` is set by each link itself).
    kept: &'static [&'static str],
    pairs: Vec<(String, String)>,
    errors: Vec<FieldError>,
}

impl Params {
    pub fn new(
        path: &'static str,
        kept: &'static [&'static str],
        pairs: Vec<(String, String)>,
    ) -> Self {
        Params {
            path,
            kept,
            pairs,
            errors: Vec::new(),
        }
    }

    /// The last value of `name`, trimmed ("" when absent).
    pub fn value(&self, name: &str) -> String {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The value of `name` unless it is absent or blank.
    pub fn text(&self, name: &str) -> Option<String> {
        Some(self.value(name)).filter(|v| !v.is_empty())
    }

    /// `name` as a whole number; anything else is named beside the field.
    pub fn number(&mut self, name: &str) -> Option<i64> {
        let v = self.text(name)?;
        match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.push(FieldError::new(
                    name,
                    format!("'{v}' is not a whole number"),
                ));
                None
            }
        }
    }

    /// `name` as yes or no (`true`, `on`, `1` / `false`, `off`, `0`), kept as `true` or `false`;
    /// anything else is named beside the field.
    pub fn flag(&mut self, name: &str) -> Option<bool> {
        let v = self.text(name)?;
        let flag = match v.as_str() {
            "true" | "on" | "1" => true,
            "false" | "off" | "0" => false,
            _ => {
                self.errors.push(FieldError::new(
                    name,
                    format!("unknown value '{v}'; expected true or false"),
                ));
                return None;
            }
        };
        self.pairs.push((name.to_owned(), flag.to_string()));
        Some(flag)
    }

    /// The values that did not parse.
    pub fn errors(&self) -> &[FieldError] {
        &self.errors
    }

    /// `per_page`, or [`PER_PAGE`].
    pub fn per_page(&mut self) -> Option<i64> {
        Some(self.number("per_page").unwrap_or(PER_PAGE))
    }

    /// This page's address with the kept parameters and `changes` applied.
    pub fn link(&self, changes: &[(&str, String)]) -> String {
        self.link_to(self.path, changes)
    }

    /// `path` with the kept parameters, in their order, and `changes` applied (an export of the
    /// same list).
    pub fn link_to(&self, path: &str, changes: &[(&str, String)]) -> String {
        let change = |k: &str| {
            changes
                .iter()
                .find(|(c, _)| *c == k)
                .map(|(_, v)| v.clone())
        };
        let mut pairs: Vec<(&str, String)> = self
            .kept
            .iter()
            .map(|k| (*k, change(k).unwrap_or_else(|| self.value(k))))
            .collect();
        pairs.extend(
            changes
                .iter()
                .filter(|(c, _)| !self.kept.contains(c))
                .cloned(),
        );
        format!("{path}{}", query_string(&pairs))
    }

    /// Whether any kept parameter is set (for the "Clear filters" link).
    pub fn filtered(&self) -> bool {
        self.kept.iter().any(|k| !self.value(k).is_empty())
    }

    /// The headers of the sortable columns, `(label, sort word)`, each linking to its sort
    /// (the other direction when it is the current one); `default` is the sort without `sort`.
    pub fn columns(&self, default: &str, columns: &[(&'static str, &'static str)]) -> Vec<Column> {
        let current = self.text("sort").unwrap_or_else(|| default.to_owned());
        columns
            .iter()
            .map(|&(label, word)| {
                let (sorted, next) = if current == word {
                    ("ascending", format!("-{word}"))
                } else if current.strip_prefix('-') == Some(word) {
                    ("descending", word.to_owned())
                } else {
                    ("", word.to_owned())
                };
                Column {
                    label,
                    href: self.link(&[("sort", next)]),
                    sorted,
                    class: "",
                }
            })
            .collect()
    }

    /// The filter form's state: the kept values, and every error beside its field.
    fn state(
        &self,
        fields: &'static [(&'static str, &'static str)],
        error: Option<&AppError>,
    ) -> FormState {
        let mut s = FormState::new(fields);
        for name in self.kept {
            s = s.set(name, self.value(name));
        }
        for f in error.map(AppError::fields).unwrap_or_default() {
            s = s.with_error(&f.field, &f.reason);
        }
        for f in &self.errors {
            s = s.with_error(&f.field, &f.reason);
        }
        s
    }

    /// What the list call came to: the list, or none and the filter form with every bad value
    /// beside its field (422) — the service's and the ones this page could not read.
    pub fn outcome<T>(
        &self,
        fields: &'static [(&'static str, &'static str)],
        result: Result<T, AppError>,
    ) -> Result<Outcome<T>, AppError> {
        let result = match result {
            Ok(_) if !self.errors.is_empty() => Err(AppError::Invalid(ValidationErrors::default())),
            other => other,
        };
        match result {
            Ok(list) => Ok(Outcome {
                list: Some(list),
                form: self.state(fields, None),
                status: StatusCode::OK,
            }),
            Err(e) if is_form_error(&e) => Ok(Outcome {
                list: None,
                form: self.state(fields, Some(&e)),
                status: StatusCode::UNPROCESSABLE_ENTITY,
            }),
            Err(e) => Err(e),
        }
    }
}

/// A list call's outcome as a page shows it.
pub struct Outcome<T> {
    /// `None` when a parameter was refused.
    pub list: Option<T>,
    pub form: FormState,
    pub status: StatusCode,
}

/// A sortable column header.
pub struct Column {
    pub label: &'static str,
    pub href: String,
    /// `ascending`, `descending` or "" (for `aria-sort`).
    pub sorted: &'static str,
    /// The header's CSS class ("" for none; `num` for a column of numbers).
    pub class: &'static str,
}

/// The line that says which rows are shown, and the links to the pages before and after.
pub struct Pager {
    pub summary: String,
    /// "" when there is no such page.
    pub prev: String,
    pub next: String,
}

impl Pager {
    /// The pager of `shown` rows of page `page` (`per_page` each; every match when `None`) out
    /// of `total` `noun`s.
    pub fn new(
        p: &Params,
        noun: &str,
        total: i64,
        page: i64,
        per_page: Option<i64>,
        shown: usize,
    ) -> Pager {
        let shown = i64::try_from(shown).unwrap_or(i64::MAX);
        let first = per_page.map_or(1, |n| (page - 1).saturating_mul(n) + 1);
        let last = first - 1 + shown;
        let summary = if total == 0 {
            format!("No {noun} match.")
        } else if shown == 0 {
            format!("Page {page} is past the last page: {total} {noun} match.")
        } else {
            format!("Showing {first}–{last} of {total} {noun}.")
        };
        let link = |n: i64| p.link(&[("page", n.to_string())]);
        Pager {
            summary,
            prev: if page > 1 {
                link(page - 1)
            } else {
                String::new()
            },
            next: if shown > 0 && last < total {
                link(page + 1)
            } else {
                String::new()
            },
        }
    }

    /// The rows of a list call's outcome and their pager; no rows when a parameter was refused.
    pub fn of<T>(p: &Params, noun: &str, list: Option<Listed<T>>) -> (Vec<T>, Pager) {
        match list {
            Some(l) => {
                let pager = Pager::new(p, noun, l.total, l.page, l.per_page, l.items.len());
                (l.items, pager)
            }
            None => (Vec::new(), Pager::none(noun)),
        }
    }

    /// The pager of a list that could not be made (a refused parameter).
    pub fn none(noun: &str) -> Pager {
        Pager {
            summary: format!("No {noun} match."),
            prev: String::new(),
            next: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Params {
        let pairs = serde_urlencoded::from_str(query).unwrap_or_default();
        Params::new("/things", &["q", "status", "sort", "per_page"], pairs)
    }

    #[test]
    fn links_keep_the_other_parameters() {
        let p = params("status=open&q=a%20b&page=3&sort=-name");
        assert_eq!(
            p.link(&[("page", "4".into())]),
            "/things?q=a%20b&status=open&sort=-name&page=4"
        );
        let cols = p.columns("key", &[("Key", "key"), ("Name", "name")]);
        assert_eq!(cols[0].sorted, "");
        assert_eq!(cols[0].href, "/things?q=a%20b&status=open&sort=key");
        assert_eq!(cols[1].sorted, "descending");
        assert_eq!(cols[1].href, "/things?q=a%20b&status=open&sort=name");
        assert!(p.filtered() && !params("page=2").filtered());
        let cols = params("").columns("-key", &[("Key", "key")]);
        assert_eq!(
            (cols[0].sorted, cols[0].href.as_str()),
            ("descending", "/things?sort=key")
        );
    }

    #[test]
    fn bad_numbers_and_flags_are_named() {
        let mut p = params("page=x&per_page=&open=on&serious=maybe");
        assert_eq!(p.number("page"), None);
        assert_eq!(p.per_page(), Some(PER_PAGE));
        assert_eq!(p.flag("open"), Some(true));
        assert_eq!(p.value("open"), "true");
        assert_eq!(p.flag("serious"), None);
        let fields: Vec<&str> = p.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["page", "serious"]);
        let out = p
            .outcome(&[("page", "Page")], Ok::<_, AppError>(()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(out.list.is_none());
        assert_eq!(out.form.error("page"), "'x' is not a whole number");
    }

    #[test]
    fn the_pager_counts_and_links() {
        let p = params("status=open");
        let pg = Pager::new(&p, "things", 120, 2, Some(50), 50);
        assert_eq!(pg.summary, "Showing 51–100 of 120 things.");
        assert_eq!(pg.prev, "/things?status=open&page=1");
        assert_eq!(pg.next, "/things?status=open&page=3");
        let last = Pager::new(&p, "things", 120, 3, Some(50), 20);
        assert_eq!(
            (last.summary.as_str(), last.next.as_str()),
            ("Showing 101–120 of 120 things.", "")
        );
        let past = Pager::new(&p, "things", 120, 9, Some(50), 0);
        assert_eq!(
            past.summary,
            "Page 9 is past the last page: 120 things match."
        );
        assert_eq!(
            Pager::new(&p, "things", 0, 1, Some(50), 0).summary,
            "No things match."
        );
        let all = Pager::new(&p, "things", 3, 1, None, 3);
        assert_eq!(
            (all.summary.as_str(), all.prev.as_str(), all.next.as_str()),
            ("Showing 1–3 of 3 things.", "", "")
        );
    }
}
