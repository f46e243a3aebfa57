//! Context of the organisation: issues and interested parties.

use aims_app::context::{IssueQuery, PartyQuery};
use aims_app::AppError;
use aims_core::context::{
    IssueCategory, IssueInput, IssueSide, PartyInput, PartyRequirement, PartyType,
};

use crate::harness::{
    all_events, assert_conflict, assert_invalid, backends, event_count, fresh, invalid_fields, ok,
    root, snapshot,
};

fn issue(title: &str) -> IssueInput {
    IssueInput {
        title: Some(title.into()),
        side: Some("external".into()),
        category: Some("regulatory".into()),
        description: Some(format!("About {title}")),
        effect: None,
        review_date: Some("2027-03-31".into()),
    }
}

fn party(name: &str, requirements: Vec<PartyRequirement>) -> PartyInput {
    PartyInput {
        name: Some(name.into()),
        party_type: Some("regulator".into()),
        description: Some(format!("About {name}")),
        requirements: Some(requirements),
    }
}

fn req(text: &str, addressed: bool, how: Option<&str>) -> PartyRequirement {
    PartyRequirement {
        text: text.into(),
        addressed,
        how: how.map(Into::into),
    }
}

#[tokio::test]
async fn issues_add_update_archive_list() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let a = ok(b, app.issue_add(&root(), &issue("EU AI Act")).await);
        assert_eq!(a.key, "CTX-1", "{b}");
        assert_eq!(a.fields.side, IssueSide::External, "{b}");
        assert_eq!(a.fields.category, IssueCategory::Regulatory, "{b}");
        assert_eq!(a.fields.review_date.as_deref(), Some("2027-03-31"), "{b}");
        assert!(!a.archived, "{b}");
        let c = ok(b, app.issue_add(&root(), &issue("Skills gap")).await);
        assert_eq!(c.key, "CTX-2", "{b}");
        assert_eq!(ok(b, app.issue_get(&root(), "ctx-1").await), a, "{b}");

        let patch = IssueInput {
            side: Some("internal".into()),
            category: Some("capability".into()),
            effect: Some("Slows the rollout".into()),
            ..Default::default()
        };
        let u = ok(b, app.issue_update(&root(), "CTX-2", &patch).await);
        assert_eq!(u.fields.title, "Skills gap", "{b}: absent fields kept");
        assert_eq!(u.fields.side, IssueSide::Internal, "{b}");
        assert_eq!(u.fields.category, IssueCategory::Capability, "{b}");
        assert_eq!(u.fields.effect.as_deref(), Some("Slows the rollout"), "{b}");
        assert_eq!(ok(b, app.issue_get(&root(), "CTX-2").await), u, "{b}");
        let n = event_count(app).await;
        assert_eq!(
            ok(b, app.issue_update(&root(), "CTX-2", &patch).await),
            u,
            "{b}"
        );
        assert_eq!(
            event_count(app).await,
            n,
            "{b}: unchanged update records nothing"
        );

        let archived = ok(b, app.issue_archive(&root(), "CTX-1").await);
        assert!(archived.archived, "{b}");
        let listed = |all| async move {
            let q = IssueQuery {
                archived: Some(all),
                ..IssueQuery::default()
            };
            let v = ok(b, app.issue_list(&root(), &q).await);
            v.items.into_iter().map(|i| i.key).collect::<Vec<_>>()
        };
        assert_eq!(listed(false).await, vec!["CTX-2"], "{b}");
        assert_eq!(listed(true).await, vec!["CTX-1", "CTX-2"], "{b}");
        assert!(ok(b, app.issue_get(&root(), "CTX-1").await).archived, "{b}");
        let actions: Vec<String> = all_events(app)
            .await
            .into_iter()
            .filter(|e| e.kind == "context_issue")
            .map(|e| format!("{} {}", e.key, e.action))
            .collect();
        assert_eq!(
            actions,
            vec![
                "CTX-1 create",
                "CTX-2 create",
                "CTX-2 update",
                "CTX-1 archive"
            ],
            "{b}"
        );

        // Refused: nothing written.
        let snap = snapshot(app).await;
        assert_conflict(
            b,
            app.issue_add(&root(), &issue("Skills gap")).await,
            "title",
        );
        assert_conflict(
            b,
            app.issue_add(&root(), &issue(" EU AI Act ")).await,
            "title",
        );
        let retitle = IssueInput {
            title: Some("EU AI Act".into()),
            ..Default::default()
        };
        assert_conflict(
            b,
            app.issue_update(&root(), "CTX-2", &retitle).await,
            "title",
        );
        assert_conflict(
            b,
            app.issue_update(&root(), "CTX-1", &patch).await,
            "archived",
        );
        assert_conflict(b, app.issue_archive(&root(), "CTX-1").await, "archived");
        let no_side = IssueInput {
            side: None,
            ..issue("New")
        };
        assert_invalid(b, app.issue_add(&root(), &no_side).await, "side");
        let bad_date = IssueInput {
            review_date: Some("soon".into()),
            ..issue("New")
        };
        assert_invalid(b, app.issue_add(&root(), &bad_date).await, "review_date");
        let bad_category = IssueInput {
            category: Some("weather".into()),
            ..Default::default()
        };
        assert_invalid(
            b,
            app.issue_update(&root(), "CTX-2", &bad_category).await,
            "category",
        );
        let long = IssueInput {
            title: Some("t".repeat(201)),
            ..issue("x")
        };
        assert_invalid(b, app.issue_add(&root(), &long).await, "title");
        let empty = IssueInput::default();
        assert_eq!(
            invalid_fields(b, app.issue_add(&root(), &empty).await),
            vec!["title", "side", "category", "description"],
            "{b}"
        );
        let missing = app.issue_update(&root(), "CTX-9", &patch).await;
        assert!(matches!(missing, Err(AppError::NotFound { .. })), "{b}");
        assert_eq!(snapshot(app).await, snap, "{b}");
        assert_eq!(ok(b, app.issue_get(&root(), "CTX-2").await), u, "{b}");
    }
}

#[tokio::test]
async fn parties_add_update_archive_list() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let reqs = vec![
            req("Registration of high-risk systems", false, None),
            req("Incident reporting", true, Some("Incident procedure P-7")),
        ];
        let p = ok(
            b,
            app.party_add(&root(), &party("Market surveillance", reqs.clone()))
                .await,
        );
        assert_eq!(p.key, "IP-1", "{b}");
        assert_eq!(p.fields.party_type, PartyType::Regulator, "{b}");
        assert_eq!(p.fields.requirements, reqs, "{b}");
        assert_eq!(ok(b, app.party_get(&root(), "ip-1").await), p, "{b}");
        let q = ok(b, app.party_add(&root(), &party("Patients", vec![])).await);
        assert_eq!(q.key, "IP-2", "{b}");

        // Marking the first requirement addressed, with how.
        let mut addressed = reqs.clone();
        addressed[0] = req(
            "Registration of high-risk systems",
            true,
            Some("Registered 2026"),
        );
        let patch = PartyInput {
            party_type: Some("affected_community".into()),
            requirements: Some(addressed.clone()),
            ..Default::default()
        };
        let u = ok(b, app.party_update(&root(), "IP-1", &patch).await);
        assert_eq!(u.fields.name, "Market surveillance", "{b}");
        assert_eq!(u.fields.party_type, PartyType::AffectedCommunity, "{b}");
        assert_eq!(u.fields.requirements, addressed, "{b}");
        assert_eq!(ok(b, app.party_get(&root(), "IP-1").await), u, "{b}");

        let archived = ok(b, app.party_archive(&root(), "IP-2").await);
        assert!(archived.archived, "{b}");
        let names = |all| async move {
            let q = PartyQuery {
                archived: Some(all),
                ..PartyQuery::default()
            };
            let v = ok(b, app.party_list(&root(), &q).await);
            v.items.into_iter().map(|p| p.key).collect::<Vec<_>>()
        };
        assert_eq!(names(false).await, vec!["IP-1"], "{b}");
        assert_eq!(names(true).await, vec!["IP-1", "IP-2"], "{b}");

        // Refused: nothing written.
        let snap = snapshot(app).await;
        assert_conflict(
            b,
            app.party_add(&root(), &party("Patients", vec![])).await,
            "name",
        );
        let rename = PartyInput {
            name: Some("Patients".into()),
            ..Default::default()
        };
        assert_conflict(b, app.party_update(&root(), "IP-1", &rename).await, "name");
        assert_conflict(
            b,
            app.party_update(&root(), "IP-2", &patch).await,
            "archived",
        );
        assert_conflict(b, app.party_archive(&root(), "IP-2").await, "archived");
        let unexplained = vec![req("Explain decisions", true, None)];
        assert_invalid(
            b,
            app.party_add(&root(), &party("Applicants", unexplained))
                .await,
            "requirements[0].how",
        );
        let mut blank_how = addressed.clone();
        blank_how[1].how = Some("   ".into());
        let patch2 = PartyInput {
            requirements: Some(blank_how),
            ..Default::default()
        };
        assert_invalid(
            b,
            app.party_update(&root(), "IP-1", &patch2).await,
            "requirements[1].how",
        );
        let no_text = vec![req(" ", false, None)];
        assert_invalid(
            b,
            app.party_add(&root(), &party("X", no_text)).await,
            "requirements[0].text",
        );
        let bad_type = PartyInput {
            party_type: Some("alien".into()),
            ..party("X", vec![])
        };
        assert_invalid(b, app.party_add(&root(), &bad_type).await, "party_type");
        let too_many: Vec<PartyRequirement> = (0..101)
            .map(|i| req(&format!("r{i}"), false, None))
            .collect();
        assert_invalid(
            b,
            app.party_add(&root(), &party("X", too_many)).await,
            "requirements",
        );
        assert_eq!(snapshot(app).await, snap, "{b}");
        assert_eq!(ok(b, app.party_get(&root(), "IP-1").await), u, "{b}");

        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}
