//! Coverage and integration through the JSON API and the pages: an ISO 27001 register imported
//! over HTTP and as a form, problem details and field errors for a bad register, and the
//! coverage report of the EU AI Act.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{backends, start, start_demo};
use crate::pages::{csrf, element, get, location, login, post};

#[tokio::test]
async fn the_api_imports_a_register_and_reports_coverage() {
    for b in backends() {
        let s = start(b).await;
        let client = reqwest::Client::new();
        let token = s.token(aims_core::Role::GovernanceLead).await;
        let put = |body: Value| {
            client
                .put(s.url("/api/v1/integrations/ISO27001"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let res = put(json!({"content": "id,status\nA.5.1,done\nA.5.77,done\n"}))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let problem: Value = res.json().await.unwrap_or_default();
        assert_eq!(problem["errors"][0]["field"], "rows[3].id", "{b}");
        let listed: Value = client
            .get(s.url("/api/v1/integrations"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(listed, json!([]), "{b}: nothing written");

        let res = put(json!({"source": "isms.csv", "content": "id,status\nA.5.1,done\n"}))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let recorded: Value = res.json().await.unwrap_or_default();
        assert_eq!(recorded["items"][0]["id"], "A.5.1", "{b}");
        assert_eq!(recorded["items"][0]["status"], "implemented", "{b}");

        let view: Value = client
            .get(s.url("/api/v1/integrations/iso27001"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(view["implementation"]["source"], "isms.csv", "{b}");
        let a22 = view["coverage"]["requirements"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["id"] == "A.2.2")
            .cloned()
            .unwrap_or_default();
        assert_eq!(a22["coverage"], "wholly", "{b}");

        let res = client
            .get(s.url("/api/v1/coverage/EUAIA"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let report: Value = res.json().await.unwrap_or_default();
        assert_eq!(report["covering"], "ISO42001", "{b}");
        assert!(
            report["groups"]
                .as_array()
                .is_some_and(|g| g.iter().any(|g| g["id"] == "Art. 9")),
            "{b}"
        );
        let res = client
            .get(s.url("/api/v1/coverage/NOPE"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");

        let viewer = s.token(aims_core::Role::Viewer).await;
        let res = client
            .put(s.url("/api/v1/integrations/ISO9001"))
            .bearer_auth(&viewer)
            .json(&json!({"content": "id,status\n7.5,yes\n"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}

#[tokio::test]
async fn the_pages_import_a_register_and_show_what_is_covered() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/coverage").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            element(&html, "coverage").contains("/coverage/EUAIA"),
            "{b}"
        );
        let token = csrf(&html);

        let res = post(
            &grace,
            &s,
            "/integration",
            &[
                ("csrf", token.as_str()),
                ("framework", "ISO27001"),
                ("source", "isms.csv"),
                ("content", "id,status\nA.5.1,maybe\n"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains("line 2, status: unknown status &#x27;maybe&#x27;")
                || html.contains("line 2, status: unknown status 'maybe'"),
            "{b}: the error is beside the register box"
        );
        assert!(html.contains("A.5.1,maybe"), "{b}: what was typed is kept");

        let res = post(
            &grace,
            &s,
            "/integration",
            &[
                ("csrf", token.as_str()),
                ("framework", "ISO27001"),
                ("source", "isms.csv"),
                (
                    "content",
                    "id,status\nA.5.1,implemented\n10.2,implemented\n",
                ),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/integration/ISO27001", "{b}");
        let (status, html) = get(&grace, &s, "/integration/ISO27001").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("isms.csv"), "{b}");
        let a22 = element(&html, "req-A.2.2");
        assert!(a22.contains("Covered wholly"), "{b}: {a22}");

        let (status, html) = get(&grace, &s, "/coverage/EUAIA?show=gaps").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("Show all"), "{b}");
        assert!(
            !element(&html, "requirements").contains("Covered wholly"),
            "{b}"
        );
        let (status, _) = get(&grace, &s, "/coverage/NOPE").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");

        let vera = login(&s, "vera").await;
        let (status, html) = get(&vera, &s, "/coverage").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            !html.contains("action=\"/integration\""),
            "{b}: a viewer gets no form"
        );
    }
}
