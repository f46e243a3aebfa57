//! Single sign-on rules: which aims role a provider's claim grants, and which username a new
//! single sign-on user gets.

use serde_json::Value;

use crate::{FieldError, Role};

/// Claim values mapped to aims roles, as configured (`aims-admins=admin,risk=risk_owner`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMap {
    entries: Vec<(String, Role)>,
}

impl RoleMap {
    /// Parses `value=role` pairs separated by commas; `field` names the setting in errors.
    pub fn parse(field: &str, text: &str) -> Result<RoleMap, FieldError> {
        let mut entries = Vec::new();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((value, role)) = pair.rsplit_once('=') else {
                return Err(FieldError::new(
                    field,
                    format!("'{pair}' is not of the form claim-value=role"),
                ));
            };
            entries.push(Self::entry(field, value, role)?);
        }
        Ok(RoleMap { entries })
    }

    /// Builds a map from `(claim value, role)` pairs, as a configuration table gives them.
    pub fn from_pairs<'a>(
        field: &str,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<RoleMap, FieldError> {
        let entries = pairs
            .into_iter()
            .map(|(value, role)| Self::entry(field, value, role))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RoleMap { entries })
    }

    fn entry(field: &str, value: &str, role: &str) -> Result<(String, Role), FieldError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FieldError::new(field, "a claim value is empty"));
        }
        let role = Role::parse(field, role.trim()).map_err(|_| {
            FieldError::new(
                field,
                format!(
                    "'{}' (for '{value}') is not a role; use one of {}",
                    role.trim(),
                    Role::ALL
                        .iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        Ok((value.to_owned(), role))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn entries(&self) -> &[(String, Role)] {
        &self.entries
    }

    /// The highest role that any of the user's claim values maps to.
    pub fn resolve(&self, values: &[String]) -> Option<Role> {
        self.entries
            .iter()
            .filter(|(v, _)| values.iter().any(|have| have == v))
            .map(|(_, r)| *r)
            .max_by_key(|r| r.rank())
    }
}

/// The values of a role claim: one string, a list of strings, or a space separated string.
pub fn claim_values(claim: &Value) -> Vec<String> {
    match claim {
        Value::String(s) => s.split_whitespace().map(str::to_owned).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// The username a new single sign-on user gets: from the first usable of `preferred_username`,
/// `email` and `sub`, lower-cased, with characters aims does not allow in usernames turned into
/// `-` (and `@` into `.`), so that it passes [`crate::user::username`].
pub fn username_from(candidates: &[Option<&str>]) -> Option<String> {
    candidates.iter().flatten().find_map(|c| {
        let mut name: String = c
            .trim()
            .to_lowercase()
            .chars()
            .map(|ch| match ch {
                'a'..='z' | '0'..='9' | '.' | '_' | '-' => ch,
                '@' => '.',
                _ => '-',
            })
            .collect();
        if !name.starts_with(|ch: char| ch.is_ascii_lowercase()) {
            name.insert_str(0, "u-");
        }
        name.truncate(64);
        crate::user::username(Some(&name)).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(text: &str) -> RoleMap {
        RoleMap::parse("oidc.role_map", text).unwrap_or_default()
    }

    #[test]
    fn pairs_parse_and_map_to_roles() {
        let m = map("aims-admins=admin, risk = risk_owner,,readers=viewer");
        assert_eq!(
            m.entries(),
            &[
                ("aims-admins".to_owned(), Role::Admin),
                ("risk".to_owned(), Role::RiskOwner),
                ("readers".to_owned(), Role::Viewer),
            ]
        );
        assert_eq!(m.resolve(&["risk".into()]), Some(Role::RiskOwner));
        assert_eq!(m.resolve(&["nobody".into()]), None);
        assert_eq!(m.resolve(&[]), None);
    }

    #[test]
    fn the_highest_matching_role_wins() {
        let m = map("readers=viewer,risk=risk_owner,aims-admins=admin");
        let got = m.resolve(&["readers".into(), "aims-admins".into(), "risk".into()]);
        assert_eq!(got, Some(Role::Admin));
        let got = m.resolve(&["readers".into(), "risk".into()]);
        assert_eq!(got, Some(Role::RiskOwner));
    }

    #[test]
    fn a_value_may_contain_an_equals_sign() {
        let m = map("ou=groups=admin,risk=risk_owner");
        assert_eq!(m.resolve(&["ou=groups".into()]), Some(Role::Admin));
        assert_eq!(m.entries().len(), 2);
    }

    #[test]
    fn bad_pairs_name_the_setting_and_the_reason() {
        let e = RoleMap::parse("oidc.role_map", "admins").err();
        assert_eq!(e.as_ref().map(|e| e.field.as_str()), Some("oidc.role_map"));
        assert!(e.is_some_and(|e| e.reason.contains("'admins' is not of the form")));
        let e = RoleMap::parse("oidc.role_map", "admins=boss").err();
        assert!(e.is_some_and(|e| e.reason.starts_with("'boss' (for 'admins') is not a role")));
        let e = RoleMap::parse("oidc.role_map", "=admin").err();
        assert!(e.is_some_and(|e| e.reason == "a claim value is empty"));
    }

    #[test]
    fn table_pairs_build_the_same_map() {
        let m = RoleMap::from_pairs("oidc.role_map", [("a", "admin"), ("v", "viewer")]);
        assert_eq!(m.ok(), Some(map("a=admin,v=viewer")));
    }

    #[test]
    fn claim_values_take_lists_strings_and_numbers() {
        assert_eq!(claim_values(&json!(["a", "b", 7, null])), ["a", "b", "7"]);
        assert_eq!(claim_values(&json!("a b")), ["a", "b"]);
        assert_eq!(claim_values(&json!(null)), Vec::<String>::new());
        assert_eq!(claim_values(&json!({"a": 1})), Vec::<String>::new());
    }

    #[test]
    fn usernames_come_from_the_first_usable_claim() {
        assert_eq!(
            username_from(&[Some("Alice"), Some("a@x.org"), Some("s1")]).as_deref(),
            Some("alice")
        );
        assert_eq!(
            username_from(&[None, Some("Bob.Smith@Example.org"), Some("s1")]).as_deref(),
            Some("bob.smith.example.org")
        );
        assert_eq!(
            username_from(&[None, None, Some("248289761001")]).as_deref(),
            Some("u-248289761001")
        );
        assert_eq!(
            username_from(&[Some("Jürgen K")]).as_deref(),
            Some("j-rgen-k")
        );
        // Too short after cleaning: the next claim is used.
        assert_eq!(
            username_from(&[Some("x"), Some("carol")]).as_deref(),
            Some("carol")
        );
        assert_eq!(username_from(&[None, None, None]), None);
    }
}
