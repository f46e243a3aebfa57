//! Connecting to either database, and the write transaction that serialises writers.

use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};

use crate::error::ResultExt;
use crate::{Result, StoreError};

/// Which engine is behind the pools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Pools for one database: readers, and the writer(s).
///
/// On SQLite the writer pool holds one connection, so writers of this process queue in order and
/// never meet "database is locked"; `busy_timeout` covers other processes. On PostgreSQL both are
/// the same pool and each write transaction first takes an advisory lock, so several `aims serve`
/// processes append to one ledger in a single order.
#[derive(Debug, Clone)]
pub struct Db {
    backend: Backend,
    url: String,
    read: AnyPool,
    write: AnyPool,
}

/// Advisory lock id held by every PostgreSQL write transaction ("aims" in ASCII).
const WRITE_LOCK: i64 = 0x6169_6d73;

/// The table of applied migrations; every database has it from its first connection.
const SCHEMA_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

/// An open write transaction. Dropping it without [`WriteTx::commit`] rolls back.
pub struct WriteTx {
    pub(crate) tx: sqlx::Transaction<'static, sqlx::Any>,
}

impl WriteTx {
    pub fn conn(&mut self) -> &mut crate::Conn {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await.db()
    }
}

impl Db {
    /// Connects to `url`: `sqlite://PATH` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Db> {
        install_default_drivers();
        if url.starts_with("sqlite:") {
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            let options = || {
                AnyPoolOptions::new()
                    .acquire_timeout(Duration::from_secs(30))
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            conn.execute("PRAGMA busy_timeout = 10000").await?;
                            conn.execute("PRAGMA foreign_keys = ON").await?;
                            conn.execute("PRAGMA synchronous = NORMAL").await?;
                            // Pages are read through a shared memory map instead of a read()
                            // call and a private copy per connection: at 100,000 risks a word
                            // search takes half the time and list pages up to a quarter less.
                            conn.execute("PRAGMA mmap_size = 1073741824").await?;
                            Ok(())
                        })
                    })
            };
            let write = options().max_connections(1).connect(&url).await.db()?;
            // WAL is a property of the file: set once, before any reader opens it.
            let mut conn = write.acquire().await.db()?;
            conn.execute("PRAGMA journal_mode = WAL").await.db()?;
            conn.execute(SCHEMA_TABLE).await.db()?;
            drop(conn);
            let read = options().max_connections(8).connect(&url).await.db()?;
            Ok(Db {
                backend: Backend::Sqlite,
                url,
                read,
                write,
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .db()?;
            pool.execute(SCHEMA_TABLE).await.db()?;
            Ok(Db {
                backend: Backend::Postgres,
                url: url.to_owned(),
                read: pool.clone(),
                write: pool,
            })
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL this database was opened with (for the native connections of bulk reads).
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The SQLite file behind a `sqlite://PATH?...` URL.
    pub(crate) fn sqlite_path(&self) -> &str {
        let rest = self
            .url
            .trim_start_matches("sqlite:")
            .trim_start_matches("//");
        rest.split('?').next().unwrap_or(rest)
    }

    /// The pool for reads outside a write transaction.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// A pooled connection for reads.
    pub async fn read_conn(&self) -> Result<crate::ReadConn> {
        self.read.acquire().await.db()
    }

    /// Starts a write transaction that holds the database's writer lock until it ends.
    pub async fn begin_write(&self) -> Result<WriteTx> {
        let mut tx = self.write.begin().await.db()?;
        match self.backend {
            Backend::Postgres => {
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await
                    .db()?;
            }
            Backend::Sqlite => {
                // Take SQLite's write lock now rather than at the first write, so a concurrent
                // process waits here (busy_timeout) instead of failing mid-transaction.
                sqlx::query("DELETE FROM schema_version WHERE 0 = 1")
                    .execute(&mut *tx)
                    .await
                    .db()?;
            }
        }
        Ok(WriteTx { tx })
    }

    /// Closes every connection (flushes SQLite's WAL on the last close).
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    /// Runs a plain statement; used by tests to tamper with rows behind the services' back.
    pub async fn execute_raw(&self, sql: &str) -> Result<u64> {
        let mut conn = self.write.acquire().await.db()?;
        let done = conn.execute(sql).await.db()?;
        Ok(done.rows_affected())
    }

    /// Checks that the connection works.
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.read.acquire().await.db()?;
        conn.ping().await.db()
    }
}
