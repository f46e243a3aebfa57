//! The permission matrix over HTTP: every operation of the OpenAPI document, called by each role,
//! is allowed or denied exactly as `Role::permits` says for the action the operation needs.
//! A denial is a 403 problem and writes nothing; an allowed call is never a 403 (it may still be
//! refused as invalid, since the calls carry empty bodies). On the demo organisation, on SQLite
//! and, when `AIMS_TEST_POSTGRES_URL` is set, PostgreSQL.

use aims_core::{Action, Role};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::harness::{backends, seq, start_demo, TestServer, ROOT_PASSWORD};

/// The action each operation needs; `None` for the operations open to anyone.
fn action_of(method: &str, path: &str) -> Option<Action> {
    use Action::*;
    let area = path.trim_start_matches('/');
    let action = match (method, area) {
        (_, "health" | "auth/login" | "auth/logout") => return None,
        ("get", "security-events") => ReadSecurityEvents,
        // Everyone reads who the users are (owners are chosen from them).
        ("get", "users") => Read,
        (_, a) if a.starts_with("users") => ManageUsers,
        // Every signed-in user may change their own password.
        ("post", "account/password") => Read,
        ("get", _) => Read,
        (_, "tokens" | "tokens/{key}") => ManageOwnTokens,
        (_, "systems/{key}/retire") => RetireSystem,
        (_, "systems/{key}/monitoring/plan") => ManageMonitoring,
        (_, a) if a.starts_with("systems/{key}/monitoring") => RecordMonitoring,
        (_, a) if a.starts_with("monitoring/alerts") => RecordMonitoring,
        (_, a) if a.starts_with("systems") => WriteInventory,
        (_, a) if a.starts_with("context") || a.starts_with("parties") => WriteContext,
        (_, "scope/versions/{version}/approve" | "soa/versions/{version}/approve") => ApproveScope,
        (_, a) if a.starts_with("scope") => WriteScope,
        (_, a) if a.starts_with("controls") || a.starts_with("soa") => WriteControls,
        (_, "catalogs/import") => ImportCatalogs,
        (_, a) if a.starts_with("integrations") => ImportRegisters,
        (_, a) if a.starts_with("risks") || a.starts_with("impacts") => WriteRisks,
        (_, a) if a.starts_with("methodology") => ChangeMethodology,
        (_, a) if a.starts_with("maturity") => WriteMaturity,
        (_, a) if a.starts_with("actions") => PlanActions,
        (_, a) if a.starts_with("certification-bodies") || a.starts_with("briefings") => {
            ManageCertification
        }
        (_, a) if a.starts_with("incidents") => WriteIncidents,
        (_, a) if a.starts_with("nonconformities") => ManageNonconformities,
        (m, a) => panic!("the matrix does not know what {m} /{a} needs: add it"),
    };
    Some(action)
}

/// A demo record for each path parameter, so that allowed calls reach the service.
fn concrete(path: &str) -> String {
    let key = match path.split('/').nth(1).unwrap_or_default() {
        "actions" => "ACT-1",
        "certification-bodies" => "CB-1",
        "context" => "CTX-1",
        "controls" => "CTL-1",
        "impacts" => "AIA-1",
        "incidents" => "INC-1",
        "monitoring" if path.contains("alerts") => "ALR-1",
        "monitoring" => "RUN-1",
        "nonconformities" => "NC-1",
        "parties" => "IP-1",
        "risks" => "RSK-1",
        "tokens" => "TOK-999",
        _ => "SYS-1",
    };
    path.replace("{key}", key)
        .replace("{version}", "1")
        .replace("{control_id}", "A.6.2.4")
        .replace("{username}", "vera")
        .replace("{framework}", "ISO27001")
        .replace("{id}", "ISO42001")
        .replace("{item}", "A.6.2.4")
}

/// A signed-in client for a new user of `role`, and the session's CSRF token.
async fn session(s: &TestServer, role: Role) -> (reqwest::Client, String) {
    s.token(role).await;
    let client = s.browser();
    let username = format!("u-{}", role.as_str().replace('_', "-"));
    let res = client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": ROOT_PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("login: {e}"));
    assert_eq!(res.status(), StatusCode::OK, "{role} signs in");
    let body: Value = res.json().await.unwrap_or_default();
    let csrf = body["csrf"].as_str().unwrap_or_default().to_owned();
    assert!(!csrf.is_empty(), "{role}: the login answers the CSRF token");
    (client, csrf)
}

#[tokio::test]
async fn every_operation_is_allowed_or_denied_as_the_permission_table_says() {
    for b in backends() {
        let s = start_demo(b).await;
        let doc: Value = reqwest::get(s.url("/api/v1/openapi.json"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in ["get", "post", "patch", "put", "delete"] {
                if item.get(method).is_some() {
                    ops.push((method, path.clone(), action_of(method, path)));
                }
            }
        }
        assert!(ops.len() > 100, "{b}: {} operations", ops.len());
        let mut wrong = Vec::new();
        for role in Role::ALL.iter().copied() {
            let (client, csrf) = session(&s, role).await;
            for (method, path, action) in &ops {
                let Some(action) = *action else { continue };
                // Logging out or reaching the allowed writes would change what later calls see.
                let url = s.url(&format!("/api/v1{}", concrete(path)));
                let verb =
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap_or(Method::GET);
                let before = seq(&s).await;
                let mut req = client.request(verb, url).header("X-CSRF-Token", &csrf);
                if *method != "get" {
                    req = req.json(&json!({}));
                }
                let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
                let status = res.status();
                let denied = status == StatusCode::FORBIDDEN;
                if denied == role.permits(action) {
                    let body = res.text().await.unwrap_or_default();
                    wrong.push(format!(
                        "{role} {method} {path} ({action:?}): {status} {body}"
                    ));
                } else if denied && seq(&s).await != before {
                    wrong.push(format!(
                        "{role} {method} {path}: denied but the ledger grew"
                    ));
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "{b}: {} disagreements:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }
}
