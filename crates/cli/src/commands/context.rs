//! `aims context issue|party`: context of the organisation (ISO/IEC 42001 4.1, 4.2).

use anyhow::Result;
use clap::Subcommand;

pub use crate::commands::issue::IssueCmd;
pub use crate::commands::party::PartyCmd;
use crate::commands::{issue, party};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum ContextCmd {
    /// Internal and external issues.
    #[command(subcommand)]
    Issue(IssueCmd),
    /// Interested parties and their requirements.
    #[command(subcommand)]
    Party(PartyCmd),
}

pub async fn run(s: &Session, cmd: ContextCmd) -> Result<()> {
    match cmd {
        ContextCmd::Issue(cmd) => issue::run(s, cmd).await,
        ContextCmd::Party(cmd) => party::run(s, cmd).await,
    }
}
