//! Checkpoints: history rewritten before one is found even when the chain is consistent.

use aims_core::inventory::SystemInput;
use aims_core::ledger::{Break, Checkpoint, EventBody};

use crate::harness::{all_events, backends, fresh, ok, raw, root, sql_str};
use crate::ledger::issue;
use crate::ledger_tamper::eight_events;

#[tokio::test]
async fn checkpoint_catches_rewritten_history() {
    for b in backends() {
        let t = eight_events(b).await;
        let app = &t.app;
        let cp = ok(b, app.ledger_checkpoint(&root()).await);
        assert_eq!(cp.seq, 8, "{b}");
        let patch = SystemInput {
            purpose: Some("Scores loans and cards".into()),
            ..Default::default()
        };
        ok(b, app.system_update(&root(), "SYS-1", &patch).await);
        ok(b, app.issue_add(&root(), &issue("Budget")).await);
        let report = ok(b, app.ledger_verify(&root(), Some(&cp)).await);
        assert!(report.intact, "{b}: {}", report.message);
        assert_eq!(
            (report.events, report.checkpoint.as_ref()),
            (10, Some(&cp)),
            "{b}"
        );

        // Checkpoints that do not match this ledger.
        for bad in [
            Checkpoint {
                seq: 8,
                hash: "0".repeat(64),
            },
            Checkpoint {
                seq: 99,
                hash: cp.hash.clone(),
            },
        ] {
            let report = ok(b, app.ledger_verify(&root(), Some(&bad)).await);
            assert_eq!(
                report.problem,
                Some(Break::Checkpoint { seq: bad.seq }),
                "{b}"
            );
        }

        // Rewrite event 2 (SYS-1's creation, superseded since) and re-chain everything after it.
        let mut events = all_events(app).await;
        let edited = events[1]
            .data
            .replace("Purpose of Credit scoring", "Rewritten history");
        assert_ne!(edited, events[1].data, "{b}");
        events[1].data = edited;
        let mut prev = events[0].hash.clone();
        for e in events.iter_mut().skip(1) {
            let body = EventBody {
                seq: e.seq,
                at: &e.at,
                actor: &e.actor,
                kind: &e.kind,
                key: &e.key,
                action: &e.action,
                data: &e.data,
            };
            e.prev_hash = prev;
            e.hash = body.hash(&e.prev_hash);
            prev = e.hash.clone();
            let sql = format!(
                "UPDATE ledger SET data = {}, prev_hash = {}, hash = {} WHERE seq = {}",
                sql_str(&e.data),
                sql_str(&e.prev_hash),
                sql_str(&e.hash),
                e.seq
            );
            assert_eq!(raw(app, &sql).await, 1, "{b}");
        }
        let plain = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            plain.intact,
            "{b}: the rewritten chain is consistent: {}",
            plain.message
        );
        assert_ne!(plain.head.hash, report.head.hash, "{b}");
        let checked = ok(b, app.ledger_verify(&root(), Some(&cp)).await);
        assert!(!checked.intact, "{b}");
        assert_eq!(checked.problem, Some(Break::Checkpoint { seq: 8 }), "{b}");
        assert!(
            checked.message.contains("checkpoint at event 8"),
            "{b}: {}",
            checked.message
        );
    }
}

#[tokio::test]
async fn checkpoint_before_the_first_event_must_be_genesis() {
    for b in backends() {
        let t = fresh(b).await;
        let genesis = Checkpoint {
            seq: 0,
            hash: aims_core::ledger::GENESIS.into(),
        };
        let report = ok(b, t.app.ledger_verify(&root(), Some(&genesis)).await);
        assert!(report.intact, "{b}: {}", report.message);
        for bad in [
            Checkpoint {
                seq: 0,
                hash: "not a hash".into(),
            },
            Checkpoint {
                seq: -3,
                hash: aims_core::ledger::GENESIS.into(),
            },
        ] {
            let report = ok(b, t.app.ledger_verify(&root(), Some(&bad)).await);
            assert_eq!(
                report.problem,
                Some(Break::Checkpoint { seq: bad.seq }),
                "{b}: {bad:?}"
            );
        }
    }
}
