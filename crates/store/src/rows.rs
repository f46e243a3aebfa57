//! Reading rows into domain values: words back into vocabularies, JSON text back into lists.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::StoreError;

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, StoreError> {
    row.try_get::<Option<String>, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

pub(crate) fn int(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    row.try_get::<i64, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

pub(crate) fn flag(row: &AnyRow, col: &str) -> Result<bool, StoreError> {
    int(row, col).map(|v| v != 0)
}

/// A vocabulary word stored in `col`.
pub(crate) fn word<T>(
    row: &AnyRow,
    col: &str,
    parse: fn(&str, &str) -> Result<T, aims_core::FieldError>,
) -> Result<T, StoreError> {
    let t = text(row, col)?;
    parse(col, &t).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A JSON value stored as text in `col`.
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    row: &AnyRow,
    col: &str,
) -> Result<T, StoreError> {
    let t = text(row, col)?;
    serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

/// Serialises a value for a JSON text column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}
