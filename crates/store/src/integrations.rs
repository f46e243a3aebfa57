//! Imported implementations of other standards, and the statuses of the organisation's controls
//! per requirement that coverage is computed from.

use std::collections::BTreeMap;

use aims_core::coverage::Implementation;
use aims_core::integration::{ExternalImplementation, ExternalItem};

use crate::error::ResultExt;
use crate::rows::{text, word};
use crate::{Conn, Result};

/// Replaces the recorded implementation of `e.framework` with `e`.
pub async fn replace(conn: &mut Conn, e: &ExternalImplementation) -> Result<()> {
    sqlx::query("DELETE FROM external_implementations WHERE framework = $1")
        .bind(&e.framework)
        .execute(&mut *conn)
        .await
        .db()?;
    sqlx::query("DELETE FROM external_imports WHERE framework = $1")
        .bind(&e.framework)
        .execute(&mut *conn)
        .await
        .db()?;
    sqlx::query(
        "INSERT INTO external_imports (framework, source, imported_by, imported_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&e.framework)
    .bind(&e.source)
    .bind(&e.imported_by)
    .bind(&e.imported_at)
    .execute(&mut *conn)
    .await
    .db()?;
    for item in &e.items {
        sqlx::query(
            "INSERT INTO external_implementations (framework, item_id, status, note) VALUES ($1, $2, $3, $4)",
        )
        .bind(&e.framework)
        .bind(&item.id)
        .bind(item.status.as_str())
        .bind(&item.note)
        .execute(&mut *conn)
        .await
        .db()?;
    }
    Ok(())
}

/// Every recorded implementation, by framework, items in the order `order` gives (catalog
/// order); items it does not know come last by ID.
pub async fn all(
    conn: &mut Conn,
    order: impl Fn(&str, &str) -> usize,
) -> Result<Vec<ExternalImplementation>> {
    let heads = sqlx::query(
        "SELECT framework, source, imported_by, imported_at FROM external_imports ORDER BY framework",
    )
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let rows = sqlx::query(
        "SELECT framework, item_id, status, note FROM external_implementations ORDER BY framework, item_id",
    )
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut items: BTreeMap<String, Vec<ExternalItem>> = BTreeMap::new();
    for r in &rows {
        items
            .entry(text(r, "framework")?)
            .or_default()
            .push(ExternalItem {
                id: text(r, "item_id")?,
                status: word(r, "status", Implementation::parse)?,
                note: text(r, "note")?,
            });
    }
    heads
        .iter()
        .map(|h| {
            let framework = text(h, "framework")?;
            let mut list = items.remove(&framework).unwrap_or_default();
            list.sort_by_key(|i| order(&framework, &i.id));
            Ok(ExternalImplementation {
                source: text(h, "source")?,
                imported_by: text(h, "imported_by")?,
                imported_at: text(h, "imported_at")?,
                items: list,
                framework,
            })
        })
        .collect()
}
