//! Roadmap actions, the roadmap, certification bodies and briefings: values, dependency rules,
//! bad input, permissions and the ledger's check of every entity.

use aims_app::actions::{today, ActionQuery};
use aims_core::action::{ActionInput, ActionStatus};
use aims_core::certbody::{CertBodyInput, CertBodyStatus};
use aims_core::journey::BriefingInput;
use aims_core::ledger::Break;
use aims_core::Role;

use crate::harness::{
    add_user, assert_conflict, assert_forbidden, assert_invalid, backends, event_count, fresh,
    invalid_fields, ok, raw, root, row_count,
};

fn action(title: &str, due: &str, effort: i64) -> ActionInput {
    ActionInput {
        title: Some(title.into()),
        owner: Some("root".into()),
        start_date: Some("2026-01-05".into()),
        due_date: Some(due.into()),
        effort: Some(effort),
        ..Default::default()
    }
}

fn status(word: &str) -> ActionInput {
    ActionInput {
        status: Some(word.into()),
        ..Default::default()
    }
}

fn deps(keys: &[&str]) -> ActionInput {
    ActionInput {
        depends_on: Some(keys.iter().map(|k| k.to_string()).collect()),
        ..Default::default()
    }
}

#[tokio::test]
async fn actions_are_added_updated_listed_and_verified() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let a1 = ok(
            b,
            app.action_add(
                &root(),
                &ActionInput {
                    description: Some("Draft, review, approve".into()),
                    gap: Some("SOA-UNDECIDED:A.2.2".into()),
                    requirements: Some(vec!["iso42001:5.2".into(), "ISO42001:A.2.2".into()]),
                    ..action("Write the AI policy", "2026-02-27", 5)
                },
            )
            .await,
        );
        assert_eq!(a1.key, "ACT-1", "{b}");
        assert_eq!(a1.fields.status, ActionStatus::Planned, "{b}");
        assert_eq!(a1.fields.gap.as_deref(), Some("soa-undecided:A.2.2"), "{b}");
        assert_eq!(
            a1.fields.requirements,
            vec!["ISO42001:5.2", "ISO42001:A.2.2"],
            "{b}"
        );
        assert_eq!(ok(b, app.action_get(&root(), "act-1").await), a1, "{b}");

        // Start defaults to the creation day.
        let a2 = ok(
            b,
            app.action_add(
                &root(),
                &ActionInput {
                    start_date: None,
                    depends_on: Some(vec!["act-1".into()]),
                    ..action("Train the staff", "2099-12-31", 10)
                },
            )
            .await,
        );
        assert_eq!(a2.fields.start_date, today().to_string(), "{b}");
        assert_eq!(a2.fields.depends_on, vec!["ACT-1"], "{b}");

        // Done needs the dependency done: the status field is named, nothing written.
        let before = event_count(app).await;
        assert_invalid(
            b,
            app.action_update(&root(), "ACT-2", &status("done")).await,
            "status",
        );
        assert_eq!(event_count(app).await, before, "{b}");
        ok(
            b,
            app.action_update(&root(), "ACT-1", &status("in_progress"))
                .await,
        );
        ok(
            b,
            app.action_update(&root(), "ACT-1", &status("done")).await,
        );
        let done = ok(
            b,
            app.action_update(&root(), "ACT-2", &status("done")).await,
        );
        assert_eq!(done.fields.status, ActionStatus::Done, "{b}");
        assert_eq!(
            done.fields.title, "Train the staff",
            "{b}: absent fields kept"
        );
        let n = event_count(app).await;
        ok(
            b,
            app.action_update(&root(), "ACT-2", &status("done")).await,
        );
        assert_eq!(
            event_count(app).await,
            n,
            "{b}: unchanged update records nothing"
        );
        // ACT-2 is done on top of ACT-1: ACT-1 stays done.
        assert_invalid(
            b,
            app.action_update(&root(), "ACT-1", &status("in_progress"))
                .await,
            "status",
        );

        // A cycle through ACT-2 → ACT-1 is refused on ACT-1, naming the entry.
        let cycle = invalid_fields(
            b,
            app.action_update(&root(), "ACT-1", &deps(&["ACT-2"])).await,
        );
        assert_eq!(cycle, vec!["depends_on[0]"], "{b}");
        assert_invalid(
            b,
            app.action_update(&root(), "ACT-1", &deps(&["ACT-1"])).await,
            "depends_on[0]",
        );
        assert_invalid(
            b,
            app.action_update(&root(), "ACT-1", &deps(&["ACT-9"])).await,
            "depends_on[0]",
        );

        // Overdue: due before today and not closed.
        ok(
            b,
            app.action_add(&root(), &action("Overdue one", "2026-01-31", 2))
                .await,
        );
        let cancelled = ok(
            b,
            app.action_add(&root(), &action("Dropped", "2026-01-31", 4))
                .await,
        );
        ok(
            b,
            app.action_update(&root(), &cancelled.key, &status("cancelled"))
                .await,
        );
        let keys = |q: ActionQuery| async move {
            ok(b, app.action_list(&root(), &q).await)
                .items
                .into_iter()
                .map(|a| a.key)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(ActionQuery::default()).await,
            vec!["ACT-1", "ACT-2", "ACT-3", "ACT-4"],
            "{b}"
        );
        let overdue = ActionQuery {
            overdue: Some(true),
            ..Default::default()
        };
        assert_eq!(keys(overdue).await, vec!["ACT-3"], "{b}");
        let by_status = ActionQuery {
            status: Some("done".into()),
            owner: Some("root".into()),
            ..Default::default()
        };
        assert_eq!(keys(by_status).await, vec!["ACT-1", "ACT-2"], "{b}");
        let bad = ActionQuery {
            status: Some("finished".into()),
            ..Default::default()
        };
        assert_invalid(b, app.action_list(&root(), &bad).await, "status");

        let r = ok(b, app.roadmap(&root()).await);
        assert_eq!(r.overdue, vec!["ACT-3"], "{b}");
        assert_eq!(
            (r.progress.total.count, r.progress.total.effort),
            (3, 17),
            "{b}"
        );
        assert_eq!(
            (r.progress.done.count, r.progress.done.effort),
            (2, 15),
            "{b}"
        );
        assert_eq!(r.progress.percent_effort, 88, "{b}");
        assert_eq!(r.first_day.as_deref(), Some("2026-01-05"), "{b}");
        assert_eq!(r.last_day.as_deref(), Some("2099-12-31"), "{b}");
        let md = r.to_markdown();
        assert!(
            md.contains("- ACT-3 Overdue one (due 2026-01-31, root)"),
            "{b}: {md}"
        );
        assert!(
            md.contains("| ACT-2 | Train the staff | root |"),
            "{b}: {md}"
        );

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        raw(app, "UPDATE actions SET effort = 50 WHERE key = 'ACT-3'").await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "ACT-3"),
            "{b}: {:?}",
            report.problem
        );
    }
}

#[tokio::test]
async fn bad_actions_name_their_field_and_write_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.action_add(&root(), &action("First", "2026-03-01", 1))
                .await,
        );
        let rows = row_count(app, "actions").await;
        let head = event_count(app).await;
        let cases: Vec<(ActionInput, Vec<&str>)> = vec![
            (
                ActionInput {
                    title: Some(" ".into()),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["title"],
            ),
            (
                ActionInput {
                    due_date: None,
                    ..action("x", "2026-03-01", 1)
                },
                vec!["due_date"],
            ),
            (action("x", "2026-01-01", 1), vec!["due_date"]),
            (action("x", "2026-03-01", 0), vec!["effort"]),
            (
                ActionInput {
                    effort: None,
                    ..action("x", "2026-03-01", 1)
                },
                vec!["effort"],
            ),
            (
                ActionInput {
                    owner: Some("nobody".into()),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["owner"],
            ),
            (
                ActionInput {
                    status: Some("started".into()),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["status"],
            ),
            (
                ActionInput {
                    gap: Some("A.6.2.4".into()),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["gap"],
            ),
            // Well formed, but no gap of the current analysis (A.6.2.4 is undecided, not open).
            (
                ActionInput {
                    gap: Some("soa:A.6.2.4".into()),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["gap"],
            ),
            (
                ActionInput {
                    requirements: Some(vec![
                        "ISO42001:6.1.2".into(),
                        "ISO42001:99.9".into(),
                        "NOPE:1".into(),
                    ]),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["requirements[1]", "requirements[2]"],
            ),
            (
                ActionInput {
                    depends_on: Some(vec!["ACT-1".into(), "ACT-7".into(), "CTL-1".into()]),
                    due_date: Some("2025-01-01".into()),
                    ..action("x", "2026-03-01", 1)
                },
                // Every problem at once, in the order of the form.
                vec!["due_date", "depends_on[1]", "depends_on[2]"],
            ),
            (
                ActionInput {
                    depends_on: Some(vec!["ACT-7".into()]),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["depends_on[0]"],
            ),
            (
                ActionInput {
                    depends_on: Some(vec!["ACT-1".into()]),
                    status: Some("done".into()),
                    ..action("x", "2026-03-01", 1)
                },
                vec!["status"],
            ),
        ];
        for (input, fields) in cases {
            let got = invalid_fields(b, app.action_add(&root(), &input).await);
            assert_eq!(got, fields, "{b}: {input:?}");
        }
        assert_eq!(row_count(app, "actions").await, rows, "{b}");
        assert_eq!(event_count(app).await, head, "{b}");
        // The next action still gets the next number.
        let a = ok(
            b,
            app.action_add(&root(), &action("Second", "2026-03-01", 1))
                .await,
        );
        assert_eq!(a.key, "ACT-2", "{b}");
        assert!(matches!(
            app.action_get(&root(), "ACT-99").await,
            Err(aims_app::AppError::NotFound { .. })
        ));
    }
}

/// The form's own rules and the references only the database can check are reported in one
/// pass, in the order of the form, for a new action and for a change.
#[tokio::test]
async fn every_problem_of_an_action_is_reported_at_once() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.action_add(&root(), &action("First", "2026-03-01", 1))
                .await,
        );
        let rows = row_count(app, "actions").await;
        let head = event_count(app).await;
        // The review's case: no effort and an owner that does not exist.
        let reviewed = ActionInput {
            title: Some("x".into()),
            owner: Some("nobody".into()),
            due_date: Some("2027-01-01".into()),
            ..Default::default()
        };
        let e = match app.action_add(&root(), &reviewed).await {
            Err(aims_app::AppError::Invalid(e)) => e,
            other => panic!("{b}: expected Invalid, got {other:?}"),
        };
        let named: Vec<(&str, &str)> =
            e.0.iter()
                .map(|f| (f.field.as_str(), f.reason.as_str()))
                .collect();
        assert_eq!(
            named,
            vec![
                ("owner", "no user named 'nobody'"),
                (
                    "effort",
                    "is required (person-days, a whole number above 0)"
                ),
            ],
            "{b}"
        );
        // Every kind at once: the core's rules and each reference.
        let everything = ActionInput {
            title: Some(" ".into()),
            owner: Some("nobody".into()),
            effort: None,
            depends_on: Some(vec!["ACT-1".into(), "ACT-9".into(), "CTL-1".into()]),
            gap: Some("soa:A.99".into()),
            requirements: Some(vec![
                "ISO42001:6.1.2".into(),
                "ISO42001:99.9".into(),
                "NOPE:1".into(),
                "no colon".into(),
            ]),
            ..action("x", "2026-03-01", 1)
        };
        assert_eq!(
            invalid_fields(b, app.action_add(&root(), &everything).await),
            vec![
                "title",
                "owner",
                "effort",
                "depends_on[1]",
                "depends_on[2]",
                "gap",
                "requirements[1]",
                "requirements[2]",
                "requirements[3]"
            ],
            "{b}"
        );
        // A malformed gap reference is named once, by the core.
        assert_eq!(
            invalid_fields(
                b,
                app.action_add(
                    &root(),
                    &ActionInput {
                        effort: Some(0),
                        gap: Some("A.6.2.4".into()),
                        owner: Some("nobody".into()),
                        ..action("x", "2026-03-01", 1)
                    }
                )
                .await
            ),
            vec!["owner", "effort", "gap"],
            "{b}"
        );
        // A change: a bad date, a missing owner, a cycle and an unknown gap together.
        ok(
            b,
            app.action_add(
                &root(),
                &ActionInput {
                    depends_on: Some(vec!["ACT-1".into()]),
                    ..action("Second", "2026-03-01", 1)
                },
            )
            .await,
        );
        let change = ActionInput {
            due_date: Some("2025-12-31".into()),
            owner: Some("nobody".into()),
            depends_on: Some(vec!["ACT-2".into(), "ACT-8".into()]),
            gap: Some("maturity:4.1".into()),
            ..Default::default()
        };
        let e = match app.action_update(&root(), "ACT-1", &change).await {
            Err(aims_app::AppError::Invalid(e)) => e,
            other => panic!("{b}: expected Invalid, got {other:?}"),
        };
        let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            named,
            vec!["owner", "due_date", "depends_on[0]", "depends_on[1]", "gap"],
            "{b}"
        );
        assert!(e.0[2].reason.contains("cycle"), "{b}: {e}");
        assert_eq!(e.0[3].reason, "no action ACT-8", "{b}");
        assert_eq!(row_count(app, "actions").await, rows + 1, "{b}");
        assert_eq!(
            event_count(app).await,
            head + 1,
            "{b}: nothing else written"
        );
        assert_eq!(
            ok(b, app.action_get(&root(), "ACT-1").await).fields.owner,
            "root",
            "{b}"
        );
    }
}

#[tokio::test]
async fn roles_decide_who_plans_and_contributors_move_their_own_actions() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let viewer = add_user(app, "vera", Role::Viewer).await;
        let auditor = add_user(app, "ida", Role::Auditor).await;
        let alan = add_user(app, "alan", Role::Contributor).await;
        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        for who in [&viewer, &auditor, &alan] {
            assert_forbidden(b, app.action_add(who, &action("x", "2026-03-01", 1)).await);
            assert_forbidden(
                b,
                app.certbody_add(
                    who,
                    &CertBodyInput {
                        name: Some("X".into()),
                        ..Default::default()
                    },
                )
                .await,
            );
        }
        let mine = ok(
            b,
            app.action_add(
                &rosa,
                &ActionInput {
                    owner: Some("alan".into()),
                    ..action("Alan's", "2099-03-01", 1)
                },
            )
            .await,
        );
        let theirs = ok(
            b,
            app.action_add(&rosa, &action("Root's", "2099-03-01", 1))
                .await,
        );
        let moved = ok(
            b,
            app.action_update(&alan, &mine.key, &status("in_progress"))
                .await,
        );
        assert_eq!(moved.fields.status, ActionStatus::InProgress, "{b}");
        let refused = |r: Result<_, aims_app::AppError>| match r {
            Err(aims_app::AppError::Refused(reason)) => reason,
            other => panic!("{b}: expected Refused, got {other:?}"),
        };
        let reason = refused(
            app.action_update(&alan, &theirs.key, &status("in_progress"))
                .await,
        );
        assert!(reason.contains("ACT-2 belongs to root"), "{b}: {reason}");
        let retitle = ActionInput {
            title: Some("Mine now".into()),
            ..status("done")
        };
        let reason = refused(app.action_update(&alan, &mine.key, &retitle).await);
        assert!(reason.contains("not their other fields"), "{b}: {reason}");
        assert_forbidden(
            b,
            app.action_update(&viewer, &mine.key, &status("done")).await,
        );
        // Everyone reads.
        for who in [&viewer, &auditor, &alan] {
            assert_eq!(
                ok(b, app.action_list(who, &ActionQuery::default()).await)
                    .items
                    .len(),
                2,
                "{b}"
            );
            ok(b, app.roadmap(who).await);
            ok(b, app.journey(who).await);
        }
    }
}

#[tokio::test]
async fn certification_bodies_allow_one_selected_and_briefings_are_kept() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let body = |name: &str| CertBodyInput {
            name: Some(name.into()),
            accreditation: Some("National accreditation body, ISO/IEC 42006 scheme".into()),
            sectors: Some(vec!["Finance".into(), "Health".into()]),
            ai_experience: Some("Audited two AI management systems".into()),
            ..Default::default()
        };
        let cb1 = ok(b, app.certbody_add(&root(), &body("Alpha Assurance")).await);
        assert_eq!(
            (cb1.key.as_str(), cb1.fields.status),
            ("CB-1", CertBodyStatus::Candidate),
            "{b}"
        );
        assert_eq!(cb1.fields.sectors, vec!["Finance", "Health"], "{b}");
        assert_conflict(
            b,
            app.certbody_add(&root(), &body("Alpha Assurance")).await,
            "name",
        );
        ok(
            b,
            app.certbody_add(&root(), &body("Beta Certification")).await,
        );
        let select = CertBodyInput {
            status: Some("selected".into()),
            ..Default::default()
        };
        let sel = ok(b, app.certbody_update(&root(), "cb-1", &select).await);
        assert_eq!(sel.fields.status, CertBodyStatus::Selected, "{b}");
        assert_eq!(sel.fields.accreditation, cb1.fields.accreditation, "{b}");
        let head = event_count(app).await;
        assert_conflict(
            b,
            app.certbody_update(&root(), "CB-2", &select).await,
            "status",
        );
        assert_eq!(event_count(app).await, head, "{b}");
        let rename = CertBodyInput {
            name: Some("Beta Certification".into()),
            ..Default::default()
        };
        assert_conflict(
            b,
            app.certbody_update(&root(), "CB-1", &rename).await,
            "name",
        );
        let bad = CertBodyInput {
            status: Some("chosen".into()),
            ..Default::default()
        };
        assert_invalid(
            b,
            app.certbody_update(&root(), "CB-2", &bad).await,
            "status",
        );
        let list = ok(b, app.certbody_list(&root()).await);
        assert_eq!(list.len(), 2, "{b}");

        let brief = |kind: &str, date: &str| BriefingInput {
            kind: Some(kind.into()),
            date: Some(date.into()),
            audience: Some("Executive committee".into()),
            summary: Some("Where the AIMS stands".into()),
            decisions: Some("Fund the roadmap".into()),
        };
        let b1 = ok(
            b,
            app.briefing_add(&root(), &brief("business_case", "2026-01-10"))
                .await,
        );
        assert_eq!(b1.key, "BRF-1", "{b}");
        ok(
            b,
            app.briefing_add(&root(), &brief("leadership_briefing", "2026-02-10"))
                .await,
        );
        let all = ok(b, app.briefing_list(&root(), None).await);
        assert_eq!(
            all.iter().map(|x| x.key.as_str()).collect::<Vec<_>>(),
            vec!["BRF-2", "BRF-1"],
            "{b}: newest first"
        );
        let cases = ok(b, app.briefing_list(&root(), Some("business_case")).await);
        assert_eq!(cases.len(), 1, "{b}");
        assert_invalid(b, app.briefing_list(&root(), Some("memo")).await, "kind");
        assert_invalid(
            b,
            app.briefing_add(&root(), &brief("memo", "2026-01-10"))
                .await,
            "kind",
        );
        assert_invalid(
            b,
            app.briefing_add(&root(), &brief("business_case", "2999-01-10"))
                .await,
            "date",
        );

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        raw(
            app,
            "UPDATE certification_bodies SET notes = 'edited' WHERE key = 'CB-2'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "CB-2"),
            "{b}: {:?}",
            report.problem
        );
        raw(
            app,
            "UPDATE certification_bodies SET notes = NULL WHERE key = 'CB-2'",
        )
        .await;
        raw(
            app,
            "UPDATE briefings SET audience = 'Board' WHERE key = 'BRF-1'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "BRF-1"),
            "{b}: {:?}",
            report.problem
        );
    }
}
