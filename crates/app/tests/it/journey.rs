//! The implementation journey: an organisation walked through all eight steps, each status
//! following from the records it keeps.

use aims_app::App;
use aims_core::action::ActionInput;
use aims_core::certbody::CertBodyInput;
use aims_core::journey::{BriefingInput, StepStatus};
use aims_core::maturity::{AnswerInput, AssessmentInput};
use aims_core::scope::ScopeInput;
use aims_core::soa::SoaEntryInput;

use crate::harness::{backends, fresh, ok, root};

use StepStatus::{Done, InProgress, NotStarted};

async fn statuses(b: &str, app: &App) -> Vec<StepStatus> {
    ok(b, app.journey(&root()).await)
        .steps
        .into_iter()
        .map(|s| s.status)
        .collect()
}

async fn reason(b: &str, app: &App, step: usize) -> String {
    ok(b, app.journey(&root()).await).steps[step - 1]
        .reason
        .clone()
}

fn briefing(kind: &str) -> BriefingInput {
    BriefingInput {
        kind: Some(kind.into()),
        date: None,
        audience: Some("Executive committee".into()),
        summary: Some("Roadmap and budget".into()),
        decisions: None,
    }
}

#[tokio::test]
async fn an_organisation_walks_through_every_step() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        assert_eq!(statuses(b, app).await, vec![NotStarted; 8], "{b}");

        // 1. Maturity: one assessment, every sub-clause answered below target.
        let answers = aims_app::maturity::leaf_clauses()
            .into_iter()
            .map(|(clause, _)| AnswerInput {
                clause: Some(clause),
                current: Some(1),
                target: Some(3),
                note: None,
            })
            .collect();
        let assessment = AssessmentInput {
            answers,
            ..Default::default()
        };
        ok(b, app.maturity_assess(&root(), &assessment).await);
        let s = statuses(b, app).await;
        assert_eq!(
            (s[0], s[3]),
            (Done, InProgress),
            "{b}: assessed, SoA undecided"
        );
        assert_eq!(
            reason(b, app, 4).await,
            format!(
                "{} Annex A controls without an SoA decision",
                aims_app::soa::annex_a().len()
            ),
            "{b}"
        );

        // 2. Scope: a draft, then approved.
        let scope = ScopeInput {
            statement: Some("Every AI system of the lending business.".into()),
            boundaries: Some("UK operations.".into()),
            units: Some(vec!["Lending".into()]),
            coverage: Some("units".into()),
            ..Default::default()
        };
        let v = ok(b, app.scope_set(&root(), &scope).await);
        assert_eq!(statuses(b, app).await[1], InProgress, "{b}");
        ok(b, app.scope_approve(&root(), v.version).await);
        assert_eq!(statuses(b, app).await[1], Done, "{b}");

        // 3. Integration: an imported ISO/IEC 27001 register, first with nothing implemented.
        let register = |status: &str| format!("id,status\nA.5.1,{status}\nA.5.2,not implemented\n");
        ok(
            b,
            app.integration_import(
                &root(),
                "ISO27001",
                "isms.csv",
                &register("not implemented"),
            )
            .await,
        );
        assert_eq!(statuses(b, app).await[2], InProgress, "{b}");
        ok(
            b,
            app.integration_import(&root(), "ISO27001", "isms.csv", &register("implemented"))
                .await,
        );
        assert_eq!(statuses(b, app).await[2], Done, "{b}");
        assert_eq!(
            reason(b, app, 3).await,
            "ISO27001 imported: 1 of 2 items implemented wholly or in part",
            "{b}"
        );

        // 4. Gap analysis: every Annex A control decided.
        for (id, _) in aims_app::soa::annex_a() {
            let decision = SoaEntryInput {
                applicable: Some(true),
                justification: Some("Needed for the systems in scope".into()),
            };
            ok(b, app.soa_set(&root(), &id, &decision).await);
        }
        assert_eq!(statuses(b, app).await[3], Done, "{b}");

        // 5. Roadmap: an action without a gap, then one closing a gap of the analysis.
        let action = |title: &str, gap: Option<String>| ActionInput {
            title: Some(title.into()),
            owner: Some("root".into()),
            due_date: Some("2099-06-30".into()),
            effort: Some(3),
            gap,
            ..Default::default()
        };
        ok(b, app.action_add(&root(), &action("Kick-off", None)).await);
        assert_eq!(statuses(b, app).await[4], InProgress, "{b}");
        assert_eq!(
            reason(b, app, 5).await,
            "1 action, none linked to a gap yet",
            "{b}"
        );
        let gap = ok(b, app.gap_report(&root()).await).gaps[0].id.clone();
        let closing = ok(
            b,
            app.action_add(&root(), &action("Close the gap", Some(gap)))
                .await,
        );
        assert_eq!(
            reason(b, app, 5).await,
            "actions linked to a gap done: 0 of 1",
            "{b}"
        );
        let done = ActionInput {
            status: Some("done".into()),
            ..Default::default()
        };
        ok(b, app.action_update(&root(), &closing.key, &done).await);
        assert_eq!(statuses(b, app).await[4], Done, "{b}");

        // 6. The business case.
        ok(
            b,
            app.briefing_add(&root(), &briefing("business_case")).await,
        );
        assert_eq!(statuses(b, app).await[5], Done, "{b}");

        // 7. Certification bodies: considered, then one selected.
        let body = |name: &str| CertBodyInput {
            name: Some(name.into()),
            ..Default::default()
        };
        ok(b, app.certbody_add(&root(), &body("Alpha Assurance")).await);
        assert_eq!(statuses(b, app).await[6], InProgress, "{b}");
        let select = CertBodyInput {
            status: Some("selected".into()),
            ..Default::default()
        };
        ok(b, app.certbody_update(&root(), "CB-1", &select).await);
        assert_eq!(statuses(b, app).await[6], Done, "{b}");

        // 8. Leadership briefed after the latest roadmap change; a later change reopens it.
        assert_eq!(statuses(b, app).await[7], NotStarted, "{b}");
        ok(
            b,
            app.briefing_add(&root(), &briefing("leadership_briefing"))
                .await,
        );
        assert_eq!(statuses(b, app).await, vec![Done; 8], "{b}");
        let journey = ok(b, app.journey(&root()).await);
        assert_eq!(journey.done, 8, "{b}");
        let move_on = ActionInput {
            status: Some("in_progress".into()),
            ..Default::default()
        };
        ok(b, app.action_update(&root(), "ACT-1", &move_on).await);
        assert_eq!(statuses(b, app).await[7], InProgress, "{b}");
        assert!(
            reason(b, app, 8)
                .await
                .starts_with("the roadmap changed on "),
            "{b}"
        );
        ok(
            b,
            app.briefing_add(&root(), &briefing("leadership_briefing"))
                .await,
        );
        assert_eq!(statuses(b, app).await[7], Done, "{b}");

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}
