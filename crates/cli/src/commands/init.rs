//! `aims init`: create or upgrade the database and bootstrap the first admin.

use std::path::PathBuf;
use std::process::ExitCode;

use aims_app::{Actor, App, AppError, Settings};
use anyhow::Result;
use clap::Args;

use crate::cli::Global;
use crate::config::Location;
use crate::{outln, password};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Username of the first admin.
    #[arg(long, default_value = "admin", value_name = "NAME")]
    pub admin_user: String,
    /// File holding the first admin's password (otherwise prompted for twice).
    #[arg(long, value_name = "FILE")]
    pub admin_password_file: Option<PathBuf>,
}

pub async fn run(global: &Global, args: &InitArgs) -> Result<ExitCode> {
    let location = Location::from_global(global);
    location.prepare()?;
    let app = App::open_and_migrate(&location.url()?, Settings::default()).await?;
    let result = bootstrap(&app, &location, args).await;
    app.db.close().await;
    result
}

async fn bootstrap(app: &App, location: &Location, args: &InitArgs) -> Result<ExitCode> {
    let schema = app.db.schema_status().await.map_err(AppError::from)?;
    if !app.user_list(&Actor::system()).await?.is_empty() {
        outln!(
            "{} is initialised; schema version {} is up to date",
            location.describe(),
            schema.found
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let password = password::read(args.admin_password_file.as_deref(), &args.admin_user)?;
    let admin = app.bootstrap_admin(&args.admin_user, &password).await?;
    outln!(
        "initialised {} (schema version {})",
        location.describe(),
        schema.found
    )?;
    outln!("created admin '{}' ({})", admin.username, admin.key)?;
    outln!("next: `aims serve`, or `aims system add --help`")?;
    Ok(ExitCode::SUCCESS)
}
