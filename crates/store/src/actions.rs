//! Roadmap actions. Dependencies and requirement references are kept as JSON lists in their
//! row, in the order given: the roadmap always reads every action at once.

use aims_core::action::{ActionFields, ActionStatus, RoadmapAction};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, json, opt_text, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, title, description, owner, start_date, due_date, status, effort, \
    depends_on, gap, requirements, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<RoadmapAction> {
    Ok(RoadmapAction {
        key: text(row, "key")?,
        fields: ActionFields {
            title: text(row, "title")?,
            description: opt_text(row, "description")?,
            owner: text(row, "owner")?,
            start_date: text(row, "start_date")?,
            due_date: text(row, "due_date")?,
            status: word(row, "status", ActionStatus::parse)?,
            effort: int(row, "effort")?,
            depends_on: json(row, "depends_on")?,
            gap: opt_text(row, "gap")?,
            requirements: json(row, "requirements")?,
        },
        created_at: text(row, "created_at")?,
        updated_at: text(row, "updated_at")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, a: &RoadmapAction) -> Result<()> {
    let f = &a.fields;
    sqlx::query(&format!(
        "INSERT INTO actions (n, {COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(n)
    .bind(&a.key)
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.owner)
    .bind(&f.start_date)
    .bind(&f.due_date)
    .bind(f.status.as_str())
    .bind(f.effort)
    .bind(to_json(&f.depends_on))
    .bind(&f.gap)
    .bind(to_json(&f.requirements))
    .bind(&a.created_at)
    .bind(&a.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update(conn: &mut Conn, a: &RoadmapAction) -> Result<()> {
    let f = &a.fields;
    sqlx::query(
        "UPDATE actions SET title = $1, description = $2, owner = $3, start_date = $4, \
         due_date = $5, status = $6, effort = $7, depends_on = $8, gap = $9, requirements = $10, \
         updated_at = $11 WHERE key = $12",
    )
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.owner)
    .bind(&f.start_date)
    .bind(&f.due_date)
    .bind(f.status.as_str())
    .bind(f.effort)
    .bind(to_json(&f.depends_on))
    .bind(&f.gap)
    .bind(to_json(&f.requirements))
    .bind(&a.updated_at)
    .bind(&a.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<RoadmapAction>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM actions WHERE key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Filters of the action list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<ActionStatus>,
    pub owner: Option<String>,
    /// Only actions due before this day (YYYY-MM-DD) that are neither done nor cancelled.
    pub overdue_on: Option<String>,
}

/// The actions matching `filter`, in key order.
pub async fn list(conn: &mut Conn, filter: &Filter) -> Result<Vec<RoadmapAction>> {
    let mut clauses: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    if let Some(s) = filter.status {
        binds.push(s.as_str().to_owned());
        clauses.push(format!("status = ${}", binds.len()));
    }
    if let Some(o) = &filter.owner {
        binds.push(o.clone());
        clauses.push(format!("owner = ${}", binds.len()));
    }
    if let Some(day) = &filter.overdue_on {
        binds.push(day.clone());
        clauses.push(format!(
            "due_date < ${} AND status NOT IN ('done', 'cancelled')",
            binds.len()
        ));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("SELECT {COLUMNS} FROM actions {where_} ORDER BY n");
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// Every action, in key order.
pub async fn all(conn: &mut Conn) -> Result<Vec<RoadmapAction>> {
    list(conn, &Filter::default()).await
}
