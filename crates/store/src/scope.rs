//! Scope versions (ISO/IEC 42001 4.3).

use aims_core::scope::{Coverage, ScopeFields, ScopeVersion};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, json, opt_text, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str =
    "key, version, statement, boundaries, units, coverage, systems, exclusions, created_by, created_at, approved_by, approved_at";

fn from_row(row: &AnyRow) -> Result<ScopeVersion> {
    Ok(ScopeVersion {
        key: text(row, "key")?,
        version: int(row, "version")?,
        fields: ScopeFields {
            statement: text(row, "statement")?,
            boundaries: opt_text(row, "boundaries")?,
            units: json(row, "units")?,
            coverage: word(row, "coverage", Coverage::parse)?,
            systems: json(row, "systems")?,
            exclusions: json(row, "exclusions")?,
        },
        created_by: text(row, "created_by")?,
        created_at: text(row, "created_at")?,
        approved_by: opt_text(row, "approved_by")?,
        approved_at: opt_text(row, "approved_at")?,
    })
}

pub async fn insert(conn: &mut Conn, s: &ScopeVersion) -> Result<()> {
    let f = &s.fields;
    sqlx::query(&format!("INSERT INTO scope_versions ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"))
        .bind(&s.key)
        .bind(s.version)
        .bind(&f.statement)
        .bind(&f.boundaries)
        .bind(to_json(&f.units))
        .bind(f.coverage.as_str())
        .bind(to_json(&f.systems))
        .bind(to_json(&f.exclusions))
        .bind(&s.created_by)
        .bind(&s.created_at)
        .bind(&s.approved_by)
        .bind(&s.approved_at)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn approve(conn: &mut Conn, version: i64, by: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE scope_versions SET approved_by = $1, approved_at = $2 WHERE version = $3")
        .bind(by)
        .bind(at)
        .bind(version)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, version: i64) -> Result<Option<ScopeVersion>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM scope_versions WHERE version = $1"
    ))
    .bind(version)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// The newest approved version: the scope in force.
pub async fn approved(conn: &mut Conn) -> Result<Option<ScopeVersion>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM scope_versions WHERE approved_at IS NOT NULL ORDER BY version DESC LIMIT 1"
    ))
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Every version, newest first.
pub async fn history(conn: &mut Conn) -> Result<Vec<ScopeVersion>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM scope_versions ORDER BY version DESC"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}

pub async fn latest_version(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM scope_versions")
        .fetch_one(conn)
        .await
        .db()?;
    int(&row, "v")
}
