//! The incident, nonconformity, control and action lists: filters, sort in both directions,
//! pages and totals, done in the database; bad parameters named; and the search and title
//! columns filled in when an older database is migrated.

use aims_app::incidents::{IncidentQuery, MoveInput};
use aims_app::{App, AppError, Settings};
use aims_core::action::ActionInput;
use aims_core::control::ControlInput;
use aims_core::incident::RcaInput;
use aims_core::nonconformity::NcInput;
use aims_core::Role;
use serde::de::DeserializeOwned;

use crate::harness::{
    add_system, add_user, backends, fresh, invalid_fields, ok, raw, root, system_input,
};
use crate::incidents::incident_input;

/// A list query from a query string, as the API reads it.
fn q<T: DeserializeOwned>(query: &str) -> T {
    serde_urlencoded::from_str(query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// Five incidents on two systems:
///
/// | key | title                  | type          | severity | owner | system | status   |
/// |-----|------------------------|---------------|----------|-------|--------|----------|
/// | 1   | Drift in scoring       | performance   | 3        | root  | SYS-1  | reported |
/// | 2   | Biased rejections      | bias_fairness | 1        | alice | SYS-1  | triaged (serious) |
/// | 3   | Chatbot leaked address | privacy       | 2        | alice | SYS-2  | reported |
/// | 4   | Prompt injection       | security      | 1        | root  | SYS-2  | resolved |
/// | 5   | Élan outage            | safety        | 4        | root  | SYS-1  | reported |
async fn incidents(app: &App) {
    let s1 = add_system(app, &system_input("Credit scoring")).await;
    let s2 = add_system(app, &system_input("Support chatbot")).await;
    let rows = [
        ("Drift in scoring", "performance", 3, "root", &s1),
        ("Biased rejections", "bias_fairness", 1, "alice", &s1),
        ("Chatbot leaked address", "privacy", 2, "alice", &s2),
        ("Prompt injection", "security", 1, "root", &s2),
        ("Élan outage", "safety", 4, "root", &s1),
    ];
    for (title, kind, severity, owner, system) in rows {
        let mut input = incident_input(title, system);
        input.incident_type = Some(kind.into());
        input.severity = Some(severity);
        input.owner = Some(owner.into());
        if title.starts_with("Biased") {
            input.serious_basis = Some("general".into());
        }
        ok("setup", app.incident_add(&root(), &input).await);
    }
    let to = |s: &str, note: Option<&str>| MoveInput {
        to: s.into(),
        note: note.map(Into::into),
    };
    ok(
        "setup",
        app.incident_move(&root(), "INC-2", &to("triaged", None))
            .await,
    );
    ok(
        "setup",
        app.incident_move(&root(), "INC-4", &to("triaged", None))
            .await,
    );
    let rca = RcaInput {
        whys: Some(vec!["The gateway passed tool calls unchecked".into()]),
        category: Some("technology".into()),
        lessons_learned: None,
    };
    ok("setup", app.incident_rca(&root(), "INC-4", &rca).await);
    let resolved = to("resolved", Some("blocked at the gateway"));
    ok(
        "setup",
        app.incident_move(&root(), "INC-4", &resolved).await,
    );
}

async fn incident_keys(b: &str, app: &App, query: &str) -> (Vec<String>, i64) {
    let l = ok(
        b,
        app.incident_list(&root(), &q::<IncidentQuery>(query)).await,
    );
    let keys = l.items.into_iter().map(|v| v.incident.key).collect();
    (keys, l.total)
}

fn keys(prefix: &str, ns: &[i64]) -> Vec<String> {
    ns.iter().map(|n| format!("{prefix}-{n}")).collect()
}

#[tokio::test]
async fn incidents_filter_sort_and_page_in_the_database() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::RiskOwner).await;
        incidents(app).await;
        let inc = |ns: &[i64]| keys("INC", ns);
        let cases: &[(&str, &[i64])] = &[
            ("", &[5, 4, 3, 2, 1]),
            ("sort=key", &[1, 2, 3, 4, 5]),
            // Ties keep key order in the sort's direction.
            ("sort=severity", &[2, 4, 3, 1, 5]),
            ("sort=-severity", &[5, 1, 3, 4, 2]),
            // Byte order on both engines: É after the ASCII capitals.
            ("sort=title", &[2, 3, 1, 4, 5]),
            ("sort=-title", &[5, 4, 1, 3, 2]),
            // The workflow's order, not the alphabet's.
            ("sort=status", &[1, 3, 5, 2, 4]),
            ("sort=-status", &[4, 2, 5, 3, 1]),
            ("sort=type", &[1, 2, 5, 4, 3]),
            ("sort=owner", &[2, 3, 1, 4, 5]),
            ("status=reported", &[5, 3, 1]),
            ("open=true", &[5, 3, 2, 1]),
            ("severity=1", &[4, 2]),
            ("incident_type=privacy", &[3]),
            ("system=sys-2", &[4, 3]),
            ("owner=alice", &[3, 2]),
            ("serious=true", &[2]),
            ("system=SYS-1&severity=1", &[2]),
            ("q=LEAKED", &[3]),
            ("q=%C3%A9lan", &[5]),
            ("q=inc-4", &[4]),
            ("q=what%20happened&sort=-severity", &[5, 1, 3, 4, 2]),
            ("q=nothing%25like", &[]),
        ];
        for (query, want) in cases {
            let (got, total) = incident_keys(b, app, query).await;
            assert_eq!(got, inc(want), "{b}: {query}");
            assert_eq!(total, want.len() as i64, "{b}: {query}");
        }

        // Pages: the total counts every match; a page past the end is empty.
        for (page, want) in [(1, &[1, 2][..]), (2, &[3, 4]), (3, &[5]), (4, &[])] {
            let query = format!("sort=key&per_page=2&page={page}");
            let l = ok(b, app.incident_list(&root(), &q(&query)).await);
            let got: Vec<String> = l.items.into_iter().map(|v| v.incident.key).collect();
            assert_eq!((got, l.total), (inc(want), 5), "{b}: {query}");
            assert_eq!((l.page, l.per_page), (page, Some(2)), "{b}");
        }
        let l = ok(b, app.incident_list(&root(), &q("page=1&severity=1")).await);
        assert_eq!((l.total, l.page, l.per_page), (2, 1, Some(50)), "{b}");
        let l = ok(
            b,
            app.incident_list(&root(), &IncidentQuery::default()).await,
        );
        assert_eq!(
            (l.total, l.page, l.per_page),
            (5, 1, None),
            "{b}: every match"
        );

        let bad = q::<IncidentQuery>(
            "sort=-size&status=gone&severity=9&incident_type=x&page=0&per_page=501",
        );
        assert_eq!(
            invalid_fields(b, app.incident_list(&root(), &bad).await),
            vec![
                "status",
                "incident_type",
                "severity",
                "sort",
                "per_page",
                "page"
            ],
            "{b}"
        );
    }
}

fn nc(source: &str, owner: &str, due: &str, status: &str, description: &str) -> NcInput {
    NcInput {
        source: Some(source.into()),
        description: Some(description.into()),
        owner: Some(owner.into()),
        due_date: Some(due.into()),
        status: Some(status.into()),
        requirement: Some("ISO42001:8.4".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn nonconformities_filter_sort_and_page_in_the_database() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::RiskOwner).await;
        for input in [
            nc(
                "internal_audit",
                "root",
                "2026-09-30",
                "open",
                "Review dates missed",
            ),
            nc(
                "monitoring",
                "alice",
                "",
                "action_planned",
                "Impact assessment outdated",
            ),
            nc(
                "external_audit",
                "root",
                "2026-06-30",
                "verifying",
                "Drift alerts ignored",
            ),
            nc(
                "internal_audit",
                "alice",
                "2026-12-31",
                "open",
                "Training records incomplete",
            ),
        ] {
            ok(b, app.nc_add(&root(), &input).await);
        }
        let cases: &[(&str, &[i64])] = &[
            ("", &[4, 3, 2, 1]),
            // No due date sorts last in both directions.
            ("sort=due", &[3, 1, 4, 2]),
            ("sort=-due", &[4, 1, 3, 2]),
            ("sort=status", &[1, 4, 2, 3]),
            ("sort=-status", &[3, 2, 4, 1]),
            ("sort=source", &[1, 4, 3, 2]),
            ("sort=owner", &[2, 4, 1, 3]),
            ("source=internal_audit", &[4, 1]),
            ("owner=alice&sort=key", &[2, 4]),
            ("status=open", &[4, 1]),
            ("open=true", &[4, 3, 2, 1]),
            ("q=TRAINING", &[4]),
            ("q=iso42001:8.4&sort=key", &[1, 2, 3, 4]),
        ];
        for (query, want) in cases {
            let l = ok(b, app.nc_list(&root(), &q(query)).await);
            let got: Vec<String> = l.items.into_iter().map(|n| n.key).collect();
            assert_eq!(
                (got, l.total),
                (keys("NC", want), want.len() as i64),
                "{b}: {query}"
            );
        }
        for (page, want) in [(1, &[4, 3, 2][..]), (2, &[1])] {
            let l = ok(
                b,
                app.nc_list(&root(), &q(&format!("per_page=3&page={page}")))
                    .await,
            );
            let got: Vec<String> = l.items.into_iter().map(|n| n.key).collect();
            assert_eq!((got, l.total), (keys("NC", want), 4), "{b}: page {page}");
        }
        assert_eq!(
            invalid_fields(
                b,
                app.nc_list(&root(), &q("source=audit&sort=due_date")).await
            ),
            vec!["source", "sort"],
            "{b}"
        );
    }
}

fn control(
    name: &str,
    status: &str,
    effectiveness: &str,
    owner: &str,
    review: &str,
) -> ControlInput {
    ControlInput {
        name: Some(name.into()),
        description: Some(format!("How {name} works")),
        owner: Some(owner.into()),
        status: Some(status.into()),
        implementation_date: (status == "implemented").then(|| "2026-03-01".into()),
        effectiveness: Some(effectiveness.into()),
        review_date: Some(review.into()),
    }
}

#[tokio::test]
async fn controls_filter_sort_and_page_in_the_database() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::RiskOwner).await;
        for input in [
            control(
                "Model validation",
                "implemented",
                "effective",
                "root",
                "2027-03-01",
            ),
            control("Access logging", "planned", "not_assessed", "alice", ""),
            control(
                "Bias testing",
                "in_progress",
                "partially_effective",
                "root",
                "2026-11-01",
            ),
            control(
                "Physical security",
                "not_applicable",
                "not_assessed",
                "alice",
                "",
            ),
        ] {
            ok(b, app.control_add(&root(), &input).await);
        }
        let cases: &[(&str, &[i64])] = &[
            ("", &[1, 2, 3, 4]),
            ("sort=-key", &[4, 3, 2, 1]),
            ("sort=name", &[2, 3, 1, 4]),
            ("sort=-name", &[4, 1, 3, 2]),
            ("sort=review", &[3, 1, 2, 4]),
            ("sort=-review", &[1, 3, 4, 2]),
            ("sort=status", &[2, 3, 1, 4]),
            ("sort=effectiveness", &[2, 4, 1, 3]),
            ("sort=-effectiveness", &[3, 1, 4, 2]),
            ("applicable=true", &[1, 2, 3]),
            ("applicable=false", &[4]),
            ("effectiveness=effective", &[1]),
            ("owner=alice", &[2, 4]),
            ("status=planned", &[2]),
            ("q=BIAS", &[3]),
            ("q=how&applicable=true&sort=-name", &[1, 3, 2]),
        ];
        for (query, want) in cases {
            let l = ok(b, app.control_list(&root(), &q(query)).await);
            let got: Vec<String> = l.items.into_iter().map(|c| c.key).collect();
            assert_eq!(
                (got, l.total),
                (keys("CTL", want), want.len() as i64),
                "{b}: {query}"
            );
        }
        let l = ok(
            b,
            app.control_list(&root(), &q("sort=name&per_page=3&page=2"))
                .await,
        );
        let got: Vec<String> = l.items.into_iter().map(|c| c.key).collect();
        assert_eq!((got, l.total, l.page), (keys("CTL", &[4]), 4, 2), "{b}");
        assert_eq!(
            invalid_fields(
                b,
                app.control_list(&root(), &q("effectiveness=great&sort=-size"))
                    .await
            ),
            vec!["effectiveness", "sort"],
            "{b}"
        );
    }
}

fn action(title: &str, owner: &str, due: &str, effort: i64) -> ActionInput {
    ActionInput {
        title: Some(title.into()),
        description: Some(format!("Steps to {title}")),
        owner: Some(owner.into()),
        start_date: Some("2026-01-05".into()),
        due_date: Some(due.into()),
        effort: Some(effort),
        ..Default::default()
    }
}

#[tokio::test]
async fn actions_filter_sort_and_page_in_the_database() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::RiskOwner).await;
        for input in [
            action("Write AI policy", "root", "2026-02-28", 5),
            action("Train reviewers", "alice", "2026-01-31", 3),
            action("Audit suppliers", "root", "2027-06-30", 8),
            action("Retire legacy model", "alice", "2027-01-15", 1),
        ] {
            ok(b, app.action_add(&root(), &input).await);
        }
        for (key, status) in [
            ("ACT-1", "done"),
            ("ACT-3", "in_progress"),
            ("ACT-4", "cancelled"),
        ] {
            let change = ActionInput {
                status: Some(status.into()),
                ..Default::default()
            };
            ok(b, app.action_update(&root(), key, &change).await);
        }
        let cases: &[(&str, &[i64])] = &[
            ("", &[1, 2, 3, 4]),
            ("sort=due", &[2, 1, 4, 3]),
            ("sort=-due", &[3, 4, 1, 2]),
            ("sort=effort", &[4, 2, 1, 3]),
            ("sort=-effort", &[3, 1, 2, 4]),
            ("sort=title", &[3, 4, 2, 1]),
            ("sort=status", &[2, 3, 1, 4]),
            ("sort=-owner", &[3, 1, 4, 2]),
            ("overdue=true", &[2]),
            ("owner=alice", &[2, 4]),
            ("status=done", &[1]),
            ("q=LEGACY", &[4]),
            ("q=steps&sort=-effort&owner=root", &[3, 1]),
        ];
        for (query, want) in cases {
            let l = ok(b, app.action_list(&root(), &q(query)).await);
            let got: Vec<String> = l.items.into_iter().map(|a| a.key).collect();
            assert_eq!(
                (got, l.total),
                (keys("ACT", want), want.len() as i64),
                "{b}: {query}"
            );
        }
        for (page, want) in [(1, &[1][..]), (3, &[3]), (5, &[])] {
            let l = ok(
                b,
                app.action_list(&root(), &q(&format!("per_page=1&page={page}")))
                    .await,
            );
            let got: Vec<String> = l.items.into_iter().map(|a| a.key).collect();
            assert_eq!((got, l.total), (keys("ACT", want), 4), "{b}: page {page}");
        }
        let bad = app
            .action_list(&root(), &q("status=finished&sort=start_date&per_page=0"))
            .await;
        assert_eq!(
            invalid_fields(b, bad),
            vec!["status", "sort", "per_page"],
            "{b}"
        );
    }
}

/// A database from before the list columns: they are added and filled from each record.
#[tokio::test]
async fn migrating_an_older_database_fills_the_list_columns() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_user(app, "alice", Role::RiskOwner).await;
        incidents(app).await;
        ok(
            b,
            app.nc_add(
                &root(),
                &nc("monitoring", "alice", "", "open", "Drift alerts ignored"),
            )
            .await,
        );
        ok(
            b,
            app.control_add(
                &root(),
                &control("Bias testing", "planned", "not_assessed", "root", ""),
            )
            .await,
        );
        ok(
            b,
            app.action_add(
                &root(),
                &action("Retire legacy model", "alice", "2027-01-15", 1),
            )
            .await,
        );
        for sql in [
            "ALTER TABLE incidents DROP COLUMN title",
            "ALTER TABLE incidents DROP COLUMN search",
            "ALTER TABLE nonconformities DROP COLUMN search",
            "ALTER TABLE controls DROP COLUMN search",
            "ALTER TABLE actions DROP COLUMN search",
            // Migration 17 came after: it is taken back too, to run again.
            "DROP INDEX risks_owner_tally",
            "DROP INDEX risks_untreated",
            "DELETE FROM schema_version WHERE version >= 16",
        ] {
            raw(app, sql).await;
        }
        assert!(
            matches!(
                App::open(&t.url, Settings::default()).await,
                Err(AppError::Schema(_))
            ),
            "{b}"
        );
        let app = ok(b, App::open_and_migrate(&t.url, Settings::default()).await);
        let (got, _) = incident_keys(b, &app, "sort=title").await;
        assert_eq!(got, keys("INC", &[2, 3, 1, 4, 5]), "{b}: titles filled");
        let (got, _) = incident_keys(b, &app, "q=LEAKED").await;
        assert_eq!(got, keys("INC", &[3]), "{b}");
        let ncs = ok(b, app.nc_list(&root(), &q("q=drift")).await).items;
        assert_eq!(ncs.len(), 1, "{b}");
        let controls = ok(b, app.control_list(&root(), &q("q=ctl-1")).await).items;
        assert_eq!(controls.len(), 1, "{b}");
        let actions = ok(b, app.action_list(&root(), &q("q=legacy")).await).items;
        assert_eq!(actions.len(), 1, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        app.db.close().await;
    }
}
