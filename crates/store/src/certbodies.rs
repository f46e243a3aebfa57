//! Certification bodies under consideration.

use aims_core::certbody::{CertBody, CertBodyFields, CertBodyStatus};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{json, opt_text, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str =
    "key, name, accreditation, sectors, ai_experience, notes, status, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<CertBody> {
    Ok(CertBody {
        key: text(row, "key")?,
        fields: CertBodyFields {
            name: text(row, "name")?,
            accreditation: opt_text(row, "accreditation")?,
            sectors: json(row, "sectors")?,
            ai_experience: opt_text(row, "ai_experience")?,
            notes: opt_text(row, "notes")?,
            status: word(row, "status", CertBodyStatus::parse)?,
        },
        created_at: text(row, "created_at")?,
        updated_at: text(row, "updated_at")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, b: &CertBody) -> Result<()> {
    let f = &b.fields;
    sqlx::query(&format!(
        "INSERT INTO certification_bodies (n, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(n)
    .bind(&b.key)
    .bind(&f.name)
    .bind(&f.accreditation)
    .bind(to_json(&f.sectors))
    .bind(&f.ai_experience)
    .bind(&f.notes)
    .bind(f.status.as_str())
    .bind(&b.created_at)
    .bind(&b.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update(conn: &mut Conn, b: &CertBody) -> Result<()> {
    let f = &b.fields;
    sqlx::query(
        "UPDATE certification_bodies SET name = $1, accreditation = $2, sectors = $3, \
         ai_experience = $4, notes = $5, status = $6, updated_at = $7 WHERE key = $8",
    )
    .bind(&f.name)
    .bind(&f.accreditation)
    .bind(to_json(&f.sectors))
    .bind(&f.ai_experience)
    .bind(&f.notes)
    .bind(f.status.as_str())
    .bind(&b.updated_at)
    .bind(&b.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<CertBody>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM certification_bodies WHERE key = $1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// The key of the body named `name`, if any.
pub async fn key_by_name(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT key FROM certification_bodies WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(|r| text(r, "key")).transpose()
}

/// The key of the selected body, if one is.
pub async fn selected(conn: &mut Conn) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT key FROM certification_bodies WHERE status = 'selected' ORDER BY n LIMIT 1",
    )
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(|r| text(r, "key")).transpose()
}

/// Every body, in key order.
pub async fn list(conn: &mut Conn) -> Result<Vec<CertBody>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM certification_bodies ORDER BY n"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}
