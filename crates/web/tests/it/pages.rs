//! The HTML pages through a real server over the demo organisation, as a browser uses them:
//! cookies kept, redirects looked at rather than followed, CSRF tokens taken from the forms.

use reqwest::{Client, StatusCode};

use crate::harness::{backends, start_demo, TestServer};

/// Signs `username` in with the demo password and returns the browser holding the session.
pub(crate) async fn login(s: &TestServer, username: &str) -> Client {
    let b = s.browser();
    let password = aims_app::demo::demo_password(username);
    let res = b
        .post(s.url("/login"))
        .form(&[
            ("username", username),
            ("password", password.as_str()),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("login: {e}"));
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "login of {username}");
    assert_eq!(location(&res), "/");
    b
}

pub(crate) fn location(res: &reqwest::Response) -> String {
    res.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub(crate) async fn get(b: &Client, s: &TestServer, path: &str) -> (StatusCode, String) {
    let res = b
        .get(s.url(path))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

pub(crate) async fn post(
    b: &Client,
    s: &TestServer,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    b.post(s.url(path))
        .form(form)
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"))
}

/// The CSRF token of the first form on the page.
pub(crate) fn csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no csrf field in page"));
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The inner HTML of the element with `id` (one that does not nest its own tag).
pub(crate) fn element(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let Some(at) = html.find(&marker) else {
        return String::new();
    };
    let open = html[..at].rfind('<').unwrap_or(at);
    let tag: String = html[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let rest = &html[at..];
    let inner = rest.find('>').map_or(0, |i| i + 1);
    let end = rest.find(&format!("</{tag}>")).unwrap_or(rest.len());
    rest[inner..end.max(inner)].to_owned()
}

async fn system_count(s: &TestServer) -> i64 {
    let root = aims_app::Actor {
        username: "root".into(),
        role: aims_core::Role::Admin,
        via: aims_app::Via::Local,
    };
    s.app
        .system_list(&root, &Default::default())
        .await
        .unwrap_or_else(|e| panic!("list: {e}"))
        .total
}

#[tokio::test]
async fn signed_out_pages_redirect_to_login_and_login_refuses_bad_passwords() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = s.browser();
        let res = b
            .get(s.url("/"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/login?next=/");
        let res = b
            .get(s.url("/systems?stage=deployed"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(location(&res), "/login?next=/systems%3Fstage%3Ddeployed");

        let (status, html) = get(&b, &s, "/login?next=/systems").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("<label for=\"f-username\">Username</label>"),
            "{html}"
        );
        assert!(html.contains("name=\"next\" value=\"/systems\""), "{html}");

        let res = post(
            &b,
            &s,
            "/login",
            &[
                ("username", "grace"),
                ("password", "wrong password"),
                ("next", "/"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains("the username or password is not correct"),
            "{html}"
        );
        assert!(
            html.contains("value=\"grace\""),
            "typed username kept: {html}"
        );

        // A next that leaves the site is ignored.
        let pw = aims_app::demo::demo_password("grace");
        let res = post(
            &b,
            &s,
            "/login",
            &[
                ("username", "grace"),
                ("password", &pw),
                ("next", "//evil.example/"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/");
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            cookie.starts_with("aims_session=") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
    }
}

#[tokio::test]
async fn dashboard_charts_the_demo_inventory() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (status, html) = get(&b, &s, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("12 active AI systems"), "{html}");
        // The governance view: readiness and both inventory charts as labelled SVG images,
        // and the residual heat map as a labelled group of links.
        assert_eq!(html.matches("<svg role=\"img\"").count(), 3, "{html}");
        assert_eq!(html.matches("<svg role=\"group\"").count(), 1, "{html}");
        assert!(
        html.contains("Active systems: Concept 1, Design 1, Development 2, Validation 1, Deployed 4, Monitored 3."),
        "{html}"
    );
        assert!(
            html.contains("High-risk 3")
                && html.contains("Minimal 6")
                && html.contains("Prohibited 0"),
            "{html}"
        );
        assert!(
            html.contains("class=\"bar-label\">Deployed</text>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/systems?stage=deployed\">Deployed</a>"),
            "{html}"
        );
        // Scope status: version 2 approved, no draft; Research sandbox excluded.
        assert!(
            html.contains(
                "<a class=\"key\" href=\"/scope/SCP-2\">SCP-2</a> — version 2, approved by grace"
            ),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/systems?scope=in\">11</a>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/systems?scope=out\">1</a>"),
            "{html}"
        );
        // Recent changes link to records; the user and role are shown; no inline script or style.
        // The demo's last writes are the fraud model's monitoring runs, alerts and incident.
        assert!(
            html.contains("href=\"/monitoring/runs/RUN-12\">RUN-12</a>"),
            "{html}"
        );
        assert!(
            html.contains(
                "Signed in as <strong>grace</strong> <span class=\"role\">Governance lead</span>"
            ),
            "{html}"
        );
        assert!(
            !html.contains("href=\"/users\""),
            "Users is for admins only"
        );
        assert!(
            !html.contains("<script") && !html.contains("style="),
            "no inline script or style"
        );

        let admin = login(&s, "admin").await;
        let (_, html) = get(&admin, &s, "/").await;
        assert!(html.contains("<a href=\"/users\">Users</a>"), "{html}");

        let (status, css) = get(&b, &s, "/static/aims.css").await;
        assert_eq!(status, StatusCode::OK);
        assert!(css.contains(":focus-visible"));
    }
}

#[tokio::test]
async fn inventory_filters_sorts_and_exports() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (status, html) = get(&b, &s, "/systems?stage=deployed").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Showing 1–4 of 4 systems."), "{html}");
        for name in [
            "Customer-service assistant",
            "Branch demand forecasting",
            "Medical image triage",
            "Code review copilot",
        ] {
            assert!(html.contains(name), "{name} missing");
        }
        assert!(
            !html.contains("Consumer credit scoring") && !html.contains("CV screening assistant")
        );
        assert!(
            html.contains("<option value=\"deployed\" selected>Deployed</option>"),
            "filter kept: {html}"
        );
        // Headers link to sorting with the filter kept; export keeps the query.
        assert!(
            html.contains("href=\"/systems?stage=deployed&amp;sort=name\">Name</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/systems/export.csv?stage=deployed\""),
            "{html}"
        );

        let (_, html) = get(&b, &s, "/systems?sort=-name&per_page=2").await;
        assert!(html.contains("Showing 1–2 of 12 systems."), "{html}");
        assert!(html.contains("aria-sort=\"descending\""), "{html}");
        let research = html.find("Research sandbox LLM").unwrap_or(usize::MAX);
        let patient = html.find("Patient no-show prediction").unwrap_or(0);
        assert!(research < patient, "sorted by name descending");
        assert!(
            html.contains("href=\"/systems?sort=-name&amp;per_page=2&amp;page=2\" rel=\"next\""),
            "{html}"
        );

        let (status, html) = get(&b, &s, "/systems?stage=launched&page=x").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            html.contains("&#x27;x&#x27; is not a whole number"),
            "{html}"
        );
        assert!(
            element(&html, "f-stage-err").contains("unknown value &#x27;launched&#x27;"),
            "every bad value is named: {html}"
        );
        let (status, html) = get(&b, &s, "/systems?stage=launched").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            element(&html, "f-stage-err").contains("unknown value &#x27;launched&#x27;"),
            "{html}"
        );

        let res = b
            .get(s.url("/systems/export.csv?stage=deployed"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK);
        let disposition = res
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        let csv = res.text().await.unwrap_or_default();
        assert!(csv.starts_with("key,name,purpose"), "{csv}");
        assert_eq!(
            csv.lines().count(),
            5,
            "header and four deployed systems: {csv}"
        );
    }
}

#[tokio::test]
async fn a_system_is_added_through_the_form_and_bad_forms_are_refused() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (status, html) = get(&b, &s, "/systems/new").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains(
                "<label for=\"f-name\">Name <span class=\"req\">(required)</span></label>"
            ),
            "{html}"
        );
        let token = csrf(&html);

        let form = [
            ("csrf", token.as_str()),
            ("name", "Invoice anomaly detector"),
            ("purpose", "Flags unusual supplier invoices."),
            ("owner", "rosa"),
            ("business_unit", "Finance"),
            ("stage", "design"),
            ("technique", "classical_ml"),
            ("ai_roles", "provider"),
            ("ai_roles", "deployer"),
            ("data_categories", "financial"),
            ("stakeholders", "Suppliers, Accounts payable"),
            ("regions", "UK"),
            ("eu_class", "minimal"),
            ("eu_rationale", "No effect on natural persons."),
            ("criticality", "low"),
        ];
        let res = post(&b, &s, "/systems", &form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/systems/SYS-13");
        let (status, html) = get(&b, &s, "/systems/SYS-13").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Invoice anomaly detector"), "{html}");
        assert!(html.contains("<dd>Provider, Deployer</dd>"), "{html}");
        assert!(
            html.contains("<dd>Suppliers, Accounts payable</dd>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"tag tag-ok\">In scope</span>"),
            "covered by SCP-2: {html}"
        );
        assert!(
            html.contains("<td>create <span class=\"muted\">ai_system</span></td>"),
            "history: {html}"
        );
        assert_eq!(system_count(&s).await, 13);

        // An empty name: the form comes back with the message beside the field and the values kept.
        let mut bad = form.to_vec();
        bad[1] = ("name", "  ");
        let res = post(&b, &s, "/systems", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-name-err").contains("is required"),
            "{html}"
        );
        assert!(
            html.contains("aria-describedby=\"f-name-err\" aria-invalid=\"true\""),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"#f-name\">Name: is required</a>"),
            "summary: {html}"
        );
        assert!(
            html.contains("Flags unusual supplier invoices."),
            "typed purpose kept"
        );
        assert!(
            html.contains("value=\"deployer\" checked"),
            "checked boxes kept: {html}"
        );
        assert_eq!(system_count(&s).await, 13, "nothing added");

        // A taken name is a conflict shown beside the name.
        let res = post(&b, &s, "/systems", &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-name-err").contains("is already the name of SYS-13"),
            "{html}"
        );

        // Without the CSRF token, or with another one, nothing is done.
        let res = post(&b, &s, "/systems", &form[1..]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let mut forged = form.to_vec();
        forged[0] = ("csrf", "forged");
        forged[1] = ("name", "Forged system");
        let res = post(&b, &s, "/systems", &forged).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res
            .text()
            .await
            .unwrap_or_default()
            .contains("did not come from this site"));
        assert_eq!(system_count(&s).await, 13);

        // Edit, then retire with a reason.
        let (_, html) = get(&b, &s, "/systems/SYS-13/edit").await;
        assert!(
            html.contains("value=\"Invoice anomaly detector\""),
            "{html}"
        );
        let mut edit = form.to_vec();
        edit[5] = ("stage", "development");
        let res = post(&b, &s, "/systems/SYS-13", &edit).await;
        assert_eq!(location(&res), "/systems/SYS-13");
        let (_, html) = get(&b, &s, "/systems/SYS-13").await;
        assert!(
            html.contains("<dt>Lifecycle stage</dt><dd>Development</dd>"),
            "{html}"
        );
        let res = post(
            &b,
            &s,
            "/systems/SYS-13/retire",
            &[("csrf", &token), ("reason", "")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            element(&res.text().await.unwrap_or_default(), "f-reason-err").contains("is required")
        );
        let res = post(
            &b,
            &s,
            "/systems/SYS-13/retire",
            &[("csrf", &token), ("reason", "Replaced by the ERP")],
        )
        .await;
        assert_eq!(location(&res), "/systems/SYS-13");
        let (_, html) = get(&b, &s, "/systems/SYS-13").await;
        assert!(
            html.contains("<dd>Retired: Replaced by the ERP</dd>"),
            "{html}"
        );

        let (status, html) = get(&b, &s, "/systems/SYS-999").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("AI system SYS-999 was not found."), "{html}");
    }
}

#[tokio::test]
async fn roles_limit_what_pages_offer_and_do() {
    for b in backends() {
        let s = start_demo(b).await;
        let vera = login(&s, "vera").await;
        let (status, html) = get(&vera, &s, "/systems/SYS-1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !html.contains("/systems/SYS-1/edit") && !html.contains("/retire"),
            "viewer sees no write controls"
        );
        let token = csrf(&html);
        let res = post(
            &vera,
            &s,
            "/systems",
            &[
                ("csrf", &token),
                ("name", "Shadow AI"),
                ("purpose", "x"),
                ("owner", "vera"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert!(res
            .text()
            .await
            .unwrap_or_default()
            .contains("You cannot do this: the viewer role may not"));
        let (status, _) = get(&vera, &s, "/users").await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let admin = login(&s, "admin").await;
        let (status, html) = get(&admin, &s, "/users").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<td>vera</td>"), "{html}");
        let token = csrf(&html);
        let res = post(
            &admin,
            &s,
            "/users",
            &[
                ("csrf", &token),
                ("username", "Bad Name"),
                ("role", "viewer"),
                ("password", "short"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-username-err").contains("lower-case letters"),
            "{html}"
        );
        assert!(
            element(&html, "f-password-err").contains("at least 12 characters"),
            "{html}"
        );
        let res = post(&admin, &s, "/users/vera/disable", &[("csrf", &token)]).await;
        assert_eq!(location(&res), "/users?disabled=vera");
        let (status, _) = get(&vera, &s, "/").await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "a disabled user's session ends"
        );
    }
}

#[tokio::test]
async fn context_pages_list_and_edit_issues_and_parties() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (status, html) = get(&b, &s, "/context").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("<a class=\"key\" href=\"/context/issues/CTX-1\">CTX-1</a>"),
            "{html}"
        );
        assert!(html.contains("EU AI Act obligations phase in"));
        assert!(
            html.contains("<a href=\"/parties?unaddressed=true\">"),
            "{html}"
        );
        let (_, html) = get(&b, &s, "/parties/IP-1").await;
        assert!(
            html.contains("Addressed: Quarterly fairness monitoring of the credit model"),
            "{html}"
        );
        assert!(html.contains("Not yet addressed"), "{html}");

        let (_, html) = get(&b, &s, "/parties/IP-1/edit").await;
        assert!(html.contains("Fair treatment regardless of protected characteristics | Quarterly fairness monitoring of the credit model\nAn explanation of adverse decisions</textarea>"), "{html}");
        let token = csrf(&html);
        let reqs = "Fair treatment regardless of protected characteristics | Quarterly fairness monitoring of the credit model\nAn explanation of adverse decisions | Reason codes in every decline letter";
        let res = post(
            &b,
            &s,
            "/parties/IP-1",
            &[
                ("csrf", &token),
                ("name", "Loan applicants"),
                ("party_type", "customer"),
                ("description", "People who apply for credit."),
                ("requirements", reqs),
            ],
        )
        .await;
        assert_eq!(location(&res), "/parties/IP-1");
        let (_, html) = get(&b, &s, "/parties/IP-1").await;
        assert!(
            html.contains("Addressed: Reason codes in every decline letter"),
            "{html}"
        );
        assert!(!html.contains("Not yet addressed"), "{html}");

        let res = post(
            &b,
            &s,
            "/context/issues",
            &[
                ("csrf", &token),
                ("title", ""),
                ("side", ""),
                ("category", "market"),
                ("description", "d"),
                ("review_date", "soon"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-title-err").contains("is required"),
            "{html}"
        );
        assert!(
            element(&html, "f-side-err").contains("is required"),
            "{html}"
        );
        assert!(
            element(&html, "f-review_date-err").contains("is not a date"),
            "{html}"
        );

        let res = post(&b, &s, "/context/issues/CTX-2/archive", &[("csrf", &token)]).await;
        assert_eq!(location(&res), "/context/issues/CTX-2");
        let (_, html) = get(&b, &s, "/context").await;
        assert!(
            !html.contains("Competitors ship AI-first lending"),
            "archived issue hidden"
        );
    }
}

#[tokio::test]
async fn scope_pages_show_versions_diff_and_take_a_draft() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (status, html) = get(&b, &s, "/scope/diff?from=1&to=2").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("<option value=\"1\" selected>SCP-1 (version 1)</option>"),
            "{html}"
        );
        assert!(html.contains(
        "<li class=\"diff-removed\"><span class=\"diff-mark\" aria-hidden=\"true\">−</span><span class=\"visually-hidden\">Removed: </span><span class=\"diff-text\">Coverage: The systems of the listed units</span></li>"
    ), "{html}");
        assert!(html.contains(
        "<li class=\"diff-added\"><span class=\"diff-mark\" aria-hidden=\"true\">+</span><span class=\"visually-hidden\">Added: </span><span class=\"diff-text\">Coverage: All AI systems</span></li>"
    ), "{html}");
        assert!(
            html.contains("Excluded: SYS-12 (justification: Isolated research environment"),
            "{html}"
        );
        assert!(
            html.contains("Statement:</span></li>"),
            "unchanged lines shown: {html}"
        );
        let (status, html) = get(&b, &s, "/scope/diff?from=one").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(
            html.contains("&#x27;one&#x27; is not a scope version number."),
            "{html}"
        );

        let (_, html) = get(&b, &s, "/scope/edit").await;
        assert!(html.contains("SYS-12 | Isolated research environment: no customer data and no production use.</textarea>"), "{html}");
        let token = csrf(&html);
        let res = post(
            &b,
            &s,
            "/scope",
            &[
                ("csrf", &token),
                ("statement", "Everything."),
                ("coverage", "all"),
                ("exclusions", "SYS-12\nSYS-99 | gone"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-exclusions-err").contains("entry 1, justification: is required"),
            "{html}"
        );

        let res = post(
            &b,
            &s,
            "/scope",
            &[
                ("csrf", &token),
                ("statement", "Every AI system of Northwind."),
                ("coverage", "all"),
                ("exclusions", "SYS-12 | Research only"),
            ],
        )
        .await;
        assert_eq!(location(&res), "/scope/SCP-3");
        let (_, html) = get(&b, &s, "/scope").await;
        assert!(
            html.contains(
                "Draft awaiting approval: <a class=\"key\" href=\"/scope/SCP-3\">SCP-3</a>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<button type=\"submit\">Approve version 3</button>"),
            "{html}"
        );
        let alan = login(&s, "alan").await;
        let (_, html) = get(&alan, &s, "/scope").await;
        assert!(
            !html.contains("Approve version 3"),
            "contributors cannot approve"
        );
        let res = post(
            &b,
            &s,
            "/scope/approve",
            &[("csrf", &token), ("version", "3")],
        )
        .await;
        assert_eq!(location(&res), "/scope/SCP-3");
        let (_, html) = get(&b, &s, "/scope/SCP-3").await;
        assert!(
            html.contains("<span class=\"tag tag-ok\">In force</span>"),
            "{html}"
        );
    }
}

#[tokio::test]
async fn ledger_lists_events_and_verifies() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "ida").await;
        let (status, html) = get(&b, &s, "/ledger?key=sys-1").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            html.contains("Events of <a class=\"key\" href=\"/systems/SYS-1\">SYS-1</a>"),
            "{html}"
        );
        let token = csrf(&html);
        let res = post(&b, &s, "/ledger/verify", &[("csrf", &token)]).await;
        assert_eq!(res.status(), StatusCode::OK);
        let html = res.text().await.unwrap_or_default();
        let root = aims_app::Actor {
            username: "root".into(),
            role: aims_core::Role::Admin,
            via: aims_app::Via::Local,
        };
        let report = s
            .app
            .ledger_verify(&root, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(report.intact);
        assert!(
            html.contains("<strong>Intact.</strong> ledger intact:"),
            "{html}"
        );
        assert!(
            html.contains(&format!(
                "<dt>Events checked</dt><dd>{}</dd>",
                report.events
            )),
            "{html}"
        );
        assert!(html.contains(&report.head.hash), "{html}");
        let (_, html) = get(&b, &s, "/ledger?verify=1").await;
        assert!(html.contains("<strong>Intact.</strong>"), "{html}");
        let res = post(&b, &s, "/ledger/verify", &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);

        let (_, html) = get(&b, &s, "/ledger?sort=seq&per_page=3&page=3").await;
        assert!(
            html.contains("<td>7</td>")
                && html.contains("<td>9</td>")
                && !html.contains("<td>10</td>"),
            "{html}"
        );
        assert!(
            html.contains(&format!("Showing 7–9 of {} events.", report.events)),
            "{html}"
        );
        assert!(
            html.contains("href=\"/ledger?sort=seq&amp;per_page=3&amp;page=4\" rel=\"next\""),
            "{html}"
        );
        assert!(html.contains("aria-sort=\"ascending\""), "{html}");
        let (status, html) = get(&b, &s, "/ledger?page=ten&kind=planet&from=2026-02-30").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            element(&html, "f-page-err").contains("&#x27;ten&#x27; is not a whole number"),
            "{html}"
        );
        assert!(
            element(&html, "f-kind-err").contains("unknown value &#x27;planet&#x27;"),
            "{html}"
        );
        assert!(
            element(&html, "f-from-err").contains("is not a date"),
            "{html}"
        );
    }
}

#[tokio::test]
async fn tokens_are_created_once_and_revoked() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "alan").await;
        let (_, html) = get(&b, &s, "/account").await;
        assert!(html.contains("No tokens yet."), "{html}");
        assert!(
            !html.contains("<option value=\"admin\""),
            "roles above the user are not offered"
        );
        let token = csrf(&html);
        let res = post(
            &b,
            &s,
            "/account/tokens",
            &[
                ("csrf", &token),
                ("name", "nightly export"),
                ("role", "viewer"),
                ("expires_in_days", "30"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(
            res.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store")
        );
        let html = res.text().await.unwrap_or_default();
        assert!(html.contains("Token TOK-1 created"), "{html}");
        assert!(html.contains("value=\"aims_"), "secret shown once: {html}");
        let (_, html) = get(&b, &s, "/account").await;
        assert!(
            html.contains("nightly export") && !html.contains("value=\"aims_"),
            "{html}"
        );
        let res = post(
            &b,
            &s,
            "/account/tokens",
            &[
                ("csrf", &token),
                ("name", ""),
                ("role", "viewer"),
                ("expires_in_days", "999"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-expires_in_days-err").contains("must be between 1 and 366"),
            "{html}"
        );
        let res = post(&b, &s, "/account/tokens/TOK-1/revoke", &[("csrf", &token)]).await;
        assert_eq!(location(&res), "/account?revoked=TOK-1");
        let (_, html) = get(&b, &s, "/account?revoked=TOK-1").await;
        assert!(
            html.contains("Token TOK-1 was revoked.") && html.contains("Revoked "),
            "{html}"
        );
    }
}

#[tokio::test]
async fn logout_ends_the_session() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (_, html) = get(&b, &s, "/").await;
        let token = csrf(&html);
        let res = post(&b, &s, "/logout", &[]).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "sign-out needs the CSRF token too"
        );
        let res = post(&b, &s, "/logout", &[("csrf", &token)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/login");
        let res = b
            .get(s.url("/"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&res), "/login?next=/");
        let (status, _) = get(&b, &s, "/no-such-page").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_control_is_added_linked_and_shown_with_its_requirements() {
    for b in backends() {
        let s = start_demo(b).await;
        let b = login(&s, "grace").await;
        let (status, html) = get(&b, &s, "/controls").await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("href=\"/controls\""), "navigation: {html}");
        let (status, html) = get(&b, &s, "/controls/new").await;
        assert_eq!(status, StatusCode::OK);
        let token = csrf(&html);

        // Refused without a token, and with bad values beside their fields.
        let res = post(&b, &s, "/controls", &[("name", "No token")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let res = post(
            &b,
            &s,
            "/controls",
            &[
                ("csrf", &token),
                ("name", "Release validation"),
                ("description", "Validation before every release"),
                ("owner", "grace"),
                ("status", "implemented"),
                ("implementation_date", ""),
                ("effectiveness", "not_assessed"),
                ("review_date", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-implementation_date-err").contains("is required"),
            "{html}"
        );

        let res = post(
            &b,
            &s,
            "/controls",
            &[
                ("csrf", &token),
                ("name", "Release validation"),
                ("description", "Validation before every release"),
                ("owner", "grace"),
                ("status", "implemented"),
                ("implementation_date", "2026-01-10"),
                ("effectiveness", "effective"),
                ("review_date", "2027-01-10"),
            ],
        )
        .await;
        let at = location(&res);
        assert!(at.starts_with("/controls/CTL-"), "{at}");
        let key = at.trim_start_matches("/controls/").to_owned();

        let res = post(
            &b,
            &s,
            &format!("/controls/{key}/links"),
            &[
                ("csrf", &token),
                ("requirements", "ISO42001:Z.9"),
                ("systems", ""),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text().await.unwrap_or_default();
        assert!(
            element(&html, "f-requirements-err")
                .contains("entry 1: ISO42001 has no item &#x27;Z.9&#x27;"),
            "{html}"
        );

        let res = post(
            &b,
            &s,
            &format!("/controls/{key}/links"),
            &[
                ("csrf", &token),
                ("requirements", "ISO42001:A.6.2.4\niso42001:A.5.2"),
                ("systems", "SYS-1"),
            ],
        )
        .await;
        assert_eq!(location(&res), format!("/controls/{key}"));
        let (status, html) = get(&b, &s, &format!("/controls/{key}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Release validation"), "{html}");
        assert!(html.contains("ISO42001:A.6.2.4"), "{html}");
        assert!(
            html.contains("Verification and validation measures"),
            "requirement title: {html}"
        );
        assert!(html.contains("href=\"/systems/SYS-1\""), "{html}");
        assert!(html.contains("Effective"), "{html}");

        let (_, html) = get(&b, &s, "/systems/SYS-1").await;
        assert!(
            html.contains(&format!("href=\"/controls/{key}\"")),
            "linked control on the system: {html}"
        );
        let (_, html) = get(&b, &s, "/controls?requirement=ISO42001:A.5.2").await;
        assert!(html.contains("Release validation"), "{html}");
        let (_, html) = get(&b, &s, "/controls?status=planned").await;
        assert!(!html.contains("Release validation"), "{html}");

        let (status, html) = get(&b, &s, &format!("/controls/{key}/edit")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("value=\"2026-01-10\""), "{html}");
    }
}

#[tokio::test]
async fn soa_line_is_edited_through_the_form_and_versions_approved() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/soa").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        assert!(html.contains("href=\"/soa\""), "{b}: navigation");
        let row = element(&html, "line-A.10.4");
        assert!(row.contains("Excluded"), "{b}: {row}");
        let row = element(&html, "line-A.6.2.4");
        assert!(row.contains("href=\"/controls/CTL-"), "{b}: {row}");

        let (status, html) = get(&grace, &s, "/soa/A.6.2.6/edit").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let token = csrf(&html);
        let res = post(
            &grace,
            &s,
            "/soa/A.6.2.6/edit",
            &[
                ("csrf", &token),
                ("applicable", "no"),
                ("justification", " "),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let html = res.text().await.unwrap_or_default();
        assert!(
            html.contains("field-invalid"),
            "{b}: error beside the field"
        );
        assert!(html.contains("is required"), "{b}");

        let res = post(
            &grace,
            &s,
            "/soa/A.6.2.6/edit",
            &[
                ("csrf", &token),
                ("applicable", "no"),
                ("justification", "Monitoring is run by the vendor"),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        assert_eq!(location(&res), "/soa", "{b}");
        let (_, html) = get(&grace, &s, "/soa").await;
        let row = element(&html, "line-A.6.2.6");
        assert!(
            row.contains("Monitoring is run by the vendor") && row.contains("Excluded"),
            "{b}: {row}"
        );
        assert!(html.contains("Approved by grace"), "{b}: demo version 1");

        let token = csrf(&html);
        let res = post(&grace, &s, "/soa/versions", &[("csrf", &token)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let res = post(&grace, &s, "/soa/versions/2/approve", &[("csrf", &token)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{b}");
        let history = s
            .app
            .soa_history(&aims_app::Actor::system())
            .await
            .unwrap_or_default();
        assert_eq!(history.len(), 2, "{b}");
        assert_eq!(history[0].approved_by.as_deref(), Some("grace"), "{b}");
        assert_eq!(
            history[0]
                .lines
                .iter()
                .filter(|l| l.applicable == Some(false))
                .count(),
            2,
            "{b}"
        );

        let res = grace
            .get(s.url("/soa/export.csv"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let text = res.text().await.unwrap_or_default();
        assert!(text.contains("A.6.2.6,"), "{b}");
    }
}

#[tokio::test]
async fn soa_exports_hold_what_the_soa_page_shows() {
    for b in backends() {
        let s = start_demo(b).await;
        let grace = login(&s, "grace").await;
        let (status, html) = get(&grace, &s, "/soa").await;
        assert_eq!(status, StatusCode::OK, "{b}");
        let res = grace
            .get(s.url("/soa/export.xlsx"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(res.status(), StatusCode::OK, "{b}");
        let book = crate::api::xlsx_rows(&res.bytes().await.unwrap_or_default(), "SoA");
        let (_, csv) = get(&grace, &s, "/soa/export.csv").await;
        let csv_rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(
            book[1..],
            csv_rows[..],
            "{b}: both exports hold the same lines"
        );
        assert_eq!(csv_rows.len(), 38, "{b}");
        for row in &csv_rows {
            // Each exported line is the page's row of that control: its decision, justification,
            // status and linked controls.
            let line = element(&html, &format!("line-{}", row[0]));
            assert!(!line.is_empty(), "{b}: no row for {}", row[0]);
            let decision = match row[2].as_str() {
                "yes" => "Yes",
                "no" => "No",
                _ => "Undecided",
            };
            assert!(
                line.contains(&format!("<td>{decision}</td>")),
                "{b}: {line}"
            );
            let status = aims_core::soa::SoaStatus::parse("status", &row[4])
                .map(|s| s.label())
                .unwrap_or_default();
            assert!(line.contains(&format!("<td>{status}</td>")), "{b}: {line}");
            for control in row[5].split_whitespace() {
                assert!(line.contains(&format!(">{control}</a>")), "{b}: {line}");
            }
            let justification = row[3]
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#x27;");
            assert!(line.contains(&justification), "{b}: {line}");
        }
    }
}
