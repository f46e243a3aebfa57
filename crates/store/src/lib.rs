//! Storage of aims on SQLite (embedded default) and PostgreSQL (scale).
//!
//! One implementation serves both: sqlx's `Any` driver with runtime queries, SQL written in the
//! dialect both engines accept, and `$n` placeholders (sqlx binds them by number on SQLite too).
//! Every write happens inside a [`WriteTx`], which serialises writers in the database itself.

mod db;
mod error;
mod migrate;
mod rows;

pub mod actions;
pub mod briefings;
pub mod certbodies;
pub mod controls;
pub mod counters;
pub mod dashboards;
pub mod frameworks;
pub mod identities;
pub mod impacts;
pub mod incidents;
pub mod integrations;
pub mod issues;
pub mod ledger;
pub mod listing;
pub mod maturity;
pub mod methodology;
pub mod monitoring;
pub mod nonconformities;
pub mod notifications;
pub mod parties;
pub mod risks;
pub mod scope;
pub mod search;
pub mod security;
pub mod sessions;
pub mod soa;
pub mod systems;
pub mod tokens;
pub mod users;

pub use db::{Backend, Db, WriteTx};
pub use error::StoreError;
pub use migrate::{SchemaStatus, MIGRATIONS_POSTGRES, MIGRATIONS_SQLITE};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The connection that queries run on: a pooled reader or the open write transaction.
pub type Conn = sqlx::AnyConnection;

/// A pooled read connection; derefs to [`Conn`].
pub type ReadConn = sqlx::pool::PoolConnection<sqlx::Any>;
