//! Monitoring plans, runs with their observations, alerts and webhook deliveries.

use std::collections::BTreeMap;

use aims_core::monitoring::{
    Alert, AlertStatus, Delivery, Direction, Level, Observation, Plan, Point, Run, RunSource,
    Schedule, Window,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::ResultExt;
use crate::rows::{int, json, opt_text, text, to_json, word};
use crate::{Conn, Result, StoreError};

fn real(row: &AnyRow, col: &str) -> Result<f64> {
    row.try_get::<f64, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

/// A float that may be absent (NULL, or NaN as PostgreSQL keeps it).
fn opt_real(row: &AnyRow, col: &str) -> Result<Option<f64>> {
    row.try_get::<Option<f64>, _>(col)
        .map(|v| v.filter(|x| !x.is_nan()))
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

const PLAN_COLUMNS: &str = "system_key, schema_toml, rules, window_kind, schedule, owner, \
    webhook_url, webhook_secret, version, updated_at";

fn plan_from_row(row: &AnyRow) -> Result<(Plan, Option<String>)> {
    let secret = opt_text(row, "webhook_secret")?;
    Ok((
        Plan {
            system: text(row, "system_key")?,
            schema: text(row, "schema_toml")?,
            rules: json(row, "rules")?,
            window: word(row, "window_kind", Window::parse)?,
            schedule: word(row, "schedule", Schedule::parse)?,
            owner: text(row, "owner")?,
            webhook_url: opt_text(row, "webhook_url")?,
            webhook_secret_set: secret.is_some(),
            version: int(row, "version")?,
            updated_at: text(row, "updated_at")?,
        },
        secret,
    ))
}

/// A system's plan and its webhook secret.
pub async fn plan(conn: &mut Conn, system: &str) -> Result<Option<(Plan, Option<String>)>> {
    sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM monitoring_plans WHERE system_key = $1"
    ))
    .bind(system)
    .fetch_optional(conn)
    .await
    .db()?
    .map(|r| plan_from_row(&r))
    .transpose()
}

/// Every plan, by system key.
pub async fn plans(conn: &mut Conn) -> Result<Vec<Plan>> {
    let rows = sqlx::query(&format!(
        "SELECT {PLAN_COLUMNS} FROM monitoring_plans ORDER BY system_key"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| plan_from_row(r).map(|(p, _)| p))
        .collect()
}

/// Writes a system's plan, replacing the previous version.
pub async fn put_plan(conn: &mut Conn, p: &Plan, secret: Option<&str>) -> Result<()> {
    sqlx::query("DELETE FROM monitoring_plans WHERE system_key = $1")
        .bind(&p.system)
        .execute(&mut *conn)
        .await
        .db()?;
    sqlx::query(&format!(
        "INSERT INTO monitoring_plans ({PLAN_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ))
    .bind(&p.system)
    .bind(&p.schema)
    .bind(to_json(&p.rules))
    .bind(p.window.as_str())
    .bind(p.schedule.as_str())
    .bind(&p.owner)
    .bind(&p.webhook_url)
    .bind(secret)
    .bind(p.version)
    .bind(&p.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

const RUN_COLUMNS: &str = "key, system_key, source, observed_at, rows_reference, rows_current, \
    current_sha256, reference_sha256, report_sha256, label, outcome, unmatched, plan_version, recorded_by, \
    created_at";

fn run_from_row(row: &AnyRow) -> Result<Run> {
    Ok(Run {
        key: text(row, "key")?,
        system: text(row, "system_key")?,
        source: word(row, "source", RunSource::parse)?,
        observed_at: text(row, "observed_at")?,
        rows_reference: int(row, "rows_reference")?,
        rows_current: int(row, "rows_current")?,
        current_sha256: opt_text(row, "current_sha256")?,
        reference_sha256: opt_text(row, "reference_sha256")?,
        report_sha256: opt_text(row, "report_sha256")?,
        label: opt_text(row, "label")?,
        outcome: word(row, "outcome", Level::parse)?,
        observations: Vec::new(),
        unmatched: json(row, "unmatched")?,
        plan_version: int(row, "plan_version")?,
        recorded_by: text(row, "recorded_by")?,
        created_at: text(row, "created_at")?,
    })
}

fn observation_from_row(row: &AnyRow) -> Result<Observation> {
    Ok(Observation {
        metric: text(row, "metric")?,
        value: real(row, "value")?,
        level: word(row, "level", Level::parse)?,
        limit: opt_real(row, "limit_value")?,
        rule: text(row, "rule")?,
        direction: word(row, "direction", Direction::parse)?,
    })
}

/// Stores a run, its observations and, for a computed log, the full metrics report.
pub async fn insert_run(conn: &mut Conn, n: i64, r: &Run, report: Option<&str>) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO monitoring_runs (n, {RUN_COLUMNS}, report) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    ))
    .bind(n)
    .bind(&r.key)
    .bind(&r.system)
    .bind(r.source.as_str())
    .bind(&r.observed_at)
    .bind(r.rows_reference)
    .bind(r.rows_current)
    .bind(&r.current_sha256)
    .bind(&r.reference_sha256)
    .bind(&r.report_sha256)
    .bind(&r.label)
    .bind(r.outcome.as_str())
    .bind(to_json(&r.unmatched))
    .bind(r.plan_version)
    .bind(&r.recorded_by)
    .bind(&r.created_at)
    .bind(report)
    .execute(&mut *conn)
    .await
    .db()?;
    for (i, o) in r.observations.iter().enumerate() {
        sqlx::query(
            "INSERT INTO monitoring_observations (run_key, position, system_key, metric, value, \
             level, limit_value, rule, direction, observed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&r.key)
        .bind(i as i64)
        .bind(&r.system)
        .bind(&o.metric)
        .bind(o.value)
        .bind(o.level.as_str())
        // No limit is bound as NaN, never as a null: once a null float has been sent through
        // sqlx's Any driver, PostgreSQL's prepared statement rejects later real values. SQLite
        // stores NaN as NULL; both read back as no limit.
        .bind(o.limit.unwrap_or(f64::NAN))
        .bind(&o.rule)
        .bind(o.direction.as_str())
        .bind(&r.observed_at)
        .execute(&mut *conn)
        .await
        .db()?;
    }
    Ok(())
}

/// Groups observation rows (`run_key` first, in position order) by run and fills them in.
fn attach(mut runs: Vec<Run>, rows: &[AnyRow]) -> Result<Vec<Run>> {
    let mut by_run: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
    for row in rows {
        by_run
            .entry(text(row, "run_key")?)
            .or_default()
            .push(observation_from_row(row)?);
    }
    for r in &mut runs {
        r.observations = by_run.remove(&r.key).unwrap_or_default();
    }
    Ok(runs)
}

const OBSERVATION_COLUMNS: &str = "run_key, metric, value, level, limit_value, rule, direction";

/// Fills in the observations of `runs` from one query.
async fn with_observations(conn: &mut Conn, runs: Vec<Run>) -> Result<Vec<Run>> {
    if runs.is_empty() {
        return Ok(runs);
    }
    let marks: Vec<String> = (1..=runs.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {OBSERVATION_COLUMNS} FROM monitoring_observations WHERE run_key IN ({}) \
         ORDER BY run_key, position",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for r in &runs {
        q = q.bind(&r.key);
    }
    let rows = q.fetch_all(conn).await.db()?;
    attach(runs, &rows)
}

/// One run with its observations.
pub async fn run(conn: &mut Conn, key: &str) -> Result<Option<Run>> {
    let Some(row) = sqlx::query(&format!(
        "SELECT {RUN_COLUMNS} FROM monitoring_runs WHERE key = $1"
    ))
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
    .db()?
    else {
        return Ok(None);
    };
    let runs = with_observations(conn, vec![run_from_row(&row)?]).await?;
    Ok(runs.into_iter().next())
}

/// The stored metrics report of a computed run.
pub async fn report(conn: &mut Conn, key: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT report FROM monitoring_runs WHERE key = $1")
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.map(|r| opt_text(&r, "report"))
        .transpose()
        .map(Option::flatten)
}

/// The stored report of every computed run, for the ledger check.
pub async fn reports(conn: &mut Conn) -> Result<BTreeMap<String, String>> {
    let rows = sqlx::query("SELECT key, report FROM monitoring_runs WHERE report IS NOT NULL")
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "key")?, text(r, "report")?)))
        .collect()
}

/// A system's latest runs, newest first, with their observations.
pub async fn runs(conn: &mut Conn, system: &str, limit: i64) -> Result<Vec<Run>> {
    let rows = sqlx::query(&format!(
        "SELECT {RUN_COLUMNS} FROM monitoring_runs WHERE system_key = $1 ORDER BY n DESC LIMIT $2"
    ))
    .bind(system)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let runs = rows.iter().map(run_from_row).collect::<Result<Vec<_>>>()?;
    with_observations(conn, runs).await
}

/// Every run with its observations, for the ledger check.
pub async fn all_runs(conn: &mut Conn) -> Result<Vec<Run>> {
    let rows = sqlx::query(&format!(
        "SELECT {RUN_COLUMNS} FROM monitoring_runs ORDER BY n"
    ))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let runs = rows.iter().map(run_from_row).collect::<Result<Vec<_>>>()?;
    let obs = sqlx::query(&format!(
        "SELECT {OBSERVATION_COLUMNS} FROM monitoring_observations ORDER BY run_key, position"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    attach(runs, &obs)
}

/// The time of each system's latest observation.
pub async fn last_observed(conn: &mut Conn) -> Result<BTreeMap<String, String>> {
    let rows = sqlx::query(
        "SELECT system_key, MAX(observed_at) AS at FROM monitoring_runs GROUP BY system_key",
    )
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "system_key")?, text(r, "at")?)))
        .collect()
}

/// The latest `limit` observations of each metric of a system, oldest first per metric.
pub async fn trends(
    conn: &mut Conn,
    system: &str,
    limit: usize,
) -> Result<BTreeMap<String, Vec<Point>>> {
    let rows = sqlx::query(
        "SELECT run_key, metric, value, level, limit_value, observed_at \
         FROM monitoring_observations WHERE system_key = $1 ORDER BY metric, observed_at, run_key",
    )
    .bind(system)
    .fetch_all(conn)
    .await
    .db()?;
    let mut out: BTreeMap<String, Vec<Point>> = BTreeMap::new();
    for row in rows {
        out.entry(text(&row, "metric")?).or_default().push(Point {
            run: text(&row, "run_key")?,
            observed_at: text(&row, "observed_at")?,
            value: real(&row, "value")?,
            level: word(&row, "level", Level::parse)?,
            limit: opt_real(&row, "limit_value")?,
        });
    }
    for points in out.values_mut() {
        let excess = points.len().saturating_sub(limit);
        points.drain(..excess);
    }
    Ok(out)
}

const ALERT_COLUMNS: &str = "key, system_key, metric, first_run, last_run, value, limit_value, \
    occurrences, status, acknowledged_by, note, created_at, updated_at";

fn alert_from_row(row: &AnyRow) -> Result<Alert> {
    Ok(Alert {
        key: text(row, "key")?,
        system: text(row, "system_key")?,
        metric: text(row, "metric")?,
        first_run: text(row, "first_run")?,
        last_run: text(row, "last_run")?,
        value: real(row, "value")?,
        limit: real(row, "limit_value")?,
        occurrences: int(row, "occurrences")?,
        status: word(row, "status", AlertStatus::parse)?,
        acknowledged_by: opt_text(row, "acknowledged_by")?,
        note: opt_text(row, "note")?,
        created_at: text(row, "created_at")?,
        updated_at: text(row, "updated_at")?,
    })
}

pub async fn insert_alert(conn: &mut Conn, n: i64, a: &Alert) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO monitoring_alerts (n, {ALERT_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(n)
    .bind(&a.key)
    .bind(&a.system)
    .bind(&a.metric)
    .bind(&a.first_run)
    .bind(&a.last_run)
    .bind(a.value)
    .bind(a.limit)
    .bind(a.occurrences)
    .bind(a.status.as_str())
    .bind(&a.acknowledged_by)
    .bind(&a.note)
    .bind(&a.created_at)
    .bind(&a.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update_alert(conn: &mut Conn, a: &Alert) -> Result<()> {
    sqlx::query(
        "UPDATE monitoring_alerts SET last_run = $1, value = $2, limit_value = $3, \
         occurrences = $4, status = $5, acknowledged_by = $6, note = $7, updated_at = $8 \
         WHERE key = $9",
    )
    .bind(&a.last_run)
    .bind(a.value)
    .bind(a.limit)
    .bind(a.occurrences)
    .bind(a.status.as_str())
    .bind(&a.acknowledged_by)
    .bind(&a.note)
    .bind(&a.updated_at)
    .bind(&a.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn alert(conn: &mut Conn, key: &str) -> Result<Option<Alert>> {
    sqlx::query(&format!(
        "SELECT {ALERT_COLUMNS} FROM monitoring_alerts WHERE key = $1"
    ))
    .bind(key)
    .fetch_optional(conn)
    .await
    .db()?
    .map(|r| alert_from_row(&r))
    .transpose()
}

/// The open alert of a system and metric, if any.
pub async fn open_alert(conn: &mut Conn, system: &str, metric: &str) -> Result<Option<Alert>> {
    sqlx::query(&format!(
        "SELECT {ALERT_COLUMNS} FROM monitoring_alerts \
         WHERE system_key = $1 AND metric = $2 AND status = 'open'"
    ))
    .bind(system)
    .bind(metric)
    .fetch_optional(conn)
    .await
    .db()?
    .map(|r| alert_from_row(&r))
    .transpose()
}

/// Alerts, newest first, optionally of one system and only open ones.
pub async fn alerts(conn: &mut Conn, system: Option<&str>, open_only: bool) -> Result<Vec<Alert>> {
    let mut clauses = Vec::new();
    if system.is_some() {
        clauses.push("system_key = $1");
    }
    if open_only {
        clauses.push("status = 'open'");
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("SELECT {ALERT_COLUMNS} FROM monitoring_alerts {filter} ORDER BY n DESC");
    let mut q = sqlx::query(&sql);
    if let Some(s) = system {
        q = q.bind(s);
    }
    let rows = q.fetch_all(conn).await.db()?;
    rows.iter().map(alert_from_row).collect()
}

pub async fn insert_delivery(conn: &mut Conn, d: &Delivery) -> Result<()> {
    sqlx::query(
        "INSERT INTO webhook_deliveries (system_key, event, subject, url, status_code, error, \
         delivered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&d.system)
    .bind(&d.event)
    .bind(&d.subject)
    .bind(&d.url)
    .bind(d.status_code)
    .bind(&d.error)
    .bind(&d.delivered_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// A system's latest deliveries, newest first.
pub async fn deliveries(conn: &mut Conn, system: &str, limit: i64) -> Result<Vec<Delivery>> {
    let rows = sqlx::query(
        "SELECT system_key, event, subject, url, status_code, error, delivered_at \
         FROM webhook_deliveries WHERE system_key = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(system)
    .bind(limit)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| {
            Ok(Delivery {
                system: text(r, "system_key")?,
                event: text(r, "event")?,
                subject: text(r, "subject")?,
                url: text(r, "url")?,
                status_code: r
                    .try_get::<Option<i64>, _>("status_code")
                    .map_err(|e| StoreError::Corrupt(format!("status_code: {e}")))?,
                error: opt_text(r, "error")?,
                delivered_at: text(r, "delivered_at")?,
            })
        })
        .collect()
}
