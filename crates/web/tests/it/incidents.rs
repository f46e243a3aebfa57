//! Incidents and nonconformities through the JSON API: the workflow with problem documents
//! naming the field, the countdown, corrective actions and checks, 403 for readers, and the
//! OpenAPI document listing the paths.

use aims_core::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::harness::{backends, call, fields, seq, start};

#[tokio::test]
async fn the_api_works_an_incident_and_a_nonconformity() {
    for b in backends() {
        let s = start(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let viewer = s.token(Role::Viewer).await;
        let auditor = s.token(Role::Auditor).await;
        let (st, sys) = call(
            &s,
            "POST",
            "/systems",
            &lead,
            Some(json!({"name": "Scoring", "purpose": "Loans", "owner": "root"})),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{b}: {sys}");
        let today = chrono::Utc::now().date_naive().to_string();
        let body = json!({"title": "Refusals", "description": "Older applicants refused", "source": "user_report",
            "incident_type": "bias_fairness", "severity": 1, "systems": ["SYS-1"], "occurred_at": today,
            "detected_at": today, "owner": "root", "serious_basis": "death"});
        let (st, i) = call(&s, "POST", "/incidents", &lead, Some(body.clone())).await;
        assert_eq!(st, StatusCode::CREATED, "{b}: {i}");
        assert_eq!(
            (i["key"].as_str(), i["severity_label"].as_str()),
            (Some("INC-1"), Some("Critical")),
            "{b}"
        );
        assert_eq!(i["countdown"]["days_left"], 10, "{b}");

        let before = seq(&s).await;
        let (st, p) = call(
            &s,
            "POST",
            "/incidents",
            &lead,
            Some(json!({"title": "x", "severity": 5})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {p}");
        assert!(fields(&p).contains(&"severity".to_string()), "{b}: {p}");
        let (st, p) = call(
            &s,
            "POST",
            "/incidents/INC-1/transitions",
            &lead,
            Some(json!({"to": "closed"})),
        )
        .await;
        assert_eq!(
            (st, fields(&p)),
            (StatusCode::CONFLICT, vec!["status".to_string()]),
            "{b}: {p}"
        );
        for (who, name) in [(&viewer, "viewer"), (&auditor, "auditor")] {
            let (st, _) = call(&s, "POST", "/incidents", who, Some(body.clone())).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{b}: {name}");
            let (st, _) = call(&s, "POST", "/nonconformities", who, Some(json!({}))).await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{b}: {name}");
            let (st, list) = call(&s, "GET", "/incidents?open=true", who, None).await;
            assert_eq!(
                (st, list["total"].as_i64()),
                (StatusCode::OK, Some(1)),
                "{b}: {name}"
            );
        }
        assert_eq!(seq(&s).await, before, "{b}: refusals wrote nothing");

        for to in ["triaged", "investigating", "contained"] {
            let (st, r) = call(
                &s,
                "POST",
                "/incidents/inc-1/transitions",
                &lead,
                Some(json!({"to": to})),
            )
            .await;
            assert_eq!(
                (st, r["status"].as_str()),
                (StatusCode::OK, Some(to)),
                "{b}: {r}"
            );
        }
        let (st, _) = call(
            &s,
            "POST",
            "/incidents/INC-1/notes",
            &lead,
            Some(json!({"text": "Paused the model"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        let (st, r) = call(&s, "POST", "/incidents/INC-1/rca", &lead, Some(json!({"whys": ["No age test"], "category": "process", "lessons_learned": "Test age groups"}))).await;
        assert_eq!(
            (st, r["root_cause"]["category"].as_str()),
            (StatusCode::OK, Some("process")),
            "{b}: {r}"
        );
        let (st, p) = call(
            &s,
            "POST",
            "/incidents/INC-1/links",
            &lead,
            Some(json!({"add": ["RSK-3"]})),
        )
        .await;
        assert_eq!(
            (st, fields(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["add[0]".to_string()]),
            "{b}: {p}"
        );
        let (st, r) = call(
            &s,
            "PATCH",
            "/incidents/INC-1",
            &lead,
            Some(json!({"reported_to_authority_at": today})),
        )
        .await;
        assert_eq!(
            (st, r["countdown"]["state"].as_str()),
            (StatusCode::OK, Some("reported")),
            "{b}: {r}"
        );
        for to in ["resolved", "closed"] {
            let (st, r) = call(
                &s,
                "POST",
                "/incidents/INC-1/transitions",
                &lead,
                Some(json!({"to": to})),
            )
            .await;
            assert_eq!(st, StatusCode::OK, "{b}: {r}");
        }
        let (_, shown) = call(&s, "GET", "/incidents/INC-1", &viewer, None).await;
        assert_eq!(shown["status"], "closed", "{b}");
        assert_eq!(
            shown["timeline"].as_array().map(Vec::len),
            Some(10),
            "{b}: {shown}"
        );

        let (st, nc) = call(&s, "POST", "/nonconformities", &lead, Some(json!({"source": "incident", "source_ref": "INC-1",
            "description": "No age test before release", "owner": "root", "requirement": "ISO42001:8.2"}))).await;
        assert_eq!(
            (st, nc["key"].as_str()),
            (StatusCode::CREATED, Some("NC-1")),
            "{b}: {nc}"
        );
        let (st, r) = call(
            &s,
            "POST",
            "/nonconformities/NC-1/actions",
            &lead,
            Some(json!({"new": {"title": "Add an age test",
            "owner": "root", "due_date": "2099-01-01", "effort": 2}})),
        )
        .await;
        assert_eq!(
            (st, r["action"]["key"].as_str()),
            (StatusCode::CREATED, Some("ACT-1")),
            "{b}: {r}"
        );
        let (st, p) = call(
            &s,
            "PATCH",
            "/actions/ACT-1",
            &lead,
            Some(json!({"status": "done"})),
        )
        .await;
        assert_eq!(
            (st, fields(&p)),
            (StatusCode::CONFLICT, vec!["status".to_string()]),
            "{b}: {p}"
        );
        let (st, p) = call(&s, "POST", "/nonconformities/NC-1/close", &lead, None).await;
        assert_eq!(st, StatusCode::CONFLICT, "{b}: {p}");
        let (st, r) = call(
            &s,
            "POST",
            "/nonconformities/NC-1/checks",
            &lead,
            Some(json!({"action": "ACT-1", "result": "effective", "note": "Ran it on v4"})),
        )
        .await;
        assert_eq!(
            (
                st,
                r["action"]["status"].as_str(),
                r["nonconformity"]["status"].as_str()
            ),
            (StatusCode::OK, Some("done"), Some("verifying")),
            "{b}: {r}"
        );
        let (st, r) = call(&s, "POST", "/nonconformities/NC-1/close", &lead, None).await;
        assert_eq!(
            (st, r["status"].as_str()),
            (StatusCode::OK, Some("closed")),
            "{b}: {r}"
        );
        let (_, list) = call(
            &s,
            "GET",
            "/nonconformities?status=closed&per_page=10",
            &viewer,
            None,
        )
        .await;
        assert_eq!(list["total"], 1, "{b}");

        let (_, doc) = call(&s, "GET", "/openapi.json", &viewer, None).await;
        for p in [
            "/incidents",
            "/incidents/{key}/transitions",
            "/incidents/{key}/rca",
            "/nonconformities/{key}/checks",
            "/nonconformities/{key}/actions",
        ] {
            assert!(
                doc["paths"][p].is_object(),
                "{b}: {p} missing from the OpenAPI document"
            );
        }
    }
}
