//! `aims security-events list`: the security audit trail (admins and auditors).

use aims_app::security::SecurityQuery;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum SecurityCmd {
    /// List events, newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only events of this kind (login_succeeded, login_failed, account_locked, ...).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only events of this username.
    #[arg(long)]
    pub user: Option<String>,
    /// Only events before this sequence number (the next page).
    #[arg(long)]
    pub before: Option<i64>,
    /// At most this many (1 to 1000).
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(s: &Session, cmd: SecurityCmd) -> Result<()> {
    match cmd {
        SecurityCmd::List(args) => {
            let q = SecurityQuery {
                kind: args.kind,
                user: args.user,
                before: args.before,
                limit: Some(args.limit),
            };
            let found = s.app.security_events(&s.actor, &q).await?;
            if args.json {
                return output::json(&found);
            }
            let mut table = Table::new(&["seq", "at", "kind", "user", "token", "client", "detail"]);
            for e in found.events {
                table.row(vec![
                    e.seq.to_string(),
                    output::when(&e.at),
                    e.kind.to_string(),
                    e.username.unwrap_or_default(),
                    e.token_key.unwrap_or_default(),
                    e.client.unwrap_or_default(),
                    output::clip(&e.detail, 60),
                ]);
            }
            table.print("no security events")
        }
    }
}
