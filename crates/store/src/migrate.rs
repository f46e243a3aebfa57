//! Schema migrations, embedded, append-only and named alike for both databases.

use chrono::Utc;
use sqlx::{Executor, Row};

use crate::error::ResultExt;
use crate::{Backend, Db, Result, StoreError};

/// `(version, name, sql)` for SQLite.
pub const MIGRATIONS_SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
    ),
    (
        2,
        "controls",
        include_str!("../migrations/sqlite/0002_controls.sql"),
    ),
    (3, "soa", include_str!("../migrations/sqlite/0003_soa.sql")),
    (
        4,
        "frameworks",
        include_str!("../migrations/sqlite/0004_frameworks.sql"),
    ),
    (
        5,
        "maturity",
        include_str!("../migrations/sqlite/0005_maturity.sql"),
    ),
    (
        6,
        "roadmap",
        include_str!("../migrations/sqlite/0006_roadmap.sql"),
    ),
    (
        7,
        "integrations",
        include_str!("../migrations/sqlite/0007_integrations.sql"),
    ),
    (
        8,
        "risk",
        include_str!("../migrations/sqlite/0008_risk.sql"),
    ),
    (
        9,
        "impact",
        include_str!("../migrations/sqlite/0009_impact.sql"),
    ),
    (
        10,
        "incidents",
        include_str!("../migrations/sqlite/0010_incidents.sql"),
    ),
    (
        11,
        "monitoring",
        include_str!("../migrations/sqlite/0011_monitoring.sql"),
    ),
    (
        12,
        "security",
        include_str!("../migrations/sqlite/0012_security.sql"),
    ),
    (
        13,
        "notifications",
        include_str!("../migrations/sqlite/0013_notifications.sql"),
    ),
    (14, "sso", include_str!("../migrations/sqlite/0014_sso.sql")),
    (
        15,
        "load",
        include_str!("../migrations/sqlite/0015_load.sql"),
    ),
    (
        16,
        "lists",
        include_str!("../migrations/sqlite/0016_lists.sql"),
    ),
    (
        17,
        "risk_views",
        include_str!("../migrations/sqlite/0017_risk_views.sql"),
    ),
];

/// `(version, name, sql)` for PostgreSQL.
pub const MIGRATIONS_POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "controls",
        include_str!("../migrations/postgres/0002_controls.sql"),
    ),
    (
        3,
        "soa",
        include_str!("../migrations/postgres/0003_soa.sql"),
    ),
    (
        4,
        "frameworks",
        include_str!("../migrations/postgres/0004_frameworks.sql"),
    ),
    (
        5,
        "maturity",
        include_str!("../migrations/postgres/0005_maturity.sql"),
    ),
    (
        6,
        "roadmap",
        include_str!("../migrations/postgres/0006_roadmap.sql"),
    ),
    (
        7,
        "integrations",
        include_str!("../migrations/postgres/0007_integrations.sql"),
    ),
    (
        8,
        "risk",
        include_str!("../migrations/postgres/0008_risk.sql"),
    ),
    (
        9,
        "impact",
        include_str!("../migrations/postgres/0009_impact.sql"),
    ),
    (
        10,
        "incidents",
        include_str!("../migrations/postgres/0010_incidents.sql"),
    ),
    (
        11,
        "monitoring",
        include_str!("../migrations/postgres/0011_monitoring.sql"),
    ),
    (
        12,
        "security",
        include_str!("../migrations/postgres/0012_security.sql"),
    ),
    (
        13,
        "notifications",
        include_str!("../migrations/postgres/0013_notifications.sql"),
    ),
    (
        14,
        "sso",
        include_str!("../migrations/postgres/0014_sso.sql"),
    ),
    (
        15,
        "load",
        include_str!("../migrations/postgres/0015_load.sql"),
    ),
    (
        16,
        "lists",
        include_str!("../migrations/postgres/0016_lists.sql"),
    ),
    (
        17,
        "risk_views",
        include_str!("../migrations/postgres/0017_risk_views.sql"),
    ),
];

/// Where a database stands against the migrations this build knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaStatus {
    pub found: i64,
    pub known: i64,
}

impl Db {
    fn migrations(&self) -> &'static [(i64, &'static str, &'static str)] {
        match self.backend() {
            Backend::Sqlite => MIGRATIONS_SQLITE,
            Backend::Postgres => MIGRATIONS_POSTGRES,
        }
    }

    /// The schema version of the database (0 when empty).
    pub async fn schema_status(&self) -> Result<SchemaStatus> {
        let known = self.migrations().last().map(|m| m.0).unwrap_or(0);
        let mut conn = self.reader().acquire().await.db()?;
        let found: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
            .fetch_one(&mut *conn)
            .await
            .db()?
            .try_get("v")
            .db()?;
        Ok(SchemaStatus { found, known })
    }

    /// Applies every migration the database lacks, each in its own transaction.
    /// A database from a newer aims is refused and left untouched.
    pub async fn migrate(&self) -> Result<SchemaStatus> {
        let status = self.schema_status().await?;
        if status.found > status.known {
            return Err(StoreError::NewerSchema {
                found: status.found,
                known: status.known,
            });
        }
        for (version, name, sql) in self.migrations().iter().filter(|m| m.0 > status.found) {
            let mut tx = self.begin_write().await?;
            tx.conn().execute(*sql).await.db()?;
            sqlx::query(
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(*version)
            .bind(*name)
            .bind(aims_core::time::format(Utc::now()))
            .execute(tx.conn())
            .await
            .db()?;
            tx.commit().await?;
            tracing::info!(version, name, "applied migration");
        }
        self.schema_status().await
    }

    /// Refuses to run on a database that is not at this build's schema version.
    pub async fn check_schema(&self) -> Result<()> {
        let s = self.schema_status().await?;
        if s.found > s.known {
            Err(StoreError::NewerSchema {
                found: s.found,
                known: s.known,
            })
        } else if s.found < s.known {
            Err(StoreError::NotInitialised {
                found: s.found,
                known: s.known,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migrations() {
        let names = |m: &[(i64, &str, &str)]| {
            m.iter()
                .map(|(v, n, _)| (*v, n.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(MIGRATIONS_SQLITE), names(MIGRATIONS_POSTGRES));
        let versions: Vec<i64> = MIGRATIONS_SQLITE.iter().map(|m| m.0).collect();
        assert!(
            versions.windows(2).all(|w| w[1] == w[0] + 1),
            "versions must be consecutive"
        );
    }
}
