//! Users and their password hashes.

use aims_core::user::User;
use aims_core::Role;
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::rows::{flag, int, opt_text, text, word};
use crate::{Conn, Result};

const COLUMNS: &str =
    "key, n, username, display_name, role, disabled, created_at, password_hash, email";

fn from_row(row: &AnyRow) -> Result<User> {
    Ok(User {
        key: text(row, "key")?,
        username: text(row, "username")?,
        display_name: text(row, "display_name")?,
        role: word(row, "role", Role::parse)?,
        disabled: flag(row, "disabled")?,
        created_at: text(row, "created_at")?,
        email: opt_text(row, "email")?,
    })
}

pub async fn insert(conn: &mut Conn, n: i64, user: &User, password_hash: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO users (key, n, username, display_name, role, password_hash, disabled, created_at, email) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&user.key)
    .bind(n)
    .bind(&user.username)
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(password_hash)
    .bind(i64::from(user.disabled))
    .bind(&user.created_at)
    .bind(&user.email)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn set_disabled(conn: &mut Conn, username: &str, disabled: bool) -> Result<()> {
    sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
        .bind(i64::from(disabled))
        .bind(username)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn set_password_hash(conn: &mut Conn, username: &str, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
        .bind(hash)
        .bind(username)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Sets or clears a user's e-mail address.
pub async fn set_email(conn: &mut Conn, username: &str, email: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE users SET email = $1 WHERE username = $2")
        .bind(email)
        .bind(username)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn set_role(conn: &mut Conn, username: &str, role: Role) -> Result<()> {
    sqlx::query("UPDATE users SET role = $1 WHERE username = $2")
        .bind(role.as_str())
        .bind(username)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

/// Active users with an e-mail address, in key order.
pub async fn with_email(conn: &mut Conn) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users WHERE email IS NOT NULL AND disabled = 0 ORDER BY n"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(from_row).collect()
}

/// The user and their password hash.
pub async fn by_username(conn: &mut Conn, username: &str) -> Result<Option<(User, String)>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE username = $1"))
        .bind(username)
        .fetch_optional(conn)
        .await
        .db()?;
    row.map(|r| Ok((from_row(&r)?, text(&r, "password_hash")?)))
        .transpose()
}

pub async fn list(conn: &mut Conn) -> Result<Vec<User>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users ORDER BY n"))
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter().map(from_row).collect()
}

/// Every user with a fingerprint of their password hash, for the ledger's entity check.
pub async fn all_with_hash(conn: &mut Conn) -> Result<Vec<(User, String)>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM users ORDER BY n"))
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, text(r, "password_hash")?)))
        .collect()
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS c FROM users")
        .fetch_one(conn)
        .await
        .db()?;
    int(&row, "c")
}
