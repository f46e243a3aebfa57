//! What the sorted, filtered and paged lists share: their conditions with bound values, text
//! search over a `search` column, an order that is the same on both engines, and the page.

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::Any;

use crate::error::ResultExt;
use crate::{Conn, Result};

/// One page of a list: `per_page` rows after the first `(page - 1) * per_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl Page {
    pub(crate) fn sql(self) -> String {
        let offset = (self.page.max(1) - 1).saturating_mul(self.per_page);
        format!(" LIMIT {} OFFSET {offset}", self.per_page)
    }
}

/// The sort column and direction of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order<S> {
    pub by: S,
    pub descending: bool,
}

impl<S> Order<S> {
    pub const fn asc(by: S) -> Self {
        Order {
            by,
            descending: false,
        }
    }

    pub const fn desc(by: S) -> Self {
        Order {
            by,
            descending: true,
        }
    }
}

/// The conditions of a list query, joined by AND, with their text values bound as `$1`, `$2`...
#[derive(Debug, Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    binds: Vec<String>,
}

impl Where {
    /// A condition in which `?` stands for `value`.
    pub fn bind(&mut self, sql: &str, value: impl Into<String>) {
        self.binds.push(value.into());
        self.clauses
            .push(sql.replace('?', &format!("${}", self.binds.len())));
    }

    /// `column = value` when there is a value.
    pub fn eq(&mut self, column: &str, value: Option<impl Into<String>>) {
        if let Some(v) = value {
            self.bind(&format!("{column} = ?"), v);
        }
    }

    /// A condition without values (written by the caller from closed sets, never from input).
    pub fn raw(&mut self, sql: impl Into<String>) {
        self.clauses.push(sql.into());
    }

    /// Rows whose `search` column holds `text`, folded as [`search_text`] folds it; `%`, `_`
    /// and `\` are taken literally.
    pub fn text(&mut self, text: Option<&str>) {
        if let Some(t) = text {
            let pattern = crate::search::contains_pattern(&t.to_lowercase());
            self.bind("search LIKE ? ESCAPE '\\'", pattern);
        }
    }

    /// `WHERE ...`, or nothing without conditions.
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// `sql` with the values bound.
    pub fn query<'q>(&'q self, sql: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        self.binds
            .iter()
            .fold(sqlx::query(sql), |q, b| q.bind(b.as_str()))
    }

    /// The `columns` of the rows of `table` that match, in `order` (an [`order_by`] clause
    /// with its page), and the number of all that match.
    pub async fn rows(
        &self,
        conn: &mut Conn,
        table: &str,
        columns: &str,
        order: &str,
    ) -> Result<(Vec<AnyRow>, i64)> {
        let where_ = self.sql();
        let count_sql = format!("SELECT COUNT(*) AS c FROM {table} {where_}");
        let counted = self.query(&count_sql).fetch_one(&mut *conn).await.db()?;
        let total = crate::rows::int(&counted, "c")?;
        let sql = format!("SELECT {columns} FROM {table} {where_} {order}");
        let rows = self.query(&sql).fetch_all(conn).await.db()?;
        Ok((rows, total))
    }
}

/// `ORDER BY expr, n` (the key's number) in one direction, empty (NULL) values last either way (the engines
/// differ on where NULL sorts), then `LIMIT ... OFFSET ...` of `page`.
pub(crate) fn order_by(expr: &str, nullable: bool, descending: bool, page: Option<Page>) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    let nulls = if nullable {
        format!("CASE WHEN {expr} IS NULL THEN 1 ELSE 0 END, ")
    } else {
        String::new()
    };
    let then = if expr == "n" {
        String::new()
    } else {
        format!(", n {dir}")
    };
    let limit = page.map(Page::sql).unwrap_or_default();
    format!("ORDER BY {nulls}{expr} {dir}{then}{limit}")
}

/// A `CASE` giving each of `words` (a vocabulary, in its order) its position, so that stages,
/// statuses and levels sort in their own order rather than alphabetically.
pub(crate) fn rank(column: &str, words: &[&str]) -> String {
    let whens: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| format!("WHEN '{w}' THEN {i}"))
        .collect();
    format!("CASE {column} {} END", whens.join(" "))
}

/// What a `search` column holds: the parts joined and lower-cased by Rust, Unicode-aware on
/// both engines (SQLite's `lower` folds ASCII only).
pub(crate) fn search_text(parts: &[&str]) -> String {
    parts.join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_number_their_values() {
        let mut w = Where::default();
        w.eq("status", Some("open"));
        w.eq("owner", None::<String>);
        w.raw("serious_basis IS NOT NULL");
        w.text(Some("Ärger_50%"));
        assert_eq!(
            w.sql(),
            "WHERE status = $1 AND serious_basis IS NOT NULL AND search LIKE $2 ESCAPE '\\'"
        );
        assert_eq!(w.binds, vec!["open", "%ärger\\_50\\%%"]);
        assert_eq!(Where::default().sql(), "");
    }

    #[test]
    fn order_puts_empty_values_last_and_pages() {
        assert_eq!(
            order_by("due_date", true, true, Some(Page { page: 3, per_page: 20 })),
            "ORDER BY CASE WHEN due_date IS NULL THEN 1 ELSE 0 END, due_date DESC, n DESC LIMIT 20 OFFSET 40"
        );
        assert_eq!(order_by("n", false, false, None), "ORDER BY n ASC");
        assert_eq!(
            rank("status", &["open", "closed"]),
            "CASE status WHEN 'open' THEN 0 WHEN 'closed' THEN 1 END"
        );
    }
}
