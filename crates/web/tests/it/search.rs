//! The search: `GET /api/v1/search`, the `/search` page and the box in every page's header; and
//! the risk register's pages.

use aims_core::risk::register::RiskInput;
use aims_core::Role;
use reqwest::StatusCode;

use crate::harness::{backends, call, fields, start_demo};
use crate::pages::login;

#[tokio::test]
async fn api_search_ranks_keys_first_and_refuses_bad_text() {
    for b in backends() {
        let s = start_demo(b).await;
        let viewer = s.token(Role::Viewer).await;
        let (status, body) = call(&s, "GET", "/search?q=rsk-1", &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{b}: {body}");
        assert_eq!(body["query"], "rsk-1", "{b}");
        assert_eq!(body["areas"][0]["area"], "risks", "{b}: {body}");
        assert_eq!(body["areas"][0]["hits"][0]["key"], "RSK-1", "{b}");
        assert_eq!(body["areas"][0]["hits"][0]["match"], "key", "{b}");
        assert_eq!(body["areas"][0]["hits"][0]["href"], "/risks/RSK-1", "{b}");

        // Users are an admin's area only.
        let (_, body) = call(&s, "GET", "/search?q=vera", &viewer, None).await;
        let areas: Vec<&str> = body["areas"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["area"].as_str())
            .collect();
        assert!(!areas.contains(&"users"), "{b}: {areas:?}");
        let admin = s.token(Role::Admin).await;
        let (_, body) = call(&s, "GET", "/search?q=vera", &admin, None).await;
        assert_eq!(body["areas"][0]["area"], "users", "{b}: {body}");
        assert_eq!(body["areas"][0]["hits"][0]["key"], "vera", "{b}");

        let (status, problem) = call(&s, "GET", "/search?q=x", &viewer, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["q"], "{b}: {problem}");
        let (status, problem) = call(&s, "GET", "/search?q=risk&limit=500", &viewer, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["limit"], "{b}: {problem}");
        let (status, _) = call(&s, "GET", "/search?q=risk", "not-a-token", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{b}");
    }
}

#[tokio::test]
async fn search_page_groups_hits_and_every_page_has_the_box() {
    for b in backends() {
        let s = start_demo(b).await;
        let browser = login(&s, "vera").await;
        let get = |path: &str| browser.get(s.url(path)).send();
        let home = get("/").await.unwrap_or_else(|e| panic!("{e}"));
        let html = home.text().await.unwrap_or_default();
        assert!(
            html.contains(r#"<form method="get" action="/search""#),
            "{b}"
        );

        let res = get("/search?q=RSK-1")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains(r#"<a class="key" href="/risks/RSK-1">RSK-1</a>"#),
            "{b}"
        );
        assert!(html.contains(r#"<h2 id="area-risks">Risks</h2>"#), "{b}");
        assert!(html.contains(r#"value="RSK-1""#), "{b}");

        let res = get("/search?q=x").await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("type at least 2 characters"), "{b}");
        assert!(html.contains(r#"aria-invalid="true""#), "{b}");
    }
}

#[tokio::test]
async fn risk_register_comes_in_pages_of_fifty() {
    for b in backends() {
        let s = start_demo(b).await;
        let root = aims_app::Actor {
            username: "root".into(),
            role: Role::Admin,
            via: aims_app::Via::Local,
        };
        let have = s
            .app
            .risk_list(&root, &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .len();
        let inputs: Vec<RiskInput> = (have..60)
            .map(|i| RiskInput {
                title: Some(format!("Paged risk {i}")),
                cause: Some("c".into()),
                event: Some("e".into()),
                consequence: Some("q".into()),
                category: Some("technical".into()),
                owner: Some("root".into()),
                ..Default::default()
            })
            .collect();
        s.app
            .risk_add_batch(&root, &inputs)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let browser = login(&s, "vera").await;
        let page = |path: &'static str| {
            let req = browser.get(s.url(path));
            async move {
                req.send()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"))
                    .text()
                    .await
                    .unwrap_or_default()
            }
        };
        let first = page("/risks").await;
        assert!(first.contains("Showing 1–50 of 60 risks."), "{b}");
        assert!(first.contains(r#"href="/risks?page=2" rel="next""#), "{b}");
        assert!(!first.contains(r#"rel="prev""#), "{b}");
        let second = page("/risks?page=2").await;
        assert!(second.contains("Showing 51–60 of 60 risks."), "{b}");
        assert!(second.contains(r#"href="/risks?page=1" rel="prev""#), "{b}");
        assert!(second.contains("RSK-60"), "{b}");
        assert!(!second.contains(r#"rel="next""#), "{b}");
    }
}
