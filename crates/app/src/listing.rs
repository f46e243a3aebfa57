//! What the sorted, filtered and paged lists (incidents, nonconformities, controls, actions)
//! share: the sort word, the page and text filters, each checked naming its field.

use aims_core::ValidationErrors;
use aims_store::listing::{Order, Page};
use serde::Serialize;

/// Rows per page when a page is asked for without `per_page`.
pub const PER_PAGE: i64 = 50;
/// Largest page of these lists.
pub const MAX_PAGE: i64 = 500;

/// One page of a list (every match when `per_page` is absent) and how many match in all.
#[derive(Debug, Clone, Serialize)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: Option<i64>,
}

/// A text parameter, trimmed; `None` when absent or blank.
pub(crate) fn blank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The sort of `word` (a column's word, `-` in front for descending) among `columns`, or
/// `default` when there is none; an unknown word is named under `sort`.
pub(crate) fn sort<S: Copy>(
    e: &mut ValidationErrors,
    word: &Option<String>,
    columns: &[(&str, S)],
    default: Order<S>,
) -> Order<S> {
    let Some(word) = blank(word) else {
        return default;
    };
    let (descending, name) = match word.strip_prefix('-') {
        Some(w) => (true, w),
        None => (false, word.as_str()),
    };
    match columns.iter().find(|(w, _)| *w == name) {
        Some((_, by)) => Order {
            by: *by,
            descending,
        },
        None => {
            let known: Vec<&str> = columns.iter().map(|(w, _)| *w).collect();
            e.push(
                "sort",
                format!(
                    "unknown value '{name}'; expected one of: {} ('-' in front for descending)",
                    known.join(", ")
                ),
            );
            default
        }
    }
}

/// The page asked for: `None` (every match) when neither `page` nor `per_page` is given,
/// otherwise [`PER_PAGE`] rows unless `per_page` says how many (1 to [`MAX_PAGE`]).
pub(crate) fn page(
    e: &mut ValidationErrors,
    page: Option<i64>,
    per_page: Option<i64>,
) -> Option<Page> {
    if page.is_none() && per_page.is_none() {
        return None;
    }
    let per_page = per_page.unwrap_or(PER_PAGE);
    if !(1..=MAX_PAGE).contains(&per_page) {
        e.push("per_page", format!("must be between 1 and {MAX_PAGE}"));
    }
    let page = page.unwrap_or(1);
    if page < 1 {
        e.push("page", "must be 1 or more");
    }
    Some(Page { page, per_page })
}

/// A list's page as returned: the rows, the total, and the page they are.
pub(crate) fn listed<T>(items: Vec<T>, total: i64, page: Option<Page>) -> Listed<T> {
    Listed {
        items,
        total,
        page: page.map_or(1, |p| p.page),
        per_page: page.map(|p| p.per_page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Col {
        Key,
        Name,
    }

    const COLUMNS: &[(&str, Col)] = &[("key", Col::Key), ("name", Col::Name)];
    const DEFAULT: Order<Col> = Order {
        by: Col::Key,
        descending: true,
    };

    #[test]
    fn sort_words_name_a_column_and_a_direction() {
        let mut e = ValidationErrors::default();
        let got = |w: &str, e: &mut ValidationErrors| sort(e, &Some(w.into()), COLUMNS, DEFAULT);
        assert_eq!(
            got("-name", &mut e),
            Order {
                by: Col::Name,
                descending: true
            }
        );
        assert_eq!(
            got(" name ", &mut e),
            Order {
                by: Col::Name,
                descending: false
            }
        );
        assert_eq!(got("", &mut e), DEFAULT);
        assert!(e.is_empty());
        assert_eq!(got("-size", &mut e), DEFAULT);
        assert_eq!(e.0[0].field, "sort");
        assert!(e.0[0]
            .reason
            .contains("unknown value 'size'; expected one of: key, name"));
    }

    #[test]
    fn pages_default_and_are_checked() {
        let mut e = ValidationErrors::default();
        assert_eq!(page(&mut e, None, None), None);
        assert_eq!(
            page(&mut e, Some(3), None),
            Some(Page {
                page: 3,
                per_page: PER_PAGE
            })
        );
        assert!(e.is_empty());
        page(&mut e, Some(0), Some(MAX_PAGE + 1));
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["per_page", "page"]);
    }
}
