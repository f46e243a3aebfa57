//! The Statement of Applicability: decisions per Annex A control and recorded versions.

use aims_core::soa::{SoaEntry, SoaVersion};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{flag, int, json, opt_text, text, to_json};
use crate::{Conn, Result};

fn entry_from_row(row: &AnyRow) -> Result<SoaEntry> {
    Ok(SoaEntry {
        control_id: text(row, "control_id")?,
        applicable: flag(row, "applicable")?,
        justification: text(row, "justification")?,
        updated_at: text(row, "updated_at")?,
    })
}

/// Inserts or replaces the decision on one Annex A control.
pub async fn put_entry(conn: &mut Conn, e: &SoaEntry) -> Result<()> {
    sqlx::query("DELETE FROM soa_entries WHERE control_id = $1")
        .bind(&e.control_id)
        .execute(&mut *conn)
        .await
        .db()?;
    sqlx::query(
        "INSERT INTO soa_entries (control_id, applicable, justification, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&e.control_id)
    .bind(i64::from(e.applicable))
    .bind(&e.justification)
    .bind(&e.updated_at)
    .execute(&mut *conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get_entry(conn: &mut Conn, control_id: &str) -> Result<Option<SoaEntry>> {
    let row = sqlx::query(
        "SELECT control_id, applicable, justification, updated_at FROM soa_entries WHERE control_id = $1",
    )
    .bind(control_id)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(entry_from_row).transpose()
}

/// Every decision, by control ID.
pub async fn entries(conn: &mut Conn) -> Result<Vec<SoaEntry>> {
    let rows = sqlx::query(
        "SELECT control_id, applicable, justification, updated_at FROM soa_entries ORDER BY control_id",
    )
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(entry_from_row).collect()
}

const COLUMNS: &str = "key, version, content, created_by, created_at, approved_by, approved_at";

fn version_from_row(row: &AnyRow) -> Result<SoaVersion> {
    Ok(SoaVersion {
        key: text(row, "key")?,
        version: int(row, "version")?,
        lines: json(row, "content")?,
        created_by: text(row, "created_by")?,
        created_at: text(row, "created_at")?,
        approved_by: opt_text(row, "approved_by")?,
        approved_at: opt_text(row, "approved_at")?,
    })
}

pub async fn insert_version(conn: &mut Conn, v: &SoaVersion) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO soa_versions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&v.key)
    .bind(v.version)
    .bind(to_json(&v.lines))
    .bind(&v.created_by)
    .bind(&v.created_at)
    .bind(&v.approved_by)
    .bind(&v.approved_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn approve(conn: &mut Conn, version: i64, by: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE soa_versions SET approved_by = $1, approved_at = $2 WHERE version = $3")
        .bind(by)
        .bind(at)
        .bind(version)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn get_version(conn: &mut Conn, version: i64) -> Result<Option<SoaVersion>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM soa_versions WHERE version = $1"
    ))
    .bind(version)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(version_from_row).transpose()
}

/// Every version, newest first.
pub async fn history(conn: &mut Conn) -> Result<Vec<SoaVersion>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM soa_versions ORDER BY version DESC"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(version_from_row).collect()
}

pub async fn latest_version(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM soa_versions")
        .fetch_one(conn)
        .await
        .db()?;
    int(&row, "v")
}
