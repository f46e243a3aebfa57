//! The figures of the role dashboards: counts and short lists, each one bounded index query.

use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{int, opt_text, text};
use crate::{Conn, Result};

async fn count(conn: &mut Conn, sql: &str, binds: &[&str]) -> Result<i64> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    let row = q.fetch_one(conn).await.db()?;
    int(&row, "c")
}

/// Everyone's overdue items on `today`, per area.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overdue {
    pub risk_reviews: i64,
    pub actions: i64,
    pub nonconformities: i64,
}

pub async fn overdue(conn: &mut Conn, today: &str) -> Result<Overdue> {
    Ok(Overdue {
        risk_reviews: count(
            conn,
            "SELECT COUNT(*) AS c FROM risks WHERE next_review < $1 AND status <> 'closed'",
            &[today],
        )
        .await?,
        actions: count(
            conn,
            "SELECT COUNT(*) AS c FROM actions WHERE due_date < $1 \
             AND status NOT IN ('done', 'cancelled')",
            &[today],
        )
        .await?,
        nonconformities: count(
            conn,
            "SELECT COUNT(*) AS c FROM nonconformities WHERE due_date < $1 AND status <> 'closed'",
            &[today],
        )
        .await?,
    })
}

/// Monitoring plans whose next run is overdue: `cutoffs` holds, per schedule word, the first day
/// a run may date from without being overdue.
pub async fn monitoring_overdue(conn: &mut Conn, cutoffs: &[(&str, String)]) -> Result<i64> {
    if cutoffs.is_empty() {
        return Ok(0);
    }
    let clauses: Vec<String> = (0..cutoffs.len())
        .map(|i| format!("(t.schedule = ${} AND t.since < ${})", 2 * i + 1, 2 * i + 2))
        .collect();
    let sql = format!(
        "SELECT COUNT(*) AS c FROM (SELECT p.schedule, COALESCE((SELECT MAX(r.observed_at) \
         FROM monitoring_runs r WHERE r.system_key = p.system_key), p.updated_at) AS since \
         FROM monitoring_plans p) t WHERE {}",
        clauses.join(" OR ")
    );
    let binds: Vec<&str> = cutoffs.iter().flat_map(|(w, c)| [*w, c.as_str()]).collect();
    count(conn, &sql, &binds).await
}

/// The expression the `risks_top_score` index holds: residual score, else inherent.
const SCORE: &str =
    "COALESCE(residual_likelihood * residual_impact, inherent_likelihood * inherent_impact)";

/// One risk of a top list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopRisk {
    pub key: String,
    pub title: String,
    pub owner: String,
    pub level: Option<String>,
    pub score: Option<i64>,
    pub next_review: Option<String>,
}

fn top_risk(r: &AnyRow) -> Result<TopRisk> {
    Ok(TopRisk {
        key: text(r, "key")?,
        title: text(r, "title")?,
        owner: text(r, "owner")?,
        level: opt_text(r, "current_level")?,
        score: r_opt_int(r, "score")?,
        next_review: opt_text(r, "next_review")?,
    })
}

fn r_opt_int(r: &AnyRow, col: &str) -> Result<Option<i64>> {
    use sqlx::Row;
    r.try_get::<Option<i64>, _>(col)
        .map_err(|e| crate::StoreError::Corrupt(format!("{col}: {e}")))
}

/// The open risks with the highest score (residual where estimated), highest first.
pub async fn top_risks(conn: &mut Conn, limit: i64) -> Result<Vec<TopRisk>> {
    let rows = sqlx::query(&format!(
        "SELECT key, title, owner, current_level, {SCORE} AS score, next_review FROM risks \
         WHERE {SCORE} IS NOT NULL AND status <> 'closed' ORDER BY {SCORE} DESC, n DESC LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(top_risk).collect()
}

/// The open risks of `owner`, highest score first, then unscored ones in key order, and how
/// many there are. Each part reads the `risks_owner_score` index in order.
pub async fn owned_risks(conn: &mut Conn, owner: &str, limit: i64) -> Result<(Vec<TopRisk>, i64)> {
    let rows = sqlx::query(&format!(
        "SELECT key, title, owner, current_level, {SCORE} AS score, next_review FROM risks \
         WHERE owner = $1 AND {SCORE} IS NOT NULL AND status <> 'closed' \
         ORDER BY {SCORE} DESC, n DESC LIMIT $2"
    ))
    .bind(owner)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let mut list = rows.iter().map(top_risk).collect::<Result<Vec<_>>>()?;
    let room = limit - list.len() as i64;
    if room > 0 {
        let rows = sqlx::query(&format!(
            "SELECT key, title, owner, current_level, {SCORE} AS score, next_review FROM risks \
             WHERE owner = $1 AND {SCORE} IS NULL AND status <> 'closed' ORDER BY n LIMIT $2"
        ))
        .bind(owner)
        .bind(room)
        .fetch_all(&mut *conn)
        .await
        .db()?;
        for r in &rows {
            list.push(top_risk(r)?);
        }
    }
    let total = count(
        conn,
        "SELECT COUNT(*) AS c FROM risks WHERE owner = $1 AND status <> 'closed'",
        &[owner],
    )
    .await?;
    Ok((list, total))
}

/// Open risks whose review falls on or after `from`, earliest first.
pub async fn upcoming_reviews(conn: &mut Conn, from: &str, limit: i64) -> Result<Vec<TopRisk>> {
    let rows = sqlx::query(&format!(
        "SELECT key, title, owner, current_level, {SCORE} AS score, next_review FROM risks \
         WHERE next_review >= $1 AND status <> 'closed' ORDER BY next_review, n LIMIT $2"
    ))
    .bind(from)
    .bind(limit)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(top_risk).collect()
}

/// Open incidents (neither resolved nor closed) per severity.
pub async fn open_incidents_by_severity(conn: &mut Conn) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT severity, COUNT(*) AS c FROM incidents \
         WHERE status NOT IN ('resolved', 'closed') GROUP BY severity",
    )
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((int(r, "severity")?, int(r, "c")?)))
        .collect()
}

/// Records per status word of a table with a `status` column (`incidents`, `nonconformities`).
pub async fn by_status(conn: &mut Conn, table: Table) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(&format!(
        "SELECT status, COUNT(*) AS c FROM {} GROUP BY status",
        table.name()
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "status")?, int(r, "c")?)))
        .collect()
}

/// The tables the dashboards count by status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Incidents,
    Nonconformities,
    Risks,
    Actions,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Incidents => "incidents",
            Table::Nonconformities => "nonconformities",
            Table::Risks => "risks",
            Table::Actions => "actions",
        }
    }
}

/// Monitoring alerts not yet acknowledged.
pub async fn open_alerts(conn: &mut Conn) -> Result<i64> {
    count(
        conn,
        "SELECT COUNT(*) AS c FROM monitoring_alerts WHERE status = 'open'",
        &[],
    )
    .await
}

/// Active AI systems, controls and monitoring plans.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub systems: i64,
    pub controls: i64,
    pub monitored: i64,
}

pub async fn totals(conn: &mut Conn) -> Result<Totals> {
    Ok(Totals {
        systems: count(
            conn,
            "SELECT COUNT(*) AS c FROM ai_systems WHERE status = 'active'",
            &[],
        )
        .await?,
        controls: count(conn, "SELECT COUNT(*) AS c FROM controls", &[]).await?,
        monitored: count(conn, "SELECT COUNT(*) AS c FROM monitoring_plans", &[]).await?,
    })
}

/// Nonconformities raised by audits (internal or external): the latest, newest first.
pub async fn audit_findings(conn: &mut Conn, limit: i64) -> Result<Vec<(String, String, String)>> {
    let rows = sqlx::query(
        "SELECT key, status, content FROM nonconformities \
         WHERE source IN ('internal_audit', 'external_audit') ORDER BY n DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "key")?, text(r, "status")?, text(r, "content")?)))
        .collect()
}

/// An AI system someone owns, with where its monitoring stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedSystem {
    pub key: String,
    pub name: String,
    pub stage: String,
    pub schedule: Option<String>,
    /// Instant the schedule counts from: the last run, or the plan's last change.
    pub since: Option<String>,
    pub last_run: Option<String>,
    pub last_outcome: Option<String>,
    pub open_alerts: i64,
    pub open_breaches: i64,
}

/// The active systems `owner` owns or answers the monitoring of, in key order, each with its
/// monitoring status, and how many there are.
pub async fn owned_systems(
    conn: &mut Conn,
    owner: &str,
    limit: i64,
) -> Result<(Vec<OwnedSystem>, i64)> {
    let rows = sqlx::query(
        "SELECT s.key, s.name, s.stage, p.schedule, p.updated_at AS plan_at, \
         (SELECT MAX(r.observed_at) FROM monitoring_runs r WHERE r.system_key = s.key) AS last_run, \
         (SELECT r.outcome FROM monitoring_runs r WHERE r.system_key = s.key ORDER BY r.n DESC LIMIT 1) AS last_outcome, \
         (SELECT COUNT(*) FROM monitoring_alerts a WHERE a.system_key = s.key AND a.status = 'open') AS alerts, \
         (SELECT COUNT(*) FROM incidents i WHERE i.monitor_system = s.key \
            AND i.status NOT IN ('resolved', 'closed')) AS breaches \
         FROM ai_systems s LEFT JOIN monitoring_plans p ON p.system_key = s.key \
         WHERE (s.owner = $1 OR p.owner = $1) AND s.status = 'active' ORDER BY s.n LIMIT $2",
    )
    .bind(owner)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let list = rows
        .iter()
        .map(|r| {
            let schedule = opt_text(r, "schedule")?;
            let last_run = opt_text(r, "last_run")?;
            Ok(OwnedSystem {
                key: text(r, "key")?,
                name: text(r, "name")?,
                stage: text(r, "stage")?,
                since: schedule
                    .as_ref()
                    .and(last_run.clone().or(opt_text(r, "plan_at")?)),
                schedule,
                last_run,
                last_outcome: opt_text(r, "last_outcome")?,
                open_alerts: int(r, "alerts")?,
                open_breaches: int(r, "breaches")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let total = count(
        conn,
        "SELECT COUNT(*) AS c FROM ai_systems s LEFT JOIN monitoring_plans p ON p.system_key = s.key \
         WHERE (s.owner = $1 OR p.owner = $1) AND s.status = 'active'",
        &[owner],
    )
    .await?;
    Ok((list, total))
}
