//! Nonconformities: the whole record as JSON with list columns, and their corrective actions in
//! the `nc_actions` link table.

use std::collections::{BTreeMap, BTreeSet};

use aims_core::nonconformity::{NcSource, NcStatus, Nonconformity};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::listing::{order_by, rank, search_text, Order, Page, Where};
use crate::rows::{json, text, to_json};
use crate::{Conn, Result};

fn from_row(row: &AnyRow) -> Result<Nonconformity> {
    json(row, "content")
}

/// What the list's text filter matches: key, requirement and description.
fn search(nc: &Nonconformity) -> String {
    search_text(&[
        &nc.key,
        nc.requirement.as_deref().unwrap_or_default(),
        &nc.description,
    ])
}

async fn put_actions(conn: &mut Conn, nc: &Nonconformity) -> Result<()> {
    sqlx::query("DELETE FROM nc_actions WHERE nc_key = $1")
        .bind(&nc.key)
        .execute(&mut *conn)
        .await
        .db()?;
    for a in &nc.actions {
        sqlx::query("INSERT INTO nc_actions (nc_key, action_key) VALUES ($1, $2)")
            .bind(&nc.key)
            .bind(a)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

pub async fn insert(conn: &mut Conn, n: i64, nc: &Nonconformity) -> Result<()> {
    sqlx::query(
        "INSERT INTO nonconformities (key, n, status, source, source_ref, owner, due_date, \
         content, created_at, updated_at, search) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&nc.key)
    .bind(n)
    .bind(nc.status.as_str())
    .bind(nc.source.as_str())
    .bind(&nc.source_ref)
    .bind(&nc.owner)
    .bind(&nc.due_date)
    .bind(to_json(nc))
    .bind(&nc.created_at)
    .bind(&nc.updated_at)
    .bind(search(nc))
    .execute(&mut *conn)
    .await
    .db()?;
    put_actions(conn, nc).await
}

pub async fn update(conn: &mut Conn, nc: &Nonconformity) -> Result<()> {
    sqlx::query(
        "UPDATE nonconformities SET status = $1, source = $2, source_ref = $3, owner = $4, \
         due_date = $5, content = $6, updated_at = $7, search = $8 WHERE key = $9",
    )
    .bind(nc.status.as_str())
    .bind(nc.source.as_str())
    .bind(&nc.source_ref)
    .bind(&nc.owner)
    .bind(&nc.due_date)
    .bind(to_json(nc))
    .bind(&nc.updated_at)
    .bind(search(nc))
    .bind(&nc.key)
    .execute(&mut *conn)
    .await
    .db()?;
    put_actions(conn, nc).await
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<Nonconformity>> {
    let row = sqlx::query("SELECT content FROM nonconformities WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// The nonconformities an action is a corrective action of.
pub async fn of_action(conn: &mut Conn, action: &str) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT nc_key FROM nc_actions WHERE action_key = $1 ORDER BY nc_key")
        .bind(action)
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter().map(|r| text(r, "nc_key")).collect()
}

/// Filters of the list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<NcStatus>,
    /// Only nonconformities not closed.
    pub open: bool,
    pub source: Option<NcSource>,
    pub owner: Option<String>,
    pub source_ref: Option<String>,
    /// Text in the key, requirement or description (any case).
    pub text: Option<String>,
}

/// Sort columns of the list; statuses and sources sort in their vocabulary's order, nonconformities
/// without a due date last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Key,
    Status,
    Source,
    Owner,
    Due,
}

impl Sort {
    /// The ORDER BY expression and whether it can be empty.
    fn expr(self) -> (String, bool) {
        match self {
            Sort::Key => ("n".into(), false),
            Sort::Status => (rank("status", &NcStatus::words()), false),
            Sort::Source => (rank("source", &NcSource::words()), false),
            Sort::Owner => ("owner".into(), false),
            Sort::Due => ("due_date".into(), true),
        }
    }
}

/// The nonconformities matching `filter` in `order`, one `page` of them (every one without),
/// with the number of all matches.
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    order: Order<Sort>,
    page: Option<Page>,
) -> Result<(Vec<Nonconformity>, i64)> {
    let mut w = Where::default();
    w.eq("status", filter.status.map(NcStatus::as_str));
    w.eq("source", filter.source.map(NcSource::as_str));
    w.eq("owner", filter.owner.as_deref());
    w.eq("source_ref", filter.source_ref.as_deref());
    if filter.open {
        w.raw("status <> 'closed'");
    }
    w.text(filter.text.as_deref());
    let (expr, nullable) = order.by.expr();
    let order = order_by(&expr, nullable, order.descending, page);
    let (rows, total) = w.rows(conn, "nonconformities", "content", &order).await?;
    Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
}

/// Every nonconformity, in key order.
pub async fn all(conn: &mut Conn) -> Result<Vec<Nonconformity>> {
    let rows = sqlx::query("SELECT content FROM nonconformities ORDER BY n")
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter().map(from_row).collect()
}

/// The corrective actions of every nonconformity, from the link table.
pub async fn action_links(conn: &mut Conn) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let rows = sqlx::query("SELECT nc_key, action_key FROM nc_actions")
        .fetch_all(conn)
        .await
        .db()?;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        out.entry(text(r, "nc_key")?)
            .or_default()
            .insert(text(r, "action_key")?);
    }
    Ok(out)
}
