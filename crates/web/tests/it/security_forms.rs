//! CSRF on every page POST, security headers, no inline script or style, body and upload limits.

use reqwest::StatusCode;
use serde_json::Value;

use crate::harness::{backends, seq, start_configured, start_demo, TestServer};
use crate::pages::{csrf, get, login, post};

const REJECTED: &str = "did not come from this site";

/// Every POST route of the pages, read from their source so that a new one cannot be missed.
fn post_routes() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages");
    let mut routes = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for chunk in text.split(".route(").skip(1) {
            let Some(path) = chunk.split('"').nth(1) else {
                continue;
            };
            if chunk.contains("post(") && path != "/login" {
                routes.push(path.to_owned());
            }
        }
    }
    routes
}

/// A concrete address for a route (any key will do: the token is checked before the route runs).
fn concrete(route: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in route.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("SYS-1");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

async fn csrf_rejections(s: &TestServer) -> usize {
    let q = aims_app::security::SecurityQuery {
        kind: Some("csrf_rejected".into()),
        limit: Some(1000),
        ..Default::default()
    };
    s.app
        .security_events(&aims_app::Actor::system(), &q)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .events
        .len()
}

#[tokio::test]
async fn every_page_post_without_the_right_token_is_refused_and_changes_nothing() {
    let routes = post_routes();
    assert!(
        routes.len() >= 50,
        "only {} POST routes found",
        routes.len()
    );
    assert!(routes.iter().any(|r| r == "/logout"), "{routes:?}");
    for b in backends() {
        let s = start_demo(b).await;
        let admin = login(&s, "admin").await;
        let head = seq(&s).await;
        for route in &routes {
            let path = concrete(route);
            for form in [
                vec![("name", "forged")],
                vec![("csrf", "forged-token"), ("name", "forged")],
            ] {
                let res = post(&admin, &s, &path, &form).await;
                let status = res.status();
                let body = res.text().await.unwrap_or_default();
                assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {path} {form:?}");
                assert!(body.contains(REJECTED), "{b}: {path}: {body}");
            }
        }
        assert_eq!(
            seq(&s).await,
            head,
            "{b}: a rejected form wrote to the ledger"
        );
        assert_eq!(csrf_rejections(&s).await, routes.len() * 2, "{b}");
        // The forged logout did not sign the user out; the right token does.
        let (status, html) = get(&admin, &s, "/account").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let res = post(&admin, &s, "/logout", &[("csrf", csrf(&html).as_str())]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let (status, _) = get(&admin, &s, "/account").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{b}: still signed in");
    }
}

#[tokio::test]
async fn an_upload_whose_first_field_is_not_the_token_is_refused() {
    use reqwest::multipart::{Form, Part};
    for b in backends() {
        let s = start_demo(b).await;
        let admin = login(&s, "admin").await;
        let head = seq(&s).await;
        for first in ["forged", ""] {
            let mut form = Form::new();
            if !first.is_empty() {
                form = form.text("csrf", first.to_owned());
            }
            let form = form.part("current", Part::text("ts,label\n1,0\n").file_name("a.csv"));
            let res = admin
                .post(s.url("/systems/SYS-1/monitoring/runs"))
                .multipart(form)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                res.status(),
                StatusCode::FORBIDDEN,
                "{b}: first field {first:?}"
            );
        }
        assert_eq!(seq(&s).await, head, "{b}");
    }
}

#[tokio::test]
async fn cookie_api_writes_need_the_csrf_header() {
    for b in backends() {
        let s = start_demo(b).await;
        let browser = s.browser();
        let res = browser
            .post(s.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": "admin", "password": "admin-demo-pass"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let session: Value = res.json().await.unwrap_or_default();
        let token = session["csrf"].as_str().unwrap_or_default().to_owned();
        assert_eq!(token.len(), 32, "{b}: {session}");
        let body = serde_json::json!({"name": "From the browser"});
        let head = seq(&s).await;
        for sent in [None, Some("forged")] {
            let mut req = browser.post(s.url("/api/v1/tokens")).json(&body);
            if let Some(t) = sent {
                req = req.header("X-CSRF-Token", t);
            }
            let res = req.send().await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: {sent:?}");
            let p: Value = res.json().await.unwrap_or_default();
            assert!(
                p["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("X-CSRF-Token"),
                "{b}: {p}"
            );
        }
        assert_eq!(seq(&s).await, head, "{b}");
        let res = browser
            .post(s.url("/api/v1/tokens"))
            .header("X-CSRF-Token", &token)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        assert_eq!(seq(&s).await, head + 1, "{b}");
        // Reads need no token.
        let res = browser
            .get(s.url("/api/v1/me"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
    }
}

#[tokio::test]
async fn hsts_is_sent_only_over_tls_and_the_csp_allows_no_inline_code() {
    let b = backends()[0];
    for secure in [false, true] {
        let config = aims_web::WebConfig {
            secure_cookies: secure,
            ..Default::default()
        };
        let s = start_configured(b, false, aims_app::Settings::default(), config).await;
        for path in ["/login", "/api/v1/health", "/no-such-page"] {
            let res = reqwest::get(s.url(path))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let h = res.headers();
            let value = |name: &str| {
                h.get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            let hsts = value("strict-transport-security");
            if secure {
                assert_eq!(hsts, "max-age=31536000; includeSubDomains", "{path}");
            } else {
                assert_eq!(hsts, "", "{path}: HSTS without TLS");
            }
            let csp = value("content-security-policy");
            assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-eval"), "{path}: {csp}");
            assert_eq!(value("x-content-type-options"), "nosniff", "{path}");
            assert_eq!(value("referrer-policy"), "same-origin", "{path}");
        }
    }
}

/// Inline code in markup: a `<script` element, a `style` attribute or an `on...=` handler.
fn inline_code(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script") {
        found.push("<script".to_owned());
    }
    for tag in lower.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or_default();
        for word in inside.split_whitespace().skip(1) {
            let Some((name, _)) = word.split_once('=') else {
                continue;
            };
            let handler = name.len() > 2
                && name.starts_with("on")
                && name.chars().all(|c| c.is_ascii_lowercase());
            if name == "style" || handler {
                found.push(inside.chars().take(80).collect());
            }
        }
    }
    found
}

#[tokio::test]
async fn no_page_or_template_carries_inline_script_or_style() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            inline_code(&text),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 50, "{checked} templates");
    assert_eq!(
        inline_code("<p onclick=\"x()\">a</p><div style=\"color:red\"></div>").len(),
        2
    );

    let b = backends()[0];
    let s = start_demo(b).await;
    let (status, html) = get(&s.browser(), &s, "/login").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(inline_code(&html), Vec::<String>::new(), "/login");
    let admin = login(&s, "admin").await;
    for path in [
        "/",
        "/systems",
        "/systems/SYS-1",
        "/systems/SYS-1/monitoring",
        "/context",
        "/controls",
        "/scope",
        "/risks",
        "/impacts",
        "/monitoring",
        "/soa",
        "/incidents",
        "/nonconformities",
        "/roadmap",
        "/journey",
        "/maturity",
        "/gaps",
        "/coverage",
        "/catalogs",
        "/ledger",
        "/account",
        "/account/password",
        "/users",
        "/security-events",
    ] {
        let (status, html) = get(&admin, &s, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(inline_code(&html), Vec::<String>::new(), "{path}");
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_answered_413() {
    for b in backends() {
        let s = start_demo(b).await;
        let token = s.token(aims_core::Role::Admin).await;
        let big = "x".repeat(aims_web_body_limit() + 1024);
        let res = reqwest::Client::new()
            .post(s.url("/api/v1/systems"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "name": big }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        let kind = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(kind, "application/problem+json", "{b}");
        let p: Value = res.json().await.unwrap_or_default();
        assert_eq!(
            (p["status"].as_u64(), p["code"].as_str()),
            (Some(413), Some("too_large")),
            "{b}"
        );

        let admin = login(&s, "admin").await;
        let (_, html) = get(&admin, &s, "/systems/new").await;
        let token = csrf(&html);
        let head = seq(&s).await;
        let res = post(
            &admin,
            &s,
            "/systems",
            &[("csrf", token.as_str()), ("name", big.as_str())],
        )
        .await;
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        let page = res.text().await.unwrap_or_default();
        assert!(
            page.contains("<html") && page.contains("larger than"),
            "{b}: {page}"
        );
        assert_eq!(seq(&s).await, head, "{b}");
    }
}

fn aims_web_body_limit() -> usize {
    aims_web::BODY_LIMIT
}

#[tokio::test]
async fn uploads_must_be_logs_by_declared_type_and_by_content() {
    use reqwest::multipart::{Form, Part};
    for b in backends() {
        let s = start_demo(b).await;
        let token = s.token(aims_core::Role::Admin).await;
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let cases = [
            (
                Part::bytes(png.clone()).file_name("week.csv"),
                "does not look like a text file",
            ),
            (
                Part::text("ts,label\n1,0\n")
                    .file_name("week.csv")
                    .mime_str("image/png")
                    .unwrap_or_else(|e| panic!("{e}")),
                "sent as image/png",
            ),
            (
                Part::text("ts,label\n1,0\n").file_name("week.parquet"),
                "a Parquet file",
            ),
            (
                Part::bytes(png).file_name("week.png"),
                "not a prediction log",
            ),
        ];
        for (part, reason) in cases {
            let res = reqwest::Client::new()
                .post(s.url("/api/v1/systems/SYS-1/monitoring/runs"))
                .bearer_auth(&token)
                .multipart(Form::new().part("current", part))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{b}: {reason}"
            );
            let p: Value = res.json().await.unwrap_or_default();
            assert_eq!(p["errors"][0]["field"], "current", "{b}: {p}");
            assert!(
                p["errors"][0]["reason"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(reason),
                "{b}: {p}"
            );
        }
    }
}
