//! The incident, nonconformity, control and action lists as pages and through the API: sort,
//! filters and pages kept in the address, every link keeping the other parameters, bad
//! parameters named beside their field (422), and the API taking the same parameters.

use aims_app::incidents::MoveInput;
use aims_app::Actor;
use aims_core::action::ActionInput;
use aims_core::control::ControlInput;
use aims_core::incident::IncidentInput;
use aims_core::inventory::SystemInput;
use aims_core::nonconformity::NcInput;
use aims_core::Role;
use reqwest::{Client, StatusCode};
use serde_json::Value;

use crate::harness::{backends, call, counted, fields, start, TestServer, ROOT_PASSWORD};
use crate::pages::{element, get, location};

pub(crate) fn root() -> Actor {
    Actor {
        username: "root".into(),
        role: Role::Admin,
        via: aims_app::Via::Local,
    }
}

pub(crate) async fn signed_in(s: &TestServer) -> Client {
    let b = s.browser();
    let res = b
        .post(s.url("/login"))
        .form(&[
            ("username", "root"),
            ("password", ROOT_PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("login: {e}"));
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    b
}

pub(crate) fn done<T>(r: Result<T, aims_app::AppError>) -> T {
    r.unwrap_or_else(|e| panic!("seed: {e}"))
}

/// Six incidents (severities 3, 1, 2, 4, 2, 3), three nonconformities, three controls and
/// three actions, through the services.
async fn seed(s: &TestServer) {
    let app = &s.app;
    let system = SystemInput {
        name: Some("Credit scoring".into()),
        purpose: Some("Scores loan applications".into()),
        owner: Some("root".into()),
        ..Default::default()
    };
    let system = done(app.system_add(&root(), &system).await);
    let incidents = [
        ("Alpha drift", 3),
        ("Bravo bias", 1),
        ("Charlie leak", 2),
        ("Delta outage", 4),
        ("Echo misuse", 2),
        ("Foxtrot error", 3),
    ];
    for (title, severity) in incidents {
        let input = IncidentInput {
            title: Some(title.into()),
            description: Some(format!("What happened: {title}")),
            source: Some("user_report".into()),
            incident_type: Some("safety".into()),
            severity: Some(severity),
            systems: Some(vec![system.system.key.clone()]),
            occurred_at: Some("2026-03-01".into()),
            detected_at: Some("2026-03-01".into()),
            owner: Some("root".into()),
            ..Default::default()
        };
        done(app.incident_add(&root(), &input).await);
    }
    for (source, due, description) in [
        ("internal_audit", "2026-09-30", "Review dates missed"),
        ("monitoring", "", "Drift alerts ignored"),
        (
            "external_audit",
            "2026-06-30",
            "Training records incomplete",
        ),
    ] {
        let input = NcInput {
            source: Some(source.into()),
            description: Some(description.into()),
            owner: Some("root".into()),
            due_date: Some(due.into()),
            ..Default::default()
        };
        done(app.nc_add(&root(), &input).await);
    }
    for (name, status) in [
        ("Model validation", "planned"),
        ("Access logging", "in_progress"),
        ("Physical security", "not_applicable"),
    ] {
        let input = ControlInput {
            name: Some(name.into()),
            description: Some(format!("How {name} works")),
            owner: Some("root".into()),
            status: Some(status.into()),
            ..Default::default()
        };
        done(app.control_add(&root(), &input).await);
    }
    for (title, effort) in [
        ("Write AI policy", 5),
        ("Train reviewers", 3),
        ("Audit suppliers", 8),
    ] {
        let input = ActionInput {
            title: Some(title.into()),
            owner: Some("root".into()),
            start_date: Some("2027-01-04".into()),
            due_date: Some("2027-06-30".into()),
            effort: Some(effort),
            ..Default::default()
        };
        done(app.action_add(&root(), &input).await);
    }
}

/// The record keys linked from the table body, in order.
pub(crate) fn row_keys(html: &str, prefix: &str) -> Vec<String> {
    let body = html
        .split_once("<tbody>")
        .and_then(|(_, rest)| rest.split_once("</tbody>"))
        .map_or("", |(body, _)| body);
    body.split("<tr>")
        .skip(1)
        .filter_map(|row| {
            let at = row.find(&format!("/{prefix}-"))? + 1;
            let key: String = row[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            Some(key)
        })
        .collect()
}

pub(crate) fn strings(keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| k.to_string()).collect()
}

#[tokio::test]
async fn the_incident_list_sorts_filters_and_pages_in_the_address() {
    for b in backends() {
        let s = start(b).await;
        seed(&s).await;
        let c = signed_in(&s).await;

        // Severity descending (ties newest first), two per page, the second page.
        let (st, html) = get(&c, &s, "/incidents?sort=-severity&per_page=2&page=2").await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(
            row_keys(&html, "INC"),
            strings(&["INC-1", "INC-5"]),
            "{b}: {html}"
        );
        assert_eq!(
            element(&html, "result-count"),
            "Showing 3–4 of 6 incidents.",
            "{b}"
        );
        for want in [
            // The sorted column says so, and links to the other direction from page 1.
            "<th scope=\"col\" aria-sort=\"descending\"><a href=\"/incidents?sort=severity&amp;per_page=2\">Severity",
            // Other headers sort by themselves, keeping the page size.
            "<th scope=\"col\"><a href=\"/incidents?sort=title&amp;per_page=2\">Title</a></th>",
            "<a href=\"/incidents?sort=-severity&amp;per_page=2&amp;page=1\" rel=\"prev\">",
            "<a href=\"/incidents?sort=-severity&amp;per_page=2&amp;page=3\" rel=\"next\">",
            // Applying filters keeps the sort and the page size.
            "<input type=\"hidden\" name=\"sort\" value=\"-severity\">",
            "<input type=\"hidden\" name=\"per_page\" value=\"2\">",
        ] {
            assert!(html.contains(want), "{b}: {want} in {html}");
        }

        // A filter is kept by the headers and the pages too.
        let (_, html) = get(&c, &s, "/incidents?severity=3&sort=title&per_page=1").await;
        assert_eq!(row_keys(&html, "INC"), strings(&["INC-1"]), "{b}");
        assert_eq!(
            element(&html, "result-count"),
            "Showing 1–1 of 2 incidents.",
            "{b}"
        );
        assert!(
            html.contains("<option value=\"3\" selected>"),
            "{b}: {html}"
        );
        assert!(
            html.contains("href=\"/incidents?severity=3&amp;sort=title&amp;per_page=1&amp;page=2\" rel=\"next\""),
            "{b}: {html}"
        );
        assert!(
            html.contains("href=\"/incidents?severity=3&amp;sort=-title&amp;per_page=1\">Title"),
            "{b}: {html}"
        );
        let (_, html) = get(&c, &s, "/incidents?q=ECHO").await;
        assert_eq!(row_keys(&html, "INC"), strings(&["INC-5"]), "{b}");
        // Fifty a page by default, newest first.
        let (_, html) = get(&c, &s, "/incidents").await;
        assert_eq!(
            row_keys(&html, "INC"),
            strings(&["INC-6", "INC-5", "INC-4", "INC-3", "INC-2", "INC-1"]),
            "{b}"
        );
        assert!(
            html.contains("aria-sort=\"descending\"><a href=\"/incidents?sort=key\">Key"),
            "{b}"
        );
        assert!(!html.contains("rel=\"next\""), "{b}");

        // Every bad value is named beside its field, with 422 and no rows.
        let (st, html) = get(
            &c,
            &s,
            "/incidents?status=gone&sort=size&page=x&serious=maybe",
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        for (id, want) in [
            ("f-status-err", "unknown value &#x27;gone&#x27;"),
            (
                "f-sort-err",
                "unknown value &#x27;size&#x27;; expected one of: key, title",
            ),
            ("f-page-err", "&#x27;x&#x27; is not a whole number"),
            ("f-serious-err", "expected true or false"),
        ] {
            assert!(element(&html, id).contains(want), "{b}: {id}: {html}");
        }
        assert!(
            html.contains("<a href=\"#f-sort\">Sort: unknown value"),
            "{b}: {html}"
        );
        assert!(html.contains("aria-invalid=\"true\""), "{b}");
        assert_eq!(element(&html, "result-count"), "No incidents match.", "{b}");
        assert!(row_keys(&html, "INC").is_empty(), "{b}");

        // The board counts every incident per status, whatever the filters; each box lists its
        // status, and the chosen one is marked.
        let triage = MoveInput {
            to: "triaged".into(),
            note: None,
        };
        done(s.app.incident_move(&root(), "INC-2", &triage).await);
        let (st, html) = get(&c, &s, "/incidents?status=triaged&severity=4").await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert!(row_keys(&html, "INC").is_empty(), "{b}");
        for (status, count, current) in [
            ("reported", 5, ""),
            ("triaged", 1, " aria-current=\"page\""),
        ] {
            let label = format!("{}{}", status[..1].to_uppercase(), &status[1..]);
            let want = format!(
                "<a href=\"/incidents?status={status}\"{current}><span class=\"board-count\">{count}</span> {label}</a>"
            );
            assert!(html.contains(&want), "{b}: {want}: {html}");
        }
        assert!(
            html.contains("<span class=\"board-count\">0</span> Closed</a>"),
            "{b}"
        );
        let (_, html) = get(&c, &s, "/incidents?status=triaged").await;
        assert_eq!(row_keys(&html, "INC"), strings(&["INC-2"]), "{b}");
    }
}

#[tokio::test]
async fn nonconformity_control_and_action_lists_sort_filter_and_page() {
    for b in backends() {
        let s = start(b).await;
        seed(&s).await;
        let c = signed_in(&s).await;

        // No due date sorts last.
        let (st, html) = get(&c, &s, "/nonconformities?sort=due&per_page=2").await;
        assert_eq!(st, StatusCode::OK, "{b}");
        assert_eq!(
            row_keys(&html, "NC"),
            strings(&["NC-3", "NC-1"]),
            "{b}: {html}"
        );
        assert_eq!(
            element(&html, "result-count"),
            "Showing 1–2 of 3 nonconformities.",
            "{b}"
        );
        assert!(
            html.contains(
                "href=\"/nonconformities?sort=due&amp;per_page=2&amp;page=2\" rel=\"next\""
            ),
            "{b}: {html}"
        );
        let (_, html) = get(&c, &s, "/nonconformities?source=monitoring").await;
        assert_eq!(row_keys(&html, "NC"), strings(&["NC-2"]), "{b}");
        let (st, html) = get(&c, &s, "/nonconformities?source=audit").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-source-err").contains("unknown value &#x27;audit&#x27;"),
            "{b}"
        );

        let (_, html) = get(&c, &s, "/controls?sort=-name&applicable=true").await;
        assert_eq!(
            row_keys(&html, "CTL"),
            strings(&["CTL-1", "CTL-2"]),
            "{b}: {html}"
        );
        assert!(
            html.contains("<option value=\"true\" selected>Applicable</option>"),
            "{b}"
        );
        assert!(
            html.contains(
                "aria-sort=\"descending\"><a href=\"/controls?applicable=true&amp;sort=name\">Name"
            ),
            "{b}: {html}"
        );
        let (st, html) = get(&c, &s, "/controls?per_page=0").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-per_page-err").contains("must be between 1 and 500"),
            "{b}"
        );

        let (_, html) = get(&c, &s, "/actions?sort=-effort&per_page=1&page=2").await;
        assert_eq!(row_keys(&html, "ACT"), strings(&["ACT-1"]), "{b}: {html}");
        assert_eq!(
            element(&html, "result-count"),
            "Showing 2–2 of 3 actions.",
            "{b}"
        );
        assert!(
            html.contains("<th scope=\"col\" class=\"num\" aria-sort=\"descending\"><a href=\"/actions?sort=effort&amp;per_page=1\">Person-days"),
            "{b}: {html}"
        );
        let (_, html) = get(&c, &s, "/actions?q=train").await;
        assert_eq!(row_keys(&html, "ACT"), strings(&["ACT-2"]), "{b}");
        let (st, html) = get(&c, &s, "/actions?overdue=perhaps").await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-overdue-err").contains("expected true or false"),
            "{b}"
        );
    }
}

pub(crate) fn item_keys(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["key"].as_str().or(i["incident"]["key"].as_str()))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_api_lists_take_the_same_parameters() {
    for b in backends() {
        let s = start(b).await;
        seed(&s).await;
        let viewer = s.token(Role::Viewer).await;

        let (st, l) = call(
            &s,
            "GET",
            "/incidents?sort=-severity&per_page=2&page=2",
            &viewer,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::OK, "{b}: {l}");
        assert_eq!(item_keys(&l["items"]), strings(&["INC-1", "INC-5"]), "{b}");
        assert_eq!(
            (&l["total"], &l["page"], &l["per_page"]),
            (&6.into(), &2.into(), &2.into()),
            "{b}"
        );
        // Without parameters: every incident, newest first, as before.
        let (_, l) = call(&s, "GET", "/incidents", &viewer, None).await;
        assert_eq!(item_keys(&l["items"]).len(), 6, "{b}");
        assert_eq!(
            (&l["total"], &l["per_page"]),
            (&6.into(), &Value::Null),
            "{b}"
        );
        let (_, l) = call(&s, "GET", "/incidents?q=bravo&severity=1", &viewer, None).await;
        assert_eq!(item_keys(&l["items"]), strings(&["INC-2"]), "{b}");
        // The board: every incident per status in workflow order, whatever the filters.
        let statuses: Vec<(&str, i64)> = l["board"]
            .as_array()
            .map(|b| {
                b.iter()
                    .map(|c| {
                        (
                            c["status"].as_str().unwrap_or(""),
                            c["count"].as_i64().unwrap_or(-1),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            statuses,
            vec![
                ("reported", 6),
                ("triaged", 0),
                ("investigating", 0),
                ("contained", 0),
                ("resolved", 0),
                ("closed", 0)
            ],
            "{b}"
        );
        let (st, p) = call(&s, "GET", "/incidents?sort=size&status=gone", &viewer, None).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&p), vec!["status", "sort"], "{b}: {p}");

        let (_, l) = call(&s, "GET", "/nonconformities?sort=-due", &viewer, None).await;
        assert_eq!(
            item_keys(&l["items"]),
            strings(&["NC-1", "NC-3", "NC-2"]),
            "{b}"
        );

        // Controls and actions stay arrays; the total is in a header.
        let (l, total) = counted(&s, "/controls?sort=-name&per_page=2", &viewer).await;
        assert_eq!(total, Some(3), "{b}");
        assert_eq!(item_keys(&l), strings(&["CTL-3", "CTL-1"]), "{b}");
        let (_, l) = call(&s, "GET", "/controls", &viewer, None).await;
        assert_eq!(item_keys(&l), strings(&["CTL-1", "CTL-2", "CTL-3"]), "{b}");
        let (_, l) = call(&s, "GET", "/controls?applicable=false", &viewer, None).await;
        assert_eq!(item_keys(&l), strings(&["CTL-3"]), "{b}");
        let (_, l) = call(&s, "GET", "/actions?sort=effort", &viewer, None).await;
        assert_eq!(item_keys(&l), strings(&["ACT-2", "ACT-1", "ACT-3"]), "{b}");
        let (st, p) = call(&s, "GET", "/actions?per_page=0&sort=-size", &viewer, None).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&p), vec!["sort", "per_page"], "{b}: {p}");

        // The OpenAPI document lists the parameters.
        let (_, doc) = call(&s, "GET", "/openapi.json", &viewer, None).await;
        for path in ["/incidents", "/nonconformities", "/controls", "/actions"] {
            let names: Vec<&str> = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str())
                .collect();
            for want in ["q", "sort", "page", "per_page"] {
                assert!(names.contains(&want), "{b}: {path} lacks {want}: {names:?}");
            }
        }
    }
}
