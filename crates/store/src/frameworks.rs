//! Frameworks and crosswalks an organisation imported: one row per ID, its content as JSON text.
//! Re-importing replaces the row; its version counts the imports.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, text};
use crate::{Conn, Result};

/// Which import table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Frameworks,
    Crosswalks,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Frameworks => "imported_frameworks",
            Table::Crosswalks => "imported_crosswalks",
        }
    }
}

/// One imported framework or crosswalk as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The framework ID, or `SOURCE:TARGET` for a crosswalk.
    pub id: String,
    /// 1 for the first import of this ID, then one more per re-import.
    pub version: i64,
    pub name: String,
    /// `aims` or `ciso_assistant`.
    pub format: String,
    /// The file as it was named when imported.
    pub file_name: String,
    /// The parsed content, as JSON text.
    pub content: String,
    pub imported_by: String,
    pub imported_at: String,
}

const COLUMNS: &str = "id, version, name, format, file_name, content, imported_by, imported_at";

fn from_row(row: &AnyRow) -> Result<Import> {
    Ok(Import {
        id: text(row, "id")?,
        version: int(row, "version")?,
        name: text(row, "name")?,
        format: text(row, "format")?,
        file_name: text(row, "file_name")?,
        content: text(row, "content")?,
        imported_by: text(row, "imported_by")?,
        imported_at: text(row, "imported_at")?,
    })
}

/// Inserts `import`, replacing any row with its ID.
pub async fn put(conn: &mut Conn, table: Table, import: &Import) -> Result<()> {
    let t = table.name();
    sqlx::query(&format!("DELETE FROM {t} WHERE id = $1"))
        .bind(&import.id)
        .execute(&mut *conn)
        .await
        .db()?;
    sqlx::query(&format!(
        "INSERT INTO {t} ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&import.id)
    .bind(import.version)
    .bind(&import.name)
    .bind(&import.format)
    .bind(&import.file_name)
    .bind(&import.content)
    .bind(&import.imported_by)
    .bind(&import.imported_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, table: Table, id: &str) -> Result<Option<Import>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {} WHERE id = $1",
        table.name()
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Every row of `table`, by ID.
pub async fn list(conn: &mut Conn, table: Table) -> Result<Vec<Import>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM {} ORDER BY id",
        table.name()
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}
