//! Limits and checks for the text people type.

use crate::error::FieldError;

/// Longest one-line value (names, titles, units).
pub const SHORT: usize = 200;
/// Longest free text (descriptions, purposes, justifications).
pub const LONG: usize = 10_000;
/// Most entries in one list field.
pub const MAX_ITEMS: usize = 100;

/// A required one-line value: trimmed, not empty, at most `SHORT` characters.
pub fn required(field: &str, value: Option<&str>) -> Result<String, FieldError> {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    limited(field, value, SHORT)
}

/// A required free text: trimmed, not empty, at most `LONG` characters.
pub fn required_long(field: &str, value: Option<&str>) -> Result<String, FieldError> {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    limited(field, value, LONG)
}

/// An optional free text: trimmed; empty becomes `None`.
pub fn optional(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => limited(field, v, max).map(Some),
    }
}

/// A list of one-line values: each trimmed and non-empty, no duplicates, at most `MAX_ITEMS`.
pub fn list(field: &str, values: &[String]) -> Result<Vec<String>, FieldError> {
    if values.len() > MAX_ITEMS {
        return Err(FieldError::new(
            field,
            format!("has more than {MAX_ITEMS} entries"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let v = limited(field, v, SHORT)?;
        if !out.contains(&v) {
            out.push(v);
        }
    }
    Ok(out)
}

fn limited(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let n = value.chars().count();
    if n > max {
        return Err(FieldError::new(
            field,
            format!("is {n} characters long; the limit is {max}"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(field, "contains control characters"));
    }
    Ok(value.to_owned())
}

/// Splits a comma- or newline-separated value as typed in a form or on the command line.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', '\n'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_rejects_blank_and_long() {
        assert_eq!(required("name", Some("  x ")).unwrap_or_default(), "x");
        assert_eq!(
            required("name", Some("   ")).map_err(|e| e.reason),
            Err("is required".into())
        );
        let long = "a".repeat(SHORT + 1);
        let err = required("name", Some(&long)).err().map(|e| e.field);
        assert_eq!(err.as_deref(), Some("name"));
    }

    #[test]
    fn list_trims_and_dedups() {
        let got = list("units", &["a".into(), " a ".into(), "".into(), "b".into()]);
        assert_eq!(got, Ok(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(split_list("a, b\nc,,"), vec!["a", "b", "c"]);
    }
}
