//! Opening the application and deciding who the CLI acts as.

use aims_app::{Actor, App, Settings, Via};
use aims_core::Role;
use anyhow::{anyhow, bail, Result};

use crate::cli::Global;
use crate::config::Location;

/// An open application and the local user acting on it.
pub struct Session {
    pub app: App,
    pub actor: Actor,
}

impl Session {
    /// Opens an initialised database and resolves `--as`.
    pub async fn open(global: &Global) -> Result<Session> {
        let app = open_existing(global).await?;
        let actor = local_actor(&app, global.as_user.as_deref()).await?;
        Ok(Session { app, actor })
    }

    pub async fn close(self) {
        self.app.db.close().await;
    }
}

/// Opens an initialised database at this build's schema version.
pub async fn open_existing(global: &Global) -> Result<App> {
    let location = Location::from_global(global);
    location.require_existing()?;
    Ok(App::open(&location.url()?, Settings::default()).await?)
}

/// The local user named by `--as`, or else the first enabled admin (in key order).
pub async fn local_actor(app: &App, as_user: Option<&str>) -> Result<Actor> {
    let users = app.user_list(&Actor::system()).await?;
    let user = match as_user.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => {
            let user = users
                .into_iter()
                .find(|u| u.username == name)
                .ok_or_else(|| anyhow!("no user named '{name}' to act as (--as)"))?;
            if user.disabled {
                bail!("user '{name}' is disabled and cannot act");
            }
            user
        }
        None => users
            .into_iter()
            .find(|u| u.role == Role::Admin && !u.disabled)
            .ok_or_else(|| {
                anyhow!("no enabled admin to act as; run `aims init` or pass --as USERNAME")
            })?,
    };
    Ok(Actor {
        username: user.username,
        role: user.role,
        via: Via::Local,
    })
}
