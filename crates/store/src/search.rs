//! Finding records by key, title or text in one table: an exact key first, then titles, then
//! other text, each with `LIKE` on lower-cased values and a `LIMIT` (a scan stops once it has
//! found enough). Which tables and columns are searched is the caller's choice.

use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{opt_text, text};
use crate::{Conn, Result};

/// One table to search.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub table: &'static str,
    /// The key column (an exact match of it ranks first).
    pub key: &'static str,
    /// The title column; `None` where the title lives inside a text column (JSON content).
    pub title: Option<&'static str>,
    /// Further columns whose text is searched.
    pub text: &'static [&'static str],
    /// A condition every row found must meet (`archived = 0`), or none.
    pub only: Option<&'static str>,
    /// The order of the rows found within one rank.
    pub order: &'static str,
}

/// How a row matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Key,
    Title,
    Text,
}

/// One row found: its key, its title (when the table has a title column), the first text
/// column, and how it matched.
#[derive(Debug, Clone)]
pub struct Found {
    pub key: String,
    pub title: Option<String>,
    pub text: Option<String>,
    pub rank: Rank,
}

/// `needle` as a `LIKE` pattern that finds it anywhere, with `\`, `%` and `_` taken literally.
pub fn contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '\\' | '%' | '_') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn like_any(columns: &[&str]) -> String {
    let parts: Vec<String> = columns
        .iter()
        .map(|c| format!("lower(COALESCE({c}, '')) LIKE $1 ESCAPE '\\'"))
        .collect();
    format!("({})", parts.join(" OR "))
}

fn select(t: &Table) -> String {
    let title = t.title.unwrap_or("NULL");
    let first = t.text.first().copied().unwrap_or("NULL");
    format!(
        "SELECT {key} AS found_key, {title} AS found_title, {first} AS found_text FROM {table}",
        key = t.key,
        table = t.table
    )
}

fn found(row: &AnyRow, rank: Rank) -> Result<Found> {
    Ok(Found {
        key: text(row, "found_key")?,
        title: opt_text(row, "found_title")?,
        text: opt_text(row, "found_text")?,
        rank,
    })
}

/// Up to `limit` rows of `t` matching `key` exactly, then (with a `needle`, lower case) those
/// holding it in the title, then in the other text columns; each row once, at its best rank.
pub async fn find(
    conn: &mut Conn,
    t: &Table,
    key: &str,
    needle: Option<&str>,
    limit: i64,
) -> Result<Vec<Found>> {
    let only = t.only.map(|c| format!(" AND {c}")).unwrap_or_default();
    let mut out = Vec::new();
    let exact = format!("{} WHERE {} = $1{only}", select(t), t.key);
    if let Some(row) = sqlx::query(&exact)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .db()?
    {
        out.push(found(&row, Rank::Key)?);
    }
    let Some(needle) = needle else {
        return Ok(out);
    };
    let pattern = contains_pattern(needle);
    let not_key = format!("{} <> $2", t.key);
    if let Some(title) = t.title {
        let sql = format!(
            "{} WHERE {} AND {not_key}{only} ORDER BY {} LIMIT $3",
            select(t),
            like_any(&[title]),
            t.order
        );
        let rows = sqlx::query(&sql)
            .bind(&pattern)
            .bind(key)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await
            .db()?;
        for row in &rows {
            out.push(found(row, Rank::Title)?);
        }
    }
    let left = limit - out.len() as i64;
    if left > 0 && !t.text.is_empty() {
        let not_title = t
            .title
            .map(|c| format!(" AND NOT {}", like_any(&[c])))
            .unwrap_or_default();
        let sql = format!(
            "{} WHERE {}{not_title} AND {not_key}{only} ORDER BY {} LIMIT $3",
            select(t),
            like_any(t.text),
            t.order
        );
        let rows = sqlx::query(&sql)
            .bind(&pattern)
            .bind(key)
            .bind(left)
            .fetch_all(&mut *conn)
            .await
            .db()?;
        for row in &rows {
            out.push(found(row, Rank::Text)?);
        }
    }
    out.truncate(limit.max(0) as usize);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn wildcards_are_taken_literally() {
        assert_eq!(contains_pattern("drift"), "%drift%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
