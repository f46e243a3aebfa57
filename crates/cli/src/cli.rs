//! The command line: global options and the subcommand of each area.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands::control;
use crate::commands::coverage;
use crate::commands::crosswalk;
use crate::commands::soa;
use crate::commands::{action, briefing, certbody, roadmap};
use crate::commands::{catalog, context, init, ledger, monitor, scope, serve, system, token, user};
use crate::commands::{gap, maturity};

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
    /// Seed the demo organisation and print its logins; `--grow` enlarges it for load tests.
    Demo(crate::commands::demo::DemoArgs),
    /// Users and their roles.
    #[command(subcommand)]
    User(user::UserCmd),
    /// The security audit trail: sign-ins, lockouts, token use, refusals (admins and auditors).
    #[command(subcommand, name = "security-events")]
    SecurityEvents(crate::commands::security::SecurityCmd),
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
    /// The AI risk register (6.1.2, 6.1.3, 8.2, 8.3): add, assess, treat, accept, review, export.
    #[command(subcommand)]
    Risk(crate::commands::risk::RiskCmd),
    /// Find any record by key, title or text, across every area.
    Search(crate::commands::search::SearchArgs),
    /// AI system impact assessments (6.1.4, 8.4, A.5): add, update drafts, sign off, versions.
    #[command(subcommand)]
    Impact(crate::commands::impact::ImpactCmd),
    /// The risk assessment method (6.1.2): scales, matrix, acceptance criteria; versions.
    #[command(subcommand)]
    Methodology(crate::commands::methodology::MethodologyCmd),
    /// Maturity self-assessments: one question per sub-clause of clauses 4 to 10, scores, comparison.
    #[command(subcommand)]
    Maturity(maturity::MaturityCmd),
    /// Gap analysis: a prioritised list of what stands between the AIMS and ISO/IEC 42001.
    #[command(subcommand)]
    Gap(gap::GapCmd),
    /// What the ISO 42001 implementation covers of another framework (EUAIA, NISTAIRMF, ...).
    Coverage(coverage::CoverageArgs),
    /// Existing ISO 27001 or ISO 9001 implementations and what they cover of ISO 42001.
    #[command(subcommand)]
    Integration(coverage::IntegrationCmd),
    /// Incidents (10.1, A.8.4): report, workflow, root cause, serious-incident deadlines.
    #[command(subcommand)]
    Incident(crate::commands::incident::IncidentCmd),
    /// Nonconformities (10.2): corrective actions and their effectiveness checks.
    #[command(subcommand)]
    Nc(crate::commands::nc::NcCmd),
    /// What is due or overdue for each person, and e-mail digests of it.
    #[command(subcommand)]
    Notifications(crate::commands::notifications::NotificationsCmd),
    /// Roadmap actions: who does what by when, after which other actions.
    #[command(subcommand)]
    Action(action::ActionCmd),
    /// The roadmap: progress, overdue actions and every action.
    Roadmap(roadmap::RoadmapArgs),
    /// Certification bodies under consideration (at most one selected).
    #[command(subcommand)]
    Certbody(certbody::CertBodyCmd),
    /// Business case and leadership briefings.
    #[command(subcommand)]
    Briefing(briefing::BriefingCmd),
    /// The implementation journey: eight steps, each with a status derived from the records.
    Journey(crate::commands::JsonArg),
    /// The change ledger: log, checkpoint, verify.
    #[command(subcommand)]
    Ledger(ledger::LedgerCmd),
    /// Framework catalogs, built-in and imported: clauses, controls, guidance; import files.
    #[command(subcommand)]
    Catalog(catalog::CatalogCmd),
    /// Crosswalks: how the items of one framework relate to those of another.
    Crosswalk(crosswalk::CrosswalkArgs),
    /// Monitoring: metrics of prediction logs (performance, fairness, drift, data quality), plans, runs and alerts.
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
