//! Digest e-mails of notifications: one message per user with an address, listing the items not
//! yet mailed for their due date, sent over SMTP (optionally with STARTTLS). What was sent is an
//! operational log (`notifications_sent`), outside the ledger.

use std::fmt;
use std::time::Duration;

use aims_core::notification::{digest, Notification};
use aims_core::Action;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;

use crate::record::now;
use crate::{Actor, App, AppError, Result};

/// Where and how digests are sent.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// The sender address (`aims@example.org` or `aims <aims@example.org>`).
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Upgrade the connection with STARTTLS (refusing to send without it).
    pub starttls: bool,
    /// The address of the web application, to make links absolute.
    pub base_url: Option<String>,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("starttls", &self.starttls)
            .field("base_url", &self.base_url)
            .finish()
    }
}

impl SmtpSettings {
    /// Checks the settings, naming the setting at fault.
    pub fn check(&self) -> Result<Mailbox> {
        if self.host.trim().is_empty() {
            return Err(AppError::invalid("smtp_host", "is required to send e-mail"));
        }
        if self.port == 0 {
            return Err(AppError::invalid(
                "smtp_port",
                "must be between 1 and 65535",
            ));
        }
        if self.username.is_some() != self.password.is_some() {
            return Err(AppError::invalid(
                "smtp_password",
                "a username and a password go together: give both or neither",
            ));
        }
        self.from.parse::<Mailbox>().map_err(|e| {
            AppError::invalid(
                "smtp_from",
                format!("'{}' is not an e-mail address: {e}", self.from),
            )
        })
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.host.trim())
            .port(self.port)
            .timeout(Some(Duration::from_secs(30)));
        if self.starttls {
            let tls = TlsParameters::new(self.host.trim().to_owned())
                .map_err(|e| AppError::invalid("smtp_host", format!("TLS: {e}")))?;
            b = b.tls(Tls::Required(tls));
        }
        if let (Some(u), Some(p)) = (&self.username, &self.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(b.build())
    }
}

/// What happened to one user's digest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DigestOutcome {
    pub username: String,
    pub email: String,
    pub subject: String,
    /// Keys of the items the digest lists.
    pub items: Vec<String>,
    /// `sent`, `would_send` (dry run) or `failed`.
    pub status: String,
    pub error: Option<String>,
}

/// The outcome of one `notifications send`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SendReport {
    pub dry_run: bool,
    /// Users with an address that were looked at.
    pub users: usize,
    /// Digests with something new, one per user.
    pub digests: Vec<DigestOutcome>,
}

impl App {
    /// Sends every active user with an e-mail address one digest of their due and overdue items
    /// not yet mailed for the same due date, and logs each item sent. With `dry_run`, composes
    /// the digests and sends and logs nothing. Admins only.
    pub async fn notifications_send(
        &self,
        actor: &Actor,
        smtp: Option<&SmtpSettings>,
        dry_run: bool,
    ) -> Result<SendReport> {
        actor.require(Action::ManageUsers)?;
        let (from, transport) = match (smtp, dry_run) {
            (Some(s), _) => (Some(s.check()?), Some(s.transport()?)),
            (None, true) => (None, None),
            (None, false) => {
                return Err(AppError::invalid(
                    "smtp_host",
                    "no SMTP server is configured (set --smtp-host or AIMS_SMTP_HOST)",
                ))
            }
        };
        let base_url = smtp.and_then(|s| s.base_url.as_deref());
        let today = crate::actions::today();
        let users = aims_store::users::with_email(&mut *self.read().await?).await?;
        let mut report = SendReport {
            dry_run,
            users: users.len(),
            digests: Vec::new(),
        };
        for user in users {
            let Some(email) = user.email.clone() else {
                continue;
            };
            let fresh = self.unsent(&user.username, user.role, today).await?;
            if fresh.is_empty() {
                continue;
            }
            let d = digest(&user.display_name, &fresh, base_url);
            let mut outcome = DigestOutcome {
                username: user.username.clone(),
                email: email.clone(),
                subject: d.subject.clone(),
                items: fresh.iter().map(|i| i.key.clone()).collect(),
                status: "would_send".into(),
                error: None,
            };
            if let (Some(from), Some(transport), false) = (&from, &transport, dry_run) {
                match send_one(transport, from, &user.display_name, &email, &d).await {
                    Ok(()) => {
                        self.mark_sent(&user.username, &fresh).await?;
                        tracing::info!(user = %user.username, items = fresh.len(), "digest sent");
                        outcome.status = "sent".into();
                    }
                    Err(e) => {
                        tracing::warn!(user = %user.username, error = %e, "digest not sent");
                        outcome.status = "failed".into();
                        outcome.error = Some(e);
                    }
                }
            }
            report.digests.push(outcome);
        }
        Ok(report)
    }

    /// The user's items not yet mailed for their current date.
    async fn unsent(
        &self,
        username: &str,
        role: aims_core::Role,
        today: chrono::NaiveDate,
    ) -> Result<Vec<Notification>> {
        let mut conn = self.read().await?;
        let items = crate::notifications::gather(&mut conn, username, role, today).await?;
        let mut fresh = Vec::new();
        for i in items {
            let sent = aims_store::notifications::was_sent(
                &mut conn,
                username,
                i.area.as_str(),
                &i.key,
                &i.date,
            )
            .await?;
            if !sent {
                fresh.push(i);
            }
        }
        Ok(fresh)
    }

    async fn mark_sent(&self, username: &str, items: &[Notification]) -> Result<()> {
        let at = now();
        let mut tx = self.db.begin_write().await?;
        for i in items {
            if !aims_store::notifications::was_sent(
                tx.conn(),
                username,
                i.area.as_str(),
                &i.key,
                &i.date,
            )
            .await?
            {
                aims_store::notifications::mark_sent(
                    tx.conn(),
                    username,
                    i.area.as_str(),
                    &i.key,
                    &i.date,
                    &at,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn send_one(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    name: &str,
    email: &str,
    d: &aims_core::notification::Digest,
) -> std::result::Result<(), String> {
    let to = Mailbox::new(
        Some(name.to_owned()),
        email
            .parse()
            .map_err(|e| format!("address '{email}': {e}"))?,
    );
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(d.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(d.body.clone())
        .map_err(|e| e.to_string())?;
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
