//! Scope versions that are refused, and the difference between two versions.

use aims_app::AppError;
use aims_core::scope::{Change, ScopeInput};

use crate::harness::{add_system, assert_invalid, backends, fresh, ok, root, snapshot};
use crate::scope::{excl, keys, unit_system};

#[tokio::test]
async fn invalid_versions_are_refused_and_versions_diff() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        add_system(app, &unit_system("Credit scoring", Some("Lending"))).await;
        let base = ScopeInput {
            statement: Some("The lending business".into()),
            units: Some(vec!["Lending".into()]),
            coverage: Some("units".into()),
            ..Default::default()
        };
        let snap = snapshot(app).await;
        let cases: Vec<(ScopeInput, &str)> = vec![
            (
                ScopeInput {
                    exclusions: Some(vec![excl("SYS-1", "  ")]),
                    ..base.clone()
                },
                "exclusions[0].justification",
            ),
            (
                ScopeInput {
                    coverage: Some("systems".into()),
                    systems: Some(keys(&["SYS-9"])),
                    ..base.clone()
                },
                "systems[0]",
            ),
            (
                ScopeInput {
                    exclusions: Some(vec![excl("SYS-77", "Gone")]),
                    ..base.clone()
                },
                "exclusions[0].item",
            ),
            (
                ScopeInput {
                    exclusions: Some(vec![excl("SYS-1", "a"), excl("sys-1", "b")]),
                    ..base.clone()
                },
                "exclusions[1].item",
            ),
            (
                ScopeInput {
                    units: None,
                    ..base.clone()
                },
                "units",
            ),
            (
                ScopeInput {
                    coverage: Some("galaxy".into()),
                    ..base.clone()
                },
                "coverage",
            ),
            (
                ScopeInput {
                    statement: Some(" ".into()),
                    ..base.clone()
                },
                "statement",
            ),
        ];
        for (input, field) in cases {
            assert_invalid(b, app.scope_set(&root(), &input).await, field);
        }
        assert_eq!(snapshot(app).await, snap, "{b}");

        // Diff: what changed between two versions, line by line.
        ok(b, app.scope_set(&root(), &base).await);
        let second = ScopeInput {
            statement: Some("The lending business".into()),
            boundaries: Some("UK offices".into()),
            units: Some(vec!["Lending".into(), "Health".into()]),
            coverage: Some("units".into()),
            exclusions: Some(vec![excl("sys-1", "Legacy")]),
            ..Default::default()
        };
        ok(b, app.scope_set(&root(), &second).await);
        let diff = ok(b, app.scope_diff(&root(), 1, 2).await);
        let of = |c: Change| -> Vec<String> {
            diff.iter()
                .filter(|l| l.change == c)
                .map(|l| l.text.clone())
                .collect()
        };
        assert_eq!(
            of(Change::Removed),
            keys(&["(none)", "Units: Lending"]),
            "{b}"
        );
        assert_eq!(
            of(Change::Added),
            keys(&[
                "UK offices",
                "Units: Lending, Health",
                "Excluded: SYS-1 (justification: Legacy)"
            ]),
            "{b}"
        );
        assert!(
            of(Change::Same).contains(&"The lending business".to_string()),
            "{b}"
        );
        let back = ok(b, app.scope_diff(&root(), 2, 1).await);
        assert_eq!(
            back.iter().filter(|l| l.change == Change::Removed).count(),
            3,
            "{b}: the reverse diff removes what was added"
        );
        let same = ok(b, app.scope_diff(&root(), 2, 2).await);
        assert!(same.iter().all(|l| l.change == Change::Same), "{b}");
        let missing = app.scope_diff(&root(), 1, 7).await;
        assert!(matches!(missing, Err(AppError::NotFound { .. })), "{b}");
    }
}
