//! The security trail, the account lockout, session rotation and password changes.

use std::time::Duration;

use aims_app::auth::PasswordChange;
use aims_app::security::SecurityQuery;
use aims_app::{App, AppError, Settings};
use aims_core::security::{SecurityEvent, SecurityEventKind as K};
use aims_core::Role;

use crate::harness::{
    actor, add_user, all_events, assert_conflict, assert_forbidden, assert_invalid,
    assert_unauthenticated, backends, fresh, ok, root, PASSWORD,
};

const WRONG: &str = "not the password at all";

async fn open(url: &str, settings: Settings) -> App {
    App::open(url, settings)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn lockout(max: i64, lock: Duration) -> Settings {
    Settings {
        login_max_failures: max,
        login_lock: lock,
        ..Settings::default()
    }
}

/// Every event, oldest first, as (kind, username).
async fn trail(app: &App) -> Vec<(K, Option<String>)> {
    let q = SecurityQuery {
        limit: Some(1000),
        ..SecurityQuery::default()
    };
    let mut events: Vec<SecurityEvent> = ok("trail", app.security_events(&root(), &q).await).events;
    events.reverse();
    events.into_iter().map(|e| (e.kind, e.username)).collect()
}

fn of(kind: K, user: &str) -> (K, Option<String>) {
    (kind, Some(user.to_owned()))
}

fn assert_locked<T: std::fmt::Debug>(b: &str, r: Result<T, AppError>) {
    match r {
        Err(AppError::Throttled {
            message,
            retry_after,
        }) => {
            assert!(message.contains("locked"), "{b}: {message}");
            assert!(!message.contains("password is"), "{b}: {message}");
            assert!(retry_after >= 1, "{b}: {retry_after}");
        }
        other => panic!("{b}: expected the lockout, got {other:?}"),
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_until_an_admin_unlocks_it() {
    for b in backends() {
        let t = fresh(b).await;
        add_user(&t.app, "alice", Role::Viewer).await;
        let app = open(&t.url, lockout(3, Duration::from_secs(900))).await;
        for _ in 0..3 {
            assert_unauthenticated(b, app.login("alice", WRONG).await);
        }
        // The right password is refused now, with the same words as a wrong one would get.
        assert_locked(b, app.login("alice", PASSWORD).await);
        assert_locked(b, app.login("alice", WRONG).await);
        // Another process sharing the database sees the same lock.
        let other = open(&t.url, lockout(3, Duration::from_secs(900))).await;
        assert_locked(b, other.login("alice", PASSWORD).await);
        assert_eq!(
            trail(&app).await,
            vec![
                of(K::LoginFailed, "alice"),
                of(K::LoginFailed, "alice"),
                of(K::LoginFailed, "alice"),
                of(K::AccountLocked, "alice"),
                of(K::LoginRefusedLocked, "alice"),
                of(K::LoginRefusedLocked, "alice"),
                of(K::LoginRefusedLocked, "alice"),
            ],
            "{b}"
        );
        let locks = ok(b, app.user_locks(&root()).await);
        assert_eq!(
            locks
                .iter()
                .map(|l| l.username.as_str())
                .collect::<Vec<_>>(),
            vec!["alice"],
            "{b}"
        );

        // Only admins unlock; the unlock is in the ledger and the trail.
        let lead = add_user(&t.app, "lena", Role::GovernanceLead).await;
        assert_forbidden(b, app.user_unlock(&lead, "alice").await);
        let before = all_events(&app).await.len();
        ok(b, app.user_unlock(&root(), "alice").await);
        let events = all_events(&app).await;
        assert_eq!(events.len(), before + 1, "{b}");
        let last = events.last().map(|e| (e.action.clone(), e.actor.clone()));
        assert_eq!(last, Some(("unlock".into(), "root".into())), "{b}");
        assert_conflict(b, app.user_unlock(&root(), "alice").await, "username");
        let s = ok(b, app.login("alice", PASSWORD).await);
        assert_eq!(s.username, "alice", "{b}");
        let tail: Vec<_> = trail(&app).await.into_iter().rev().take(2).collect();
        assert_eq!(
            tail,
            vec![
                of(K::LoginSucceeded, "alice"),
                of(K::AccountUnlocked, "alice")
            ],
            "{b}"
        );
        assert!(ok(b, app.ledger_verify(&root(), None).await).intact, "{b}");
        app.db.close().await;
        other.db.close().await;
    }
}

#[tokio::test]
async fn a_lock_ends_by_itself_and_a_success_resets_the_count() {
    for b in backends() {
        let t = fresh(b).await;
        add_user(&t.app, "alice", Role::Viewer).await;
        // Long enough that a slow (debug, loaded) password check does not outlast the lock.
        let app = open(&t.url, lockout(2, Duration::from_secs(4))).await;
        assert_unauthenticated(b, app.login("alice", WRONG).await);
        // A success in between starts the count again.
        ok(b, app.login("alice", PASSWORD).await);
        assert_unauthenticated(b, app.login("alice", WRONG).await);
        ok(b, app.login("alice", PASSWORD).await);
        assert_unauthenticated(b, app.login("alice", WRONG).await);
        assert_unauthenticated(b, app.login("alice", WRONG).await);
        assert_locked(b, app.login("alice", PASSWORD).await);
        tokio::time::sleep(Duration::from_millis(4100)).await;
        ok(b, app.login("alice", PASSWORD).await);
        // Unknown users are counted too, so a lock does not tell who exists.
        for _ in 0..2 {
            assert_unauthenticated(b, app.login("nobody", WRONG).await);
        }
        assert_locked(b, app.login("nobody", WRONG).await);
        app.db.close().await;
    }
}

#[tokio::test]
async fn signing_in_ends_the_session_the_browser_already_had() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::Viewer).await;
        let first = ok(b, app.login("alice", PASSWORD).await);
        let second = ok(
            b,
            app.login_from("alice", PASSWORD, Some("192.0.2.4"), Some(&first.secret))
                .await,
        );
        assert_ne!(first.secret, second.secret, "{b}");
        assert_ne!(first.csrf, second.csrf, "{b}");
        assert_unauthenticated(b, app.session(&first.secret).await);
        let s = ok(b, app.session(&second.secret).await);
        assert_eq!(s.csrf, second.csrf, "{b}");
        let q = SecurityQuery {
            kind: Some("login_succeeded".into()),
            ..SecurityQuery::default()
        };
        let found = ok(b, app.security_events(&root(), &q).await).events;
        assert_eq!(found[0].client.as_deref(), Some("192.0.2.4"), "{b}");
        assert_eq!(found.len(), 2, "{b}");
    }
}

#[tokio::test]
async fn a_password_change_ends_every_other_session() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let alice = add_user(app, "alice", Role::Contributor).await;
        let here = ok(b, app.login("alice", PASSWORD).await);
        let elsewhere = ok(b, app.login("alice", PASSWORD).await);
        let change = |current: &str, new: &str| PasswordChange {
            current_password: Some(current.into()),
            new_password: Some(new.into()),
        };
        let new = "a brand new passphrase";
        assert_invalid(
            b,
            app.password_change(&alice, Some(&here.secret), &change(WRONG, new))
                .await,
            "current_password",
        );
        assert_invalid(
            b,
            app.password_change(&alice, Some(&here.secret), &change(PASSWORD, "short"))
                .await,
            "new_password",
        );
        assert_invalid(
            b,
            app.password_change(
                &alice,
                Some(&here.secret),
                &change(PASSWORD, "alice-is-my-name"),
            )
            .await,
            "new_password",
        );
        // Nothing changed yet: both sessions stand.
        ok(b, app.session(&elsewhere.secret).await);
        ok(
            b,
            app.password_change(&alice, Some(&here.secret), &change(PASSWORD, new))
                .await,
        );
        ok(b, app.session(&here.secret).await);
        assert_unauthenticated(b, app.session(&elsewhere.secret).await);
        assert_unauthenticated(b, app.login("alice", PASSWORD).await);
        ok(b, app.login("alice", new).await);
        let last = all_events(app).await.pop().map(|e| e.action);
        assert_eq!(last.as_deref(), Some("set_password"), "{b}");
        assert!(ok(b, app.ledger_verify(&root(), None).await).intact, "{b}");
        let kinds: Vec<K> = trail(app).await.into_iter().map(|(k, _)| k).collect();
        assert!(kinds.contains(&K::PasswordChanged), "{b}: {kinds:?}");
    }
}

#[tokio::test]
async fn the_trail_is_read_by_admins_and_auditors_with_filters_and_pages() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::Viewer).await;
        add_user(app, "audrey", Role::Auditor).await;
        for _ in 0..3 {
            assert_unauthenticated(b, app.login("alice", WRONG).await);
        }
        let s = ok(b, app.login("alice", PASSWORD).await);
        ok(b, app.logout(&s.secret).await);
        ok(b, app.login("audrey", PASSWORD).await);

        let viewer = actor("alice", Role::Viewer);
        assert_forbidden(
            b,
            app.security_events(&viewer, &SecurityQuery::default())
                .await,
        );
        let auditor = actor("audrey", Role::Auditor);
        let q = |kind: Option<&str>, user: Option<&str>, before: Option<i64>, limit: i64| {
            SecurityQuery {
                kind: kind.map(Into::into),
                user: user.map(Into::into),
                before,
                limit: Some(limit),
                ..SecurityQuery::default()
            }
        };
        let failed = ok(
            b,
            app.security_events(&auditor, &q(Some("login_failed"), None, None, 50))
                .await,
        );
        assert_eq!(failed.events.len(), 3, "{b}");
        assert!(
            failed
                .events
                .iter()
                .all(|e| e.username.as_deref() == Some("alice") && e.detail == "wrong password"),
            "{b}"
        );
        assert_eq!(failed.next_before, None, "{b}");
        let alice = ok(
            b,
            app.security_events(&auditor, &q(None, Some("alice"), None, 50))
                .await,
        );
        let kinds: Vec<K> = alice.events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                K::Logout,
                K::LoginSucceeded,
                K::LoginFailed,
                K::LoginFailed,
                K::LoginFailed
            ],
            "{b}"
        );
        // Two at a time: the pages join up to the whole list.
        let first = ok(
            b,
            app.security_events(&auditor, &q(None, Some("alice"), None, 2))
                .await,
        );
        let next = first.next_before;
        let second = ok(
            b,
            app.security_events(&auditor, &q(None, Some("alice"), next, 2))
                .await,
        );
        let seqs: Vec<i64> = first
            .events
            .iter()
            .chain(&second.events)
            .map(|e| e.seq)
            .collect();
        let all: Vec<i64> = alice.events.iter().take(4).map(|e| e.seq).collect();
        assert_eq!(seqs, all, "{b}");
        assert_invalid(
            b,
            app.security_events(&auditor, &q(Some("party"), None, None, 5))
                .await,
            "kind",
        );
        assert_invalid(
            b,
            app.security_events(&auditor, &q(None, None, None, 0)).await,
            "limit",
        );
    }
}

#[tokio::test]
async fn expired_sessions_and_token_use_are_recorded_and_events_cannot_be_changed() {
    for b in backends() {
        let t = fresh(b).await;
        add_user(&t.app, "alice", Role::Viewer).await;
        let idle = open(
            &t.url,
            Settings {
                session_idle: Duration::from_millis(1),
                ..Settings::default()
            },
        )
        .await;
        let s = ok(b, idle.login("alice", PASSWORD).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_unauthenticated(b, idle.session(&s.secret).await);
        let q = SecurityQuery {
            kind: Some("session_expired".into()),
            ..SecurityQuery::default()
        };
        let expired = ok(b, t.app.security_events(&root(), &q).await).events;
        assert_eq!(expired.len(), 1, "{b}");
        assert_eq!(
            (expired[0].username.as_deref(), expired[0].detail.as_str()),
            (Some("alice"), "idle for too long"),
            "{b}"
        );

        let alice = actor("alice", Role::Viewer);
        let created = ok(
            b,
            t.app
                .token_create(
                    &alice,
                    &aims_app::auth::NewToken {
                        name: Some("ci".into()),
                        ..Default::default()
                    },
                )
                .await,
        );
        ok(
            b,
            t.app
                .token_actor_from(&created.secret, Some("198.51.100.2"), "GET /api/v1/systems")
                .await,
        );
        // Within the minute the next use is not written again.
        ok(b, t.app.token_actor(&created.secret).await);
        let q = SecurityQuery {
            kind: Some("token_used".into()),
            ..SecurityQuery::default()
        };
        let used = ok(b, t.app.security_events(&root(), &q).await).events;
        assert_eq!(used.len(), 1, "{b}");
        assert_eq!(
            (
                used[0].token_key.as_deref(),
                used[0].client.as_deref(),
                used[0].detail.as_str()
            ),
            (
                Some(created.token.key.as_str()),
                Some("198.51.100.2"),
                "GET /api/v1/systems"
            ),
            "{b}"
        );

        let changed = t
            .app
            .db
            .execute_raw("UPDATE security_events SET detail = 'x'")
            .await;
        assert!(changed.is_err(), "{b}: an event was changed");
        let removed = t.app.db.execute_raw("DELETE FROM security_events").await;
        assert!(removed.is_err(), "{b}: events were removed");
        idle.db.close().await;
    }
}
