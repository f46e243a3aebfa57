//! Monitoring through the JSON API and the pages: plans refused as problem details naming the
//! field, prediction logs uploaded as multipart, values pushed with a token, alerts acknowledged,
//! and the pages with their trend charts, upload and plan forms.

use aims_core::Role;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{backends, call, fields, seq, start, start_demo, TestServer};
use crate::pages::{csrf, element, get, location, login, post};

const SCHEMA: &str = "task = \"binary\"\ntimestamp = \"ts\"\nlabel = \"label\"\nprediction = \"prediction\"\nscore = \"score\"\nsensitive = [\"group\"]\n";

/// 48 rows; the prediction is wrong on every fourth row, so accuracy is exactly 0.75.
fn log_csv() -> String {
    let mut out = String::from("ts,label,prediction,score,group\n");
    for i in 0..48 {
        let label = i % 2;
        let pred = if i % 4 == 3 { 1 - label } else { label };
        let score = if pred == 1 { 0.9 } else { 0.1 };
        let group = if i % 3 == 0 { "A" } else { "B" };
        out.push_str(&format!(
            "2026-01-0{}T{:02}:00:00Z,{label},{pred},{score},{group}\n",
            1 + i / 24,
            i % 24
        ));
    }
    out
}

fn plan() -> Value {
    json!({
        "schema": SCHEMA,
        "rules": [{"metric": "performance.current.accuracy", "warn": 0.8, "breach": 0.6, "direction": "below"}],
        "schedule": "weekly",
        "owner": "root"
    })
}

async fn upload(
    s: &TestServer,
    token: &str,
    system: &str,
    name: &str,
    body: String,
) -> (StatusCode, Value) {
    let form = Form::new()
        .part("current", Part::text(body).file_name(name.to_string()))
        .text("observed_at", "2026-01-03T00:00:00Z");
    let res = reqwest::Client::new()
        .post(s.url(&format!("/api/v1/systems/{system}/monitoring/runs")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("upload: {e}"));
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_api_sets_plans_computes_uploads_takes_pushes_and_acknowledges_alerts() {
    for b in backends() {
        let s = start(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let ml = s.token(Role::Contributor).await;
        let viewer = s.token(Role::Viewer).await;
        let system = json!({"name": "Scoring", "purpose": "Scores", "owner": "root"});
        let (status, _) = call(&s, "POST", "/systems", &lead, Some(system)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}");

        // Refusals: the field named, nothing written.
        let before = seq(&s).await;
        let mut bad = plan();
        bad["rules"][0]["warn"] = json!(0.5);
        bad["window"] = json!("fortnight");
        let (status, problem) = call(
            &s,
            "PUT",
            "/systems/SYS-1/monitoring/plan",
            &lead,
            Some(bad),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");
        assert_eq!(fields(&problem), vec!["rules[1].warn", "window"], "{b}");
        let (status, _) = call(
            &s,
            "PUT",
            "/systems/SYS-1/monitoring/plan",
            &ml,
            Some(plan()),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, _) = call(
            &s,
            "PUT",
            "/systems/SYS-9/monitoring/plan",
            &lead,
            Some(plan()),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        assert_eq!(seq(&s).await, before, "{b}");
        let (status, p) = call(
            &s,
            "PUT",
            "/systems/SYS-1/monitoring/plan",
            &lead,
            Some(plan()),
        )
        .await;
        assert_eq!(
            (status, p["version"].clone()),
            (StatusCode::OK, json!(1)),
            "{b}"
        );

        // An upload with a missing column stores nothing and names the column.
        let before = seq(&s).await;
        let (status, problem) = upload(
            &s,
            &ml,
            "SYS-1",
            "log.csv",
            "ts,label\n2026-01-01T00:00:00Z,1\n".into(),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");
        assert_eq!(fields(&problem), vec!["log"], "{b}");
        assert!(
            problem["errors"][0]["reason"]
                .as_str()
                .unwrap_or_default()
                .contains("prediction"),
            "{b}: {problem}"
        );
        let (status, problem) = upload(&s, &ml, "SYS-1", "log.xlsx", log_csv()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["current"], "{b}");
        let (status, _) = upload(&s, &viewer, "SYS-1", "log.csv", log_csv()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(seq(&s).await, before, "{b}");

        // A good upload: accuracy 0.75 warns and raises ALR-1.
        let (status, out) = upload(&s, &ml, "SYS-1", "log.csv", log_csv()).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {out}");
        assert_eq!(out["run"]["key"], "RUN-1", "{b}");
        assert_eq!(out["run"]["outcome"], "warn", "{b}");
        assert_eq!(out["run"]["observations"][0]["value"], 0.75, "{b}");
        assert_eq!(out["run"]["label"], "log.csv", "{b}");
        assert_eq!(out["alerts"], json!(["ALR-1"]), "{b}");

        // A pipeline pushes values with its token.
        let push = json!({"metrics": {"performance.current.accuracy": 0.93}, "observed_at": "2026-01-10T00:00:00Z", "label": "ci #7"});
        let (status, out) = call(
            &s,
            "POST",
            "/systems/SYS-1/monitoring/observations",
            &ml,
            Some(push.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {out}");
        assert_eq!(
            (out["run"]["source"].clone(), out["run"]["outcome"].clone()),
            (json!("push"), json!("ok")),
            "{b}"
        );
        let (status, _) = call(
            &s,
            "POST",
            "/systems/SYS-1/monitoring/observations",
            &viewer,
            Some(push),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, problem) = call(
            &s,
            "POST",
            "/systems/SYS-1/monitoring/observations",
            &ml,
            Some(json!({"metrics": {"x": "high"}})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");

        // Reading back: runs, one run with its report, the view's trend, alerts.
        let (_, runs) = call(
            &s,
            "GET",
            "/systems/SYS-1/monitoring/runs?limit=10",
            &viewer,
            None,
        )
        .await;
        let keys: Vec<&str> = runs
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["key"].as_str())
            .collect();
        assert_eq!(keys, vec!["RUN-2", "RUN-1"], "{b}");
        let (_, run) = call(&s, "GET", "/monitoring/runs/RUN-1", &viewer, None).await;
        assert_eq!(
            run["report"]["performance"]["current"]["accuracy"], 0.75,
            "{b}"
        );
        assert_eq!(run["report"]["rows"]["current"], 48, "{b}");
        let (_, view) = call(&s, "GET", "/systems/SYS-1/monitoring", &viewer, None).await;
        let trend: Vec<f64> = view["trends"]["performance.current.accuracy"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["value"].as_f64())
            .collect();
        assert_eq!(trend, vec![0.75, 0.93], "{b}");
        let (status, _) = call(
            &s,
            "GET",
            "/systems/SYS-1/monitoring/runs?limit=0",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");

        let (_, open) = call(&s, "GET", "/monitoring/alerts?open=true", &viewer, None).await;
        assert_eq!(open.as_array().map(Vec::len), Some(1), "{b}");
        let (status, _) = call(
            &s,
            "POST",
            "/monitoring/alerts/ALR-1/ack",
            &viewer,
            Some(json!({})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, a) = call(
            &s,
            "POST",
            "/monitoring/alerts/ALR-1/ack",
            &ml,
            Some(json!({"note": "Known dip"})),
        )
        .await;
        assert_eq!(
            (status, a["status"].clone()),
            (StatusCode::OK, json!("acknowledged")),
            "{b}"
        );
        let (status, _) = call(
            &s,
            "POST",
            "/monitoring/alerts/ALR-1/ack",
            &ml,
            Some(json!({})),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{b}");
        let (_, overview) = call(&s, "GET", "/monitoring", &viewer, None).await;
        assert_eq!(overview[0]["plan"]["system"], "SYS-1", "{b}");
        assert_eq!(overview[0]["open_alerts"], 0, "{b}");

        let (_, doc) = call(&s, "GET", "/openapi.json", &viewer, None).await;
        for path in [
            "/systems/{key}/monitoring/runs",
            "/systems/{key}/monitoring/observations",
            "/monitoring/alerts/{key}/ack",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{b}: {path} missing from the OpenAPI document"
            );
        }
    }
}

#[tokio::test]
async fn the_pages_set_a_plan_upload_a_log_chart_it_and_acknowledge_the_alert() {
    for b in backends() {
        let s = start_demo(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let system = json!({"name": "Page test scoring", "purpose": "Scores", "owner": "root"});
        let (_, sys) = call(&s, "POST", "/systems", &lead, Some(system)).await;
        let key = sys["key"].as_str().unwrap_or_default().to_string();
        let br = login(&s, "admin").await;
        let path = format!("/systems/{key}/monitoring");
        let (status, html) = get(&br, &s, &path).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("has no monitoring plan yet"), "{b}");
        let token = csrf(&html);

        // A plan form with a bad rule: 422 and the message beside the field.
        let rules_bad = "[[threshold]]\nmetric = \"performance.current.accuracy\"\nwarn = 0.5\nbreach = 0.6\ndirection = \"below\"\n";
        let form = [
            ("csrf", token.as_str()),
            ("owner", "root"),
            ("schema", SCHEMA),
            ("rules", rules_bad),
            ("window", "whole"),
            ("schedule", "weekly"),
            ("webhook_url", ""),
            ("webhook_secret", ""),
        ];
        let res = post(&br, &s, &format!("{path}/plan"), &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-rules-err").contains("lies past the breach limit"),
            "{b}"
        );
        let rules = rules_bad.replace("warn = 0.5", "warn = 0.8");
        let form = [
            ("csrf", token.as_str()),
            ("owner", "root"),
            ("schema", SCHEMA),
            ("rules", rules.as_str()),
            ("window", "whole"),
            ("schedule", "weekly"),
            ("webhook_url", ""),
            ("webhook_secret", ""),
        ];
        let res = post(&br, &s, &format!("{path}/plan"), &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), path, "{b}");

        // Upload through the page's multipart form, CSRF token included.
        let form = Form::new()
            .text("csrf", token.clone())
            .part("current", Part::text(log_csv()).file_name("week1.csv"))
            .text("observed_at", "2026-01-03T00:00:00Z");
        let res = br
            .post(s.url(&format!("{path}/runs")))
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let run_path = location(&res);
        assert!(
            run_path.starts_with("/monitoring/runs/RUN-"),
            "{b}: {run_path}"
        );
        let (_, html) = get(&br, &s, &run_path).await;
        let obs = element(&html, "observations");
        assert!(
            obs.contains("performance.current.accuracy")
                && obs.contains("0.75")
                && obs.contains("warning"),
            "{b}: {obs}"
        );
        assert!(html.contains("week1.csv"), "{b}");

        // An upload without the token is refused; a bad file is shown beside its field.
        let form = Form::new().part("current", Part::text(log_csv()).file_name("x.csv"));
        let res = br
            .post(s.url(&format!("{path}/runs")))
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
        let form = Form::new().text("csrf", token.clone()).part(
            "current",
            Part::text("ts,label\n".to_string()).file_name("bad.csv"),
        );
        let res = br
            .post(s.url(&format!("{path}/runs")))
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");

        // The system's page charts the value against its limits; the overview lists the alert.
        let (_, html) = get(&br, &s, &path).await;
        assert!(
            html.contains("<svg role=\"img\" aria-labelledby=\"trend-0-h trend-0-desc\""),
            "{b}"
        );
        assert!(
            html.contains("class=\"limit-warn\"") && html.contains("class=\"limit-breach\""),
            "{b}"
        );
        assert!(
            element(&html, "rules").contains("performance.current.accuracy"),
            "{b}"
        );
        let (_, html) = get(&br, &s, "/monitoring").await;
        assert!(element(&html, "plans").contains(&key), "{b}");
        let alert = html
            .split("id=\"ALR-")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .map(|n| format!("ALR-{n}"))
            .unwrap_or_default();
        assert!(!alert.is_empty(), "{b}: no alert row");
        let res = post(
            &br,
            &s,
            &format!("/monitoring/alerts/{alert}/ack"),
            &[
                ("csrf", token.as_str()),
                ("note", "Seen"),
                ("back", "overview"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let (_, html) = get(&br, &s, "/").await;
        assert!(element(&html, "monitoring-h").contains("Monitoring"), "{b}");
    }
}

#[tokio::test]
async fn a_risk_page_shows_what_its_systems_incidents_suggest() {
    for b in backends() {
        let s = start_demo(b).await;
        let br = login(&s, "rosa").await;
        // RSK-1 concerns credit scoring, whose fairness breach opened INC-1 three days ago.
        let (status, html) = get(&br, &s, "/risks/RSK-1").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let card = element(&html, "incident-likelihood");
        assert!(
            card.contains("INC-1") && card.contains("3 Possible"),
            "{b}: {card}"
        );
        assert!(card.contains("differs"), "{b}: the estimate is 4, not 3");
        let token = s.token(Role::Viewer).await;
        let (_, risk) = call(&s, "GET", "/risks/RSK-1", &token, None).await;
        assert_eq!(risk["incident_likelihood"]["level"], 3, "{b}");
        assert_eq!(
            risk["incident_likelihood"]["incidents"],
            json!(["INC-1"]),
            "{b}"
        );
    }
}
