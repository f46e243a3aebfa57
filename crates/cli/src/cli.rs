//! The command line: global options and the subcommand of each area.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::control;
use crate::commands::soa;
use crate::commands::{catalog, context, init, ledger, monitor, scope, serve, system, token, user};

/// aims: an AI management system for ISO/IEC 42001.
#[derive(Debug, Parser)]
#[command(name = "aims", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives and who acts.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Data directory; its SQLite database is DIR/aims.db.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "AIMS_DATA_DIR",
        default_value = "./aims-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// Database URL (postgres://... or sqlite://PATH); overrides --data-dir.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        env = "AIMS_DATABASE_URL",
        value_name = "URL"
    )]
    pub database_url: Option<String>,
    /// The local user to act as (default: the first enabled admin).
    #[arg(
        long = "as",
        global = true,
        help_heading = "Global options",
        env = "AIMS_USER",
        value_name = "USERNAME"
    )]
    pub as_user: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create or upgrade the database and its first admin.
    Init(init::InitArgs),
    /// Run the web application and JSON API.
    Serve(serve::ServeArgs),
    /// Seed the demo organisation and print its logins.
    Demo,
    /// Users and their roles.
    #[command(subcommand)]
    User(user::UserCmd),
    /// API tokens for pipelines.
    #[command(subcommand)]
    Token(token::TokenCmd),
    /// The AI system inventory.
    #[command(subcommand)]
    System(Box<system::SystemCmd>),
    /// Context of the organisation: issues and interested parties.
    #[command(subcommand)]
    Context(context::ContextCmd),
    /// Interested parties (same as `context party`).
    #[command(subcommand)]
    Party(context::PartyCmd),
    /// Scope of the management system: versions and approval.
    #[command(subcommand)]
    Scope(scope::ScopeCmd),
    /// The organisation's controls (6.1.3, Annex A) and their links.
    #[command(subcommand)]
    Control(control::ControlCmd),
    /// Statement of Applicability (6.1.3 d): one line per Annex A control, versions, approval.
    #[command(subcommand)]
    Soa(soa::SoaCmd),
    /// The change ledger: log, checkpoint, verify.
    #[command(subcommand)]
    Ledger(ledger::LedgerCmd),
    /// Built-in framework catalogs (ISO/IEC 42001): clauses, controls, guidance.
    #[command(subcommand)]
    Catalog(catalog::CatalogCmd),
    /// Monitoring metrics for prediction logs: performance, fairness, drift, data quality.
    #[command(subcommand)]
    Monitor(monitor::MonitorCmd),
}

impl Command {
    /// The log filter used when `RUST_LOG` is unset.
    pub fn log_default(&self) -> &'static str {
        match self {
            Command::Serve(_) => "info",
            _ => "warn",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
