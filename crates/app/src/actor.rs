//! Who is acting: a user through a session or the CLI, or an API token.

use aims_core::{Action, Role};

use crate::AppError;

/// How the actor reached aims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A web session.
    Session,
    /// An API token (its key).
    Token(String),
    /// The CLI on the local data directory or database URL.
    Local,
    /// aims itself (migrations, bootstrap, demo seeding).
    System,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub username: String,
    pub role: Role,
    pub via: Via,
}

impl Actor {
    /// aims acting on its own behalf, with every permission.
    pub fn system() -> Actor {
        Actor {
            username: "aims".into(),
            role: Role::Admin,
            via: Via::System,
        }
    }

    /// Refuses unless the actor's role permits `action`.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.role.permits(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                role: self.role,
                action,
            })
        }
    }

    /// The name written to the ledger: the user, and the token when one was used.
    pub fn ledger_name(&self) -> String {
        match &self.via {
            Via::Token(key) => format!("{} ({key})", self.username),
            _ => self.username.clone(),
        }
    }
}
