//! The single sign-on pages without a provider to talk to: the button on the login page, a
//! provider that cannot be reached, a callback that no sign-in started, and no SSO configured.
//! (The whole sign-in against a real provider is a browser journey: tests/browser/sso.test.mjs.)

use std::sync::Arc;

use aims_app::sso::config::RoleMapInput;
use aims_app::sso::{Sso, SsoConfig};
use reqwest::StatusCode;

use crate::harness::{backends, start, TestServer};
use crate::pages::location;

/// Serves the test server's application again, with single sign-on pointed at `issuer`.
async fn serve_with_sso(s: &TestServer, issuer: &str) -> String {
    let config = SsoConfig {
        issuer: Some(issuer.into()),
        client_id: Some("aims".into()),
        role_map: Some(RoleMapInput::Text("aims-admins=admin".into())),
        label: Some("Corp ID".into()),
        ..SsoConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("addr: {e}"));
    let settings = match config.resolve(&format!("http://{addr}")) {
        Ok(Some(settings)) => settings,
        other => panic!("settings: {other:?}"),
    };
    let sso = Sso::new(settings).unwrap_or_else(|e| panic!("sso: {e}"));
    let web = aims_web::WebConfig {
        sso: Some(Arc::new(sso)),
        ..Default::default()
    };
    let app = s.app.clone();
    tokio::spawn(async move {
        let _ = aims_web::serve(app, listener, web, std::future::pending()).await;
    });
    format!("http://{addr}")
}

async fn page(b: &reqwest::Client, url: &str) -> (StatusCode, String) {
    let res = b
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn sso_pages_offer_the_button_and_explain_failures() {
    for b in backends() {
        let s = start(b).await;
        let browser = s.browser();

        // Not configured: no button, and the SSO paths are not there.
        let (_, login) = page(&browser, &s.url("/login")).await;
        assert!(!login.contains("Sign in with"), "{b}");
        let (status, _) = page(&browser, &s.url("/login/oidc")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");

        // Configured, with a provider that does not answer.
        let base = serve_with_sso(&s, "http://127.0.0.1:1").await;
        let (status, login) = page(&browser, &format!("{base}/login?next=/risks")).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            login.contains(r#"href="/login/oidc?next=/risks">Sign in with Corp ID</a>"#),
            "{b}: {login}"
        );
        let (status, body) = page(&browser, &format!("{base}/login/oidc?next=/risks")).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{b}");
        assert!(
            body.contains("The identity provider could not be used"),
            "{b}: {body}"
        );
        assert!(body.contains("discovery failed"), "{b}");

        // A callback that this browser did not start.
        let res = browser
            .get(format!("{base}/login/oidc/callback?code=c&state=s"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("callback: {e}"));
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{b}");
        assert_eq!(location(&res), "", "{b}: no redirect");
        let set_cookies: Vec<String> = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        assert!(
            set_cookies.iter().all(|c| !c.starts_with("aims_session=")),
            "{b}: no session cookie: {set_cookies:?}"
        );
        let body = res.text().await.unwrap_or_default();
        assert!(
            body.contains("could not be matched to one started in this browser"),
            "{b}"
        );
    }
}
