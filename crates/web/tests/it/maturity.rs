//! Maturity assessments and the gap analysis through the JSON API and the pages.

use aims_core::Role;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::harness::{backends, call, fields, seq, start, start_demo};
use crate::pages::{csrf, element, get, login};

/// Answers to every question at `level`, with `(clause, current)` exceptions; `skip` is left out.
fn answers(level: i64, except: &[(&str, Value)], skip: &str) -> Vec<Value> {
    aims_app::maturity::leaf_clauses()
        .into_iter()
        .filter(|(c, _)| c != skip)
        .map(|(c, _)| {
            let current = except
                .iter()
                .find(|(id, _)| *id == c)
                .map_or(json!(level), |(_, v)| v.clone());
            json!({"clause": c, "current": current})
        })
        .collect()
}

#[tokio::test]
async fn assessments_and_gaps_over_the_api() {
    for b in backends() {
        let s = start(b).await;
        let writer = s.token(Role::RiskOwner).await;
        let viewer = s.token(Role::Viewer).await;

        let (status, model) = call(&s, "GET", "/maturity/model", &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(model["questions"].as_array().map(Vec::len), Some(32), "{b}");
        assert_eq!(model["levels"][5]["name"], "Optimising", "{b}");

        let before = seq(&s).await;
        let body = json!({"assessed_on": "2026-01-15", "answers": answers(2, &[], "4.1")});
        let (status, problem) = call(&s, "POST", "/maturity", &writer, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");
        assert_eq!(fields(&problem), vec!["answers[4.1]"], "{b}");
        let body = json!({"answers": answers(2, &[("6.1.2", json!(7))], "")});
        let (status, problem) = call(&s, "POST", "/maturity", &writer, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["answers[6.1.2].current"], "{b}");
        let body = json!({"answers": answers(2, &[], ""), "colour": "red"});
        let (status, problem) = call(&s, "POST", "/maturity", &writer, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["colour"], "{b}");
        let body = json!({"answers": answers(2, &[], "")});
        let (status, _) = call(&s, "POST", "/maturity", &viewer, Some(body)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, _) = call(&s, "POST", "/maturity", &viewer, Some(json!({}))).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{b}: the role is checked before the body"
        );
        let (status, problem) = call(&s, "POST", "/maturity", &writer, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem).len(), 32, "{b}: every question is named");
        let res = Client::new()
            .post(s.url("/api/v1/maturity"))
            .json(&json!({}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{b}");
        assert_eq!(seq(&s).await, before, "{b}: refused input wrote nothing");

        let body =
            json!({"assessed_on": "2026-01-15", "target": 4, "answers": answers(1, &[], "")});
        let (status, created) = call(&s, "POST", "/maturity", &writer, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {created}");
        assert_eq!(created["key"], "MAT-1", "{b}");
        assert_eq!(created["assessor"], "u-risk-owner", "{b}");
        assert_eq!(created["scores"]["overall_current"], 1.0, "{b}");
        assert_eq!(created["scores"]["overall_target"], 4.0, "{b}");
        assert_eq!(seq(&s).await, before + 1, "{b}: one ledger event");
        let body = json!({"assessed_on": "2026-04-15", "answers": answers(1, &[("4.2", json!(3)), ("9.1", json!(0))], "")});
        let (status, _) = call(&s, "POST", "/maturity", &writer, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}");

        let (status, list) = call(&s, "GET", "/maturity", &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let keys: Vec<&str> = list
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["key"].as_str())
            .collect();
        assert_eq!(keys, vec!["MAT-2", "MAT-1"], "{b}");
        assert_eq!(
            list[0]["scores"]["clauses"].as_array().map(Vec::len),
            Some(7),
            "{b}"
        );
        let (status, one) = call(&s, "GET", "/maturity/mat-2", &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(one["answers"][1]["current"], 3, "{b}");
        assert_eq!(one["questions"][1]["clause"], "4.2", "{b}");
        let (status, _) = call(&s, "GET", "/maturity/MAT-9", &viewer, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");

        let (status, c) = call(
            &s,
            "GET",
            "/maturity/compare?a=MAT-1&b=MAT-2",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}: {c}");
        assert_eq!(c["improved"], json!(["4.2"]), "{b}");
        assert_eq!(c["regressed"], json!(["9.1"]), "{b}");
        assert_eq!(c["clauses"][0]["delta"], 0.5, "{b}");
        let (status, problem) = call(&s, "GET", "/maturity/compare?a=MAT-1", &viewer, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["b"], "{b}");
        let (status, _) = call(
            &s,
            "GET",
            "/maturity/compare?a=MAT-1&b=MAT-9",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");

        let (status, report) = call(&s, "GET", "/gaps", &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(report["assessment"], "MAT-2", "{b}");
        assert_eq!(report["gaps"][0]["id"], "scope:unapproved", "{b}");
        // 31 sub-clauses below the default target 3 + 38 undecided + 17 DI + scope.
        assert_eq!(report["counts"]["total"], 31 + 38 + 17 + 1, "{b}");
        let (status, report) = call(
            &s,
            "GET",
            "/gaps?severity=critical&source=maturity",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let ids: Vec<&str> = report["gaps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g["id"].as_str())
            .collect();
        // Core clauses at level 1 of 3 are high; 9.1 at level 0 is not core: high too.
        assert!(ids.is_empty(), "{b}: {ids:?}");
        let (status, report) = call(
            &s,
            "GET",
            "/gaps?severity=high&source=maturity",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let ids: Vec<&str> = report["gaps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|g| g["id"].as_str())
            .collect();
        assert_eq!(
            ids,
            vec![
                "maturity:6.1.2",
                "maturity:6.1.3",
                "maturity:6.1.4",
                "maturity:8.2",
                "maturity:8.3",
                "maturity:8.4",
                "maturity:9.1"
            ],
            "{b}"
        );
        let (status, problem) = call(&s, "GET", "/gaps?severity=urgent", &viewer, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["severity"], "{b}");
        let res = Client::new()
            .get(s.url("/api/v1/gaps?format=csv&source=scope"))
            .bearer_auth(&viewer)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("text/csv; charset=utf-8"),
            "{b}"
        );
        let csv = res.text().await.unwrap_or_default();
        assert_eq!(csv.lines().count(), 2, "{b}: {csv}");
        assert!(
            csv.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("scope:unapproved,critical,scope,ISO42001:4.3,")),
            "{b}: {csv}"
        );
    }
}

#[tokio::test]
async fn maturity_and_gap_pages_over_the_demo() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/maturity").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("href=\"/maturity\" aria-current=\"page\">Maturity</a>"),
            "{b}: navigation"
        );
        assert!(html.contains("href=\"/gaps\">Gaps</a>"), "{b}: navigation");
        assert!(
            html.contains("href=\"/maturity/new\">New assessment</a>"),
            "{b}"
        );
        assert!(
            html.contains("<title id=\"radar-MAT-2-title\">Maturity of MAT-2 per clause"),
            "{b}: radar"
        );
        assert_eq!(
            html.matches("<polygon class=\"radar-series\"").count(),
            2,
            "{b}: current and target"
        );
        assert!(!html.contains("<script"), "{b}: no JavaScript");
        let row = element(&html, "row-MAT-1");
        assert!(row.contains("href=\"/maturity/MAT-1\""), "{b}: {row}");
        assert!(
            element(&html, "row-MAT-2").contains("<strong>1.9</strong>"),
            "{b}: 61 / 32"
        );

        let (status, html) = get(&grace, &s, "/maturity/MAT-2").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let answer = element(&html, "answer-6.1.4");
        assert!(
            answer.contains("1 (Initial)")
                && answer.contains("4 (Measured)")
                && answer.contains("below target"),
            "{b}: {answer}"
        );
        assert_eq!(
            html.matches("<text x=").count(),
            7,
            "{b}: seven axis labels"
        );

        let (status, html) = get(&grace, &s, "/maturity/compare?a=MAT-1&b=MAT-2").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("28 sub-clauses improved, 0 regressed"), "{b}");
        assert!(element(&html, "delta-6.1.4").contains("+1"), "{b}");
        assert_eq!(
            html.matches("<polygon class=\"radar-series\"").count(),
            2,
            "{b}"
        );

        let (status, html) = get(&grace, &s, "/maturity/new").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(
            html.matches("name=\"current_").count(),
            32,
            "{b}: one row per question"
        );
        assert!(
            element(&html, "current_6.1.4")
                .contains("<option value=\"1\" selected>1 Initial</option>"),
            "{b}: prefilled from the latest assessment"
        );
        let (status, _) = get(&grace, &s, "/maturity/MAT-99").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        let token = csrf(&html);
        let mut form: Vec<(String, String)> = vec![
            ("csrf".into(), token),
            ("assessed_on".into(), "2026-01-20".into()),
            ("target".into(), "3".into()),
        ];
        for (c, _) in aims_app::maturity::leaf_clauses() {
            if c != "7.3" {
                form.push((format!("current_{c}"), "3".into()));
            }
        }
        form.push(("target_8.4".into(), "9".into()));
        let before = seq(&s).await;
        let res = grace
            .post(s.url("/maturity/new"))
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        let row = element(&html, "q-8.4");
        assert!(
            row.contains("field-invalid") || html.contains("id=\"q-8.4\" class=\"field-invalid\""),
            "{b}: {row}"
        );
        assert!(html.contains("target: 9 is not a level"), "{b}");
        assert!(
            html.contains("href=\"#q-8.4\""),
            "{b}: summary links to the row"
        );
        form.retain(|(k, _)| k != "target_8.4");
        let res = grace
            .post(s.url("/maturity/new"))
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains("id=\"q-7.3\" class=\"field-invalid\""),
            "{b}: the missing answer is marked"
        );
        assert!(html.contains("is not answered"), "{b}");
        assert!(html.contains("value=\"2026-01-20\""), "{b}: values kept");
        assert_eq!(seq(&s).await, before, "{b}: nothing written");
        form.push(("current_7.3".into(), "2".into()));
        form.push(("note_7.3".into(), "Awareness sessions started".into()));
        let res = grace
            .post(s.url("/maturity/new"))
            .form(&form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(
            res.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/maturity/MAT-3"),
            "{b}"
        );
        let v = s
            .app
            .maturity_get(&aims_app::Actor::system(), "MAT-3")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let a = aims_app::maturity::answer(&v.assessment, "7.3").cloned();
        assert_eq!(
            a.map(|a| (a.current, a.target, a.note)),
            Some((2, 3, "Awareness sessions started".into())),
            "{b}"
        );
        let res = grace
            .post(s.url("/maturity/new"))
            .form(&[("csrf", "nope")])
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: CSRF");

        let (status, html) = get(&grace, &s, "/gaps").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("id=\"gap-maturity:6.1.4\""), "{b}");
        assert!(
            html.contains(
                "Maturity gaps come from <a class=\"key\" href=\"/maturity/MAT-2\">MAT-2</a>"
            ),
            "{b}"
        );
        let (status, html) = get(&grace, &s, "/gaps?severity=low&source=soa").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(!html.contains("id=\"gap-maturity:"), "{b}: filtered");
        assert!(
            html.contains("href=\"/gaps/export.csv?severity=low&amp;source=soa\""),
            "{b}"
        );
        let (status, html) = get(&grace, &s, "/gaps?severity=urgent").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("field-invalid"),
            "{b}: error beside the filter"
        );
        let (status, csv) = get(&grace, &s, "/gaps/export.csv?source=maturity").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            csv.starts_with("id,severity,source,requirement,title,current,target,action,actions\n"),
            "{b}"
        );
        assert!(
            csv.lines().skip(1).all(|l| l.starts_with("maturity:")),
            "{b}"
        );

        let vera = login(&s, "vera").await;
        let (status, html) = get(&vera, &s, "/maturity").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            !html.contains("/maturity/new"),
            "{b}: viewers are not offered the form"
        );
        let (status, _) = get(&vera, &s, "/maturity/new").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, _) = get(&vera, &s, "/gaps").await;
        assert_eq!(status, StatusCode::OK, "{b}");
    }
}
