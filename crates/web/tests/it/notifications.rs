//! Role dashboards, the notifications page and its header badge, the JSON API of both, and
//! e-mail addresses through the account page and the API.

use aims_core::Role;
use reqwest::StatusCode;

use crate::harness::{backends, call, fields, start_demo};
use crate::pages::{csrf, element, get, login, post};

fn clean(html: &str) -> bool {
    !html.contains("<script") && !html.contains("style=")
}

#[tokio::test]
async fn each_role_sees_its_dashboard() {
    for b in backends() {
        let s = start_demo(b).await;

        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(clean(&html), "{b}");
        assert!(
            element(&html, "dashboard-view").contains("Governance lead view"),
            "{b}"
        );
        assert!(html.contains("of 8 journey steps done"), "{b}");
        let overdue = element(&html, "tile-overdue");
        assert!(
            overdue.contains("Risk reviews") && overdue.contains("Monitoring runs"),
            "{b}: {overdue}"
        );
        assert!(
            element(&html, "top-risks").contains("href=\"/risks/RSK-"),
            "{b}"
        );
        assert!(html.contains("id=\"heat-residual\""), "{b}");
        let due = s
            .app
            .notification_count(&aims_app::Actor {
                username: "grace".into(),
                role: Role::GovernanceLead,
                via: aims_app::Via::Local,
            })
            .await
            .unwrap_or_default();
        assert!(due > 0, "{b}");
        assert_eq!(
            element(&html, "due-badge").split('<').next(),
            Some(format!("{due} due").as_str()),
            "{b}"
        );
        // The lead may look through the other views.
        let (status, html) = get(&grace, &s, "/?as=auditor").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("id=\"ledger-head\""), "{b}");

        let rosa = login(&s, "rosa").await;
        let (_, html) = get(&rosa, &s, "/").await;
        assert!(clean(&html), "{b}");
        assert!(element(&html, "my-risks").contains("RSK-4"), "{b}");
        assert!(element(&html, "my-reviews").contains("RSK-4"), "{b}");
        assert!(!html.contains("id=\"top-risks\""), "{b}");
        let (status, html) = get(&rosa, &s, "/?as=governance").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{b}");
        assert!(
            html.contains("cannot switch to the Governance lead dashboard"),
            "{b}"
        );

        let alan = login(&s, "alan").await;
        let (_, html) = get(&alan, &s, "/").await;
        let systems = element(&html, "my-systems");
        assert!(
            systems.contains("SYS-4") && systems.contains("weekly"),
            "{b}: {systems}"
        );
        assert!(systems.contains("overdue"), "{b}");
        assert!(
            systems.contains("no plan yet"),
            "{b}: alan's own systems have no plan"
        );

        let ida = login(&s, "ida").await;
        let (_, html) = get(&ida, &s, "/").await;
        let head = crate::harness::seq(&s).await;
        assert!(
            element(&html, "ledger-head").starts_with(&format!("event {head},")),
            "{b}"
        );
        assert!(
            element(&html, "incident-status").contains("Reported"),
            "{b}"
        );
        assert!(element(&html, "due-badge").starts_with("0 due"), "{b}");

        let vera = login(&s, "vera").await;
        let (_, html) = get(&vera, &s, "/").await;
        assert!(clean(&html), "{b}");
        assert!(html.contains("Active AI systems 12"), "{b}");
        assert!(html.contains("Records by area"), "{b}");
        assert_eq!(
            html.matches("<svg role=\"img\"").count(),
            2,
            "{b}: readiness and areas"
        );
    }
}

#[tokio::test]
async fn the_notifications_page_lists_what_is_due() {
    for b in backends() {
        let s = start_demo(b).await;
        let rosa = login(&s, "rosa").await;
        let (status, html) = get(&rosa, &s, "/notifications").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let table = element(&html, "notifications");
        assert!(
            table.contains("href=\"/risks/RSK-4\">RSK-4</a>"),
            "{b}: {table}"
        );
        assert!(
            table.contains("Risk review") && table.contains("tag-bad"),
            "{b}"
        );
        assert!(
            table.contains("href=\"/systems/SYS-4/monitoring\">SYS-4</a>"),
            "{b}"
        );
        let ida = login(&s, "ida").await;
        let (_, html) = get(&ida, &s, "/notifications").await;
        assert!(html.contains("id=\"no-notifications\""), "{b}");
    }
}

#[tokio::test]
async fn the_api_gives_notifications_and_dashboards() {
    for b in backends() {
        let s = start_demo(b).await;
        let rosa = s.token_as("rosa", Role::RiskOwner).await;
        let (status, body) = call(&s, "GET", "/notifications", &rosa, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(body["username"], "rosa", "{b}");
        let rsk = body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["key"] == "RSK-4")
            .cloned()
            .unwrap_or_default();
        assert_eq!(rsk["area"], "risk_review", "{b}");
        assert_eq!(rsk["overdue"], true, "{b}");
        assert_eq!(rsk["link"], "/risks/RSK-4", "{b}");
        let (status, body) = call(&s, "GET", "/notifications?user=nobody", &rosa, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&body), vec!["user"], "{b}");

        let (status, body) = call(&s, "GET", "/dashboard", &rosa, None).await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(body["view"], "risk_owner", "{b}");
        assert!(
            body["risk_owner"]["risks_total"]
                .as_i64()
                .is_some_and(|n| n > 0),
            "{b}"
        );
        assert!(body.get("governance").is_none(), "{b}");
        let (status, body) = call(&s, "GET", "/dashboard?as=governance", &rosa, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&body), vec!["as"], "{b}");

        let grace = s.token_as("grace", Role::GovernanceLead).await;
        let (_, body) = call(&s, "GET", "/dashboard", &grace, None).await;
        assert_eq!(body["view"], "governance", "{b}");
        assert_eq!(body["governance"]["readiness"]["steps"], 8, "{b}");
        assert_eq!(body["governance"]["systems_total"], 12, "{b}");

        // E-mail addresses: validated, self-service, admins for anyone.
        let (status, body) = call(
            &s,
            "PATCH",
            "/users/rosa",
            &rosa,
            Some(serde_json::json!({"email": "rosa@"})),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&body), vec!["email"], "{b}");
        let (status, body) = call(
            &s,
            "PATCH",
            "/users/rosa",
            &rosa,
            Some(serde_json::json!({"email": "rosa@example.org"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(body["email"], "rosa@example.org", "{b}");
        let (status, _) = call(
            &s,
            "PATCH",
            "/users/grace",
            &rosa,
            Some(serde_json::json!({"email": "g@example.org"})),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{b}");
        let (_, doc) = call(&s, "GET", "/openapi.json", &rosa, None).await;
        assert!(doc["paths"]["/notifications"]["get"].is_object(), "{b}");
        assert!(doc["paths"]["/dashboard"]["get"].is_object(), "{b}");
    }
}

#[tokio::test]
async fn the_account_page_sets_an_email_address() {
    for b in backends() {
        let s = start_demo(b).await;
        let rosa = login(&s, "rosa").await;
        let (_, html) = get(&rosa, &s, "/account").await;
        let token = csrf(&html);
        let res = post(
            &rosa,
            &s,
            "/account/email",
            &[("csrf", &token), ("email", "not-an-address")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        let field = element(&html, "email-h");
        assert!(field.contains("E-mail for notifications"), "{b}");
        assert!(
            html.contains("must be an address like name@example.org"),
            "{b}"
        );
        assert!(
            html.contains("id=\"f-email\" name=\"email\" value=\"not-an-address\""),
            "{b}"
        );
        let res = post(
            &rosa,
            &s,
            "/account/email",
            &[("csrf", &token), ("email", "rosa@example.org")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let (_, html) = get(&rosa, &s, "/account").await;
        assert!(html.contains("value=\"rosa@example.org\""), "{b}");

        let admin = login(&s, "admin").await;
        let (_, html) = get(&admin, &s, "/users").await;
        assert!(html.contains("<td>rosa@example.org</td>"), "{b}");
    }
}
