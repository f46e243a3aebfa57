//! The permissions of the later areas over HTTP: maturity and roadmap actions are written by
//! admins, governance leads and risk owners; certification bodies, briefings and imported
//! registers by admins and governance leads. Refusals name the area; pages hide what a role
//! may not do. On the demo organisation, on SQLite and, when `AIMS_TEST_POSTGRES_URL` is set,
//! PostgreSQL.

use aims_core::Role;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::harness::{backends, seq, start_demo, TestServer};
use crate::pages::{get, login};

async fn call(
    s: &TestServer,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let res = Client::new()
        .request(method, s.url(&format!("/api/v1{path}")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn refusals_name_the_area_and_write_nothing() {
    for b in backends() {
        let s = start_demo(b).await;
        let owner = s.token(Role::RiskOwner).await;
        let lead = s.token(Role::GovernanceLead).await;
        let post = reqwest::Method::POST;
        let put = reqwest::Method::PUT;
        let head = seq(&s).await;
        let refusals = [
            (
                post.clone(),
                "/certification-bodies",
                json!({"name": "Risky Certs"}),
                "may not change certification bodies or record leadership briefings",
            ),
            (
                post.clone(),
                "/briefings",
                json!({"kind": "leadership_briefing", "audience": "Board", "summary": "Roadmap"}),
                "may not change certification bodies or record leadership briefings",
            ),
            (
                put.clone(),
                "/integrations/ISO9001",
                json!({"content": "id,status\n7.5,implemented\n"}),
                "may not import the registers of other management systems",
            ),
        ];
        for (method, path, body, wording) in refusals {
            let (status, p) = call(&s, &owner, method, path, body).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {path}: {p}");
            let detail = p["detail"].as_str().unwrap_or_default();
            assert!(detail.contains(wording), "{b}: {path}: {detail}");
            assert!(!detail.contains("controls"), "{b}: {path}: {detail}");
        }
        assert_eq!(seq(&s).await, head, "{b}: refusals write nothing");

        // Only the two other management systems can be imported.
        let (status, p) = call(
            &s,
            &lead,
            put.clone(),
            "/integrations/EUAIA",
            json!({"content": "id,status\nArt. 9,implemented\n"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {p}");
        assert_eq!(p["errors"][0]["field"], "framework", "{b}");
        let reason = p["errors"][0]["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains("an existing management system to import is ISO27001 or ISO9001"),
            "{b}: {reason}"
        );
        assert_eq!(seq(&s).await, head, "{b}");

        // A governance lead does what the risk owner may not.
        let (status, p) = call(
            &s,
            &lead,
            post,
            "/certification-bodies",
            json!({"name": "Lead Certs"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {p}");
        let (status, p) = call(
            &s,
            &lead,
            put,
            "/integrations/ISO9001",
            json!({"content": "id,status\n7.5,implemented\n"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}: {p}");
        assert_eq!(p["framework"], "ISO9001", "{b}");
    }
}

#[tokio::test]
async fn pages_show_each_role_the_buttons_it_may_use() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let rosa = login(&s, "rosa").await;
        let alan = login(&s, "alan").await;
        // (page, what only its writers see, whether a risk owner writes there)
        let pages = [
            (
                "/certification-bodies",
                "action=\"/certification-bodies\"",
                false,
            ),
            ("/journey", "action=\"/journey/briefings\"", false),
            ("/coverage", "action=\"/integration\"", false),
            ("/maturity", "href=\"/maturity/new\"", true),
            ("/actions", "href=\"/actions/new\"", true),
            ("/roadmap", "href=\"/actions/new\"", true),
        ];
        for (path, marker, risk_owner_writes) in pages {
            let (status, html) = get(&grace, &s, path).await;
            assert_eq!(status, StatusCode::OK, "{b}: {path}");
            assert!(html.contains(marker), "{b}: {path}: lead");
            let (status, html) = get(&rosa, &s, path).await;
            assert_eq!(status, StatusCode::OK, "{b}: {path}");
            assert_eq!(
                html.contains(marker),
                risk_owner_writes,
                "{b}: {path}: risk owner"
            );
            let (_, html) = get(&alan, &s, path).await;
            assert!(!html.contains(marker), "{b}: {path}: contributor");
        }
        let (status, html) = get(&alan, &s, "/maturity/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        assert!(html.contains("record maturity assessments"), "{b}");
        let (status, _) = get(&rosa, &s, "/maturity/new").await;
        assert_eq!(status, StatusCode::OK, "{b}");
    }
}
