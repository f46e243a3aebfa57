//! The change ledger's storage: append inside a write transaction, read, and stream for verification.

use aims_core::ledger::{Checkpoint, Event, EventBody, GENESIS};
use futures_util::TryStreamExt;
use sqlx::any::AnyRow;
use sqlx::Connection;

use crate::error::ResultExt;
use crate::listing::{Page, Where};
use crate::rows::{int, text};
use crate::{Conn, Db, Result, StoreError};

const COLUMNS: &str = "seq, at, actor, kind, key, action, data, prev_hash, hash";

fn from_row(row: &AnyRow) -> Result<Event> {
    Ok(Event {
        seq: int(row, "seq")?,
        at: text(row, "at")?,
        actor: text(row, "actor")?,
        kind: text(row, "kind")?,
        key: text(row, "key")?,
        action: text(row, "action")?,
        data: text(row, "data")?,
        prev_hash: text(row, "prev_hash")?,
        hash: text(row, "hash")?,
    })
}

/// The last event's sequence number and hash (0 and the genesis hash when empty).
pub async fn head(conn: &mut Conn) -> Result<Checkpoint> {
    let row = sqlx::query("SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1")
        .fetch_optional(conn)
        .await
        .db()?;
    match row {
        Some(r) => Ok(Checkpoint {
            seq: int(&r, "seq")?,
            hash: text(&r, "hash")?,
        }),
        None => Ok(Checkpoint {
            seq: 0,
            hash: GENESIS.to_owned(),
        }),
    }
}

/// Appends one event after the current head. Must run inside a [`crate::WriteTx`], whose lock
/// makes the read of the head and the insert one step for every process.
pub async fn append(
    conn: &mut Conn,
    at: &str,
    actor: &str,
    kind: &str,
    key: &str,
    action: &str,
    data: &str,
) -> Result<Event> {
    let prev = head(&mut *conn).await?;
    let seq = prev.seq + 1;
    let body = EventBody {
        seq,
        at,
        actor,
        kind,
        key,
        action,
        data,
    };
    let hash = body.hash(&prev.hash);
    insert(
        conn,
        &Event {
            seq,
            at: at.to_owned(),
            actor: actor.to_owned(),
            kind: kind.to_owned(),
            key: key.to_owned(),
            action: action.to_owned(),
            data: data.to_owned(),
            prev_hash: prev.hash,
            hash,
        },
    )
    .await
}

async fn insert(conn: &mut Conn, e: &Event) -> Result<Event> {
    sqlx::query(&format!(
        "INSERT INTO ledger ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(e.seq)
    .bind(&e.at)
    .bind(&e.actor)
    .bind(&e.kind)
    .bind(&e.key)
    .bind(&e.action)
    .bind(&e.data)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(conn)
    .await
    .db()?;
    Ok(e.clone())
}

/// Inserts already chained events in one statement per batch (bulk loads for benchmarks).
pub async fn insert_chained(conn: &mut Conn, events: &[Event]) -> Result<()> {
    for chunk in events.chunks(100) {
        let placeholders: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = i * 9;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 8,
                    b + 9
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO ledger ({COLUMNS}) VALUES {}",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(e.seq)
                .bind(&e.at)
                .bind(&e.actor)
                .bind(&e.kind)
                .bind(&e.key)
                .bind(&e.action)
                .bind(&e.data)
                .bind(&e.prev_hash)
                .bind(&e.hash);
        }
        q.execute(&mut *conn).await.db()?;
    }
    Ok(())
}

/// Which events a ledger list holds; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// The entity's key (`SYS-3`).
    pub key: Option<String>,
    /// The entity kind as written in events (`ai_system`).
    pub kind: Option<String>,
    /// Who: a username, directly or through one of their tokens.
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Recorded at or after this time (an RFC 3339 prefix such as `2026-11-01`).
    pub from: Option<String>,
    /// Recorded before this time.
    pub until: Option<String>,
    /// Only events before this sequence number.
    pub before_seq: Option<i64>,
}

impl Filter {
    fn conditions(&self) -> Where {
        let mut w = Where::default();
        w.eq("key", self.key.clone());
        w.eq("kind", self.kind.clone());
        if let Some(a) = &self.actor {
            // A token's events name its owner as `alice (TOK-3)`.
            w.bind(
                "(actor = ? OR substr(actor, 1, length(?) + 2) = ? || ' (')",
                a,
            );
        }
        w.eq("action", self.action.clone());
        if let Some(f) = &self.from {
            w.bind("at >= ?", f);
        }
        if let Some(u) = &self.until {
            w.bind("at < ?", u);
        }
        if let Some(b) = self.before_seq {
            w.raw(format!("seq < {b}"));
        }
        w
    }
}

/// One page of the events matching `filter`, by sequence number (newest first when
/// `newest_first`).
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    newest_first: bool,
    page: Page,
) -> Result<Vec<Event>> {
    let w = filter.conditions();
    let dir = if newest_first { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM ledger {} ORDER BY seq {dir}{}",
        w.sql(),
        page.sql()
    );
    let rows = w.query(&sql).fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// How many events match `filter`.
pub async fn count_matching(conn: &mut Conn, filter: &Filter) -> Result<i64> {
    let w = filter.conditions();
    let sql = format!("SELECT COUNT(*) AS c FROM ledger {}", w.sql());
    let row = w.query(&sql).fetch_one(conn).await.db()?;
    int(&row, "c")
}

/// Events newest first, optionally of one entity, before `before_seq`.
pub async fn log(
    conn: &mut Conn,
    key: Option<&str>,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<Event>> {
    let filter = Filter {
        key: key.map(str::to_owned),
        before_seq,
        ..Filter::default()
    };
    list(
        conn,
        &filter,
        true,
        Page {
            page: 1,
            per_page: limit,
        },
    )
    .await
}

pub async fn get(conn: &mut Conn, seq: i64) -> Result<Option<Event>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM ledger WHERE seq = $1"))
        .bind(seq)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

pub async fn count(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS c FROM ledger")
        .fetch_one(conn)
        .await
        .db()?;
    int(&row, "c")
}

/// Checks events one at a time as [`scan`] reads them. It owns its state, so the scan can run
/// on a thread of its own and hand it back.
pub trait Visitor: Send + 'static {
    type Error: Send + 'static;

    /// Checks one event, given its body, its stored previous hash and its hash;
    /// an error stops the scan.
    fn visit(
        &mut self,
        body: EventBody<'_>,
        prev_hash: &str,
        hash: &str,
    ) -> std::result::Result<(), Self::Error>;
}

/// Streams the events with `from <= seq <= to`, in sequence order, to `visitor`, without holding
/// them in memory, and returns the visitor with its outcome. This bulk read uses each backend's
/// own driver on a connection of its own: rusqlite on a blocking thread for SQLite (rows are
/// read in place), and a COPY from sqlx's PostgreSQL driver for PostgreSQL.
pub async fn scan<V: Visitor>(
    db: &Db,
    from: i64,
    to: i64,
    visitor: V,
) -> Result<(V, std::result::Result<(), V::Error>)> {
    match db.backend() {
        crate::Backend::Sqlite => {
            let sql =
                format!("SELECT {COLUMNS} FROM ledger WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq");
            let path = db.sqlite_path().to_owned();
            tokio::task::spawn_blocking(move || scan_sqlite(&path, &sql, from, to, visitor))
                .await
                .map_err(|e| StoreError::Corrupt(format!("ledger scan stopped: {e}")))?
        }
        crate::Backend::Postgres => {
            let mut conn = sqlx::PgConnection::connect(db.url()).await.db()?;
            scan_postgres(&mut conn, from, to, visitor).await
        }
    }
}

fn scan_sqlite<V: Visitor>(
    path: &str,
    sql: &str,
    from: i64,
    to: i64,
    mut visitor: V,
) -> Result<(V, std::result::Result<(), V::Error>)> {
    use rusqlite::OpenFlags;
    let corrupt = |e: rusqlite::Error| StoreError::Corrupt(e.to_string());
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(corrupt)?;
    let mut stmt = conn.prepare(sql).map_err(corrupt)?;
    let mut rows = stmt.query([from, to]).map_err(corrupt)?;
    while let Some(row) = rows.next().map_err(corrupt)? {
        let get = |i: usize| -> Result<&str> {
            row.get_ref(i)
                .map_err(corrupt)?
                .as_str()
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        };
        let body = EventBody {
            seq: row
                .get_ref(0)
                .map_err(corrupt)?
                .as_i64()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            at: get(1)?,
            actor: get(2)?,
            kind: get(3)?,
            key: get(4)?,
            action: get(5)?,
            data: get(6)?,
        };
        if let Err(e) = visitor.visit(body, get(7)?, get(8)?) {
            return Ok((visitor, Err(e)));
        }
    }
    drop(rows);
    drop(stmt);
    Ok((visitor, Ok(())))
}

/// Reads the stretch as `COPY ... TO STDOUT`, which costs the server far less per row than a
/// result set. In COPY's text format each event is one line of tab-separated fields, in which
/// only a backslash, a tab or a line break is escaped; the rest arrives as stored.
async fn scan_postgres<V: Visitor>(
    conn: &mut sqlx::PgConnection,
    from: i64,
    to: i64,
    mut visitor: V,
) -> Result<(V, std::result::Result<(), V::Error>)> {
    let copy = format!("COPY (SELECT {COLUMNS} FROM ledger WHERE seq >= {from} AND seq <= {to} ORDER BY seq) TO STDOUT");
    let mut stream = conn.copy_out_raw(&copy).await.db()?;
    while let Some(chunk) = stream.try_next().await.db()? {
        // The server sends one message per row, each line ending in a line break.
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &chunk) {
            let line = &chunk[start..end];
            start = end + 1;
            if let Err(e) = visit_line(&mut visitor, line)? {
                return Ok((visitor, Err(e)));
            }
        }
    }
    Ok((visitor, Ok(())))
}

/// Hands one COPY line (`seq, at, actor, kind, key, action, data, prev_hash, hash`) to the visitor.
fn visit_line<V: Visitor>(
    visitor: &mut V,
    line: &[u8],
) -> Result<std::result::Result<(), V::Error>> {
    let mut fields: [std::borrow::Cow<'_, str>; 9] = Default::default();
    let mut parts = line.split(|&b| b == b'\t');
    for field in fields.iter_mut() {
        let raw = parts
            .next()
            .ok_or_else(|| StoreError::Corrupt("a ledger row has too few columns".into()))?;
        *field = copy_text(raw)?;
    }
    let body = EventBody {
        seq: fields[0]
            .parse()
            .map_err(|e: std::num::ParseIntError| StoreError::Corrupt(e.to_string()))?,
        at: &fields[1],
        actor: &fields[2],
        kind: &fields[3],
        key: &fields[4],
        action: &fields[5],
        data: &fields[6],
    };
    Ok(visitor.visit(body, &fields[7], &fields[8]))
}

/// One field of COPY's text format, with its backslash escapes undone.
fn copy_text(raw: &[u8]) -> Result<std::borrow::Cow<'_, str>> {
    let utf8 = |b: Vec<u8>| String::from_utf8(b).map_err(|e| StoreError::Corrupt(e.to_string()));
    if !raw.contains(&b'\\') {
        return std::str::from_utf8(raw)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| StoreError::Corrupt(e.to_string()));
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter();
    while let Some(&b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        out.push(match bytes.next() {
            Some(b'b') => 0x08,
            Some(b'f') => 0x0c,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'v') => 0x0b,
            Some(&other) => other,
            None => {
                return Err(StoreError::Corrupt(
                    "a ledger field ends in a lone backslash".into(),
                ))
            }
        });
    }
    utf8(out).map(std::borrow::Cow::Owned)
}

/// The last event of every entity among events `1..=head`: `(key, seq, data)`, by key.
pub async fn last_states(conn: &mut Conn, head: i64) -> Result<Vec<(String, i64, String)>> {
    let rows = sqlx::query(
        "SELECT l.key, l.seq, l.data FROM ledger l \
         JOIN (SELECT key, MAX(seq) AS seq FROM ledger WHERE seq <= $1 GROUP BY key) m ON l.seq = m.seq \
         ORDER BY l.key",
    )
    .bind(head)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(keyed_state).collect()
}

/// Every recorded state of entities of `kind` in events `1..=head`, in sequence order.
pub async fn states_of_kind(
    conn: &mut Conn,
    kind: &str,
    head: i64,
) -> Result<Vec<(String, i64, String)>> {
    let rows =
        sqlx::query("SELECT key, seq, data FROM ledger WHERE kind = $1 AND seq <= $2 ORDER BY seq")
            .bind(kind)
            .bind(head)
            .fetch_all(conn)
            .await
            .db()?;
    rows.iter().map(keyed_state).collect()
}

/// (key, seq, data) of one ledger row.
fn keyed_state(r: &AnyRow) -> Result<(String, i64, String)> {
    Ok((text(r, "key")?, int(r, "seq")?, text(r, "data")?))
}

#[cfg(test)]
mod tests {
    use super::copy_text;

    #[test]
    fn copy_text_undoes_escapes() {
        let field = |raw: &str| {
            copy_text(raw.as_bytes())
                .map(|c| c.into_owned())
                .unwrap_or_default()
        };
        assert_eq!(field(r#"{"a":"x"}"#), r#"{"a":"x"}"#);
        assert_eq!(field(r#"{"a":"say \\"hi\\""}"#), r#"{"a":"say \"hi\""}"#);
        assert_eq!(field(r"tab\there"), "tab\there");
        assert_eq!(field(r"a\\b"), r"a\b");
    }
}
