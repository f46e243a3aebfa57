//! The inventory service: add, update, retire, get, and every refused write leaving no trace.

use aims_app::AppError;
use aims_core::inventory::{Criticality, EuClass, Stage, SystemInput, SystemStatus, Technique};
use aims_core::Role;

use crate::harness::{
    add_system, add_user, all_events, assert_conflict, assert_invalid, backends, event_count,
    fresh, ok, root, snapshot, system_input,
};

#[tokio::test]
async fn add_get_update_retire() {
    for b in backends() {
        let t = fresh(b).await;
        add_user(&t.app, "alice", Role::RiskOwner).await;
        let input = SystemInput {
            name: Some("  Credit scoring ".into()),
            purpose: Some("Scores loan applications".into()),
            owner: Some("alice".into()),
            business_unit: Some("Lending".into()),
            stage: Some("deployed".into()),
            technique: Some("classical_ml".into()),
            ai_roles: Some(vec![
                "deployer".into(),
                "provider".into(),
                "provider".into(),
            ]),
            data_categories: Some(vec!["financial".into(), "personal".into()]),
            stakeholders: Some(vec!["Applicants".into(), " ".into(), "Applicants".into()]),
            regions: Some(vec!["EU".into()]),
            eu_class: Some("high_risk".into()),
            eu_rationale: Some("Annex III 5(b)".into()),
            criticality: Some("critical".into()),
            ..Default::default()
        };
        let before = event_count(&t.app).await;
        let added = ok(b, t.app.system_add(&root(), &input).await);
        let s = &added.system;
        assert_eq!(s.key, "SYS-1", "{b}");
        assert_eq!(s.fields.name, "Credit scoring", "{b}: trimmed");
        assert_eq!(s.fields.stage, Stage::Deployed, "{b}");
        assert_eq!(s.fields.technique, Technique::ClassicalMl, "{b}");
        assert_eq!(s.fields.eu_class, EuClass::HighRisk, "{b}");
        assert_eq!(s.fields.criticality, Criticality::Critical, "{b}");
        assert_eq!(s.fields.ai_roles.len(), 2, "{b}: roles deduplicated");
        assert_eq!(s.fields.stakeholders, vec!["Applicants"], "{b}");
        assert_eq!(s.status, SystemStatus::Active, "{b}");
        assert_eq!(s.created_at, s.updated_at, "{b}");
        assert!(!added.in_scope, "{b}: no approved scope yet");
        assert_eq!(event_count(&t.app).await, before + 1, "{b}");

        // Read back exactly what was written, by a key typed loosely.
        let got = ok(b, t.app.system_get(&root(), " sys-1 ").await);
        assert_eq!(got.system, added.system, "{b}");

        // A patch keeps the absent fields and writes one update event.
        let patch = SystemInput {
            stage: Some("monitored".into()),
            purpose: Some("Scores loan and card applications".into()),
            ..Default::default()
        };
        let updated = ok(b, t.app.system_update(&root(), "SYS-1", &patch).await);
        let u = &updated.system;
        assert_eq!(u.fields.stage, Stage::Monitored, "{b}");
        assert_eq!(u.fields.purpose, "Scores loan and card applications", "{b}");
        assert_eq!(u.fields.owner, "alice", "{b}");
        assert_eq!(u.fields.eu_class, EuClass::HighRisk, "{b}");
        assert_eq!(u.created_at, s.created_at, "{b}");
        assert!(u.updated_at > s.updated_at, "{b}");
        assert_eq!(
            ok(b, t.app.system_get(&root(), "SYS-1").await).system,
            *u,
            "{b}"
        );
        assert_eq!(event_count(&t.app).await, before + 2, "{b}");

        // The same values again change nothing and record nothing.
        let same = ok(b, t.app.system_update(&root(), "SYS-1", &patch).await);
        assert_eq!(same.system, *u, "{b}");
        assert_eq!(event_count(&t.app).await, before + 2, "{b}");

        // Retiring needs a reason, then the system is out of scope and frozen.
        let snap = snapshot(&t.app).await;
        assert_invalid(
            b,
            t.app.system_retire(&root(), "SYS-1", Some("  ")).await,
            "reason",
        );
        assert_eq!(snapshot(&t.app).await, snap, "{b}");
        let retired = ok(
            b,
            t.app
                .system_retire(&root(), "sys-1", Some("Replaced by a vendor model"))
                .await,
        );
        assert_eq!(retired.system.status, SystemStatus::Retired, "{b}");
        assert_eq!(
            retired.system.retired_reason.as_deref(),
            Some("Replaced by a vendor model"),
            "{b}"
        );
        assert!(!retired.in_scope, "{b}");
        assert_eq!(
            ok(b, t.app.system_get(&root(), "SYS-1").await).system,
            retired.system,
            "{b}"
        );

        let events = all_events(&t.app).await;
        let mine: Vec<(&str, &str, &str)> = events
            .iter()
            .filter(|e| e.key == "SYS-1")
            .map(|e| (e.kind.as_str(), e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(
            mine,
            vec![
                ("ai_system", "create", "root"),
                ("ai_system", "update", "root"),
                ("ai_system", "retire", "root"),
            ],
            "{b}"
        );

        // Frozen: no update, no second retirement, nothing written.
        let snap = snapshot(&t.app).await;
        let rename = SystemInput {
            name: Some("Credit scoring v2".into()),
            ..Default::default()
        };
        assert_conflict(
            b,
            t.app.system_update(&root(), "SYS-1", &rename).await,
            "status",
        );
        assert_conflict(
            b,
            t.app.system_retire(&root(), "SYS-1", Some("again")).await,
            "status",
        );
        assert_eq!(snapshot(&t.app).await, snap, "{b}");
        assert_eq!(
            ok(b, t.app.system_get(&root(), "SYS-1").await).system,
            retired.system,
            "{b}"
        );

        // Unknown keys.
        for r in [
            t.app.system_get(&root(), "SYS-99").await.map(|_| ()),
            t.app
                .system_update(&root(), "SYS-99", &rename)
                .await
                .map(|_| ()),
            t.app
                .system_retire(&root(), "SYS-99", Some("x"))
                .await
                .map(|_| ()),
        ] {
            assert!(matches!(r, Err(AppError::NotFound { .. })), "{b}: {r:?}");
        }
        assert_eq!(snapshot(&t.app).await, snap, "{b}");
    }
}

#[tokio::test]
async fn refused_writes_leave_no_trace() {
    for b in backends() {
        let t = fresh(b).await;
        let alice = add_user(&t.app, "alice", Role::Contributor).await;
        add_user(&t.app, "gone", Role::Contributor).await;
        ok(b, t.app.user_disable(&root(), "gone").await);
        add_system(&t.app, &system_input("Credit scoring")).await;
        add_system(&t.app, &system_input("Fraud detection")).await;
        let sys1 = ok(b, t.app.system_get(&root(), "SYS-1").await).system;
        let snap = snapshot(&t.app).await;

        let with = |f: &dyn Fn(&mut SystemInput)| {
            let mut i = system_input("Chatbot");
            f(&mut i);
            i
        };
        let cases: Vec<(SystemInput, &str)> = vec![
            (with(&|i| i.owner = Some("nobody".into())), "owner"),
            (with(&|i| i.owner = Some("gone".into())), "owner"),
            (with(&|i| i.stage = Some("launched".into())), "stage"),
            (with(&|i| i.stage = Some("retired".into())), "stage"),
            (with(&|i| i.name = Some("n".repeat(201))), "name"),
            (with(&|i| i.name = Some("   ".into())), "name"),
            (with(&|i| i.purpose = None), "purpose"),
            (
                with(&|i| i.eu_class = Some("high_risk".into())),
                "eu_rationale",
            ),
            (
                with(&|i| i.ai_roles = Some(vec!["overlord".into()])),
                "ai_roles",
            ),
            (
                with(&|i| i.data_categories = Some(vec!["none".into(), "personal".into()])),
                "data_categories",
            ),
            (with(&|i| i.name = Some("bad\u{0}name".into())), "name"),
        ];
        for (input, field) in &cases {
            let r = t.app.system_add(&alice, input).await;
            assert_invalid(b, r, field);
            assert_eq!(snapshot(&t.app).await, snap, "{b}: {field}");
        }

        // Duplicate names, also after trimming, on add and on rename.
        assert_conflict(
            b,
            t.app
                .system_add(&alice, &system_input("Credit scoring"))
                .await,
            "name",
        );
        let padded = system_input(" Credit scoring  ");
        assert_conflict(b, t.app.system_add(&alice, &padded).await, "name");
        let rename = SystemInput {
            name: Some("Fraud detection".into()),
            ..Default::default()
        };
        assert_conflict(
            b,
            t.app.system_update(&alice, "SYS-1", &rename).await,
            "name",
        );
        assert_eq!(snapshot(&t.app).await, snap, "{b}");

        // Refused patches: the row stays as it was.
        for (input, field) in &cases {
            if input.name.as_deref() == Some("Chatbot") && input.purpose.is_none() {
                continue; // an absent purpose keeps the old one in a patch
            }
            let r = t.app.system_update(&alice, "SYS-1", input).await;
            assert_invalid(b, r, field);
        }
        assert_eq!(snapshot(&t.app).await, snap, "{b}");
        assert_eq!(
            ok(b, t.app.system_get(&root(), "SYS-1").await).system,
            sys1,
            "{b}"
        );

        // The limit itself is allowed, counted in characters rather than bytes.
        for name in ["n".repeat(200), "é".repeat(200)] {
            let s = ok(b, t.app.system_add(&alice, &system_input(&name)).await);
            assert_eq!(s.system.fields.name, name, "{b}");
        }
        assert_eq!(event_count(&t.app).await, snap.head() + 2, "{b}");
    }
}
