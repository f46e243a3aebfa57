//! Application services of aims. Every interface (CLI, API, pages, importers) calls these; each
//! write checks permission, validates, writes and appends its ledger event in one transaction.

mod actor;
mod cache;
mod error;
mod record;

pub mod actions;
pub mod auth;
pub mod briefings;
pub mod catalogs;
pub mod certbodies;
pub mod context;
pub mod controls;
pub mod coverage;
pub mod dashboard;
pub mod demo;
pub mod gap;
pub mod grow;
pub mod impacts;
pub mod incidents;
mod incidents_demo;
pub mod journey;
pub mod ledger;
pub mod listing;
pub mod mail;
pub mod maturity;
pub mod methodology;
pub mod monitoring;
mod monitoring_demo;
pub mod nonconformities;
pub mod notifications;
pub mod risk_views;
pub mod risks;
pub mod roadmap;
pub mod role_dashboard;
pub mod scope;
pub mod search;
pub mod security;
pub mod sheet;
pub mod soa;
pub mod sso;
pub mod systems;
pub mod users;
pub mod webhook;

pub use actor::{Actor, Via};
pub use aims_store::{Backend, Db};
pub use error::AppError;

use std::time::Duration;

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// Settings the services need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a web session lives at most.
    pub session_ttl: Duration,
    /// How long a web session lives without use.
    pub session_idle: Duration,
    /// Failed sign-ins for one username within `login_failure_window` that lock the account.
    pub login_max_failures: i64,
    pub login_failure_window: Duration,
    /// How long a locked account stays locked (an admin may unlock it sooner).
    pub login_lock: Duration,
    /// Sign-in attempts one client address may make within `login_client_window` (per process).
    pub login_client_attempts: u32,
    pub login_client_window: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            session_ttl: Duration::from_secs(12 * 3600),
            session_idle: Duration::from_secs(30 * 60),
            login_max_failures: 5,
            login_failure_window: Duration::from_secs(15 * 60),
            login_lock: Duration::from_secs(15 * 60),
            login_client_attempts: 30,
            login_client_window: Duration::from_secs(5 * 60),
        }
    }
}

/// The application: its database and settings. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Db,
    pub settings: Settings,
    /// Derived views kept until the ledger moves on (shared by the clones of this `App`).
    views: std::sync::Arc<cache::Views>,
}

impl App {
    /// Connects and checks that the schema is this build's.
    pub async fn open(url: &str, settings: Settings) -> Result<App> {
        let db = Db::connect(url).await?;
        db.check_schema().await?;
        Ok(App {
            db,
            settings,
            views: Default::default(),
        })
    }

    /// Connects and applies any missing migrations (what `aims init` does).
    pub async fn open_and_migrate(url: &str, settings: Settings) -> Result<App> {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        Ok(App {
            db,
            settings,
            views: Default::default(),
        })
    }

    /// The stamp a cached view is valid for: the ledger's head and today.
    pub(crate) async fn stamp(&self) -> Result<cache::Stamp> {
        let head = aims_store::ledger::head(&mut *self.read().await?).await?;
        Ok(cache::Stamp {
            head: head.seq,
            day: crate::risks::today(),
        })
    }

    pub(crate) async fn read(&self) -> Result<aims_store::ReadConn> {
        Ok(self.db.read_conn().await?)
    }
}
