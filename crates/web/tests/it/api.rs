//! The JSON API: authentication, permissions over every operation, problem details, concurrency.

use aims_core::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{backends, start, ROOT_PASSWORD};

/// Every (method, path) of the OpenAPI document, with path parameters filled in.
fn operations(doc: &Value) -> Vec<(String, String)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "patch", "put", "delete"] {
            if item.get(method).is_some() {
                let concrete = path
                    .replace("{key}", "SYS-1")
                    .replace("{version}", "1")
                    .replace("{control_id}", "A.6.2.4")
                    .replace("{username}", "root");
                ops.push((method.to_uppercase(), concrete));
            }
        }
    }
    ops
}

async fn send(
    client: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> reqwest::Response {
    let url = format!("{base}/api/v1{path}");
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut req = client.request(method.clone(), url);
    if method != reqwest::Method::GET {
        req = req.json(&json!({}));
    }
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

#[tokio::test]
async fn every_operation_needs_credentials_and_viewers_cannot_write() {
    for b in backends() {
        let s = start(b).await;
        let client = reqwest::Client::new();
        let doc: Value = client
            .get(s.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(
            doc["openapi"].as_str().map(|v| v.starts_with("3.1")),
            Some(true),
            "OpenAPI 3.1"
        );
        let ops = operations(&doc);
        assert!(
            ops.len() >= 30,
            "{b}: only {} operations documented",
            ops.len()
        );
        let viewer = s.token(Role::Viewer).await;
        let open = ["/health", "/openapi.json", "/auth/login", "/auth/logout"];
        for (method, path) in ops.iter().filter(|(_, p)| !open.contains(&p.as_str())) {
            let res = send(&client, &s.base, method, path, None).await;
            assert_eq!(
                res.status(),
                StatusCode::UNAUTHORIZED,
                "{b}: {method} {path} without credentials"
            );
            let ct = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert_eq!(ct, "application/problem+json", "{b}: {method} {path}");
            if method != "GET" {
                let res = send(&client, &s.base, method, path, Some(&viewer)).await;
                assert_eq!(
                    res.status(),
                    StatusCode::FORBIDDEN,
                    "{b}: {method} {path} with a viewer token"
                );
            }
        }
        let head = s
            .app
            .ledger_checkpoint(&aims_app::Actor::system())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        // root's user and the viewer's user and token: nothing else was written.
        assert_eq!(head.seq, 3, "{b}: refused calls wrote to the ledger");
    }
}

async fn ledger_seq(s: &crate::harness::TestServer) -> i64 {
    s.app
        .ledger_checkpoint(&aims_app::Actor::system())
        .await
        .map(|c| c.seq)
        .unwrap_or(-1)
}

#[tokio::test]
async fn bad_input_is_a_problem_naming_the_field_and_writes_nothing() {
    for b in backends() {
        let s = start(b).await;
        let client = reqwest::Client::new();
        let token = s.token(Role::GovernanceLead).await;
        let post = |body: Value| {
            client
                .post(s.url("/api/v1/systems"))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let ok = post(json!({"name": "Fraud model", "purpose": "Flags fraud", "owner": "root"}))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.status(), StatusCode::CREATED, "{b}");
        let created: Value = ok.json().await.unwrap_or_default();
        assert_eq!(created["key"], "SYS-1");
        assert_eq!(created["stage"], "concept");
        let before = ledger_seq(&s).await;
        let cases = [
            (
                json!({"name": "A", "purpose": "p", "owner": "root", "colour": "red"}),
                422,
                "colour",
            ),
            (
                json!({"name": "A", "purpose": "p", "owner": "root", "stage": "launched"}),
                422,
                "stage",
            ),
            (json!({"purpose": "p", "owner": "root"}), 422, "name"),
            (
                json!({"name": "x".repeat(201), "purpose": "p", "owner": "root"}),
                422,
                "name",
            ),
            (
                json!({"name": "Fraud model", "purpose": "p", "owner": "root"}),
                409,
                "name",
            ),
            (
                json!({"name": "B", "purpose": "p", "owner": "nobody"}),
                422,
                "owner",
            ),
            (
                json!({"name": "B", "purpose": "p", "owner": "root", "eu_class": "high_risk"}),
                422,
                "eu_rationale",
            ),
            (
                json!({"name": 7, "purpose": "p", "owner": "root"}),
                422,
                "name",
            ),
        ];
        for (body, status, field) in cases {
            let res = post(body.clone()).await.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(res.status().as_u16(), status, "{b}: {body}");
            let p: Value = res.json().await.unwrap_or_default();
            assert_eq!(p["status"], status, "{b}: {body}");
            let fields: Vec<&str> = p["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["field"].as_str())
                .collect();
            assert!(
                fields.contains(&field),
                "{b}: {body} named {fields:?}, not {field}"
            );
        }
        let res = client
            .post(s.url("/api/v1/systems"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{b}: malformed JSON");
        let res = client
            .post(s.url("/api/v1/scope/versions"))
            .bearer_auth(&token)
            .json(&json!({"statement": "All", "exclusions": [{"item": "SYS-1"}]}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let p: Value = res.json().await.unwrap_or_default();
        assert_eq!(
            p["errors"][0]["field"], "exclusions[0].justification",
            "{b}"
        );
        assert_eq!(
            ledger_seq(&s).await,
            before,
            "{b}: a refused write reached the ledger"
        );
        let list: Value = client
            .get(s.url("/api/v1/systems"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(list["total"], 1, "{b}");
        let res = client
            .get(s.url("/api/v1/systems?stage=launched"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: bad filter"
        );
    }
}

#[tokio::test]
async fn scope_approval_over_the_api() {
    for b in backends() {
        let s = start(b).await;
        let client = reqwest::Client::new();
        let lead = s.token(Role::GovernanceLead).await;
        let owner = s.token(Role::RiskOwner).await;
        let v: Value = client
            .post(s.url("/api/v1/scope/versions"))
            .bearer_auth(&lead)
            .json(&json!({"statement": "Everything"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(v["version"], 1, "{b}");
        let res = client
            .post(s.url("/api/v1/scope/versions/1/approve"))
            .bearer_auth(&owner)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "{b}: risk owners do not approve scope"
        );
        let res = client
            .post(s.url("/api/v1/scope/versions/1/approve"))
            .bearer_auth(&lead)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let res = client
            .post(s.url("/api/v1/scope/versions/1/approve"))
            .bearer_auth(&lead)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::CONFLICT, "{b}: second approval");
        let p: Value = res.json().await.unwrap_or_default();
        assert_eq!(p["errors"][0]["field"], "version", "{b}");
    }
}

#[tokio::test]
async fn session_login_logout_and_tokens() {
    for b in backends() {
        let s = start(b).await;
        let browser = s.browser();
        let res = browser
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"username": "root", "password": "wrong password!"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{b}");
        let res = browser
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"username": "root", "password": ROOT_PASSWORD}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let set_cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
            "{b}: {set_cookie}"
        );
        let signed_in: Value = res.json().await.unwrap_or_default();
        // Cookie-authenticated writes carry the session's CSRF token.
        let csrf = signed_in["csrf"].as_str().unwrap_or_default().to_owned();
        let me: Value = browser
            .get(s.url("/api/v1/me"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(
            (me["username"].as_str(), me["via"].as_str()),
            (Some("root"), Some("session")),
            "{b}"
        );
        let created: Value = browser
            .post(s.url("/api/v1/tokens"))
            .header("X-CSRF-Token", &csrf)
            .json(&json!({"name": "pipeline", "role": "contributor", "expires_in_days": 30}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let secret = created["secret"].as_str().unwrap_or_default().to_owned();
        assert!(secret.starts_with("aims_"), "{b}: {created}");
        let plain = reqwest::Client::new();
        let me: Value = plain
            .get(s.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        assert_eq!(me["role"], "contributor", "{b}");
        let key = created["token"]["key"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let listed: Value = browser
            .get(s.url("/api/v1/tokens"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let mine = listed
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["key"] == key.as_str())
            .cloned()
            .unwrap_or_default();
        assert!(
            mine["last_used_at"].is_string(),
            "{b}: token use not noted: {mine}"
        );
        assert!(mine.get("secret").is_none(), "{b}: {mine}");
        let res = browser
            .delete(s.url(&format!("/api/v1/tokens/{key}")))
            .header("X-CSRF-Token", &csrf)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let res = plain
            .get(s.url("/api/v1/me"))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "{b}: revoked token still works"
        );
        let res = browser
            .post(s.url("/api/v1/auth/logout"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{b}");
        let res = browser
            .get(s.url("/api/v1/me"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "{b}: session survived logout"
        );
    }
}

#[tokio::test]
async fn fifty_concurrent_writers_leave_a_gapless_verified_ledger() {
    for b in backends() {
        let s = start(b).await;
        let token = s.token(Role::Contributor).await;
        let before = ledger_seq(&s).await;
        let client = reqwest::Client::new();
        let mut tasks = Vec::new();
        for i in 0..50 {
            let (client, url, token) = (client.clone(), s.url("/api/v1/systems"), token.clone());
            tasks.push(tokio::spawn(async move {
                let body = json!({"name": format!("Concurrent system {i}"), "purpose": "load", "owner": "root"});
                client.post(url).bearer_auth(token).json(&body).send().await.map(|r| r.status())
            }));
        }
        for t in tasks {
            let status = t
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(status, StatusCode::CREATED, "{b}");
        }
        let root = aims_app::Actor::system();
        let report = s
            .app
            .ledger_verify(&root, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(report.intact, "{b}: {}", report.message);
        assert_eq!(report.events, before + 50, "{b}: one event per write");
        let events = s
            .app
            .ledger_log(&root, None, None, Some(1000))
            .await
            .unwrap_or_default();
        let mut seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
        seqs.sort_unstable();
        assert_eq!(
            seqs,
            (1..=before + 50).collect::<Vec<_>>(),
            "{b}: gap in the sequence"
        );
    }
}

#[tokio::test]
async fn controls_are_added_linked_and_read_back() {
    for b in backends() {
        let s = start(b).await;
        let client = reqwest::Client::new();
        let token = s.token(Role::RiskOwner).await;
        let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
            let mut req = client
                .request(method, s.url(&format!("/api/v1{path}")))
                .bearer_auth(&token);
            if let Some(body) = body {
                req = req.json(&body);
            }
            req.send()
        };
        let res = call(
            reqwest::Method::POST,
            "/systems",
            Some(json!({"name": "Credit scoring", "purpose": "Scores loans", "owner": "root"})),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        let res = call(
            reqwest::Method::POST,
            "/controls",
            Some(json!({"name": "Model validation", "description": "Independent validation before release", "owner": "root",
                "status": "implemented", "implementation_date": "2026-03-01"})),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        let created: Value = res.json().await.unwrap_or_default();
        assert_eq!(created["key"], "CTL-1", "{b}");
        assert_eq!(created["status"], "implemented", "{b}");
        assert_eq!(created["effectiveness"], "not_assessed", "{b}");

        let res = call(
            reqwest::Method::PUT,
            "/controls/CTL-1/links",
            Some(json!({"requirements": ["iso42001:A.6.2.4"], "systems": ["sys-1"]})),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let before = ledger_seq(&s).await;
        let res = call(
            reqwest::Method::PUT,
            "/controls/CTL-1/links",
            Some(json!({"requirements": ["ISO42001:Z.9"]})),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let ct = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert_eq!(ct, "application/problem+json", "{b}");
        let p: Value = res.json().await.unwrap_or_default();
        assert_eq!(p["errors"][0]["field"], "requirements[0]", "{b}: {p}");
        assert_eq!(ledger_seq(&s).await, before, "{b}: refused link wrote");

        let res = call(
            reqwest::Method::PATCH,
            "/controls/ctl-1",
            Some(json!({"effectiveness": "effective", "review_date": "2027-03-01"})),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");

        let res = call(reqwest::Method::GET, "/controls/CTL-1", None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let c: Value = res.json().await.unwrap_or_default();
        assert_eq!(c["requirements"], json!(["ISO42001:A.6.2.4"]), "{b}: {c}");
        assert_eq!(c["systems"], json!(["SYS-1"]), "{b}: {c}");
        assert_eq!(c["effectiveness"], "effective", "{b}: {c}");
        assert_eq!(c["review_date"], "2027-03-01", "{b}: {c}");
        assert_eq!(c["implementation_date"], "2026-03-01", "{b}: {c}");

        let res = call(
            reqwest::Method::GET,
            "/controls?requirement=ISO42001:A.6.2.4&system=SYS-1",
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let list: Value = res.json().await.unwrap_or_default();
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{b}: {list}");
        let res = call(reqwest::Method::GET, "/controls?status=planned", None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let list: Value = res.json().await.unwrap_or_default();
        assert_eq!(list.as_array().map(Vec::len), Some(0), "{b}: {list}");

        let viewer = s.token(Role::Viewer).await;
        let res = client
            .post(s.url("/api/v1/controls"))
            .bearer_auth(&viewer)
            .json(&json!({"name": "X", "description": "d", "owner": "root"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
    }
}

/// One line of `GET /soa` as the export writes it.
fn soa_export_row(line: &Value) -> Vec<String> {
    let text = |k: &str| line[k].as_str().unwrap_or_default().to_owned();
    let applicable = match line["applicable"].as_bool() {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let controls: Vec<&str> = line["controls"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    vec![
        text("control_id"),
        text("title"),
        applicable.to_owned(),
        text("justification"),
        text("status"),
        controls.join(" "),
        line["evidence_count"].to_string(),
    ]
}

/// Every row of the named sheet of an XLSX workbook, as text.
pub fn xlsx_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .unwrap_or_else(|e| panic!("not an XLSX workbook: {e}"));
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("no sheet {sheet}: {e}"));
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn soa_export_csv_and_xlsx_read_back_as_the_api_shows() {
    for b in backends() {
        let s = start(b).await;
        let client = reqwest::Client::new();
        let token = s.token(Role::GovernanceLead).await;
        let put = |id: &'static str, body: Value| {
            client
                .put(s.url(&format!("/api/v1/soa/{id}")))
                .bearer_auth(&token)
                .json(&body)
                .send()
        };
        let res = put(
            "A.10.4",
            json!({"applicable": false, "justification": "No customers, \"really\", none"}),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let res = put("A.6.2.4", json!({"applicable": true}))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let problem: Value = res.json().await.unwrap_or_default();
        assert_eq!(problem["errors"][0]["field"], "justification", "{b}");
        let res = put(
            "A.6.2.4",
            json!({"applicable": true, "justification": "We build models"}),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");

        let shown: Value = client
            .get(s.url("/api/v1/soa"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let shown = shown.as_array().cloned().unwrap_or_default();
        assert_eq!(shown.len(), 38, "{b}");

        let res = client
            .get(s.url("/api/v1/soa/export?format=csv"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let text = res.text().await.unwrap_or_default();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map(|h| h.iter().map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(
            header,
            [
                "control_id",
                "title",
                "applicable",
                "justification",
                "status",
                "controls",
                "evidence"
            ],
            "{b}"
        );
        let rows: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        let expected: Vec<Vec<String>> = shown.iter().map(soa_export_row).collect();
        let got: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(got, expected, "{b}");
        let res = client
            .get(s.url("/api/v1/soa/export?format=xlsx"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        assert_eq!(
            res.headers()[reqwest::header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "{b}"
        );
        let bytes = res.bytes().await.unwrap_or_default();
        let sheet = xlsx_rows(&bytes, "SoA");
        assert_eq!(sheet.first().map(Vec::len), Some(7), "{b}");
        assert_eq!(sheet[1..], expected[..], "{b}");
        let excluded = rows.iter().find(|r| r.get(0) == Some("A.10.4"));
        assert_eq!(
            excluded.and_then(|r| r.get(3)),
            Some("No customers, \"really\", none"),
            "{b}"
        );
        assert_eq!(excluded.and_then(|r| r.get(4)), Some("excluded"), "{b}");

        let md = client
            .get(s.url("/api/v1/soa/export?format=md"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(md.contains("| A.6.2.4 |"), "{b}: {md}");

        let res = client
            .post(s.url("/api/v1/soa/versions"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::CREATED, "{b}");
        for expected in [StatusCode::OK, StatusCode::CONFLICT] {
            let res = client
                .post(s.url("/api/v1/soa/versions/1/approve"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(res.status(), expected, "{b}");
        }
    }
}

#[tokio::test]
async fn a_malformed_path_or_an_oversized_body_is_a_problem_and_writes_nothing() {
    for b in backends() {
        let s = start(b).await;
        let token = s.token(Role::GovernanceLead).await;
        let before = ledger_seq(&s).await;
        let (status, problem) =
            crate::harness::call(&s, "GET", "/scope/versions/false", &token, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");
        assert_eq!(crate::harness::fields(&problem), ["version"], "{b}");
        let as_array = json!(["Fraud model", "Flags fraud", "root"]);
        let (status, problem) =
            crate::harness::call(&s, "POST", "/systems", &token, Some(as_array)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");
        assert_eq!(crate::harness::fields(&problem), ["body"], "{b}");
        let big = "x".repeat(aims_web::BODY_LIMIT + 1);
        let res = reqwest::Client::new()
            .post(s.url("/api/v1/systems"))
            .bearer_auth(&token)
            .json(&json!({"name": "Big", "purpose": big, "owner": "root"}))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{b}");
        let ct = res.headers().get("content-type").cloned();
        assert_eq!(
            ct.as_ref().and_then(|v| v.to_str().ok()),
            Some("application/problem+json")
        );
        let problem: Value = res.json().await.unwrap_or_default();
        assert_eq!(problem["code"], "too_large", "{b}");
        assert_eq!(ledger_seq(&s).await, before, "{b}: nothing written");
    }
}
