//! A ledger long enough to be verified in parallel stretches: breaks are still named exactly,
//! and the first one in chain order wins.

use aims_core::keys::Kind;
use aims_core::ledger::{Break, Checkpoint, Event, EventBody};

use crate::harness::{add_system, backends, fresh, ok, raw, root, system_input};

/// Events in the long ledger (above the parallel threshold of 50,000).
const EVENTS: i64 = 60_000;

/// Appends update events repeating SYS-1's state, chained as the services chain them.
async fn top_up(app: &aims_app::App, b: &str) {
    let state = ok(b, app.system_get(&root(), "SYS-1").await);
    let data = aims_core::canonical::of(&state.system).unwrap_or_default();
    let head = ok(b, app.ledger_checkpoint(&root()).await);
    let (mut seq, mut prev) = (head.seq, head.hash);
    let at = "2026-11-28T00:00:00.000000Z";
    let mut batch = Vec::new();
    while seq < EVENTS {
        seq += 1;
        let body = EventBody {
            seq,
            at,
            actor: "root",
            kind: Kind::AiSystem.name(),
            key: "SYS-1",
            action: "update",
            data: &data,
        };
        let hash = body.hash(&prev);
        batch.push(Event {
            seq,
            at: at.into(),
            actor: "root".into(),
            kind: Kind::AiSystem.name().into(),
            key: "SYS-1".into(),
            action: "update".into(),
            data: data.clone(),
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    let mut tx = app
        .db
        .begin_write()
        .await
        .unwrap_or_else(|e| panic!("{b}: {e}"));
    aims_store::ledger::insert_chained(tx.conn(), &batch)
        .await
        .unwrap_or_else(|e| panic!("{b}: {e}"));
    tx.commit().await.unwrap_or_else(|e| panic!("{b}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_ledger_verifies_and_names_the_first_break() {
    for b in backends() {
        let t = fresh(b).await;
        add_system(&t.app, &system_input("Long ledger system")).await;
        top_up(&t.app, b).await;
        let report = ok(b, t.app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        assert_eq!((report.events, report.head.seq), (EVENTS, EVENTS), "{b}");

        let at_40k = ok(
            b,
            t.app.ledger_log(&root(), None, Some(40_001), Some(1)).await,
        );
        let good = Checkpoint {
            seq: 40_000,
            hash: at_40k[0].hash.clone(),
        };
        assert!(
            ok(b, t.app.ledger_verify(&root(), Some(&good)).await).intact,
            "{b}"
        );
        let forged = Checkpoint {
            seq: 40_000,
            hash: "0".repeat(64),
        };
        let report = ok(b, t.app.ledger_verify(&root(), Some(&forged)).await);
        assert_eq!(
            report.problem,
            Some(Break::Checkpoint { seq: 40_000 }),
            "{b}"
        );

        raw(
            &t.app,
            "UPDATE ledger SET data = '{\"tampered\":true}' WHERE seq = 45000",
        )
        .await;
        let report = ok(b, t.app.ledger_verify(&root(), None).await);
        assert_eq!(report.problem, Some(Break::Hash { seq: 45_000 }), "{b}");

        raw(&t.app, "DELETE FROM ledger WHERE seq = 10000").await;
        let report = ok(b, t.app.ledger_verify(&root(), None).await);
        assert_eq!(
            report.problem,
            Some(Break::Gap {
                expected_seq: 10_000,
                found_seq: 10_001
            }),
            "{b}: the earlier break wins"
        );
    }
}
