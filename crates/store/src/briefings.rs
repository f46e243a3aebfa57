//! Business case and leadership briefings.

use aims_core::journey::{Briefing, BriefingFields, BriefingKind};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{opt_text, text, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, kind, date, audience, summary, decisions, created_by, created_at";

fn from_row(row: &AnyRow) -> Result<Briefing> {
    Ok(Briefing {
        key: text(row, "key")?,
        fields: BriefingFields {
            kind: word(row, "kind", BriefingKind::parse)?,
            date: text(row, "date")?,
            audience: text(row, "audience")?,
            summary: text(row, "summary")?,
            decisions: opt_text(row, "decisions")?,
        },
        created_by: text(row, "created_by")?,
        created_at: text(row, "created_at")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, b: &Briefing) -> Result<()> {
    let f = &b.fields;
    sqlx::query(&format!(
        "INSERT INTO briefings (n, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(n)
    .bind(&b.key)
    .bind(f.kind.as_str())
    .bind(&f.date)
    .bind(&f.audience)
    .bind(&f.summary)
    .bind(&f.decisions)
    .bind(&b.created_by)
    .bind(&b.created_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Briefings of `kind` (or all), newest first (by date, then by when they were recorded).
pub async fn list(conn: &mut Conn, kind: Option<BriefingKind>) -> Result<Vec<Briefing>> {
    let rows = match kind {
        Some(k) => sqlx::query(&format!(
            "SELECT {COLUMNS} FROM briefings WHERE kind = $1 ORDER BY date DESC, n DESC"
        ))
        .bind(k.as_str())
        .fetch_all(conn)
        .await
        .db()?,
        None => sqlx::query(&format!(
            "SELECT {COLUMNS} FROM briefings ORDER BY date DESC, n DESC"
        ))
        .fetch_all(conn)
        .await
        .db()?,
    };
    rows.iter().map(from_row).collect()
}
