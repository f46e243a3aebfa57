//! Users and API tokens as recorded (their ledger states carry no secret).

use serde::Serialize;

use crate::error::FieldError;
use crate::role::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub key: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
    /// Where notification digests go; absent for users recorded without one, and then left out
    /// of the ledger state so that states recorded before addresses existed still verify.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub key: String,
    pub name: String,
    /// Username of the creator; the token acts as them.
    pub owner: String,
    pub role: Role,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// Usernames: 2 to 64 of lower-case letters, digits, `.`, `_` and `-`, starting with a letter.
pub fn username(value: Option<&str>) -> Result<String, FieldError> {
    let v = value.map(str::trim).unwrap_or_default();
    let ok = (2..=64).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(FieldError::new(
            "username",
            "must be 2 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter",
        ))
    }
}

/// Passwords: at least 12 characters and at most 1024.
pub fn password(value: &str) -> Result<(), FieldError> {
    let n = value.chars().count();
    if n < 12 {
        return Err(FieldError::new(
            "password",
            "must be at least 12 characters",
        ));
    }
    if n > 1024 {
        return Err(FieldError::new(
            "password",
            "must be at most 1024 characters",
        ));
    }
    Ok(())
}

/// A password for `username`: the policy of [`password`], and it must not contain the username.
pub fn password_for(username: &str, value: &str) -> Result<(), FieldError> {
    password(value)?;
    if !username.is_empty() && value.to_lowercase().contains(&username.to_lowercase()) {
        return Err(FieldError::new("password", "must not contain the username"));
    }
    Ok(())
}

/// Longest e-mail address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;

/// An optional e-mail address: empty means none. A plain `local@domain` with a dotted domain,
/// no spaces, no angle brackets or quotes, and no display name.
pub fn email(value: Option<&str>) -> Result<Option<String>, FieldError> {
    let v = value.map(str::trim).unwrap_or_default();
    if v.is_empty() {
        return Ok(None);
    }
    let bad = |reason: &str| Err(FieldError::new("email", reason.to_owned()));
    if v.len() > EMAIL_MAX {
        return bad("must be at most 254 characters");
    }
    let Some((local, domain)) = v.rsplit_once('@') else {
        return bad("must be an address like name@example.org");
    };
    let plain = |part: &str| {
        !part.is_empty()
            && part.chars().all(|c| {
                c.is_ascii_graphic()
                    && !matches!(
                        c,
                        '<' | '>' | '"' | ',' | ';' | '@' | '(' | ')' | '[' | ']' | '\\'
                    )
            })
    };
    let labels_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !plain(local) || local.len() > 64 || !labels_ok {
        return bad("must be an address like name@example.org");
    }
    Ok(Some(format!("{local}@{}", domain.to_ascii_lowercase())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email(Some("")), Ok(None));
        assert_eq!(email(None), Ok(None));
        assert_eq!(
            email(Some(" Grace.Hopper@Example.ORG ")),
            Ok(Some("Grace.Hopper@example.org".into()))
        );
        for bad in [
            "grace",
            "grace@",
            "@example.org",
            "grace@localhost",
            "a b@example.org",
            "g@exa_mple.org",
            "<g@example.org>",
            "g@-x.org",
        ] {
            let err = email(Some(bad)).err().map(|e| e.field);
            assert_eq!(err.as_deref(), Some("email"), "{bad}");
        }
    }

    #[test]
    fn usernames() {
        assert!(username(Some("alice.b")).is_ok());
        assert!(username(Some("Alice")).is_err());
        assert!(username(Some("1x")).is_err());
        assert!(password("short").is_err());
        assert!(password("a long enough passphrase").is_ok());
        assert!(password_for("alice", "a long enough passphrase").is_ok());
        let err = password_for("alice", "Alice's long passphrase");
        assert_eq!(
            err.map_err(|e| e.reason),
            Err("must not contain the username".to_owned())
        );
    }
}
