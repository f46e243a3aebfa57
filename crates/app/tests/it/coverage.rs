//! Coverage through the built-in crosswalks: what the ISO 42001 implementation covers of the EU
//! AI Act, and what an imported ISO 27001 implementation covers of ISO 42001; refusals, the
//! ledger and permissions. The coverage rule itself is checked against an example worked by
//! hand in the app crate's unit tests.

use aims_app::coverage::CoverageReport;
use aims_app::AppError;
use aims_catalog::{Catalog, Relationship};
use aims_core::control::{ControlInput, LinksInput};
use aims_core::coverage::Coverage;
use aims_core::ledger::Break;
use aims_core::soa::SoaEntryInput;
use aims_core::Role;

use crate::harness::{
    add_user, assert_forbidden, assert_invalid, backends, fresh, invalid_fields, ok, raw, root,
    snapshot,
};

fn coverage_of<'a>(
    r: &'a CoverageReport,
    id: &str,
) -> Option<&'a aims_app::coverage::RequirementCoverage> {
    r.requirements.iter().find(|q| q.id == id)
}

#[tokio::test]
async fn the_iso42001_implementation_covers_eu_ai_act_articles_through_its_controls() {
    let walk = Catalog::crosswalk("ISO42001", "EUAIA")
        .unwrap_or_else(|| panic!("no built-in crosswalk to EUAIA"));
    let art9: Vec<_> = walk.links.iter().filter(|l| l.to == "Art. 9").collect();
    assert!(art9.len() >= 3, "Art. 9 links to several ISO 42001 items");
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = ok(b, app.coverage(&root(), "euaia").await);
        assert_eq!(before.covered, "EUAIA", "{b}");
        assert_eq!(
            before.tally.wholly + before.tally.partly,
            0,
            "{b}: nothing implemented"
        );
        assert_eq!(before.percent, 0, "{b}");
        assert_eq!(
            before.tally.total(),
            before.requirements.len(),
            "{b}: one line per article"
        );
        assert_eq!(
            coverage_of(&before, "Art. 9").map(|r| r.coverage),
            Some(Coverage::Uncovered),
            "{b}"
        );

        // One implemented control meeting every ISO 42001 item linked to Art. 9; Annex A
        // controls among them are also declared applicable in the SoA.
        let requirements: Vec<String> = art9
            .iter()
            .map(|l| format!("ISO42001:{}", l.from))
            .collect();
        let key = ok(
            b,
            app.control_add(
                &root(),
                &ControlInput {
                    name: Some("AI risk process".into()),
                    description: Some("Assess and treat AI risks".into()),
                    owner: Some("root".into()),
                    ..Default::default()
                },
            )
            .await,
        )
        .key;
        ok(
            b,
            app.control_link(
                &root(),
                &key,
                &LinksInput {
                    requirements: Some(requirements),
                    ..Default::default()
                },
            )
            .await,
        );
        for l in art9.iter().filter(|l| l.from.starts_with("A.")) {
            let decision = SoaEntryInput {
                applicable: Some(true),
                justification: Some("We assess AI risks".into()),
            };
            ok(b, app.soa_set(&root(), &l.from, &decision).await);
        }
        let in_progress = ok(b, app.coverage(&root(), "EUAIA").await);
        assert_eq!(
            coverage_of(&in_progress, "Art. 9").map(|r| r.coverage),
            Some(Coverage::Uncovered),
            "{b}: a planned control covers nothing yet"
        );
        let implemented = ControlInput {
            status: Some("implemented".into()),
            implementation_date: Some("2026-10-01".into()),
            ..Default::default()
        };
        ok(b, app.control_update(&root(), &key, &implemented).await);
        let after = ok(b, app.coverage(&root(), "EUAIA").await);
        let line = coverage_of(&after, "Art. 9")
            .unwrap_or_else(|| panic!("{b}: Art. 9 is not a requirement"));
        let whole = art9.iter().any(|l| {
            matches!(
                l.relationship,
                Relationship::Equivalent | Relationship::Superset
            )
        });
        let expected = if whole {
            Coverage::Wholly
        } else {
            Coverage::Partly
        };
        assert_eq!(line.coverage, expected, "{b}");
        assert_eq!(line.covered_by.len(), art9.len(), "{b}");
        assert!(after.percent > before.percent, "{b}");
        let group = after.groups.iter().find(|g| g.id == "Art. 9");
        assert!(
            group.is_some_and(|g| g.uncovered.is_empty()),
            "{b}: Art. 9 no longer listed as uncovered"
        );
        assert_invalid(b, app.coverage(&root(), "GDPR").await, "framework");
    }
}

const REGISTER: &str = "Control,Status,Notes\n\
A.5.1,Implemented,Policy set approved 2025\n\
10.2,implemented,\n\
A.5.2,partial,Roles being redrawn\n\
A.8.1,not applicable,\n";

#[tokio::test]
async fn an_iso27001_register_shows_what_it_covers_of_iso42001() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let empty = ok(b, app.integration_coverage(&root(), "ISO27001").await);
        assert!(empty.implementation.is_none(), "{b}");
        assert_eq!(empty.coverage.covering, "ISO27001", "{b}");
        assert_eq!(empty.coverage.covered, "ISO42001", "{b}");

        let recorded = ok(
            b,
            app.integration_import(&root(), "iso27001", "isms-soa.csv", REGISTER)
                .await,
        );
        assert_eq!(recorded.framework, "ISO27001", "{b}");
        assert_eq!(recorded.source, "isms-soa.csv", "{b}");
        let ids: Vec<&str> = recorded.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            ["10.2", "A.5.1", "A.5.2", "A.8.1"],
            "{b}: catalog order"
        );

        let view = ok(b, app.integration_coverage(&root(), "ISO27001").await);
        let r = &view.coverage;
        // A.2.2 (AI policy) is a subset of 27001 A.5.1 (policy set): implemented, it covers
        // A.2.2 wholly. 10.2 is equivalent in both standards.
        assert_eq!(
            coverage_of(r, "A.2.2").map(|q| q.coverage),
            Some(Coverage::Wholly),
            "{b}"
        );
        assert_eq!(
            coverage_of(r, "10.2").map(|q| q.coverage),
            Some(Coverage::Wholly),
            "{b}"
        );
        // 6.1.4 (AI system impact assessment) has no ISO 27001 counterpart.
        assert_eq!(
            coverage_of(r, "6.1.4").map(|q| q.coverage),
            Some(Coverage::NoCounterpart),
            "{b}"
        );
        assert!(r.tally.wholly >= 2, "{b}");
        assert_eq!(
            app.integration_list(&root()).await.map(|l| l.len()).ok(),
            Some(1),
            "{b}"
        );

        // Re-importing replaces the earlier register.
        ok(
            b,
            app.integration_import(&root(), "ISO27001", "v2.csv", "id,status\nA.5.1,no\n")
                .await,
        );
        let view = ok(b, app.integration_coverage(&root(), "ISO27001").await);
        assert_eq!(view.implementation.map(|i| i.items.len()), Some(1), "{b}");
        assert_eq!(
            coverage_of(&view.coverage, "A.2.2").map(|q| q.coverage),
            Some(Coverage::Uncovered),
            "{b}"
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn bad_registers_are_refused_and_write_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = snapshot(app).await;
        let fields = invalid_fields(
            b,
            app.integration_import(
                &root(),
                "ISO27001",
                "x.csv",
                "id,status\nA.5.1,implemented\nA.5.99,implemented\nA.5.2,sometimes\nA.5.1,no\n",
            )
            .await,
        );
        assert_eq!(
            fields,
            ["rows[3].id", "rows[4].status", "rows[5].id"],
            "{b}"
        );
        assert_invalid(
            b,
            app.integration_import(&root(), "ISO27001", "x.csv", "name\nfoo\n")
                .await,
            "content",
        );
        assert_invalid(
            b,
            app.integration_import(&root(), "ISO27001", "x.csv", "id,status\n")
                .await,
            "content",
        );
        assert_invalid(
            b,
            app.integration_import(&root(), "ISO42001", "x.csv", REGISTER)
                .await,
            "framework",
        );
        for other in ["EUAIA", "NISTAIRMF", "FOO"] {
            match app
                .integration_import(&root(), other, "x.csv", REGISTER)
                .await
            {
                Err(AppError::Invalid(e)) => {
                    assert_eq!(e.0.len(), 1, "{b}: {e:?}");
                    assert_eq!(e.0[0].field, "framework", "{b}");
                    assert!(
                        e.0[0].reason.contains(
                            "an existing management system to import is ISO27001 or ISO9001"
                        ),
                        "{b}: {}",
                        e.0[0].reason
                    );
                }
                r => panic!("{b}: {other}: expected Invalid, got {r:?}"),
            }
        }
        assert_eq!(snapshot(app).await, before, "{b}: nothing written");
    }
}

#[tokio::test]
async fn only_admins_and_leads_import_and_every_role_reads() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        for role in [
            Role::RiskOwner,
            Role::Contributor,
            Role::Auditor,
            Role::Viewer,
        ] {
            let who = add_user(app, &format!("u{}", role.as_str()), role).await;
            assert_forbidden(
                b,
                app.integration_import(&who, "ISO9001", "q.csv", "id,status\n7.5,yes\n")
                    .await,
            );
            ok(b, app.coverage(&who, "NISTAIRMF").await);
            ok(b, app.integration_coverage(&who, "ISO9001").await);
        }
        let lead = add_user(app, "lead", Role::GovernanceLead).await;
        let r = ok(
            b,
            app.integration_import(&lead, "ISO9001", "q.csv", "id,status\n7.5,yes\n")
                .await,
        );
        assert_eq!(r.imported_by, "lead", "{b}");
    }
}

#[tokio::test]
async fn a_register_changed_behind_the_app_is_detected() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.integration_import(&root(), "ISO27001", "r.csv", REGISTER)
                .await,
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        raw(
            app,
            "UPDATE external_implementations SET status = 'implemented' WHERE item_id = 'A.5.2'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(
                &report.problem,
                Some(Break::EntityMismatch { kind, key, .. })
                    if kind == "external_implementation" && key == "EXT:ISO27001"
            ),
            "{b}: {:?}",
            report.problem
        );
    }
}
