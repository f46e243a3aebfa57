//! The risk register: a risk through every stage, each refusal with its field and nothing
//! written, heat map counts worked by hand, views, exports read back, roles, the ledger.

use aims_app::risks::{plan_csv, plan_xlsx, RiskQuery, PLAN_HEADER};
use aims_app::AppError;
use aims_core::control::ControlInput;
use aims_core::ledger::Break;
use aims_core::risk::methodology::{square_doc, RiskLevel};
use aims_core::risk::register::{
    AcceptInput, AssessInput, ReviewInput, RiskInput, RiskStatus, TreatInput,
};
use aims_core::risk::scoring::LevelRange;
use aims_core::Role;
use aims_store::risks::Basis;

use crate::harness::{
    add_system, add_user, all_events, assert_conflict, assert_forbidden, backends, fresh,
    invalid_fields, ok, raw, root, snapshot, system_input, xlsx_rows,
};

pub fn risk_input(title: &str) -> RiskInput {
    RiskInput {
        title: Some(title.into()),
        cause: Some(format!("Cause of {title}")),
        event: Some(format!("Event of {title}")),
        consequence: Some(format!("Consequence of {title}")),
        category: Some("technical".into()),
        owner: Some("root".into()),
        ..Default::default()
    }
}

/// A risk input with its inherent estimate (impact on individuals; the others 1).
pub fn assessed(title: &str, likelihood: i64, impact: i64) -> RiskInput {
    RiskInput {
        likelihood: Some(likelihood),
        impact_individuals_or_groups: Some(impact),
        impact_organisation: Some(1),
        impact_society: Some(1),
        ..risk_input(title)
    }
}

fn residual(option: &str, plan: Option<&str>, l: i64, i: i64) -> TreatInput {
    TreatInput {
        option: Some(option.into()),
        plan: plan.map(Into::into),
        residual_likelihood: Some(l),
        residual_impact_individuals_or_groups: Some(i),
        residual_impact_organisation: Some(1),
        residual_impact_society: Some(1),
        ..Default::default()
    }
}

fn accept(reason: &str) -> AcceptInput {
    AcceptInput {
        reason: Some(reason.into()),
    }
}

#[tokio::test]
async fn a_risk_moves_through_every_stage() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Credit scoring")).await;
        let ctl = ok(
            b,
            app.control_add(
                &root(),
                &ControlInput {
                    name: Some("Fairness testing".into()),
                    description: Some("d".into()),
                    owner: Some("root".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let input = RiskInput {
            systems: Some(vec![sys.to_lowercase()]),
            risk_sources: Some(vec!["c.3.4".into()]),
            objectives: Some(vec!["C.2.5".into()]),
            sub_category: Some("Fairness".into()),
            category: Some("ethical".into()),
            ..risk_input("Biased declines")
        };
        let r = ok(b, app.risk_add(&root(), &input).await);
        assert_eq!(r.key, "RSK-1", "{b}");
        assert_eq!(r.status, RiskStatus::Identified, "{b}");
        assert_eq!(
            r.fields.systems.iter().collect::<Vec<_>>(),
            vec![&sys],
            "{b}"
        );
        assert_eq!(
            r.fields.risk_sources.iter().collect::<Vec<_>>(),
            vec!["C.3.4"],
            "{b}"
        );
        assert_eq!(
            r.scores.methodology_version, 1,
            "{b}: the default is recorded on first use"
        );

        let a = AssessInput {
            likelihood: Some(4),
            likelihood_basis: Some("incident_history".into()),
            confidence: Some("low".into()),
            impact_individuals_or_groups: Some(4),
            impact_organisation: Some(2),
            impact_society: Some(3),
        };
        let r = ok(b, app.risk_assess(&root(), "rsk-1", &a).await);
        assert_eq!(r.status, RiskStatus::Assessed, "{b}");
        assert_eq!(
            r.inherent_level(),
            Some(RiskLevel::High),
            "{b}: 4 x 4 is high"
        );
        assert_eq!(
            r.scores.inherent_range,
            Some(LevelRange {
                low: RiskLevel::High,
                high: RiskLevel::Critical
            }),
            "{b}: low confidence spans likelihood 3 to 5"
        );

        let mut treat = residual("mitigate", Some("Remove proxy features"), 2, 3);
        treat.controls = Some(vec![ctl.key.to_lowercase()]);
        treat.due_date = Some("2026-12-31".into());
        let r = ok(b, app.risk_treat(&root(), "RSK-1", &treat).await);
        assert_eq!(r.status, RiskStatus::Treated, "{b}");
        assert_eq!(
            r.residual_level(),
            Some(RiskLevel::Medium),
            "{b}: 2 x 3 is medium"
        );
        assert_eq!(
            r.treatment
                .as_ref()
                .map(|t| t.controls.iter().cloned().collect::<Vec<_>>()),
            Some(vec![ctl.key.clone()]),
            "{b}"
        );

        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        let r = ok(
            b,
            app.risk_accept(&rosa, "RSK-1", &accept("Within appetite now"))
                .await,
        );
        assert_eq!(r.status, RiskStatus::Accepted, "{b}");
        let a = &r.acceptances[0];
        assert_eq!(
            (a.by.as_str(), a.role, a.level, a.reason.as_str()),
            (
                "rosa",
                Role::RiskOwner,
                RiskLevel::Medium,
                "Within appetite now"
            ),
            "{b}"
        );

        let review = ReviewInput {
            date: Some("2026-01-15".into()),
            notes: Some("Still fine".into()),
            close: None,
        };
        let r = ok(b, app.risk_review(&rosa, "RSK-1", &review).await);
        assert_eq!(
            r.next_review.as_deref(),
            Some("2026-07-14"),
            "{b}: medium reviews every 180 days"
        );
        let close = ReviewInput {
            close: Some(true),
            ..Default::default()
        };
        let r = ok(b, app.risk_review(&rosa, "RSK-1", &close).await);
        assert_eq!(
            (r.status, r.next_review.as_deref()),
            (RiskStatus::Closed, None),
            "{b}"
        );

        let actions: Vec<String> = all_events(app)
            .await
            .into_iter()
            .filter(|e| e.key == "RSK-1")
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            vec!["create", "assess", "treat", "accept", "review", "review"],
            "{b}"
        );
        let detail = ok(b, app.risk_get(&root(), "RSK-1").await);
        assert_eq!(detail.risk, r, "{b}: read back equals what was written");
        assert_eq!(detail.score_history.len(), 1, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn every_refusal_names_its_field_and_writes_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.risk_add(&root(), &assessed("Known", 4, 4)).await);
        ok(b, app.risk_add(&root(), &assessed("Small", 2, 2)).await);
        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        let before = snapshot(app).await;
        let cases: Vec<(&str, Result<(), AppError>, Vec<&str>)> = vec![
            (
                "likelihood outside the scale",
                app.risk_add(&root(), &assessed("Too likely", 6, 2))
                    .await
                    .map(|_| ()),
                vec!["likelihood"],
            ),
            (
                "impact outside the scale",
                app.risk_assess(
                    &root(),
                    "RSK-1",
                    &AssessInput {
                        impact_society: Some(0),
                        ..Default::default()
                    },
                )
                .await
                .map(|_| ()),
                vec!["impact_society"],
            ),
            (
                "residual outside the scale",
                app.risk_treat(&root(), "RSK-1", &residual("transfer", None, 9, 1))
                    .await
                    .map(|_| ()),
                vec!["residual_likelihood"],
            ),
            (
                "mitigate without a plan",
                app.risk_treat(&root(), "RSK-1", &residual("mitigate", Some(" "), 2, 2))
                    .await
                    .map(|_| ()),
                vec!["plan"],
            ),
            (
                "residual above inherent without a reason",
                app.risk_treat(&root(), "RSK-2", &residual("transfer", None, 3, 2))
                    .await
                    .map(|_| ()),
                vec!["residual_reason"],
            ),
            (
                "acceptance above the criteria",
                app.risk_accept(&root(), "RSK-1", &accept("Fine"))
                    .await
                    .map(|_| ()),
                vec!["level"],
            ),
            (
                "acceptance by a role not entitled",
                app.risk_accept(&rosa, "RSK-1", &accept("Fine"))
                    .await
                    .map(|_| ()),
                vec!["level", "role"],
            ),
            (
                "acceptance without a reason",
                app.risk_accept(&rosa, "RSK-2", &AcceptInput::default())
                    .await
                    .map(|_| ()),
                vec!["reason"],
            ),
            (
                "unknown system",
                app.risk_add(
                    &root(),
                    &RiskInput {
                        systems: Some(vec!["SYS-99".into()]),
                        ..risk_input("Nowhere")
                    },
                )
                .await
                .map(|_| ()),
                vec!["systems[0]"],
            ),
            (
                "unknown control",
                app.risk_treat(
                    &root(),
                    "RSK-2",
                    &TreatInput {
                        option: Some("transfer".into()),
                        controls: Some(vec!["CTL-7".into()]),
                        ..Default::default()
                    },
                )
                .await
                .map(|_| ()),
                vec!["controls[0]"],
            ),
            (
                "unknown Annex C ids",
                app.risk_add(
                    &root(),
                    &RiskInput {
                        risk_sources: Some(vec!["C.3.99".into(), "C.2.5".into()]),
                        objectives: Some(vec!["C.3.1".into()]),
                        ..risk_input("Bad refs")
                    },
                )
                .await
                .map(|_| ()),
                vec!["risk_sources[0]", "risk_sources[1]", "objectives[0]"],
            ),
            (
                "unknown owner",
                app.risk_add(
                    &root(),
                    &RiskInput {
                        owner: Some("nobody".into()),
                        ..risk_input("Orphan")
                    },
                )
                .await
                .map(|_| ()),
                vec!["owner"],
            ),
            (
                "review in the future",
                app.risk_review(
                    &root(),
                    "RSK-1",
                    &ReviewInput {
                        date: Some("2999-01-01".into()),
                        ..Default::default()
                    },
                )
                .await
                .map(|_| ()),
                vec!["date"],
            ),
        ];
        for (what, outcome, fields) in cases {
            assert_eq!(
                invalid_fields(&format!("{b}: {what}"), outcome),
                fields,
                "{b}: {what}"
            );
        }
        assert_eq!(snapshot(app).await, before, "{b}: nothing written");
        // On a fresh database the first (refused) risk records no method either.
        let t2 = fresh(b).await;
        let refused = t2
            .app
            .risk_add(&root(), &assessed("Too likely", 6, 2))
            .await;
        assert_eq!(invalid_fields(b, refused), vec!["likelihood"], "{b}");
        assert!(
            ok(b, t2.app.methodology_history(&root()).await).is_empty(),
            "{b}"
        );
    }
}

#[tokio::test]
async fn roles_may_write_and_accept_as_the_method_says() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.risk_add(&root(), &assessed("High one", 4, 4)).await);
        ok(
            b,
            app.risk_treat(&root(), "RSK-1", &residual("transfer", None, 4, 4))
                .await,
        );
        for role in [Role::Contributor, Role::Auditor, Role::Viewer] {
            let who = add_user(app, &format!("u.{role}"), role).await;
            assert_forbidden(b, app.risk_add(&who, &risk_input("Not mine")).await);
            assert_forbidden(b, app.risk_accept(&who, "RSK-1", &accept("x")).await);
            assert_forbidden(b, app.methodology_init(&who).await);
            assert_eq!(
                ok(b, app.risk_list(&who, &RiskQuery::default()).await).len(),
                1,
                "{b}"
            );
        }
        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        assert_eq!(
            invalid_fields(b, app.risk_accept(&rosa, "RSK-1", &accept("x")).await),
            vec!["role"],
            "{b}: a risk owner accepts up to medium"
        );
        assert_forbidden(
            b,
            app.methodology_set(&rosa, aims_core::risk::methodology::default_doc())
                .await,
        );
        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        let r = ok(
            b,
            app.risk_accept(&grace, "RSK-1", &accept("Transferred to insurer"))
                .await,
        );
        assert_eq!(
            (r.status, r.acceptances[0].level),
            (RiskStatus::Accepted, RiskLevel::High),
            "{b}"
        );
    }
}

#[tokio::test]
async fn heat_maps_and_views_count_by_hand() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Triage")).await;
        // Inherent cells: 4-4 twice, 2-3 once, 5-5 once; one unassessed.
        for (title, l, i) in [("A", 4, 4), ("B", 4, 4), ("C", 2, 3), ("D", 5, 5)] {
            let input = RiskInput {
                systems: Some(vec![sys.clone()]),
                ..assessed(title, l, i)
            };
            ok(b, app.risk_add(&root(), &input).await);
        }
        ok(b, app.risk_add(&root(), &risk_input("E")).await);
        // A: residual 2-2; B: treatment planned only; D closed.
        ok(
            b,
            app.risk_treat(&root(), "RSK-1", &residual("mitigate", Some("p"), 2, 2))
                .await,
        );
        ok(
            b,
            app.risk_treat(
                &root(),
                "RSK-2",
                &TreatInput {
                    option: Some("transfer".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let close = ReviewInput {
            close: Some(true),
            ..Default::default()
        };
        ok(b, app.risk_review(&root(), "RSK-4", &close).await);

        let map = ok(b, app.risk_heatmap(&root(), Basis::Inherent).await);
        assert_eq!(
            (map.likelihood_levels, map.impact_levels, map.total),
            (5, 5, 3),
            "{b}"
        );
        let count = |m: &aims_app::risk_views::HeatMap, l: i64, i: i64| {
            m.rows
                .iter()
                .flatten()
                .find(|c| c.likelihood == l && c.impact == i)
                .map(|c| c.count)
        };
        assert_eq!(count(&map, 4, 4), Some(2), "{b}");
        assert_eq!(count(&map, 2, 3), Some(1), "{b}");
        assert_eq!(
            count(&map, 5, 5),
            Some(0),
            "{b}: closed risks are off the map"
        );
        assert_eq!(
            map.rows[0][0].likelihood, 5,
            "{b}: highest likelihood first"
        );
        assert_eq!(map.rows[1][3].href, "/risks?cell=4-4&basis=inherent", "{b}");
        let residual_map = ok(b, app.risk_heatmap(&root(), Basis::Residual).await);
        assert_eq!(
            (residual_map.total, count(&residual_map, 2, 2)),
            (1, Some(1)),
            "{b}"
        );

        let in_cell = ok(
            b,
            app.risk_list(
                &root(),
                &RiskQuery {
                    cell: Some("4-4".into()),
                    basis: Some("inherent".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let keys: Vec<&str> = in_cell.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, vec!["RSK-1", "RSK-2"], "{b}");
        let bad = app
            .risk_list(
                &root(),
                &RiskQuery {
                    cell: Some("x".into()),
                    ..Default::default()
                },
            )
            .await;
        assert_eq!(invalid_fields(b, bad), vec!["cell"], "{b}");

        let views = ok(b, app.risk_views(&root()).await);
        let keys = |v: &[aims_core::risk::register::Risk]| -> Vec<String> {
            v.iter().map(|r| r.key.clone()).collect()
        };
        // Current levels: B high (16), C medium (6), A low (residual 4).
        assert_eq!(keys(&views.top), vec!["RSK-2", "RSK-3", "RSK-1"], "{b}");
        assert!(views.above_appetite_untreated.is_empty(), "{b}");
        ok(b, app.risk_add(&root(), &assessed("F", 3, 5)).await);
        let views = ok(b, app.risk_views(&root()).await);
        assert_eq!(keys(&views.above_appetite_untreated), vec!["RSK-6"], "{b}");
        assert_eq!(views.above_appetite_untreated_count, 1, "{b}");
        let per_system: Vec<(String, i64, i64)> = views
            .per_system
            .iter()
            .map(|t| (t.name.clone(), t.open, t.above_appetite))
            .collect();
        assert_eq!(
            per_system,
            vec![(sys.clone(), 3, 1), ("organisation".into(), 2, 1)],
            "{b}"
        );
        assert_eq!(views.per_owner.len(), 1, "{b}");
        assert_eq!(
            (views.per_owner[0].open, views.per_owner[0].above_appetite),
            (5, 2),
            "{b}"
        );

        // A review long ago makes the next one overdue.
        let old = ReviewInput {
            date: Some("2024-01-01".into()),
            ..Default::default()
        };
        ok(b, app.risk_review(&root(), "RSK-3", &old).await);
        let views = ok(b, app.risk_views(&root()).await);
        assert_eq!(keys(&views.overdue), vec!["RSK-3"], "{b}");
        assert_eq!(views.overdue_count, 1, "{b}");
        let overdue = ok(
            b,
            app.risk_list(
                &root(),
                &RiskQuery {
                    overdue: Some("true".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(keys(&overdue), vec!["RSK-3"], "{b}");
        let org = ok(
            b,
            app.risk_list(
                &root(),
                &RiskQuery {
                    system: Some("organisation".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        assert_eq!(keys(&org), vec!["RSK-5", "RSK-6"], "{b}");

        // Sorted: by title descending; by current level, highest first, unassessed last, ties
        // in descending key order; an unknown sort word is named.
        let sorted = |word: &str| RiskQuery {
            sort: Some(word.into()),
            ..Default::default()
        };
        let by_title = ok(b, app.risk_list(&root(), &sorted("-title")).await);
        assert_eq!(
            keys(&by_title),
            vec!["RSK-6", "RSK-5", "RSK-4", "RSK-3", "RSK-2", "RSK-1"],
            "{b}"
        );
        let by_level = ok(b, app.risk_list(&root(), &sorted("-level")).await);
        let mut expected = ok(b, app.risk_list(&root(), &RiskQuery::default()).await);
        let number = |r: &aims_core::risk::register::Risk| -> i64 {
            r.key.trim_start_matches("RSK-").parse().unwrap_or(0)
        };
        expected.sort_by_key(|r| {
            (
                r.current_level().is_none(),
                std::cmp::Reverse(r.current_level()),
                std::cmp::Reverse(number(r)),
            )
        });
        assert_eq!(keys(&by_level), keys(&expected), "{b}");
        assert_eq!(
            by_level.last().map(|r| r.key.as_str()),
            Some("RSK-5"),
            "{b}"
        );
        let bad = app.risk_list(&root(), &sorted("likelihood")).await;
        assert_eq!(invalid_fields(b, bad), vec!["sort"], "{b}");
    }
}

#[tokio::test]
async fn the_treatment_plan_reads_back_as_csv_and_xlsx() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.risk_add(&root(), &assessed("Leak, \"quoted\"", 3, 4))
                .await,
        );
        ok(
            b,
            app.risk_treat(
                &root(),
                "RSK-1",
                &residual("mitigate", Some("Encrypt"), 1, 4),
            )
            .await,
        );
        ok(b, app.risk_add(&root(), &risk_input("Unassessed")).await);
        let risks = ok(b, app.risk_list(&root(), &RiskQuery::default()).await);

        let csv_text = ok(b, plan_csv(&risks));
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map(|h| h.iter().map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(header, PLAN_HEADER.to_vec(), "{b}");
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_owned).collect())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(rows.len(), 2, "{b}");
        assert_eq!(
            rows[0][..8].to_vec(),
            vec![
                "RSK-1",
                "Leak, \"quoted\"",
                "organisation",
                "root",
                "technical",
                "high",
                "mitigate",
                "Encrypt"
            ],
            "{b}"
        );
        assert_eq!(
            (rows[0][10].as_str(), rows[0][11].as_str()),
            ("low", "treated"),
            "{b}"
        );
        assert_eq!(
            (rows[1][5].as_str(), rows[1][11].as_str()),
            ("", "identified"),
            "{b}"
        );

        let bytes = ok(
            b,
            app.risk_export(&root(), aims_app::risks::PlanFormat::Xlsx)
                .await,
        );
        let sheet = xlsx_rows(&bytes, "Risk treatment plan");
        assert_eq!(sheet.len(), 3, "{b}");
        assert_eq!(
            sheet[0],
            PLAN_HEADER
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
            "{b}"
        );
        assert_eq!(
            sheet[1][..8],
            rows[0][..8],
            "{b}: the same cells as the CSV"
        );
        assert_eq!(sheet[2][1], "Unassessed", "{b}");
        assert!(!ok(b, plan_xlsx(&[])).is_empty(), "{b}");
    }
}

#[tokio::test]
async fn the_ledger_names_a_risk_edited_behind_its_back() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.risk_add(&root(), &assessed("Watched", 3, 3)).await);
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        raw(
            app,
            "UPDATE risks SET current_level = 'low', inherent_level = 'low' WHERE key = 'RSK-1'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        match report.problem {
            Some(Break::EntityMismatch { kind, key, .. }) => {
                assert_eq!((kind.as_str(), key.as_str()), ("risk", "RSK-1"), "{b}")
            }
            other => panic!("{b}: expected a mismatch, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn accepted_risks_are_not_accepted_twice_and_closed_risks_take_no_changes() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "viewer", Role::Viewer).await;
        let owned_by_viewer = RiskInput {
            owner: Some("viewer".into()),
            ..assessed("Low one", 1, 1)
        };
        let fields = invalid_fields(b, app.risk_add(&root(), &owned_by_viewer).await);
        assert_eq!(fields, ["owner"], "{b}: a viewer cannot act on a risk");
        ok(b, app.risk_add(&root(), &assessed("Low one", 1, 1)).await);
        ok(
            b,
            app.risk_accept(&root(), "RSK-1", &accept("Within appetite"))
                .await,
        );
        let fields = invalid_fields(b, app.risk_accept(&root(), "RSK-1", &accept("Again")).await);
        assert_eq!(fields, ["status"], "{b}");
        let close = ReviewInput {
            notes: Some("System retired".into()),
            close: Some(true),
            ..Default::default()
        };
        let reviewed = ReviewInput {
            date: Some("2026-06-01".into()),
            ..Default::default()
        };
        ok(b, app.risk_review(&root(), "RSK-1", &reviewed).await);
        let earlier = ReviewInput {
            date: Some("2026-05-01".into()),
            ..Default::default()
        };
        let fields = invalid_fields(b, app.risk_review(&root(), "RSK-1", &earlier).await);
        assert_eq!(fields, ["date"], "{b}: before the latest review");
        ok(b, app.risk_review(&root(), "RSK-1", &close).await);
        let before = snapshot(app).await;
        let treat = TreatInput {
            option: Some("avoid".into()),
            ..Default::default()
        };
        assert_conflict(b, app.risk_treat(&root(), "RSK-1", &treat).await, "status");
        let assess = AssessInput {
            likelihood: Some(2),
            ..Default::default()
        };
        assert_conflict(
            b,
            app.risk_assess(&root(), "RSK-1", &assess).await,
            "status",
        );
        let renamed = assessed("Renamed", 1, 1);
        assert_conflict(
            b,
            app.risk_update(&root(), "RSK-1", &renamed).await,
            "status",
        );
        assert_eq!(snapshot(app).await, before, "{b}: nothing written");
    }
}

#[tokio::test]
async fn the_ledger_names_a_risk_whose_system_links_were_changed() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let one = add_system(app, &system_input("Scorer")).await;
        let two = add_system(app, &system_input("Ranker")).await;
        let input = RiskInput {
            systems: Some(vec![one.clone()]),
            ..assessed("Linked", 2, 2)
        };
        ok(b, app.risk_add(&root(), &input).await);
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        // Moving the link in the index table alone would change what the system filter lists.
        raw(
            app,
            &format!("UPDATE risk_systems SET system_key = '{two}' WHERE risk_key = 'RSK-1'"),
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        match report.problem {
            Some(Break::EntityMismatch { kind, key, .. }) => {
                assert_eq!((kind.as_str(), key.as_str()), ("risk", "RSK-1"), "{b}")
            }
            other => panic!("{b}: expected a mismatch, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_ledger_names_a_risk_whose_score_history_was_changed() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.risk_add(&root(), &assessed("Scored", 2, 3)).await);
        ok(b, app.risk_add(&root(), &assessed("Other", 1, 1)).await);
        // A new method keeps the scores under the old one: both versions' rows verify.
        ok(b, app.methodology_set(&root(), square_doc(5)).await);
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        let names_rsk1 = |problem: Option<Break>| match problem {
            Some(Break::EntityMismatch { kind, key, .. }) => {
                assert_eq!((kind.as_str(), key.as_str()), ("risk", "RSK-1"), "{b}")
            }
            other => panic!("{b}: expected a mismatch, got {other:?}"),
        };
        // Rewriting the old version's score, behind the services.
        raw(
            app,
            "UPDATE risk_scores SET inherent_likelihood = 5 WHERE risk_key = 'RSK-1' \
             AND methodology_version = 1",
        )
        .await;
        names_rsk1(ok(b, app.ledger_verify(&root(), None).await).problem);
        // Deleting it is found too.
        raw(
            app,
            "DELETE FROM risk_scores WHERE risk_key = 'RSK-1' AND methodology_version = 1",
        )
        .await;
        names_rsk1(ok(b, app.ledger_verify(&root(), None).await).problem);
    }
}

#[tokio::test]
async fn the_demo_has_risks_at_every_stage() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.seed_demo(&root()).await);
        let risks = ok(b, app.risk_list(&root(), &RiskQuery::default()).await);
        assert_eq!(risks.len(), 10, "{b}");
        for status in RiskStatus::ALL {
            assert!(
                risks.iter().any(|r| r.status == *status),
                "{b}: no {status} risk"
            );
        }
        assert!(
            risks
                .iter()
                .filter(|r| r.status == RiskStatus::Accepted)
                .count()
                >= 3,
            "{b}"
        );
        let views = ok(b, app.risk_views(&root()).await);
        assert_eq!(views.overdue.len(), 1, "{b}");
        assert_eq!(views.above_appetite_untreated.len(), 1, "{b}");
        assert!(
            risks
                .iter()
                .any(|r| r.treatment.as_ref().is_some_and(|t| !t.controls.is_empty())),
            "{b}"
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}
