//! Incidents: the whole incident as JSON, with what lists filter on as columns, the affected
//! systems in a link table, and the monitoring (system, metric) pair for the breach lookup.

use std::collections::{BTreeMap, BTreeSet};

use aims_core::incident::{Incident, IncidentStatus};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{json, text, to_json};
use crate::{Conn, Result};

fn from_row(row: &AnyRow) -> Result<Incident> {
    json(row, "content")
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
         serious_basis, monitor_system, monitor_metric, content, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
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
    .execute(&mut *conn)
    .await
    .db()?;
    put_systems(conn, i).await
}

/// Writes everything but the key, number and monitoring pair (which never change).
pub async fn update(conn: &mut Conn, i: &Incident) -> Result<()> {
    sqlx::query(
        "UPDATE incidents SET status = $1, severity = $2, incident_type = $3, source = $4, \
         owner = $5, serious_basis = $6, content = $7, updated_at = $8 WHERE key = $9",
    )
    .bind(i.status.as_str())
    .bind(i.severity)
    .bind(i.incident_type.as_str())
    .bind(i.source.as_str())
    .bind(&i.owner)
    .bind(i.serious.as_ref().map(|s| s.basis.as_str()))
    .bind(to_json(i))
    .bind(&i.updated_at)
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
    pub incident_type: Option<String>,
    pub owner: Option<String>,
    /// Only incidents affecting this system.
    pub system: Option<String>,
    /// Only serious incidents.
    pub serious: bool,
}

/// The incidents matching `filter`, newest first, with the number of all matches; `page` is
/// `(limit, offset)`.
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    page: Option<(i64, i64)>,
) -> Result<(Vec<Incident>, i64)> {
    let mut clauses: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut push = |clause: &str, v: String, binds: &mut Vec<String>| {
        binds.push(v);
        clauses.push(clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(s) = filter.status {
        push("status = ?", s.as_str().into(), &mut binds);
    }
    if let Some(t) = &filter.incident_type {
        push("incident_type = ?", t.clone(), &mut binds);
    }
    if let Some(o) = &filter.owner {
        push("owner = ?", o.clone(), &mut binds);
    }
    if let Some(s) = &filter.system {
        push(
            "key IN (SELECT incident_key FROM incident_systems WHERE system_key = ?)",
            s.clone(),
            &mut binds,
        );
    }
    if filter.open {
        clauses.push("status NOT IN ('resolved', 'closed')".into());
    }
    if filter.serious {
        clauses.push("serious_basis IS NOT NULL".into());
    }
    if let Some(s) = filter.severity {
        // A number from a closed set: written inline, never text from the request.
        clauses.push(format!("severity = {s}"));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let count_sql = format!("SELECT COUNT(*) AS c FROM incidents {where_}");
    let mut q = sqlx::query(&count_sql);
    for b in &binds {
        q = q.bind(b);
    }
    let total = crate::rows::int(&q.fetch_one(&mut *conn).await.db()?, "c")?;
    let limit = page.map_or(String::new(), |(l, o)| format!(" LIMIT {l} OFFSET {o}"));
    let sql = format!("SELECT content FROM incidents {where_} ORDER BY n DESC{limit}");
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(conn).await.db()?;
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
