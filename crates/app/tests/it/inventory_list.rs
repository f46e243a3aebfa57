//! The inventory list: filters, sort and pages.

use aims_app::systems::ListQuery;
use aims_app::App;
use aims_core::inventory::SystemInput;
use aims_core::scope::ScopeInput;
use aims_core::Role;

use crate::harness::{add_system, add_user, assert_invalid, backends, fresh, ok, root};

/// Six systems (SYS-6 retired) and an approved scope covering the Lending unit:
///
/// | key | name            | owner | unit    | stage       | EU class     | criticality |
/// |-----|-----------------|-------|---------|-------------|--------------|-------------|
/// | 1   | Credit scoring  | alice | Lending | deployed    | high_risk    | critical    |
/// | 2   | Fraud detection | alice | Lending | monitored   | minimal      | high        |
/// | 3   | Chat assistant  | bob   | Support | deployed    | limited      | low         |
/// | 4   | Image triage    | root  | Health  | development | unclassified | medium      |
/// | 5   | Agent sandbox   | bob   |         | concept     | unclassified | (medium)    |
/// | 6   | Legacy pricing  | root  | Lending | deployed    | unclassified | (medium)    |
pub async fn populate(app: &App) {
    add_user(app, "alice", Role::RiskOwner).await;
    add_user(app, "bob", Role::Contributor).await;
    let rows: [[&str; 6]; 6] = [
        [
            "Credit scoring",
            "alice",
            "Lending",
            "deployed",
            "high_risk",
            "critical",
        ],
        [
            "Fraud detection",
            "alice",
            "Lending",
            "monitored",
            "minimal",
            "high",
        ],
        [
            "Chat assistant",
            "bob",
            "Support",
            "deployed",
            "limited",
            "low",
        ],
        [
            "Image triage",
            "root",
            "Health",
            "development",
            "unclassified",
            "medium",
        ],
        ["Agent sandbox", "bob", "", "concept", "unclassified", ""],
        [
            "Legacy pricing",
            "root",
            "Lending",
            "deployed",
            "unclassified",
            "",
        ],
    ];
    for [name, owner, unit, stage, eu, criticality] in rows {
        let word = |w: &str| (!w.is_empty()).then(|| w.to_owned());
        let mut input = SystemInput {
            name: word(name),
            purpose: Some(format!("Purpose of {name}")),
            owner: word(owner),
            business_unit: word(unit),
            stage: word(stage),
            eu_class: word(eu),
            eu_rationale: (eu != "unclassified").then(|| "Assessed by legal".into()),
            criticality: word(criticality),
            ..Default::default()
        };
        if name == "Credit scoring" {
            input.purpose = Some("Scores \"loan\" applications, fast".into());
            input.ai_roles = Some(vec!["deployer".into(), "provider".into()]);
            input.data_categories = Some(vec!["financial".into(), "personal".into()]);
            input.stakeholders = Some(vec!["Applicants".into(), "Credit officers".into()]);
            input.regions = Some(vec!["EU".into(), "UK".into()]);
            input.supplier = Some("In-house".into());
        }
        add_system(app, &input).await;
    }
    let scope = ScopeInput {
        statement: Some("Lending systems".into()),
        units: Some(vec!["Lending".into()]),
        coverage: Some("units".into()),
        ..Default::default()
    };
    let v = ok("populate", app.scope_set(&root(), &scope).await);
    ok("populate", app.scope_approve(&root(), v.version).await);
    ok(
        "populate",
        app.system_retire(&root(), "SYS-6", Some("Replaced")).await,
    );
}

/// A list query from `name=value&...`, as the API receives it.
pub fn lq(query: &str) -> ListQuery {
    let mut l = ListQuery::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let v = Some(value.to_owned());
        let n = value.parse::<i64>().ok();
        match name {
            "stage" => l.stage = v,
            "owner" => l.owner = v,
            "unit" => l.unit = v,
            "eu_class" => l.eu_class = v,
            "scope" => l.scope = v,
            "status" => l.status = v,
            "q" => l.q = v,
            "sort" => l.sort = v,
            "page" => l.page = n,
            "per_page" => l.per_page = n,
            other => panic!("unknown list parameter {other}"),
        }
    }
    l
}

/// The keys a query lists, in order.
pub async fn keys(b: &str, app: &App, query: &str) -> Vec<String> {
    let page = ok(b, app.system_list(&root(), &lq(query)).await);
    page.items.into_iter().map(|s| s.system.key).collect()
}

/// `SYS-n` for each n.
pub fn k(ns: &[u8]) -> Vec<String> {
    ns.iter().map(|n| format!("SYS-{n}")).collect()
}

#[tokio::test]
async fn filters_sort_and_pages() {
    for b in backends() {
        let t = fresh(b).await;
        populate(&t.app).await;
        let app = &t.app;
        let cases: &[(&str, &[u8])] = &[
            ("", &[1, 2, 3, 4, 5]),
            ("status=active", &[1, 2, 3, 4, 5]),
            ("stage=deployed", &[1, 3]),
            ("stage=deployed&status=all", &[1, 3, 6]),
            ("owner=alice", &[1, 2]),
            ("unit=Lending", &[1, 2]),
            ("unit=Lending&status=all", &[1, 2, 6]),
            ("unit=lending", &[]),
            ("eu_class=high_risk", &[1]),
            ("eu_class=unclassified&status=all", &[4, 5, 6]),
            ("scope=in", &[1, 2]),
            ("scope=out", &[3, 4, 5]),
            ("scope=out&status=all", &[3, 4, 5, 6]),
            ("status=retired", &[6]),
            ("status=all", &[1, 2, 3, 4, 5, 6]),
            ("q=FRAUD", &[2]),
            ("q=sys-4", &[4]),
            ("q=\"loan\"", &[1]),
            ("q=zebra", &[]),
            ("q=legacy", &[]),
            ("q=legacy&status=retired", &[6]),
            ("owner=alice&stage=monitored", &[2]),
            ("owner=bob&scope=in", &[]),
            ("stage= &owner=", &[1, 2, 3, 4, 5]),
            ("sort=name", &[5, 3, 1, 2, 4]),
            ("sort=-name", &[4, 2, 1, 3, 5]),
            ("sort=-key", &[5, 4, 3, 2, 1]),
            ("sort=owner", &[1, 2, 3, 5, 4]),
            ("sort=-owner", &[4, 5, 3, 2, 1]),
            ("sort=stage&status=all", &[5, 4, 1, 3, 6, 2]),
            ("sort=-stage", &[2, 3, 1, 4, 5]),
            // Ordered words sort in their order (lifecycle, severity), not alphabetically.
            ("sort=criticality", &[3, 4, 5, 2, 1]),
            ("sort=-criticality", &[1, 2, 5, 4, 3]),
            ("sort=-updated&status=all", &[6, 5, 4, 3, 2, 1]),
        ];
        for (query, expected) in cases {
            assert_eq!(keys(b, app, query).await, k(expected), "{b}: {query}");
        }

        // Pages: the total counts every match, the items only the page.
        for (n, expected) in [(1, k(&[1, 2])), (2, k(&[3, 4])), (3, k(&[5])), (4, k(&[]))] {
            let p = ok(
                b,
                app.system_list(&root(), &lq(&format!("per_page=2&page={n}")))
                    .await,
            );
            assert_eq!((p.total, p.page, p.per_page), (5, n, 2), "{b}: page {n}");
            let got: Vec<String> = p.items.into_iter().map(|s| s.system.key).collect();
            assert_eq!(got, expected, "{b}: page {n}");
        }
        assert_eq!(
            keys(b, app, "per_page=2&page=2&sort=-key").await,
            k(&[3, 2]),
            "{b}"
        );
        assert_eq!(
            keys(b, app, "per_page=2&page=2&sort=name").await,
            k(&[1, 2]),
            "{b}"
        );
        let p = ok(
            b,
            app.system_list(&root(), &lq("per_page=1&owner=bob")).await,
        );
        assert_eq!((p.total, p.items.len()), (2, 1), "{b}");
        let p = ok(b, app.system_list(&root(), &lq("")).await);
        assert_eq!((p.total, p.page, p.per_page), (5, 1, 50), "{b}: defaults");
        let all = ok(b, app.system_list(&root(), &lq("status=all")).await);
        let flags: Vec<bool> = all.items.iter().map(|s| s.in_scope).collect();
        assert_eq!(flags, vec![true, true, false, false, false, false], "{b}");

        // Bad queries name the parameter.
        for (query, field) in [
            ("stage=launched", "stage"),
            ("eu_class=scary", "eu_class"),
            ("scope=maybe", "scope"),
            ("status=gone", "status"),
            ("sort=colour", "sort"),
            ("sort=--key", "sort"),
            ("per_page=0", "per_page"),
            ("per_page=201", "per_page"),
            ("page=0", "page"),
        ] {
            assert_invalid(b, app.system_list(&root(), &lq(query)).await, field);
            assert_invalid(b, app.system_export_csv(&root(), &lq(query)).await, field);
        }
    }
}
