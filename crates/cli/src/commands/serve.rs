//! `aims serve`: the web application and JSON API until Ctrl-C (or SIGTERM).

use std::process::ExitCode;

use aims_web::WebConfig;
use anyhow::{Context, Result};
use clap::Args;

use crate::cli::Global;
use crate::commands::demo;
use crate::commands::serve_oidc::OidcArgs;
use crate::outln;
use crate::session::open_existing;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8042", value_name = "ADDR")]
    pub listen: String,
    /// Mark cookies Secure and send HSTS (served over TLS, or behind a TLS proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (only behind a proxy of your own).
    #[arg(long)]
    pub trust_forwarded_for: bool,
    /// Seed the demo organisation first when the database holds no AI systems.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub oidc: OidcArgs,
    /// Also e-mail notification digests this often (30m, 24h, 7d); needs an SMTP host.
    #[arg(long, env = "AIMS_NOTIFY_EVERY", value_name = "PERIOD", value_parser = crate::commands::notifications::parse_every)]
    pub notify_every: Option<std::time::Duration>,
    #[command(flatten)]
    pub smtp: crate::commands::notifications::SmtpArgs,
}

pub async fn run(global: &Global, args: &ServeArgs) -> Result<ExitCode> {
    let app = if args.demo {
        let (app, admin) = demo::open_or_create(global).await?;
        if demo::is_empty(&app).await? {
            demo::seed(&app, global, admin).await?;
        }
        app
    } else {
        open_existing(global).await?
    };
    let notifier = match args.notify_every {
        Some(every) => {
            let Some(smtp) = args.smtp.resolve(global)? else {
                anyhow::bail!(
                    "--notify-every needs an SMTP server: set --smtp-host or AIMS_SMTP_HOST"
                );
            };
            smtp.check()?;
            let actor = crate::session::local_actor(&app, global.as_user.as_deref()).await?;
            Some(tokio::spawn(crate::commands::notifications::every(
                app.clone(),
                actor,
                smtp,
                every,
            )))
        }
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let sso = args.oidc.resolve(
        &global.data_dir,
        &addr.to_string(),
        args.smtp.public_url.clone(),
    )?;
    if let Some(sso) = &sso {
        tracing::info!(issuer = %sso.settings().issuer, "single sign-on enabled");
    }
    let shutdown = shutdown();
    tracing::info!(%addr, "serving");
    outln!("aims listening on http://{addr}")?;
    let config = WebConfig {
        secure_cookies: args.secure_cookies,
        trust_forwarded_for: args.trust_forwarded_for,
        sso,
    };
    let served = aims_web::serve(app.clone(), listener, config, shutdown).await;
    if let Some(task) = notifier {
        task.abort();
    }
    app.db.close().await;
    served.context("the server stopped with an error")?;
    Ok(ExitCode::SUCCESS)
}

/// Resolves on Ctrl-C, or SIGTERM on Unix. The handlers are installed before this returns, so
/// a signal that arrives as soon as "listening" is printed still shuts down cleanly.
fn shutdown() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (mut int, mut term) = signals;
            let recv = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = recv(int.take()) => {},
                () = recv(term.take()) => {},
            }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    }
}
