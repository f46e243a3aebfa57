//! The Statement of Applicability: decisions, derived statuses, refusals, versions and approval,
//! permissions and the ledger's check of its rows.

use aims_app::soa::{annex_a, to_csv, to_xlsx};
use aims_core::control::{ControlInput, LinksInput};
use aims_core::ledger::Break;
use aims_core::soa::{SoaEntryInput, SoaStatus};
use aims_core::Role;

use crate::harness::{
    add_user, assert_conflict, assert_forbidden, assert_invalid, backends, fresh, ok, raw, root,
    snapshot, xlsx_rows,
};

fn decide(applicable: bool, justification: &str) -> SoaEntryInput {
    SoaEntryInput {
        applicable: Some(applicable),
        justification: Some(justification.into()),
    }
}

fn control(name: &str) -> ControlInput {
    ControlInput {
        name: Some(name.into()),
        description: Some(format!("How {name} works")),
        owner: Some("root".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn lines_follow_decisions_and_linked_controls() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let lines = ok(b, app.soa_show(&root()).await);
        assert_eq!(lines.len(), 38, "{b}: one line per Annex A control");
        assert_eq!(lines.len(), annex_a().len(), "{b}");
        assert_eq!(lines[0].control_id, "A.2.2", "{b}");
        assert!(
            lines
                .iter()
                .all(|l| l.applicable.is_none() && l.status == SoaStatus::NotImplemented),
            "{b}"
        );

        let e = ok(
            b,
            app.soa_set(&root(), "a.6.2.4", &decide(true, "We build models"))
                .await,
        );
        assert_eq!(
            (e.control_id.as_str(), e.applicable),
            ("A.6.2.4", true),
            "{b}"
        );
        ok(
            b,
            app.soa_set(&root(), "A.10.3", &decide(false, "No suppliers of AI"))
                .await,
        );

        let c1 = ok(b, app.control_add(&root(), &control("V&V")).await);
        let c2 = ok(b, app.control_add(&root(), &control("Testing")).await);
        for key in [&c1.key, &c2.key] {
            let links = LinksInput {
                requirements: Some(vec!["ISO42001:A.6.2.4".into(), "ISO42001:A.10.3".into()]),
                systems: None,
            };
            ok(b, app.control_link(&root(), key, &links).await);
        }
        let line = |lines: &[aims_core::soa::SoaLine], id: &str| {
            lines
                .iter()
                .find(|l| l.control_id == id)
                .cloned()
                .unwrap_or_else(|| panic!("no line {id}"))
        };
        let lines = ok(b, app.soa_show(&root()).await);
        let l = line(&lines, "A.6.2.4");
        assert_eq!(l.status, SoaStatus::Planned, "{b}");
        assert_eq!(l.controls, vec!["CTL-1", "CTL-2"], "{b}");
        assert_eq!(l.justification.as_deref(), Some("We build models"), "{b}");
        assert_eq!(l.evidence_count, 0, "{b}");
        assert_eq!(line(&lines, "A.10.3").status, SoaStatus::Excluded, "{b}");

        let status = |s: &str| ControlInput {
            status: Some(s.into()),
            implementation_date: Some("2026-01-10".into()),
            ..Default::default()
        };
        ok(
            b,
            app.control_update(&root(), "CTL-1", &status("in_progress"))
                .await,
        );
        let lines = ok(b, app.soa_show(&root()).await);
        assert_eq!(
            line(&lines, "A.6.2.4").status,
            SoaStatus::PartiallyImplemented,
            "{b}"
        );
        ok(
            b,
            app.control_update(&root(), "CTL-1", &status("implemented"))
                .await,
        );
        ok(
            b,
            app.control_update(&root(), "CTL-2", &status("not_applicable"))
                .await,
        );
        let lines = ok(b, app.soa_show(&root()).await);
        assert_eq!(
            line(&lines, "A.6.2.4").status,
            SoaStatus::Implemented,
            "{b}"
        );

        let csv = ok(b, to_csv(&lines));
        assert!(
            csv.starts_with("control_id,title,applicable,justification,status,controls,evidence\n"),
            "{b}"
        );
        let csv_rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(csv_rows.len(), 38, "{b}");
        let xlsx = ok(b, to_xlsx(&lines));
        let sheet = xlsx_rows(&xlsx, "SoA");
        assert_eq!(sheet[0][0], "control_id", "{b}");
        assert_eq!(sheet[1..], csv_rows[..], "{b}");
        let a624 = sheet.iter().find(|r| r[0] == "A.6.2.4");
        assert_eq!(
            a624.map(|r| (r[4].as_str(), r[5].as_str())),
            Some(("implemented", "CTL-1 CTL-2")),
            "{b}"
        );

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn bad_decisions_are_refused_and_write_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = snapshot(app).await;
        for applicable in [false, true] {
            let missing = SoaEntryInput {
                applicable: Some(applicable),
                justification: None,
            };
            assert_invalid(
                b,
                app.soa_set(&root(), "A.10.3", &missing).await,
                "justification",
            );
            assert_invalid(
                b,
                app.soa_set(&root(), "A.10.3", &decide(applicable, "   "))
                    .await,
                "justification",
            );
        }
        assert_invalid(
            b,
            app.soa_set(&root(), "A.99.1", &decide(true, "x")).await,
            "control_id",
        );
        assert_invalid(
            b,
            app.soa_set(&root(), "4.1", &decide(true, "a clause, not a control"))
                .await,
            "control_id",
        );
        assert_eq!(snapshot(app).await, before, "{b}: nothing written");
    }
}

#[tokio::test]
async fn versions_are_recorded_and_approved_once() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.soa_set(&root(), "A.2.2", &decide(true, "Policy needed"))
                .await,
        );
        let v = ok(b, app.soa_snapshot(&root()).await);
        assert_eq!((v.key.as_str(), v.version), ("SOA-1", 1), "{b}");
        assert_eq!(v.lines.len(), 38, "{b}");
        assert_eq!(v.lines[0].applicable, Some(true), "{b}");
        let approved = ok(b, app.soa_approve(&root(), 1).await);
        assert_eq!(approved.approved_by.as_deref(), Some("root"), "{b}");
        assert_conflict(b, app.soa_approve(&root(), 1).await, "version");
        ok(
            b,
            app.soa_set(&root(), "A.2.2", &decide(false, "Changed our mind"))
                .await,
        );
        let v2 = ok(b, app.soa_snapshot(&root()).await);
        assert_eq!(v2.version, 2, "{b}");
        let history = ok(b, app.soa_history(&root()).await);
        assert_eq!(history.len(), 2, "{b}");
        assert_eq!(
            history[1].lines[0].applicable,
            Some(true),
            "{b}: version 1 kept"
        );
        assert_eq!(history[0].lines[0].applicable, Some(false), "{b}");
        assert!(history[0].approved_at.is_none(), "{b}");
    }
}

#[tokio::test]
async fn permissions_per_role() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let lead = add_user(app, "gl", Role::GovernanceLead).await;
        let risk = add_user(app, "ro", Role::RiskOwner).await;
        let contributor = add_user(app, "co", Role::Contributor).await;
        let auditor = add_user(app, "au", Role::Auditor).await;
        let viewer = add_user(app, "vi", Role::Viewer).await;
        for who in [&contributor, &auditor, &viewer] {
            assert_forbidden(b, app.soa_set(who, "A.2.2", &decide(true, "x")).await);
            assert_forbidden(b, app.soa_snapshot(who).await);
            assert_eq!(ok(b, app.soa_show(who).await).len(), 38, "{b}");
        }
        ok(b, app.soa_set(&risk, "A.2.2", &decide(true, "x")).await);
        ok(b, app.soa_snapshot(&risk).await);
        assert_forbidden(b, app.soa_approve(&risk, 1).await);
        assert_forbidden(b, app.soa_approve(&viewer, 1).await);
        ok(b, app.soa_approve(&lead, 1).await);
        assert_eq!(ok(b, app.soa_history(&viewer).await).len(), 1, "{b}");
    }
}

#[tokio::test]
async fn a_decision_changed_behind_the_app_is_detected() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.soa_set(&root(), "A.10.3", &decide(false, "No suppliers"))
                .await,
        );
        ok(b, app.soa_snapshot(&root()).await);
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        let head = report.head.seq;
        raw(
            app,
            "UPDATE soa_entries SET applicable = 1 WHERE control_id = 'A.10.3'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert_eq!(
            report.problem,
            Some(Break::EntityMismatch {
                kind: "soa_entry".into(),
                key: "SOA:A.10.3".into(),
                last_seq: head - 1,
            }),
            "{b}"
        );
        raw(
            app,
            "UPDATE soa_entries SET applicable = 0 WHERE control_id = 'A.10.3'",
        )
        .await;
        raw(
            app,
            "UPDATE soa_versions SET content = '[]' WHERE version = 1",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert_eq!(
            report.problem,
            Some(Break::EntityMismatch {
                kind: "soa_version".into(),
                key: "SOA-1".into(),
                last_seq: head,
            }),
            "{b}"
        );
    }
}
