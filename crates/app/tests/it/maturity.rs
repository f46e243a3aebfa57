//! Maturity assessments: the model, validation naming the field, scores, history, comparison,
//! permissions and the ledger's check of their rows.

use aims_app::maturity::{leaf_clauses, model};
use aims_core::ledger::Break;
use aims_core::maturity::{AnswerInput, AssessmentInput};
use aims_core::Role;

use crate::harness::{
    add_user, assert_forbidden, backends, fresh, invalid_fields, ok, raw, root, snapshot,
};

/// Answers for every sub-clause at `level`, with the given exceptions `(clause, current, target)`.
pub fn answers(level: i64, except: &[(&str, i64, Option<i64>)]) -> Vec<AnswerInput> {
    leaf_clauses()
        .into_iter()
        .map(|(c, _)| {
            let special = except.iter().find(|(id, ..)| *id == c);
            AnswerInput {
                current: Some(special.map_or(level, |s| s.1)),
                target: special.and_then(|s| s.2),
                note: None,
                clause: Some(c),
            }
        })
        .collect()
}

pub fn assessment(on: &str, level: i64, except: &[(&str, i64, Option<i64>)]) -> AssessmentInput {
    AssessmentInput {
        assessed_on: Some(on.into()),
        answers: answers(level, except),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_model_has_six_levels_and_a_question_per_sub_clause() {
    let m = model();
    assert_eq!(m.levels.len(), 6);
    assert_eq!(m.levels[3].name, "Defined");
    assert_eq!(m.questions.len(), 32);
    assert_eq!(m.questions[0].clause, "4.1");
    assert_eq!(m.questions[31].clause, "10.2");
    assert!(m.questions.iter().all(|q| !q.question.is_empty()));
    assert_eq!(m.default_target, 3);
}

#[tokio::test]
async fn an_assessment_is_recorded_scored_and_listed() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let mut input = assessment(
            "2026-03-01",
            2,
            &[("4.1", 0, Some(5)), ("4.2", 4, None), ("10.2", 5, Some(4))],
        );
        input.target = Some(4);
        input.note = Some("First look".into());
        let v = ok(b, app.maturity_assess(&root(), &input).await);
        assert_eq!(v.assessment.key, "MAT-1", "{b}");
        assert_eq!(v.assessment.assessor, "root", "{b}");
        assert_eq!(v.assessment.default_target, 4, "{b}");
        assert_eq!(v.assessment.answers.len(), 32, "{b}");
        let first = &v.assessment.answers[0];
        assert_eq!(
            (first.clause.as_str(), first.current, first.target),
            ("4.1", 0, 5),
            "{b}"
        );
        // Clause 4: current (0 + 4 + 2 + 2) / 4 = 2.0; target (5 + 4 + 4 + 4) / 4 = 4.25 -> 4.3.
        let c4 = &v.scores.clauses[0];
        assert_eq!(
            (c4.clause.as_str(), c4.current, c4.target),
            ("4", 2.0, 4.3),
            "{b}"
        );
        assert_eq!(c4.title, "Context of the organization", "{b}");
        // Clause 10: (2 + 5) / 2 = 3.5; targets (4 + 4) / 2 = 4.0.
        let c10 = &v.scores.clauses[6];
        assert_eq!(
            (c10.clause.as_str(), c10.current, c10.target),
            ("10", 3.5, 4.0),
            "{b}"
        );
        // Overall: (29 x 2 + 0 + 4 + 5) / 32 = 2.09 -> 2.1.
        let total: i64 = v.assessment.answers.iter().map(|a| a.current).sum();
        assert_eq!(total, 2 * 29 + 4 + 5, "{b}");
        assert_eq!(v.scores.overall_current, 2.1, "{b}");
        assert_eq!(v.scores.clauses.len(), 7, "{b}");

        ok(
            b,
            app.maturity_assess(&root(), &assessment("2026-06-01", 3, &[]))
                .await,
        );
        // Back-dated: recorded last, but not the latest.
        ok(
            b,
            app.maturity_assess(&root(), &assessment("2025-12-01", 1, &[]))
                .await,
        );
        let list = ok(b, app.maturity_list(&root()).await);
        let keys: Vec<&str> = list.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, vec!["MAT-2", "MAT-1", "MAT-3"], "{b}: latest first");
        assert_eq!(list[0].scores.overall_current, 3.0, "{b}");
        let latest = ok(b, app.maturity_latest(&root()).await);
        assert_eq!(
            latest.map(|l| l.assessment.key),
            Some("MAT-2".into()),
            "{b}"
        );
        let got = ok(b, app.maturity_get(&root(), "mat-1").await);
        assert_eq!(got.assessment.note, "First look", "{b}");
        assert_eq!(
            got.questions[0].title, "Understanding the organization and its context",
            "{b}"
        );

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn bad_assessments_name_the_field_and_write_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = snapshot(app).await;
        let events = before.head();

        let mut missing = assessment("2026-03-01", 2, &[]);
        missing
            .answers
            .retain(|a| a.clause.as_deref() != Some("4.1"));
        assert_eq!(
            invalid_fields(b, app.maturity_assess(&root(), &missing).await),
            vec!["answers[4.1]"],
            "{b}"
        );

        let out_of_range = assessment("2026-03-01", 2, &[("6.1.2", 6, None), ("7.2", 1, Some(-1))]);
        assert_eq!(
            invalid_fields(b, app.maturity_assess(&root(), &out_of_range).await),
            vec!["answers[6.1.2].current", "answers[7.2].target"],
            "{b}"
        );

        let mut twice = assessment("2026-03-01", 2, &[]);
        twice.answers.push(AnswerInput {
            clause: Some("9.9".into()),
            current: Some(1),
            ..Default::default()
        });
        twice.answers.push(AnswerInput {
            clause: Some("4.2".into()),
            current: Some(1),
            ..Default::default()
        });
        twice.target = Some(9);
        twice.assessed_on = Some("2999-01-01".into());
        assert_eq!(
            invalid_fields(b, app.maturity_assess(&root(), &twice).await),
            vec!["assessed_on", "target", "answers[9.9]", "answers[4.2]"],
            "{b}"
        );

        let mut nobody = assessment("2026-03-01", 2, &[]);
        nobody.assessor = Some("nobody".into());
        assert_eq!(
            invalid_fields(b, app.maturity_assess(&root(), &nobody).await),
            vec!["assessor"],
            "{b}"
        );
        assert!(
            matches!(
                app.maturity_get(&root(), "MAT-9").await,
                Err(aims_app::AppError::NotFound { .. })
            ),
            "{b}"
        );
        assert_eq!(snapshot(app).await, before, "{b}: nothing written");
        assert_eq!(crate::harness::event_count(app).await, events, "{b}");
        assert_eq!(
            crate::harness::row_count(app, "maturity_assessments").await,
            0,
            "{b}"
        );
    }
}

#[tokio::test]
async fn two_assessments_are_compared() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.maturity_assess(&root(), &assessment("2026-01-10", 1, &[("8.2", 3, None)]))
                .await,
        );
        ok(
            b,
            app.maturity_assess(
                &root(),
                &assessment(
                    "2026-05-10",
                    1,
                    &[("4.1", 3, None), ("6.1.4", 2, None), ("8.2", 1, None)],
                ),
            )
            .await,
        );
        let c = ok(b, app.maturity_compare(&root(), "MAT-1", "MAT-2").await);
        assert_eq!(
            (c.a_on.as_str(), c.b_on.as_str()),
            ("2026-01-10", "2026-05-10"),
            "{b}"
        );
        assert_eq!(c.improved, vec!["4.1", "6.1.4"], "{b}");
        assert_eq!(c.regressed, vec!["8.2"], "{b}");
        // Clause 4: (1,1,1,1) -> (3,1,1,1): 1.0 -> 1.5.
        assert_eq!(
            (c.clauses[0].a, c.clauses[0].b, c.clauses[0].delta),
            (1.0, 1.5, 0.5),
            "{b}"
        );
        // Clause 8: (1,3,1,1) -> (1,1,1,1): 1.5 -> 1.0.
        assert_eq!(c.clauses[4].delta, -0.5, "{b}");
        let d = c
            .answers
            .iter()
            .find(|d| d.clause == "6.1.4")
            .map(|d| d.delta);
        assert_eq!(d, Some(Some(1)), "{b}");
        // Overall: 34 / 32 = 1.0625 -> 1.1; 35 / 32 = 1.09 -> 1.1.
        assert_eq!((c.overall_a, c.overall_b), (1.1, 1.1), "{b}");
        assert!(
            matches!(
                app.maturity_compare(&root(), "MAT-1", "MAT-7").await,
                Err(aims_app::AppError::NotFound { .. })
            ),
            "{b}"
        );
    }
}

#[tokio::test]
async fn readers_read_and_control_writers_assess() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let risk = add_user(app, "ro", Role::RiskOwner).await;
        let lead = add_user(app, "gl", Role::GovernanceLead).await;
        let contributor = add_user(app, "co", Role::Contributor).await;
        let auditor = add_user(app, "au", Role::Auditor).await;
        let viewer = add_user(app, "vi", Role::Viewer).await;
        let input = assessment("2026-02-01", 2, &[]);
        for who in [&contributor, &auditor, &viewer] {
            assert_forbidden(b, app.maturity_assess(who, &input).await);
        }
        let v = ok(b, app.maturity_assess(&risk, &input).await);
        assert_eq!(v.assessment.assessor, "ro", "{b}");
        let mut by_lead = input.clone();
        by_lead.assessor = Some("ro".into());
        let v = ok(b, app.maturity_assess(&lead, &by_lead).await);
        assert_eq!(
            (
                v.assessment.assessor.as_str(),
                v.assessment.created_by.as_str()
            ),
            ("ro", "gl"),
            "{b}"
        );
        for who in [&contributor, &auditor, &viewer] {
            assert_eq!(ok(b, app.maturity_list(who).await).len(), 2, "{b}");
            ok(b, app.maturity_get(who, "MAT-1").await);
            ok(b, app.maturity_compare(who, "MAT-1", "MAT-2").await);
            ok(b, app.gap_report(who).await);
        }
    }
}

#[tokio::test]
async fn an_assessment_changed_behind_the_app_is_detected() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.maturity_assess(&root(), &assessment("2026-02-01", 2, &[]))
                .await,
        );
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        raw(
            app,
            "UPDATE maturity_assessments SET assessed_on = '2026-02-02' WHERE key = 'MAT-1'",
        )
        .await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert_eq!(
            report.problem,
            Some(Break::EntityMismatch {
                kind: "maturity_assessment".into(),
                key: "MAT-1".into(),
                last_seq: report.head.seq,
            }),
            "{b}"
        );
    }
}
