//! Concurrent writers: every write succeeds and the ledger stays one gap-free chain.

use std::collections::BTreeSet;

use aims_app::{App, Settings};
use aims_core::inventory::SystemInput;

use crate::harness::{
    all_events, backends, empty_database, event_count, fresh, ok, root, system_input, PASSWORD,
};

/// Adds `n` systems named `{prefix} {i}` from concurrent tasks; returns their keys.
async fn add_concurrently(apps: &[App], prefix: &str, n: usize) -> Vec<String> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let app = apps[i % apps.len()].clone();
            let name = format!("{prefix} {i}");
            tokio::spawn(async move { app.system_add(&root(), &system_input(&name)).await })
        })
        .collect();
    let mut keys = Vec::new();
    for task in tasks {
        let view = task
            .await
            .unwrap_or_else(|e| panic!("task: {e}"))
            .unwrap_or_else(|e| panic!("system_add: {e:?}"));
        keys.push(view.system.key);
    }
    keys
}

async fn assert_chain(b: &str, app: &App, expected: i64) {
    let seqs: Vec<i64> = all_events(app).await.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=expected).collect::<Vec<_>>(), "{b}: no gap");
    let report = ok(b, app.ledger_verify(&root(), None).await);
    assert!(report.intact, "{b}: {}", report.message);
    assert_eq!(report.events, expected, "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn fifty_concurrent_adds() {
    for b in backends() {
        let t = fresh(b).await;
        let n0 = event_count(&t.app).await;
        let keys = add_concurrently(std::slice::from_ref(&t.app), "System", 50).await;
        let unique: BTreeSet<&String> = keys.iter().collect();
        assert_eq!(unique.len(), 50, "{b}: {keys:?}");
        let expected: BTreeSet<String> = (1..=50).map(|i| format!("SYS-{i}")).collect();
        assert_eq!(
            keys.iter().cloned().collect::<BTreeSet<_>>(),
            expected,
            "{b}"
        );
        assert_eq!(event_count(&t.app).await, 50 + n0, "{b}");
        assert_chain(b, &t.app, 50 + n0).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn two_processes_and_updates_of_one_system() {
    for b in backends() {
        let t = fresh(b).await;
        // A second App on the same database stands for a second `aims serve` process.
        let other = ok(b, App::open(&t.url, Settings::default()).await);
        let apps = [t.app.clone(), other.clone()];
        let n0 = event_count(&t.app).await;
        let keys = add_concurrently(&apps, "Shared", 40).await;
        assert_eq!(keys.iter().collect::<BTreeSet<_>>().len(), 40, "{b}");

        // Concurrent updates of one system: each records its own event.
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let app = apps[i % 2].clone();
                tokio::spawn(async move {
                    let patch = SystemInput {
                        purpose: Some(format!("Revision {i}")),
                        ..Default::default()
                    };
                    app.system_update(&root(), "SYS-1", &patch).await
                })
            })
            .collect();
        for task in tasks {
            let r = task.await.unwrap_or_else(|e| panic!("task: {e}"));
            ok(b, r);
        }
        assert_chain(b, &t.app, n0 + 40 + 20).await;
        other.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn only_one_concurrent_bootstrap_wins() {
    for b in backends() {
        let (url, _keep) = empty_database(b).await;
        let app = ok(b, App::open_and_migrate(&url, Settings::default()).await);
        let tasks: Vec<_> = ["first", "second", "third"]
            .into_iter()
            .map(|name| {
                let app = app.clone();
                tokio::spawn(async move { app.bootstrap_admin(name, PASSWORD).await })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap_or_else(|e| panic!("task: {e}")) {
                Ok(_) => won += 1,
                Err(e) => assert_eq!(e.code(), "conflict", "{b}: {e}"),
            }
        }
        let users = ok(b, app.user_list(&root()).await);
        assert_eq!((won, users.len()), (1, 1), "{b}: {users:?}");
        app.db.close().await;
    }
}
