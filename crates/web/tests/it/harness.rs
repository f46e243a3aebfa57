//! A real server on 127.0.0.1:0 over a fresh database, and an HTTP client for it.

#![allow(dead_code)]

use aims_app::{App, Settings};
use tokio::sync::oneshot;

/// The backends to run on: SQLite always; PostgreSQL when `AIMS_TEST_POSTGRES_URL` is set.
pub fn backends() -> Vec<&'static str> {
    let mut b = vec!["sqlite"];
    if std::env::var("AIMS_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) {
        b.push("postgres");
    }
    b
}

pub struct TestServer {
    pub base: String,
    pub app: App,
    pub backend: &'static str,
    stop: Option<oneshot::Sender<()>>,
    dir: Option<std::path::PathBuf>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn unique() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    format!("{:x}", h.finish())
}

/// A server over a migrated database with the admin `root` (password `ROOT_PASSWORD`).
pub async fn start(backend: &'static str) -> TestServer {
    start_with(backend, false).await
}

/// The same, with the demo organisation seeded.
pub async fn start_demo(backend: &'static str) -> TestServer {
    start_with(backend, true).await
}

pub const ROOT_PASSWORD: &str = "correct horse battery";

async fn start_with(backend: &'static str, demo: bool) -> TestServer {
    start_configured(
        backend,
        demo,
        Settings::default(),
        aims_web::WebConfig::default(),
    )
    .await
}

/// A server with these settings and web configuration (e.g. short lockouts, TLS headers).
pub async fn start_configured(
    backend: &'static str,
    demo: bool,
    settings: Settings,
    config: aims_web::WebConfig,
) -> TestServer {
    let (url, dir) = match backend {
        "sqlite" => {
            let dir = std::env::temp_dir().join(format!("aims-web-test-{}", unique()));
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("temp dir: {e}"));
            (
                format!("sqlite://{}", dir.join("aims.db").display()),
                Some(dir),
            )
        }
        _ => (postgres_database().await, None),
    };
    let app = App::open_and_migrate(&url, settings)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    app.bootstrap_admin("root", ROOT_PASSWORD)
        .await
        .unwrap_or_else(|e| panic!("bootstrap: {e}"));
    if demo {
        let root = aims_app::Actor {
            username: "root".into(),
            role: aims_core::Role::Admin,
            via: aims_app::Via::Local,
        };
        app.seed_demo(&root)
            .await
            .unwrap_or_else(|e| panic!("demo: {e}"));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("addr: {e}"));
    let (stop, stopped) = oneshot::channel::<()>();
    let served = app.clone();
    tokio::spawn(async move {
        let _ = aims_web::serve(served, listener, config, async {
            let _ = stopped.await;
        })
        .await;
    });
    TestServer {
        base: format!("http://{addr}"),
        app,
        backend,
        stop: Some(stop),
        dir,
    }
}

/// Creates a database on the server of `AIMS_TEST_POSTGRES_URL` and returns its URL.
async fn postgres_database() -> String {
    use sqlx::{Connection, Executor};
    let base = std::env::var("AIMS_TEST_POSTGRES_URL").unwrap_or_default();
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&base)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {base} is not reachable: {e}"));
    let name = format!("aims_test_{}", unique());
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap_or_else(|e| panic!("create database: {e}"));
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    format!("{prefix}/{name}")
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies and does not follow redirects.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("client: {e}"))
    }

    /// An API token with `role` for a new user of that role.
    pub async fn token(&self, role: aims_core::Role) -> String {
        let root = aims_app::Actor {
            username: "root".into(),
            role: aims_core::Role::Admin,
            via: aims_app::Via::Local,
        };
        let username = format!("u-{}", role.as_str().replace('_', "-"));
        if self
            .app
            .user_list(&root)
            .await
            .unwrap_or_default()
            .iter()
            .all(|u| u.username != username)
        {
            let input = aims_app::users::NewUser {
                username: Some(username.clone()),
                display_name: None,
                role: Some(role.as_str().into()),
                password: Some(ROOT_PASSWORD.into()),
                email: None,
            };
            self.app
                .user_add(&root, &input)
                .await
                .unwrap_or_else(|e| panic!("user: {e}"));
        }
        self.token_as(&username, role).await
    }

    /// An API token of the existing user `username`, who holds `role`.
    pub async fn token_as(&self, username: &str, role: aims_core::Role) -> String {
        let actor = aims_app::Actor {
            username: username.into(),
            role,
            via: aims_app::Via::Local,
        };
        let input = aims_app::auth::NewToken {
            name: Some("test".into()),
            role: None,
            expires_in_days: None,
        };
        self.app
            .token_create(&actor, &input)
            .await
            .unwrap_or_else(|e| panic!("token: {e}"))
            .secret
    }
}

/// Calls the JSON API as `token`: `method` (`GET`, `POST`, ...) on `/api/v1{path}` with an
/// optional JSON body; the status and the body read as JSON (`null` when it is not JSON).
pub async fn call(
    s: &TestServer,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> (reqwest::StatusCode, serde_json::Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut req = reqwest::Client::new()
        .request(method, s.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = res.status();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

/// GETs `/api/v1{path}` as `token`, expecting 200: the body as JSON and the number the
/// `x-total-count` header gives (`None` without it).
pub async fn counted(s: &TestServer, path: &str, token: &str) -> (serde_json::Value, Option<i64>) {
    let res = reqwest::Client::new()
        .get(s.url(&format!("/api/v1{path}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(res.status(), reqwest::StatusCode::OK, "{path}");
    let total = res
        .headers()
        .get("x-total-count")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok());
    (res.json().await.unwrap_or_default(), total)
}

/// The fields a problem document names, in order.
pub fn fields(problem: &serde_json::Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str().map(str::to_owned))
        .collect()
}

/// The ledger's head sequence number, to show that a refused request wrote nothing.
pub async fn seq(s: &TestServer) -> i64 {
    s.app
        .ledger_checkpoint(&aims_app::Actor::system())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .seq
}
