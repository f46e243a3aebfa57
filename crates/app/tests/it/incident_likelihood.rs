//! Incidents inform likelihood: a risk shows the likelihood its systems' incidents of the last
//! year suggest, beside its estimate, without changing it; older incidents, other systems'
//! incidents and a method without yearly frequencies suggest nothing.

use aims_core::incident::IncidentInput;
use aims_core::risk::methodology::square_doc;
use aims_core::risk::register::RiskInput;

use crate::harness::{add_system, backends, fresh, ok, root, system_input};
use crate::incidents::incident_input;
use crate::risks::assessed;

fn recent(title: &str, system: &str, days_ago: i64) -> IncidentInput {
    let at = chrono::Utc::now() - chrono::Duration::days(days_ago);
    IncidentInput {
        occurred_at: Some(at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        detected_at: Some(at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        ..incident_input(title, system)
    }
}

#[tokio::test]
async fn incident_history_suggests_a_likelihood_beside_the_estimate() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let scoring = add_system(app, &system_input("Scoring")).await;
        let chatbot = add_system(app, &system_input("Chatbot")).await;
        ok(b, app.methodology_init(&root()).await);
        let risk = RiskInput {
            systems: Some(vec![scoring.clone()]),
            ..assessed("Unfair refusals", 2, 3)
        };
        let risk = ok(b, app.risk_add(&root(), &risk).await);
        let org_wide = ok(
            b,
            app.risk_add(&root(), &assessed("Whole organisation", 1, 2))
                .await,
        );

        // No incident: no suggestion (absence of incidents is no evidence of rarity).
        let d = ok(b, app.risk_get(&root(), &risk.key).await);
        assert_eq!(d.incident_likelihood, None, "{b}");

        // One incident this year on the risk's system, one two years ago, one on another system.
        let this_year = ok(
            b,
            app.incident_add(&root(), &recent("Refusal spike", &scoring, 20))
                .await,
        );
        ok(
            b,
            app.incident_add(&root(), &recent("Old spike", &scoring, 800))
                .await,
        );
        let other = ok(
            b,
            app.incident_add(&root(), &recent("Chatbot rude", &chatbot, 5))
                .await,
        );
        let before = ok(b, app.risk_get(&root(), &risk.key).await);
        let s = before
            .incident_likelihood
            .clone()
            .unwrap_or_else(|| panic!("{b}: none"));
        assert_eq!(s.incidents, vec![this_year.key.clone()], "{b}");
        assert_eq!(
            (s.level, s.label.as_str()),
            (3, "Possible"),
            "{b}: once a year"
        );
        assert_eq!((s.estimate, s.differs), (Some(2), true), "{b}");

        // A second incident this year: several a year is "Likely". The estimate is untouched.
        let second = ok(
            b,
            app.incident_add(&root(), &recent("Another spike", &scoring, 2))
                .await,
        );
        let d = ok(b, app.risk_get(&root(), &risk.key).await);
        let s = d
            .incident_likelihood
            .clone()
            .unwrap_or_else(|| panic!("{b}: none"));
        assert_eq!(
            s.incidents,
            vec![second.key.clone(), this_year.key.clone()],
            "{b}"
        );
        assert_eq!((s.level, s.label.as_str()), (4, "Likely"), "{b}");
        assert_eq!(d.risk.inherent, before.risk.inherent, "{b}: never applied");
        assert_eq!(d.risk.scores, before.risk.scores, "{b}");

        // An organisation-wide risk counts every system's incidents of the year.
        let d = ok(b, app.risk_get(&root(), &org_wide.key).await);
        let s = d.incident_likelihood.unwrap_or_else(|| panic!("{b}: none"));
        assert_eq!(
            s.incidents,
            vec![second.key.clone(), other.key.clone(), this_year.key.clone()],
            "{b}"
        );

        // A method whose likelihood scale gives no yearly frequencies suggests nothing.
        ok(b, app.methodology_set(&root(), square_doc(5)).await);
        let d = ok(b, app.risk_get(&root(), &risk.key).await);
        assert_eq!(d.incident_likelihood, None, "{b}");
    }
}
