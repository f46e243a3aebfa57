//! `aims notifications list|send`: what is due for a user, and the digest e-mails.

use std::path::Path;
use std::time::Duration;

use aims_app::mail::{SendReport, SmtpSettings};
use aims_app::{Actor, App, AppError};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::cli::Global;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum NotificationsCmd {
    /// What is due or overdue for a user (default: the acting user), overdue first.
    List(ListArgs),
    /// E-mail each user with an address one digest of their items not yet mailed (admins).
    Send(SendArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The username.
    #[arg(long)]
    pub user: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Compose the digests and show them; send and log nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub smtp: SmtpArgs,
}

/// The SMTP server: flags, then `AIMS_SMTP_*` variables, then `[smtp]` in `DATA_DIR/aims.toml`.
#[derive(Debug, Clone, Default, Args)]
pub struct SmtpArgs {
    /// SMTP server host name.
    #[arg(long, env = "AIMS_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// SMTP port (default 25, or 587 with STARTTLS).
    #[arg(long, env = "AIMS_SMTP_PORT", value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// Sender address of the digests.
    #[arg(long, env = "AIMS_SMTP_FROM", value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// User name to log in to the server (with AIMS_SMTP_PASSWORD).
    #[arg(long, env = "AIMS_SMTP_USERNAME", value_name = "NAME")]
    pub smtp_username: Option<String>,
    /// Password for the server; from the environment only, never a flag.
    #[arg(skip)]
    pub smtp_password: Option<String>,
    /// Require STARTTLS: on or off (default off).
    #[arg(long, env = "AIMS_SMTP_STARTTLS", value_name = "on|off")]
    pub smtp_starttls: Option<String>,
    /// Where browsers reach aims (default for `serve`: http://ADDR of --listen): the links in
    /// digests, and single sign-on's default redirect URL.
    #[arg(long, env = "AIMS_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
}

/// The `[smtp]` table of `aims.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: Option<String>,
    port: Option<u16>,
    from: Option<String>,
    username: Option<String>,
    password: Option<String>,
    starttls: Option<bool>,
    public_url: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct ConfigFile {
    smtp: Option<SmtpFile>,
}

fn read_file(dir: &Path) -> Result<SmtpFile> {
    let path = dir.join("aims.toml");
    if !path.exists() {
        return Ok(SmtpFile::default());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let parsed: ConfigFile =
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
    Ok(parsed.smtp.unwrap_or_default())
}

fn on_off(value: &str) -> Result<bool, AppError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" | "" => Ok(false),
        other => Err(AppError::invalid(
            "smtp_starttls",
            format!("'{other}' is neither on nor off"),
        )),
    }
}

impl SmtpArgs {
    /// The settings, or none when no host is configured anywhere.
    pub fn resolve(&self, global: &Global) -> Result<Option<SmtpSettings>> {
        let file = read_file(&global.data_dir)?;
        let Some(host) = self.smtp_host.clone().or(file.host) else {
            return Ok(None);
        };
        let starttls = match &self.smtp_starttls {
            Some(v) => on_off(v)?,
            None => file.starttls.unwrap_or(false),
        };
        let password = self
            .smtp_password
            .clone()
            .or_else(|| std::env::var("AIMS_SMTP_PASSWORD").ok())
            .or(file.password);
        Ok(Some(SmtpSettings {
            host,
            port: self
                .smtp_port
                .or(file.port)
                .unwrap_or(if starttls { 587 } else { 25 }),
            from: self
                .smtp_from
                .clone()
                .or(file.from)
                .unwrap_or_else(|| "aims@localhost.localdomain".into()),
            username: self.smtp_username.clone().or(file.username),
            password,
            starttls,
            base_url: self.public_url.clone().or(file.public_url),
        }))
    }
}

pub async fn run(s: &Session, global: &Global, cmd: NotificationsCmd) -> Result<()> {
    match cmd {
        NotificationsCmd::List(args) => {
            let user = args.user.unwrap_or_else(|| s.actor.username.clone());
            let n = s.app.notifications_of(&s.actor, &user).await?;
            if args.json {
                return output::json(&n);
            }
            outln!(
                "{}: {} items due by {}, {} overdue",
                n.username,
                n.items.len(),
                n.horizon,
                n.overdue
            )?;
            let mut table = Table::new(&["key", "kind", "title", "due", "date", "state"]);
            for i in n.items {
                table.row(vec![
                    i.key,
                    i.area.label().into(),
                    output::clip(&i.title, 40),
                    i.what,
                    i.date,
                    if i.overdue { "overdue" } else { "due" }.into(),
                ]);
            }
            table.print("nothing is due")
        }
        NotificationsCmd::Send(args) => {
            let smtp = args.smtp.resolve(global)?;
            let report = s
                .app
                .notifications_send(&s.actor, smtp.as_ref(), args.dry_run)
                .await?;
            if args.json {
                return output::json(&report);
            }
            print_report(&report)
        }
    }
}

fn print_report(r: &SendReport) -> Result<()> {
    let verb = if r.dry_run { "would send" } else { "sent" };
    let done = r
        .digests
        .iter()
        .filter(|d| d.status == "sent" || d.status == "would_send")
        .count();
    outln!("{verb} {done} digests to {} users with an address", r.users)?;
    for d in &r.digests {
        let error = d
            .error
            .as_deref()
            .map(|e| format!(": {e}"))
            .unwrap_or_default();
        outln!(
            "  {} <{}>: {} [{}] {}{error}",
            d.username,
            d.email,
            d.subject,
            d.items.join(", "),
            d.status
        )?;
    }
    if r.digests.iter().any(|d| d.status == "failed") {
        anyhow::bail!("some digests could not be sent");
    }
    Ok(())
}

/// Sends the digests every `every` until the process ends (for `aims serve --notify-every`).
pub async fn every(app: App, actor: Actor, smtp: SmtpSettings, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match app.notifications_send(&actor, Some(&smtp), false).await {
            Ok(r) => tracing::info!(
                users = r.users,
                digests = r.digests.len(),
                "notification digests sent"
            ),
            Err(e) => tracing::warn!(error = %e, "notification digests failed"),
        }
    }
}

/// Parses `30m`, `24h`, `7d` or a number of seconds.
pub fn parse_every(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{text}' is not a period like 30m, 24h or 7d"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("'{text}' is not a period like 30m, 24h or 7d")),
    };
    if secs < 60 {
        return Err("must be at least one minute".into());
    }
    Ok(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(parse_every("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_every("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_every("7d"), Ok(Duration::from_secs(604_800)));
        assert!(parse_every("10s").is_err());
        assert!(parse_every("soon").is_err());
    }
}
