//! Nonconformities: references checked, corrective actions created through the action service
//! or linked, done only through an effective check, closing only when every action was
//! effective, roles and the ledger.

use aims_app::nonconformities::{NcActionInput, NcQuery, VerifyInput};
use aims_core::action::{ActionInput, ActionStatus};
use aims_core::ledger::Break;
use aims_core::nonconformity::{CheckResult, NcInput, NcStatus};
use aims_core::Role;

use crate::harness::{
    add_system, add_user, assert_conflict, assert_forbidden, backends, event_count, fresh,
    invalid_fields, ok, raw, root, snapshot, system_input,
};
use crate::incidents::incident_input;

pub fn nc_input(description: &str) -> NcInput {
    NcInput {
        source: Some("internal_audit".into()),
        requirement: Some("iso42001:8.4".into()),
        description: Some(description.into()),
        correction: Some("Re-ran the assessment".into()),
        root_cause: Some("No reminder of the review date".into()),
        owner: Some("root".into()),
        due_date: Some("2026-12-31".into()),
        ..Default::default()
    }
}

fn action(title: &str) -> ActionInput {
    ActionInput {
        title: Some(title.into()),
        owner: Some("root".into()),
        due_date: Some("2026-12-31".into()),
        effort: Some(2),
        ..Default::default()
    }
}

fn check(action: &str, result: &str) -> VerifyInput {
    VerifyInput {
        action: action.into(),
        result: result.into(),
        note: "Sampled ten assessments".into(),
        checked_at: None,
    }
}

#[tokio::test]
async fn corrective_actions_close_a_nonconformity_only_after_effective_checks() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let nc = ok(
            b,
            app.nc_add(&root(), &nc_input("Impact assessments not re-done"))
                .await,
        );
        assert_eq!(
            (nc.key.as_str(), nc.status),
            ("NC-1", NcStatus::Open),
            "{b}"
        );
        assert_eq!(nc.requirement.as_deref(), Some("ISO42001:8.4"), "{b}");
        assert_conflict(b, app.nc_close(&root(), "NC-1").await, "status");

        let events = event_count(app).await;
        let (nc, act) = ok(
            b,
            app.nc_action(
                &root(),
                "NC-1",
                &NcActionInput::New(Box::new(action("Add review reminders"))),
            )
            .await,
        );
        assert_eq!(
            (act.key.as_str(), nc.status, nc.actions.clone()),
            ("ACT-1", NcStatus::ActionPlanned, vec!["ACT-1".to_string()]),
            "{b}"
        );
        assert_eq!(
            event_count(app).await,
            events + 2,
            "{b}: the action and the link in one go"
        );

        // The ordinary update may not set it done.
        let done = ActionInput {
            status: Some("done".into()),
            ..Default::default()
        };
        assert_conflict(
            b,
            app.action_update(&root(), "ACT-1", &done).await,
            "status",
        );
        let started = ActionInput {
            status: Some("in_progress".into()),
            ..Default::default()
        };
        ok(b, app.action_update(&root(), "ACT-1", &started).await);

        // An existing action can be linked too.
        let other = ok(b, app.action_add(&root(), &action("Train assessors")).await);
        ok(
            b,
            app.nc_action(
                &root(),
                "NC-1",
                &NcActionInput::Existing(other.key.to_lowercase()),
            )
            .await,
        );
        assert_conflict(
            b,
            app.nc_action(&root(), "NC-1", &NcActionInput::Existing(other.key.clone()))
                .await,
            "action",
        );

        let (nc, a) = ok(
            b,
            app.nc_verify(&root(), "NC-1", &check("ACT-1", "not_effective"))
                .await,
        );
        assert_eq!(
            (a.fields.status, nc.status),
            (ActionStatus::InProgress, NcStatus::ActionPlanned),
            "{b}"
        );
        assert_eq!(
            nc.checks.last().map(|c| (c.result, c.checked_by.as_str())),
            Some((CheckResult::NotEffective, "root")),
            "{b}"
        );
        ok(
            b,
            app.nc_verify(&root(), "NC-1", &check("ACT-1", "effective"))
                .await,
        );
        let a1 = ok(b, app.action_get(&root(), "ACT-1").await);
        assert_eq!(a1.fields.status, ActionStatus::Done, "{b}");
        match app.nc_close(&root(), "NC-1").await {
            Err(aims_app::AppError::Conflict(f)) => {
                assert_eq!(f.field, "status", "{b}");
                assert!(f.reason.ends_with(&other.key), "{b}: {}", f.reason);
            }
            other => panic!("{b}: expected a conflict, got {other:?}"),
        }
        let (nc, _) = ok(
            b,
            app.nc_verify(
                &root(),
                "NC-1",
                &VerifyInput {
                    checked_at: Some("2026-01-15".into()),
                    ..check(&other.key, "effective")
                },
            )
            .await,
        );
        assert_eq!(nc.status, NcStatus::Verifying, "{b}");
        assert_eq!(
            nc.checks.last().map(|c| c.checked_at.as_str()),
            Some("2026-01-15"),
            "{b}"
        );
        let closed = ok(b, app.nc_close(&root(), "NC-1").await);
        assert_eq!(closed.status, NcStatus::Closed, "{b}");
        assert_conflict(
            b,
            app.nc_verify(&root(), "NC-1", &check("ACT-1", "effective"))
                .await,
            "status",
        );

        let listed = ok(
            b,
            app.nc_list(
                &root(),
                &NcQuery {
                    status: Some("closed".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(listed.total, 1, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        raw(app, "DELETE FROM nc_actions WHERE action_key = 'ACT-1'").await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "NC-1"),
            "{b}: {:?}",
            report.problem
        );
    }
}

#[tokio::test]
async fn references_and_roles_are_checked_and_refusals_write_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let before = snapshot(app).await;
        let mut input = nc_input("x");
        input.source = Some("incident".into());
        input.source_ref = Some("INC-4".into());
        input.owner = Some("nobody".into());
        assert_eq!(
            invalid_fields(b, app.nc_add(&root(), &input).await),
            vec!["owner", "source_ref"],
            "{b}"
        );
        input.source_ref = Some("RSK-4".into());
        input.owner = Some("root".into());
        assert_eq!(
            invalid_fields(b, app.nc_add(&root(), &input).await),
            vec!["source_ref"],
            "{b}"
        );
        assert_eq!(snapshot(app).await, before, "{b}");
        ok(
            b,
            app.incident_add(&root(), &incident_input("Leak", &sys))
                .await,
        );
        input.source_ref = Some("inc-1".into());
        let nc = ok(b, app.nc_add(&root(), &input).await);
        assert_eq!(nc.source_ref.as_deref(), Some("INC-1"), "{b}");
        let from_inc = ok(
            b,
            app.nc_list(
                &root(),
                &NcQuery {
                    source_ref: Some("INC-1".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(from_inc.total, 1, "{b}");

        let carl = add_user(app, "carl", Role::Contributor).await;
        let ann = add_user(app, "ann", Role::Auditor).await;
        for who in [&carl, &ann] {
            assert_forbidden(b, app.nc_add(who, &nc_input("x")).await);
            assert_forbidden(
                b,
                app.nc_verify(who, "NC-1", &check("ACT-1", "effective"))
                    .await,
            );
        }
        let bad = VerifyInput {
            action: "ACT-1".into(),
            result: "maybe".into(),
            note: " ".into(),
            checked_at: Some("2999-01-01".into()),
        };
        assert_eq!(
            invalid_fields(b, app.nc_verify(&root(), "NC-1", &bad).await),
            vec!["result", "note", "checked_at"],
            "{b}"
        );
        assert_eq!(
            invalid_fields(
                b,
                app.nc_verify(&root(), "NC-1", &check("ACT-1", "effective"))
                    .await
            ),
            vec!["action"],
            "{b}"
        );
    }
}
