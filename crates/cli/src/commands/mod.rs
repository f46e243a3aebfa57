//! One module per area; each turns its arguments into service calls and prints the result.

pub mod action;
pub mod briefing;
pub mod catalog;
pub mod certbody;
pub mod context;
pub mod control;
pub mod coverage;
pub mod crosswalk;
pub mod demo;
pub mod gap;
pub mod impact;
pub mod incident;
pub mod init;
pub mod issue;
pub mod journey;
pub mod ledger;
pub mod list_args;
pub mod maturity;
pub mod methodology;
pub mod monitor;
pub mod monitoring;
pub mod nc;
pub mod notifications;
pub mod party;
pub mod risk;
pub mod roadmap;
pub mod scope;
pub mod search;
pub mod security;
pub mod serve;
pub mod serve_oidc;
pub mod soa;
pub mod system;
pub mod system_args;
pub mod token;
pub mod user;

use std::process::ExitCode;

use anyhow::{bail, Result};
use clap::Args;

use crate::cli::{Cli, Command};
use crate::session::Session;

/// `--json`: print what the service returned as pretty JSON.
#[derive(Debug, Clone, Copy, Args)]
pub struct JsonArg {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs one invocation; the exit code is 0 unless a command decides otherwise.
pub async fn run(cli: Cli) -> Result<ExitCode> {
    let Cli { global, command } = cli;
    match command {
        Command::Init(args) => init::run(&global, &args).await,
        Command::Serve(args) => serve::run(&global, &args).await,
        Command::Demo(args) => demo::run(&global, &args).await,
        // Catalogs are built into the binary: without a database they show the built-in ones.
        Command::Catalog(cmd) => catalog::run(&global, cmd).await,
        Command::Crosswalk(args) => crosswalk::run(&global, args)
            .await
            .map(|()| ExitCode::SUCCESS),
        // Computing metrics reads log files only: no database.
        Command::Monitor(cmd) if cmd.is_offline() => monitor::run(cmd),
        command => {
            let session = Session::open(&global).await?;
            let result = dispatch(&session, &global, command).await;
            if let Err(e) = &result {
                note_denial(&session, e).await;
            }
            session.close().await;
            result
        }
    }
}

/// A refusal by role goes to the security trail, as it does for web requests.
async fn note_denial(s: &Session, e: &anyhow::Error) {
    let Some(app_error) = e.downcast_ref::<aims_app::AppError>() else {
        return;
    };
    if matches!(app_error, aims_app::AppError::Forbidden { .. }) {
        let detail = format!("command line: {app_error}");
        if let Err(failed) = s.app.security_denied(&s.actor, None, &detail).await {
            tracing::error!(error = %failed, "could not record a permission denial");
        }
    }
}

async fn dispatch(s: &Session, global: &crate::cli::Global, command: Command) -> Result<ExitCode> {
    match command {
        Command::User(cmd) => user::run(s, cmd).await?,
        Command::SecurityEvents(cmd) => security::run(s, cmd).await?,
        Command::Token(cmd) => token::run(s, cmd).await?,
        Command::System(cmd) => system::run(s, *cmd).await?,
        Command::Context(cmd) => context::run(s, cmd).await?,
        Command::Control(cmd) => control::run(s, cmd).await?,
        Command::Party(cmd) => party::run(s, cmd).await?,
        Command::Scope(cmd) => scope::run(s, cmd).await?,
        Command::Soa(cmd) => soa::run(s, cmd).await?,
        Command::Maturity(cmd) => maturity::run(s, cmd).await?,
        Command::Gap(cmd) => gap::run(s, cmd).await?,
        Command::Coverage(args) => coverage::run_coverage(s, args).await?,
        Command::Integration(cmd) => coverage::run_integration(s, cmd).await?,
        Command::Action(cmd) => action::run(s, cmd).await?,
        Command::Roadmap(args) => roadmap::run(s, args).await?,
        Command::Certbody(cmd) => certbody::run(s, cmd).await?,
        Command::Briefing(cmd) => briefing::run(s, cmd).await?,
        Command::Journey(out) => journey::run(s, out).await?,
        Command::Risk(cmd) => risk::run(s, cmd).await?,
        Command::Impact(cmd) => impact::run(s, cmd).await?,
        Command::Incident(cmd) => incident::run(s, cmd).await?,
        Command::Nc(cmd) => nc::run(s, cmd).await?,
        Command::Notifications(cmd) => notifications::run(s, global, cmd).await?,
        Command::Methodology(cmd) => methodology::run(s, cmd).await?,
        Command::Search(args) => search::run(s, args).await?,
        Command::Ledger(cmd) => return ledger::run(s, cmd).await,
        Command::Monitor(cmd) => return monitoring::run(s, cmd).await,
        Command::Init(_)
        | Command::Serve(_)
        | Command::Demo(_)
        | Command::Catalog(_)
        | Command::Crosswalk(_) => {
            bail!("this command does not use a session")
        }
    }
    Ok(ExitCode::SUCCESS)
}
