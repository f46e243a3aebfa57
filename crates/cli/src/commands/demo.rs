//! `aims demo` (and `aims serve --demo`): seed the demo organisation and print its logins.

use std::process::ExitCode;

use aims_app::demo::{demo_password, DemoLogin};
use aims_app::grow::GrowTarget;
use aims_app::{Actor, App, AppError, Settings};
use aims_core::ValidationErrors;
use anyhow::Result;
use clap::Args;

use crate::cli::Global;
use crate::config::Location;
use crate::output::Table;
use crate::session::local_actor;

/// The admin created when the demo starts from an empty database.
const ADMIN: &str = "admin";

/// `aims demo [--grow systems=N,risks=M]`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Grow the organisation (seeding the demo first when the inventory is empty) until it
    /// holds this many AI systems and risks, e.g. `systems=10000,risks=100000`; every record goes
    /// through the services and the ledger, in batches of 500 per transaction.
    #[arg(long, value_name = "SPEC")]
    pub grow: Option<String>,
}

pub async fn run(global: &Global, args: &DemoArgs) -> Result<ExitCode> {
    let target = match args.grow.as_deref().map(GrowTarget::parse).transpose() {
        Ok(t) => t,
        Err(e) => return Err(AppError::Invalid(ValidationErrors(vec![e])).into()),
    };
    let (app, admin) = open_or_create(global).await?;
    let result = match target {
        None => seed(&app, global, admin).await,
        Some(target) => grow(&app, global, admin, target).await,
    };
    app.db.close().await;
    result?;
    Ok(ExitCode::SUCCESS)
}

/// Seeds the demo when the inventory is empty, then grows it to `target`.
async fn grow(
    app: &App,
    global: &Global,
    admin: Option<DemoLogin>,
    target: GrowTarget,
) -> Result<()> {
    if is_empty(app).await? {
        seed(app, global, admin).await?;
    }
    let actor = local_actor(app, global.as_user.as_deref()).await?;
    let mut last = std::time::Instant::now();
    let report = app
        .grow(&actor, target, |what, done, want| {
            if done == want || last.elapsed().as_secs() >= 5 {
                last = std::time::Instant::now();
                eprintln!("  {what}: {done} of {want}");
            }
        })
        .await?;
    crate::outln!(
        "grew the organisation by {} AI systems in {:.1} s and {} risks in {:.1} s",
        report.systems_added,
        report.systems_seconds,
        report.risks_added,
        report.risks_seconds
    )?;
    Ok(())
}

/// Opens the database, migrating an uninitialised one and bootstrapping the admin `admin`
/// (with its demo password) when there are no users. Returns that login when it was created.
pub async fn open_or_create(global: &Global) -> Result<(App, Option<DemoLogin>)> {
    let location = Location::from_global(global);
    location.prepare()?;
    let url = location.url()?;
    let app = match App::open(&url, Settings::default()).await {
        Ok(app) => app,
        Err(AppError::Schema(_)) => App::open_and_migrate(&url, Settings::default()).await?,
        Err(e) => return Err(e.into()),
    };
    if !app.user_list(&Actor::system()).await?.is_empty() {
        return Ok((app, None));
    }
    let password = demo_password(ADMIN);
    let admin = app.bootstrap_admin(ADMIN, &password).await?;
    let login = DemoLogin {
        username: admin.username,
        password,
        role: admin.role.to_string(),
    };
    Ok((app, Some(login)))
}

/// Seeds the demo as the local actor and prints the logins.
pub async fn seed(app: &App, global: &Global, admin: Option<DemoLogin>) -> Result<()> {
    let actor = local_actor(app, global.as_user.as_deref()).await?;
    let created = app.seed_demo(&actor).await?;
    crate::outln!("seeded the demo organisation Northwind Lending & Health; logins:")?;
    let mut table = Table::new(&["username", "password", "role"]);
    for login in admin.iter().chain(&created) {
        table.row(vec![
            login.username.clone(),
            login.password.clone(),
            login.role.clone(),
        ]);
    }
    table.print("(no new users: every demo user already existed)")
}

/// Whether the inventory is empty, so that `serve --demo` seeds rather than just serves.
pub async fn is_empty(app: &App) -> Result<bool> {
    let page = app
        .system_list(
            &Actor::system(),
            &aims_app::systems::ListQuery {
                status: Some("all".into()),
                per_page: Some(1),
                ..Default::default()
            },
        )
        .await?;
    Ok(page.total == 0)
}
