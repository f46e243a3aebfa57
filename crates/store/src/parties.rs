//! Interested parties and their requirements (ISO/IEC 42001 4.2).

use aims_core::context::{Party, PartyFields, PartyType};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{flag, json, opt_text, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, name, party_type, description, requirements, archived";

fn from_row(row: &AnyRow) -> Result<Party> {
    Ok(Party {
        key: text(row, "key")?,
        fields: PartyFields {
            name: text(row, "name")?,
            party_type: word(row, "party_type", PartyType::parse)?,
            description: opt_text(row, "description")?,
            requirements: json(row, "requirements")?,
        },
        archived: flag(row, "archived")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, p: &Party) -> Result<()> {
    let f = &p.fields;
    sqlx::query(&format!(
        "INSERT INTO parties (n, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(n)
    .bind(&p.key)
    .bind(&f.name)
    .bind(f.party_type.as_str())
    .bind(&f.description)
    .bind(to_json(&f.requirements))
    .bind(i64::from(p.archived))
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update(conn: &mut Conn, p: &Party) -> Result<()> {
    let f = &p.fields;
    sqlx::query("UPDATE parties SET name = $1, party_type = $2, description = $3, requirements = $4, archived = $5 WHERE key = $6")
        .bind(&f.name)
        .bind(f.party_type.as_str())
        .bind(&f.description)
        .bind(to_json(&f.requirements))
        .bind(i64::from(p.archived))
        .bind(&p.key)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<Party>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM parties WHERE key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

pub async fn key_by_name(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT key FROM parties WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(|r| text(r, "key")).transpose()
}

pub async fn list(conn: &mut Conn, include_archived: bool) -> Result<Vec<Party>> {
    let sql = if include_archived {
        format!("SELECT {COLUMNS} FROM parties ORDER BY n")
    } else {
        format!("SELECT {COLUMNS} FROM parties WHERE archived = 0 ORDER BY n")
    };
    let rows = sqlx::query(&sql).fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}
