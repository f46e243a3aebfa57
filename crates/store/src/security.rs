//! The security audit trail and the failed sign-in counts behind the lockout.

use aims_core::security::{FailureCount, SecurityEvent, SecurityEventKind};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::listing::{Page, Where};
use crate::rows::{int, opt_text, text, word};
use crate::{Conn, Result};

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub at: &'a str,
    pub kind: SecurityEventKind,
    pub username: Option<&'a str>,
    pub token_key: Option<&'a str>,
    pub client: Option<&'a str>,
    pub detail: &'a str,
}

/// Which events to list; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub kind: Option<SecurityEventKind>,
    pub username: Option<&'a str>,
    /// Recorded at or after this time (an RFC 3339 prefix such as `2026-11-01`).
    pub from: Option<String>,
    /// Recorded before this time.
    pub until: Option<String>,
    /// Only events before this sequence number.
    pub before: Option<i64>,
}

impl Filter<'_> {
    fn conditions(&self) -> Where {
        let mut w = Where::default();
        w.eq("kind", self.kind.map(|k| k.as_str()));
        w.eq("username", self.username);
        if let Some(f) = &self.from {
            w.bind("at >= ?", f);
        }
        if let Some(u) = &self.until {
            w.bind("at < ?", u);
        }
        if let Some(b) = self.before {
            w.raw(format!("seq < {b}"));
        }
        w
    }
}

pub async fn append(conn: &mut Conn, e: &NewEvent<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO security_events (at, kind, username, token_key, client, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.at)
    .bind(e.kind.as_str())
    .bind(e.username)
    .bind(e.token_key)
    .bind(e.client)
    .bind(e.detail)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

fn from_row(row: &AnyRow) -> Result<SecurityEvent> {
    Ok(SecurityEvent {
        seq: int(row, "seq")?,
        at: text(row, "at")?,
        kind: word(row, "kind", SecurityEventKind::parse)?,
        username: opt_text(row, "username")?,
        token_key: opt_text(row, "token_key")?,
        client: opt_text(row, "client")?,
        detail: text(row, "detail")?,
    })
}

/// One page of the events matching `f`, by sequence number (newest first when
/// `newest_first`).
pub async fn list(
    conn: &mut Conn,
    f: &Filter<'_>,
    newest_first: bool,
    page: Page,
) -> Result<Vec<SecurityEvent>> {
    let w = f.conditions();
    let dir = if newest_first { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT seq, at, kind, username, token_key, client, detail FROM security_events {} \
         ORDER BY seq {dir}{}",
        w.sql(),
        page.sql()
    );
    let rows = w.query(&sql).fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// How many events match `f`.
pub async fn count(conn: &mut Conn, f: &Filter<'_>) -> Result<i64> {
    let w = f.conditions();
    let sql = format!("SELECT COUNT(*) AS c FROM security_events {}", w.sql());
    let row = w.query(&sql).fetch_one(conn).await.db()?;
    int(&row, "c")
}

/// The failed sign-ins counted for `username` (times as seconds since the epoch).
pub async fn failures(conn: &mut Conn, username: &str) -> Result<Option<FailureCount>> {
    let row = sqlx::query(
        "SELECT failures, window_started_at, locked_until FROM login_failures WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(conn)
    .await
    .db()?;
    let Some(row) = row else { return Ok(None) };
    let secs = |t: &str| aims_core::time::parse(t).map_or(0, |t| t.timestamp());
    Ok(Some(FailureCount {
        failures: int(&row, "failures")?,
        window_started: secs(&text(&row, "window_started_at")?),
        locked_until: opt_text(&row, "locked_until")?.map(|t| secs(&t)),
    }))
}

pub async fn set_failures(conn: &mut Conn, username: &str, c: &FailureCount) -> Result<()> {
    let stamp = |s: i64| {
        chrono::DateTime::from_timestamp(s, 0)
            .map(aims_core::time::format)
            .unwrap_or_default()
    };
    sqlx::query(
        "INSERT INTO login_failures (username, failures, window_started_at, locked_until) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (username) DO UPDATE SET failures = $2, window_started_at = $3, locked_until = $4",
    )
    .bind(username)
    .bind(c.failures)
    .bind(stamp(c.window_started))
    .bind(c.locked_until.map(stamp))
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Forgets the failures of `username` (after a successful sign-in or an unlock).
pub async fn clear_failures(conn: &mut Conn, username: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM login_failures WHERE username = $1")
        .bind(username)
        .execute(conn)
        .await
        .db()?;
    Ok(done.rows_affected())
}

/// Usernames locked at `now` (RFC 3339), with the time each lock ends.
pub async fn locked(conn: &mut Conn, now: &str) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT username, locked_until FROM login_failures WHERE locked_until > $1 ORDER BY username",
    )
    .bind(now)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "username")?, text(r, "locked_until")?)))
        .collect()
}
