//! Per-kind counters behind the public keys (`SYS-1`, `SYS-2`, ...). Called inside a write
//! transaction, whose lock makes the numbers gap-free and unique.

use aims_core::keys::Kind;
use sqlx::Row;

use crate::error::ResultExt;
use crate::{Conn, Result};

/// The next number for `kind`.
pub async fn next(conn: &mut Conn, kind: Kind) -> Result<i64> {
    let row = sqlx::query("SELECT next FROM counters WHERE kind = $1")
        .bind(kind.prefix())
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    let n = match row {
        Some(row) => row.try_get::<i64, _>("next").db()?,
        None => {
            sqlx::query("INSERT INTO counters (kind, next) VALUES ($1, 1)")
                .bind(kind.prefix())
                .execute(&mut *conn)
                .await
                .db()?;
            1
        }
    };
    sqlx::query("UPDATE counters SET next = $1 WHERE kind = $2")
        .bind(n + 1)
        .bind(kind.prefix())
        .execute(&mut *conn)
        .await
        .db()?;
    Ok(n)
}
