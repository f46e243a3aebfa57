//! Context issues (ISO/IEC 42001 4.1).

use aims_core::context::{ContextIssue, IssueCategory, IssueFields, IssueSide};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{flag, opt_text, text, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, title, side, category, description, effect, review_date, archived";

fn from_row(row: &AnyRow) -> Result<ContextIssue> {
    Ok(ContextIssue {
        key: text(row, "key")?,
        fields: IssueFields {
            title: text(row, "title")?,
            side: word(row, "side", IssueSide::parse)?,
            category: word(row, "category", IssueCategory::parse)?,
            description: text(row, "description")?,
            effect: opt_text(row, "effect")?,
            review_date: opt_text(row, "review_date")?,
        },
        archived: flag(row, "archived")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, i: &ContextIssue) -> Result<()> {
    let f = &i.fields;
    sqlx::query(&format!(
        "INSERT INTO context_issues (n, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(n)
    .bind(&i.key)
    .bind(&f.title)
    .bind(f.side.as_str())
    .bind(f.category.as_str())
    .bind(&f.description)
    .bind(&f.effect)
    .bind(&f.review_date)
    .bind(i64::from(i.archived))
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update(conn: &mut Conn, i: &ContextIssue) -> Result<()> {
    let f = &i.fields;
    sqlx::query(
        "UPDATE context_issues SET title = $1, side = $2, category = $3, description = $4, effect = $5, \
         review_date = $6, archived = $7 WHERE key = $8",
    )
    .bind(&f.title)
    .bind(f.side.as_str())
    .bind(f.category.as_str())
    .bind(&f.description)
    .bind(&f.effect)
    .bind(&f.review_date)
    .bind(i64::from(i.archived))
    .bind(&i.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<ContextIssue>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM context_issues WHERE key = $1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

pub async fn key_by_title(conn: &mut Conn, title: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT key FROM context_issues WHERE title = $1")
        .bind(title)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(|r| text(r, "key")).transpose()
}

/// Every issue in key order; archived ones only when asked.
pub async fn list(conn: &mut Conn, include_archived: bool) -> Result<Vec<ContextIssue>> {
    let sql = if include_archived {
        format!("SELECT {COLUMNS} FROM context_issues ORDER BY n")
    } else {
        format!("SELECT {COLUMNS} FROM context_issues WHERE archived = 0 ORDER BY n")
    };
    let rows = sqlx::query(&sql).fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}
