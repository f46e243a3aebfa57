//! Typed errors, each naming the file, column or setting at fault.

use std::path::PathBuf;

/// Everything that can go wrong while monitoring; every variant is bad input.
#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    /// The file could not be opened or decoded.
    #[error("{path}: {message}")]
    Read { path: PathBuf, message: String },
    /// The schema names a column the file does not have.
    #[error("{path}: column '{column}' not found")]
    MissingColumn { path: PathBuf, column: String },
    /// A column holds values the metric cannot use.
    #[error("{path}: column '{column}': {message}")]
    Column {
        path: PathBuf,
        column: String,
        message: String,
    },
    /// The log schema is invalid.
    #[error("schema {path}: {message}")]
    Schema { path: PathBuf, message: String },
    /// The thresholds file is invalid or names a metric the report does not have.
    #[error("thresholds {path}: {message}")]
    Thresholds { path: PathBuf, message: String },
    /// The combination of inputs cannot be computed (e.g. no rows in a window).
    #[error("{0}")]
    Input(String),
}

impl MonitorError {
    pub(crate) fn read(path: &std::path::Path, e: impl std::fmt::Display) -> MonitorError {
        MonitorError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }

    pub(crate) fn column(
        path: &std::path::Path,
        column: &str,
        message: impl Into<String>,
    ) -> MonitorError {
        MonitorError::Column {
            path: path.to_path_buf(),
            column: column.to_string(),
            message: message.into(),
        }
    }
}

/// Result with [`MonitorError`].
pub type Result<T> = std::result::Result<T, MonitorError>;
