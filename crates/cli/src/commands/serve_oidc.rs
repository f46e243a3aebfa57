//! `aims serve` settings for single sign-on: flags (or their `AIMS_OIDC_*` variables) first,
//! then the `[oidc]` table of aims.toml in the data directory, then defaults.

use std::path::Path;
use std::sync::Arc;

use aims_app::sso::{ConfigFile, Sso, SsoConfig};
use aims_app::AppError;
use anyhow::{Context, Result};
use clap::Args;

/// Name of the settings file inside the data directory.
pub const CONFIG_FILE: &str = "aims.toml";

#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Single sign-on (OpenID Connect)")]
pub struct OidcArgs {
    /// The OpenID provider's issuer URL; single sign-on is on when it is set.
    #[arg(long, env = "AIMS_OIDC_ISSUER", value_name = "URL")]
    pub oidc_issuer: Option<String>,
    #[arg(long, env = "AIMS_OIDC_CLIENT_ID", value_name = "ID")]
    pub oidc_client_id: Option<String>,
    /// Leave out for a public client (prefer the variable to the flag: flags show in `ps`).
    #[arg(
        long,
        env = "AIMS_OIDC_CLIENT_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub oidc_client_secret: Option<String>,
    #[arg(long, env = "AIMS_OIDC_REDIRECT_URL", value_name = "URL")]
    pub oidc_redirect_url: Option<String>,
    /// Scopes besides openid (default: "profile email").
    #[arg(long, env = "AIMS_OIDC_SCOPES", value_name = "SCOPES")]
    pub oidc_scopes: Option<String>,
    /// The claim that carries the user's groups or roles (default: roles, then groups).
    #[arg(long, env = "AIMS_OIDC_ROLE_CLAIM", value_name = "CLAIM")]
    pub oidc_role_claim: Option<String>,
    /// Claim values to aims roles, e.g. "aims-admins=admin,risk=risk_owner".
    #[arg(long, env = "AIMS_OIDC_ROLE_MAP", value_name = "VALUE=ROLE,...")]
    pub oidc_role_map: Option<String>,
    /// Role of users whose claim maps to none (default: none, and they are refused).
    #[arg(long, env = "AIMS_OIDC_DEFAULT_ROLE", value_name = "ROLE")]
    pub oidc_default_role: Option<String>,
    /// Button text: "Sign in with LABEL".
    #[arg(long, env = "AIMS_OIDC_LABEL", value_name = "LABEL")]
    pub oidc_label: Option<String>,
}

impl OidcArgs {
    fn layer(&self) -> SsoConfig {
        SsoConfig {
            issuer: self.oidc_issuer.clone(),
            client_id: self.oidc_client_id.clone(),
            client_secret: self.oidc_client_secret.clone(),
            redirect_url: self.oidc_redirect_url.clone(),
            scopes: self.oidc_scopes.clone(),
            role_claim: self.oidc_role_claim.clone(),
            role_map: self
                .oidc_role_map
                .clone()
                .map(aims_app::sso::config::RoleMapInput::Text),
            default_role: self.oidc_default_role.clone(),
            label: self.oidc_label.clone(),
        }
    }

    /// Single sign-on as configured, or `None`; `listen` is the address actually bound and
    /// `public_url` the `--public-url` given (the default redirect URL is it followed by
    /// /login/oidc/callback).
    pub fn resolve(
        &self,
        data_dir: &Path,
        listen: &str,
        public_url: Option<String>,
    ) -> Result<Option<Arc<Sso>>> {
        let file = read_file(&data_dir.join(CONFIG_FILE))?;
        let public_url = public_url
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{listen}"));
        let merged = self.layer().or(file.oidc.unwrap_or_default());
        let Some(settings) = merged.resolve(&public_url)? else {
            return Ok(None);
        };
        let sso = Sso::new(settings).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(Some(Arc::new(sso)))
    }
}

/// aims.toml, or nothing when the data directory has none.
fn read_file(path: &Path) -> Result<ConfigFile> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(ConfigFile::parse(&text)?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ConfigFile::default()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}
