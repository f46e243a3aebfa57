//! What the sorted, filtered and paged lists share: the sort word, the page and text filters,
//! each checked naming its field. The large lists (incidents, nonconformities, controls,
//! actions, the ledger) are sorted and paged by the database; the registers that are read whole
//! (the Statement of Applicability, the context, the impact assessments) by [`arrange`].

use std::cmp::Ordering;

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
    Some(page_up_to(e, page, (per_page, "per_page"), MAX_PAGE))
}

/// The page asked for, always one: [`PER_PAGE`] rows unless the size given (under the name
/// that comes with it) says how many, 1 to `max`.
pub(crate) fn page_up_to(
    e: &mut ValidationErrors,
    page: Option<i64>,
    (per_page, field): (Option<i64>, &str),
    max: i64,
) -> Page {
    let per_page = per_page.unwrap_or(PER_PAGE);
    if !(1..=max).contains(&per_page) {
        e.push(field, format!("must be between 1 and {max}"));
    }
    let page = page.unwrap_or(1);
    if page < 1 {
        e.push("page", "must be 1 or more");
    }
    Page { page, per_page }
}

/// A value given under its name or under its older name (`per_page` or `limit`, `key` or
/// `entity`), and the name it came under, so that its errors name what the caller wrote. Both
/// at once are refused under the new name.
pub(crate) fn either<T: Clone>(
    e: &mut ValidationErrors,
    (name, value): (&'static str, &Option<T>),
    (older, old_value): (&'static str, &Option<T>),
) -> (Option<T>, &'static str) {
    match (value, old_value) {
        (Some(_), Some(_)) => {
            e.push(name, "give either this or its older name, not both");
            (None, name)
        }
        (None, Some(o)) => (Some(o.clone()), older),
        (v, None) => (v.clone(), name),
    }
}

/// The days `from` and `to` (YYYY-MM-DD, both included) as the bounds `at >= from` and
/// `at < until` of stored times; each bad one is named, and `to` before `from` too.
pub(crate) fn days(
    e: &mut ValidationErrors,
    from: &Option<String>,
    to: &Option<String>,
) -> (Option<String>, Option<String>) {
    let from = e
        .take(aims_core::time::date("from", from.as_deref()))
        .flatten();
    let to = e.take(aims_core::time::date("to", to.as_deref())).flatten();
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            e.push("to", "must not be before 'from'");
        }
    }
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    (from.map(day), to.and_then(|d| d.succ_opt()).map(day))
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

/// A value a register is sorted by: missing values come last in either direction, and text
/// compares without case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SortKey {
    Number(i64),
    Text(String),
    Missing,
}

impl SortKey {
    pub fn text(s: &str) -> SortKey {
        SortKey::Text(s.to_lowercase())
    }

    /// A record key (`CTX-12`) by its number, so that `CTX-10` follows `CTX-9`.
    pub fn key(key: &str) -> SortKey {
        key.rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .map_or_else(|| SortKey::text(key), SortKey::Number)
    }

    /// A vocabulary word by its place in the vocabulary (`all`), so that stages, statuses and
    /// levels sort in their own order rather than alphabetically.
    pub fn place<T: PartialEq>(all: &[T], v: &T) -> SortKey {
        SortKey::count(all.iter().position(|w| w == v).unwrap_or(all.len()))
    }

    /// A count of things.
    pub fn count(n: usize) -> SortKey {
        SortKey::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// Text, or [`SortKey::Missing`] when absent or blank.
    pub fn opt_text(s: Option<&str>) -> SortKey {
        s.filter(|t| !t.trim().is_empty())
            .map_or(SortKey::Missing, SortKey::text)
    }
}

/// Whether any of `parts` holds `needle` (already lower-cased), without case.
pub(crate) fn holds(needle: &str, parts: &[&str]) -> bool {
    parts.iter().any(|p| p.to_lowercase().contains(needle))
}

/// A register read whole, already filtered and in its own order, sorted by `key` of
/// `order.by` and cut to `page`. Ties keep the register's order, reversed when descending,
/// as the database lists break ties by key number.
pub(crate) fn arrange<T, S: Copy>(
    items: Vec<T>,
    order: Order<S>,
    key: impl Fn(&T, S) -> SortKey,
    page: Option<Page>,
) -> Listed<T> {
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let mut keyed: Vec<(SortKey, usize, T)> = items
        .into_iter()
        .enumerate()
        .map(|(i, t)| (key(&t, order.by), i, t))
        .collect();
    keyed.sort_by(|(a, i, _), (b, j, _)| {
        let by_key = match (a, b) {
            (SortKey::Missing, SortKey::Missing) => Ordering::Equal,
            (SortKey::Missing, _) => Ordering::Greater,
            (_, SortKey::Missing) => Ordering::Less,
            _ if order.descending => b.cmp(a),
            _ => a.cmp(b),
        };
        let by_place = if order.descending { j.cmp(i) } else { i.cmp(j) };
        by_key.then(by_place)
    });
    let rows = keyed.into_iter().map(|(_, _, t)| t);
    let items = match page {
        Some(p) => {
            let skip = (p.page.max(1) - 1).saturating_mul(p.per_page);
            rows.skip(usize::try_from(skip).unwrap_or(usize::MAX))
                .take(usize::try_from(p.per_page).unwrap_or(0))
                .collect()
        }
        None => rows.collect(),
    };
    listed(items, total, page)
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

    #[test]
    fn registers_sort_with_missing_values_last_and_page() {
        let rows = vec![("a", Some(3)), ("B", None), ("c", Some(1)), ("d", Some(3))];
        let key = |r: &(&str, Option<i64>), by: Col| match by {
            Col::Key => SortKey::text(r.0),
            Col::Name => r.1.map_or(SortKey::Missing, SortKey::Number),
        };
        fn names(l: Listed<(&'static str, Option<i64>)>) -> Vec<&'static str> {
            l.items.iter().map(|r| r.0).collect()
        }
        let up = arrange(rows.clone(), Order::asc(Col::Name), key, None);
        assert_eq!((names(up.clone()), up.total), (vec!["c", "a", "d", "B"], 4));
        let down = arrange(rows.clone(), Order::desc(Col::Name), key, None);
        assert_eq!(names(down), vec!["d", "a", "c", "B"]);
        let by_key = arrange(rows.clone(), Order::desc(Col::Key), key, None);
        assert_eq!(names(by_key), vec!["d", "c", "B", "a"]);
        let second = arrange(
            rows,
            Order::asc(Col::Key),
            key,
            Some(Page {
                page: 2,
                per_page: 3,
            }),
        );
        assert_eq!(
            (names(second.clone()), second.total, second.page),
            (vec!["d"], 4, 2)
        );
        assert!(holds("ärg", &["x", "ÄRGER"]) && !holds("z", &["x"]));
    }
}
