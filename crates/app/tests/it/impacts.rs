//! AI system impact assessments: a version from draft to sign-off, every refusal with its field
//! and nothing written, versions superseding each other, re-assessment due for each system field
//! that sets it (and not for others), roles, the ledger and the demo.

use std::collections::BTreeMap;

use aims_app::impacts::ImpactQuery;
use aims_app::AppError;
use aims_core::control::ControlInput;
use aims_core::impact::{
    FriaInput, HarmArea, HarmInput, ImpactInput, ImpactStatus, MitigationInput, SignInput,
};
use aims_core::inventory::SystemInput;
use aims_core::ledger::Break;
use aims_core::risk::methodology::{square_doc, RiskLevel};
use aims_core::Role;

use crate::harness::{
    add_system, add_user, all_events, assert_conflict, assert_forbidden, backends, fresh,
    invalid_fields, ok, raw, root, snapshot, system_input,
};
use crate::risks::risk_input;

fn harm(s: i64, l: i64) -> HarmInput {
    HarmInput {
        description: Some(format!("Harm {s}x{l}")),
        severity: Some(s),
        likelihood: Some(l),
    }
}

/// A complete assessment of `system`: every harm area at 2x2 except privacy at 4x3.
pub fn complete(system: &str) -> ImpactInput {
    let mut harms: BTreeMap<String, HarmInput> = HarmArea::ALL
        .iter()
        .map(|a| (a.as_str().to_owned(), harm(2, 2)))
        .collect();
    harms.insert("privacy".into(), harm(4, 3));
    ImpactInput {
        system: Some(system.into()),
        intended_use: Some("Decision support for staff".into()),
        foreseeable_misuse: Some("Fully automated decisions".into()),
        affected_groups: Some(vec!["Applicants".into(), "Staff".into()]),
        vulnerable_groups: Some(vec!["Minors".into()]),
        harms: Some(harms),
        benefits: Some("Faster answers".into()),
        residual_assessment: Some("Acceptable with human review".into()),
        ..Default::default()
    }
}

fn fria() -> FriaInput {
    FriaInput {
        deployer_process: Some("Hiring".into()),
        period_and_frequency: Some("Daily".into()),
        persons_affected: Some("Candidates".into()),
        specific_risks: Some("Indirect discrimination".into()),
        human_oversight: Some("Recruiter reads each".into()),
        measures_if_materialised: Some("Suspend and review".into()),
    }
}

pub fn sign() -> SignInput {
    SignInput {
        note: Some("Reviewed".into()),
    }
}

#[tokio::test]
async fn an_assessment_is_drafted_signed_and_superseded() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        let risk = ok(b, app.risk_add(&root(), &risk_input("Bias")).await);
        let ctl = ok(
            b,
            app.control_add(
                &root(),
                &ControlInput {
                    name: Some("Review".into()),
                    description: Some("Human review".into()),
                    owner: Some("root".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let mut input = complete(&sys.to_lowercase());
        input.mitigations = Some(vec![MitigationInput::parse_line(&format!(
            "Human review | {} | {}",
            risk.key.to_lowercase(),
            ctl.key
        ))]);
        let a = ok(b, app.impact_add(&root(), &input).await);
        assert_eq!(a.assessment.key, "AIA-1", "{b}");
        assert_eq!(a.assessment.system, sys, "{b}");
        assert_eq!(a.assessment.version, 1, "{b}");
        assert_eq!(a.assessment.status, ImpactStatus::Draft, "{b}");
        assert_eq!(a.assessment.author, "root", "{b}");
        assert_eq!(a.assessment.methodology_version, 1, "{b}: MTH-1 recorded");
        assert_eq!(a.system_name, "Scoring", "{b}");
        assert!(!a.fria_required, "{b}");
        let privacy = &a.assessment.fields.harms[&HarmArea::Privacy];
        assert_eq!((privacy.severity, privacy.likelihood), (4, 3), "{b}");
        assert_eq!(
            privacy.level,
            Some(RiskLevel::High),
            "{b}: 3x4 on the 5x5 matrix"
        );
        assert_eq!(
            a.assessment.fields.harms[&HarmArea::Safety].level,
            Some(RiskLevel::Low),
            "{b}"
        );
        let m = &a.assessment.fields.mitigations[0];
        assert_eq!(m.risks.iter().collect::<Vec<_>>(), vec!["RSK-1"], "{b}");
        assert_eq!(m.controls.iter().collect::<Vec<_>>(), vec!["CTL-1"], "{b}");

        // A draft changes; the one who changes it becomes a contributor.
        let patch = ImpactInput {
            benefits: Some("Fewer errors".into()),
            ..Default::default()
        };
        let u = ok(b, app.impact_update(&rosa, "aia-1", &patch).await);
        assert_eq!(
            u.assessment.fields.benefits.as_deref(),
            Some("Fewer errors")
        );
        assert_eq!(
            u.assessment.fields.intended_use,
            "Decision support for staff"
        );
        assert!(u.assessment.contributors.contains("rosa"), "{b}");

        // Neither the author nor a contributor signs it off.
        let snap = snapshot(app).await;
        assert_eq!(
            invalid_fields(b, app.impact_sign(&root(), "AIA-1", &sign()).await),
            vec!["author"]
        );
        assert_eq!(
            invalid_fields(b, app.impact_sign(&rosa, "AIA-1", &sign()).await),
            vec!["contributors"]
        );
        assert_eq!(snapshot(app).await, snap, "{b}: nothing written");

        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        let s = ok(b, app.impact_sign(&grace, "AIA-1", &sign()).await);
        assert_eq!(s.assessment.status, ImpactStatus::Signed, "{b}");
        assert_eq!(s.assessment.signed_by.as_deref(), Some("grace"), "{b}");
        assert_eq!(s.assessment.sign_note.as_deref(), Some("Reviewed"), "{b}");
        assert!(s.in_force, "{b}");

        // Signed: no more changes, no second sign-off.
        assert_conflict(
            b,
            app.impact_update(&root(), "AIA-1", &patch).await,
            "status",
        );
        assert_conflict(b, app.impact_sign(&grace, "AIA-1", &sign()).await, "status");

        // A new version starts from the previous one; it supersedes it once signed.
        let v2 = ImpactInput {
            system: Some(sys.clone()),
            residual_assessment: Some("Better after review".into()),
            ..Default::default()
        };
        let n = ok(b, app.impact_add(&grace, &v2).await);
        assert_eq!(
            (n.assessment.key.as_str(), n.assessment.version),
            ("AIA-2", 2)
        );
        assert_eq!(
            n.assessment.fields.benefits.as_deref(),
            Some("Fewer errors")
        );
        assert_eq!(n.assessment.fields.harms.len(), 8, "{b}");
        assert_conflict(b, app.impact_add(&grace, &v2).await, "system");
        let old = ok(b, app.impact_get(&root(), "AIA-1").await);
        assert!(old.view.in_force, "{b}: the draft does not supersede yet");
        ok(b, app.impact_sign(&rosa, "AIA-2", &sign()).await);
        let old = ok(b, app.impact_get(&root(), "AIA-1").await);
        assert!(!old.view.in_force, "{b}");
        assert_eq!(old.view.superseded_by.as_deref(), Some("AIA-2"), "{b}");
        let keys: Vec<(String, i64)> = old
            .versions
            .iter()
            .map(|v| (v.assessment.key.clone(), v.assessment.version))
            .collect();
        assert_eq!(keys, vec![("AIA-1".into(), 1), ("AIA-2".into(), 2)], "{b}");

        // The ledger: create, update, sign, create, sign; verify stays green.
        let events: Vec<(String, String)> = all_events(app)
            .await
            .into_iter()
            .filter(|e| e.kind == "impact_assessment")
            .map(|e| (e.key, e.action))
            .collect();
        let expected: Vec<(String, String)> = [
            ("AIA-1", "create"),
            ("AIA-1", "update"),
            ("AIA-1", "sign"),
            ("AIA-2", "create"),
            ("AIA-2", "sign"),
        ]
        .iter()
        .map(|(k, a)| ((*k).into(), (*a).into()))
        .collect();
        assert_eq!(events, expected, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);

        // An edit behind the application's back is found.
        raw(
            app,
            "UPDATE impact_assessments SET content = REPLACE(content, 'Fewer errors', 'Tampered') WHERE key = 'AIA-1'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "AIA-1"),
            "{b}: {:?}",
            report.problem
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.methodology_set(&root(), square_doc(3)).await);
        let snap = snapshot(app).await;

        let mut i = complete(&sys);
        i.harms = Some(BTreeMap::from([("privacy".into(), harm(4, 3))]));
        assert_eq!(
            invalid_fields(b, app.impact_add(&root(), &i).await),
            vec!["harms[privacy].severity"],
            "{b}: 4 is outside the 3x3 scale"
        );
        i.harms = Some(BTreeMap::from([
            ("economic".into(), harm(0, 4)),
            ("weather".into(), harm(1, 1)),
        ]));
        assert_eq!(
            invalid_fields(b, app.impact_add(&root(), &i).await),
            vec![
                "harms[economic].severity",
                "harms[economic].likelihood",
                "harms[weather]"
            ],
            "{b}"
        );
        let mut i = complete("SYS-99");
        assert_eq!(
            invalid_fields(b, app.impact_add(&root(), &i).await),
            vec!["system"]
        );
        i.system = None;
        assert_eq!(
            invalid_fields(b, app.impact_add(&root(), &i).await),
            vec!["system"]
        );
        let mut i = complete(&sys);
        i.harms = None;
        i.mitigations = Some(vec![MitigationInput {
            description: Some("Review".into()),
            risks: vec!["RSK-7".into()],
            controls: vec!["CTL-4".into()],
        }]);
        assert_eq!(
            invalid_fields(b, app.impact_add(&root(), &i).await),
            vec!["mitigations[0].risks", "mitigations[0].controls"],
            "{b}: unknown risk and control"
        );
        i.mitigations = None;
        i.intended_use = Some("  ".into());
        assert_eq!(
            invalid_fields(b, app.impact_add(&root(), &i).await),
            vec!["intended_use"]
        );
        assert_eq!(snapshot(app).await, snap, "{b}: nothing written");
        assert!(matches!(
            app.impact_get(&root(), "AIA-9").await,
            Err(AppError::NotFound { .. })
        ));

        // Incomplete drafts are not signed; the reasons name each missing field.
        let draft = ImpactInput {
            system: Some(sys.clone()),
            intended_use: Some("Use".into()),
            harms: Some(BTreeMap::from([("privacy".into(), harm(3, 3))])),
            ..Default::default()
        };
        ok(b, app.impact_add(&root(), &draft).await);
        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        let snap = snapshot(app).await;
        let fields = invalid_fields(b, app.impact_sign(&grace, "AIA-1", &sign()).await);
        assert_eq!(fields.len(), 10, "{b}: {fields:?}");
        assert!(fields.contains(&"foreseeable_misuse".to_owned()), "{b}");
        assert!(fields.contains(&"harms[safety]".to_owned()), "{b}");
        assert!(!fields.contains(&"harms[privacy]".to_owned()), "{b}");
        assert!(fields.contains(&"residual_assessment".to_owned()), "{b}");
        // A patch outside the scale, or to another system, is refused too.
        let patch = ImpactInput {
            harms: Some(BTreeMap::from([("safety".into(), harm(1, 5))])),
            ..Default::default()
        };
        assert_eq!(
            invalid_fields(b, app.impact_update(&root(), "AIA-1", &patch).await),
            vec!["harms[safety].likelihood"]
        );
        let other = ImpactInput {
            system: Some("SYS-2".into()),
            ..Default::default()
        };
        assert_eq!(
            invalid_fields(b, app.impact_update(&root(), "AIA-1", &other).await),
            vec!["system"]
        );
        assert_eq!(snapshot(app).await, snap, "{b}: nothing written");
        let q = ImpactQuery {
            status: Some("done".into()),
            ..Default::default()
        };
        assert_eq!(
            invalid_fields(b, app.impact_list(&root(), &q).await),
            vec!["status"]
        );
    }
}

#[tokio::test]
async fn the_fundamental_rights_section_is_required_for_deployed_high_risk_systems() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let high = SystemInput {
            eu_class: Some("high_risk".into()),
            eu_rationale: Some("Annex III".into()),
            ai_roles: Some(vec!["deployer".into()]),
            ..system_input("Hiring")
        };
        let sys = add_system(app, &high).await;
        let provider = SystemInput {
            eu_class: Some("high_risk".into()),
            eu_rationale: Some("Annex III".into()),
            ai_roles: Some(vec!["provider".into()]),
            ..system_input("Provided")
        };
        let other = add_system(app, &provider).await;
        let grace = add_user(app, "grace", Role::GovernanceLead).await;

        let a = ok(b, app.impact_add(&root(), &complete(&sys)).await);
        assert!(a.fria_required, "{b}");
        let snap = snapshot(app).await;
        assert_eq!(
            invalid_fields(b, app.impact_sign(&grace, "AIA-1", &sign()).await),
            vec!["fria"]
        );
        // Half a section names its missing fields.
        let half = ImpactInput {
            fria: Some(FriaInput {
                deployer_process: Some("Hiring".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        ok(b, app.impact_update(&root(), "AIA-1", &half).await);
        let fields = invalid_fields(b, app.impact_sign(&grace, "AIA-1", &sign()).await);
        assert_eq!(fields.len(), 5, "{b}: {fields:?}");
        assert!(fields.contains(&"fria.human_oversight".to_owned()), "{b}");
        assert_eq!(snapshot(app).await.head(), snap.head() + 1, "{b}");
        let full = ImpactInput {
            fria: Some(fria()),
            ..Default::default()
        };
        ok(b, app.impact_update(&root(), "AIA-1", &full).await);
        let s = ok(b, app.impact_sign(&grace, "AIA-1", &sign()).await);
        let f = s.assessment.fields.fria.unwrap_or_default();
        assert_eq!(f.deployer_process.as_deref(), Some("Hiring"), "{b}");
        assert_eq!(
            f.measures_if_materialised.as_deref(),
            Some("Suspend and review")
        );

        // Not required for a provider only, but allowed.
        let mut i = complete(&other);
        i.fria = Some(fria());
        let a = ok(b, app.impact_add(&root(), &i).await);
        assert!(!a.fria_required, "{b}");
        assert!(a.assessment.fields.fria.is_some(), "{b}");
        let e = || Some(String::new());
        let cleared = FriaInput {
            deployer_process: e(),
            period_and_frequency: e(),
            persons_affected: e(),
            specific_risks: e(),
            human_oversight: e(),
            measures_if_materialised: e(),
        };
        let patch = ImpactInput {
            fria: Some(cleared),
            ..Default::default()
        };
        ok(
            b,
            app.impact_update(&root(), &a.assessment.key, &patch).await,
        );
        let s = ok(b, app.impact_sign(&grace, &a.assessment.key, &sign()).await);
        assert!(
            s.assessment.fields.fria.is_none(),
            "{b}: a blank section is removed"
        );
    }
}

/// Each of stage, purpose, technique and data categories makes the signed assessment due for
/// re-assessment; owner and EU class do not; a new signed version clears it.
#[tokio::test]
async fn a_system_change_makes_the_signed_assessment_due_for_reassessment() {
    let changes: Vec<(&str, SystemInput)> = vec![
        (
            "stage",
            SystemInput {
                stage: Some("deployed".into()),
                ..Default::default()
            },
        ),
        (
            "purpose",
            SystemInput {
                purpose: Some("A new purpose".into()),
                ..Default::default()
            },
        ),
        (
            "technique",
            SystemInput {
                technique: Some("generative".into()),
                ..Default::default()
            },
        ),
        (
            "data categories",
            SystemInput {
                data_categories: Some(vec!["personal".into(), "health".into()]),
                ..Default::default()
            },
        ),
    ];
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        for (i, (field, change)) in changes.iter().enumerate() {
            let sys = add_system(app, &system_input(&format!("System {i}"))).await;
            let a = ok(b, app.impact_add(&root(), &complete(&sys)).await);
            let key = a.assessment.key.clone();
            ok(b, app.impact_sign(&grace, &key, &sign()).await);
            // Owner and EU class are not among the fields that set it.
            let harmless = SystemInput {
                owner: Some("grace".into()),
                eu_class: Some("minimal".into()),
                eu_rationale: Some("Internal tool".into()),
                ..Default::default()
            };
            ok(b, app.system_update(&root(), &sys, &harmless).await);
            let v = ok(b, app.impact_get(&root(), &key).await).view;
            assert_eq!(v.assessment.status, ImpactStatus::Signed, "{b} {field}");
            ok(b, app.system_update(&root(), &sys, change).await);
            let v = ok(b, app.impact_get(&root(), &key).await).view;
            assert_eq!(
                v.assessment.status,
                ImpactStatus::ReassessmentDue,
                "{b}: {field}"
            );
            assert_eq!(v.reassessment_reasons.len(), 1, "{b} {field}");
            assert!(
                v.reassessment_reasons[0].starts_with(field),
                "{b}: {:?}",
                v.reassessment_reasons
            );
            let due = ImpactQuery {
                status: Some("reassessment_due".into()),
                system: Some(sys.clone()),
                ..ImpactQuery::default()
            };
            let listed: Vec<String> = ok(b, app.impact_list(&root(), &due).await)
                .items
                .into_iter()
                .map(|v| v.assessment.key)
                .collect();
            assert_eq!(listed, vec![key.clone()], "{b} {field}");
            // Re-assessed: a new signed version; the old one is superseded, not due.
            let n = ok(
                b,
                app.impact_add(
                    &root(),
                    &ImpactInput {
                        system: Some(sys.clone()),
                        ..Default::default()
                    },
                )
                .await,
            );
            ok(b, app.impact_sign(&grace, &n.assessment.key, &sign()).await);
            let v = ok(b, app.impact_get(&root(), &key).await).view;
            assert_eq!(v.assessment.status, ImpactStatus::Signed, "{b} {field}");
            assert_eq!(v.superseded_by, Some(n.assessment.key.clone()), "{b}");
            assert!(
                ok(b, app.impact_list(&root(), &due).await).items.is_empty(),
                "{b}"
            );
        }
        // A draft never falls due: its snapshot follows the system until sign-off.
        let sys = add_system(app, &system_input("Drafted")).await;
        let d = ok(b, app.impact_add(&root(), &complete(&sys)).await);
        let stage = SystemInput {
            stage: Some("design".into()),
            ..Default::default()
        };
        ok(b, app.system_update(&root(), &sys, &stage).await);
        let v = ok(b, app.impact_get(&root(), &d.assessment.key).await).view;
        assert_eq!(v.assessment.status, ImpactStatus::Draft, "{b}");
        let s = ok(b, app.impact_sign(&grace, &d.assessment.key, &sign()).await);
        assert_eq!(
            s.assessment.status,
            ImpactStatus::Signed,
            "{b}: signed as it is now"
        );
        let statuses = |list: Vec<aims_app::impacts::ImpactView>| -> Vec<String> {
            list.into_iter()
                .map(|v| v.assessment.status.as_str().to_owned())
                .collect()
        };
        let all = ok(b, app.impact_list(&root(), &ImpactQuery::default()).await).items;
        assert_eq!(all.len(), 9, "{b}");
        let signed = ImpactQuery {
            status: Some("signed".into()),
            ..Default::default()
        };
        assert_eq!(
            statuses(ok(b, app.impact_list(&root(), &signed).await).items).len(),
            9,
            "{b}: superseded versions stay signed"
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn only_roles_that_write_risks_write_and_sign_assessments() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.impact_add(&root(), &complete(&sys)).await);
        let snap = snapshot(app).await;
        for (name, role) in [
            ("alan", Role::Contributor),
            ("ida", Role::Auditor),
            ("vera", Role::Viewer),
        ] {
            let who = add_user(app, name, role).await;
            let snap = snapshot(app).await;
            assert_forbidden(b, app.impact_add(&who, &complete(&sys)).await);
            assert_forbidden(
                b,
                app.impact_update(&who, "AIA-1", &ImpactInput::default())
                    .await,
            );
            assert_forbidden(b, app.impact_sign(&who, "AIA-1", &sign()).await);
            assert_eq!(snapshot(app).await, snap, "{b} {name}");
            let listed = ok(b, app.impact_list(&who, &ImpactQuery::default()).await).items;
            assert_eq!(listed.len(), 1, "{b}: {name} reads");
        }
        assert!(snapshot(app).await.head() > snap.head());
        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        let s = ok(b, app.impact_sign(&rosa, "AIA-1", &sign()).await);
        assert_eq!(s.assessment.signed_by.as_deref(), Some("rosa"), "{b}");
    }
}

#[tokio::test]
async fn the_demo_has_a_signed_a_draft_and_a_due_assessment() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.seed_demo(&root()).await);
        let all = ok(b, app.impact_list(&root(), &ImpactQuery::default()).await).items;
        let got: Vec<(String, String, String, bool)> = all
            .iter()
            .map(|v| {
                (
                    v.assessment.key.clone(),
                    v.system_name.clone(),
                    v.assessment.status.as_str().to_owned(),
                    v.assessment.fields.fria.is_some(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "AIA-1".into(),
                    "Consumer credit scoring".into(),
                    "signed".into(),
                    true
                ),
                (
                    "AIA-2".into(),
                    "Customer-service assistant".into(),
                    "reassessment_due".into(),
                    false
                ),
                (
                    "AIA-3".into(),
                    "CV screening assistant".into(),
                    "draft".into(),
                    false
                ),
            ],
            "{b}"
        );
        assert!(all[0].fria_required && all[2].fria_required, "{b}");
        assert_eq!(all[0].assessment.signed_by.as_deref(), Some("rosa"), "{b}");
        assert!(!all[0].assessment.fields.mitigations[0].risks.is_empty());
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

/// A smaller method after the draft was written: the harms outside its scales are named at
/// sign-off and on the next change, until given anew; levels follow the new matrix.
#[tokio::test]
async fn a_new_method_rescores_harms_and_names_those_outside_its_scales() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        ok(b, app.impact_add(&root(), &complete(&sys)).await);
        ok(b, app.methodology_set(&root(), square_doc(3)).await);
        let snap = snapshot(app).await;
        assert_eq!(
            invalid_fields(b, app.impact_sign(&grace, "AIA-1", &sign()).await),
            vec!["harms[privacy].severity"],
            "{b}: 4 is outside the 3x3 impact scale"
        );
        let unrelated = ImpactInput {
            benefits: Some("More".into()),
            ..Default::default()
        };
        assert_eq!(
            invalid_fields(b, app.impact_update(&root(), "AIA-1", &unrelated).await),
            vec!["harms[privacy].severity"],
            "{b}"
        );
        assert_eq!(snapshot(app).await, snap, "{b}: nothing written");
        let fixed = ImpactInput {
            harms: Some(BTreeMap::from([("privacy".into(), harm(3, 3))])),
            ..Default::default()
        };
        let u = ok(b, app.impact_update(&root(), "AIA-1", &fixed).await);
        assert_eq!(u.assessment.methodology_version, 2, "{b}");
        let h = &u.assessment.fields.harms;
        assert_eq!(
            h[&HarmArea::Privacy].level,
            Some(RiskLevel::Critical),
            "{b}"
        );
        assert_eq!(
            h[&HarmArea::Safety].level,
            Some(RiskLevel::Medium),
            "{b}: 2x2 on 3x3"
        );
        let s = ok(b, app.impact_sign(&grace, "AIA-1", &sign()).await);
        assert_eq!(s.assessment.status, ImpactStatus::Signed, "{b}");
    }
}
