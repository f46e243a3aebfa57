//! The security audit trail (who signed in, failed, was locked out or refused) and the account
//! lockout after repeated failed sign-ins. The trail is an operational record beside the ledger:
//! append-only, readable by admins and auditors.

use aims_core::ledger::actions;
use aims_core::security::{LockoutRule, SecurityEvent, SecurityEventKind};
use aims_core::user::User;
use aims_core::{Action, Role};
use aims_store::listing::Order;
use aims_store::security::{self as store, Filter, NewEvent};
use aims_store::Conn;
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result, Via};

/// Most events one page lists.
pub const MAX_EVENTS: i64 = 1000;

/// Which events to list, as typed (from the API, a page or the CLI).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SecurityQuery {
    /// Only events of this kind (`login_failed`, `account_locked`, `permission_denied` ...).
    pub kind: Option<String>,
    /// Only events of this username.
    pub user: Option<String>,
    /// Only events on or after this day (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Only events on or before this day (YYYY-MM-DD, UTC).
    pub to: Option<String>,
    /// Only events before this sequence number (reading on from the last event seen).
    pub before: Option<i64>,
    /// `seq` (oldest first) or `-seq` (newest first, the default).
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<i64>,
    /// Events per page (1 to 1000, default 50).
    pub per_page: Option<i64>,
    /// The same as `per_page` (its older name).
    pub limit: Option<i64>,
}

/// A page of events and how many match in all.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityEvents {
    pub events: Vec<SecurityEvent>,
    /// Pass as `before` for the next page of newest-first events; absent on the last page.
    pub next_before: Option<i64>,
    /// How many events match the filters.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// An account locked after failed sign-ins, and until when.
#[derive(Debug, Clone, Serialize)]
pub struct Lock {
    pub username: String,
    pub locked_until: String,
}

/// One event about to be written, inside another write or on its own.
pub(crate) struct Note<'a> {
    pub kind: SecurityEventKind,
    pub username: Option<&'a str>,
    pub token_key: Option<&'a str>,
    pub client: Option<&'a str>,
    pub detail: &'a str,
}

impl Note<'_> {
    pub(crate) async fn write(&self, conn: &mut Conn) -> Result<()> {
        let at = now();
        // Bound what a caller can make us store: names and details are cut, never refused.
        let cut = |t: &str, n: usize| t.chars().take(n).collect::<String>();
        let username = self.username.map(|u| cut(u, 64));
        let client = self.client.map(|c| cut(c, 64));
        let detail = cut(self.detail, 500);
        store::append(
            conn,
            &NewEvent {
                at: &at,
                kind: self.kind,
                username: username.as_deref(),
                token_key: self.token_key,
                client: client.as_deref(),
                detail: &detail,
            },
        )
        .await?;
        Ok(())
    }
}

impl App {
    /// The lockout rule of these settings.
    pub(crate) fn lockout_rule(&self) -> LockoutRule {
        let secs = |d: std::time::Duration| i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        LockoutRule {
            max_failures: self.settings.login_max_failures.max(1),
            window_secs: secs(self.settings.login_failure_window),
            lock_secs: secs(self.settings.login_lock),
        }
    }

    /// Appends one event to the security trail in a write of its own. The web layer records
    /// what only it sees (rejected forms, throttled clients, refusals) through this.
    pub async fn security_record(
        &self,
        kind: SecurityEventKind,
        actor: Option<&Actor>,
        client: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        if actor.is_some_and(|a| a.via == Via::System) {
            return Ok(());
        }
        let token_key = actor.and_then(|a| match &a.via {
            Via::Token(k) => Some(k.as_str()),
            _ => None,
        });
        let mut tx = self.db.begin_write().await?;
        Note {
            kind,
            username: actor.map(|a| a.username.as_str()),
            token_key,
            client,
            detail,
        }
        .write(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a service refused `actor` (the one place every permission denial of a web
    /// request passes through on its way to the caller).
    pub async fn security_denied(
        &self,
        actor: &Actor,
        client: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        self.security_record(
            SecurityEventKind::PermissionDenied,
            Some(actor),
            client,
            detail,
        )
        .await
    }

    /// Events of the security trail, newest first (admins and auditors).
    pub async fn security_events(
        &self,
        actor: &Actor,
        q: &SecurityQuery,
    ) -> Result<SecurityEvents> {
        actor.require(Action::ReadSecurityEvents)?;
        let mut e = aims_core::ValidationErrors::default();
        let kind = q
            .kind
            .as_deref()
            .filter(|k| !k.trim().is_empty())
            .and_then(|k| e.take(SecurityEventKind::parse("kind", k)));
        let (from, until) = crate::listing::days(&mut e, &q.from, &q.to);
        if q.before.is_some_and(|b| b < 1) {
            e.push("before", "must be a sequence number of 1 or more");
        }
        let per_page =
            crate::listing::either(&mut e, ("per_page", &q.per_page), ("limit", &q.limit));
        let order = crate::listing::sort(&mut e, &q.sort, &[("seq", ())], Order::desc(()));
        let page = crate::listing::page_up_to(&mut e, q.page, per_page, MAX_EVENTS);
        if !e.is_empty() {
            return Err(e.into());
        }
        let user = q.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
        let filter = Filter {
            kind,
            username: user,
            from,
            until,
            before: q.before,
        };
        let mut conn = self.read().await?;
        let events = store::list(&mut conn, &filter, order.descending, page).await?;
        let total = store::count(&mut conn, &filter).await?;
        let next_before = (order.descending && events.len() as i64 == page.per_page)
            .then(|| events.last().map(|e| e.seq))
            .flatten();
        Ok(SecurityEvents {
            events,
            next_before,
            total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// Accounts locked now (admins).
    pub async fn user_locks(&self, actor: &Actor) -> Result<Vec<Lock>> {
        actor.require(Action::ManageUsers)?;
        let found = store::locked(&mut *self.read().await?, &now()).await?;
        Ok(found
            .into_iter()
            .map(|(username, locked_until)| Lock {
                username,
                locked_until,
            })
            .collect())
    }

    /// Lifts the lockout of a user (admins); recorded in the ledger and the security trail.
    pub async fn user_unlock(&self, actor: &Actor, username: &str) -> Result<User> {
        actor.require(Action::ManageUsers)?;
        let username = username.trim();
        let mut tx = self.db.begin_write().await?;
        let (user, hash) = aims_store::users::by_username(tx.conn(), username)
            .await?
            .ok_or_else(|| AppError::not_found(format!("user '{username}'")))?;
        let count = store::failures(tx.conn(), username).await?;
        if !self
            .lockout_rule()
            .is_locked(count.as_ref(), Utc::now().timestamp())
        {
            return Err(AppError::conflict(
                "username",
                format!("'{username}' is not locked"),
            ));
        }
        store::clear_failures(tx.conn(), username).await?;
        record(
            &mut tx,
            actor,
            aims_core::keys::Kind::User,
            &user.key,
            actions::UNLOCK,
            &crate::users::state(&user, &hash),
        )
        .await?;
        Note {
            kind: SecurityEventKind::AccountUnlocked,
            username: Some(username),
            token_key: None,
            client: None,
            detail: &format!("unlocked by {}", actor.ledger_name()),
        }
        .write(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(user)
    }
}

/// Whether `role` may read the security trail (for showing the navigation link).
pub fn may_read_trail(role: Role) -> bool {
    role.permits(Action::ReadSecurityEvents)
}
