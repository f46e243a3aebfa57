//! The organisation's controls: values, links to catalog requirements and AI systems, bad input,
//! conflicts, permissions and the ledger's check of the links.

use aims_app::controls::ControlQuery;
use aims_core::control::{ControlInput, ControlStatus, Effectiveness, LinksInput};
use aims_core::ledger::Break;
use aims_core::Role;

use crate::harness::{
    add_system, add_user, assert_conflict, assert_forbidden, assert_invalid, backends, event_count,
    fresh, invalid_fields, ok, raw, root, snapshot, system_input,
};

fn control(name: &str) -> ControlInput {
    ControlInput {
        name: Some(name.into()),
        description: Some(format!("How {name} works")),
        owner: Some("root".into()),
        ..Default::default()
    }
}

fn links(requirements: &[&str], systems: &[&str]) -> LinksInput {
    LinksInput {
        requirements: Some(requirements.iter().map(|s| s.to_string()).collect()),
        systems: Some(systems.iter().map(|s| s.to_string()).collect()),
    }
}

#[tokio::test]
async fn add_update_link_and_list() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys1 = add_system(app, &system_input("Credit scoring")).await;
        let sys2 = add_system(app, &system_input("Fraud detection")).await;

        let c = ok(b, app.control_add(&root(), &control("V&V procedure")).await);
        assert_eq!(c.key, "CTL-1", "{b}");
        assert_eq!(c.fields.status, ControlStatus::Planned, "{b}");
        assert_eq!(c.fields.effectiveness, Effectiveness::NotAssessed, "{b}");
        assert!(c.requirements.is_empty() && c.systems.is_empty(), "{b}");
        assert_eq!(ok(b, app.control_get(&root(), "ctl-1").await), c, "{b}");

        let patch = ControlInput {
            status: Some("implemented".into()),
            implementation_date: Some("2026-02-01".into()),
            effectiveness: Some("partially_effective".into()),
            review_date: Some("2027-02-01".into()),
            ..Default::default()
        };
        let u = ok(b, app.control_update(&root(), "CTL-1", &patch).await);
        assert_eq!(u.fields.name, "V&V procedure", "{b}: absent fields kept");
        assert_eq!(u.fields.status, ControlStatus::Implemented, "{b}");
        assert_eq!(
            u.fields.implementation_date.as_deref(),
            Some("2026-02-01"),
            "{b}"
        );
        assert_eq!(
            u.fields.effectiveness,
            Effectiveness::PartiallyEffective,
            "{b}"
        );
        assert_eq!(u.fields.review_date.as_deref(), Some("2027-02-01"), "{b}");
        let n = event_count(app).await;
        ok(b, app.control_update(&root(), "CTL-1", &patch).await);
        assert_eq!(
            event_count(app).await,
            n,
            "{b}: unchanged update records nothing"
        );

        // References are normalised (framework case, item spelling) and deduplicated.
        let linked = ok(
            b,
            app.control_link(
                &root(),
                "CTL-1",
                &links(
                    &["iso42001:a.6.2.4", "ISO42001:A.6.2.4", " ISO42001 : A.5.2 "],
                    &[&sys2.to_lowercase(), &sys1, &sys2],
                ),
            )
            .await,
        );
        let reqs: Vec<&str> = linked.requirements.iter().map(String::as_str).collect();
        assert_eq!(reqs, vec!["ISO42001:A.5.2", "ISO42001:A.6.2.4"], "{b}");
        let systems: Vec<&str> = linked.systems.iter().map(String::as_str).collect();
        assert_eq!(systems, vec!["SYS-1", "SYS-2"], "{b}");
        assert_eq!(event_count(app).await, n + 1, "{b}: one link event");
        assert_eq!(
            ok(b, app.control_get(&root(), "CTL-1").await),
            linked,
            "{b}"
        );

        // An absent list stays; a given one replaces.
        let only_systems = LinksInput {
            requirements: None,
            systems: Some(vec![sys2.clone()]),
        };
        let relinked = ok(b, app.control_link(&root(), "CTL-1", &only_systems).await);
        assert_eq!(relinked.requirements, linked.requirements, "{b}");
        assert_eq!(relinked.systems.len(), 1, "{b}");

        ok(b, app.control_add(&root(), &control("Logging")).await);
        let all = ok(b, app.control_list(&root(), &ControlQuery::default()).await);
        assert_eq!(all.items.len(), 2, "{b}");
        let by = |q: ControlQuery| async move {
            ok(b, app.control_list(&root(), &q).await)
                .items
                .into_iter()
                .map(|c| c.key)
                .collect::<Vec<_>>()
        };
        let q = ControlQuery {
            requirement: Some("iso42001:a.5.2".into()),
            ..Default::default()
        };
        assert_eq!(by(q).await, vec!["CTL-1"], "{b}");
        let q = ControlQuery {
            system: Some("sys-2".into()),
            ..Default::default()
        };
        assert_eq!(by(q).await, vec!["CTL-1"], "{b}");
        let q = ControlQuery {
            status: Some("planned".into()),
            owner: Some("root".into()),
            ..Default::default()
        };
        assert_eq!(by(q).await, vec!["CTL-2"], "{b}");
        let q = ControlQuery {
            status: Some("done".into()),
            ..Default::default()
        };
        assert_invalid(b, app.control_list(&root(), &q).await, "status");

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn bad_input_names_its_field_and_writes_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_system(app, &system_input("Credit scoring")).await;
        ok(b, app.control_add(&root(), &control("Existing")).await);
        let before = snapshot(app).await;

        let cases: Vec<(ControlInput, &str)> = vec![
            (
                ControlInput {
                    name: Some(" ".into()),
                    ..control("x")
                },
                "name",
            ),
            (
                ControlInput {
                    description: None,
                    ..control("No description")
                },
                "description",
            ),
            (
                ControlInput {
                    status: Some("done".into()),
                    ..control("Bad status")
                },
                "status",
            ),
            (
                ControlInput {
                    effectiveness: Some("great".into()),
                    ..control("Bad effectiveness")
                },
                "effectiveness",
            ),
            (
                ControlInput {
                    status: Some("implemented".into()),
                    ..control("No date")
                },
                "implementation_date",
            ),
            (
                ControlInput {
                    implementation_date: Some("2026-13-01".into()),
                    ..control("Bad date")
                },
                "implementation_date",
            ),
            (
                ControlInput {
                    review_date: Some("soon".into()),
                    ..control("Bad review")
                },
                "review_date",
            ),
            (
                ControlInput {
                    owner: Some("nobody".into()),
                    ..control("Unknown owner")
                },
                "owner",
            ),
        ];
        for (input, field) in cases {
            assert_invalid(b, app.control_add(&root(), &input).await, field);
        }
        let patch = ControlInput {
            status: Some("implemented".into()),
            ..Default::default()
        };
        assert_invalid(
            b,
            app.control_update(&root(), "CTL-1", &patch).await,
            "implementation_date",
        );

        let bad = [
            ("ISO42001:Z.9", "requirements[0]"),
            ("NIST:GOVERN-1", "requirements[0]"),
            ("A.6.2.4", "requirements[0]"),
        ];
        for (reference, field) in bad {
            assert_invalid(
                b,
                app.control_link(&root(), "CTL-1", &links(&[reference], &[]))
                    .await,
                field,
            );
        }
        let fields = invalid_fields(
            b,
            app.control_link(
                &root(),
                "CTL-1",
                &links(&["ISO42001:A.5.2", "ISO42001:Z.9"], &["SYS-1", "SYS-99"]),
            )
            .await,
        );
        assert_eq!(fields, vec!["requirements[1]", "systems[1]"], "{b}");
        assert_eq!(
            snapshot(app).await,
            before,
            "{b}: refused writes changed something"
        );

        assert_conflict(
            b,
            app.control_add(&root(), &control("Existing")).await,
            "name",
        );
        ok(b, app.control_add(&root(), &control("Other")).await);
        let rename = ControlInput {
            name: Some("Existing".into()),
            ..Default::default()
        };
        assert_conflict(
            b,
            app.control_update(&root(), "CTL-2", &rename).await,
            "name",
        );
        assert!(
            matches!(
                app.control_get(&root(), "CTL-9").await,
                Err(aims_app::AppError::NotFound { .. })
            ),
            "{b}"
        );
    }
}

#[tokio::test]
async fn who_may_write_controls() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_system(app, &system_input("Credit scoring")).await;
        ok(b, app.control_add(&root(), &control("Shared")).await);
        for role in Role::ALL.iter().copied() {
            let tag = role.as_str().replace('_', "-");
            let who = add_user(app, &format!("c.{tag}"), role).await;
            let before = snapshot(app).await;
            let added = app.control_add(&who, &control(&format!("By {tag}"))).await;
            let linked = app
                .control_link(&who, "CTL-1", &links(&["ISO42001:A.5.2"], &["SYS-1"]))
                .await;
            let may = matches!(role, Role::Admin | Role::GovernanceLead | Role::RiskOwner);
            if may {
                ok(b, added);
                ok(b, linked);
            } else {
                assert_forbidden(b, added);
                assert_forbidden(b, linked);
                assert_eq!(snapshot(app).await, before, "{b}: {role} wrote");
            }
            ok(b, app.control_get(&who, "CTL-1").await);
            ok(b, app.control_list(&who, &ControlQuery::default()).await);
        }
    }
}

#[tokio::test]
async fn links_are_checked_by_ledger_verify() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Credit scoring")).await;
        ok(b, app.control_add(&root(), &control("V&V")).await);
        ok(
            b,
            app.control_link(&root(), "CTL-1", &links(&["ISO42001:A.6.2.4"], &[&sys]))
                .await,
        );
        let head = event_count(app).await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);

        raw(
            app,
            "UPDATE control_requirements SET requirement = 'ISO42001:A.5.2' WHERE control_key = 'CTL-1'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert_eq!(
            report.problem,
            Some(Break::EntityMismatch {
                kind: "control".into(),
                key: "CTL-1".into(),
                last_seq: head,
            }),
            "{b}"
        );
        assert!(report.message.contains("CTL-1"), "{b}: {}", report.message);
    }
}
