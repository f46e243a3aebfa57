//! `aims user add|list|disable|unlock|locks`.

use std::path::PathBuf;

use aims_app::users::NewUser;
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::output::{self, Table};
use crate::session::Session;
use crate::{outln, password};

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Add a user (admins only).
    Add(AddArgs),
    /// List users (sort by key, username, name, role or created).
    List {
        /// Only users of this role: admin, governance_lead, risk_owner, contributor, auditor or
        /// viewer.
        #[arg(long)]
        role: Option<String>,
        /// Only disabled users (`--disabled=false`: only active ones).
        #[arg(long, num_args = 0..=1, default_missing_value = "true")]
        disabled: Option<bool>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change a user's e-mail address (admins; anyone for themselves).
    Update(UpdateArgs),
    /// Disable a user; their sessions end and their tokens stop working.
    Disable {
        /// The username.
        username: String,
    },
    /// Lift the lockout of a user after repeated failed sign-ins (admins only).
    Unlock {
        /// The username.
        username: String,
    },
    /// List accounts locked now after repeated failed sign-ins.
    Locks(JsonArg),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Lower-case login name.
    #[arg(long)]
    pub username: String,
    /// Role: admin, governance_lead, risk_owner, contributor, auditor or viewer.
    #[arg(long)]
    pub role: String,
    /// Name shown to people (default: the username).
    #[arg(long)]
    pub display_name: Option<String>,
    /// File holding the password (otherwise prompted for twice).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Where notification digests go.
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The username.
    pub username: String,
    /// The new e-mail address; "" removes it.
    #[arg(long)]
    pub email: Option<String>,
}

pub async fn run(s: &Session, cmd: UserCmd) -> Result<()> {
    match cmd {
        UserCmd::Add(args) => {
            let password = password::read(args.password_file.as_deref(), &args.username)?;
            let input = NewUser {
                username: Some(args.username),
                display_name: args.display_name,
                role: Some(args.role),
                password: Some(password),
                email: args.email,
            };
            let user = s.app.user_add(&s.actor, &input).await?;
            outln!(
                "added user '{}' ({}) as {}",
                user.username,
                user.key,
                user.role
            )
        }
        UserCmd::List {
            role,
            disabled,
            list,
            out,
        } => {
            let query = aims_app::users::UserQuery {
                q: list.q,
                role,
                disabled,
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = s.app.user_search(&s.actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let users = found.items;
            let shown = users.len();
            if out.json {
                return output::json(&users);
            }
            let mut table = Table::new(&[
                "key", "username", "name", "role", "email", "status", "created",
            ]);
            for u in users {
                let status = if u.disabled { "disabled" } else { "active" };
                table.row(vec![
                    u.key,
                    u.username,
                    output::clip(&u.display_name, 40),
                    u.role.to_string(),
                    u.email.unwrap_or_default(),
                    status.into(),
                    output::when(&u.created_at),
                ]);
            }
            table.print("no users")?;
            print_range(total, page, per_page, shown)
        }
        UserCmd::Update(args) => {
            let input = aims_app::users::UserUpdate { email: args.email };
            let user = s.app.user_update(&s.actor, &args.username, &input).await?;
            match &user.email {
                Some(e) => outln!("user '{}' ({}): e-mail {e}", user.username, user.key),
                None => outln!("user '{}' ({}): no e-mail address", user.username, user.key),
            }
        }
        UserCmd::Disable { username } => {
            let user = s.app.user_disable(&s.actor, &username).await?;
            outln!("disabled user '{}' ({})", user.username, user.key)
        }
        UserCmd::Unlock { username } => {
            let user = s.app.user_unlock(&s.actor, &username).await?;
            outln!("unlocked user '{}' ({})", user.username, user.key)
        }
        UserCmd::Locks(out) => {
            let locks = s.app.user_locks(&s.actor).await?;
            if out.json {
                return output::json(&locks);
            }
            let mut table = Table::new(&["username", "locked until"]);
            for l in locks {
                table.row(vec![l.username, output::when(&l.locked_until)]);
            }
            table.print("no account is locked")
        }
    }
}
