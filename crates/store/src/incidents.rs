//! Incidents: the whole incident as JSON, with what lists filter on as columns, the affected
//! systems in a link table, and the monitoring (system, metric) pair for the breach lookup.

use std::collections::{BTreeMap, BTreeSet};

use aims_core::incident::{Incident, IncidentStatus, IncidentType};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::listing::{order_by, rank, search_text, Order, Page, Where};
use crate::rows::{json, text, to_json};
use crate::{Conn, Result};

fn from_row(row: &AnyRow) -> Result<Incident> {
    json(row, "content")
}

/// What the list's text filter matches: key, title and description.
fn search(i: &Incident) -> String {
    search_text(&[&i.key, &i.title, &i.description])
}

async fn put_systems(conn: &mut Conn, i: &Incident) -> Result<()> {
    sqlx::query("DELETE FROM incident_systems WHERE incident_key = $1")
        .bind(&i.key)
        .execute(&mut *conn)
        .await
        .db()?;
    for s in &i.systems {
        sqlx::query("INSERT INTO incident_systems (incident_key, system_key) VALUES ($1, $2)")
            .bind(&i.key)
            .bind(s)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

pub async fn insert(conn: &mut Conn, n: i64, i: &Incident) -> Result<()> {
    sqlx::query(
        "INSERT INTO incidents (key, n, status, severity, incident_type, source, owner, \
         serious_basis, monitor_system, monitor_metric, content, created_at, updated_at, title, \
         search) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(&i.key)
    .bind(n)
    .bind(i.status.as_str())
    .bind(i.severity)
    .bind(i.incident_type.as_str())
    .bind(i.source.as_str())
    .bind(&i.owner)
    .bind(i.serious.as_ref().map(|s| s.basis.as_str()))
    .bind(i.monitor.as_ref().map(|m| m.system.clone()))
    .bind(i.monitor.as_ref().map(|m| m.metric.clone()))
    .bind(to_json(i))
    .bind(&i.created_at)
    .bind(&i.updated_at)
    .bind(&i.title)
    .bind(search(i))
    .execute(&mut *conn)
    .await
    .db()?;
    put_systems(conn, i).await
}

/// Writes everything but the key, number and monitoring pair (which never change).
pub async fn update(conn: &mut Conn, i: &Incident) -> Result<()> {
    sqlx::query(
        "UPDATE incidents SET status = $1, severity = $2, incident_type = $3, source = $4, \
         owner = $5, serious_basis = $6, content = $7, updated_at = $8, title = $9, search = $10 \
         WHERE key = $11",
    )
    .bind(i.status.as_str())
    .bind(i.severity)
    .bind(i.incident_type.as_str())
    .bind(i.source.as_str())
    .bind(&i.owner)
    .bind(i.serious.as_ref().map(|s| s.basis.as_str()))
    .bind(to_json(i))
    .bind(&i.updated_at)
    .bind(&i.title)
    .bind(search(i))
    .bind(&i.key)
    .execute(&mut *conn)
    .await
    .db()?;
    put_systems(conn, i).await
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<Incident>> {
    let row = sqlx::query("SELECT content FROM incidents WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// The open (neither resolved nor closed) monitoring incident of `system` and `metric`, if any.
pub async fn open_for_metric(
    conn: &mut Conn,
    system: &str,
    metric: &str,
) -> Result<Option<Incident>> {
    let row = sqlx::query(
        "SELECT content FROM incidents WHERE monitor_system = $1 AND monitor_metric = $2 \
         AND status NOT IN ('resolved', 'closed') ORDER BY n DESC LIMIT 1",
    )
    .bind(system)
    .bind(metric)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Filters of the list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<IncidentStatus>,
    /// Only incidents neither resolved nor closed.
    pub open: bool,
    pub severity: Option<i64>,
    pub incident_type: Option<IncidentType>,
    pub owner: Option<String>,
    /// Only incidents affecting this system.
    pub system: Option<String>,
    /// Only serious incidents.
    pub serious: bool,
    /// Text in the key, title or description (any case).
    pub text: Option<String>,
}

/// Sort columns of the list; statuses and types sort in their vocabulary's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Key,
    Title,
    Severity,
    Type,
    Status,
    Owner,
}

impl Sort {
    /// The ORDER BY expression and whether it can be empty.
    fn expr(self) -> (String, bool) {
        let e = match self {
            Sort::Key => "n".into(),
            Sort::Title => "title".into(),
            Sort::Severity => "severity".into(),
            Sort::Type => rank("incident_type", &IncidentType::words()),
            Sort::Status => rank("status", &IncidentStatus::words()),
            Sort::Owner => "owner".into(),
        };
        (e, false)
    }
}

/// The incidents matching `filter` in `order`, one `page` of them (every one without), with
/// the number of all matches.
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    order: Order<Sort>,
    page: Option<Page>,
) -> Result<(Vec<Incident>, i64)> {
    let mut w = Where::default();
    w.eq("status", filter.status.map(IncidentStatus::as_str));
    w.eq(
        "incident_type",
        filter.incident_type.map(IncidentType::as_str),
    );
    w.eq("owner", filter.owner.as_deref());
    if let Some(s) = &filter.system {
        w.bind(
            "key IN (SELECT incident_key FROM incident_systems WHERE system_key = ?)",
            s,
        );
    }
    if filter.open {
        w.raw("status NOT IN ('resolved', 'closed')");
    }
    if filter.serious {
        w.raw("serious_basis IS NOT NULL");
    }
    if let Some(s) = filter.severity {
        // A number from a closed set: written inline, never text from the request.
        w.raw(format!("severity = {s}"));
    }
    w.text(filter.text.as_deref());
    let (expr, nullable) = order.by.expr();
    let order = order_by(&expr, nullable, order.descending, page);
    let (rows, total) = w.rows(conn, "incidents", "content", &order).await?;
    Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
}

/// The incidents that affected any of `systems` (every incident when `systems` is empty, as for
/// an organisation-wide risk), newest first.
pub async fn affecting(conn: &mut Conn, systems: &[String]) -> Result<Vec<Incident>> {
    let sql = if systems.is_empty() {
        "SELECT content FROM incidents ORDER BY n DESC".to_string()
    } else {
        let marks: Vec<String> = (1..=systems.len()).map(|i| format!("${i}")).collect();
        format!(
            "SELECT content FROM incidents WHERE key IN (SELECT incident_key FROM \
             incident_systems WHERE system_key IN ({})) ORDER BY n DESC",
            marks.join(", ")
        )
    };
    let mut q = sqlx::query(&sql);
    for s in systems {
        q = q.bind(s);
    }
    let rows = q.fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// Every incident, in key order.
pub async fn all(conn: &mut Conn) -> Result<Vec<Incident>> {
    let rows = sqlx::query("SELECT content FROM incidents ORDER BY n")
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter().map(from_row).collect()
}

/// The affected systems of every incident, from the link table.
pub async fn system_links(conn: &mut Conn) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let rows = sqlx::query("SELECT incident_key, system_key FROM incident_systems")
        .fetch_all(conn)
        .await
        .db()?;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in &rows {
        out.entry(text(r, "incident_key")?)
            .or_default()
            .insert(text(r, "system_key")?);
    }
    Ok(out)
}
