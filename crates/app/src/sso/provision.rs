//! Signing a provider's user in: the role from the claim, the local user found by its link to
//! the provider's subject (or provisioned on first sign-in), the role brought in line, and a
//! normal web session opened. Every change to the user is a ledger event of the user.

use aims_core::keys::Kind;
use aims_core::ledger::actions;
use aims_core::user::User;
use aims_core::Role;
use aims_store::{identities, users};

use super::{Identity, SsoError, SsoSettings};
use crate::auth::NewSession;
use crate::record::{now, record};
use crate::users::state;
use crate::{Actor, App, AppError};

/// What single sign-on users have instead of a password hash: no password matches it, so
/// they cannot sign in with a password.
pub const NO_PASSWORD: &str = "!sso";

/// The role the claim grants, or why there is none.
pub fn role_for(settings: &SsoSettings, who: &Identity) -> Result<Role, SsoError> {
    if let Some(role) = settings.role_map.resolve(&who.role_values) {
        return Ok(role);
    }
    if let Some(role) = settings.default_role {
        return Ok(role);
    }
    let reason = match &who.role_claim {
        None => format!(
            "the identity provider sent no {} claim",
            settings.role_claims.join(" or ")
        ),
        Some(claim) if who.role_values.is_empty() => format!("your '{claim}' claim is empty"),
        Some(claim) => format!(
            "none of your '{claim}' values ({}) is mapped to an aims role",
            who.role_values.join(", ")
        ),
    };
    Err(SsoError::Unmapped(reason))
}

impl App {
    /// Signs in a user whom the provider vouched for: provisions them on first sign-in, applies
    /// the role their claim maps to, and opens a web session. Nothing is written when refused.
    pub async fn sso_sign_in(
        &self,
        settings: &SsoSettings,
        who: &Identity,
    ) -> Result<NewSession, SsoError> {
        let role = role_for(settings, who)?;
        // aims acts on the provider's word; the ledger names it so.
        let actor = Actor {
            username: "aims (single sign-on)".into(),
            ..Actor::system()
        };
        let at = now();
        let mut tx = self.db.begin_write().await.map_err(AppError::from)?;
        let linked = identities::username_for(tx.conn(), &who.issuer, &who.subject)
            .await
            .map_err(AppError::from)?;
        let user: User = match linked {
            Some(username) => {
                let (mut user, hash) = users::by_username(tx.conn(), &username)
                    .await
                    .map_err(AppError::from)?
                    .ok_or_else(|| {
                        AppError::Internal(format!("linked user '{username}' is gone"))
                    })?;
                if user.disabled {
                    return Err(SsoError::Disabled(user.username));
                }
                if user.role != role {
                    users::set_role(tx.conn(), &user.username, role)
                        .await
                        .map_err(AppError::from)?;
                    user.role = role;
                    record(
                        &mut tx,
                        &actor,
                        Kind::User,
                        &user.key,
                        actions::UPDATE,
                        &state(&user, &hash),
                    )
                    .await?;
                }
                identities::touch(tx.conn(), &who.issuer, &who.subject, &at)
                    .await
                    .map_err(AppError::from)?;
                user
            }
            None => {
                let username = aims_core::sso::username_from(&[
                    who.preferred_username.as_deref(),
                    who.email.as_deref(),
                    Some(who.subject.as_str()),
                ])
                .ok_or(SsoError::NoUsername)?;
                if users::by_username(tx.conn(), &username)
                    .await
                    .map_err(AppError::from)?
                    .is_some()
                {
                    return Err(SsoError::UsernameTaken(username));
                }
                let display_name = who
                    .name
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(|n| n.chars().take(aims_core::text::SHORT).collect::<String>())
                    .unwrap_or_else(|| username.clone());
                let n = aims_store::counters::next(tx.conn(), Kind::User)
                    .await
                    .map_err(AppError::from)?;
                let user = User {
                    key: Kind::User.key(n),
                    username,
                    display_name,
                    role,
                    disabled: false,
                    created_at: at.clone(),
                    // The provider's address when it is a plain one; notifications go there.
                    email: aims_core::user::email(who.email.as_deref()).ok().flatten(),
                };
                users::insert(tx.conn(), n, &user, NO_PASSWORD)
                    .await
                    .map_err(AppError::from)?;
                identities::link(tx.conn(), &who.issuer, &who.subject, &user.username, &at)
                    .await
                    .map_err(AppError::from)?;
                record(
                    &mut tx,
                    &actor,
                    Kind::User,
                    &user.key,
                    actions::CREATE,
                    &state(&user, NO_PASSWORD),
                )
                .await?;
                user
            }
        };
        let session = self
            .open_session(
                &mut tx,
                &user.username,
                user.role,
                None,
                None,
                "single sign-on",
            )
            .await?;
        tx.commit().await.map_err(AppError::from)?;
        Ok(session)
    }
}
