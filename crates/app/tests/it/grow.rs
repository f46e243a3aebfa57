//! Growing the organisation for load tests through the batch services, and the risk views kept
//! until the ledger moves on.

use aims_app::grow::GrowTarget;
use aims_core::risk::register::RiskInput;

use crate::harness::{add_system, backends, event_count, fresh, ok, root, row_count, system_input};
use crate::risks::{assessed, risk_input};

#[tokio::test]
async fn grow_adds_records_with_their_ledger_events() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = event_count(app).await;
        let target = GrowTarget {
            systems: Some(30),
            risks: Some(1_200),
        };
        let mut heard = Vec::new();
        let report = ok(
            b,
            app.grow(&root(), target, |what, done, _| {
                heard.push((what.to_owned(), done))
            })
            .await,
        );
        assert_eq!(
            (report.systems_added, report.risks_added),
            (30, 1_200),
            "{b}"
        );
        assert_eq!(row_count(app, "ai_systems").await, 30, "{b}");
        assert_eq!(row_count(app, "risks").await, 1_200, "{b}");
        // One create event per system and per risk, and the default method the first risk
        // put in force.
        assert_eq!(event_count(app).await - before, 1_231, "{b}");
        // Batches of 500: three for the risks.
        let risk_batches: Vec<usize> = heard
            .iter()
            .filter(|(w, _)| w == "risks")
            .map(|(_, n)| *n)
            .collect();
        assert_eq!(risk_batches, vec![500, 1_000, 1_200], "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        // Growing to what is there already adds nothing.
        let again = ok(b, app.grow(&root(), target, |_, _, _| {}).await);
        assert_eq!((again.systems_added, again.risks_added), (0, 0), "{b}");
    }
}

#[tokio::test]
async fn a_batch_with_one_bad_item_writes_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = event_count(app).await;
        let bad = RiskInput {
            owner: Some("nobody".into()),
            ..risk_input("Owned by no one")
        };
        let inputs = vec![risk_input("Fine"), bad, risk_input("Also fine")];
        let fields: Vec<String> = match app.risk_add_batch(&root(), &inputs).await {
            Err(e) => e.fields().into_iter().map(|f| f.field).collect(),
            Ok(r) => panic!("{b}: expected a refusal, added {}", r.len()),
        };
        assert_eq!(fields, vec!["items[1].owner".to_owned()], "{b}");
        assert_eq!(row_count(app, "risks").await, 0, "{b}");
        assert_eq!(event_count(app).await, before, "{b}");

        let systems = vec![system_input("One"), system_input("One")];
        let fields: Vec<String> = match app.system_add_batch(&root(), &systems).await {
            Err(e) => e.fields().into_iter().map(|f| f.field).collect(),
            Ok(r) => panic!("{b}: expected a refusal, added {}", r.len()),
        };
        assert_eq!(fields, vec!["items[1].name".to_owned()], "{b}");
        assert_eq!(row_count(app, "ai_systems").await, 0, "{b}");
    }
}

#[tokio::test]
async fn risk_views_follow_every_write() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_system(app, &system_input("Scoring")).await;
        ok(b, app.risk_add(&root(), &assessed("First", 5, 5)).await);
        let first = ok(b, app.risk_views(&root()).await);
        assert_eq!(first.inherent.total, 1, "{b}");
        // Asked again with nothing written: the same computed views.
        let same = ok(b, app.risk_views(&root()).await);
        assert!(std::sync::Arc::ptr_eq(&first, &same), "{b}");
        // A write moves the ledger on, so the next views count it.
        ok(b, app.risk_add(&root(), &assessed("Second", 1, 1)).await);
        let after = ok(b, app.risk_views(&root()).await);
        assert_eq!(after.inherent.total, 2, "{b}");
        assert_eq!(after.top.len(), 2, "{b}");
        // A clone of the app (another request handler) sees the same views.
        let clone = app.clone();
        let shared = ok(b, clone.risk_views(&root()).await);
        assert!(std::sync::Arc::ptr_eq(&after, &shared), "{b}");
    }
}

#[tokio::test]
async fn risk_views_rank_the_top_and_count_beyond_what_they_list() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        // 55 critical risks without treatment (5 x 5), then a high one (4 x 4): all above the
        // appetite; the top ten are the first critical ones by key.
        let mut inputs: Vec<RiskInput> = (1..=55)
            .map(|n| assessed(&format!("Critical {n}"), 5, 5))
            .collect();
        inputs.push(assessed("High", 4, 4));
        ok(b, app.risk_add_batch(&root(), &inputs).await);
        let views = ok(b, app.risk_views(&root()).await);
        let keys = |v: &[aims_core::risk::register::Risk]| -> Vec<String> {
            v.iter().map(|r| r.key.clone()).collect()
        };
        let first: Vec<String> = (1..=10).map(|n| format!("RSK-{n}")).collect();
        assert_eq!(keys(&views.top), first, "{b}: level, score, then key order");
        assert_eq!(
            views.above_appetite_untreated.len(),
            aims_app::risk_views::LISTED,
            "{b}"
        );
        assert_eq!(views.above_appetite_untreated[0].key, "RSK-1", "{b}");
        assert_eq!(views.above_appetite_untreated_count, 56, "{b}");
        assert_eq!((views.overdue.len(), views.overdue_count), (0, 0), "{b}");
        let owner = &views.per_owner[0];
        assert_eq!(
            (owner.name.as_str(), owner.open, owner.above_appetite),
            ("root", 56, 56),
            "{b}"
        );
        let org = &views.per_system[0];
        assert_eq!((org.name.as_str(), org.open), ("organisation", 56), "{b}");
    }
}
