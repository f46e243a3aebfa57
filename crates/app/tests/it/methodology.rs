//! The risk method: recorded on first use, versions that re-score every risk with the history
//! kept, 3x3 methods, TOML in and out, refusals that write nothing.

use aims_app::methodology::{parse_toml, to_toml};
use aims_app::AppError;
use aims_core::risk::methodology::{default_doc, square_doc, RiskLevel};
use aims_core::risk::register::RiskStatus;

use crate::harness::{
    all_events, assert_conflict, backends, fresh, invalid_fields, ok, root, snapshot,
};
use crate::risks::assessed;

#[tokio::test]
async fn the_default_is_recorded_once() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let shown = ok(b, app.methodology_show(&root()).await);
        assert_eq!(
            (shown.version, shown.doc.clone()),
            (0, default_doc()),
            "{b}: not yet recorded"
        );
        assert!(
            ok(b, app.methodology_history(&root()).await).is_empty(),
            "{b}"
        );
        let m = ok(b, app.methodology_init(&root()).await);
        assert_eq!(
            (m.key.as_str(), m.version, m.created_by.as_str()),
            ("MTH-1", 1, "root"),
            "{b}"
        );
        assert_conflict(b, app.methodology_init(&root()).await, "methodology");
        let same = ok(b, app.methodology_set(&root(), default_doc()).await);
        assert_eq!(
            (same.methodology.version, same.rescored),
            (1, 0),
            "{b}: unchanged records nothing"
        );
        assert_eq!(
            ok(b, app.methodology_history(&root()).await).len(),
            1,
            "{b}"
        );
    }
}

#[tokio::test]
async fn a_new_version_rescores_every_risk_and_keeps_the_old_scores() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        // 3 x 3 is medium under the default; 5 x 5 critical.
        ok(b, app.risk_add(&root(), &assessed("Middle", 3, 3)).await);
        ok(b, app.risk_add(&root(), &assessed("Top", 5, 5)).await);
        let rosa = crate::harness::add_user(app, "rosa", aims_core::Role::RiskOwner).await;
        let r = ok(
            b,
            app.risk_accept(
                &rosa,
                "RSK-1",
                &aims_core::risk::register::AcceptInput {
                    reason: Some("Small".into()),
                },
            )
            .await,
        );
        assert_eq!(r.status, RiskStatus::Accepted, "{b}");

        // The same scales, a stricter matrix: 3 x 3 becomes high.
        let mut stricter = default_doc();
        stricter.name = "Stricter".into();
        stricter.matrix[2][2] = RiskLevel::High;
        stricter.matrix[2][3] = RiskLevel::High;
        stricter.matrix[3][2] = RiskLevel::High;
        let change = ok(b, app.methodology_set(&root(), stricter).await);
        assert_eq!(
            (change.methodology.key.as_str(), change.rescored),
            ("MTH-2", 2),
            "{b}"
        );

        let d = ok(b, app.risk_get(&root(), "RSK-1").await);
        assert_eq!(d.risk.inherent_level(), Some(RiskLevel::High), "{b}");
        assert_eq!(d.risk.scores.methodology_version, 2, "{b}");
        assert_eq!(
            d.risk.status,
            RiskStatus::Assessed,
            "{b}: the acceptance was of medium; it no longer holds"
        );
        let history: Vec<(i64, Option<RiskLevel>)> = d
            .score_history
            .iter()
            .map(|s| (s.methodology_version, s.inherent.map(|x| x.level)))
            .collect();
        assert_eq!(
            history,
            vec![(1, Some(RiskLevel::Medium)), (2, Some(RiskLevel::High))],
            "{b}: the score under MTH-1 is kept"
        );

        // A 3x3 method moves values onto its scales: 3 -> 2 and 5 -> 3.
        let change = ok(b, app.methodology_set(&root(), square_doc(3)).await);
        assert_eq!(change.methodology.version, 3, "{b}");
        let top = ok(b, app.risk_get(&root(), "RSK-2").await);
        let inherent = top.risk.inherent.clone().map(|i| i.estimate.likelihood);
        assert_eq!(
            (inherent, top.risk.inherent_level()),
            (Some(3), Some(RiskLevel::Critical)),
            "{b}"
        );
        let mid = ok(b, app.risk_get(&root(), "RSK-1").await);
        assert_eq!(
            mid.risk
                .scores
                .inherent
                .map(|s| (s.likelihood, s.impact, s.level)),
            Some((2, 2, RiskLevel::Medium)),
            "{b}"
        );
        assert_eq!(mid.score_history.len(), 3, "{b}");
        // Under the 3x3 method, 4 is off the scale.
        let refused = app.risk_add(&root(), &assessed("Off scale", 4, 1)).await;
        assert_eq!(invalid_fields(b, refused), vec!["likelihood"], "{b}");

        let rescored = all_events(app)
            .await
            .into_iter()
            .filter(|e| e.action == "rescore")
            .count();
        assert_eq!(rescored, 4, "{b}: two risks, two changes");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn methods_read_and_write_as_toml() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let text = to_toml(&default_doc());
        assert_eq!(
            parse_toml(&text).ok(),
            Some(default_doc()),
            "{b}: round trip"
        );
        let four = to_toml(&square_doc(4));
        let change = ok(b, app.methodology_set_toml(&root(), &four).await);
        assert_eq!(change.methodology.doc.likelihood_levels(), 4, "{b}");

        let before = snapshot(app).await;
        let broken = app.methodology_set_toml(&root(), "name = [").await;
        assert_eq!(invalid_fields(b, broken), vec!["content"], "{b}");
        let unknown = app
            .methodology_set_toml(&root(), &format!("colour = \"red\"\n{text}"))
            .await;
        match unknown {
            Err(AppError::Invalid(e)) => assert!(
                e.0[0].reason.starts_with("line 1, colour: "),
                "{b}: the line and key are named: {}",
                e.0[0].reason
            ),
            other => panic!("{b}: expected Invalid, got {other:?}"),
        }
        let mut bad = default_doc();
        bad.matrix.pop();
        bad.review_days.clear();
        let fields = invalid_fields(b, app.methodology_set(&root(), bad).await);
        assert_eq!(
            fields,
            vec![
                "matrix",
                "review_days.low",
                "review_days.medium",
                "review_days.high",
                "review_days.critical"
            ],
            "{b}"
        );
        assert_eq!(snapshot(app).await, before, "{b}: nothing written");
    }
}
