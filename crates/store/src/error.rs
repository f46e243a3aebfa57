use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A unique constraint refused a write; the services check first, so this is a last guard.
    #[error("a record with the same unique value already exists ({0})")]
    Unique(String),
    #[error(
        "the database has schema version {found}, newer than this aims knows ({known}); \
         run the aims release that created it, or a newer one"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("the database is not initialised (schema version {found} of {known}); run `aims init` first")]
    NotInitialised { found: i64, known: i64 },
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    #[error("unsupported database URL '{0}': use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
}

impl StoreError {
    /// Turns unique-constraint failures into [`StoreError::Unique`], the same on both databases.
    pub(crate) fn from_sqlx(e: sqlx::Error) -> Self {
        if let Some(db) = e.as_database_error() {
            if db.is_unique_violation() {
                return StoreError::Unique(db.message().to_owned());
            }
        }
        StoreError::Database(e)
    }
}

pub(crate) trait ResultExt<T> {
    fn db(self) -> Result<T, StoreError>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(StoreError::from_sqlx)
    }
}
