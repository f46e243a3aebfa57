//! Lockout, throttling, session expiry and rotation, the security trail and access by key,
//! through real HTTP.

use std::time::Duration;

use aims_app::Settings;
use aims_core::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{
    backends, call, seq, start_configured, start_demo, TestServer, ROOT_PASSWORD,
};
use crate::pages::{csrf, element, get, location, login, post};

const WRONG: &str = "certainly not the password";

async fn sign_in(
    s: &TestServer,
    b: &reqwest::Client,
    user: &str,
    password: &str,
) -> reqwest::Response {
    b.post(s.url("/login"))
        .form(&[("username", user), ("password", password), ("next", "/")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn trail(s: &TestServer, token: &str, query: &str) -> Vec<Value> {
    let (status, body) = call(s, "GET", &format!("/security-events{query}"), token, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["events"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn repeated_failed_sign_ins_lock_the_account_until_unlocked() {
    for b in backends() {
        let settings = Settings {
            login_max_failures: 3,
            ..Settings::default()
        };
        let s = start_configured(b, false, settings, aims_web::WebConfig::default()).await;
        let root = s.token(Role::Admin).await;
        let (status, _) = call(
            &s,
            "POST",
            "/users",
            &root,
            Some(json!({"username": "alice", "role": "viewer", "password": ROOT_PASSWORD})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{b}");
        let browser = s.browser();
        for _ in 0..3 {
            let res = sign_in(&s, &browser, "alice", WRONG).await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{b}");
        }
        // Locked: the right password is refused, and the page says so without judging it.
        let res = sign_in(&s, &browser, "alice", ROOT_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{b}");
        assert!(res.headers().contains_key("retry-after"), "{b}");
        let page = res.text().await.unwrap_or_default();
        assert!(page.contains("locked"), "{b}: {page}");
        let res = browser
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"username": "alice", "password": ROOT_PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "{b}");
        let p: Value = res.json().await.unwrap_or_default();
        assert_eq!(p["code"], "too_many_attempts", "{b}: {p}");

        let kinds: Vec<String> = trail(&s, &root, "?user=alice")
            .await
            .iter()
            .rev()
            .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            kinds,
            [
                "login_failed",
                "login_failed",
                "login_failed",
                "account_locked",
                "login_refused_locked",
                "login_refused_locked"
            ],
            "{b}"
        );
        let events = trail(&s, &root, "?kind=login_failed&limit=1").await;
        assert_eq!(events[0]["client"], "127.0.0.1", "{b}");

        // The users page shows the lock and offers the unlock; the API lists it too.
        let (status, locks) = call(&s, "GET", "/users/locks", &root, None).await;
        assert_eq!(
            (status, locks[0]["username"].as_str()),
            (StatusCode::OK, Some("alice")),
            "{b}"
        );
        let admin = s.browser();
        assert_eq!(
            sign_in(&s, &admin, "root", ROOT_PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        let (_, users) = get(&admin, &s, "/users").await;
        assert!(
            users.contains("Locked until") && users.contains("/users/alice/unlock"),
            "{b}"
        );
        let head = seq(&s).await;
        let res = post(
            &admin,
            &s,
            "/users/alice/unlock",
            &[("csrf", csrf(&users).as_str())],
        )
        .await;
        assert_eq!(location(&res), "/users?unlocked=alice", "{b}");
        assert_eq!(seq(&s).await, head + 1, "{b}: the unlock is in the ledger");
        let (status, body) = call(&s, "POST", "/users/alice/unlock", &root, None).await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (StatusCode::CONFLICT, Some("username")),
            "{b}"
        );
        let res = sign_in(&s, &browser, "alice", ROOT_PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
    }
}

#[tokio::test]
async fn one_address_is_throttled_after_its_attempts() {
    let b = backends()[0];
    let settings = Settings {
        login_client_attempts: 4,
        ..Settings::default()
    };
    let s = start_configured(b, false, settings, aims_web::WebConfig::default()).await;
    let browser = s.browser();
    for user in ["a1", "a2", "a3", "a4"] {
        let res = sign_in(&s, &browser, user, WRONG).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now.
    let res = sign_in(&s, &browser, "root", ROOT_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=300).contains(&wait), "{wait}");
    let root = s.token(Role::Admin).await;
    let events = trail(&s, &root, "?kind=rate_limited").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["client"], "127.0.0.1");
}

#[tokio::test]
async fn an_idle_session_expires_and_is_recorded() {
    for b in backends() {
        let settings = Settings {
            // Long enough for a slow machine to sign in and read a page inside it.
            session_idle: Duration::from_secs(3),
            ..Settings::default()
        };
        let s = start_configured(b, false, settings, aims_web::WebConfig::default()).await;
        let browser = s.browser();
        assert_eq!(
            sign_in(&s, &browser, "root", ROOT_PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        let (status, html) = get(&browser, &s, "/account").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let token = csrf(&html);
        tokio::time::sleep(Duration::from_millis(3100)).await;
        let res = browser
            .get(s.url("/account"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(location(&res), "/login?next=/account", "{b}");
        // A form of the expired session does nothing either.
        let head = seq(&s).await;
        let res = post(
            &browser,
            &s,
            "/account/tokens",
            &[("csrf", token.as_str()), ("name", "late")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert!(location(&res).starts_with("/login"), "{b}");
        assert_eq!(seq(&s).await, head, "{b}");
        let root = s.token(Role::Admin).await;
        let events = trail(&s, &root, "?kind=session_expired").await;
        assert_eq!(events.len(), 1, "{b}");
        assert_eq!(
            (events[0]["username"].as_str(), events[0]["detail"].as_str()),
            (Some("root"), Some("idle for too long")),
            "{b}"
        );
    }
}

fn session_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("aims_session="))
        .and_then(|c| c.split(';').next())
        .unwrap_or_default()
        .to_owned()
}

async fn with_cookie(s: &TestServer, cookie: &str) -> StatusCode {
    reqwest::Client::new()
        .get(s.url("/api/v1/me"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .status()
}

#[tokio::test]
async fn signing_in_again_or_changing_the_password_ends_old_sessions() {
    for b in backends() {
        let s = crate::harness::start(b).await;
        let browser = s.browser();
        let first = sign_in(&s, &browser, "root", ROOT_PASSWORD).await;
        let old = session_cookie(&first);
        assert!(old.len() > 20, "{b}");
        // The same browser signs in again: the cookie it sent is ended, a new one issued.
        let second = sign_in(&s, &browser, "root", ROOT_PASSWORD).await;
        let new = session_cookie(&second);
        assert_ne!(old, new, "{b}");
        assert_eq!(with_cookie(&s, &old).await, StatusCode::UNAUTHORIZED, "{b}");
        assert_eq!(with_cookie(&s, &new).await, StatusCode::OK, "{b}");

        // Another device, then a password change from the browser.
        let other = s.browser();
        assert_eq!(
            sign_in(&s, &other, "root", ROOT_PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        let (_, form) = get(&browser, &s, "/account/password").await;
        let token = csrf(&form);
        let res = post(
            &browser,
            &s,
            "/account/password",
            &[
                ("csrf", token.as_str()),
                ("current_password", WRONG),
                ("new_password", "another long passphrase"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let page = res.text().await.unwrap_or_default();
        assert!(
            page.contains("is not correct") && !page.contains(WRONG),
            "{b}"
        );
        let res = post(
            &browser,
            &s,
            "/account/password",
            &[
                ("csrf", token.as_str()),
                ("current_password", ROOT_PASSWORD),
                ("new_password", "another long passphrase"),
            ],
        )
        .await;
        assert_eq!(location(&res), "/account/password?changed=1", "{b}");
        let (status, _) = get(&browser, &s, "/account").await;
        assert_eq!(status, StatusCode::OK, "{b}: the changing session stays");
        let (status, _) = get(&other, &s, "/account").await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "{b}: the other session ended"
        );
        assert_eq!(
            sign_in(&s, &s.browser(), "root", "another long passphrase")
                .await
                .status(),
            StatusCode::SEE_OTHER,
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_trail_is_for_admins_and_auditors_and_records_refusals() {
    for b in backends() {
        let s = start_demo(b).await;
        let viewer = s.token(Role::Viewer).await;
        let auditor = s.token(Role::Auditor).await;
        let (status, _) = call(
            &s,
            "POST",
            "/systems",
            &viewer,
            Some(json!({"name": "Nope"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, _) = call(&s, "GET", "/security-events", &viewer, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let denied = trail(&s, &auditor, "?kind=permission_denied").await;
        assert_eq!(denied.len(), 2, "{b}: {denied:?}");
        let first = &denied[1];
        assert_eq!(first["username"], "u-viewer", "{b}");
        assert!(
            first["token_key"]
                .as_str()
                .unwrap_or_default()
                .starts_with("TOK-"),
            "{b}"
        );
        assert!(
            first["detail"]
                .as_str()
                .unwrap_or_default()
                .starts_with("POST /api/v1/systems: the viewer role may not"),
            "{b}: {first}"
        );
        let used = trail(&s, &auditor, "?kind=token_used&user=u-viewer").await;
        assert_eq!(used.len(), 1, "{b}: once a minute per token");
        let (status, body) = call(&s, "GET", "/security-events?kind=party", &auditor, None).await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")),
            "{b}"
        );

        // A page refusal is recorded as well, and the trail page is linked for auditors only.
        let vera = login(&s, "vera").await;
        let (status, home) = get(&vera, &s, "/").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(!home.contains("href=\"/security-events\""), "{b}");
        let (status, _) = get(&vera, &s, "/security-events").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let ida = login(&s, "ida").await;
        let (status, page) = get(
            &ida,
            &s,
            "/security-events?kind=permission_denied&user=vera",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(page.contains("href=\"/security-events\""), "{b}");
        assert!(
            page.contains(
                "GET /security-events: the viewer role may not read the security audit trail"
            ),
            "{b}"
        );
        let (status, page) = get(&ida, &s, "/security-events?kind=nonsense&from=someday").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&page, "f-kind-err").contains("unknown value &#x27;nonsense&#x27;"),
            "{b}: {page}"
        );
        assert!(
            element(&page, "f-from-err").contains("is not a date"),
            "{b}: {page}"
        );
        // Oldest first, two a page, with how many there are in all.
        let (_, all) = call(&s, "GET", "/security-events?user=vera", &auditor, None).await;
        let total = all["total"].as_i64().unwrap_or(0);
        assert!(total >= 2, "{b}: {all}");
        let (_, page) = get(
            &ida,
            &s,
            "/security-events?user=vera&sort=seq&per_page=1&page=2",
        )
        .await;
        assert!(
            page.contains(&format!("Showing 2–2 of {total} events.")),
            "{b}: {page}"
        );
        let oldest: Vec<i64> = all["events"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["seq"].as_i64())
            .collect();
        let second = oldest.iter().rev().nth(1).copied().unwrap_or(-1);
        assert!(page.contains(&format!("<td>{second}</td>")), "{b}: {page}");
    }
}

#[tokio::test]
async fn a_key_of_another_kind_finds_nothing() {
    for b in backends() {
        let s = start_demo(b).await;
        let token = s.token(Role::Admin).await;
        let table = [
            ("/systems/SYS-1", "/systems/RSK-1"),
            ("/risks/RSK-1", "/risks/SYS-1"),
            ("/incidents/INC-1", "/incidents/SYS-1"),
            ("/controls/CTL-1", "/controls/RSK-1"),
            ("/impacts/AIA-1", "/impacts/INC-1"),
            ("/actions/ACT-1", "/actions/SYS-1"),
            ("/nonconformities/NC-1", "/nonconformities/INC-1"),
            ("/context/issues/CTX-1", "/context/issues/IP-1"),
            ("/parties/IP-1", "/parties/CTX-1"),
            ("/certification-bodies/CB-1", "/certification-bodies/SYS-1"),
        ];
        for (right, wrong) in table {
            let (status, _) = call(&s, "GET", right, &token, None).await;
            assert_eq!(status, StatusCode::OK, "{b}: {right}");
            let (status, body) = call(&s, "GET", wrong, &token, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{b}: {wrong}: {body}");
            assert_eq!(body["code"], "not_found", "{b}: {wrong}");
        }
        let admin = login(&s, "admin").await;
        for path in [
            "/risks/SYS-3",
            "/systems/RSK-1",
            "/incidents/SYS-1",
            "/controls/SYS-1",
        ] {
            let (status, _) = get(&admin, &s, path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{b}: {path}");
        }
        // Tokens of others are neither listed nor revocable for a non-admin.
        let viewer = s.token(Role::Viewer).await;
        let contributor = s.token(Role::Contributor).await;
        let (_, mine) = call(&s, "GET", "/tokens", &contributor, None).await;
        let (_, theirs) = call(&s, "GET", "/tokens", &viewer, None).await;
        let owners: Vec<&str> = theirs
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["owner"].as_str())
            .collect();
        assert_eq!(owners, ["u-viewer"], "{b}");
        let key = mine[0]["key"].as_str().unwrap_or_default().to_owned();
        let session = s.browser();
        let res = session
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"username": "vera", "password": "vera-demo-pass"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let csrf_token = res.json::<Value>().await.unwrap_or_default()["csrf"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let res = session
            .delete(s.url(&format!("/api/v1/tokens/{key}")))
            .header("X-CSRF-Token", csrf_token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{b}");
    }
}
