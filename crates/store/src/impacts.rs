//! AI system impact assessments: one row per version, the whole assessment kept as JSON, with the
//! system, version and status as columns for lists.

use aims_core::impact::{ImpactAssessment, ImpactStatus};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{json, to_json};
use crate::{Conn, Result};

fn from_row(row: &AnyRow) -> Result<ImpactAssessment> {
    json(row, "content")
}

pub async fn insert(conn: &mut Conn, n: i64, a: &ImpactAssessment) -> Result<()> {
    sqlx::query(
        "INSERT INTO impact_assessments (key, n, system_key, version, status, author, content, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&a.key)
    .bind(n)
    .bind(&a.system)
    .bind(a.version)
    .bind(a.status.as_str())
    .bind(&a.author)
    .bind(to_json(a))
    .bind(&a.created_at)
    .bind(&a.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Writes the status and content of an assessment (system, version and author never change).
pub async fn update(conn: &mut Conn, a: &ImpactAssessment) -> Result<()> {
    sqlx::query(
        "UPDATE impact_assessments SET status = $1, content = $2, updated_at = $3 WHERE key = $4",
    )
    .bind(a.status.as_str())
    .bind(to_json(a))
    .bind(&a.updated_at)
    .bind(&a.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<ImpactAssessment>> {
    let row = sqlx::query("SELECT content FROM impact_assessments WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Filters of the list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub system: Option<String>,
    /// The recorded status (draft or signed).
    pub status: Option<ImpactStatus>,
}

/// The assessments matching `filter`, by system then version.
pub async fn list(conn: &mut Conn, filter: &Filter) -> Result<Vec<ImpactAssessment>> {
    let mut clauses = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    if let Some(s) = &filter.system {
        binds.push(s.clone());
        clauses.push(format!("system_key = ${}", binds.len()));
    }
    if let Some(s) = filter.status {
        binds.push(s.as_str().to_owned());
        clauses.push(format!("status = ${}", binds.len()));
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("SELECT content FROM impact_assessments {where_} ORDER BY n");
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// Every version of one system's assessment, oldest first.
pub async fn of_system(conn: &mut Conn, system: &str) -> Result<Vec<ImpactAssessment>> {
    let rows = sqlx::query(
        "SELECT content FROM impact_assessments WHERE system_key = $1 ORDER BY version",
    )
    .bind(system)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}
