//! Opening databases at the wrong schema version.

use aims_app::{App, AppError, Settings};

use crate::harness::{backends, empty_database, event_count, fresh, ok, raw, row_count};

/// How many migrations this build has, and the latest version.
fn migrations() -> (i64, i64) {
    let all = aims_store::MIGRATIONS_SQLITE;
    (all.len() as i64, all.last().map_or(0, |m| m.0))
}

#[tokio::test]
async fn newer_schema_is_refused_and_left_untouched() {
    for b in backends() {
        let t = fresh(b).await;
        raw(
            &t.app,
            "INSERT INTO schema_version (version, name, applied_at) VALUES (999, 'from the future', '2099-01-01T00:00:00.000000Z')",
        )
        .await;
        match App::open(&t.url, Settings::default()).await {
            Err(AppError::Schema(e)) => {
                let m = e.to_string();
                assert!(m.contains("newer"), "{b}: {m}");
                assert!(m.contains("999"), "{b}: {m}");
            }
            other => panic!("{b}: expected a schema error, got {:?}", other.map(|_| ())),
        }
        // Migrating refuses too, and changes nothing.
        match App::open_and_migrate(&t.url, Settings::default()).await {
            Err(AppError::Schema(e)) => assert!(e.to_string().contains("newer"), "{b}: {e}"),
            other => panic!("{b}: expected a schema error, got {:?}", other.map(|_| ())),
        }
        let (count, latest) = migrations();
        assert_eq!(row_count(&t.app, "schema_version").await, count + 1, "{b}");
        assert_eq!(event_count(&t.app).await, 1, "{b}");
        let status = ok(b, t.app.db.schema_status().await.map_err(AppError::from));
        assert_eq!((status.found, status.known), (999, latest), "{b}");
    }
}

#[tokio::test]
async fn empty_database_is_not_initialised_until_migrated() {
    for b in backends() {
        let (url, _keep) = empty_database(b).await;
        match App::open(&url, Settings::default()).await {
            Err(AppError::Schema(e)) => {
                let m = e.to_string();
                assert!(m.contains("not initialised"), "{b}: {m}");
            }
            other => panic!("{b}: expected a schema error, got {:?}", other.map(|_| ())),
        }
        // `aims init` migrates; migrating again is a no-op; then it opens.
        let first = ok(b, App::open_and_migrate(&url, Settings::default()).await);
        first.db.close().await;
        let again = ok(b, App::open_and_migrate(&url, Settings::default()).await);
        assert_eq!(
            row_count(&again, "schema_version").await,
            migrations().0,
            "{b}"
        );
        again.db.close().await;
        let app = ok(b, App::open(&url, Settings::default()).await);
        assert_eq!(event_count(&app).await, 0, "{b}");
        app.db.close().await;
    }
}

#[tokio::test]
async fn unsupported_url_is_named() {
    let r = App::open("mysql://localhost/aims", Settings::default()).await;
    match r {
        Err(e) => assert!(e.to_string().contains("unsupported database URL"), "{e}"),
        Ok(_) => panic!("mysql accepted"),
    }
}
