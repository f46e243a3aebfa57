//! Logins, sessions and API tokens.

use std::time::Duration;

use aims_app::auth::NewToken;
use aims_app::{App, AppError, Settings, Via};
use aims_core::Role;

use crate::harness::{
    add_user, assert_conflict, assert_forbidden, assert_invalid, assert_unauthenticated, backends,
    event_count, fresh, invalid_fields, ok, raw, root, snapshot, sql_str, system_input, PASSWORD,
};

fn token(name: &str, role: Option<&str>) -> NewToken {
    NewToken {
        name: Some(name.into()),
        role: role.map(Into::into),
        expires_in_days: None,
    }
}

#[tokio::test]
async fn login_sessions_and_disabling() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::RiskOwner).await;

        let s = ok(b, app.login(" alice ", PASSWORD).await);
        assert_eq!(
            (s.username.as_str(), s.role),
            ("alice", Role::RiskOwner),
            "{b}"
        );
        assert_eq!(s.secret.len(), 64, "{b}");
        let got = ok(b, app.session(&s.secret).await);
        assert_eq!(got.actor.username, "alice", "{b}");
        assert_eq!(got.actor.role, Role::RiskOwner, "{b}");
        assert_eq!(got.actor.via, Via::Session, "{b}");
        assert_eq!(got.csrf, s.csrf, "{b}");

        // Wrong password, unknown user, someone else's password: the same refusal.
        let snap = snapshot(app).await;
        let mut messages = Vec::new();
        for (user, password) in [
            ("alice", "wrong password here"),
            ("nobody", PASSWORD),
            ("alice", ""),
            ("ALICE", PASSWORD),
        ] {
            match app.login(user, password).await {
                Err(AppError::Unauthenticated(m)) => messages.push(m),
                other => panic!("{b}: {user}: {other:?}"),
            }
        }
        messages.dedup();
        assert_eq!(messages.len(), 1, "{b}: {messages:?}");
        assert_eq!(
            snapshot(app).await,
            snap,
            "{b}: refused logins write nothing"
        );
        assert_unauthenticated(b, app.session("not-a-session").await);

        // Logging out ends the session; a second session is independent.
        let other = ok(b, app.login("alice", PASSWORD).await);
        ok(b, app.logout(&s.secret).await);
        assert_unauthenticated(b, app.session(&s.secret).await);
        ok(b, app.session(&other.secret).await);

        // A disabled user loses the running session and cannot sign in again.
        let disabled = ok(b, app.user_disable(&root(), "alice").await);
        assert!(disabled.disabled, "{b}");
        assert_unauthenticated(b, app.session(&other.secret).await);
        assert_unauthenticated(b, app.login("alice", PASSWORD).await);
        assert_conflict(b, app.user_disable(&root(), "alice").await, "username");
        assert_conflict(b, app.user_disable(&root(), "root").await, "username");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn idle_and_expired_sessions_are_refused() {
    for b in backends() {
        let t = fresh(b).await;
        add_user(&t.app, "alice", Role::Viewer).await;
        let open = |settings: Settings| {
            let url = t.url.clone();
            async move {
                App::open(&url, settings)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
            }
        };
        let idle = open(Settings {
            session_idle: Duration::from_millis(1),
            ..Settings::default()
        })
        .await;
        let s = ok(b, idle.login("alice", PASSWORD).await);
        ok(b, t.app.session(&s.secret).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_unauthenticated(b, idle.session(&s.secret).await);
        // Refusing it also ended it, for every process.
        assert_unauthenticated(b, t.app.session(&s.secret).await);

        let short = open(Settings {
            session_ttl: Duration::from_millis(1),
            ..Settings::default()
        })
        .await;
        let s = ok(b, short.login("alice", PASSWORD).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_unauthenticated(b, t.app.session(&s.secret).await);
        idle.db.close().await;
        short.db.close().await;
    }
}

#[tokio::test]
async fn tokens_resolve_with_their_role_until_revoked() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let alice = add_user(app, "alice", Role::RiskOwner).await;
        let bob = add_user(app, "bob", Role::Contributor).await;

        let n = event_count(app).await;
        let created = ok(b, app.token_create(&alice, &token("ci", None)).await);
        assert!(
            created.secret.starts_with("aims_"),
            "{b}: {}",
            created.secret
        );
        assert!(created.secret.len() > 20, "{b}");
        assert_eq!(created.token.key, "TOK-1", "{b}");
        assert_eq!(
            (created.token.owner.as_str(), created.token.role),
            ("alice", Role::RiskOwner),
            "{b}"
        );
        assert!(created.token.revoked_at.is_none(), "{b}");
        assert!(created.token.expires_at > created.token.created_at, "{b}");
        assert_eq!(event_count(app).await, n + 1, "{b}");
        let a = ok(b, app.token_actor(&created.secret).await);
        assert_eq!(
            (a.username.as_str(), a.role),
            ("alice", Role::RiskOwner),
            "{b}"
        );
        assert_eq!(a.via, Via::Token("TOK-1".into()), "{b}");

        // A lower role is allowed and is what the token acts with.
        let viewer = ok(
            b,
            app.token_create(&alice, &token("dashboards", Some("viewer")))
                .await,
        );
        let va = ok(b, app.token_actor(&viewer.secret).await);
        assert_eq!(
            (va.username.as_str(), va.role),
            ("alice", Role::Viewer),
            "{b}"
        );
        assert_forbidden(
            b,
            app.system_add(&va, &system_input("Via viewer token")).await,
        );

        // Writes through a token are recorded with the token's key.
        ok(b, app.system_add(&a, &system_input("Via token")).await);
        let last = ok(b, app.ledger_log(&root(), None, None, Some(1)).await);
        assert_eq!(last[0].actor, "alice (TOK-1)", "{b}");

        // Refused requests write nothing.
        let snap = snapshot(app).await;
        assert_invalid(
            b,
            app.token_create(&alice, &token("up", Some("admin"))).await,
            "role",
        );
        assert_invalid(
            b,
            app.token_create(&alice, &token("up", Some("governance_lead")))
                .await,
            "role",
        );
        assert_invalid(
            b,
            app.token_create(&alice, &token("up", Some("boss"))).await,
            "role",
        );
        assert_invalid(
            b,
            app.token_create(&alice, &NewToken::default()).await,
            "name",
        );
        for days in [0, 367, -1] {
            let input = NewToken {
                expires_in_days: Some(days),
                ..token("x", None)
            };
            assert_invalid(b, app.token_create(&alice, &input).await, "expires_in_days");
        }
        let both = NewToken {
            name: None,
            role: Some("admin".into()),
            expires_in_days: Some(0),
        };
        assert_eq!(
            invalid_fields(b, app.token_create(&alice, &both).await),
            vec!["name", "role", "expires_in_days"],
            "{b}"
        );
        // A token cannot mint or revoke tokens (asserted precisely in its own test).
        assert!(
            app.token_create(&a, &token("child", Some("viewer")))
                .await
                .is_err(),
            "{b}"
        );
        assert!(app.token_revoke(&a, "TOK-2").await.is_err(), "{b}");
        for bad in ["", "aims_", "aims_0000", "secret", &created.secret[5..]] {
            assert_unauthenticated(b, app.token_actor(bad).await);
        }
        assert_eq!(snapshot(app).await, snap, "{b}");

        // Lists: one's own tokens; admins see all.
        ok(b, app.token_create(&bob, &token("bob's", None)).await);
        let listed = |who| async move {
            let v = ok(b, app.token_list(who).await);
            v.into_iter().map(|t| t.token.key).collect::<Vec<_>>()
        };
        assert_eq!(listed(&alice).await, vec!["TOK-1", "TOK-2"], "{b}");
        assert_eq!(listed(&bob).await, vec!["TOK-3"], "{b}");
        assert_eq!(
            listed(&root()).await,
            vec!["TOK-1", "TOK-2", "TOK-3"],
            "{b}"
        );

        // Revoking: by the owner or an admin; others do not even see it.
        let not_yours = app.token_revoke(&bob, "TOK-1").await;
        assert!(
            matches!(not_yours, Err(AppError::NotFound { .. })),
            "{b}: {not_yours:?}"
        );
        let r = ok(b, app.token_revoke(&alice, "tok-1").await);
        assert!(r.revoked_at.is_some(), "{b}");
        assert_unauthenticated(b, app.token_actor(&created.secret).await);
        assert_conflict(b, app.token_revoke(&alice, "TOK-1").await, "key");
        ok(b, app.token_revoke(&root(), "TOK-3").await);
        ok(b, app.token_actor(&viewer.secret).await);

        // An expired token is refused.
        raw(
            app,
            "UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00.000000Z' WHERE key = 'TOK-2'",
        )
        .await;
        assert_unauthenticated(b, app.token_actor(&viewer.secret).await);
        raw(
            app,
            &format!(
                "UPDATE api_tokens SET expires_at = {} WHERE key = 'TOK-2'",
                sql_str(&viewer.token.expires_at)
            ),
        )
        .await;
        ok(b, app.token_actor(&viewer.secret).await);

        // Disabling the owner stops their tokens.
        ok(b, app.user_disable(&root(), "alice").await);
        assert_unauthenticated(b, app.token_actor(&viewer.secret).await);
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn a_token_cannot_manage_tokens() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let alice = add_user(app, "alice", Role::GovernanceLead).await;
        let created = ok(b, app.token_create(&alice, &token("ci", None)).await);
        let other = ok(b, app.token_create(&alice, &token("other", None)).await);
        let via_token = ok(b, app.token_actor(&created.secret).await);
        let snap = snapshot(app).await;
        // Refusals of who is asking, answered as forbidden like the revoke, not state conflicts.
        let minted = app
            .token_create(&via_token, &token("child", Some("viewer")))
            .await;
        let revoked = app.token_revoke(&via_token, &other.token.key).await;
        assert_eq!(snapshot(app).await, snap, "{b}");
        ok(b, app.token_actor(&other.secret).await);
        let codes =
            [&minted.as_ref().err(), &revoked.as_ref().err()].map(|e| e.map(AppError::code));
        assert_eq!(
            codes,
            [Some("forbidden"), Some("forbidden")],
            "{b}: token_create {minted:?}, token_revoke {revoked:?}"
        );
    }
}
