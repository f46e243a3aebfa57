//! Catalogs over HTTP: the JSON API (list, framework, item, import, crosswalk query, problems)
//! and the pages (list with import form, tree, item with licensed text and links, crosswalks).

use std::path::PathBuf;

use aims_core::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{backends, start, start_demo, TestServer};
use crate::pages::{csrf, get, location, login, post};

fn read(relative: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn sample(name: &str) -> String {
    read(&format!(
        "../../../shared/reference/third_party/ciso-assistant-community/{name}"
    ))
}

fn fixture(name: &str) -> String {
    read(&format!("../catalog/tests/fixtures/{name}"))
}

async fn api(
    s: &TestServer,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new()
        .request(method, s.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn ledger_head(s: &TestServer) -> i64 {
    s.app
        .ledger_checkpoint(&aims_app::Actor::system())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .seq
}

#[tokio::test]
async fn the_api_lists_shows_imports_and_queries() {
    for b in backends() {
        let s = start(b).await;
        let admin = s.token(Role::Admin).await;
        let viewer = s.token(Role::Viewer).await;
        let get_ = reqwest::Method::GET;

        let (status, list) = api(&s, &viewer, get_.clone(), "/catalogs", None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(list.as_array().map(Vec::len), Some(5), "{b}");
        assert_eq!(list[3]["id"], "EUAIA", "{b}");
        assert_eq!(list[3]["origin"], "built_in", "{b}");

        let (status, fw) = api(&s, &viewer, get_.clone(), "/catalogs/nistairmf", None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(fw["id"], "NISTAIRMF", "{b}");
        assert_eq!(fw["counts"]["subcategory"], 72, "{b}");
        assert_eq!(fw["items"][0]["depth"], 0, "{b}");
        let listed = fw["items"].as_array().map(Vec::len);
        assert_eq!(
            fw["item_count"].as_u64().map(|n| n as usize),
            listed,
            "{b}: the count is its own field"
        );

        let (status, item) = api(
            &s,
            &viewer,
            get_.clone(),
            "/catalogs/EUAIA/items/Art.%209",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(
            (item["id"].as_str(), item["kind"].as_str()),
            (Some("Art. 9"), Some("article"))
        );
        assert!(
            item["links_in"].as_array().is_some_and(|l| !l.is_empty()),
            "{b}"
        );

        let (status, p) = api(&s, &viewer, get_.clone(), "/catalogs/NOPE", None).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found"))
        );
        let (status, _) = api(
            &s,
            &viewer,
            get_.clone(),
            "/catalogs/ISO42001/items/Z.9",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");

        let (status, cw) = api(
            &s,
            &viewer,
            get_.clone(),
            "/crosswalks?source=ISO42001&target=ISO27001",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(cw["source"], "ISO42001", "{b}");
        let first = cw["links"][0].clone();
        assert!(
            first["from_title"].as_str().is_some_and(|t| !t.is_empty()),
            "{b}"
        );
        assert!(
            first["to_title"].as_str().is_some_and(|t| !t.is_empty()),
            "{b}"
        );
        let from = first["from"]
            .as_str()
            .unwrap_or_default()
            .replace(' ', "%20");
        let (_, some) = api(
            &s,
            &viewer,
            get_.clone(),
            &format!("/crosswalks?source=ISO42001&target=ISO27001&id={from}"),
            None,
        )
        .await;
        assert!(
            some["links"].as_array().is_some_and(|l| l.contains(&first)),
            "{b}"
        );
        let (status, p) = api(
            &s,
            &viewer,
            get_.clone(),
            "/crosswalks?source=ISO42001",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(p["errors"][0]["field"], "target", "{b}");
        let (status, p) = api(&s, &viewer, get_.clone(), "/crosswalks?sauce=x", None).await;
        assert_eq!(
            (status, p["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("sauce"))
        );

        // Imports: refused for a viewer, then a CISO Assistant framework and a mapping set.
        let body =
            json!({"file_name": "iso42001-2023.yaml", "content": sample("iso42001-2023.yaml")});
        let head = ledger_head(&s).await;
        let post_ = reqwest::Method::POST;
        let (status, p) = api(
            &s,
            &viewer,
            post_.clone(),
            "/catalogs/import",
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            (status, p["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("forbidden"))
        );
        let (status, out) = api(&s, &admin, post_.clone(), "/catalogs/import", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {out}");
        assert_eq!(out["ids"][0], "ISO42001-2023", "{b}");
        assert_eq!(out["count"], 88, "{b}");
        assert_eq!(ledger_head(&s).await, head + 1, "{b}");
        let mapping = json!({"file_name": "m.yaml", "content": fixture("ciso-mapping.yaml")});
        let (status, out) = api(&s, &admin, post_.clone(), "/catalogs/import", Some(mapping)).await;
        assert_eq!(
            (status, out["kind"].as_str()),
            (StatusCode::CREATED, Some("crosswalk")),
            "{b}: {out}"
        );
        let (_, cw) = api(
            &s,
            &viewer,
            get_.clone(),
            "/crosswalks?source=iso42001&target=iso42001-2023&id=A.2.2",
            None,
        )
        .await;
        assert_eq!(cw["reversed"], true, "{b}: {cw}");
        assert_eq!(cw["links"][0]["from"], "A.2.2", "{b}");
        assert_eq!(cw["links"][0]["to"], "5.2", "{b}");

        // A refused file: 422 naming content with FILE:LINE: FIELD: REASON; nothing written.
        let head = ledger_head(&s).await;
        let scf = json!({
            "file_name": "scf.yaml",
            "content": sample("mapping-iso27001-2022-and-scf-2025.2.2.yaml"),
        });
        let (status, p) = api(&s, &admin, post_.clone(), "/catalogs/import", Some(scf)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(p["errors"][0]["field"], "content", "{b}");
        let reason = p["errors"][0]["reason"].as_str().unwrap_or_default();
        assert!(
            reason.starts_with("scf.yaml:25: target_framework_urn: "),
            "{b}: {reason}"
        );
        let (status, p) = api(
            &s,
            &admin,
            post_.clone(),
            "/catalogs/import",
            Some(json!({"file": "x"})),
        )
        .await;
        assert_eq!(
            (status, p["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("file"))
        );
        let (status, p) = api(&s, &admin, post_, "/catalogs/import", Some(json!({}))).await;
        assert_eq!(
            (status, p["errors"][0]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("content"))
        );
        assert_eq!(ledger_head(&s).await, head, "{b}");

        let (_, doc) = api(&s, &viewer, get_, "/openapi.json", None).await;
        for path in [
            "/catalogs",
            "/catalogs/{id}",
            "/catalogs/{id}/items/{item}",
            "/catalogs/import",
            "/crosswalks",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{b}: {path} is not documented"
            );
        }
    }
}

#[tokio::test]
async fn the_pages_show_catalogs_items_and_crosswalks_and_import() {
    for b in backends() {
        let s = start_demo(b).await;
        let admin = login(&s, "admin").await;
        let (status, html) = get(&admin, &s, "/catalogs").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("href=\"/catalogs\""), "{b}: nav entry");
        assert!(html.contains(">Catalogs<"), "{b}");
        assert!(html.contains("href=\"/catalogs/NISTAIRMF\""), "{b}");
        assert!(html.contains("72 subcategory"), "{b}");
        assert!(html.contains("action=\"/catalogs/import\""), "{b}");

        let (status, html) = get(&admin, &s, "/catalogs/EUAIA").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("href=\"/catalogs/EUAIA/items/Art.%209\""),
            "{b}"
        );
        assert!(html.contains("Annex III.1"), "{b}");

        let (status, html) = get(&admin, &s, "/catalogs/ISO42001/items/a.6.2.6").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("Guidance"), "{b}");
        assert!(html.contains("Links to other frameworks"), "{b}");
        assert!(!html.contains("Text of the standard"), "{b}");

        // Licensed text through the import form, then shown beside the guidance.
        let token = csrf(&html);
        let res = post(
            &admin,
            &s,
            "/catalogs/import",
            &[
                ("csrf", token.as_str()),
                ("file_name", "licensed.yaml"),
                ("id", ""),
                ("content", fixture("licensed-iso42001.yaml").as_str()),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/catalogs/ISO42001", "{b}");
        let (_, html) = get(&admin, &s, "/catalogs/ISO42001/items/A.6.2.6").await;
        assert!(html.contains("Text of the standard"), "{b}");
        assert!(html.contains("FAKE LICENSED TEXT for A.6.2.6."), "{b}");
        assert!(html.contains("Guidance"), "{b}");

        // A refused file re-renders the form with the message beside the content.
        let res = post(
            &admin,
            &s,
            "/catalogs/import",
            &[
                ("csrf", token.as_str()),
                ("file_name", "bad.yaml"),
                (
                    "content",
                    "id: X\nname: n\nversion: \"1\"\nitems: []\nextra: 1\n",
                ),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("bad.yaml:5: extra: unknown key"), "{b}");
        assert!(html.contains("id: X\nname: n"), "{b}: the text is kept");
        let res = post(
            &admin,
            &s,
            "/catalogs/import",
            &[("csrf", "forged"), ("content", "x")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");

        let (status, html) = get(
            &admin,
            &s,
            "/crosswalks?source=ISO42001&target=NISTAIRMF&id=",
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("links.</p>"), "{b}");
        assert!(
            html.contains("href=\"/catalogs/NISTAIRMF/items/GOVERN%20"),
            "{b}"
        );
        let (status, _) = get(&admin, &s, "/crosswalks?source=ISO42001&target=NOPE").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let (status, html) = get(&admin, &s, "/crosswalks").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("href=\"/crosswalks?source=ISO42001&amp;target=EUAIA\"")
                || html.contains("href=\"/crosswalks?source=ISO42001&target=EUAIA\""),
            "{b}"
        );

        // A viewer reads but sees no import form.
        let vera = login(&s, "vera").await;
        let (status, html) = get(&vera, &s, "/catalogs").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(!html.contains("action=\"/catalogs/import\""), "{b}");
        let token = csrf(&html);
        let res = post(
            &vera,
            &s,
            "/catalogs/import",
            &[("csrf", token.as_str()), ("content", "x")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}

#[tokio::test]
async fn unknown_items_library_descriptions_and_linked_items_over_http() {
    for b in backends() {
        let s = start_demo(b).await;
        let admin = s.token(Role::Admin).await;
        let get_ = reqwest::Method::GET;
        let post_ = reqwest::Method::POST;

        // An item neither framework has: 422 naming `id`, not an empty list.
        let (status, p) = api(
            &s,
            &admin,
            get_.clone(),
            "/crosswalks?source=ISO42001&target=EUAIA&id=ZZZ",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {p}");
        assert_eq!(p["errors"][0]["field"], "id", "{b}");
        let reason = p["errors"][0]["reason"].as_str().unwrap_or_default();
        assert!(
            reason.starts_with("ISO42001 has no item 'ZZZ'"),
            "{b}: {reason}"
        );

        // A CISO Assistant framework: its origin, and descriptions that are not licensed text.
        let body =
            json!({"file_name": "iso42001-2023.yaml", "content": sample("iso42001-2023.yaml")});
        let (status, out) = api(&s, &admin, post_.clone(), "/catalogs/import", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {out}");
        let (_, list) = api(&s, &admin, get_.clone(), "/catalogs", None).await;
        assert_eq!(list[5]["id"], "ISO42001-2023", "{b}");
        assert_eq!(list[5]["origin"], "ciso_assistant", "{b}");
        assert_eq!(list[5]["licensed_text"], 0, "{b}");
        let (_, item) = api(
            &s,
            &admin,
            get_.clone(),
            "/catalogs/ISO42001-2023/items/4.1",
            None,
        )
        .await;
        assert!(item["text"].is_null(), "{b}: {item}");
        assert!(
            item["description"]
                .as_str()
                .is_some_and(|d| d.contains("external")),
            "{b}: {item}"
        );
        let browser = login(&s, "admin").await;
        let (_, html) = get(&browser, &s, "/catalogs/ISO42001-2023/items/4.1").await;
        assert!(html.contains(">Description</h2>"), "{b}");
        assert!(!html.contains("Text of the standard"), "{b}");
        let (_, html) = get(&browser, &s, "/catalogs").await;
        assert!(html.contains("Imported from CISO Assistant"), "{b}");
        assert!(!html.contains("with licensed text"), "{b}");
        let (_, html) = get(&browser, &s, "/catalogs/ISO42001-2023").await;
        assert!(html.contains("(description)"), "{b}");
        assert!(!html.contains("(licensed text)"), "{b}");

        // A re-import that drops an item a control links to: 409 naming both; nothing written.
        let own = json!({"file_name": "own.yaml", "content": fixture("own-framework.yaml")});
        let (status, _) = api(&s, &admin, post_.clone(), "/catalogs/import", Some(own)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}");
        let control = s
            .app
            .control_add(
                &aims_app::Actor::system(),
                &aims_core::control::ControlInput {
                    name: Some("Monitoring".into()),
                    description: Some("d".into()),
                    owner: Some("admin".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let links = aims_core::control::LinksInput {
            requirements: Some(vec!["ACME-AI:P1.1".into()]),
            systems: None,
        };
        s.app
            .control_link(&aims_app::Actor::system(), &control.key, &links)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let head = ledger_head(&s).await;
        let fewer = fixture("own-framework.yaml");
        let fewer = fewer
            .split("  - id: \"P1.1\"")
            .next()
            .unwrap_or_default()
            .to_owned();
        let body = json!({"file_name": "own.yaml", "content": fewer});
        let (status, p) = api(&s, &admin, post_, "/catalogs/import", Some(body)).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (StatusCode::CONFLICT, Some("conflict")),
            "{b}: {p}"
        );
        assert_eq!(p["errors"][0]["field"], "content", "{b}");
        let reason = p["errors"][0]["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains(&format!("ACME-AI:P1.1 ({})", control.key)),
            "{b}: {reason}"
        );
        assert_eq!(ledger_head(&s).await, head, "{b}");
    }
}
