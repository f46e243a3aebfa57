//! Maturity assessments, and the few set-based reads the gap analysis is computed from.

use aims_core::control::ControlStatus;
use aims_core::maturity::Assessment;
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, json, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str =
    "key, assessed_on, assessor, note, default_target, answers, created_by, created_at";

fn from_row(row: &AnyRow) -> Result<Assessment> {
    Ok(Assessment {
        key: text(row, "key")?,
        assessed_on: text(row, "assessed_on")?,
        assessor: text(row, "assessor")?,
        note: text(row, "note")?,
        default_target: int(row, "default_target")?,
        answers: json(row, "answers")?,
        created_by: text(row, "created_by")?,
        created_at: text(row, "created_at")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, a: &Assessment) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO maturity_assessments (n, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(n)
    .bind(&a.key)
    .bind(&a.assessed_on)
    .bind(&a.assessor)
    .bind(&a.note)
    .bind(a.default_target)
    .bind(to_json(&a.answers))
    .bind(&a.created_by)
    .bind(&a.created_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<Assessment>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM maturity_assessments WHERE key = $1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// The latest assessment: the newest `assessed_on`, then the last recorded.
pub async fn latest(conn: &mut Conn) -> Result<Option<Assessment>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM maturity_assessments ORDER BY assessed_on DESC, n DESC LIMIT 1"
    ))
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Every assessment, latest first.
pub async fn list(conn: &mut Conn) -> Result<Vec<Assessment>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM maturity_assessments ORDER BY assessed_on DESC, n DESC"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}

/// How many controls of each status are linked to each requirement of one framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCount {
    /// The stored reference (`ISO42001:A.6.2.4`).
    pub requirement: String,
    pub status: ControlStatus,
    pub controls: i64,
}

/// Link counts per requirement and control status for references starting with `prefix`
/// (`ISO42001:`), in one statement however many controls and links there are: one grouped
/// branch per status, each a semi-join of the links on the controls of that status (on SQLite
/// this is about twice as fast as grouping a join of the two tables).
pub async fn link_counts(conn: &mut Conn, prefix: &str) -> Result<Vec<LinkCount>> {
    let branches: Vec<String> = ControlStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, _)| {
            format!(
                "SELECT ${n} AS status, requirement, COUNT(*) AS controls FROM control_requirements \
                 WHERE control_key IN (SELECT key FROM controls WHERE status = ${n}) GROUP BY requirement",
                n = i + 1
            )
        })
        .collect();
    let sql = branches.join(" UNION ALL ");
    let mut q = sqlx::query(&sql);
    for s in ControlStatus::ALL {
        q = q.bind(s.as_str());
    }
    let rows = q.fetch_all(conn).await.db()?;
    let mut out = Vec::new();
    for row in &rows {
        let requirement = text(row, "requirement")?;
        if requirement.starts_with(prefix) {
            out.push(LinkCount {
                requirement,
                status: word(row, "status", ControlStatus::parse)?,
                controls: int(row, "controls")?,
            });
        }
    }
    Ok(out)
}

/// Whether any scope version and any SoA version has been approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approvals {
    pub scope_versions: i64,
    pub scope_approved: i64,
    pub soa_approved: i64,
}

/// The approval counts, in one query.
pub async fn approvals(conn: &mut Conn) -> Result<Approvals> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM scope_versions) AS scope_versions, \
         (SELECT COUNT(*) FROM scope_versions WHERE approved_at IS NOT NULL) AS scope_approved, \
         (SELECT COUNT(*) FROM soa_versions WHERE approved_at IS NOT NULL) AS soa_approved",
    )
    .fetch_one(conn)
    .await
    .db()?;
    Ok(Approvals {
        scope_versions: int(&row, "scope_versions")?,
        scope_approved: int(&row, "scope_approved")?,
        soa_approved: int(&row, "soa_approved")?,
    })
}
