//! Single sign-on: provisioning on first sign-in, the role following the claim, refusals that
//! write nothing, and the state checks of the callback.

use aims_app::sso::config::RoleMapInput;
use aims_app::sso::{Callback, Identity, Sso, SsoConfig, SsoError, SsoSettings};
use aims_app::App;
use aims_core::Role;

use crate::harness::{add_user, backends, event_count, fresh, ok, root, row_count, snapshot};

const ISSUER: &str = "https://id.example.test";

fn settings(default_role: Option<&str>) -> SsoSettings {
    let config = SsoConfig {
        issuer: Some(ISSUER.into()),
        client_id: Some("aims".into()),
        role_claim: Some("groups".into()),
        role_map: Some(RoleMapInput::Text(
            "aims-admins=admin,risk=risk_owner,readers=viewer".into(),
        )),
        default_role: default_role.map(Into::into),
        ..SsoConfig::default()
    };
    match config.resolve("http://127.0.0.1:8042") {
        Ok(Some(s)) => s,
        other => panic!("settings: {other:?}"),
    }
}

fn who(sub: &str, username: &str, groups: &[&str]) -> Identity {
    Identity {
        issuer: ISSUER.into(),
        subject: sub.into(),
        preferred_username: Some(username.into()),
        email: Some(format!("{username}@example.test")),
        name: Some(format!("{username} (SSO)")),
        role_claim: Some("groups".into()),
        role_values: groups.iter().map(|g| (*g).to_owned()).collect(),
    }
}

async fn role_of(app: &App, b: &str, username: &str) -> Role {
    let users = ok(b, app.user_list(&root()).await);
    match users.iter().find(|u| u.username == username) {
        Some(u) => u.role,
        None => panic!("{b}: no user {username}"),
    }
}

#[tokio::test]
async fn first_sign_in_provisions_and_the_role_follows_the_claim() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let s = settings(None);
        let events = event_count(app).await;

        let first = app
            .sso_sign_in(&s, &who("sub-1", "Rita.Risk", &["staff", "risk"]))
            .await;
        let Ok(first) = first else {
            panic!("{b}: {first:?}");
        };
        assert_eq!(
            (first.username.as_str(), first.role),
            ("rita.risk", Role::RiskOwner),
            "{b}"
        );
        let session = ok(b, app.session(&first.secret).await);
        assert_eq!(session.actor.username, "rita.risk", "{b}");
        assert_eq!(session.actor.role, Role::RiskOwner, "{b}");
        assert_eq!(row_count(app, "user_identities").await, 1, "{b}");
        assert_eq!(
            event_count(app).await,
            events + 1,
            "{b}: the user's create event"
        );
        let query = aims_app::security::SecurityQuery {
            kind: Some("login_succeeded".into()),
            user: Some("rita.risk".into()),
            ..Default::default()
        };
        let trail = ok(b, app.security_events(&root(), &query).await);
        let details: Vec<&str> = trail.events.iter().map(|e| e.detail.as_str()).collect();
        assert_eq!(
            details,
            ["single sign-on"],
            "{b}: the sign-in is in the security trail"
        );
        let users = ok(b, app.user_list(&root()).await);
        let rita = users.iter().find(|u| u.username == "rita.risk");
        assert_eq!(
            rita.map(|u| u.display_name.as_str()),
            Some("Rita.Risk (SSO)"),
            "{b}"
        );

        // The same claim again: same user, no ledger event.
        let again = app
            .sso_sign_in(&s, &who("sub-1", "renamed", &["risk"]))
            .await;
        assert_eq!(
            again.ok().map(|n| n.username),
            Some("rita.risk".into()),
            "{b}: linked by subject"
        );
        assert_eq!(event_count(app).await, events + 1, "{b}");

        // A changed claim changes the role, as a ledger update of the user.
        let promoted = app
            .sso_sign_in(&s, &who("sub-1", "rita.risk", &["risk", "aims-admins"]))
            .await;
        assert_eq!(
            promoted.ok().map(|n| n.role),
            Some(Role::Admin),
            "{b}: the highest mapped role"
        );
        assert_eq!(role_of(app, b, "rita.risk").await, Role::Admin, "{b}");
        assert_eq!(event_count(app).await, events + 2, "{b}");
        let lowered = app
            .sso_sign_in(&s, &who("sub-1", "rita.risk", &["readers"]))
            .await;
        assert_eq!(lowered.ok().map(|n| n.role), Some(Role::Viewer), "{b}");
        assert_eq!(event_count(app).await, events + 3, "{b}");
        let last: Vec<(String, String, String)> =
            sqlx::query_as("SELECT actor, key, action FROM ledger ORDER BY seq DESC LIMIT 3")
                .fetch_all(app.db.reader())
                .await
                .unwrap_or_else(|e| panic!("{b}: ledger: {e}"));
        let want = |action: &str| {
            (
                "aims (single sign-on)".to_owned(),
                "USR-2".to_owned(),
                action.to_owned(),
            )
        };
        assert_eq!(
            last,
            vec![want("update"), want("update"), want("create")],
            "{b}"
        );
        assert_eq!(
            row_count(app, "users").await,
            2,
            "{b}: bootstrap admin and rita"
        );

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);

        // Single sign-on users have no password that works.
        let by_password = app.login("rita.risk", "!sso").await;
        assert!(by_password.is_err(), "{b}");
    }
}

#[tokio::test]
async fn refusals_write_nothing_and_say_why() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let s = settings(None);
        add_user(app, "carol", Role::Contributor).await;
        let snap = snapshot(app).await;

        let unmapped = app
            .sso_sign_in(&s, &who("sub-2", "mallory", &["contractors"]))
            .await;
        match unmapped {
            Err(e @ SsoError::Unmapped(_)) => {
                assert!(
                    e.to_string().contains("'groups' values (contractors)"),
                    "{b}: {e}"
                );
                assert_eq!(e.status(), 403, "{b}");
            }
            other => panic!("{b}: {other:?}"),
        }
        let mut no_claim = who("sub-2", "mallory", &[]);
        no_claim.role_claim = None;
        let missing = app.sso_sign_in(&s, &no_claim).await;
        assert!(
            matches!(&missing, Err(SsoError::Unmapped(m)) if m.contains("sent no groups claim")),
            "{b}: {missing:?}"
        );

        // A local account's name is never taken over by a provider's user.
        let taken = app
            .sso_sign_in(&s, &who("sub-3", "carol", &["aims-admins"]))
            .await;
        assert!(
            matches!(&taken, Err(SsoError::UsernameTaken(u)) if u == "carol"),
            "{b}: {taken:?}"
        );
        assert_eq!(snapshot(app).await, snap, "{b}: nothing written");
        assert_eq!(row_count(app, "user_identities").await, 0, "{b}");

        // A disabled single sign-on user stays out.
        let dave = app
            .sso_sign_in(&s, &who("sub-4", "dave", &["readers"]))
            .await;
        assert!(dave.is_ok(), "{b}: {dave:?}");
        ok(b, app.user_disable(&root(), "dave").await);
        let snap = snapshot(app).await;
        let disabled = app
            .sso_sign_in(&s, &who("sub-4", "dave", &["readers"]))
            .await;
        assert!(
            matches!(&disabled, Err(SsoError::Disabled(u)) if u == "dave"),
            "{b}: {disabled:?}"
        );
        assert_eq!(snapshot(app).await, snap, "{b}: no session, no change");

        // With a default role, an unmapped claim gets it.
        let with_default = settings(Some("viewer"));
        let eve = app
            .sso_sign_in(&with_default, &who("sub-5", "eve", &["contractors"]))
            .await;
        assert_eq!(eve.ok().map(|n| n.role), Some(Role::Viewer), "{b}");
    }
}

#[tokio::test]
async fn callbacks_must_match_a_sign_in_started_in_the_same_browser() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sso = match Sso::new(settings(None)) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let cases = [
            (Some("abc"), None),
            (Some("abc"), Some("other")),
            (None, None),
            // Matches the browser, but no sign-in was started with it (or it was used up).
            (Some("abc"), Some("abc")),
        ];
        for (state, browser) in cases {
            let cb = Callback {
                code: Some("code".into()),
                state: state.map(Into::into),
                browser_state: browser.map(Into::into),
                ..Callback::default()
            };
            let got = sso.finish(app, &cb).await;
            assert!(
                matches!(got, Err(SsoError::StateMismatch)),
                "{b}: {state:?} {browser:?}: {got:?}"
            );
        }
        assert_eq!(row_count(app, "sessions").await, 0, "{b}");
    }
}

#[tokio::test]
async fn an_unreachable_provider_is_reported_and_nothing_is_kept() {
    let t = fresh("sqlite").await;
    let mut s = settings(None);
    s.issuer = "http://127.0.0.1:1".into();
    let sso = match Sso::new(s) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let got = sso.begin(&t.app, "/").await;
    match got {
        Err(e @ SsoError::Provider(_)) => {
            assert!(e.to_string().contains("discovery failed"), "{e}");
            assert_eq!(e.status(), 502);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(row_count(&t.app, "sso_pending").await, 0);
}
