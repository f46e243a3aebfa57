//! The registers read whole and arranged by the service (context issues, interested parties,
//! the Statement of Applicability, impact assessments) and the ledger's list, arranged by the
//! database: filters, sort in both directions, pages and totals; bad parameters named.

use aims_app::context::{IssueQuery, PartyQuery};
use aims_app::impacts::ImpactQuery;
use aims_app::ledger::LedgerQuery;
use aims_app::soa::SoaQuery;
use aims_app::users::UserQuery;
use aims_app::{Actor, App, Via};
use aims_core::context::{IssueInput, PartyInput, PartyRequirement};
use aims_core::soa::SoaEntryInput;
use aims_core::Role;
use serde::de::DeserializeOwned;

use crate::harness::{
    add_system, add_user, all_events, backends, fresh, invalid_fields, ok, root, system_input,
};
use crate::impacts::{complete, sign};

/// A list query from a query string, as the API reads it.
fn q<T: DeserializeOwned>(query: &str) -> T {
    serde_urlencoded::from_str(query).unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// Context issues:
///
/// | key    | title              | side     | category   | review     |
/// |--------|--------------------|----------|------------|------------|
/// | CTX-1  | EU AI Act          | external | regulatory | 2027-03-31 |
/// | CTX-2  | Skills gap         | internal | capability | —          |
/// | CTX-3  | Cloud costs        | external | market     | 2026-12-01 |
/// | CTX-4 … CTX-11 | Issue 4 … 11 | internal | other  | —          |
async fn issues(app: &App) {
    let add = |title: &str, side: &str, category: &str, review: Option<&str>| IssueInput {
        title: Some(title.into()),
        side: Some(side.into()),
        category: Some(category.into()),
        description: Some(format!("Notes on {title}")),
        effect: None,
        review_date: review.map(Into::into),
    };
    let rows = [
        add("EU AI Act", "external", "regulatory", Some("2027-03-31")),
        add("Skills gap", "internal", "capability", None),
        add("Cloud costs", "external", "market", Some("2026-12-01")),
    ];
    for r in rows {
        ok("setup", app.issue_add(&root(), &r).await);
    }
    for n in 4..=11 {
        let r = add(&format!("Issue {n}"), "internal", "other", None);
        ok("setup", app.issue_add(&root(), &r).await);
    }
}

#[tokio::test]
async fn context_issues_filter_sort_and_page() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        issues(app).await;
        let keys = |query: &str| {
            let query: IssueQuery = q(query);
            async move {
                let l = ok(b, app.issue_list(&root(), &query).await);
                let keys: Vec<String> = l.items.into_iter().map(|i| i.key).collect();
                (keys, l.total)
            }
        };
        let (all, total) = keys("").await;
        assert_eq!(total, 11, "{b}");
        assert_eq!(all[8..], ["CTX-9", "CTX-10", "CTX-11"], "{b}: by number");
        assert_eq!(
            keys("side=external&sort=-review").await,
            (vec!["CTX-1".into(), "CTX-3".into()], 2),
            "{b}"
        );
        assert_eq!(
            keys("sort=review").await.0[..3],
            ["CTX-3", "CTX-1", "CTX-2"],
            "{b}: dated first, the undated after them in key order"
        );
        assert_eq!(keys("q=NOTES%20ON%20skills").await.0, vec!["CTX-2"], "{b}");
        assert_eq!(keys("category=regulatory").await.0, vec!["CTX-1"], "{b}");
        assert_eq!(
            keys("sort=-title&per_page=2&page=1").await,
            (vec!["CTX-2".into(), "CTX-9".into()], 11),
            "{b}: Skills gap, then Issue 9 (text order, without case)"
        );
        assert_eq!(
            keys("sort=-key&per_page=4&page=3").await,
            (vec!["CTX-3".into(), "CTX-2".into(), "CTX-1".into()], 11),
            "{b}"
        );
        ok(b, app.issue_archive(&root(), "CTX-2").await);
        assert_eq!(keys("").await.1, 10, "{b}");
        assert_eq!(keys("archived=true").await.1, 11, "{b}");
        let bad: IssueQuery = q("side=inside&sort=size&per_page=0");
        assert_eq!(
            invalid_fields(b, app.issue_list(&root(), &bad).await),
            vec!["side", "sort", "per_page"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn parties_filter_by_open_requirements_and_sort_by_them() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let req = |text: &str, addressed: bool| PartyRequirement {
            text: text.into(),
            addressed,
            how: addressed.then(|| "Covered by the AI policy".into()),
        };
        let party = |name: &str, kind: &str, requirements: Vec<PartyRequirement>| PartyInput {
            name: Some(name.into()),
            party_type: Some(kind.into()),
            description: Some(format!("Who {name} are")),
            requirements: Some(requirements),
        };
        let rows = [
            party("Regulator", "regulator", vec![req("Transparency", false)]),
            party(
                "Customers",
                "customer",
                vec![req("Explanations", false), req("Appeals", false)],
            ),
            party("Staff", "employee", vec![req("Training", true)]),
        ];
        for r in rows {
            ok(b, app.party_add(&root(), &r).await);
        }
        let keys = |query: &str| {
            let query: PartyQuery = q(query);
            async move {
                let l = ok(b, app.party_list(&root(), &query).await);
                let keys: Vec<String> = l.items.into_iter().map(|p| p.key).collect();
                (keys, l.total)
            }
        };
        assert_eq!(keys("").await.0, vec!["IP-1", "IP-2", "IP-3"], "{b}");
        assert_eq!(
            keys("unaddressed=true&sort=-unaddressed").await,
            (vec!["IP-2".into(), "IP-1".into()], 2),
            "{b}"
        );
        assert_eq!(keys("unaddressed=false").await.0, vec!["IP-3"], "{b}");
        assert_eq!(
            keys("sort=name").await.0,
            vec!["IP-2", "IP-1", "IP-3"],
            "{b}"
        );
        assert_eq!(keys("party_type=employee").await.0, vec!["IP-3"], "{b}");
        assert_eq!(keys("q=appeals").await.0, vec!["IP-2"], "{b}");
        assert_eq!(keys("q=ai%20policy").await.0, vec!["IP-3"], "{b}: the how");
        let bad: PartyQuery = q("party_type=alien&page=0");
        assert_eq!(
            invalid_fields(b, app.party_list(&root(), &bad).await),
            vec!["party_type", "page"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn soa_lines_filter_by_group_decision_and_status() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let decide = |applicable: bool, why: &str| SoaEntryInput {
            applicable: Some(applicable),
            justification: Some(why.into()),
        };
        ok(
            b,
            app.soa_set(&root(), "A.6.2.4", &decide(true, "We validate models"))
                .await,
        );
        ok(
            b,
            app.soa_set(&root(), "A.10.3", &decide(false, "No suppliers of AI"))
                .await,
        );
        let ids = |query: &str| {
            let query: SoaQuery = q(query);
            async move {
                let l = ok(b, app.soa_list(&root(), &query).await);
                let ids: Vec<String> = l.items.into_iter().map(|l| l.control_id).collect();
                (ids, l.total)
            }
        };
        let (all, total) = ids("").await;
        assert_eq!((all.len(), total), (38, 38), "{b}");
        assert_eq!(
            all.last().map(String::as_str),
            Some("A.10.4"),
            "{b}: catalog order"
        );
        let (group, n) = ids("group=a.6").await;
        assert!(
            n > 5 && group.iter().all(|id| id.starts_with("A.6.")),
            "{b}: {group:?}"
        );
        assert_eq!(ids("applicable=yes").await.0, vec!["A.6.2.4"], "{b}");
        assert_eq!(ids("applicable=no").await.0, vec!["A.10.3"], "{b}");
        assert_eq!(ids("applicable=undecided").await.1, 36, "{b}");
        assert_eq!(ids("status=excluded").await.0, vec!["A.10.3"], "{b}");
        assert_eq!(ids("q=VALIDATE").await.0, vec!["A.6.2.4"], "{b}");
        let (by_decision, _) = ids("sort=applicable&per_page=2").await;
        assert_eq!(by_decision, vec!["A.6.2.4", "A.10.3"], "{b}");
        let (last, _) = ids("sort=-control&per_page=1").await;
        assert_eq!(last, vec!["A.10.4"], "{b}");
        let bad: SoaQuery = q("group=A.99&applicable=maybe&status=done");
        assert_eq!(
            invalid_fields(b, app.soa_list(&root(), &bad).await),
            vec!["status", "applicable", "group"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn impact_assessments_sort_search_and_page() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let s1 = add_system(app, &system_input("Credit scoring")).await;
        let s2 = add_system(app, &system_input("Support chatbot")).await;
        ok(b, app.impact_add(&root(), &complete(&s1)).await);
        ok(b, app.impact_add(&root(), &complete(&s2)).await);
        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        ok(b, app.impact_sign(&grace, "AIA-1", &sign()).await);
        ok(b, app.impact_add(&root(), &complete(&s1)).await);
        let keys = |query: &str| {
            let query: ImpactQuery = q(query);
            async move {
                let l = ok(b, app.impact_list(&root(), &query).await);
                let keys: Vec<String> = l.items.into_iter().map(|v| v.assessment.key).collect();
                (keys, l.total)
            }
        };
        assert_eq!(keys("").await.0, vec!["AIA-1", "AIA-2", "AIA-3"], "{b}");
        assert_eq!(
            keys("sort=-system").await.0,
            vec!["AIA-2", "AIA-3", "AIA-1"],
            "{b}: SYS-2 first, ties newest first"
        );
        assert_eq!(keys("q=chatbot").await.0, vec!["AIA-2"], "{b}");
        assert_eq!(
            keys("sort=version&per_page=1&page=3").await,
            (vec!["AIA-3".into()], 3),
            "{b}"
        );
        let bad: ImpactQuery = q("sort=colour");
        assert_eq!(
            invalid_fields(b, app.impact_list(&root(), &bad).await),
            vec!["sort"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn ledger_events_filter_sort_and_page() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let alice = add_user(app, "alice", Role::GovernanceLead).await;
        let s1 = add_system(app, &system_input("Credit scoring")).await;
        let issue = IssueInput {
            title: Some("EU AI Act".into()),
            side: Some("external".into()),
            category: Some("regulatory".into()),
            description: Some("Obligations".into()),
            ..Default::default()
        };
        ok(b, app.issue_add(&alice, &issue).await);
        let token = Actor {
            via: Via::Token("TOK-7".into()),
            ..alice.clone()
        };
        let patch = IssueInput {
            effect: Some("New duties".into()),
            ..Default::default()
        };
        ok(b, app.issue_update(&token, "CTX-1", &patch).await);

        let events = all_events(app).await;
        let head = i64::try_from(events.len()).unwrap_or(0);
        let list = |query: &str| {
            let query: LedgerQuery = q(query);
            async move {
                let l = ok(b, app.ledger_list(&root(), &query).await);
                let seqs: Vec<i64> = l.items.iter().map(|e| e.seq).collect();
                (seqs, l.total, l.items)
            }
        };
        let (seqs, total, _) = list("").await;
        assert_eq!(total, head, "{b}");
        assert_eq!(seqs.first(), Some(&head), "{b}: newest first");
        let (seqs, _, _) = list("sort=seq&per_page=2&page=2").await;
        assert_eq!(seqs, vec![3, 4], "{b}");
        let (_, _, by_alice) = list("actor=alice").await;
        let actors: Vec<&str> = by_alice.iter().map(|e| e.actor.as_str()).collect();
        assert_eq!(
            actors,
            vec!["alice (TOK-7)", "alice"],
            "{b}: directly and through a token"
        );
        let (_, n, found) = list("kind=context_issue&action=update").await;
        assert_eq!((n, found[0].key.as_str()), (1, "CTX-1"), "{b}");
        let (_, n, found) = list(&format!("key={}", s1.to_lowercase())).await;
        assert!(
            n >= 1 && found.iter().all(|e| e.key == s1),
            "{b}: {found:?}"
        );
        let day = &events[0].at[..10];
        assert_eq!(list(&format!("from={day}&to={day}")).await.1, head, "{b}");
        assert_eq!(list("to=2000-01-01").await.1, 0, "{b}");
        let before = head - 1;
        assert_eq!(
            list(&format!("before={before}")).await.0.first(),
            Some(&(before - 1)),
            "{b}"
        );
        let bad: LedgerQuery = q("kind=planet&from=2026-13-01&per_page=1001&sort=at");
        assert_eq!(
            invalid_fields(b, app.ledger_list(&root(), &bad).await),
            vec!["kind", "from", "sort", "per_page"],
            "{b}"
        );
        let before_nothing: LedgerQuery = q("before=0");
        assert_eq!(
            invalid_fields(b, app.ledger_list(&root(), &before_nothing).await),
            vec!["before"],
            "{b}"
        );
        // The older names still work, and their errors name what the caller wrote.
        let older: LedgerQuery = q(&format!("entity={s1}&limit=1"));
        let l = ok(b, app.ledger_list(&root(), &older).await);
        assert_eq!(
            (l.items.len(), l.items[0].key.as_str()),
            (1, s1.as_str()),
            "{b}"
        );
        let bad_limit: LedgerQuery = q("limit=0");
        assert_eq!(
            invalid_fields(b, app.ledger_list(&root(), &bad_limit).await),
            vec!["limit"],
            "{b}"
        );
        let both: LedgerQuery = q("limit=5&per_page=5&key=SYS-1&entity=SYS-1");
        assert_eq!(
            invalid_fields(b, app.ledger_list(&root(), &both).await),
            vec!["per_page", "key"],
            "{b}"
        );
        let crossed: LedgerQuery = q("from=2026-02-01&to=2026-01-31");
        assert_eq!(
            invalid_fields(b, app.ledger_list(&root(), &crossed).await),
            vec!["to"],
            "{b}"
        );
    }
}

#[tokio::test]
async fn users_filter_by_role_state_and_text() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        for (name, role) in [
            ("alice", Role::Auditor),
            ("bob", Role::RiskOwner),
            ("carol", Role::Auditor),
        ] {
            add_user(app, name, role).await;
        }
        ok(b, app.user_disable(&root(), "carol").await);
        let names = |query: &str| {
            let query: UserQuery = q(query);
            async move {
                let l = ok(b, app.user_search(&root(), &query).await);
                let names: Vec<String> = l.items.into_iter().map(|u| u.username).collect();
                (names, l.total)
            }
        };
        assert_eq!(
            names("").await.0,
            vec!["root", "alice", "bob", "carol"],
            "{b}: key order"
        );
        assert_eq!(names("role=auditor").await.0, vec!["alice", "carol"], "{b}");
        assert_eq!(
            names("role=auditor&disabled=false").await.0,
            vec!["alice"],
            "{b}"
        );
        assert_eq!(names("q=BO").await.0, vec!["bob"], "{b}");
        assert_eq!(
            names("sort=-username&per_page=2&page=2").await,
            (vec!["bob".into(), "alice".into()], 4),
            "{b}"
        );
        assert_eq!(
            names("sort=role").await.0,
            vec!["root", "bob", "alice", "carol"],
            "{b}: admin, risk owner, then auditors in key order"
        );
        let bad: UserQuery = q("role=king&sort=age");
        assert_eq!(
            invalid_fields(b, app.user_search(&root(), &bad).await),
            vec!["role", "sort"],
            "{b}"
        );
    }
}
