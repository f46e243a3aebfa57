//! What falls due for one person, read with one bounded index range per area, and the log of
//! digest e-mails already sent.

use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, opt_text, text};
use crate::{Conn, Result};

/// One record that falls due: its key, a title, the date and a note (an area's extra detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRow {
    pub key: String,
    pub title: String,
    pub date: String,
    pub note: Option<String>,
}

fn due_row(r: &AnyRow) -> Result<DueRow> {
    Ok(DueRow {
        key: text(r, "key")?,
        title: text(r, "title")?,
        date: text(r, "date")?,
        note: opt_text(r, "note")?,
    })
}

async fn due_rows(
    conn: &mut Conn,
    sql: &str,
    who: &str,
    until: &str,
    limit: i64,
) -> Result<Vec<DueRow>> {
    let rows = sqlx::query(sql)
        .bind(who)
        .bind(until)
        .bind(limit)
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter().map(due_row).collect()
}

/// Open risks of `owner` whose next review is on or before `until`, earliest first.
pub async fn risk_reviews(
    conn: &mut Conn,
    owner: &str,
    until: &str,
    limit: i64,
) -> Result<Vec<DueRow>> {
    due_rows(
        conn,
        "SELECT key, title, next_review AS date, current_level AS note FROM risks \
         WHERE owner = $1 AND next_review IS NOT NULL AND next_review <= $2 AND status <> 'closed' \
         ORDER BY next_review, n LIMIT $3",
        owner,
        until,
        limit,
    )
    .await
}

/// Actions of `owner` neither done nor cancelled, due on or before `until`; the note is the
/// nonconformity (`NC-n`) an action corrects, if any.
pub async fn actions(conn: &mut Conn, owner: &str, until: &str, limit: i64) -> Result<Vec<DueRow>> {
    due_rows(
        conn,
        "SELECT a.key, a.title, a.due_date AS date, \
         (SELECT MIN(c.nc_key) FROM nc_actions c WHERE c.action_key = a.key) AS note FROM actions a \
         WHERE a.owner = $1 AND a.due_date <= $2 AND a.status NOT IN ('done', 'cancelled') \
         ORDER BY a.due_date, a.n LIMIT $3",
        owner,
        until,
        limit,
    )
    .await
}

/// Nonconformities of `owner` not closed that are due on or before `until` or await their
/// effectiveness checks; the title is the whole record (JSON) and the note its status.
pub async fn nonconformities(
    conn: &mut Conn,
    owner: &str,
    until: &str,
    limit: i64,
) -> Result<Vec<DueRow>> {
    due_rows(
        conn,
        "SELECT key, content AS title, COALESCE(due_date, SUBSTR(updated_at, 1, 10)) AS date, \
         status AS note FROM nonconformities \
         WHERE owner = $1 AND status <> 'closed' AND (due_date <= $2 OR status = 'verifying') \
         ORDER BY n LIMIT $3",
        owner,
        until,
        limit,
    )
    .await
}

/// Open serious incidents (all, or those `owner` handles) as recorded, oldest first.
pub async fn serious_incidents(
    conn: &mut Conn,
    owner: Option<&str>,
    limit: i64,
) -> Result<Vec<aims_core::incident::Incident>> {
    let base = "SELECT content FROM incidents WHERE serious_basis IS NOT NULL \
                AND status NOT IN ('resolved', 'closed')";
    let rows = match owner {
        Some(o) => {
            sqlx::query(&format!("{base} AND owner = $1 ORDER BY n LIMIT $2"))
                .bind(o)
                .bind(limit)
                .fetch_all(conn)
                .await
        }
        None => {
            sqlx::query(&format!("{base} ORDER BY n LIMIT $1"))
                .bind(limit)
                .fetch_all(conn)
                .await
        }
    }
    .db()?;
    rows.iter()
        .map(|r| crate::rows::json(r, "content"))
        .collect()
}

/// The latest scope version when it still awaits approval: key, title, day proposed, proposer.
pub async fn scope_draft(conn: &mut Conn) -> Result<Option<DueRow>> {
    let row = sqlx::query(
        "SELECT key, statement AS title, SUBSTR(created_at, 1, 10) AS date, created_by AS note, \
         approved_at FROM scope_versions ORDER BY version DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await
    .db()?;
    match row {
        Some(r) if opt_text(&r, "approved_at")?.is_none() => Ok(Some(due_row(&r)?)),
        _ => Ok(None),
    }
}

/// Impact assessment drafts not written by `signer`, oldest first: key, system, day drafted,
/// author.
pub async fn impact_drafts(conn: &mut Conn, signer: &str, limit: i64) -> Result<Vec<DueRow>> {
    let rows = sqlx::query(
        "SELECT key, system_key AS title, SUBSTR(created_at, 1, 10) AS date, author AS note \
         FROM impact_assessments WHERE status = 'draft' AND author <> $1 ORDER BY n LIMIT $2",
    )
    .bind(signer)
    .bind(limit)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(due_row).collect()
}

/// A monitoring plan with its schedule and the instant its schedule counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDue {
    pub system: String,
    pub name: String,
    pub schedule: String,
    /// The last run's observation instant, or the plan's last change when it never ran.
    pub since: String,
}

/// The plans of active systems that `owner` owns or answers for.
pub async fn monitoring(conn: &mut Conn, owner: &str, limit: i64) -> Result<Vec<PlanDue>> {
    let rows = sqlx::query(
        "SELECT p.system_key, s.name, p.schedule, COALESCE((SELECT MAX(r.observed_at) \
         FROM monitoring_runs r WHERE r.system_key = p.system_key), p.updated_at) AS since \
         FROM monitoring_plans p JOIN ai_systems s ON s.key = p.system_key \
         WHERE (s.owner = $1 OR p.owner = $1) AND s.status = 'active' ORDER BY s.n LIMIT $2",
    )
    .bind(owner)
    .bind(limit)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| {
            Ok(PlanDue {
                system: text(r, "system_key")?,
                name: text(r, "name")?,
                schedule: text(r, "schedule")?,
                since: text(r, "since")?,
            })
        })
        .collect()
}

/// Whether `username` was already sent `key` of `area` for `due_date`.
pub async fn was_sent(
    conn: &mut Conn,
    username: &str,
    area: &str,
    key: &str,
    due_date: &str,
) -> Result<bool> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS c FROM notifications_sent \
         WHERE username = $1 AND area = $2 AND item_key = $3 AND due_date = $4",
    )
    .bind(username)
    .bind(area)
    .bind(key)
    .bind(due_date)
    .fetch_one(conn)
    .await
    .db()?;
    Ok(int(&row, "c")? > 0)
}

/// Logs that `username` was sent `key` of `area` for `due_date`.
pub async fn mark_sent(
    conn: &mut Conn,
    username: &str,
    area: &str,
    key: &str,
    due_date: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO notifications_sent (username, area, item_key, due_date, sent_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(username)
    .bind(area)
    .bind(key)
    .bind(due_date)
    .bind(at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}
