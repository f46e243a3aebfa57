//! Tampering with the ledger or the rows behind the application's back is found and named.

use aims_app::App;
use aims_core::inventory::SystemInput;
use aims_core::ledger::Break;

use crate::harness::{
    add_system, all_events, backends, event_count, fresh, ok, raw, root, sql_str, system_input,
    TestDb,
};
use crate::ledger::{issue, party};

/// A database with eight events: 1 USR-1, 2 SYS-1, 3 SYS-2, 4 CTX-1, 5 SYS-1 update, 6 IP-1,
/// 7 SYS-3, 8 SYS-2 update.
pub async fn eight_events(b: &str) -> TestDb {
    let t = fresh(b).await;
    let app = &t.app;
    add_system(app, &system_input("Credit scoring")).await;
    add_system(app, &system_input("Fraud detection")).await;
    ok(b, app.issue_add(&root(), &issue("Skills")).await);
    let patch = |p: &str| SystemInput {
        purpose: Some(p.into()),
        ..Default::default()
    };
    ok(
        b,
        app.system_update(&root(), "SYS-1", &patch("Scores loans"))
            .await,
    );
    ok(b, app.party_add(&root(), &party("Partner bank")).await);
    add_system(app, &system_input("Chat assistant")).await;
    ok(
        b,
        app.system_update(&root(), "SYS-2", &patch("Flags fraud"))
            .await,
    );
    assert_eq!(event_count(app).await, 8, "{b}");
    let report = ok(b, app.ledger_verify(&root(), None).await);
    assert!(report.intact, "{b}: {}", report.message);
    t
}

/// The first problem that plain verification reports, with its message.
pub async fn problem(b: &str, app: &App) -> (Option<Break>, String) {
    let report = ok(b, app.ledger_verify(&root(), None).await);
    assert_eq!(report.intact, report.problem.is_none(), "{b}");
    (report.problem, report.message)
}

#[tokio::test]
async fn edited_deleted_and_swapped_events_are_named() {
    for b in backends() {
        // (a) an event's data edited.
        let t = eight_events(b).await;
        raw(
            &t.app,
            r#"UPDATE ledger SET data = '{"tampered":true}' WHERE seq = 5"#,
        )
        .await;
        let (p, message) = problem(b, &t.app).await;
        assert_eq!(p, Some(Break::Hash { seq: 5 }), "{b}");
        assert!(message.contains("event 5"), "{b}: {message}");

        // ... and its own hash recomputed: the next event no longer links to it.
        let t = eight_events(b).await;
        let events = all_events(&t.app).await;
        let mut e = events[4].clone();
        e.data = r#"{"tampered":true}"#.into();
        let hash = e.body().hash(&e.prev_hash);
        raw(
            &t.app,
            &format!(
                "UPDATE ledger SET data = {}, hash = {} WHERE seq = 5",
                sql_str(&e.data),
                sql_str(&hash)
            ),
        )
        .await;
        assert_eq!(
            problem(b, &t.app).await.0,
            Some(Break::PrevHash { seq: 6 }),
            "{b}"
        );

        // (b) an event deleted: a gap; the last one deleted: the entity no longer matches.
        let t = eight_events(b).await;
        raw(&t.app, "DELETE FROM ledger WHERE seq = 4").await;
        let (p, message) = problem(b, &t.app).await;
        assert_eq!(
            p,
            Some(Break::Gap {
                expected_seq: 4,
                found_seq: 5
            }),
            "{b}"
        );
        assert!(message.contains("at 4"), "{b}: {message}");
        let t = eight_events(b).await;
        raw(&t.app, "DELETE FROM ledger WHERE seq = 8").await;
        let p = problem(b, &t.app).await.0;
        assert_eq!(
            p,
            Some(Break::EntityMismatch {
                kind: "ai_system".into(),
                key: "SYS-2".into(),
                last_seq: 3
            }),
            "{b}"
        );

        // (c) two events swapped, sequence numbers kept.
        let t = eight_events(b).await;
        raw(
            &t.app,
            "CREATE TABLE ledger_swap AS SELECT * FROM ledger WHERE seq IN (3, 4)",
        )
        .await;
        let columns = [
            "at",
            "actor",
            "kind",
            "key",
            "action",
            "data",
            "prev_hash",
            "hash",
        ];
        let sets: Vec<String> = columns
            .iter()
            .map(|c| {
                format!("{c} = (SELECT s.{c} FROM ledger_swap s WHERE s.seq = 7 - ledger.seq)")
            })
            .collect();
        let swapped = raw(
            &t.app,
            &format!("UPDATE ledger SET {} WHERE seq IN (3, 4)", sets.join(", ")),
        )
        .await;
        assert_eq!(swapped, 2, "{b}");
        raw(&t.app, "DROP TABLE ledger_swap").await;
        let keys: Vec<String> = all_events(&t.app)
            .await
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert_eq!(
            keys[2..4],
            ["CTX-1".to_string(), "SYS-2".to_string()],
            "{b}"
        );
        // Event 3 now carries event 4's link, which is not the hash of event 2.
        let (p, message) = problem(b, &t.app).await;
        assert_eq!(p, Some(Break::PrevHash { seq: 3 }), "{b}");
        assert!(message.contains("event 3"), "{b}: {message}");
    }
}
