//! A fresh database per test: a temporary SQLite file, or a new PostgreSQL database.

use aims_app::{Actor, App, Settings, Via};
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
    _dir: Option<TempDir>,
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

/// A migrated, empty database on `backend` with an admin `root`.
pub async fn fresh(backend: &str) -> TestDb {
    let (url, dir) = match backend {
        "sqlite" => {
            let dir = TempDir::new();
            (
                format!("sqlite://{}", dir.0.join("aims.db").display()),
                Some(dir),
            )
        }
        _ => (postgres_database().await, None),
    };
    let app = App::open_and_migrate(&url, Settings::default())
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    app.bootstrap_admin("root", "correct horse battery")
        .await
        .unwrap_or_else(|e| panic!("bootstrap: {e}"));
    TestDb {
        app,
        url,
        _dir: dir,
    }
}

/// Creates a new database on the server named by `AIMS_TEST_POSTGRES_URL` and returns its URL.
async fn postgres_database() -> String {
    use sqlx::Executor;
    let base = std::env::var("AIMS_TEST_POSTGRES_URL").unwrap_or_default();
    sqlx::any::install_default_drivers();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {base} is not reachable: {e}"));
    let name = format!("aims_test_{:x}", rand_u64());
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    format!("{prefix}/{name}")
}

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
