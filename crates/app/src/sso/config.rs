//! Single sign-on settings: the `[oidc]` table of aims.toml, `AIMS_OIDC_*` variables and
//! `aims serve` flags, merged in that order of precedence (flags first) and then checked.

use std::collections::BTreeMap;

use aims_core::sso::RoleMap;
use aims_core::Role;
use serde::Deserialize;

use crate::{AppError, Result};

/// The path of the callback below the public address.
pub const CALLBACK_PATH: &str = "/login/oidc/callback";
/// Role claims read when none is configured, in this order.
pub const DEFAULT_ROLE_CLAIMS: &[&str] = &["roles", "groups"];
/// Scopes asked for when none are configured (`openid` is always asked for).
pub const DEFAULT_SCOPES: &[&str] = &["profile", "email"];

/// A role map as a `value=role,...` string or, in aims.toml, a table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RoleMapInput {
    Text(String),
    Table(BTreeMap<String, String>),
}

/// One layer of settings, every one optional: what flags, the environment or aims.toml give.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoConfig {
    /// The provider's issuer URL; single sign-on is on when it is set.
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    /// Absent for a public client.
    pub client_secret: Option<String>,
    /// Default: the public address followed by [`CALLBACK_PATH`].
    pub redirect_url: Option<String>,
    /// Space or comma separated.
    pub scopes: Option<String>,
    pub role_claim: Option<String>,
    pub role_map: Option<RoleMapInput>,
    /// The role of users whose claim matches nothing; absent (or `none`) refuses them.
    pub default_role: Option<String>,
    /// The text of the sign-in button: "Sign in with LABEL".
    pub label: Option<String>,
}

/// aims.toml as far as single sign-on reads it; other tables are left to their readers.
#[derive(Debug, Default, Deserialize)]
pub struct ConfigFile {
    pub public_url: Option<String>,
    pub oidc: Option<SsoConfig>,
}

impl ConfigFile {
    /// Parses aims.toml; an error names the file's setting and what is wrong with it.
    pub fn parse(text: &str) -> Result<ConfigFile> {
        toml::from_str(text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text.get(..s.start).unwrap_or(text).matches('\n').count() + 1;
                    format!(" (line {line})")
                })
                .unwrap_or_default();
            AppError::invalid("aims.toml", format!("{}{at}", e.message()))
        })
    }
}

/// Checked settings of single sign-on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub role_claims: Vec<String>,
    pub role_map: RoleMap,
    pub default_role: Option<Role>,
    pub label: String,
}

fn given(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

fn http_url(field: &str, value: &str) -> Result<String> {
    let ok = (value.starts_with("https://") || value.starts_with("http://"))
        && value.split_once("://").is_some_and(|(_, rest)| {
            !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace)
        });
    if ok {
        Ok(value.to_owned())
    } else {
        Err(AppError::invalid(
            field,
            format!("'{value}' is not an http(s) URL"),
        ))
    }
}

impl SsoConfig {
    /// This layer, with any setting it lacks taken from `lower`.
    pub fn or(self, lower: SsoConfig) -> SsoConfig {
        SsoConfig {
            issuer: given(self.issuer).or(lower.issuer),
            client_id: given(self.client_id).or(lower.client_id),
            client_secret: given(self.client_secret).or(lower.client_secret),
            redirect_url: given(self.redirect_url).or(lower.redirect_url),
            scopes: given(self.scopes).or(lower.scopes),
            role_claim: given(self.role_claim).or(lower.role_claim),
            role_map: self.role_map.or(lower.role_map),
            default_role: given(self.default_role).or(lower.default_role),
            label: given(self.label).or(lower.label),
        }
    }

    /// Checks the merged settings. `None` when no issuer is set (single sign-on is off);
    /// `public_url` is where browsers reach aims, for the default redirect URL.
    pub fn resolve(self, public_url: &str) -> Result<Option<SsoSettings>> {
        let Some(issuer) = given(self.issuer) else {
            return Ok(None);
        };
        // Kept exactly as given: discovery checks that the provider names itself the same way.
        let issuer = http_url("oidc.issuer", &issuer)?;
        let client_id = given(self.client_id)
            .ok_or_else(|| AppError::invalid("oidc.client_id", "is required with oidc.issuer"))?;
        let redirect_url = match given(self.redirect_url) {
            Some(u) => http_url("oidc.redirect_url", &u)?,
            None => format!(
                "{}{CALLBACK_PATH}",
                http_url("public_url", public_url.trim().trim_end_matches('/'))?
            ),
        };
        let scopes: Vec<String> = match given(self.scopes) {
            Some(s) => s
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty() && *s != "openid")
                .map(str::to_owned)
                .collect(),
            None => DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect(),
        };
        let role_claims = match given(self.role_claim) {
            Some(c) => vec![c],
            None => DEFAULT_ROLE_CLAIMS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        };
        let role_map = match self.role_map {
            None => RoleMap::default(),
            Some(RoleMapInput::Text(t)) => RoleMap::parse("oidc.role_map", &t)?,
            Some(RoleMapInput::Table(t)) => RoleMap::from_pairs(
                "oidc.role_map",
                t.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            )?,
        };
        let default_role = match given(self.default_role) {
            None => None,
            Some(r) if r.eq_ignore_ascii_case("none") => None,
            Some(r) => Some(Role::parse("oidc.default_role", &r)?),
        };
        if role_map.is_empty() && default_role.is_none() {
            return Err(AppError::invalid(
                "oidc.role_map",
                "is required unless oidc.default_role is set: without either nobody could sign in",
            ));
        }
        Ok(Some(SsoSettings {
            issuer,
            client_id,
            client_secret: given(self.client_secret),
            redirect_url,
            scopes,
            role_claims,
            role_map,
            default_role,
            label: given(self.label).unwrap_or_else(|| "single sign-on".to_owned()),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: AppError) -> (String, String) {
        let f = e.fields();
        f.first()
            .map(|f| (f.field.clone(), f.reason.clone()))
            .unwrap_or_default()
    }

    fn base() -> SsoConfig {
        SsoConfig {
            issuer: Some("https://id.example.org/".into()),
            client_id: Some("aims".into()),
            role_map: Some(RoleMapInput::Text("aims-admins=admin".into())),
            ..SsoConfig::default()
        }
    }

    #[test]
    fn off_without_an_issuer() {
        assert_eq!(SsoConfig::default().resolve("http://x").ok(), Some(None));
    }

    #[test]
    fn defaults_fill_what_is_not_set() {
        let s = base().resolve("https://aims.example.org/").ok().flatten();
        let Some(s) = s else {
            panic!("settings expected");
        };
        assert_eq!(s.issuer, "https://id.example.org/");
        assert_eq!(
            s.redirect_url,
            "https://aims.example.org/login/oidc/callback"
        );
        assert_eq!(s.scopes, ["profile", "email"]);
        assert_eq!(s.role_claims, ["roles", "groups"]);
        assert_eq!(s.default_role, None);
        assert_eq!(s.client_secret, None);
        assert_eq!(s.label, "single sign-on");
        assert_eq!(
            s.role_map.resolve(&["aims-admins".into()]),
            Some(Role::Admin)
        );
    }

    #[test]
    fn flags_win_over_the_environment_and_the_file() {
        let flags = SsoConfig {
            client_id: Some("from-flag".into()),
            label: Some("  ".into()),
            ..SsoConfig::default()
        };
        let env = SsoConfig {
            client_id: Some("from-env".into()),
            label: Some("Corp ID".into()),
            scopes: Some("openid, email groups".into()),
            ..SsoConfig::default()
        };
        let merged = flags.or(env).or(base());
        assert_eq!(merged.client_id.as_deref(), Some("from-flag"));
        let s = merged.resolve("http://127.0.0.1:8042").ok().flatten();
        assert_eq!(s.as_ref().map(|s| s.label.as_str()), Some("Corp ID"));
        assert_eq!(
            s.map(|s| s.scopes),
            Some(vec!["email".to_owned(), "groups".to_owned()])
        );
    }

    #[test]
    fn the_file_takes_a_role_table_and_all_settings() {
        let file = ConfigFile::parse(
            r#"
public_url = "https://aims.example.org"
[oidc]
issuer = "https://id.example.org"
client_id = "aims"
client_secret = "s3cret"
role_claim = "groups"
default_role = "viewer"
label = "Example ID"
[oidc.role_map]
aims-admins = "admin"
risk = "risk_owner"
"#,
        );
        let Ok(file) = file else {
            panic!("file should parse");
        };
        assert_eq!(file.public_url.as_deref(), Some("https://aims.example.org"));
        let s = file.oidc.unwrap_or_default().resolve("http://unused");
        let Ok(Some(s)) = s else {
            panic!("settings expected");
        };
        assert_eq!(s.client_secret.as_deref(), Some("s3cret"));
        assert_eq!(s.role_claims, ["groups"]);
        assert_eq!(s.default_role, Some(Role::Viewer));
        assert_eq!(s.role_map.resolve(&["risk".into()]), Some(Role::RiskOwner));
        assert_eq!(s.label, "Example ID");
    }

    #[test]
    fn unknown_file_settings_are_named() {
        let e = ConfigFile::parse("[oidc]\nissuer = \"https://x\"\nclient = \"a\"\n").err();
        let (field, reason) = e.map(field_of).unwrap_or_default();
        assert_eq!(field, "aims.toml");
        assert!(reason.contains("unknown field `client`"), "{reason}");
        assert!(reason.contains("line 3"), "{reason}");
    }

    #[test]
    fn bad_settings_name_the_setting() {
        let cases = [
            (
                SsoConfig {
                    client_id: None,
                    ..base()
                },
                "oidc.client_id",
            ),
            (
                SsoConfig {
                    issuer: Some("id.example.org".into()),
                    ..base()
                },
                "oidc.issuer",
            ),
            (
                SsoConfig {
                    role_map: None,
                    ..base()
                },
                "oidc.role_map",
            ),
            (
                SsoConfig {
                    role_map: Some(RoleMapInput::Text("x=boss".into())),
                    ..base()
                },
                "oidc.role_map",
            ),
            (
                SsoConfig {
                    default_role: Some("chief".into()),
                    ..base()
                },
                "oidc.default_role",
            ),
            (
                SsoConfig {
                    redirect_url: Some("/cb".into()),
                    ..base()
                },
                "oidc.redirect_url",
            ),
        ];
        for (config, want) in cases {
            let got = config.resolve("http://127.0.0.1:1").err().map(field_of);
            assert_eq!(got.map(|g| g.0), Some(want.to_owned()));
        }
        let none = SsoConfig {
            role_map: None,
            default_role: Some("none".into()),
            ..base()
        };
        assert!(none.resolve("http://x").is_err());
        let viewer = SsoConfig {
            role_map: None,
            default_role: Some("viewer".into()),
            ..base()
        };
        let got = viewer
            .resolve("http://x")
            .ok()
            .flatten()
            .and_then(|s| s.default_role);
        assert_eq!(got, Some(Role::Viewer));
    }
}
