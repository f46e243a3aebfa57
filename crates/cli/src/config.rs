//! Locating the database: a SQLite file in the data directory, or a database URL.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cli::Global;

/// Name of the SQLite file inside the data directory.
pub const DB_FILE: &str = "aims.db";

/// Where the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `DIR/aims.db`.
    DataDir(PathBuf),
    /// A URL given with `--database-url`.
    Url(String),
}

impl Location {
    pub fn from_global(global: &Global) -> Location {
        match global.database_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => Location::Url(url.to_owned()),
            _ => Location::DataDir(global.data_dir.clone()),
        }
    }

    /// The SQLite file, when the database lives in the data directory.
    pub fn file(&self) -> Option<PathBuf> {
        match self {
            Location::DataDir(dir) => Some(dir.join(DB_FILE)),
            Location::Url(_) => None,
        }
    }

    /// The URL to connect with.
    pub fn url(&self) -> Result<String> {
        match self {
            Location::Url(url) => Ok(url.clone()),
            Location::DataDir(dir) => {
                let dir = std::path::absolute(dir)
                    .with_context(|| format!("cannot resolve {}", dir.display()))?;
                Ok(sqlite_url(&dir.join(DB_FILE)))
            }
        }
    }

    /// Creates the data directory if needed (for `init` and `demo`).
    pub fn prepare(&self) -> Result<()> {
        if let Location::DataDir(dir) = self {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        }
        Ok(())
    }

    /// Refuses a data directory that holds no database, rather than creating an empty one.
    pub fn require_existing(&self) -> Result<()> {
        if let Some(file) = self.file() {
            if !file.exists() {
                bail!(
                    "no aims database at {}; run `aims init` first (or pass --data-dir)",
                    file.display()
                );
            }
        }
        Ok(())
    }

    /// The location for messages, with any password in a URL hidden.
    pub fn describe(&self) -> String {
        match self {
            Location::DataDir(dir) => dir.join(DB_FILE).display().to_string(),
            Location::Url(url) => redact(url),
        }
    }
}

/// `sqlite://` URL of a file path, escaping what a URL would misread.
fn sqlite_url(path: &Path) -> String {
    let mut out = String::from("sqlite://");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3F"),
            '#' => out.push_str("%23"),
            ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

/// `postgres://user:secret@host/db` becomes `postgres://user:***@host/db`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_becomes_an_absolute_sqlite_url() {
        let loc = Location::DataDir(PathBuf::from("/srv/aims data"));
        assert_eq!(
            loc.url().ok().as_deref(),
            Some("sqlite:///srv/aims%20data/aims.db")
        );
        assert_eq!(loc.file(), Some(PathBuf::from("/srv/aims data/aims.db")));
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://aims:s3cret@db:5432/aims"),
            "postgres://aims:***@db:5432/aims"
        );
        assert_eq!(redact("postgres://db/aims"), "postgres://db/aims");
    }
}
