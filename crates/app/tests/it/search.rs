//! One search over every area: exact key first, then title, then text; permission-checked.

use aims_app::search::{Match, SearchResults};
use aims_core::Role;

use crate::harness::{add_system, add_user, backends, fresh, ok, root, system_input};
use crate::harness::{assert_invalid, invalid_fields};
use crate::risks::risk_input;

/// `(area, key, match)` of every hit, in order.
fn hits(r: &SearchResults) -> Vec<(String, String, Match)> {
    r.areas
        .iter()
        .flat_map(|a| {
            a.hits
                .iter()
                .map(|h| (a.area.clone(), h.key.clone(), h.matched))
        })
        .collect()
}

fn hit(area: &str, key: &str, m: Match) -> (String, String, Match) {
    (area.into(), key.into(), m)
}

#[tokio::test]
async fn keys_come_first_then_titles_then_text() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_system(app, &system_input("Fraud scoring")).await; // SYS-1
        let mut other = system_input("Churn model");
        other.purpose = Some("Flags customers likely to leave after fraud checks".into());
        add_system(app, &other).await; // SYS-2
        let mut by_text = risk_input("Unrelated title");
        by_text.cause = Some("A fraud ring learns the model's thresholds".into());
        ok(b, app.risk_add(&root(), &by_text).await); // RSK-1
        ok(
            b,
            app.risk_add(&root(), &risk_input("Fraud model drifts"))
                .await,
        ); // RSK-2

        let r = ok(b, app.search(&root(), "FRAUD", None).await);
        assert_eq!(
            hits(&r),
            vec![
                hit("systems", "SYS-1", Match::Title),
                hit("systems", "SYS-2", Match::Text),
                hit("risks", "RSK-2", Match::Title),
                hit("risks", "RSK-1", Match::Text),
            ],
            "{b}"
        );
        let first = &r.areas[0].hits[0];
        assert_eq!(
            (first.title.as_str(), first.href.as_str()),
            ("Fraud scoring", "/systems/SYS-1"),
            "{b}"
        );

        // A key as people type it: exact match, in its own area, ahead of every other area.
        let r = ok(b, app.search(&root(), " rsk-1 ", None).await);
        assert_eq!(
            hits(&r).first(),
            Some(&hit("risks", "RSK-1", Match::Key)),
            "{b}"
        );
        assert_eq!(r.areas[0].hits[0].title, "Unrelated title", "{b}");

        // A catalog requirement by its ID.
        let r = ok(b, app.search(&root(), "iso42001:a.6.2.4", None).await);
        assert_eq!(
            hits(&r).first(),
            Some(&hit("requirements", "ISO42001:A.6.2.4", Match::Key)),
            "{b}"
        );

        // At most `limit` per area.
        let r = ok(b, app.search(&root(), "fraud", Some(1)).await);
        assert_eq!(
            hits(&r),
            vec![
                hit("systems", "SYS-1", Match::Title),
                hit("risks", "RSK-2", Match::Title),
            ],
            "{b}"
        );
    }
}

#[tokio::test]
async fn wildcards_are_literal_and_nothing_found_is_empty() {
    for b in backends() {
        let t = fresh(b).await;
        add_system(&t.app, &system_input("Margin 100% check")).await;
        add_system(&t.app, &system_input("Margin 1000 check")).await;
        let r = ok(b, t.app.search(&root(), "100%", None).await);
        assert_eq!(hits(&r), vec![hit("systems", "SYS-1", Match::Title)], "{b}");
        let r = ok(b, t.app.search(&root(), "zzqx nothing", None).await);
        assert!(r.areas.is_empty(), "{b}: {:?}", hits(&r));
    }
}

#[tokio::test]
async fn users_are_found_by_admins_only() {
    for b in backends() {
        let t = fresh(b).await;
        let viewer = add_user(&t.app, "vera", Role::Viewer).await;
        let admin = ok(b, t.app.search(&root(), "vera", None).await);
        assert_eq!(hits(&admin), vec![hit("users", "vera", Match::Key)], "{b}");
        let own = ok(b, t.app.search(&viewer, "vera", None).await);
        assert!(own.areas.is_empty(), "{b}: {:?}", hits(&own));
    }
}

#[tokio::test]
async fn bad_text_and_limits_are_refused() {
    for b in backends() {
        let t = fresh(b).await;
        assert_invalid(b, t.app.search(&root(), " x ", None).await, "q");
        assert_invalid(b, t.app.search(&root(), &"a".repeat(201), None).await, "q");
        assert_eq!(
            invalid_fields(b, t.app.search(&root(), "fraud", Some(0)).await),
            vec!["limit".to_owned()],
            "{b}"
        );
        assert_invalid(b, t.app.search(&root(), "fraud", Some(101)).await, "limit");
    }
}
