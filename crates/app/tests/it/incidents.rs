//! Incidents: the workflow with its skips and reopening, root cause and lessons rules, links
//! checked to exist, the serious-incident countdown for each basis, monitoring breaches (open,
//! add to the open one, open anew after resolving, another metric), roles and the ledger.

use aims_app::incidents::{Breach, IncidentQuery, LinkInput, MoveInput};
use aims_app::AppError;
use aims_core::control::ControlInput;
use aims_core::incident::{
    IncidentInput, IncidentStatus, IncidentType, RcaInput, SeriousBasis, TimelineKind,
};
use aims_core::ledger::Break;
use aims_core::Role;

use crate::harness::{
    add_system, add_user, assert_conflict, assert_forbidden, backends, fresh, invalid_fields, ok,
    raw, root, snapshot, system_input,
};
use crate::risks::risk_input;

pub fn incident_input(title: &str, system: &str) -> IncidentInput {
    IncidentInput {
        title: Some(title.into()),
        description: Some(format!("What happened: {title}")),
        source: Some("user_report".into()),
        incident_type: Some("safety".into()),
        severity: Some(2),
        systems: Some(vec![system.into()]),
        occurred_at: Some("2026-03-01T08:00:00Z".into()),
        detected_at: Some("2026-03-01T10:00:00Z".into()),
        owner: Some("root".into()),
        ..Default::default()
    }
}

fn to(status: &str, note: Option<&str>) -> MoveInput {
    MoveInput {
        to: status.into(),
        note: note.map(Into::into),
    }
}

fn breach(system: &str, metric: &str, value: f64) -> Breach {
    Breach {
        system: system.into(),
        metric: metric.into(),
        run: Some("RUN-4".into()),
        value,
        threshold: 0.1,
        at: "2026-03-02T12:00:00Z".into(),
        detail: "age group 60+".into(),
    }
}

fn rca() -> RcaInput {
    RcaInput {
        whys: Some(vec!["Training data lacked older applicants".into()]),
        category: Some("data".into()),
        lessons_learned: None,
    }
}

#[tokio::test]
async fn an_incident_moves_through_its_workflow_to_closed() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let i = ok(
            b,
            app.incident_add(&root(), &incident_input("Wrong refusals", &sys))
                .await,
        );
        assert_eq!(
            (i.key.as_str(), i.status),
            ("INC-1", IncidentStatus::Reported),
            "{b}"
        );
        assert_eq!(i.timeline.len(), 1, "{b}");
        assert_eq!(i.timeline[0].kind, TimelineKind::Reported, "{b}");

        assert_conflict(
            b,
            app.incident_move(&root(), "INC-1", &to("contained", None))
                .await,
            "status",
        );
        for s in ["triaged", "investigating", "contained"] {
            ok(b, app.incident_move(&root(), "inc-1", &to(s, None)).await);
        }
        assert_conflict(
            b,
            app.incident_move(&root(), "INC-1", &to("resolved", None))
                .await,
            "root_cause",
        );
        ok(
            b,
            app.incident_note(&root(), "INC-1", "Rolled back to model v3")
                .await,
        );
        ok(b, app.incident_rca(&root(), "INC-1", &rca()).await);
        ok(
            b,
            app.incident_move(&root(), "INC-1", &to("resolved", None))
                .await,
        );
        assert_conflict(
            b,
            app.incident_move(&root(), "INC-1", &to("closed", None))
                .await,
            "lessons_learned",
        );
        // Reopened, then resolved again.
        let r = ok(
            b,
            app.incident_move(&root(), "INC-1", &to("investigating", Some("came back")))
                .await,
        );
        assert_eq!(r.status, IncidentStatus::Investigating, "{b}");
        assert!(
            r.timeline
                .last()
                .is_some_and(|e| e.text.starts_with("reopened from resolved")),
            "{b}"
        );
        ok(
            b,
            app.incident_move(&root(), "INC-1", &to("contained", None))
                .await,
        );
        ok(
            b,
            app.incident_move(&root(), "INC-1", &to("resolved", None))
                .await,
        );
        let lessons = RcaInput {
            lessons_learned: Some("Check each age group before release".into()),
            ..Default::default()
        };
        ok(b, app.incident_rca(&root(), "INC-1", &lessons).await);
        let c = ok(
            b,
            app.incident_move(&root(), "INC-1", &to("closed", None))
                .await,
        );
        assert_eq!(c.status, IncidentStatus::Closed, "{b}");
        let kinds: Vec<TimelineKind> = c.timeline.iter().map(|e| e.kind).collect();
        use TimelineKind::*;
        assert_eq!(
            kinds,
            vec![
                Reported, Transition, Transition, Transition, Note, Rca, Transition, Transition,
                Transition, Transition, Rca, Transition
            ],
            "{b}"
        );
        assert_eq!(c.root_cause.whys.len(), 1, "{b}");
        assert_conflict(
            b,
            app.incident_move(&root(), "INC-1", &to("investigating", None))
                .await,
            "status",
        );

        // A false alarm skips straight to resolved, with a note.
        ok(
            b,
            app.incident_add(&root(), &incident_input("Alarm", &sys))
                .await,
        );
        ok(
            b,
            app.incident_move(&root(), "INC-2", &to("triaged", None))
                .await,
        );
        assert_conflict(
            b,
            app.incident_move(&root(), "INC-2", &to("resolved", None))
                .await,
            "note",
        );
        ok(
            b,
            app.incident_rca(
                &root(),
                "INC-2",
                &RcaInput {
                    whys: Some(vec!["Test traffic".into()]),
                    category: Some("process".into()),
                    lessons_learned: None,
                },
            )
            .await,
        );
        let fa = ok(
            b,
            app.incident_move(
                &root(),
                "INC-2",
                &to("resolved", Some("false alarm: test traffic")),
            )
            .await,
        );
        assert_eq!(fa.status, IncidentStatus::Resolved, "{b}");

        let open = ok(
            b,
            app.incident_list(
                &root(),
                &IncidentQuery {
                    open: Some(true),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(open.total, 0, "{b}");
        let all = ok(
            b,
            app.incident_list(
                &root(),
                &IncidentQuery {
                    per_page: Some(1),
                    page: Some(2),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(
            (
                all.total,
                all.items.len(),
                all.items[0].incident.key.as_str()
            ),
            (2, 1, "INC-1"),
            "{b}"
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn bad_input_names_the_field_and_writes_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        add_user(app, "vera", Role::Viewer).await;
        let before = snapshot(app).await;
        let mut input = incident_input("x", "SYS-9");
        input.owner = Some("vera".into());
        input.severity = Some(0);
        let fields = invalid_fields(b, app.incident_add(&root(), &input).await);
        assert_eq!(fields, vec!["severity"], "{b}: read first");
        input.severity = Some(1);
        let fields = invalid_fields(b, app.incident_add(&root(), &input).await);
        assert_eq!(
            fields,
            vec!["owner"],
            "{b}: a viewer may not own an incident"
        );
        input.owner = Some("root".into());
        assert_eq!(
            invalid_fields(b, app.incident_add(&root(), &input).await),
            vec!["systems[0]"],
            "{b}"
        );
        input.systems = Some(vec![]);
        assert_eq!(
            invalid_fields(b, app.incident_add(&root(), &input).await),
            vec!["systems"],
            "{b}"
        );
        input.systems = Some(vec![sys.clone()]);
        input.detected_at = Some("2026-02-01".into());
        assert_eq!(
            invalid_fields(b, app.incident_add(&root(), &input).await),
            vec!["detected_at"],
            "{b}"
        );
        assert_eq!(snapshot(app).await, before, "{b}");

        ok(
            b,
            app.incident_add(&root(), &incident_input("ok", &sys)).await,
        );
        let links = LinkInput {
            add: vec!["RSK-1".into(), "CTL-9".into(), "SYS-1".into()],
            remove: vec![],
        };
        assert_eq!(
            invalid_fields(b, app.incident_link(&root(), "INC-1", &links).await),
            vec!["add[0]", "add[1]", "add[2]"],
            "{b}"
        );
        ok(b, app.risk_add(&root(), &risk_input("Bias")).await);
        let ctl = ControlInput {
            name: Some("Review".into()),
            description: Some("Human review".into()),
            owner: Some("root".into()),
            ..Default::default()
        };
        ok(b, app.control_add(&root(), &ctl).await);
        let linked = ok(
            b,
            app.incident_link(
                &root(),
                "INC-1",
                &LinkInput {
                    add: vec!["rsk-1".into(), "CTL-1".into()],
                    remove: vec![],
                },
            )
            .await,
        );
        assert_eq!(
            (linked.risks, linked.controls),
            (vec!["RSK-1".to_string()], vec!["CTL-1".to_string()]),
            "{b}"
        );
        let unlinked = ok(
            b,
            app.incident_link(
                &root(),
                "INC-1",
                &LinkInput {
                    add: vec![],
                    remove: vec!["CTL-1".into()],
                },
            )
            .await,
        );
        assert!(unlinked.controls.is_empty(), "{b}");
        let too_many = RcaInput {
            whys: Some((0..6).map(|i| format!("why {i}")).collect()),
            ..Default::default()
        };
        assert_eq!(
            invalid_fields(b, app.incident_rca(&root(), "INC-1", &too_many).await),
            vec!["whys"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn serious_incidents_count_down_to_their_deadline() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let today = aims_app::actions::today();
        let detected = today.to_string();
        for (basis, days) in [("general", 15), ("death", 10), ("widespread", 2)] {
            let mut input = incident_input(basis, &sys);
            input.occurred_at = Some(detected.clone());
            input.detected_at = Some(detected.clone());
            input.serious_basis = Some(basis.into());
            let i = ok(b, app.incident_add(&root(), &input).await);
            let c = i
                .countdown(today)
                .unwrap_or_else(|| panic!("{b}: no countdown"));
            let due = today + chrono::Days::new(days);
            assert_eq!(
                (c.deadline, c.days_left, c.state.as_str()),
                (due.to_string(), Some(days as i64), "due"),
                "{b} {basis}"
            );
        }
        // Detected 5 days ago, widespread (2 days): overdue by 3.
        let mut late = incident_input("late", &sys);
        let five_ago = today - chrono::Days::new(5);
        late.occurred_at = Some(five_ago.to_string());
        late.detected_at = Some(five_ago.to_string());
        late.serious_basis = Some("widespread".into());
        let l = ok(b, app.incident_add(&root(), &late).await);
        let listed = ok(
            b,
            app.incident_list(
                &root(),
                &IncidentQuery {
                    serious: Some(true),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(listed.total, 4, "{b}");
        let view = listed
            .items
            .iter()
            .find(|v| v.incident.key == l.key)
            .and_then(|v| v.countdown.clone());
        assert_eq!(
            view.map(|c| (c.state, c.days_left, c.text)),
            Some(("overdue".into(), Some(-3), "overdue by 3 days".into())),
            "{b}"
        );
        // Reporting to the authority stops the clock.
        let patch = IncidentInput {
            reported_to_authority_at: Some(today.to_string()),
            ..Default::default()
        };
        let r = ok(b, app.incident_update(&root(), &l.key, &patch).await);
        assert_eq!(
            r.countdown(today).map(|c| (c.state, c.days_left)),
            Some(("reported".into(), None)),
            "{b}"
        );
        assert!(
            r.timeline
                .last()
                .is_some_and(|e| e.kind == TimelineKind::Serious),
            "{b}"
        );
        assert_eq!(
            r.serious.map(|s| s.basis),
            Some(SeriousBasis::Widespread),
            "{b}"
        );
        // Only a serious incident is reported to the authority.
        let plain = ok(
            b,
            app.incident_add(&root(), &incident_input("plain", &sys))
                .await,
        );
        assert_eq!(
            invalid_fields(b, app.incident_update(&root(), &plain.key, &patch).await),
            vec!["reported_to_authority_at"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn monitoring_breaches_open_or_add_to_one_incident_per_system_and_metric() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let metric = "fairness.age_group.demographic_parity_difference";
        let (key, opened) = ok(
            b,
            app.incident_record_breach(&root(), &breach(&sys, metric, 0.2))
                .await,
        );
        assert_eq!((key.as_str(), opened), ("INC-1", true), "{b}");
        let i = ok(b, app.incident_get(&root(), "INC-1").await);
        assert_eq!(
            (i.incident_type, i.severity, i.source.as_str()),
            (IncidentType::BiasFairness, 2, "monitoring"),
            "{b}"
        );
        assert_eq!(
            i.monitor.as_ref().map(|m| m.metric.as_str()),
            Some(metric),
            "{b}"
        );
        assert_eq!(
            i.timeline
                .iter()
                .filter(|e| e.kind == TimelineKind::Breach)
                .count(),
            1,
            "{b}"
        );

        let (again, opened) = ok(
            b,
            app.incident_record_breach(&root(), &breach(&sys, metric, 0.3))
                .await,
        );
        assert_eq!((again.as_str(), opened), ("INC-1", false), "{b}");
        let i = ok(b, app.incident_get(&root(), "INC-1").await);
        let breaches: Vec<&str> = i
            .timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::Breach)
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(breaches.len(), 2, "{b}");
        assert!(
            breaches[1].contains("= 0.3 breached its threshold 0.1 (RUN-4): age group 60+"),
            "{b}: {}",
            breaches[1]
        );

        let (other, opened) = ok(
            b,
            app.incident_record_breach(&root(), &breach(&sys, "performance.accuracy", 0.7))
                .await,
        );
        assert_eq!((other.as_str(), opened), ("INC-2", true), "{b}");
        let p = ok(b, app.incident_get(&root(), "INC-2").await);
        assert_eq!(
            (p.incident_type, p.severity),
            (IncidentType::Performance, 3),
            "{b}"
        );
        let (drift, _) = ok(
            b,
            app.incident_record_breach(&root(), &breach(&sys, "drift.psi.income", 0.4))
                .await,
        );
        assert_eq!(
            ok(b, app.incident_get(&root(), &drift).await).incident_type,
            IncidentType::Performance,
            "{b}"
        );
        let (quality, _) = ok(
            b,
            app.incident_record_breach(&root(), &breach(&sys, "quality.missing.age", 0.4))
                .await,
        );
        assert_eq!(
            ok(b, app.incident_get(&root(), &quality).await).incident_type,
            IncidentType::Other,
            "{b}"
        );

        // Resolved: the next breach opens a new incident.
        ok(b, app.incident_rca(&root(), "INC-1", &rca()).await);
        ok(
            b,
            app.incident_move(
                &root(),
                "INC-1",
                &to("resolved", Some("threshold re-tuned after review")),
            )
            .await,
        );
        let (fresh_key, opened) = ok(
            b,
            app.incident_record_breach(&root(), &breach(&sys, metric, 0.25))
                .await,
        );
        assert_eq!((fresh_key.as_str(), opened), ("INC-5", true), "{b}");

        let bad = ok(
            b,
            async {
                Ok::<_, AppError>(
                    app.incident_record_breach(&root(), &breach("SYS-99", metric, 1.0))
                        .await,
                )
            }
            .await,
        );
        assert_eq!(invalid_fields(b, bad), vec!["system"], "{b}");
        let viewer = add_user(app, "vera", Role::Viewer).await;
        assert_forbidden(
            b,
            app.incident_record_breach(&viewer, &breach(&sys, metric, 1.0))
                .await,
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn readers_write_nothing_and_the_ledger_catches_link_edits() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let other = add_system(app, &system_input("Chat")).await;
        let carl = add_user(app, "carl", Role::Contributor).await;
        for (name, role) in [("ann", Role::Auditor), ("vic", Role::Viewer)] {
            let reader = add_user(app, name, role).await;
            assert_forbidden(
                b,
                app.incident_add(&reader, &incident_input("x", &sys)).await,
            );
        }
        let mut input = incident_input("by carl", &sys);
        input.owner = Some("carl".into());
        ok(b, app.incident_add(&carl, &input).await);
        let auditor = crate::harness::actor("ann", Role::Auditor);
        assert_forbidden(b, app.incident_note(&auditor, "INC-1", "x").await);
        assert_forbidden(
            b,
            app.incident_move(&auditor, "INC-1", &to("triaged", None))
                .await,
        );
        assert!(ok(b, app.ledger_verify(&root(), None).await).intact, "{b}");
        raw(app, &format!("INSERT INTO incident_systems (incident_key, system_key) VALUES ('INC-1', '{other}')")).await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "INC-1"),
            "{b}: {:?}",
            report.problem
        );
    }
}

#[tokio::test]
async fn the_demo_has_incidents_in_several_states_and_two_nonconformities() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.seed_demo(&root()).await);
        let all = ok(
            b,
            app.incident_list(&root(), &IncidentQuery::default()).await,
        );
        let mut states: Vec<(String, IncidentStatus)> = all
            .items
            .iter()
            .map(|v| (v.incident.key.clone(), v.incident.status))
            .collect();
        states.sort();
        use IncidentStatus::*;
        assert_eq!(
            states,
            vec![
                ("INC-1".into(), Reported),
                ("INC-2".into(), Investigating),
                ("INC-3".into(), Closed),
                ("INC-4".into(), Contained),
                ("INC-5".into(), Reported)
            ],
            "{b}"
        );
        let serious = all
            .items
            .iter()
            .find(|v| v.incident.key == "INC-2")
            .and_then(|v| v.countdown.clone());
        assert_eq!(
            serious.map(|c| (c.state, c.days_left)),
            Some(("due".into(), Some(12))),
            "{b}"
        );
        let closed = ok(b, app.incident_get(&root(), "INC-3").await);
        assert!(
            closed.root_cause.is_complete() && closed.lessons_learned.is_some(),
            "{b}"
        );
        let ncs = ok(b, app.nc_list(&root(), &Default::default()).await);
        let mut nc_states: Vec<(String, String)> = ncs
            .items
            .iter()
            .map(|n| (n.key.clone(), n.status.to_string()))
            .collect();
        nc_states.sort();
        assert_eq!(
            nc_states,
            vec![
                ("NC-1".into(), "action_planned".into()),
                ("NC-2".into(), "closed".into())
            ],
            "{b}"
        );
        let d = ok(b, app.dashboard(&root()).await);
        let counts: Vec<i64> = d.open_incidents.iter().map(|c| c.count).collect();
        assert_eq!(
            (counts, d.serious_due.len(), d.open_nonconformities),
            (vec![1, 1, 2, 0], 1, 1),
            "{b}"
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}
