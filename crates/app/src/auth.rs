//! Passwords, web sessions and API tokens.

use std::time::Duration;

use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::user::ApiToken;
use aims_core::{Action, Role};
use aims_store::sessions::SessionRow;
use aims_store::{sessions, tokens, users};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use aims_core::security::SecurityEventKind;
use aims_store::security;

use crate::record::{now, record};
use crate::security::Note;
use crate::{Actor, App, AppError, Result, Via};

/// Prefix of API token secrets, so they are recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "aims_";
/// Longest token lifetime.
pub const MAX_TOKEN_DAYS: i64 = 366;

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A random secret as lower-case hex.
fn secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn after(d: Duration) -> DateTime<Utc> {
    Utc::now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::hours(1))
}

/// A new web session: the secret for the cookie and the CSRF token for forms.
#[derive(Debug, Clone, Serialize)]
pub struct NewSession {
    pub secret: String,
    pub csrf: String,
    pub username: String,
    pub role: Role,
    pub expires_at: String,
}

/// A session resolved from its cookie.
#[derive(Debug, Clone)]
pub struct SessionActor {
    pub actor: Actor,
    pub csrf: String,
    /// How many items are due or overdue for the user, when the page asked (the header badge).
    pub due: Option<usize>,
}

/// A token request as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: Option<String>,
    /// Defaults to the creator's role; never above it.
    pub role: Option<String>,
    /// Lifetime in days (default 90, at most 366).
    pub expires_in_days: Option<i64>,
}

/// A password change as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
}

/// A token as listed: the record and when it was last used (noted at most once a minute).
#[derive(Debug, Clone, Serialize)]
pub struct TokenView {
    #[serde(flatten)]
    pub token: ApiToken,
    pub last_used_at: Option<String>,
}

/// A token just created: the only time its secret is shown.
#[derive(Debug, Clone, Serialize)]
pub struct CreatedToken {
    pub token: ApiToken,
    pub secret: String,
}

impl App {
    /// Checks a username and password and opens a session. The same answer is given for an
    /// unknown user, a wrong password and a disabled account.
    pub async fn login(&self, username: &str, password: &str) -> Result<NewSession> {
        self.login_from(username, password, None, None).await
    }

    /// Signs in from `client` (its address, for the security trail). The session the browser
    /// held before (`previous`, its cookie secret) is ended, so a planted session cookie never
    /// survives a sign-in. After too many failures the account is locked for a while, and a
    /// locked account is refused whether or not the password is right.
    pub async fn login_from(
        &self,
        username: &str,
        password: &str,
        client: Option<&str>,
        previous: Option<&str>,
    ) -> Result<NewSession> {
        let username = username.trim();
        // Only names a user could have are counted, so arbitrary input cannot grow the table.
        let countable = aims_core::user::username(Some(username)).is_ok();
        let rule = self.lockout_rule();
        let mut conn = self.read().await?;
        let found = users::by_username(&mut conn, username).await?;
        let count = if countable {
            security::failures(&mut conn, username).await?
        } else {
            None
        };
        drop(conn);
        let note = |kind, detail: &'static str| Note {
            kind,
            username: countable.then_some(username),
            token_key: None,
            client,
            detail,
        };
        let now_s = Utc::now().timestamp();
        if rule.is_locked(count.as_ref(), now_s) {
            let mut tx = self.db.begin_write().await?;
            note(SecurityEventKind::LoginRefusedLocked, "")
                .write(tx.conn())
                .await?;
            tx.commit().await?;
            let wait = count
                .and_then(|c| c.locked_until)
                .map_or(0, |t| u64::try_from(t - now_s).unwrap_or(0));
            return Err(locked(wait));
        }
        let user = match found {
            Some((user, hash)) if verify_password(password, &hash) && !user.disabled => user,
            other => {
                if other.is_none() {
                    // Spend the same effort as a real check, so timing does not reveal usernames.
                    let _ = hash_password(password);
                }
                let mut tx = self.db.begin_write().await?;
                let detail = match &other {
                    None => "unknown user",
                    Some((u, _)) if u.disabled => "account disabled",
                    Some(_) => "wrong password",
                };
                note(SecurityEventKind::LoginFailed, detail)
                    .write(tx.conn())
                    .await?;
                if countable {
                    // Read again under the write lock: other processes count too.
                    let before = security::failures(tx.conn(), username).await?;
                    let after = rule.after_failure(before.as_ref(), now_s);
                    security::set_failures(tx.conn(), username, &after).await?;
                    if after.locked_until.is_some() {
                        note(SecurityEventKind::AccountLocked, "too many failed sign-ins")
                            .write(tx.conn())
                            .await?;
                    }
                }
                tx.commit().await?;
                return Err(AppError::Unauthenticated(
                    "unknown user or wrong password".into(),
                ));
            }
        };
        let mut tx = self.db.begin_write().await?;
        let session = self
            .open_session(&mut tx, &user.username, user.role, previous, client, "")
            .await?;
        tx.commit().await?;
        Ok(session)
    }

    /// Opens a web session for a user who has just proved who they are, inside `tx`: ends the
    /// session the browser held before (`previous`, its cookie secret), clears the user's failed
    /// sign-ins and records the sign-in in the security trail (`detail` says how, when not by
    /// password).
    pub(crate) async fn open_session(
        &self,
        tx: &mut aims_store::WriteTx,
        username: &str,
        role: Role,
        previous: Option<&str>,
        client: Option<&str>,
        detail: &str,
    ) -> Result<NewSession> {
        let secret = secret(32);
        let row = SessionRow {
            username: username.to_owned(),
            csrf: secret_csrf(),
            created_at: now(),
            expires_at: aims_core::time::format(after(self.settings.session_ttl)),
            last_seen_at: now(),
        };
        sessions::purge_expired(tx.conn(), &now()).await?;
        if let Some(old) = previous {
            sessions::delete(tx.conn(), &sha256_hex(old)).await?;
        }
        sessions::insert(tx.conn(), &sha256_hex(&secret), &row).await?;
        security::clear_failures(tx.conn(), username).await?;
        Note {
            kind: SecurityEventKind::LoginSucceeded,
            username: Some(username),
            token_key: None,
            client,
            detail,
        }
        .write(tx.conn())
        .await?;
        Ok(NewSession {
            secret,
            csrf: row.csrf,
            username: username.to_owned(),
            role,
            expires_at: row.expires_at,
        })
    }

    /// The actor behind a session cookie; expired, idle and disabled sessions are refused.
    pub async fn session(&self, secret: &str) -> Result<SessionActor> {
        let id = sha256_hex(secret);
        let mut conn = self.read().await?;
        let expired =
            || AppError::Unauthenticated("your session has expired; please sign in again".into());
        let row = sessions::get(&mut conn, &id).await?.ok_or_else(expired)?;
        let now_t = Utc::now();
        let idle_limit = aims_core::time::parse(&row.last_seen_at).map(|t| {
            t + chrono::Duration::from_std(self.settings.session_idle).unwrap_or_default()
        });
        let hard_limit = aims_core::time::parse(&row.expires_at);
        if hard_limit.is_none_or(|t| t < now_t) || idle_limit.is_none_or(|t| t < now_t) {
            drop(conn);
            let idle = hard_limit.is_some_and(|t| t >= now_t);
            let mut tx = self.db.begin_write().await?;
            sessions::delete(tx.conn(), &id).await?;
            Note {
                kind: SecurityEventKind::SessionExpired,
                username: Some(&row.username),
                token_key: None,
                client: None,
                detail: if idle {
                    "idle for too long"
                } else {
                    "reached its longest lifetime"
                },
            }
            .write(tx.conn())
            .await?;
            tx.commit().await?;
            return Err(expired());
        }
        let (user, _) = users::by_username(&mut conn, &row.username)
            .await?
            .ok_or_else(expired)?;
        drop(conn);
        if user.disabled {
            return Err(expired());
        }
        // Note activity at most once a minute, so reads do not each become a write.
        let last_seen = aims_core::time::parse(&row.last_seen_at);
        if last_seen.is_some_and(|t| now_t - t > chrono::Duration::minutes(1)) {
            let mut tx = self.db.begin_write().await?;
            sessions::touch(tx.conn(), &id, &now()).await?;
            tx.commit().await?;
        }
        Ok(SessionActor {
            actor: Actor {
                username: user.username,
                role: user.role,
                via: Via::Session,
            },
            csrf: row.csrf,
            due: None,
        })
    }

    /// Ends the session of `secret`, if it is still open.
    pub async fn logout(&self, secret: &str) -> Result<()> {
        self.logout_from(secret, None).await
    }

    /// Ends the session of `secret` and records who signed out from `client`.
    pub async fn logout_from(&self, secret: &str, client: Option<&str>) -> Result<()> {
        let id = sha256_hex(secret);
        let mut tx = self.db.begin_write().await?;
        if let Some(row) = sessions::get(tx.conn(), &id).await? {
            sessions::delete(tx.conn(), &id).await?;
            Note {
                kind: SecurityEventKind::Logout,
                username: Some(&row.username),
                token_key: None,
                client,
                detail: "",
            }
            .write(tx.conn())
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The actor behind an API token secret.
    pub async fn token_actor(&self, secret: &str) -> Result<Actor> {
        self.token_actor_from(secret, None, "").await
    }

    /// The actor behind an API token secret used from `client` for `what` (method and path).
    /// The use is recorded in the security trail at most once a minute per token, in the
    /// write that notes the token's last use, so reads do not each become a write.
    pub async fn token_actor_from(
        &self,
        secret: &str,
        client: Option<&str>,
        what: &str,
    ) -> Result<Actor> {
        let refused = || AppError::Unauthenticated("invalid, expired or revoked token".into());
        if !secret.starts_with(TOKEN_PREFIX) {
            return Err(refused());
        }
        let mut conn = self.read().await?;
        let (token, last_used) = tokens::by_hash(&mut conn, &sha256_hex(secret))
            .await?
            .ok_or_else(refused)?;
        let expired = aims_core::time::parse(&token.expires_at).is_none_or(|t| t < Utc::now());
        if token.revoked_at.is_some() || expired {
            return Err(refused());
        }
        let (owner, _) = users::by_username(&mut conn, &token.owner)
            .await?
            .ok_or_else(refused)?;
        // A token never acts above its owner, even after the owner's role was lowered.
        if owner.disabled || !owner.role.covers(token.role) {
            return Err(refused());
        }
        drop(conn);
        // Note the use at most once a minute, so that reads do not each become a write.
        let stale = last_used.as_deref().and_then(aims_core::time::parse);
        if stale.is_none_or(|t| Utc::now() - t > chrono::Duration::minutes(1)) {
            let mut tx = self.db.begin_write().await?;
            tokens::touch(tx.conn(), &token.key, &now()).await?;
            Note {
                kind: SecurityEventKind::TokenUsed,
                username: Some(&owner.username),
                token_key: Some(&token.key),
                client,
                detail: what,
            }
            .write(tx.conn())
            .await?;
            tx.commit().await?;
        }
        Ok(Actor {
            username: owner.username,
            role: token.role,
            via: Via::Token(token.key),
        })
    }

    /// Creates an API token for the actor. The secret is returned once and stored only hashed.
    pub async fn token_create(&self, actor: &Actor, input: &NewToken) -> Result<CreatedToken> {
        actor.require(Action::ManageOwnTokens)?;
        refuse_token(actor)?;
        let mut e = aims_core::ValidationErrors::default();
        let name = e.take(aims_core::text::required("name", input.name.as_deref()));
        let role = match input.role.as_deref() {
            Some(r) => e.take(Role::parse("role", r)),
            None => Some(actor.role),
        };
        if let Some(role) = role {
            if !actor.role.covers(role) {
                e.push(
                    "role",
                    format!("'{role}' is above your role '{}'", actor.role),
                );
            }
        }
        let days = input.expires_in_days.unwrap_or(90);
        if !(1..=MAX_TOKEN_DAYS).contains(&days) {
            e.push(
                "expires_in_days",
                format!("must be between 1 and {MAX_TOKEN_DAYS}"),
            );
        }
        let (Some(name), Some(role)) = (name, role) else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let secret = format!("{TOKEN_PREFIX}{}", secret(24));
        let mut tx = self.db.begin_write().await?;
        let n = aims_store::counters::next(tx.conn(), Kind::Token).await?;
        let token = ApiToken {
            key: Kind::Token.key(n),
            name,
            owner: actor.username.clone(),
            role,
            created_at: now(),
            expires_at: aims_core::time::format(Utc::now() + chrono::Duration::days(days)),
            revoked_at: None,
        };
        tokens::insert(tx.conn(), n, &token, &sha256_hex(&secret)).await?;
        record(
            &mut tx,
            actor,
            Kind::Token,
            &token.key,
            actions::CREATE,
            &token,
        )
        .await?;
        tx.commit().await?;
        Ok(CreatedToken { token, secret })
    }

    /// The actor's tokens; admins see everyone's.
    pub async fn token_list(&self, actor: &Actor) -> Result<Vec<TokenView>> {
        actor.require(Action::ManageOwnTokens)?;
        let owner = (actor.role != Role::Admin).then_some(actor.username.as_str());
        let found = tokens::list_with_use(&mut *self.read().await?, owner).await?;
        Ok(found
            .into_iter()
            .map(|(token, last_used_at)| TokenView {
                token,
                last_used_at,
            })
            .collect())
    }

    /// Revokes a token: its owner or an admin may.
    pub async fn token_revoke(&self, actor: &Actor, key: &str) -> Result<ApiToken> {
        actor.require(Action::ManageOwnTokens)?;
        refuse_token(actor)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut token = tokens::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("token {key}")))?;
        if token.owner != actor.username && actor.role != Role::Admin {
            return Err(AppError::not_found(format!("token {key}")));
        }
        if token.revoked_at.is_some() {
            return Err(AppError::conflict(
                "key",
                format!("token {key} is already revoked"),
            ));
        }
        let at = now();
        tokens::revoke(tx.conn(), &key, &at).await?;
        token.revoked_at = Some(at);
        record(&mut tx, actor, Kind::Token, &key, actions::REVOKE, &token).await?;
        tx.commit().await?;
        Ok(token)
    }
}

impl App {
    /// Changes the actor's own password. Every other session of the user ends; the one whose
    /// cookie secret is `keep` (the session making the change) stays open.
    pub async fn password_change(
        &self,
        actor: &Actor,
        keep: Option<&str>,
        input: &PasswordChange,
    ) -> Result<()> {
        if let Via::Token(_) = actor.via {
            return Err(AppError::Refused(
                "API tokens cannot change passwords; sign in to do so".into(),
            ));
        }
        let current = input.current_password.clone().unwrap_or_default();
        let new = input.new_password.clone().unwrap_or_default();
        let mut e = aims_core::ValidationErrors::default();
        if let Err(f) = aims_core::user::password_for(&actor.username, &new) {
            e.push("new_password", f.reason);
        }
        if !new.is_empty() && new == current {
            e.push("new_password", "must differ from the current password");
        }
        let found = users::by_username(&mut *self.read().await?, &actor.username).await?;
        let Some((user, old_hash)) = found else {
            return Err(AppError::not_found(format!("user '{}'", actor.username)));
        };
        if !verify_password(&current, &old_hash) {
            e.push("current_password", "is not correct");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let hash = hash_password(&new)?;
        let mut tx = self.db.begin_write().await?;
        users::set_password_hash(tx.conn(), &user.username, &hash).await?;
        let ended = match keep {
            Some(secret) => {
                sessions::delete_others(tx.conn(), &user.username, &sha256_hex(secret)).await?
            }
            None => sessions::delete_others(tx.conn(), &user.username, "").await?,
        };
        record(
            &mut tx,
            actor,
            Kind::User,
            &user.key,
            actions::SET_PASSWORD,
            &crate::users::state(&user, &hash),
        )
        .await?;
        Note {
            kind: SecurityEventKind::PasswordChanged,
            username: Some(&user.username),
            token_key: None,
            client: None,
            detail: &format!("{ended} other session(s) ended"),
        }
        .write(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Tokens never manage tokens: a leaked token must not be able to mint or revoke others.
fn refuse_token(actor: &Actor) -> Result<()> {
    match actor.via {
        Via::Token(_) => Err(AppError::Refused(
            "API tokens cannot create or revoke tokens; sign in to do so".into(),
        )),
        _ => Ok(()),
    }
}

fn secret_csrf() -> String {
    secret(16)
}

/// The refusal of a locked account: the same whether or not the password was right.
fn locked(retry_after: u64) -> AppError {
    AppError::Throttled {
        message: "this account is locked for a while after repeated failed sign-ins; try again \
                  later or ask an administrator to unlock it"
            .into(),
        retry_after: retry_after.max(1),
    }
}
