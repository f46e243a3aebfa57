//! `aims security-events list`: the security audit trail (admins and auditors).

use aims_app::security::SecurityQuery;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::print_range;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum SecurityCmd {
    /// List events, newest first (`--sort seq` for oldest first), a page at a time.
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
    /// Only events on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only events on or before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only events before this sequence number (reading on from the last one seen).
    #[arg(long)]
    pub before: Option<i64>,
    /// seq (oldest first) or -seq (newest first, the default).
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Page number, from 1.
    #[arg(long)]
    pub page: Option<i64>,
    /// Events per page (1 to 1000, default 50).
    #[arg(long)]
    pub limit: Option<i64>,
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
                from: args.from,
                to: args.to,
                before: args.before,
                sort: args.sort,
                page: args.page,
                limit: args.limit,
                per_page: None,
            };
            let found = s.app.security_events(&s.actor, &q).await?;
            if args.json {
                return output::json(&found);
            }
            let mut table = Table::new(&["seq", "at", "kind", "user", "token", "client", "detail"]);
            let shown = found.events.len();
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
            table.print("no security events")?;
            print_range(found.total, found.page, Some(found.per_page), shown)
        }
    }
}
