//! Impact assessments through the JSON API and the pages: refusals as problem details naming the
//! field, sign-off by a reviewer, versions, re-assessment due, the demo's pages, forms with their
//! errors beside the fields.

use aims_core::Role;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::harness::{backends, call, fields, start, start_demo};
use crate::pages::{csrf, element, get, location, login, post};

fn complete(system: &str) -> Value {
    let areas = [
        "fairness_and_discrimination",
        "privacy",
        "safety",
        "human_rights",
        "transparency_and_explainability",
        "accountability",
        "environment",
        "economic",
    ];
    let harms: serde_json::Map<String, Value> = areas
        .iter()
        .map(|a| {
            (
                (*a).to_owned(),
                json!({"description": format!("Harm to {a}"), "severity": 2, "likelihood": 3}),
            )
        })
        .collect();
    json!({
        "system": system,
        "intended_use": "Decision support",
        "foreseeable_misuse": "Automated decisions",
        "affected_groups": ["Applicants"],
        "harms": harms,
        "residual_assessment": "Acceptable"
    })
}

#[tokio::test]
async fn the_api_adds_refuses_signs_and_lists_assessments() {
    for b in backends() {
        let s = start(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let owner = s.token(Role::RiskOwner).await;
        let contributor = s.token(Role::Contributor).await;
        let viewer = s.token(Role::Viewer).await;
        let system = json!({"name": "Hiring", "purpose": "Ranks CVs", "owner": "root",
            "eu_class": "high_risk", "eu_rationale": "Annex III 4", "ai_roles": ["deployer"]});
        let (status, sys) = call(&s, "POST", "/systems", &lead, Some(system)).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {sys}");

        // Refusals name the field; nothing is written.
        let mut bad = complete("SYS-1");
        bad["harms"]["privacy"]["severity"] = json!(6);
        let (status, problem) = call(&s, "POST", "/impacts", &lead, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["harms[privacy].severity"], "{b}");
        let (status, problem) = call(&s, "POST", "/impacts", &lead, Some(complete("SYS-9"))).await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["system".to_owned()]),
            "{b}"
        );
        let mut bad = complete("SYS-1");
        bad["mitigations"] =
            json!([{"description": "Review", "risks": ["RSK-4"], "controls": ["CTL-2"]}]);
        let (status, problem) = call(&s, "POST", "/impacts", &lead, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(
            fields(&problem),
            vec!["mitigations[0].risks", "mitigations[0].controls"],
            "{b}"
        );
        let (status, _) = call(
            &s,
            "POST",
            "/impacts",
            &contributor,
            Some(complete("SYS-1")),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (status, problem) = call(
            &s,
            "POST",
            "/impacts",
            &lead,
            Some(json!({"system": "SYS-1", "colour": "red"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {problem}");
        let (_, listed) = call(&s, "GET", "/impacts", &viewer, None).await;
        assert_eq!(listed, json!([]), "{b}: nothing written");

        let (status, created) = call(&s, "POST", "/impacts", &lead, Some(complete("sys-1"))).await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {created}");
        assert_eq!(created["key"], "AIA-1", "{b}");
        assert_eq!(created["status"], "draft", "{b}");
        assert_eq!(created["fria_required"], true, "{b}");
        assert_eq!(created["harms"]["privacy"]["level"], "medium", "{b}: 3x2");

        // Self sign-off, then the missing FRIA, are refused naming the field.
        let (status, problem) =
            call(&s, "POST", "/impacts/AIA-1/sign", &lead, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&problem), vec!["author", "fria"], "{b}");
        let (status, problem) =
            call(&s, "POST", "/impacts/AIA-1/sign", &owner, Some(json!({}))).await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["fria".to_owned()]),
            "{b}"
        );
        let fria = json!({"fria": {"deployer_process": "Hiring", "period_and_frequency": "Daily",
            "persons_affected": "Candidates", "specific_risks": "Bias", "human_oversight": "Recruiters",
            "measures_if_materialised": "Suspend"}});
        let (status, patched) = call(&s, "PATCH", "/impacts/aia-1", &lead, Some(fria)).await;
        assert_eq!(status, StatusCode::OK, "{b}: {patched}");
        assert_eq!(patched["fria"]["persons_affected"], "Candidates", "{b}");
        let (status, problem) =
            call(&s, "POST", "/impacts/AIA-1/sign", &viewer, Some(json!({}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}: {problem}");
        let (status, signed) = call(
            &s,
            "POST",
            "/impacts/AIA-1/sign",
            &owner,
            Some(json!({"note": "Looks right"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}: {signed}");
        assert_eq!(signed["status"], "signed", "{b}");
        assert_eq!(signed["signed_by"], "u-risk-owner", "{b}");
        let (status, problem) = call(
            &s,
            "PATCH",
            "/impacts/AIA-1",
            &lead,
            Some(json!({"benefits": "x"})),
        )
        .await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::CONFLICT, vec!["status".to_owned()]),
            "{b}"
        );
        let (status, _) = call(&s, "GET", "/impacts/AIA-9", &viewer, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");

        // The system's stage changes: the signed assessment is due for re-assessment.
        let (status, _) = call(
            &s,
            "PATCH",
            "/systems/SYS-1",
            &lead,
            Some(json!({"stage": "deployed"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let (status, due) = call(
            &s,
            "GET",
            "/impacts?status=reassessment_due&system=SYS-1",
            &viewer,
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(due.as_array().map(Vec::len), Some(1), "{b}: {due}");
        assert_eq!(due[0]["key"], "AIA-1", "{b}");
        assert_eq!(
            due[0]["reassessment_reasons"][0], "stage: concept → deployed",
            "{b}"
        );
        let (status, problem) = call(&s, "GET", "/impacts?status=late", &viewer, None).await;
        assert_eq!(
            (status, fields(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["status".to_owned()]),
            "{b}"
        );

        // A new version starts from the old one; the detail lists both.
        let (status, v2) = call(
            &s,
            "POST",
            "/impacts",
            &owner,
            Some(json!({"system": "SYS-1"})),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{b}: {v2}");
        assert_eq!(
            (v2["key"].clone(), v2["version"].clone()),
            (json!("AIA-2"), json!(2))
        );
        assert_eq!(v2["fria"]["human_oversight"], "Recruiters", "{b}");
        let (status, detail) = call(&s, "GET", "/impacts/AIA-2", &viewer, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(detail["versions"].as_array().map(Vec::len), Some(2), "{b}");

        let (_, doc) = call(&s, "GET", "/openapi.json", &viewer, None).await;
        assert!(
            doc["paths"]["/impacts/{key}/sign"]["post"].is_object(),
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_pages_show_the_demo_assessments_and_their_forms() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/impacts").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains(">Impact</a>"), "{b}: nav entry");
        assert!(html.contains("Showing 1–3 of 3 assessments."), "{b}");
        assert!(html.contains("Re-assessment due"), "{b}");
        let (_, html) = get(&grace, &s, "/impacts?status=draft").await;
        assert!(
            html.contains("Showing 1–1 of 1 assessments.")
                && html.contains("href=\"/impacts/AIA-3\""),
            "{b}"
        );
        let (status, html) = get(&grace, &s, "/impacts?status=nope").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-status-err").contains("unknown value &#x27;nope&#x27;"),
            "{b}: {html}"
        );

        // The signed assessment with its FRIA, harms table and links.
        let (status, html) = get(&grace, &s, "/impacts/AIA-1").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("Consumer credit scoring"), "{b}");
        assert!(
            html.contains("<strong>Required:</strong>"),
            "{b}: FRIA required"
        );
        assert!(html.contains("Credit decisions on personal loans"), "{b}");
        assert!(
            html.contains("<tr id=\"harm-fairness_and_discrimination\">"),
            "{b}"
        );
        assert!(
            html.contains("class=\"level-high\">High</td>"),
            "{b}: 3x4 is high"
        );
        assert!(
            html.contains("href=\"/risks/RSK-1\""),
            "{b}: mitigation links its risk"
        );
        assert!(
            html.contains("href=\"/controls/CTL-"),
            "{b}: and its control"
        );
        assert!(
            !html.contains("action=\"/impacts/AIA-1/sign\""),
            "{b}: signed"
        );
        let (_, html) = get(&grace, &s, "/impacts/AIA-2").await;
        assert!(html.contains("Re-assessment due."), "{b}");
        assert!(html.contains("data categories:"), "{b}");

        // The draft: grace wrote it and may not sign it; the refusal names why.
        let (_, page) = get(&grace, &s, "/impacts/AIA-3").await;
        assert!(page.contains("action=\"/impacts/AIA-3/sign\""), "{b}");
        let res = post(&grace, &s, "/impacts/AIA-3/sign", &[("csrf", &csrf(&page))]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains("sign-off needs a reviewer other than its author"),
            "{b}"
        );
        assert!(html.contains("fria:"), "{b}: {html}");

        // The edit form: an out-of-scale severity is shown beside its harm row.
        let (status, form) = get(&grace, &s, "/impacts/AIA-3/edit").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            form.contains("Penalise career breaks") || form.contains("career breaks"),
            "{b}"
        );
        let token = csrf(&form);
        let res = post(
            &grace,
            &s,
            "/impacts/AIA-3",
            &[
                ("csrf", token.as_str()),
                ("intended_use", "Ranks applications"),
                ("harm_privacy_description", "CV data"),
                ("harm_privacy_severity", "9"),
                ("harm_privacy_likelihood", "2"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("id=\"f-harms_privacy-err\""), "{b}: {html}");
        assert!(html.contains("severity: 9 is outside the method"), "{b}");
        assert!(
            html.contains("AI system: <a class=\"key\" href=\"/systems/SYS-2\">SYS-2</a>"),
            "{b}: the refused draft keeps its system"
        );
        let res = post(
            &grace,
            &s,
            "/impacts/AIA-3",
            &[
                ("csrf", token.as_str()),
                ("intended_use", "Ranks applications"),
                ("harm_safety_description", "None expected"),
                ("harm_safety_severity", "1"),
                ("harm_safety_likelihood", "1"),
                ("mitigations", "Recruiters read every CV | RSK-2 | CTL-1"),
                ("fria_human_oversight", "Recruiters decide"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/impacts/AIA-3", "{b}");
        let (_, html) = get(&grace, &s, "/impacts/AIA-3").await;
        assert!(html.contains("Recruiters read every CV"), "{b}");
        assert!(html.contains("Recruiters decide"), "{b}");

        // A new version from the form, prefilled from the system's last one.
        let (status, form) = get(&grace, &s, "/impacts/new?system=SYS-1").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(form.contains("Supports credit officers"), "{b}: prefilled");
        let res = post(
            &grace,
            &s,
            "/impacts",
            &[
                ("csrf", csrf(&form).as_str()),
                ("system", "SYS-1"),
                ("intended_use", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("id=\"f-intended_use-err\""), "{b}");
        let res = post(
            &grace,
            &s,
            "/impacts",
            &[
                ("csrf", csrf(&form).as_str()),
                ("system", "SYS-1"),
                ("intended_use", "Credit decisions"),
            ],
        )
        .await;
        assert_eq!(location(&res), "/impacts/AIA-4", "{b}");

        // A viewer reads, and sees no forms.
        let vera = login(&s, "vera").await;
        let (status, html) = get(&vera, &s, "/impacts/AIA-4").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(!html.contains("/sign\""), "{b}");
        assert!(html.contains("Versions for SYS-1"), "{b}");
        let (_, html) = get(&vera, &s, "/systems/SYS-1").await;
        assert!(
            html.contains("href=\"/impacts?system=SYS-1\""),
            "{b}: linked from the system"
        );
    }
}
