//! One module per area; each turns its arguments into service calls and prints the result.

pub mod catalog;
pub mod context;
pub mod control;
pub mod demo;
pub mod init;
pub mod issue;
pub mod ledger;
pub mod monitor;
pub mod party;
pub mod scope;
pub mod serve;
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
        Command::Demo => demo::run(&global).await,
        // Catalogs are built into the binary: no database, no `aims init` needed.
        Command::Catalog(cmd) => catalog::run(cmd).map(|()| ExitCode::SUCCESS),
        // Monitoring reads log files only: no database.
        Command::Monitor(cmd) => monitor::run(cmd),
        command => {
            let session = Session::open(&global).await?;
            let result = dispatch(&session, command).await;
            session.close().await;
            result
        }
    }
}

async fn dispatch(s: &Session, command: Command) -> Result<ExitCode> {
    match command {
        Command::User(cmd) => user::run(s, cmd).await?,
        Command::Token(cmd) => token::run(s, cmd).await?,
        Command::System(cmd) => system::run(s, *cmd).await?,
        Command::Context(cmd) => context::run(s, cmd).await?,
        Command::Control(cmd) => control::run(s, cmd).await?,
        Command::Party(cmd) => party::run(s, cmd).await?,
        Command::Scope(cmd) => scope::run(s, cmd).await?,
        Command::Soa(cmd) => soa::run(s, cmd).await?,
        Command::Ledger(cmd) => return ledger::run(s, cmd).await,
        Command::Init(_)
        | Command::Serve(_)
        | Command::Demo
        | Command::Catalog(_)
        | Command::Monitor(_) => {
            bail!("this command does not use a session")
        }
    }
    Ok(ExitCode::SUCCESS)
}
