//! `aims token create|list|revoke`: API tokens acting as the local user.

use std::io::Write;

use aims_app::auth::NewToken;
use anyhow::Result;
use clap::Subcommand;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Create a token; its secret is printed once.
    Create {
        /// What the token is for (e.g. "CI pipeline").
        #[arg(long)]
        name: Option<String>,
        /// Role of the token (default: yours; never above it).
        #[arg(long)]
        role: Option<String>,
        /// Lifetime in days (default 90, at most 366).
        #[arg(long, value_name = "D")]
        days: Option<i64>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// List tokens (admins see everyone's).
    List(JsonArg),
    /// Revoke a token.
    Revoke {
        /// The token's key (TOK-3).
        key: String,
    },
}

pub async fn run(s: &Session, cmd: TokenCmd) -> Result<()> {
    match cmd {
        TokenCmd::Create {
            name,
            role,
            days,
            out,
        } => {
            let input = NewToken {
                name,
                role,
                expires_in_days: days,
            };
            let created = s.app.token_create(&s.actor, &input).await?;
            let t = &created.token;
            if out.json {
                output::json(&created)?;
            } else {
                outln!(
                    "created {} '{}' for {} (role {}, expires {})",
                    t.key,
                    t.name,
                    t.owner,
                    t.role,
                    output::when(&t.expires_at)
                )?;
                outln!("{}", created.secret)?;
            }
            let _ = writeln!(
                std::io::stderr(),
                "warning: the secret is shown only once; store it now (aims keeps only its hash)"
            );
            Ok(())
        }
        TokenCmd::List(out) => {
            let tokens = s.app.token_list(&s.actor).await?;
            if out.json {
                return output::json(&tokens);
            }
            let mut table = Table::new(&[
                "key",
                "name",
                "owner",
                "role",
                "expires",
                "revoked",
                "last used",
            ]);
            for v in tokens {
                let t = v.token;
                table.row(vec![
                    t.key,
                    output::clip(&t.name, 40),
                    t.owner,
                    t.role.to_string(),
                    output::when(&t.expires_at),
                    t.revoked_at
                        .as_deref()
                        .map(output::when)
                        .unwrap_or_default(),
                    v.last_used_at
                        .as_deref()
                        .map(output::when)
                        .unwrap_or_default(),
                ]);
            }
            table.print("no tokens")
        }
        TokenCmd::Revoke { key } => {
            let t = s.app.token_revoke(&s.actor, &key).await?;
            outln!("revoked {} '{}'", t.key, t.name)
        }
    }
}
