//! API tokens, stored by the SHA-256 of their secret.

use aims_core::user::ApiToken;
use aims_core::Role;
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{opt_text, text, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, name, owner, role, created_at, expires_at, revoked_at";

fn from_row(row: &AnyRow) -> Result<ApiToken> {
    Ok(ApiToken {
        key: text(row, "key")?,
        name: text(row, "name")?,
        owner: text(row, "owner")?,
        role: word(row, "role", Role::parse)?,
        created_at: text(row, "created_at")?,
        expires_at: text(row, "expires_at")?,
        revoked_at: opt_text(row, "revoked_at")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, t: &ApiToken, token_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO api_tokens (key, n, name, owner, role, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&t.key)
    .bind(n)
    .bind(&t.name)
    .bind(&t.owner)
    .bind(t.role.as_str())
    .bind(token_hash)
    .bind(&t.created_at)
    .bind(&t.expires_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// The token with this secret hash, and when it was last used.
pub async fn by_hash(
    conn: &mut Conn,
    token_hash: &str,
) -> Result<Option<(ApiToken, Option<String>)>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS}, last_used_at FROM api_tokens WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(conn)
    .await
    .db()?;
    row.as_ref()
        .map(|r| Ok((from_row(r)?, opt_text(r, "last_used_at")?)))
        .transpose()
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<ApiToken>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Tokens of one owner (or of everyone when `owner` is `None`), each with when it was last used.
pub async fn list_with_use(
    conn: &mut Conn,
    owner: Option<&str>,
) -> Result<Vec<(ApiToken, Option<String>)>> {
    let sql = format!(
        "SELECT {COLUMNS}, last_used_at FROM api_tokens WHERE owner = $1 OR $2 = 1 ORDER BY n"
    );
    let rows = sqlx::query(&sql)
        .bind(owner.unwrap_or_default())
        .bind(i64::from(owner.is_none()))
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, opt_text(r, "last_used_at")?)))
        .collect()
}

/// Tokens of one owner, or of everyone when `owner` is `None`.
pub async fn list(conn: &mut Conn, owner: Option<&str>) -> Result<Vec<ApiToken>> {
    let rows = match owner {
        Some(o) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM api_tokens WHERE owner = $1 ORDER BY n"
            ))
            .bind(o)
            .fetch_all(conn)
            .await
        }
        None => {
            sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens ORDER BY n"))
                .fetch_all(conn)
                .await
        }
    }
    .db()?;
    rows.iter().map(from_row).collect()
}

pub async fn revoke(conn: &mut Conn, key: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE key = $2")
        .bind(at)
        .bind(key)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Notes the last use of a token (not ledgered: it is not a change of the record).
pub async fn touch(conn: &mut Conn, key: &str, at: &str) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE key = $2")
        .bind(at)
        .bind(key)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}
