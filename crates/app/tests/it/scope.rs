//! Scope versions: drafts, approval, the in-scope flags that follow it, and the diff.

use aims_app::{App, AppError};
use aims_core::inventory::SystemInput;
use aims_core::scope::{Exclusion, ScopeInput};
use aims_core::Role;

use crate::harness::{
    add_system, add_user, assert_conflict, assert_forbidden, backends, fresh, ok, root, snapshot,
    system_input,
};

pub fn unit_system(name: &str, unit: Option<&str>) -> SystemInput {
    SystemInput {
        business_unit: unit.map(Into::into),
        ..system_input(name)
    }
}

pub fn excl(item: &str, justification: &str) -> Exclusion {
    Exclusion {
        item: item.into(),
        justification: justification.into(),
    }
}

/// The keys of the systems flagged in scope, in key order (retired ones included).
async fn in_scope(b: &str, app: &App) -> Vec<String> {
    let query = aims_app::systems::ListQuery {
        scope: Some("in".into()),
        status: Some("all".into()),
        ..Default::default()
    };
    let page = ok(b, app.system_list(&root(), &query).await);
    page.items.into_iter().map(|s| s.system.key).collect()
}

pub fn keys(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn approval_moves_the_in_scope_flags() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let grace = add_user(app, "grace", Role::GovernanceLead).await;
        let rosa = add_user(app, "rosa", Role::RiskOwner).await;
        add_system(app, &unit_system("Credit scoring", Some("Lending"))).await;
        add_system(app, &unit_system("Fraud detection", Some("Lending"))).await;
        add_system(app, &unit_system("Chat assistant", Some("Support"))).await;
        add_system(app, &unit_system("Sandbox", None)).await;

        // Version 1 is a draft: nothing is in scope yet.
        let v1_input = ScopeInput {
            statement: Some("The lending business".into()),
            units: Some(vec!["Lending".into()]),
            coverage: Some("units".into()),
            ..Default::default()
        };
        let v1 = ok(b, app.scope_set(&grace, &v1_input).await);
        assert_eq!((v1.key.as_str(), v1.version), ("SCP-1", 1), "{b}");
        assert_eq!(v1.created_by, "grace", "{b}");
        assert!(!v1.is_approved(), "{b}");
        assert_eq!(in_scope(b, app).await, keys(&[]), "{b}");
        let status = ok(b, app.scope_status(&root()).await);
        assert!(status.approved.is_none(), "{b}");
        assert_eq!(status.latest.map(|v| v.version), Some(1), "{b}");
        assert_eq!(
            (status.systems_in_scope, status.systems_out_of_scope),
            (0, 4),
            "{b}"
        );

        // Only governance leads and admins approve or propose.
        let snap = snapshot(app).await;
        assert_forbidden(b, app.scope_approve(&rosa, 1).await);
        assert_forbidden(b, app.scope_set(&rosa, &v1_input).await);
        assert_eq!(snapshot(app).await, snap, "{b}");

        let approved = ok(b, app.scope_approve(&grace, 1).await);
        assert_eq!(approved.approved_by.as_deref(), Some("grace"), "{b}");
        assert!(approved.approved_at.is_some(), "{b}");
        assert_eq!(ok(b, app.scope_get(&root(), 1).await), approved, "{b}");
        assert_eq!(in_scope(b, app).await, keys(&["SYS-1", "SYS-2"]), "{b}");
        let status = ok(b, app.scope_status(&root()).await);
        assert_eq!(status.approved.map(|v| v.version), Some(1), "{b}");
        assert_eq!(
            (status.systems_in_scope, status.systems_out_of_scope),
            (2, 2),
            "{b}"
        );

        // Systems added or moved later follow the approved scope.
        let added = ok(
            b,
            app.system_add(&root(), &unit_system("Pricing", Some("Lending")))
                .await,
        );
        assert!(added.in_scope, "{b}");
        let to_lending = SystemInput {
            business_unit: Some("Lending".into()),
            ..Default::default()
        };
        assert!(
            ok(b, app.system_update(&root(), "SYS-3", &to_lending).await).in_scope,
            "{b}"
        );
        let back = SystemInput {
            business_unit: Some("Support".into()),
            ..Default::default()
        };
        assert!(
            !ok(b, app.system_update(&root(), "SYS-3", &back).await).in_scope,
            "{b}"
        );
        assert_eq!(
            in_scope(b, app).await,
            keys(&["SYS-1", "SYS-2", "SYS-5"]),
            "{b}"
        );

        // The same version cannot be approved twice.
        let snap = snapshot(app).await;
        assert_conflict(b, app.scope_approve(&grace, 1).await, "version");
        assert_conflict(b, app.scope_approve(&root(), 1).await, "version");
        assert_eq!(snapshot(app).await, snap, "{b}");

        // Version 2: an explicit list, one of them excluded; approved by an admin.
        let v2_input = ScopeInput {
            statement: Some("Two named systems".into()),
            coverage: Some("systems".into()),
            systems: Some(vec!["sys-3".into(), "SYS-4".into()]),
            exclusions: Some(vec![
                excl(" sys-4 ", "Research only"),
                excl("Personal tools", "Blocked by policy"),
            ]),
            ..Default::default()
        };
        let v2 = ok(b, app.scope_set(&grace, &v2_input).await);
        assert_eq!(v2.fields.systems, keys(&["SYS-3", "SYS-4"]), "{b}");
        assert_eq!(v2.fields.exclusions[0].item, "SYS-4", "{b}");
        assert_eq!(
            in_scope(b, app).await,
            keys(&["SYS-1", "SYS-2", "SYS-5"]),
            "{b}: draft"
        );
        ok(b, app.scope_approve(&root(), 2).await);
        assert_eq!(in_scope(b, app).await, keys(&["SYS-3"]), "{b}");

        // Version 3: everything but SYS-2; a retired system leaves the scope.
        let v3_input = ScopeInput {
            statement: Some("Everything".into()),
            exclusions: Some(vec![excl("SYS-2", "Decommissioning")]),
            ..Default::default()
        };
        ok(b, app.scope_set(&grace, &v3_input).await);
        ok(b, app.scope_approve(&grace, 3).await);
        assert_eq!(
            in_scope(b, app).await,
            keys(&["SYS-1", "SYS-3", "SYS-4", "SYS-5"]),
            "{b}"
        );
        ok(
            b,
            app.system_retire(&root(), "SYS-1", Some("Replaced")).await,
        );
        assert_eq!(
            in_scope(b, app).await,
            keys(&["SYS-3", "SYS-4", "SYS-5"]),
            "{b}"
        );
        let status = ok(b, app.scope_status(&root()).await);
        assert_eq!(
            (status.systems_in_scope, status.systems_out_of_scope),
            (3, 1),
            "{b}"
        );

        // An older version cannot be approved over a newer approved one.
        let snap = snapshot(app).await;
        assert_conflict(b, app.scope_approve(&grace, 2).await, "version");
        let missing = app.scope_approve(&grace, 42).await;
        assert!(
            matches!(missing, Err(AppError::NotFound { .. })),
            "{b}: {missing:?}"
        );
        assert_eq!(snapshot(app).await, snap, "{b}");

        let history: Vec<i64> = ok(b, app.scope_history(&root()).await)
            .iter()
            .map(|v| v.version)
            .collect();
        assert_eq!(history, vec![3, 2, 1], "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}
