//! Single sign-on with OpenID Connect: settings, the provider conversation, and signing a
//! provider's user in as a local aims user (provisioned on first sign-in, role from a claim).

pub mod config;
mod provider;
mod provision;

use chrono::Utc;
use sha2::{Digest, Sha256};
use thiserror::Error;

pub use config::{ConfigFile, SsoConfig, SsoSettings};
pub use provider::Identity;
use provider::Provider;

use crate::auth::NewSession;
use crate::record::now;
use crate::{App, AppError};

/// How long a sign-in may stay at the provider before it must be started again.
pub const PENDING_TTL_SECS: i64 = 600;

/// Why a single sign-on attempt failed; the text is written for the person signing in.
#[derive(Debug, Error)]
pub enum SsoError {
    #[error("The sign-in could not be matched to one started in this browser (it was used already, took longer than 10 minutes, or was started elsewhere). Please start again.")]
    StateMismatch,
    #[error("The identity provider refused the sign-in: {0}")]
    Denied(String),
    #[error("The identity provider could not be used ({0}). Please try again later or sign in with a password.")]
    Provider(String),
    #[error("The identity provider's answer did not pass the checks: {0}.")]
    Token(String),
    #[error("Your account has no role in aims: {0}. Ask an aims administrator to map one of your groups to a role.")]
    Unmapped(String),
    #[error("The aims account '{0}' is disabled. Ask an aims administrator to enable it.")]
    Disabled(String),
    #[error("The aims username '{0}' already belongs to another account, so it cannot be used for your single sign-on account. Ask an aims administrator.")]
    UsernameTaken(String),
    #[error("The identity provider sent no usable username (preferred_username, email or sub).")]
    NoUsername,
    #[error("{0}")]
    App(#[from] AppError),
}

impl SsoError {
    /// A short word for logs and security events.
    pub fn code(&self) -> &'static str {
        match self {
            SsoError::StateMismatch => "state_mismatch",
            SsoError::Denied(_) => "provider_denied",
            SsoError::Provider(_) => "provider_unavailable",
            SsoError::Token(_) => "token_rejected",
            SsoError::Unmapped(_) => "role_unmapped",
            SsoError::Disabled(_) => "user_disabled",
            SsoError::UsernameTaken(_) => "username_taken",
            SsoError::NoUsername => "no_username",
            SsoError::App(_) => "internal",
        }
    }

    /// The HTTP status of the page that reports it.
    pub fn status(&self) -> u16 {
        match self {
            SsoError::StateMismatch | SsoError::Token(_) => 400,
            SsoError::Denied(_) => 401,
            SsoError::Unmapped(_) | SsoError::Disabled(_) | SsoError::UsernameTaken(_) => 403,
            SsoError::NoUsername => 400,
            SsoError::Provider(_) => 502,
            SsoError::App(_) => 500,
        }
    }
}

/// Where to send the browser, and the state to keep in its cookie until it comes back.
#[derive(Debug, Clone)]
pub struct Started {
    pub url: String,
    pub state: String,
}

/// What the provider sent back to the callback, and the state the browser kept.
#[derive(Debug, Clone, Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
    pub browser_state: Option<String>,
}

/// A completed sign-in: the new session and where to go.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: NewSession,
    pub next: String,
}

/// Single sign-on as configured.
pub struct Sso {
    provider: Provider,
}

impl std::fmt::Debug for Sso {
    /// Names the provider only: the settings hold the client secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.settings().issuer)
            .field("client_id", &self.settings().client_id)
            .finish_non_exhaustive()
    }
}

fn state_hash(state: &str) -> String {
    hex::encode(Sha256::digest(state.as_bytes()))
}

impl Sso {
    pub fn new(settings: SsoSettings) -> Result<Sso, SsoError> {
        Ok(Sso {
            provider: Provider::new(settings)?,
        })
    }

    pub fn settings(&self) -> &SsoSettings {
        self.provider.settings()
    }

    /// Starts a sign-in: remembers its nonce, PKCE verifier and `next` under the state, and
    /// answers the provider's URL.
    pub async fn begin(&self, app: &App, next: &str) -> Result<Started, SsoError> {
        let auth = self.provider.authorize().await?;
        let expires = Utc::now() + chrono::Duration::seconds(PENDING_TTL_SECS);
        let pending = aims_store::identities::Pending {
            nonce: auth.nonce,
            pkce_verifier: auth.pkce_verifier,
            next_path: next.to_owned(),
            expires_at: aims_core::time::format(expires),
        };
        let mut tx = app.db.begin_write().await.map_err(AppError::from)?;
        aims_store::identities::purge_pending(tx.conn(), &now())
            .await
            .map_err(AppError::from)?;
        aims_store::identities::insert_pending(tx.conn(), &state_hash(&auth.state), &pending)
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        Ok(Started {
            url: auth.url,
            state: auth.state,
        })
    }

    /// Completes a sign-in from the provider's answer: the state must match the one this
    /// browser started (and is used up), the ID token must pass, the role claim must map.
    pub async fn finish(&self, app: &App, cb: &Callback) -> Result<SignedIn, SsoError> {
        let state = cb.state.as_deref().unwrap_or_default();
        let same_browser = cb.browser_state.as_deref() == Some(state);
        if state.is_empty() || !same_browser {
            return Err(SsoError::StateMismatch);
        }
        let mut tx = app.db.begin_write().await.map_err(AppError::from)?;
        let pending = aims_store::identities::take_pending(tx.conn(), &state_hash(state))
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        let pending = pending.ok_or(SsoError::StateMismatch)?;
        let expired = aims_core::time::parse(&pending.expires_at).is_none_or(|t| t < Utc::now());
        if expired {
            return Err(SsoError::StateMismatch);
        }
        if let Some(error) = cb.error.as_deref() {
            let said = cb.error_description.as_deref().unwrap_or(error);
            return Err(SsoError::Denied(said.to_owned()));
        }
        let code = cb
            .code
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| SsoError::Denied("no authorization code was sent".into()))?;
        let who = self
            .provider
            .identify(code, &pending.nonce, &pending.pkce_verifier)
            .await?;
        let session = app.sso_sign_in(self.settings(), &who).await?;
        Ok(SignedIn {
            session,
            next: pending.next_path,
        })
    }
}
