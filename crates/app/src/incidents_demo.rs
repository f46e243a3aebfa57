//! The demo organisation's incidents and nonconformities: incidents in several states (one a
//! serious incident with its deadline running, one closed with its root cause and lessons), a
//! nonconformity whose corrective action awaits its effectiveness check, and a closed one.

use aims_core::action::ActionInput;
use aims_core::incident::{IncidentInput, RcaInput};
use aims_core::nonconformity::NcInput;

use crate::incidents::{LinkInput, MoveInput};
use crate::nonconformities::{NcActionInput, VerifyInput};
use crate::{Actor, App, Result};

fn incident(
    title: &str,
    description: &str,
    kind: &str,
    severity: i64,
    system: &str,
    owner: &str,
    days_ago: u64,
) -> IncidentInput {
    let day = crate::actions::today() - chrono::Days::new(days_ago);
    IncidentInput {
        title: Some(title.into()),
        description: Some(description.into()),
        source: Some("user_report".into()),
        incident_type: Some(kind.into()),
        severity: Some(severity),
        systems: Some(vec![system.into()]),
        occurred_at: Some(day.to_string()),
        detected_at: Some(format!("{day}T09:30:00Z")),
        owner: Some(owner.into()),
        ..Default::default()
    }
}

async fn walk(app: &App, actor: &Actor, key: &str, steps: &[&str]) -> Result<()> {
    for to in steps {
        let input = MoveInput {
            to: (*to).into(),
            note: None,
        };
        app.incident_move(actor, key, &input).await?;
    }
    Ok(())
}

pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    // INC-1 is the fairness breach that the demo's monitoring of credit scoring opened.
    // INC-2: a serious incident whose reporting clock is running.
    let mut serious = incident(
        "Assistant gave medication advice",
        "The customer-service assistant told a customer to double a prescribed dose.",
        "safety",
        1,
        "SYS-3",
        "alan",
        3,
    );
    serious.serious_basis = Some("general".into());
    let inc = app.incident_add(actor, &serious).await?;
    walk(app, actor, &inc.key, &["triaged", "investigating"]).await?;
    app.incident_note(
        actor,
        &inc.key,
        "Health topics blocked in the assistant's prompt filter while we investigate.",
    )
    .await?;

    // INC-3: closed, with its root cause and lessons learned.
    let closed = incident(
        "Missed findings on portable X-rays",
        "Triage ranked portable chest X-rays too low; two urgent cases waited a day.",
        "performance",
        2,
        "SYS-6",
        "grace",
        40,
    );
    let inc = app.incident_add(actor, &closed).await?;
    walk(
        app,
        actor,
        &inc.key,
        &["triaged", "investigating", "contained"],
    )
    .await?;
    let rca = RcaInput {
        whys: Some(vec![
            "The model scored portable X-rays lower than fixed-unit ones.".into(),
            "Portable X-rays were rare in the training data.".into(),
            "The supplier's validation set came from one hospital without portable units.".into(),
        ]),
        category: Some("data".into()),
        lessons_learned: Some(
            "Ask suppliers for validation results per acquisition device before go-live.".into(),
        ),
    };
    app.incident_rca(actor, &inc.key, &rca).await?;
    let links = LinkInput {
        add: vec!["RSK-1".into(), "CTL-1".into()],
        remove: Vec::new(),
    };
    app.incident_link(actor, &inc.key, &links).await?;
    walk(app, actor, &inc.key, &["resolved", "closed"]).await?;
    let closed_key = inc.key;

    // INC-4: contained drift on fraud detection.
    let drift = incident(
        "Fraud alerts doubled after a card scheme change",
        "A new card scheme field shifted the inputs; analysts could not keep up.",
        "performance",
        3,
        "SYS-4",
        "rosa",
        6,
    );
    let inc = app.incident_add(actor, &drift).await?;
    walk(
        app,
        actor,
        &inc.key,
        &["triaged", "investigating", "contained"],
    )
    .await?;

    // NC-1: raised from the closed incident; its corrective action awaits the check.
    let nc = app
        .nc_add(
            actor,
            &NcInput {
                source: Some("incident".into()),
                source_ref: Some(closed_key),
                requirement: Some("ISO42001:8.4".into()),
                description: Some(
                    "The supplier's system was deployed without validation per device type.".into(),
                ),
                correction: Some("Portable X-rays routed to radiologists directly.".into()),
                root_cause: Some("The deployment checklist did not ask for it.".into()),
                owner: Some("grace".into()),
                due_date: Some((crate::actions::today() + chrono::Days::new(30)).to_string()),
                status: None,
            },
        )
        .await?;
    let action = ActionInput {
        title: Some("Add validation per device type to the deployment checklist".into()),
        owner: Some("grace".into()),
        due_date: Some((crate::actions::today() + chrono::Days::new(21)).to_string()),
        effort: Some(2),
        status: Some("in_progress".into()),
        ..Default::default()
    };
    app.nc_action(actor, &nc.key, &NcActionInput::New(Box::new(action)))
        .await?;

    // NC-2: from an internal audit, its action checked effective, closed.
    let nc = app
        .nc_add(
            actor,
            &NcInput {
                source: Some("internal_audit".into()),
                requirement: Some("ISO42001:7.2".into()),
                description: Some("Two ML engineers had no AI risk training on record.".into()),
                correction: Some("Both booked on the next session.".into()),
                root_cause: Some("Onboarding did not include the AI risk course.".into()),
                owner: Some("rosa".into()),
                ..Default::default()
            },
        )
        .await?;
    let action = ActionInput {
        title: Some("Add the AI risk course to engineer onboarding".into()),
        owner: Some("rosa".into()),
        due_date: Some(crate::actions::today().to_string()),
        effort: Some(1),
        ..Default::default()
    };
    let (_, act) = app
        .nc_action(actor, &nc.key, &NcActionInput::New(Box::new(action)))
        .await?;
    let check = VerifyInput {
        action: act.key,
        result: "effective".into(),
        note: "Onboarding records of the last three hires show the course.".into(),
        checked_at: None,
    };
    app.nc_verify(actor, &nc.key, &check).await?;
    app.nc_close(actor, &nc.key).await?;
    Ok(())
}
