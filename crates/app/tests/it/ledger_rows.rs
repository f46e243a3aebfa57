//! Entity rows changed behind the application's back are found and named.

use aims_core::ledger::Break;

use crate::harness::{backends, raw};
use crate::ledger_tamper::{eight_events, problem};

#[tokio::test]
async fn rows_changed_behind_the_app_are_named() {
    for b in backends() {
        // (d) an entity row edited.
        let t = eight_events(b).await;
        assert_eq!(
            raw(
                &t.app,
                "UPDATE ai_systems SET name = 'x' WHERE key = 'SYS-2'"
            )
            .await,
            1
        );
        let (p, message) = problem(b, &t.app).await;
        assert_eq!(
            p,
            Some(Break::EntityMismatch {
                kind: "ai_system".into(),
                key: "SYS-2".into(),
                last_seq: 8
            }),
            "{b}"
        );
        assert!(message.contains("SYS-2"), "{b}: {message}");

        // A password hash replaced behind the app.
        let t = eight_events(b).await;
        raw(
            &t.app,
            "UPDATE users SET password_hash = 'x' WHERE username = 'root'",
        )
        .await;
        let p = problem(b, &t.app).await.0;
        assert_eq!(
            p,
            Some(Break::EntityMismatch {
                kind: "user".into(),
                key: "USR-1".into(),
                last_seq: 1
            }),
            "{b}"
        );

        // (e) a row inserted outside aims ...
        let t = eight_events(b).await;
        raw(
            &t.app,
            "INSERT INTO context_issues (n, key, title, side, category, description, archived) \
             VALUES (99, 'CTX-99', 'Ghost', 'internal', 'other', 'Inserted by hand', 0)",
        )
        .await;
        let (p, message) = problem(b, &t.app).await;
        assert_eq!(
            p,
            Some(Break::EntityUnrecorded {
                kind: "context_issue".into(),
                key: "CTX-99".into()
            }),
            "{b}"
        );
        assert!(message.contains("CTX-99"), "{b}: {message}");

        // ... or deleted outside aims.
        let t = eight_events(b).await;
        assert_eq!(
            raw(&t.app, "DELETE FROM parties WHERE key = 'IP-1'").await,
            1
        );
        let (p, message) = problem(b, &t.app).await;
        assert_eq!(
            p,
            Some(Break::EntityMissing {
                kind: "interested_party".into(),
                key: "IP-1".into(),
                last_seq: 6
            }),
            "{b}"
        );
        assert!(message.contains("IP-1"), "{b}: {message}");
    }
}
