//! Roadmap actions, the roadmap, certification bodies, briefings and the journey through the
//! JSON API and the pages, on the demo organisation.

use aims_core::Role;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::harness::{backends, seq, start, start_demo, TestServer};
use crate::pages::{csrf, element, get, location, login, post};

async fn call(
    s: &TestServer,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Client::new()
        .request(method, s.url(&format!("/api/v1{path}")))
        .bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn field(p: &Value) -> &str {
    p["errors"][0]["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn the_api_plans_actions_and_reports_the_roadmap() {
    use reqwest::Method;
    for b in backends() {
        let s = start(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let viewer = s.token(Role::Viewer).await;
        let (st, a1) = call(
            &s,
            &lead,
            Method::POST,
            "/actions",
            Some(
                json!({"title": "Write the AI policy", "owner": "root", "start_date": "2020-01-06",
                "due_date": "2020-02-28", "effort": 5, "gap": "maturity:none",
                "requirements": ["ISO42001:5.2"]}),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{b}: {a1}");
        assert_eq!(a1["key"], "ACT-1", "{b}");
        assert_eq!(a1["status"], "planned", "{b}");
        let (st, a2) = call(
            &s,
            &lead,
            Method::POST,
            "/actions",
            Some(
                json!({"title": "Train staff", "owner": "root", "due_date": "2099-03-01",
                "effort": 8, "depends_on": ["act-1"]}),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::CREATED, "{b}: {a2}");
        assert_eq!(a2["depends_on"], json!(["ACT-1"]), "{b}");

        // Bad input: 422 naming the field, nothing written.
        let before = seq(&s).await;
        let cases = [
            (
                json!({"title": "x", "owner": "root", "due_date": "2099-01-01", "effort": 0}),
                "effort",
            ),
            (
                json!({"title": "x", "owner": "root", "effort": 1}),
                "due_date",
            ),
            (
                json!({"title": "x", "owner": "root", "due_date": "2099-01-01", "effort": 1, "depends_on": ["ACT-9"]}),
                "depends_on[0]",
            ),
            (
                json!({"title": "x", "owner": "root", "due_date": "2099-01-01", "effort": 1, "colour": "red"}),
                "colour",
            ),
            (
                json!({"title": "x", "owner": "root", "due_date": "2099-01-01", "effort": "many"}),
                "effort",
            ),
        ];
        for (body, name) in cases {
            let (st, p) = call(&s, &lead, Method::POST, "/actions", Some(body.clone())).await;
            assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {body} → {p}");
            assert_eq!(field(&p), name, "{b}: {p}");
        }
        let (st, p) = call(
            &s,
            &lead,
            Method::PATCH,
            "/actions/ACT-2",
            Some(json!({"status": "done"})),
        )
        .await;
        assert_eq!(
            (st, field(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, "status"),
            "{b}: {p}"
        );
        let (st, p) = call(
            &s,
            &lead,
            Method::PATCH,
            "/actions/ACT-1",
            Some(json!({"depends_on": ["ACT-2"]})),
        )
        .await;
        assert_eq!(
            (st, field(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, "depends_on[0]"),
            "{b}: {p}"
        );
        let (st, _) = call(&s, &lead, Method::GET, "/actions/ACT-77", None).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{b}");
        let (st, _) = call(
            &s,
            &viewer,
            Method::PATCH,
            "/actions/ACT-1",
            Some(json!({"status": "done"})),
        )
        .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{b}");
        assert_eq!(seq(&s).await, before, "{b}: refused calls wrote");

        let (st, list) = call(&s, &viewer, Method::GET, "/actions?overdue=true", None).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{b}: {list}");
        assert_eq!(list[0]["key"], "ACT-1", "{b}");
        let (st, p) = call(&s, &viewer, Method::GET, "/actions?status=finished", None).await;
        assert_eq!(
            (st, field(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, "status"),
            "{b}"
        );
        let (st, a) = call(
            &s,
            &lead,
            Method::PATCH,
            "/actions/act-1",
            Some(json!({"status": "done"})),
        )
        .await;
        assert_eq!(
            (st, a["status"].as_str()),
            (StatusCode::OK, Some("done")),
            "{b}"
        );

        let (st, r) = call(&s, &viewer, Method::GET, "/roadmap", None).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(
            r["progress"]["done"],
            json!({"count": 1, "effort": 5}),
            "{b}: {r}"
        );
        assert_eq!(
            r["progress"]["total"],
            json!({"count": 2, "effort": 13}),
            "{b}"
        );
        assert_eq!(r["overdue"], json!([]), "{b}");
        assert_eq!(r["actions"].as_array().map(Vec::len), Some(2), "{b}");

        // Certification bodies: one selected at most.
        for name in ["Alpha Assurance", "Beta Certification"] {
            let (st, _) = call(
                &s,
                &lead,
                Method::POST,
                "/certification-bodies",
                Some(json!({"name": name, "sectors": ["Finance"]})),
            )
            .await;
            assert_eq!(st, StatusCode::CREATED, "{b}");
        }
        let (st, cb) = call(
            &s,
            &lead,
            Method::PATCH,
            "/certification-bodies/CB-2",
            Some(json!({"status": "selected"})),
        )
        .await;
        assert_eq!(
            (st, cb["status"].as_str()),
            (StatusCode::OK, Some("selected")),
            "{b}"
        );
        let (st, p) = call(
            &s,
            &lead,
            Method::PATCH,
            "/certification-bodies/CB-1",
            Some(json!({"status": "selected"})),
        )
        .await;
        assert_eq!(
            (st, field(&p)),
            (StatusCode::CONFLICT, "status"),
            "{b}: {p}"
        );
        let (st, p) = call(
            &s,
            &lead,
            Method::POST,
            "/certification-bodies",
            Some(json!({"name": "Alpha Assurance"})),
        )
        .await;
        assert_eq!((st, field(&p)), (StatusCode::CONFLICT, "name"), "{b}: {p}");
        let (st, list) = call(&s, &viewer, Method::GET, "/certification-bodies", None).await;
        assert_eq!(
            (st, list[0]["sectors"].clone()),
            (StatusCode::OK, json!(["Finance"])),
            "{b}"
        );
        let (st, _) = call(&s, &viewer, Method::GET, "/certification-bodies/CB-9", None).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{b}");

        // Briefings and the journey.
        let (st, brf) = call(
            &s,
            &lead,
            Method::POST,
            "/briefings",
            Some(json!({"kind": "business_case", "audience": "Board", "summary": "Why certify"})),
        )
        .await;
        assert_eq!(
            (st, brf["key"].as_str()),
            (StatusCode::CREATED, Some("BRF-1")),
            "{b}: {brf}"
        );
        let (st, p) = call(
            &s,
            &lead,
            Method::POST,
            "/briefings",
            Some(json!({"kind": "memo", "audience": "Board", "summary": "x"})),
        )
        .await;
        assert_eq!(
            (st, field(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, "kind"),
            "{b}"
        );
        let (st, list) = call(
            &s,
            &viewer,
            Method::GET,
            "/briefings?kind=business_case",
            None,
        )
        .await;
        assert_eq!(
            (st, list.as_array().map(Vec::len)),
            (StatusCode::OK, Some(1)),
            "{b}"
        );
        let (st, j) = call(&s, &viewer, Method::GET, "/journey", None).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        let statuses: Vec<&str> = j["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|st| st["status"].as_str())
            .collect();
        assert_eq!(
            statuses,
            vec![
                "not_started",
                "not_started",
                "not_started",
                "not_started",
                "done",
                "done",
                "done",
                "not_started"
            ],
            "{b}: {j}"
        );
        assert_eq!(j["steps"][4]["href"], "/roadmap", "{b}");
    }
}

#[tokio::test]
async fn roadmap_pages_show_the_demo_plan_and_take_actions() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/roadmap").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("href=\"/roadmap\" aria-current=\"page\""),
            "{b}: navigation"
        );
        assert!(html.contains("href=\"/journey\""), "{b}: navigation");
        assert!(
            html.contains("<strong>3 of 10</strong> actions done"),
            "{b}"
        );
        assert!(
            html.contains("<strong>24 of 66</strong> person-days done"),
            "{b}"
        );
        assert!(html.contains("<svg id=\"gantt\""), "{b}: the Gantt chart");
        assert!(
            html.contains("<title id=\"gantt-title\">"),
            "{b}: accessible title"
        );
        assert_eq!(
            html.matches("<g class=\"gantt-row\">").count(),
            10,
            "{b}: one bar per action (two are corrective actions of the demo nonconformities)"
        );
        assert_eq!(
            html.matches("marker-end=\"url(#arrow)\"").count(),
            7,
            "{b}: dependency arrows"
        );
        assert!(html.contains("id=\"gantt-today\""), "{b}: today line");
        assert!(
            html.contains("<a href=\"/actions/ACT-7\"><text"),
            "{b}: labels link"
        );
        assert_eq!(
            html.matches("stroke=\"#a4161a\" stroke-width=\"3\"")
                .count(),
            1,
            "{b}: one overdue bar"
        );
        assert!(
            html.contains("<a class=\"key\" href=\"/actions/ACT-4\">ACT-4</a> Train model owners"),
            "{b}: overdue list"
        );

        // The list with its filters in the address.
        let (status, html) = get(&grace, &s, "/actions?status=done").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("3 actions."), "{b}");
        let (_, html) = get(&grace, &s, "/actions?overdue=true").await;
        assert!(
            html.contains("1 actions.") && html.contains("/actions/ACT-4"),
            "{b}"
        );
        let (status, html) = get(&grace, &s, "/actions?status=finished").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(html.contains("id=\"f-status-err\""), "{b}");

        // A bad form comes back with the errors beside the fields; a good one is added.
        let (_, html) = get(&grace, &s, "/actions/new").await;
        let token = csrf(&html);
        let res = post(
            &grace,
            &s,
            "/actions",
            &[
                ("csrf", &token),
                ("title", "Red-team the assistant"),
                ("owner", "alan"),
                ("start_date", "2099-02-01"),
                ("due_date", "2099-01-01"),
                ("status", "planned"),
                ("effort", "4"),
                ("depends_on", "ACT-99"),
                ("gap", ""),
                ("requirements", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("id=\"f-due_date-err\""), "{b}: {html}");
        assert!(
            html.contains("id=\"f-depends_on-err\""),
            "{b}: every error at once"
        );
        assert!(
            html.contains("value=\"Red-team the assistant\""),
            "{b}: values kept"
        );
        let res = post(
            &grace,
            &s,
            "/actions",
            &[
                ("csrf", &token),
                ("title", "Red-team the assistant"),
                ("owner", "alan"),
                ("start_date", "2099-01-01"),
                ("due_date", "2099-02-01"),
                ("status", "planned"),
                ("effort", "4"),
                ("depends_on", "ACT-99"),
                ("gap", ""),
                ("requirements", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("id=\"f-depends_on-err\""), "{b}: {html}");
        assert!(html.contains("entry 1: no action ACT-99"), "{b}");
        let res = post(
            &grace,
            &s,
            "/actions",
            &[
                ("csrf", &token),
                ("title", "Red-team the assistant"),
                ("owner", "alan"),
                ("start_date", "2099-01-01"),
                ("due_date", "2099-02-01"),
                ("status", "planned"),
                ("effort", "a lot"),
                ("depends_on", ""),
                ("gap", ""),
                ("requirements", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            res.text()
                .await
                .unwrap_or_default()
                .contains("id=\"f-effort-err\""),
            "{b}"
        );
        let res = post(
            &grace,
            &s,
            "/actions",
            &[
                ("csrf", &token),
                ("title", "Red-team the assistant"),
                ("owner", "alan"),
                ("start_date", "2099-01-01"),
                ("due_date", "2099-02-01"),
                ("status", "planned"),
                ("effort", "4"),
                ("depends_on", "ACT-3"),
                ("gap", ""),
                ("requirements", "ISO42001:A.6.2.4"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/actions/ACT-11", "{b}");
        let (status, html) = get(&grace, &s, "/actions/ACT-11").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("<a class=\"key\" href=\"/actions/ACT-3\">ACT-3</a>"),
            "{b}"
        );
        let (status, html) = get(&grace, &s, "/actions/ACT-11/edit").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("value=\"ACT-3\""), "{b}");

        // A contributor moves the status of their own action, and cannot add one.
        let alan = login(&s, "alan").await;
        let (_, html) = get(&alan, &s, "/actions/ACT-11").await;
        assert!(
            !html.contains("/actions/ACT-11/edit"),
            "{b}: no edit for contributors"
        );
        let token = csrf(&html);
        let res = post(
            &alan,
            &s,
            "/actions/ACT-11/status",
            &[("csrf", &token), ("status", "done")],
        )
        .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{b}: ACT-3 is not done"
        );
        let res = post(
            &alan,
            &s,
            "/actions/ACT-11/status",
            &[("csrf", &token), ("status", "in_progress")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let res = post(
            &alan,
            &s,
            "/actions/ACT-1/status",
            &[("csrf", &token), ("status", "planned")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: not alan's");
        let res = post(&alan, &s, "/actions", &[("csrf", &token), ("title", "x")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}");
        let res = post(
            &grace,
            &s,
            "/actions/ACT-11/status",
            &[("csrf", "forged"), ("status", "planned")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{b}: CSRF");
    }
}

#[tokio::test]
async fn journey_and_certification_body_pages() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/journey").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(
            html.matches("<li class=\"card\" id=\"step-").count(),
            8,
            "{b}"
        );
        assert!(
            html.contains("<a href=\"/roadmap\">Plan the roadmap</a>"),
            "{b}"
        );
        assert!(html.contains("<code>aims certbody list</code>"), "{b}");
        assert!(
            html.contains("2 certification bodies considered, none selected"),
            "{b}"
        );
        assert!(html.contains("no leadership briefing recorded"), "{b}");
        assert!(
            html.contains("id=\"BRF-1\""),
            "{b}: the business case is listed"
        );

        let token = csrf(&html);
        let res = post(
            &grace,
            &s,
            "/journey/briefings",
            &[
                ("csrf", &token),
                ("kind", ""),
                ("date", "2099-01-01"),
                ("audience", ""),
                ("summary", ""),
                ("decisions", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        for f in ["kind", "date", "audience", "summary"] {
            assert!(html.contains(&format!("id=\"f-{f}-err\"")), "{b}: {f}");
        }
        let today = aims_app::actions::today().to_string();
        let res = post(
            &grace,
            &s,
            "/journey/briefings",
            &[
                ("csrf", &token),
                ("kind", "leadership_briefing"),
                ("date", &today),
                ("audience", "Executive committee"),
                ("summary", "The roadmap to stage 1"),
                ("decisions", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/journey#BRF-2", "{b}");
        let (_, html) = get(&grace, &s, "/journey").await;
        assert!(html.contains("after the latest roadmap change"), "{b}");

        let (status, html) = get(&grace, &s, "/certification-bodies").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("Meridian Assurance Services")
                && html.contains("Northgate Certification Ltd"),
            "{b}"
        );
        let token = csrf(&html);
        let res = post(
            &grace,
            &s,
            "/certification-bodies/CB-2",
            &[
                ("csrf", &token),
                ("name", "Northgate Certification Ltd"),
                ("accreditation", "ISO/IEC 42006"),
                ("sectors", "Finance, Health"),
                ("ai_experience", ""),
                ("notes", "Best offer"),
                ("status", "selected"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let res = post(
            &grace,
            &s,
            "/certification-bodies/CB-1",
            &[
                ("csrf", &token),
                ("name", "Meridian Assurance Services"),
                ("status", "selected"),
            ],
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
            "/certification-bodies",
            &[("csrf", &token), ("name", "")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let (_, html) = get(&grace, &s, "/certification-bodies/CB-2").await;
        assert!(
            html.contains("Finance, Health") && html.contains("Best offer"),
            "{b}"
        );
        let (_, html) = get(&grace, &s, "/journey").await;
        assert!(html.contains("CB-2 is selected"), "{b}");

        let vera = login(&s, "vera").await;
        let (status, html) = get(&vera, &s, "/certification-bodies").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            !html.contains("Add a certification body"),
            "{b}: viewers do not add"
        );
    }
}

fn fields(p: &Value) -> Vec<&str> {
    p["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect()
}

/// The API and the form report the form's own errors and the references (owner, dependencies,
/// gap, requirements) in one pass, in the order of the form; nothing is written.
#[tokio::test]
async fn actions_report_every_error_at_once() {
    use reqwest::Method;
    for b in backends() {
        let s = start_demo(b).await;
        let lead = s.token(Role::GovernanceLead).await;
        let before = seq(&s).await;
        let (st, p) = call(
            &s,
            &lead,
            Method::POST,
            "/actions",
            Some(json!({"title": "x", "owner": "nobody", "due_date": "2027-01-01"})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {p}");
        assert_eq!(fields(&p), vec!["owner", "effort"], "{b}: {p}");
        assert_eq!(
            p["errors"][0]["reason"], "no user named 'nobody'",
            "{b}: {p}"
        );
        let (st, p) = call(
            &s,
            &lead,
            Method::POST,
            "/actions",
            Some(
                json!({"title": "x", "owner": "nobody", "start_date": "2027-02-01",
                "due_date": "2027-01-01", "depends_on": ["ACT-1", "ACT-99"],
                "gap": "soa:A.99", "requirements": ["ISO42001:6.1.2", "ISO42001:99.9"]}),
            ),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {p}");
        assert_eq!(
            fields(&p),
            vec![
                "owner",
                "due_date",
                "effort",
                "depends_on[1]",
                "gap",
                "requirements[1]"
            ],
            "{b}: {p}"
        );
        let (st, p) = call(
            &s,
            &lead,
            Method::PATCH,
            "/actions/ACT-1",
            Some(json!({"owner": "nobody", "effort": 0, "depends_on": ["ACT-3", "ACT-98"]})),
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {p}");
        assert_eq!(
            fields(&p),
            vec!["owner", "effort", "depends_on[0]", "depends_on[1]"],
            "{b}: {p}"
        );
        assert_eq!(seq(&s).await, before, "{b}: refused calls wrote");

        // The form shows every error beside its field at once, values kept.
        let grace = login(&s, "grace").await;
        let (_, html) = get(&grace, &s, "/actions/new").await;
        let token = csrf(&html);
        let res = post(
            &grace,
            &s,
            "/actions",
            &[
                ("csrf", &token),
                ("title", "Red-team the assistant"),
                ("owner", "nobody"),
                ("start_date", "2099-02-01"),
                ("due_date", "2099-01-01"),
                ("status", "planned"),
                ("effort", ""),
                ("depends_on", "ACT-1, ACT-99"),
                ("gap", "soa:A.99"),
                ("requirements", "ISO42001:99.9"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        for f in [
            "owner",
            "due_date",
            "effort",
            "depends_on",
            "gap",
            "requirements",
        ] {
            assert!(html.contains(&format!("id=\"f-{f}-err\"")), "{b}: {f}");
        }
        assert!(html.contains("no user named"), "{b}");
        assert!(html.contains("entry 2: no action ACT-99"), "{b}");
        assert!(html.contains("value=\"soa:A.99\""), "{b}: values kept");
        assert_eq!(seq(&s).await, before, "{b}: refused forms wrote");
    }
}

/// Each gap lists its actions (API and page); a gap without one links to the form of a new
/// action, which comes prefilled; the CSV carries the keys.
#[tokio::test]
async fn gaps_become_actions() {
    use reqwest::Method;
    for b in backends() {
        let s = start_demo(b).await;
        let viewer = s.token(Role::Viewer).await;
        let (st, r) = call(&s, &viewer, Method::GET, "/gaps", None).await;
        assert_eq!(st, StatusCode::OK, "{b}");
        let linked: Vec<(String, Value)> = r["gaps"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| g["actions"] != json!([]))
            .map(|g| {
                (
                    g["id"].as_str().unwrap_or_default().to_owned(),
                    g["actions"].clone(),
                )
            })
            .collect();
        assert_eq!(
            linked,
            vec![
                ("maturity:6.1.4".to_owned(), json!(["ACT-2"])),
                ("maturity:6.1.2".to_owned(), json!(["ACT-1"])),
                ("soa:A.8.2".to_owned(), json!(["ACT-6"])),
                ("soa:A.10.3".to_owned(), json!(["ACT-5"])),
                ("maturity:7.2".to_owned(), json!(["ACT-4"])),
                ("maturity:9.1".to_owned(), json!(["ACT-3"])),
            ],
            "{b}"
        );
        assert_eq!(r["gaps"][1]["id"], "maturity:8.3", "{b}");
        assert_eq!(r["gaps"][1]["actions"], json!([]), "{b}");

        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/gaps").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let row = element(&html, "gap-maturity:6.1.4");
        assert!(
            row.contains("<a class=\"key\" href=\"/actions/ACT-2\">ACT-2</a>"),
            "{b}: {row}"
        );
        assert!(!row.contains("Plan an action"), "{b}: {row}");
        let row = element(&html, "gap-maturity:8.3");
        assert!(
            row.contains("<a href=\"/actions/new?gap=maturity%3A8.3\" aria-label=\"Plan an action for maturity:8.3\">Plan an action</a>"),
            "{b}: {row}"
        );
        assert_eq!(html.matches(">Plan an action</a>").count(), 66 - 6, "{b}");

        // The prefilled form.
        let (status, html) = get(&grace, &s, "/actions/new?gap=maturity%3A8.3").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("value=\"Close 8.3: AI risk treatment (implemented)\""),
            "{b}: title"
        );
        assert!(html.contains("value=\"maturity:8.3\""), "{b}: gap");
        assert!(
            html.contains(">ISO42001:8.3</textarea>"),
            "{b}: requirement"
        );
        assert!(html.contains("value=\"grace\" selected"), "{b}: owner");
        let token = csrf(&html);
        let res = post(
            &grace,
            &s,
            "/actions",
            &[
                ("csrf", &token),
                ("title", "Close 8.3: AI risk treatment (implemented)"),
                ("owner", "grace"),
                ("start_date", "2099-01-01"),
                ("due_date", "2099-02-01"),
                ("status", "planned"),
                ("effort", "5"),
                ("depends_on", ""),
                ("gap", "maturity:8.3"),
                ("requirements", "ISO42001:8.3"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/actions/ACT-11", "{b}");
        let (_, html) = get(&grace, &s, "/gaps").await;
        let row = element(&html, "gap-maturity:8.3");
        assert!(
            row.contains("href=\"/actions/ACT-11\">ACT-11</a>") && !row.contains("Plan an action"),
            "{b}: {row}"
        );
        let (_, csv) = get(&grace, &s, "/gaps/export.csv?severity=critical").await;
        assert!(
            csv.lines()
                .nth(2)
                .is_some_and(|l| l.starts_with("maturity:8.3,") && l.ends_with(",ACT-11")),
            "{b}: {csv}"
        );
        // A cancelled action no longer counts.
        let lead = s.token(Role::GovernanceLead).await;
        let (st, _) = call(
            &s,
            &lead,
            Method::PATCH,
            "/actions/ACT-11",
            Some(json!({"status": "cancelled"})),
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{b}");
        let (_, r) = call(&s, &viewer, Method::GET, "/gaps?severity=critical", None).await;
        assert_eq!(r["gaps"][1]["actions"], json!([]), "{b}: {r}");

        // A gap that is not in the analysis: the form says so beside the field.
        let (status, html) = get(&grace, &s, "/actions/new?gap=soa%3AA.99").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("id=\"f-gap-err\""), "{b}");
        assert!(html.contains("value=\"soa:A.99\""), "{b}");

        // A viewer sees the keys but is not offered to plan.
        let vera = login(&s, "vera").await;
        let (_, html) = get(&vera, &s, "/gaps").await;
        assert!(!html.contains("Plan an action"), "{b}");
        assert!(html.contains("href=\"/actions/ACT-2\">ACT-2</a>"), "{b}");
    }
}
