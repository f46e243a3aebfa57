//! Single sign-on: which local user an OpenID provider's subject is, and sign-ins in progress.

use crate::error::ResultExt;
use crate::rows::text;
use crate::{Conn, Result};

/// The local username linked to `subject` at `issuer`.
pub async fn username_for(conn: &mut Conn, issuer: &str, subject: &str) -> Result<Option<String>> {
    let row =
        sqlx::query("SELECT username FROM user_identities WHERE issuer = $1 AND subject = $2")
            .bind(issuer)
            .bind(subject)
            .fetch_optional(conn)
            .await
            .db()?;
    row.map(|r| text(&r, "username")).transpose()
}

/// Whether the user signs in through a provider (and so has no usable password).
pub async fn is_linked(conn: &mut Conn, username: &str) -> Result<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS c FROM user_identities WHERE username = $1")
        .bind(username)
        .fetch_one(conn)
        .await
        .db()?;
    Ok(crate::rows::int(&row, "c")? > 0)
}

pub async fn link(
    conn: &mut Conn,
    issuer: &str,
    subject: &str,
    username: &str,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_identities (issuer, subject, username, linked_at, last_sign_in_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(issuer)
    .bind(subject)
    .bind(username)
    .bind(at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn touch(conn: &mut Conn, issuer: &str, subject: &str, at: &str) -> Result<()> {
    sqlx::query(
        "UPDATE user_identities SET last_sign_in_at = $1 WHERE issuer = $2 AND subject = $3",
    )
    .bind(at)
    .bind(issuer)
    .bind(subject)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// A sign-in sent to the provider and not yet back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
    pub expires_at: String,
}

pub async fn insert_pending(conn: &mut Conn, state_hash: &str, p: &Pending) -> Result<()> {
    sqlx::query(
        "INSERT INTO sso_pending (state_hash, nonce, pkce_verifier, next_path, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(state_hash)
    .bind(&p.nonce)
    .bind(&p.pkce_verifier)
    .bind(&p.next_path)
    .bind(&p.expires_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Removes and returns the pending sign-in, so that a state can be used only once.
pub async fn take_pending(conn: &mut Conn, state_hash: &str) -> Result<Option<Pending>> {
    let row = sqlx::query(
        "SELECT nonce, pkce_verifier, next_path, expires_at FROM sso_pending WHERE state_hash = $1",
    )
    .bind(state_hash)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    let Some(row) = row else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM sso_pending WHERE state_hash = $1")
        .bind(state_hash)
        .execute(conn)
        .await
        .db()?;
    Ok(Some(Pending {
        nonce: text(&row, "nonce")?,
        pkce_verifier: text(&row, "pkce_verifier")?,
        next_path: text(&row, "next_path")?,
        expires_at: text(&row, "expires_at")?,
    }))
}

/// Forgets sign-ins that were never completed.
pub async fn purge_pending(conn: &mut Conn, now: &str) -> Result<()> {
    sqlx::query("DELETE FROM sso_pending WHERE expires_at < $1")
        .bind(now)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}
