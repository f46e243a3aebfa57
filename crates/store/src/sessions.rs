//! Web sessions: stored by the SHA-256 of their secret, so a database reader cannot use them.

use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::text;
use crate::{Conn, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub username: String,
    pub csrf: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_seen_at: String,
}

fn from_row(row: &AnyRow) -> Result<SessionRow> {
    Ok(SessionRow {
        username: text(row, "username")?,
        csrf: text(row, "csrf")?,
        created_at: text(row, "created_at")?,
        expires_at: text(row, "expires_at")?,
        last_seen_at: text(row, "last_seen_at")?,
    })
}

pub async fn insert(conn: &mut Conn, id_hash: &str, s: &SessionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, username, csrf, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id_hash)
    .bind(&s.username)
    .bind(&s.csrf)
    .bind(&s.created_at)
    .bind(&s.expires_at)
    .bind(&s.last_seen_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, id_hash: &str) -> Result<Option<SessionRow>> {
    let row = sqlx::query("SELECT username, csrf, created_at, expires_at, last_seen_at FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

pub async fn touch(conn: &mut Conn, id_hash: &str, last_seen_at: &str) -> Result<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(last_seen_at)
        .bind(id_hash)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn delete(conn: &mut Conn, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Ends every session of a user (when they are disabled).
pub async fn delete_for_user(conn: &mut Conn, username: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE username = $1")
        .bind(username)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Removes sessions that expired before `now`.
pub async fn purge_expired(conn: &mut Conn, now: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
        .bind(now)
        .execute(conn)
        .await
        .db()?;
    Ok(done.rows_affected())
}

/// Ends every session of a user but the one stored under `keep` (after a password change).
pub async fn delete_others(conn: &mut Conn, username: &str, keep: &str) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE username = $1 AND id_hash <> $2")
        .bind(username)
        .bind(keep)
        .execute(conn)
        .await
        .db()?;
    Ok(done.rows_affected())
}
