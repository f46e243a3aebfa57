//! The risk register and the method through the JSON API and the pages: refusals as problem
//! details naming the field, acceptance outside the criteria, re-scoring, the treatment plan
//! read back, heat maps whose cells link to their risks, forms with errors beside the fields.

use aims_core::Role;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::harness::{backends, call, counted, fields, start, start_demo};
use crate::pages::{csrf, element, get, location, login, post};

fn risk(title: &str, likelihood: i64, impact: i64) -> Value {
    json!({
        "title": title, "cause": "c", "event": "e", "consequence": "q", "category": "technical",
        "owner": "root", "likelihood": likelihood, "impact_individuals_or_groups": impact,
        "impact_organisation": 1, "impact_society": 1
    })
}

#[tokio::test]
async fn the_api_refuses_names_fields_and_rescores() {
    for b in backends() {
        let s = start(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let owner = s.token(Role::RiskOwner).await;
        let contributor = s.token(Role::Contributor).await;

        let (status, problem) = call(&s, "POST", "/risks", &lead, Some(risk("Off", 6, 1))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["likelihood"], "{b}");
        let (status, _) = call(&s, "POST", "/risks", &contributor, Some(risk("No", 1, 1))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, listed) = call(&s, "GET", "/risks", &lead, None).await;
        assert_eq!(
            (status, listed),
            (StatusCode::OK, json!([])),
            "{b}: nothing written"
        );

        let (status, created) = call(&s, "POST", "/risks", &lead, Some(risk("High", 4, 4))).await;
        assert_eq!(status, StatusCode::CREATED, "{b}");
        assert_eq!(created["key"], "RSK-1", "{b}");
        assert_eq!(created["scores"]["inherent"]["level"], "high", "{b}");

        // Acceptance outside the criteria: above the appetite untreated, then beyond the role.
        let reason = json!({"reason": "Fine"});
        let (status, problem) = call(
            &s,
            "POST",
            "/risks/RSK-1/accept",
            &lead,
            Some(reason.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["level"], "{b}");
        assert!(
            problem["errors"][0]["reason"]
                .as_str()
                .unwrap_or("")
                .contains("appetite"),
            "{b}: {problem}"
        );
        let treat = json!({"option": "mitigate", "residual_likelihood": 4, "residual_impact_individuals_or_groups": 4,
            "residual_impact_organisation": 1, "residual_impact_society": 1});
        let (status, problem) =
            call(&s, "POST", "/risks/RSK-1/treat", &lead, Some(treat.clone())).await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["plan".to_owned()]),
            "{b}"
        );
        let mut treat = treat;
        treat["plan"] = json!("Add a human check");
        let (status, treated) = call(&s, "POST", "/risks/RSK-1/treat", &lead, Some(treat)).await;
        assert_eq!(
            (status, treated["status"].clone()),
            (StatusCode::OK, json!("treated")),
            "{b}"
        );
        let (status, problem) = call(
            &s,
            "POST",
            "/risks/RSK-1/accept",
            &owner,
            Some(reason.clone()),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["role".to_owned()]),
            "{b}"
        );
        let (status, accepted) = call(&s, "POST", "/risks/RSK-1/accept", &lead, Some(reason)).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(accepted["acceptances"][0]["level"], "high", "{b}");

        // A new method: the 4 x 4 cell becomes critical; the old score stays in the history.
        let (_, method) = call(&s, "GET", "/methodology", &lead, None).await;
        assert_eq!(method["version"], 1, "{b}");
        let mut doc = method.clone();
        for k in ["key", "version", "created_by", "created_at"] {
            doc.as_object_mut().map(|o| o.remove(k));
        }
        doc["name"] = json!("Stricter");
        doc["matrix"][3][3] = json!("critical");
        doc["matrix"][3][4] = json!("critical");
        doc["matrix"][4][3] = json!("critical");
        let (status, problem) = call(&s, "PUT", "/methodology", &owner, Some(doc.clone())).await;
        assert_eq!(
            (status, problem["status"].clone()),
            (StatusCode::FORBIDDEN, json!(403)),
            "{b}"
        );
        let (status, change) = call(&s, "PUT", "/methodology", &lead, Some(doc)).await;
        assert_eq!(status, StatusCode::OK, "{b}: {change}");
        assert_eq!(
            (
                change["methodology"]["key"].clone(),
                change["rescored"].clone()
            ),
            (json!("MTH-2"), json!(1)),
            "{b}"
        );
        let (_, shown) = call(&s, "GET", "/risks/rsk-1", &lead, None).await;
        assert_eq!(shown["scores"]["inherent"]["level"], "critical", "{b}");
        assert_eq!(
            shown["status"], "treated",
            "{b}: the acceptance of high no longer holds"
        );
        let levels: Vec<Value> = shown["score_history"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| json!([h["methodology_version"], h["inherent"]["level"]]))
            .collect();
        assert_eq!(
            levels,
            vec![json!([1, "high"]), json!([2, "critical"])],
            "{b}"
        );
        let (_, versions) = call(&s, "GET", "/methodology/versions", &lead, None).await;
        assert_eq!(versions.as_array().map(Vec::len), Some(2), "{b}");

        let (status, map) = call(&s, "GET", "/risks/heatmap?basis=residual", &lead, None).await;
        assert_eq!(
            (status, map["total"].clone()),
            (StatusCode::OK, json!(1)),
            "{b}"
        );
        let (status, problem) = call(&s, "GET", "/risks?cell=nine", &lead, None).await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["cell".to_owned()]),
            "{b}"
        );

        let res = Client::new()
            .get(s.url("/api/v1/risks/export?format=xlsx"))
            .bearer_auth(&lead)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let bytes = res.bytes().await.unwrap_or_default();
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
                .unwrap_or_else(|e| panic!("{b}: not XLSX: {e}"));
        let range = book
            .worksheet_range("Risk treatment plan")
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(rows.len(), 2, "{b}");
        assert_eq!(
            rows[1][..7],
            [
                "RSK-1",
                "High",
                "organisation",
                "root",
                "technical",
                "critical",
                "mitigate"
            ],
            "{b}"
        );

        let doc: Value = Client::new()
            .get(s.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert!(doc["paths"]["/risks/{key}/accept"].is_object(), "{b}");
        assert!(doc["paths"]["/methodology"].is_object(), "{b}");
    }
}

#[tokio::test]
async fn the_pages_show_heat_maps_and_keep_errors_beside_fields() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/risks").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("href=\"/risks\""), "{b}: nav entry");
        assert!(html.contains("<svg"), "{b}");
        // The demo's inherent map: credit scoring and fraud drift both sit in 4-4.
        assert!(html.contains("href=\"/risks?cell=4-4&amp;basis=inherent\" aria-label=\"Likelihood 4, impact 4: High (inherent), 2 risks\""), "{b}");
        let (status, cell) = get(&grace, &s, "/risks?cell=4-4&basis=inherent").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let register = cell
            .split("id=\"register-h\"")
            .nth(1)
            .and_then(|r| r.split("id=\"top-h\"").next())
            .unwrap_or("");
        assert!(register.contains("Showing 1–2 of 2 risks."), "{b}");
        assert!(
            register.contains("/risks/RSK-1\"") && register.contains("/risks/RSK-4\""),
            "{b}"
        );
        assert!(!register.contains("/risks/RSK-2\""), "{b}");
        // Sorted by a header: descending key order, the header marked and linking to the other
        // direction with the filters kept; an unknown sort is named beside its field.
        let (status, sorted) = get(&grace, &s, "/risks?cell=4-4&basis=inherent&sort=-key").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let at = |key: &str| {
            sorted
                .find(&format!("/risks/{key}\""))
                .unwrap_or(usize::MAX)
        };
        assert!(at("RSK-4") < at("RSK-1"), "{b}");
        assert!(
            sorted.contains(
                "aria-sort=\"descending\"><a href=\"/risks?cell=4-4&amp;basis=inherent&amp;sort=key\">Key"
            ),
            "{b}: {sorted}"
        );
        let (status, bad) = get(&grace, &s, "/risks?sort=likelihood").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&bad, "f-sort-err").contains("unknown value"),
            "{b}: {bad}"
        );
        // Pages say which risks of how many they show, counted once per state of the data.
        let viewer = s.token(Role::Viewer).await;
        let (_, total) = counted(&s, "/risks?per_page=1", &viewer).await;
        let total = total.unwrap_or(-1);
        let (_, all) = call(&s, "GET", "/risks", &viewer, None).await;
        assert_eq!(Some(total as usize), all.as_array().map(Vec::len), "{b}");
        assert!(total > 4, "{b}: {total}");
        let (_, paged) = get(&grace, &s, "/risks?per_page=2&page=2&sort=key").await;
        assert!(
            paged.contains(&format!("Showing 3–4 of {total} risks.")),
            "{b}: {paged}"
        );
        assert!(
            paged.contains("href=\"/risks?sort=key&amp;per_page=2&amp;page=1\" rel=\"prev\""),
            "{b}: {paged}"
        );
        let (status, bad) = get(&grace, &s, "/risks?page=two").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&bad, "f-page-err").contains("is not a whole number"),
            "{b}: {bad}"
        );

        let (_, page) = get(&grace, &s, "/risks/RSK-4").await;
        assert!(
            page.contains("High to Critical"),
            "{b}: the low-confidence range"
        );
        let token = csrf(&page);
        let rosa = login(&s, "rosa").await;
        let (_, rosa_page) = get(&rosa, &s, "/risks/RSK-4").await;
        let res = post(
            &rosa,
            &s,
            "/risks/RSK-4/accept",
            &[("csrf", &csrf(&rosa_page)), ("reason", "Fine")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("above the appetite"), "{b}");
        assert!(html.contains("may accept risks up to medium"), "{b}");

        let res = post(
            &grace,
            &s,
            "/risks/RSK-4/treat",
            &[("csrf", &token), ("option", "mitigate"), ("plan", "")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains("id=\"f-plan-err\""),
            "{b}: the error is beside the plan"
        );

        let (_, form) = get(&grace, &s, "/risks/new").await;
        let token = csrf(&form);
        let typed = [
            ("csrf", token.as_str()),
            ("title", "Chatbot leaks"),
            ("cause", "c"),
            ("event", "e"),
            ("consequence", "q"),
            ("category", "legal"),
            ("owner", "grace"),
            ("risk_sources", "C.3.6"),
            ("likelihood", "9"),
            ("impact_individuals_or_groups", "2"),
            ("impact_organisation", "2"),
            ("impact_society", "1"),
        ];
        let res = post(&grace, &s, "/risks", &typed).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("id=\"f-likelihood-err\""), "{b}");
        assert!(
            html.contains("value=\"Chatbot leaks\""),
            "{b}: the values as typed"
        );
        let mut good = typed.to_vec();
        good[8] = ("likelihood", "2");
        let res = post(&grace, &s, "/risks", &good).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/risks/RSK-11", "{b}");

        let (status, method) = get(&grace, &s, "/methodology").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            method.contains("MTH-1") && method.contains("Almost certain"),
            "{b}"
        );
        let res = post(
            &grace,
            &s,
            "/methodology",
            &[("csrf", &csrf(&method)), ("content", "name = [")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("id=\"f-content-err\""), "{b}");

        let res = grace
            .get(s.url("/risks/export.csv"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .starts_with("text/csv"),
            "{b}"
        );
        let text = res.text().await.unwrap_or_default();
        assert_eq!(text.lines().count(), 12, "{b}: header and eleven risks");

        let alan = login(&s, "alan").await;
        let (_, page) = get(&alan, &s, "/risks/RSK-1").await;
        assert!(
            !page.contains("action=\"/risks/RSK-1/treat\""),
            "{b}: no forms for a contributor"
        );
        let res = post(&alan, &s, "/risks/RSK-1/review", &[("csrf", &csrf(&page))]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}

#[tokio::test]
async fn method_versions_are_found_by_number_or_key_and_the_list_pages() {
    for b in backends() {
        let s = start_demo(b).await;
        let token = s.token(Role::Viewer).await;
        for path in ["/methodology/versions/1", "/methodology/versions/MTH-1"] {
            let (status, body) = call(&s, "GET", path, &token, None).await;
            assert_eq!(status, StatusCode::OK, "{b}: {path}");
            assert_eq!(body["key"], "MTH-1", "{b}: {path} {body}");
        }
        let (status, body) = call(&s, "GET", "/methodology/versions/abc", &token, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(body["status"], 404, "{b}: problem details");

        let (_, all) = call(&s, "GET", "/risks", &token, None).await;
        let all: Vec<Value> = all.as_array().cloned().unwrap_or_default();
        assert_eq!(all.len(), 10, "{b}: the demo's risks");
        let (_, second) = call(&s, "GET", "/risks?per_page=4&page=2", &token, None).await;
        let keys: Vec<&str> = second
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["key"].as_str())
            .collect();
        let expected: Vec<&str> = all[4..8].iter().filter_map(|r| r["key"].as_str()).collect();
        assert_eq!(keys, expected, "{b}");
        let (status, problem) = call(&s, "GET", "/risks?cell=9-9", &token, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(problem["errors"][0]["field"], "cell", "{b}");
        let (status, problem) = call(&s, "GET", "/risks?per_page=501", &token, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(problem["errors"][0]["field"], "per_page", "{b}");
    }
}
