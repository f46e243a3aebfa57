//! Timestamps are UTC text with microseconds; due and review dates are calendar dates.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::error::FieldError;

/// Formats a UTC instant the way aims stores it (RFC 3339, microseconds, `Z`).
pub fn format(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses a stored timestamp.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Parses an optional calendar date (`YYYY-MM-DD`); empty means none.
pub fn date(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, FieldError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                FieldError::new(field, format!("'{v}' is not a date (expected YYYY-MM-DD)"))
            }),
    }
}
