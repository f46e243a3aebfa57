//! Versions of the risk assessment method, each kept whole as JSON.

use aims_core::risk::methodology::Methodology;
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, json, text, to_json};
use crate::{Conn, Result};

const COLUMNS: &str = "key, version, content, created_by, created_at";

fn from_row(row: &AnyRow) -> Result<Methodology> {
    Ok(Methodology {
        key: text(row, "key")?,
        version: int(row, "version")?,
        doc: json(row, "content")?,
        created_by: text(row, "created_by")?,
        created_at: text(row, "created_at")?,
    })
}

pub async fn insert(conn: &mut Conn, m: &Methodology) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO risk_methodologies ({COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
    ))
    .bind(&m.key)
    .bind(m.version)
    .bind(to_json(&m.doc))
    .bind(&m.created_by)
    .bind(&m.created_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// The newest version, if any was recorded.
pub async fn latest(conn: &mut Conn) -> Result<Option<Methodology>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM risk_methodologies ORDER BY version DESC LIMIT 1"
    ))
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

pub async fn get(conn: &mut Conn, version: i64) -> Result<Option<Methodology>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM risk_methodologies WHERE version = $1"
    ))
    .bind(version)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Every version, newest first.
pub async fn history(conn: &mut Conn) -> Result<Vec<Methodology>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM risk_methodologies ORDER BY version DESC"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}
