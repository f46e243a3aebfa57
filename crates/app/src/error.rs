//! The one error type of the services, which every interface renders its own way.

use aims_core::{Action, FieldError, Role, ValidationErrors};
use aims_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// Bad input: every invalid field and why.
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// A unique value is taken or the record's state forbids the change.
    #[error("{0}")]
    Conflict(FieldError),
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("the {role} role may not {}", action.describe())]
    Forbidden { role: Role, action: Action },
    /// Refused for a reason other than the role (answered like [`AppError::Forbidden`]).
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Unauthenticated(String),
    /// Too many attempts: try again after the given number of seconds.
    #[error("{message}")]
    Throttled { message: String, retry_after: u64 },
    /// The database is from a newer aims, or not initialised.
    #[error("{0}")]
    Schema(StoreError),
    #[error("{0}")]
    Store(StoreError),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Invalid(ValidationErrors::single(field, reason))
    }

    pub fn conflict(field: impl Into<String>, reason: impl Into<String>) -> Self {
        AppError::Conflict(FieldError::new(field, reason))
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        AppError::NotFound { what: what.into() }
    }

    /// This error as met on item `i` of a batch: each field it names becomes `items[i].field`,
    /// and a missing record names the item too.
    pub fn in_item(self, i: usize) -> Self {
        let name = |f: FieldError| FieldError::new(format!("items[{i}].{}", f.field), f.reason);
        match self {
            AppError::Invalid(e) => {
                AppError::Invalid(ValidationErrors(e.0.into_iter().map(name).collect()))
            }
            AppError::Conflict(f) => AppError::Conflict(name(f)),
            AppError::NotFound { what } => AppError::NotFound {
                what: format!("{what} (items[{i}])"),
            },
            other => other,
        }
    }

    /// The fields named by this error, for forms and problem details.
    pub fn fields(&self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(e) => e.0.clone(),
            AppError::Conflict(f) => vec![f.clone()],
            _ => Vec::new(),
        }
    }

    /// A stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::NotFound { .. } => "not_found",
            AppError::Forbidden { .. } | AppError::Refused(_) => "forbidden",
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::Throttled { .. } => "too_many_attempts",
            AppError::Schema(_) => "schema",
            AppError::Store(_) | AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NewerSchema { .. } | StoreError::NotInitialised { .. } => {
                AppError::Schema(e)
            }
            StoreError::Unique(msg) => AppError::conflict("unique", msg),
            other => AppError::Store(other),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        AppError::Invalid(e)
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e.into())
    }
}
