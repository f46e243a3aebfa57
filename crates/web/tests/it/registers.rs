//! The context issue, interested party, Statement of Applicability, impact assessment and
//! ledger lists as pages and through the API: sort, filters and pages kept in the address, bad
//! parameters named beside their field (422) or in problem JSON, and the totals in
//! `x-total-count`.

use aims_core::context::{IssueInput, PartyInput, PartyRequirement};
use aims_core::soa::SoaEntryInput;
use aims_core::Role;
use reqwest::StatusCode;

use crate::harness::{backends, call, counted, fields, start, TestServer};
use crate::lists::{done, item_keys, root, row_keys, signed_in, strings};
use crate::pages::{element, get};

/// Four issues, three parties and two decisions of the statement.
async fn seed(s: &TestServer) {
    let app = &s.app;
    for (title, side, category) in [
        ("EU AI Act", "external", "regulatory"),
        ("Skills gap", "internal", "capability"),
        ("Cloud costs", "external", "market"),
        ("Data culture", "internal", "culture"),
    ] {
        let input = IssueInput {
            title: Some(title.into()),
            side: Some(side.into()),
            category: Some(category.into()),
            description: Some(format!("Notes on {title}")),
            ..Default::default()
        };
        done(app.issue_add(&root(), &input).await);
    }
    let req = |text: &str, addressed: bool| PartyRequirement {
        text: text.into(),
        addressed,
        how: addressed.then(|| "The AI policy".into()),
    };
    for (name, kind, reqs) in [
        ("Regulator", "regulator", vec![req("Transparency", false)]),
        (
            "Customers",
            "customer",
            vec![req("Explanations", false), req("Appeals", false)],
        ),
        ("Staff", "employee", vec![req("Training", true)]),
    ] {
        let input = PartyInput {
            name: Some(name.into()),
            party_type: Some(kind.into()),
            description: Some(format!("Who {name} are")),
            requirements: Some(reqs),
        };
        done(app.party_add(&root(), &input).await);
    }
    for (id, applicable) in [("A.6.2.4", true), ("A.10.3", false)] {
        let input = SoaEntryInput {
            applicable: Some(applicable),
            justification: Some(format!("Decided on {id}")),
        };
        done(app.soa_set(&root(), id, &input).await);
    }
}

/// The Annex A controls of the statement's rows, in order.
fn soa_rows(html: &str) -> Vec<String> {
    html.split("<tr id=\"line-")
        .skip(1)
        .filter_map(|r| r.split_once('"').map(|(id, _)| id.to_owned()))
        .collect()
}

#[tokio::test]
async fn register_pages_sort_filter_and_page_in_the_address() {
    for b in backends() {
        let s = start(b).await;
        seed(&s).await;
        let c = signed_in(&s).await;

        let (status, html) = get(&c, &s, "/context?side=external&sort=-title").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert_eq!(row_keys(&html, "CTX"), strings(&["CTX-1", "CTX-3"]), "{b}");
        assert!(html.contains("Showing 1–2 of 2 issues."), "{b}: {html}");
        assert!(
            html.contains(
                "<th scope=\"col\" aria-sort=\"descending\"><a href=\"/context?side=external&amp;sort=title\">Title"
            ),
            "{b}: the header flips the sort and keeps the filter: {html}"
        );
        assert!(
            html.contains("<a href=\"/context\">Clear filters</a>"),
            "{b}"
        );
        assert!(
            html.contains("3 interested parties; <a href=\"/parties?unaddressed=true\">2 with requirements not yet addressed</a>"),
            "{b}: {html}"
        );
        let (_, html) = get(&c, &s, "/context?per_page=3&page=2").await;
        assert_eq!(row_keys(&html, "CTX"), strings(&["CTX-4"]), "{b}");
        assert!(
            html.contains("href=\"/context?per_page=3&amp;page=1\" rel=\"prev\""),
            "{b}: {html}"
        );
        let (status, html) = get(&c, &s, "/context?side=inside").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-side-err").contains("unknown value &#x27;inside&#x27;"),
            "{b}: {html}"
        );

        let (_, html) = get(&c, &s, "/parties?unaddressed=true&sort=-unaddressed").await;
        assert_eq!(row_keys(&html, "IP"), strings(&["IP-2", "IP-1"]), "{b}");
        assert!(
            html.contains("<td class=\"num\"><span class=\"tag tag-warn\">2</span></td>"),
            "{b}: {html}"
        );
        let (_, html) = get(&c, &s, "/parties?q=training").await;
        assert_eq!(row_keys(&html, "IP"), strings(&["IP-3"]), "{b}");

        let (_, html) = get(&c, &s, "/soa?group=A.10").await;
        assert_eq!(
            soa_rows(&html),
            strings(&["A.10.2", "A.10.3", "A.10.4"]),
            "{b}"
        );
        let (_, html) = get(&c, &s, "/soa?sort=applicable&per_page=2").await;
        assert_eq!(soa_rows(&html), strings(&["A.6.2.4", "A.10.3"]), "{b}");
        assert!(html.contains("Showing 1–2 of 38 lines."), "{b}: {html}");
        let (_, html) = get(&c, &s, "/soa?applicable=no").await;
        assert_eq!(soa_rows(&html), strings(&["A.10.3"]), "{b}");
        let (status, html) = get(&c, &s, "/soa?group=A.99").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-group-err").contains("unknown group &#x27;A.99&#x27;"),
            "{b}: {html}"
        );

        s.token(Role::Auditor).await;
        let (_, html) = get(&c, &s, "/users?role=auditor").await;
        assert!(html.contains("<td>u-auditor</td>"), "{b}: {html}");
        assert!(!html.contains("<td>root</td>"), "{b}: {html}");
        assert!(html.contains("Showing 1–1 of 1 users."), "{b}: {html}");
        let (_, html) = get(&c, &s, "/users?sort=-username").await;
        let at = |name: &str| html.find(&format!("<td>{name}</td>")).unwrap_or(usize::MAX);
        assert!(at("u-auditor") < at("root"), "{b}: {html}");
        let (status, html) = get(&c, &s, "/users?role=king").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert!(
            element(&html, "f-role-err").contains("unknown value &#x27;king&#x27;"),
            "{b}: {html}"
        );
        let (status, html) = get(&c, &s, "/users/new").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(
            html.contains("<form method=\"post\" action=\"/users\""),
            "{b}"
        );

        let (_, html) = get(&c, &s, "/ledger?kind=interested_party&sort=seq").await;
        assert_eq!(
            row_keys(&html, "IP"),
            strings(&["IP-1", "IP-2", "IP-3"]),
            "{b}"
        );
        assert!(html.contains("Showing 1–3 of 3 events."), "{b}: {html}");
    }
}

#[tokio::test]
async fn the_api_lists_of_the_registers_take_the_same_parameters() {
    for b in backends() {
        let s = start(b).await;
        seed(&s).await;
        let viewer = s.token(Role::Viewer).await;
        let lead = s.token(Role::GovernanceLead).await;

        let get_counted = |path: &'static str| counted(&s, path, &viewer);
        let (l, total) = get_counted("/context/issues?sort=-key&per_page=1").await;
        assert_eq!(
            (item_keys(&l), total),
            (strings(&["CTX-4"]), Some(4)),
            "{b}"
        );
        let (l, total) = get_counted("/parties?unaddressed=true").await;
        assert_eq!(
            (item_keys(&l), total),
            (strings(&["IP-1", "IP-2"]), Some(2)),
            "{b}"
        );
        let (l, total) = get_counted("/soa?status=excluded").await;
        assert_eq!(total, Some(1), "{b}");
        assert_eq!(l[0]["control_id"], "A.10.3", "{b}");
        let (l, total) = get_counted("/users?role=governance_lead").await;
        assert_eq!(total, Some(1), "{b}: {l}");
        assert_eq!(l[0]["username"], "u-governance-lead", "{b}");
        let (l, total) = get_counted("/impacts?sort=-key").await;
        assert_eq!(
            (l.as_array().map(Vec::len), total),
            (Some(0), Some(0)),
            "{b}"
        );

        // An issue added through a token is found by its owner's name.
        let body = serde_json::json!({
            "title": "Energy prices", "side": "external", "category": "market",
            "description": "Inference costs rise"
        });
        let (st, _) = call(&s, "POST", "/context/issues", &lead, Some(body)).await;
        assert_eq!(st, StatusCode::CREATED, "{b}");
        let (l, total) =
            get_counted("/ledger/events?actor=u-governance-lead&kind=context_issue").await;
        assert_eq!(total, Some(1), "{b}: {l}");
        let actor = l[0]["actor"].as_str().unwrap_or("");
        assert!(actor.starts_with("u-governance-lead (TOK-"), "{b}: {actor}");
        let (l, total) = get_counted("/ledger/events?entity=CTX-5&limit=1").await;
        assert_eq!(
            (l[0]["key"].as_str(), total),
            (Some("CTX-5"), Some(1)),
            "{b}"
        );

        let (st, p) = call(
            &s,
            "GET",
            "/ledger/events?entity=CTX-1&key=CTX-2",
            &viewer,
            None,
        )
        .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&p), vec!["key"], "{b}: {p}");
        let (st, p) = call(&s, "GET", "/soa?applicable=maybe&sort=size", &viewer, None).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&p), vec!["applicable", "sort"], "{b}: {p}");
        let (st, p) = call(&s, "GET", "/parties?party_type=alien", &viewer, None).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        assert_eq!(fields(&p), vec!["party_type"], "{b}: {p}");

        let (_, doc) = call(&s, "GET", "/openapi.json", &viewer, None).await;
        for path in [
            "/context/issues",
            "/parties",
            "/soa",
            "/impacts",
            "/ledger/events",
        ] {
            let names: Vec<&str> = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str())
                .collect();
            for want in ["sort", "page", "per_page"] {
                assert!(names.contains(&want), "{b}: {path} lacks {want}: {names:?}");
            }
        }
    }
}
