//! The `aims` binary: the command line of the AI management system, and its server.

mod cli;
mod commands;
mod config;
mod failure;
mod output;
mod password;
mod progress;
mod session;

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    init_logging(cli.command.log_default());
    match commands::run(cli).await {
        Ok(code) => code,
        Err(e) => failure::report(&e),
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (default `default`).
fn init_logging(default: &str) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
