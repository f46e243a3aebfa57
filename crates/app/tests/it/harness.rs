//! A fresh database per test: a temporary SQLite file, or a new PostgreSQL database.
//! Also small helpers shared by the test modules: inputs, error matchers, row counts.

use std::fmt::Debug;

use aims_app::users::NewUser;
use aims_app::{Actor, App, AppError, Settings, Via};
use aims_core::inventory::SystemInput;
use aims_core::ledger::Event;
use aims_core::Role;

/// The backends to run on: SQLite always; PostgreSQL when `AIMS_TEST_POSTGRES_URL` is set
/// (then an unreachable server fails the test rather than skipping it).
pub fn backends() -> Vec<&'static str> {
    let mut b = vec!["sqlite"];
    if std::env::var("AIMS_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        b.push("postgres");
    }
    b
}

pub struct TestDb {
    pub app: App,
    pub url: String,
    _keep: Keep,
}

/// What holds a test database: its SQLite directory, or its PostgreSQL database. Both are
/// removed on drop, except a PostgreSQL database of a failing test, kept for inspection.
pub struct Keep {
    _dir: Option<TempDir>,
    _pg: Option<PgDatabase>,
}

pub struct PgDatabase(String);

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("keeping PostgreSQL database {} of the failed test", self.0);
            return;
        }
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.0);
        // Drop runs inside the test's runtime: do the async work on a thread of its own.
        let _ = std::thread::spawn(move || {
            use sqlx::Executor;
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut admin = admin_connection().await.ok()?;
                admin.execute(sql.as_str()).await.ok()
            })
        })
        .join();
    }
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let n: u64 = rand_u64();
        let p = std::env::temp_dir().join(format!("aims-test-{}-{n:x}", std::process::id()));
        std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("temp dir: {e}"));
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// The URL of a new database with nothing in it, and what keeps it.
pub async fn empty_database(backend: &str) -> (String, Keep) {
    match backend {
        "sqlite" => {
            let dir = TempDir::new();
            let url = format!("sqlite://{}", dir.0.join("aims.db").display());
            (
                url,
                Keep {
                    _dir: Some(dir),
                    _pg: None,
                },
            )
        }
        _ => {
            let (url, name) = postgres_database().await;
            (
                url,
                Keep {
                    _dir: None,
                    _pg: Some(PgDatabase(name)),
                },
            )
        }
    }
}

/// A migrated, empty database on `backend` with an admin `root`.
pub async fn fresh(backend: &str) -> TestDb {
    let (url, keep) = empty_database(backend).await;
    let app = App::open_and_migrate(&url, Settings::default())
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    app.bootstrap_admin("root", PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("bootstrap: {e}"));
    TestDb {
        app,
        url,
        _keep: keep,
    }
}

async fn admin_connection() -> Result<sqlx::AnyConnection, sqlx::Error> {
    let base = std::env::var("AIMS_TEST_POSTGRES_URL").unwrap_or_default();
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(&base).await
}

/// Creates a new database on the server named by `AIMS_TEST_POSTGRES_URL`; its URL and name.
async fn postgres_database() -> (String, String) {
    use sqlx::Executor;
    let base = std::env::var("AIMS_TEST_POSTGRES_URL").unwrap_or_default();
    let mut admin = admin_connection()
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {base} is not reachable: {e}"));
    let name = format!("aims_test_{:x}", rand_u64());
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    (format!("{prefix}/{name}"), name)
}

/// The password of every user the tests create.
pub const PASSWORD: &str = "correct horse battery";

pub fn actor(username: &str, role: Role) -> Actor {
    Actor {
        username: username.into(),
        role,
        via: Via::Local,
    }
}

pub fn root() -> Actor {
    actor("root", Role::Admin)
}

/// Adds a user with `role` (as root) and returns them as a session actor.
pub async fn add_user(app: &App, username: &str, role: Role) -> Actor {
    let input = NewUser {
        username: Some(username.into()),
        display_name: None,
        role: Some(role.as_str().into()),
        password: Some(PASSWORD.into()),
        email: None,
    };
    app.user_add(&root(), &input)
        .await
        .unwrap_or_else(|e| panic!("add user {username}: {e}"));
    Actor {
        username: username.into(),
        role,
        via: Via::Session,
    }
}

/// A valid new system owned by root.
pub fn system_input(name: &str) -> SystemInput {
    SystemInput {
        name: Some(name.into()),
        purpose: Some(format!("Purpose of {name}")),
        owner: Some("root".into()),
        ..Default::default()
    }
}

/// Adds a system as root and returns its key.
pub async fn add_system(app: &App, input: &SystemInput) -> String {
    app.system_add(&root(), input)
        .await
        .unwrap_or_else(|e| panic!("add system {:?}: {e}", input.name))
        .system
        .key
}

/// Number of ledger events (the head's sequence number).
pub async fn event_count(app: &App) -> i64 {
    app.ledger_checkpoint(&root())
        .await
        .unwrap_or_else(|e| panic!("checkpoint: {e}"))
        .seq
}

/// Rows in `table`.
pub async fn row_count(app: &App, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db.reader())
        .await
        .unwrap_or_else(|e| panic!("count {table}: {e}"))
}

/// Every table's row count and the ledger head: what a refused write must leave unchanged.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot(Vec<(&'static str, i64)>);

impl Snapshot {
    /// The ledger head's sequence number when the snapshot was taken.
    pub fn head(&self) -> i64 {
        self.0[0].1
    }
}

pub async fn snapshot(app: &App) -> Snapshot {
    let mut counts = vec![("ledger head", event_count(app).await)];
    for table in [
        "ledger",
        "users",
        "sessions",
        "api_tokens",
        "ai_systems",
        "context_issues",
        "parties",
        "scope_versions",
        "controls",
        "control_requirements",
        "control_systems",
        "soa_entries",
        "soa_versions",
        "external_imports",
        "external_implementations",
        "risk_methodologies",
        "risks",
        "risk_systems",
        "risk_scores",
        "impact_assessments",
        "monitoring_plans",
        "monitoring_runs",
        "monitoring_observations",
        "monitoring_alerts",
        "webhook_deliveries",
        "incidents",
        "incident_systems",
        "nonconformities",
        "nc_actions",
        "actions",
    ] {
        counts.push((table, row_count(app, table).await));
    }
    Snapshot(counts)
}

/// Every ledger event in sequence order.
pub async fn all_events(app: &App) -> Vec<Event> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let page = app
            .ledger_log(&root(), None, before, Some(1000))
            .await
            .unwrap_or_else(|e| panic!("ledger log: {e}"));
        let Some(last) = page.last() else { break };
        before = Some(last.seq);
        out.extend(page);
    }
    out.reverse();
    out
}

/// The fields an `Invalid` error names; panics on any other outcome.
pub fn invalid_fields<T: Debug>(b: &str, r: Result<T, AppError>) -> Vec<String> {
    match r {
        Err(AppError::Invalid(e)) => e.0.into_iter().map(|f| f.field).collect(),
        other => panic!("{b}: expected Invalid, got {other:?}"),
    }
}

/// Asserts an `Invalid` error naming exactly `field`.
pub fn assert_invalid<T: Debug>(b: &str, r: Result<T, AppError>, field: &str) {
    assert_eq!(invalid_fields(b, r), vec![field.to_owned()], "{b}");
}

/// Asserts a `Conflict` naming `field`.
pub fn assert_conflict<T: Debug>(b: &str, r: Result<T, AppError>, field: &str) {
    match r {
        Err(AppError::Conflict(f)) => assert_eq!(f.field, field, "{b}: {}", f.reason),
        other => panic!("{b}: expected Conflict on {field}, got {other:?}"),
    }
}

/// Asserts a `Forbidden` error.
pub fn assert_forbidden<T: Debug>(b: &str, r: Result<T, AppError>) {
    assert!(
        matches!(r, Err(AppError::Forbidden { .. })),
        "{b}: expected Forbidden, got {r:?}"
    );
}

/// Asserts `Unauthenticated`.
pub fn assert_unauthenticated<T: Debug>(b: &str, r: Result<T, AppError>) {
    assert!(
        matches!(r, Err(AppError::Unauthenticated(_))),
        "{b}: expected Unauthenticated, got {r:?}"
    );
}

/// Unwraps a service result, naming the backend on failure.
pub fn ok<T>(b: &str, r: Result<T, AppError>) -> T {
    r.unwrap_or_else(|e| panic!("{b}: {e:?}"))
}

/// Runs a raw statement behind the services' back.
pub async fn raw(app: &App, sql: &str) -> u64 {
    app.db
        .execute_raw(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A SQL string literal.
pub fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Every row of the named sheet of an XLSX workbook, as text.
pub fn xlsx_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("not an XLSX workbook: {e}"));
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("no sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}
