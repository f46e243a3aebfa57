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

mod pages {
    use reqwest::StatusCode;

    use crate::harness::{backends, start_demo};
    use crate::pages::{csrf, element, get, location, login, post};

    #[tokio::test]
    async fn the_pages_work_an_incident_to_closed_and_close_a_nonconformity() {
        for b in backends() {
            let s = start_demo(b).await;
            let grace = login(&s, "grace").await;
            let (st, html) = get(&grace, &s, "/incidents").await;
            assert_eq!(st, StatusCode::OK, "{b}");
            for label in ["Reported", "Investigating", "Contained", "Closed"] {
                assert!(
                    html.contains(&format!("<td>{label}</td>")),
                    "{b}: an incident {label}"
                );
            }
            assert!(
                html.contains("12 days left"),
                "{b}: the serious incident's badge"
            );
            let (st, html) = get(&grace, &s, "/incidents?severity=1").await;
            assert_eq!(st, StatusCode::OK, "{b}");
            assert!(
                html.contains("INC-2") && !html.contains("INC-4"),
                "{b}: filtered by severity"
            );
            let (st, html) = get(&grace, &s, "/incidents?status=gone").await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            assert!(html.contains("id=\"f-status-err\""), "{b}");
            let (_, html) = get(&grace, &s, "/incidents/INC-2").await;
            assert!(element(&html, "countdown").contains("12 days left"), "{b}");
            assert!(html.contains("Raise a nonconformity"), "{b}");

            // Report: errors beside the fields, then a good one.
            let (_, html) = get(&grace, &s, "/incidents/new").await;
            let token = csrf(&html);
            let mut form = vec![
                ("csrf", token.as_str()),
                ("title", "Chatbot leaked an address"),
                ("description", "Shown to another customer"),
                ("source", "user_report"),
                ("incident_type", "privacy"),
                ("severity", "2"),
                ("systems", "SYS-99"),
                ("occurred_at", "2026-03-01"),
                ("detected_at", ""),
                ("owner", "alan"),
                ("serious_basis", ""),
                ("reported_to_authority_at", ""),
            ];
            let res = post(&grace, &s, "/incidents", &form).await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            let html = res.text().await.unwrap_or_default();
            assert!(html.contains("id=\"f-systems-err\""), "{b}: {html}");
            assert!(
                html.contains("value=\"Chatbot leaked an address\""),
                "{b}: values kept"
            );
            form[6] = ("systems", "SYS-3");
            let res = post(&grace, &s, "/incidents", &form).await;
            assert_eq!(
                (res.status(), location(&res)),
                (StatusCode::SEE_OTHER, "/incidents/INC-6".to_string()),
                "{b}"
            );

            let (_, html) = get(&grace, &s, "/incidents/INC-6").await;
            let token = csrf(&html);
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/move",
                &[("csrf", &token), ("note", ""), ("to", "resolved")],
            )
            .await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            let html = res.text().await.unwrap_or_default();
            assert!(
                html.contains("id=\"f-note-err\""),
                "{b}: the skip needs a note"
            );
            for to in ["triaged", "investigating", "contained"] {
                let res = post(
                    &grace,
                    &s,
                    "/incidents/INC-6/move",
                    &[("csrf", &token), ("note", ""), ("to", to)],
                )
                .await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}: {to}");
            }
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/note",
                &[("csrf", &token), ("text", "Address removed from the index")],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/rca",
                &[
                    ("csrf", &token),
                    ("whys", "Retrieval returned another customer's ticket"),
                    ("whys", "Tickets were not filtered by customer"),
                    ("whys", ""),
                    ("whys", ""),
                    ("whys", ""),
                    ("category", "technology"),
                    ("lessons_learned", ""),
                ],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/move",
                &[("csrf", &token), ("note", ""), ("to", "resolved")],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/move",
                &[("csrf", &token), ("note", ""), ("to", "closed")],
            )
            .await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            assert!(
                res.text()
                    .await
                    .unwrap_or_default()
                    .contains("id=\"f-lessons_learned-err\""),
                "{b}"
            );
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/rca",
                &[
                    ("csrf", &token),
                    ("whys", "Retrieval returned another customer's ticket"),
                    ("category", "technology"),
                    (
                        "lessons_learned",
                        "Filter retrieval by the signed-in customer",
                    ),
                ],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let res = post(
                &grace,
                &s,
                "/incidents/INC-6/move",
                &[("csrf", &token), ("note", ""), ("to", "closed")],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let (_, html) = get(&grace, &s, "/incidents/INC-6").await;
            assert_eq!(element(&html, "status"), "Closed", "{b}");
            assert!(
                element(&html, "timeline").contains("Address removed from the index"),
                "{b}"
            );

            // The nonconformity awaiting its check: verify, then close.
            let (_, html) = get(&grace, &s, "/nonconformities/NC-1").await;
            assert!(
                element(&html, "corrective-actions").contains("Awaiting an effective check"),
                "{b}"
            );
            let token = csrf(&html);
            let act = s
                .app
                .nc_get(&aims_app::Actor::system(), "NC-1")
                .await
                .map(|n| n.actions[0].clone())
                .unwrap_or_default();
            let res = post(
                &grace,
                &s,
                "/nonconformities/NC-1/close",
                &[("csrf", &token)],
            )
            .await;
            assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            assert!(
                res.text()
                    .await
                    .unwrap_or_default()
                    .contains("id=\"f-status-err\""),
                "{b}"
            );
            let res = post(
                &grace,
                &s,
                "/nonconformities/NC-1/checks",
                &[
                    ("csrf", &token),
                    ("action", &act),
                    ("result", "effective"),
                    ("note", "Checklist used twice"),
                    ("checked_at", ""),
                ],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let res = post(
                &grace,
                &s,
                "/nonconformities/NC-1/close",
                &[("csrf", &token)],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
            let (_, html) = get(&grace, &s, "/nonconformities?status=closed").await;
            assert!(html.contains("NC-1") && html.contains("NC-2"), "{b}");

            // A raise from an incident is prefilled; the dashboard has its tiles; a viewer sees no buttons.
            let (_, html) = get(&grace, &s, "/nonconformities/new?source_ref=INC-2").await;
            assert!(html.contains("value=\"INC-2\""), "{b}");
            let (_, html) = get(&grace, &s, "/").await;
            assert!(element(&html, "tile-serious").contains("INC-2"), "{b}");
            assert!(
                html.contains("id=\"tile-incidents\"") && html.contains("id=\"tile-ncs\""),
                "{b}"
            );
            let vera = login(&s, "vera").await;
            let (st, html) = get(&vera, &s, "/incidents/INC-2").await;
            assert_eq!(st, StatusCode::OK, "{b}");
            assert!(
                !html.contains("Report an incident") && !html.contains("/incidents/INC-2/move"),
                "{b}"
            );
        }
    }
}
