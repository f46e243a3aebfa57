//! The permission matrix: every role against a representative call of every action.

use aims_app::auth::NewToken;
use aims_app::users::NewUser;
use aims_app::{Actor, App, AppError, Via};
use aims_core::action::ActionInput;
use aims_core::certbody::CertBodyInput;
use aims_core::context::{IssueInput, PartyInput};
use aims_core::control::{ControlInput, LinksInput};
use aims_core::journey::BriefingInput;
use aims_core::scope::ScopeInput;
use aims_core::{Action, Role};

use crate::harness::{
    add_system, add_user, backends, fresh, ok, root, snapshot, system_input, PASSWORD,
};

type Outcome = Result<(), AppError>;

fn done<T>(r: Result<T, AppError>) -> Outcome {
    r.map(|_| ())
}

fn scope_input(statement: &str) -> ScopeInput {
    ScopeInput {
        statement: Some(statement.into()),
        ..Default::default()
    }
}

/// What the calls of `action` act on, made as root before the calls: a system to retire, a
/// draft to approve (its version).
async fn prepare(app: &App, action: Action, tag: &str) -> String {
    match action {
        Action::RetireSystem => add_system(app, &system_input(&format!("To retire {tag}"))).await,
        Action::ApproveScope => {
            let input = scope_input(&format!("For {tag}"));
            let draft = ok("prepare", app.scope_set(&root(), &input).await);
            draft.version.to_string()
        }
        Action::RecordMonitoring => {
            let plan = crate::monitoring::plan("root");
            ok(
                "prepare",
                app.monitor_plan_set(&root(), "SYS-1", &plan).await,
            );
            String::new()
        }
        _ => String::new(),
    }
}

/// The calls that stand for `action`, made by `who`; `tag` makes names unique per role.
/// `demo` is a database without AI systems, where seeding the demo can succeed.
async fn calls(
    app: &App,
    demo: &App,
    who: &Actor,
    action: Action,
    tag: &str,
    prepared: &str,
) -> Vec<(&'static str, Outcome)> {
    match action {
        Action::Read => vec![
            (
                "system_list",
                done(app.system_list(who, &Default::default()).await),
            ),
            ("system_get", done(app.system_get(who, "SYS-1").await)),
            (
                "issue_list",
                done(app.issue_list(who, &Default::default()).await),
            ),
            (
                "party_list",
                done(app.party_list(who, &Default::default()).await),
            ),
            ("scope_history", done(app.scope_history(who).await)),
            ("scope_status", done(app.scope_status(who).await)),
            ("user_list", done(app.user_list(who).await)),
            (
                "control_list",
                done(app.control_list(who, &Default::default()).await),
            ),
            ("control_get", done(app.control_get(who, "CTL-1").await)),
            (
                "ledger_log",
                done(app.ledger_log(who, None, None, None).await),
            ),
            ("ledger_verify", done(app.ledger_verify(who, None).await)),
            ("dashboard", done(app.dashboard(who).await)),
            (
                "risk_list",
                done(app.risk_list(who, &Default::default()).await),
            ),
            ("risk_views", done(app.risk_views(who).await)),
            ("methodology_show", done(app.methodology_show(who).await)),
            (
                "export_csv",
                done(app.system_export_csv(who, &Default::default()).await),
            ),
        ],
        Action::WriteInventory => {
            let added = app
                .system_add(who, &system_input(&format!("Added by {tag}")))
                .await;
            let patch = aims_core::inventory::SystemInput {
                purpose: Some(format!("Changed by {tag}")),
                ..Default::default()
            };
            vec![
                ("system_add", done(added)),
                (
                    "system_update",
                    done(app.system_update(who, "SYS-1", &patch).await),
                ),
            ]
        }
        Action::WriteControls => {
            let input = ControlInput {
                name: Some(format!("Control of {tag}")),
                description: Some("d".into()),
                owner: Some("root".into()),
                ..Default::default()
            };
            let added = done(app.control_add(who, &input).await);
            let patch = ControlInput {
                description: Some(format!("Changed by {tag}")),
                ..Default::default()
            };
            let links = LinksInput {
                requirements: Some(vec!["ISO42001:A.6.2.4".into()]),
                systems: Some(vec!["SYS-1".into()]),
            };
            vec![
                ("control_add", added),
                (
                    "control_update",
                    done(app.control_update(who, "CTL-1", &patch).await),
                ),
                (
                    "control_link",
                    done(app.control_link(who, "CTL-1", &links).await),
                ),
            ]
        }
        Action::RetireSystem => {
            let retired = app.system_retire(who, prepared, Some("Done")).await;
            vec![("system_retire", done(retired))]
        }
        Action::WriteContext => {
            let issue = IssueInput {
                title: Some(format!("Issue of {tag}")),
                side: Some("internal".into()),
                category: Some("culture".into()),
                description: Some("d".into()),
                ..Default::default()
            };
            let party = PartyInput {
                name: Some(format!("Party of {tag}")),
                party_type: Some("customer".into()),
                ..Default::default()
            };
            let issue_r = done(app.issue_add(who, &issue).await);
            let party_r = done(app.party_add(who, &party).await);
            let edit = IssueInput {
                effect: Some(format!("by {tag}")),
                ..Default::default()
            };
            vec![
                ("issue_add", issue_r),
                ("party_add", party_r),
                (
                    "issue_update",
                    done(app.issue_update(who, "CTX-1", &edit).await),
                ),
            ]
        }
        Action::WriteScope => {
            vec![(
                "scope_set",
                done(app.scope_set(who, &scope_input(tag)).await),
            )]
        }
        Action::ApproveScope => {
            let version = prepared.parse().unwrap_or(0);
            vec![("scope_approve", done(app.scope_approve(who, version).await))]
        }
        Action::ReadSecurityEvents => vec![(
            "security_events",
            done(
                app.security_events(who, &aims_app::security::SecurityQuery::default())
                    .await,
            ),
        )],
        Action::ManageUsers => {
            let input = NewUser {
                username: Some(format!("new.{tag}")),
                role: Some("viewer".into()),
                password: Some(PASSWORD.into()),
                ..Default::default()
            };
            vec![
                ("user_add", done(app.user_add(who, &input).await)),
                (
                    "user_disable",
                    done(app.user_disable(who, &format!("victim.{tag}")).await),
                ),
            ]
        }
        Action::ManageOwnTokens => {
            let input = NewToken {
                name: Some(format!("token {tag}")),
                ..Default::default()
            };
            let created = app.token_create(who, &input).await;
            let key = created
                .as_ref()
                .map(|c| c.token.key.clone())
                .unwrap_or_default();
            let mut out = vec![("token_create", done(created))];
            out.push(("token_list", done(app.token_list(who).await)));
            if !key.is_empty() {
                out.push(("token_revoke", done(app.token_revoke(who, &key).await)));
            }
            out
        }
        Action::WriteRisks => {
            let input = aims_core::risk::register::RiskInput {
                title: Some(format!("Risk of {tag}")),
                cause: Some("c".into()),
                event: Some("e".into()),
                consequence: Some("q".into()),
                category: Some("technical".into()),
                owner: Some("root".into()),
                ..Default::default()
            };
            vec![("risk_add", done(app.risk_add(who, &input).await))]
        }
        Action::ChangeMethodology => {
            let mut doc = aims_core::risk::methodology::default_doc();
            doc.name = format!("Method of {tag}");
            vec![("methodology_set", done(app.methodology_set(who, doc).await))]
        }
        Action::WriteMaturity => {
            let input = crate::maturity::assessment("2026-01-05", 2, &[]);
            vec![(
                "maturity_assess",
                done(app.maturity_assess(who, &input).await),
            )]
        }
        Action::PlanActions => {
            let input = ActionInput {
                title: Some(format!("Action of {tag}")),
                owner: Some("root".into()),
                due_date: Some("2099-12-31".into()),
                effort: Some(1),
                ..Default::default()
            };
            let mut out = vec![("action_add", done(app.action_add(who, &input).await))];
            // A contributor may move their own actions and is refused others' (see actions.rs).
            if who.role != Role::Contributor {
                let patch = ActionInput {
                    description: Some(format!("Changed by {tag}")),
                    ..Default::default()
                };
                let updated = app.action_update(who, "ACT-1", &patch).await;
                out.push(("action_update", done(updated)));
            }
            out
        }
        Action::ManageCertification => {
            let body = CertBodyInput {
                name: Some(format!("Body of {tag}")),
                ..Default::default()
            };
            let patch = CertBodyInput {
                notes: Some(format!("Changed by {tag}")),
                ..Default::default()
            };
            let briefing = BriefingInput {
                kind: Some("leadership_briefing".into()),
                audience: Some(format!("Board of {tag}")),
                summary: Some("Roadmap".into()),
                ..Default::default()
            };
            vec![
                ("certbody_add", done(app.certbody_add(who, &body).await)),
                (
                    "certbody_update",
                    done(app.certbody_update(who, "CB-1", &patch).await),
                ),
                ("briefing_add", done(app.briefing_add(who, &briefing).await)),
            ]
        }
        Action::ImportRegisters => {
            let register = format!("id,status,note\n7.5,yes,by {tag}\n");
            vec![(
                "integration_import",
                done(
                    app.integration_import(who, "ISO9001", "q.csv", &register)
                        .await,
                ),
            )]
        }
        Action::ManageMonitoring => {
            let plan = aims_core::monitoring::PlanInput {
                schedule: Some("monthly".into()),
                ..crate::monitoring::plan("root")
            };
            vec![(
                "monitor_plan_set",
                done(app.monitor_plan_set(who, "SYS-1", &plan).await),
            )]
        }
        Action::RecordMonitoring => {
            let push = aims_core::monitoring::PushInput {
                metrics: [("performance.current.accuracy".to_string(), 0.9)].into(),
                label: Some(format!("by {tag}")),
                ..Default::default()
            };
            vec![(
                "monitor_push",
                done(app.monitor_push(who, "SYS-1", &push).await),
            )]
        }
        Action::WriteIncidents => {
            let input = crate::incidents::incident_input(&format!("Incident of {tag}"), "SYS-1");
            let added = done(app.incident_add(who, &input).await);
            let note = app
                .incident_note(who, "INC-1", &format!("Note by {tag}"))
                .await;
            vec![("incident_add", added), ("incident_note", done(note))]
        }
        Action::ManageNonconformities => {
            let input = crate::nonconformities::nc_input(&format!("NC of {tag}"));
            let added = done(app.nc_add(who, &input).await);
            let patch = aims_core::nonconformity::NcInput {
                correction: Some(format!("Corrected by {tag}")),
                ..Default::default()
            };
            let updated = app.nc_update(who, "NC-1", &patch).await;
            vec![("nc_add", added), ("nc_update", done(updated))]
        }
        Action::SeedDemo => vec![("seed_demo", done(demo.seed_demo(who).await))],
        Action::ImportCatalogs => {
            let id: String = tag.chars().filter(char::is_ascii_alphanumeric).collect();
            let request = aims_app::catalogs::ImportRequest {
                file_name: "own.yaml".into(),
                content: format!(
                    "id: OWN-{id}\nname: Own\nversion: \"1\"\nitems:\n  - id: \"1\"\n    kind: clause\n    title: One\n    guidance: Good.\n"
                ),
                id: None,
            };
            vec![(
                "catalog_import",
                done(app.catalog_import(who, &request).await),
            )]
        }
    }
}

#[tokio::test]
async fn every_role_against_every_action() {
    for b in backends() {
        let t = fresh(b).await;
        let demo = fresh(b).await;
        let app = &t.app;
        add_system(app, &system_input("Shared system")).await;
        ok(
            b,
            app.issue_add(
                &root(),
                &IssueInput {
                    title: Some("Shared issue".into()),
                    side: Some("external".into()),
                    category: Some("market".into()),
                    description: Some("d".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        ok(
            b,
            app.control_add(
                &root(),
                &ControlInput {
                    name: Some("Shared control".into()),
                    description: Some("d".into()),
                    owner: Some("root".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        ok(
            b,
            app.action_add(
                &root(),
                &ActionInput {
                    title: Some("Shared action".into()),
                    owner: Some("root".into()),
                    due_date: Some("2099-12-31".into()),
                    effort: Some(1),
                    ..Default::default()
                },
            )
            .await,
        );
        ok(
            b,
            app.certbody_add(
                &root(),
                &CertBodyInput {
                    name: Some("Shared body".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let mut seen = Vec::new();
        for role in Role::ALL.iter().copied() {
            let tag = role.as_str().replace('_', "-");
            // A real user with the role (tokens belong to users), and one for admins to disable.
            let who = if role == Role::Admin {
                Actor {
                    via: Via::Session,
                    ..root()
                }
            } else {
                add_user(app, &format!("as.{tag}"), role).await
            };
            add_user(app, &format!("victim.{tag}"), Role::Viewer).await;
            for action in Action::ALL.iter().copied() {
                let target = if action == Action::SeedDemo {
                    &demo.app
                } else {
                    app
                };
                let prepared = prepare(app, action, &tag).await;
                let before = snapshot(target).await;
                let outcomes = calls(app, &demo.app, &who, action, &tag, &prepared).await;
                let after = snapshot(target).await;
                let allowed = role.permits(action);
                for (call, outcome) in outcomes {
                    match (&outcome, allowed) {
                        (Ok(()), true) => {}
                        (Err(AppError::Forbidden { role: r, action: a }), false) => {
                            assert_eq!((*r, *a), (role, action), "{b}: {call}");
                        }
                        _ => panic!(
                            "{b}: {role} {action:?} via {call}: allowed={allowed}, got {outcome:?}"
                        ),
                    }
                    seen.push((role, action, call));
                }
                if allowed && action.is_write() {
                    let written = after.head() - before.head();
                    assert!(written >= 1, "{b}: {role} {action:?} wrote nothing");
                } else {
                    assert_eq!(after, before, "{b}: {role} {action:?} changed something");
                }
            }
        }
        assert!(seen.len() >= Role::ALL.len() * Action::ALL.len(), "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        let report = ok(b, demo.app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}
