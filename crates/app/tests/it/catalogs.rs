//! Catalogs: built-in and imported frameworks, licensed text, crosswalk queries, imports of
//! aims and CISO Assistant files with their ledger events, refusals and permissions.

use std::path::PathBuf;

use aims_app::catalogs::{CrosswalkQuery, ImportRequest};
use aims_app::AppError;
use aims_core::action::ActionInput;
use aims_core::control::{ControlInput, LinksInput};
use aims_core::ledger::Break;
use aims_core::Role;

use crate::harness::{
    add_user, all_events, assert_forbidden, backends, event_count, fresh, ok, raw, root, row_count,
};

fn read(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A CISO Assistant sample, read where it lives beside the repository.
fn sample(name: &str) -> ImportRequest {
    ImportRequest {
        file_name: name.into(),
        content: read(&format!(
            "../../../shared/reference/third_party/ciso-assistant-community/{name}"
        )),
        id: None,
    }
}

/// A fixture of the catalog crate's tests.
fn fixture(name: &str) -> ImportRequest {
    ImportRequest {
        file_name: name.into(),
        content: read(&format!("../catalog/tests/fixtures/{name}")),
        id: None,
    }
}

/// The reason of an `Invalid` error on `content`.
fn refused<T: std::fmt::Debug>(b: &str, r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Invalid(e)) => {
            assert_eq!(e.0.len(), 1, "{b}: {e}");
            assert_eq!(e.0[0].field, "content", "{b}");
            e.0[0].reason.clone()
        }
        other => panic!("{b}: expected Invalid, got {other:?}"),
    }
}

fn query(source: &str, target: &str, id: Option<&str>) -> CrosswalkQuery {
    CrosswalkQuery {
        source: Some(source.into()),
        target: Some(target.into()),
        id: id.map(str::to_owned),
    }
}

#[tokio::test]
async fn built_in_frameworks_are_listed_and_shown() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let list = ok(b, app.catalog_list(&root()).await);
        let ids: Vec<&str> = list.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            ids,
            ["ISO42001", "ISO27001", "ISO9001", "EUAIA", "NISTAIRMF"],
            "{b}"
        );
        assert_eq!(list[0].counts.get("control"), Some(&38), "{b}");
        assert_eq!(list[1].counts.get("control"), Some(&93), "{b}");
        assert!(list
            .iter()
            .all(|f| f.origin == "built_in" && f.licensed_text == 0));

        let iso = ok(b, app.catalog_get(&root(), "iso42001").await);
        assert_eq!(iso.items[0].id, "4", "{b}");
        assert_eq!(
            (iso.items[1].id.as_str(), iso.items[1].depth),
            ("4.1", 1),
            "{b}"
        );
        assert!(iso.crosswalks.iter().any(|c| c.target == "EUAIA"), "{b}");

        let item = ok(b, app.catalog_item(&root(), "ISO42001", "a.6.2").await);
        assert_eq!(
            (item.id.as_str(), item.kind.as_str()),
            ("A.6.2", "objective")
        );
        assert_eq!(item.children.len(), 7, "{b}");
        assert!(item.text.is_none(), "{b}");
        let art = ok(b, app.catalog_item(&root(), "euaia", "art.9").await);
        assert_eq!(art.id, "Art. 9", "{b}");
        assert!(!art.links_in.is_empty(), "{b}: ISO 42001 links to Art. 9");
        assert!(art
            .links_in
            .iter()
            .all(|l| l.source == "ISO42001" && !l.from_title.is_empty()));

        let nope = app.catalog_get(&root(), "NOPE").await;
        assert!(
            matches!(nope, Err(AppError::NotFound { .. })),
            "{b}: {nope:?}"
        );
        let nope = app.catalog_item(&root(), "ISO42001", "Z.9").await;
        assert!(
            matches!(nope, Err(AppError::NotFound { .. })),
            "{b}: {nope:?}"
        );
    }
}

#[tokio::test]
async fn built_in_crosswalks_answer_both_ways_and_by_item() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let all = ok(
            b,
            app.crosswalk_query(&root(), &query("iso42001", "euaia", None))
                .await,
        );
        assert_eq!(
            (all.source.as_str(), all.target.as_str()),
            ("ISO42001", "EUAIA")
        );
        assert!(!all.reversed && all.origin == "built_in", "{b}");
        assert!(!all.links.is_empty(), "{b}");
        assert!(all
            .links
            .iter()
            .all(|l| !l.from_title.is_empty() && !l.to_title.is_empty()));
        let first = all.links[0].clone();
        let one = ok(
            b,
            app.crosswalk_query(&root(), &query("ISO42001", "EUAIA", Some(&first.from)))
                .await,
        );
        assert!(one.links.iter().all(|l| l.from == first.from), "{b}");
        assert!(one.links.contains(&first), "{b}");

        let back = ok(
            b,
            app.crosswalk_query(&root(), &query("EUAIA", "ISO42001", None))
                .await,
        );
        assert!(back.reversed, "{b}");
        assert_eq!(back.links.len(), all.links.len(), "{b}");
        let turned = &back.links[0];
        assert_eq!(
            (turned.from.as_str(), turned.to.as_str()),
            (first.to.as_str(), first.from.as_str())
        );
        let flip = |r: &str| match r {
            "subset" => "superset".to_owned(),
            "superset" => "subset".to_owned(),
            other => other.to_owned(),
        };
        assert_eq!(turned.relationship, flip(&first.relationship), "{b}");

        let e = app
            .crosswalk_query(&root(), &CrosswalkQuery::default())
            .await;
        let fields = crate::harness::invalid_fields(b, e);
        assert_eq!(fields, ["source", "target"], "{b}");
        let e = app
            .crosswalk_query(&root(), &query("ISO42001", "NOPE", None))
            .await;
        crate::harness::assert_invalid(b, e, "target");
        // An item neither framework has is bad input, not an empty list.
        for (s, t) in [("ISO42001", "EUAIA"), ("EUAIA", "ISO42001")] {
            match app
                .crosswalk_query(&root(), &query(s, t, Some("ZZZ")))
                .await
            {
                Err(AppError::Invalid(e)) => {
                    assert_eq!(e.0.len(), 1, "{b}: {e}");
                    assert_eq!(e.0[0].field, "id", "{b}");
                    assert!(
                        e.0[0].reason.starts_with(&format!("{s} has no item 'ZZZ'")),
                        "{b}: {}",
                        e.0[0].reason
                    );
                }
                other => panic!("{b}: expected Invalid, got {other:?}"),
            }
        }
        // An item of the target alone is fine.
        let art = ok(
            b,
            app.crosswalk_query(&root(), &query("ISO42001", "EUAIA", Some("art. 9")))
                .await,
        );
        assert!(!art.links.is_empty(), "{b}");
        assert!(art.links.iter().all(|l| l.to == "Art. 9"), "{b}");
    }
}

#[tokio::test]
async fn a_ciso_framework_imports_with_a_ledger_event_and_reimports_as_a_new_version() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = event_count(app).await;
        let out = ok(
            b,
            app.catalog_import(&root(), &sample("iso42001-2023.yaml"))
                .await,
        );
        assert_eq!(out.kind, "framework", "{b}");
        assert_eq!(out.ids, ["ISO42001-2023"], "{b}");
        assert_eq!(out.keys, ["FW:ISO42001-2023"], "{b}");
        assert_eq!(
            (out.version, out.count, out.licensed),
            (1, 88, false),
            "{b}"
        );
        assert_eq!(out.format, "ciso_assistant", "{b}");
        assert_eq!(event_count(app).await, before + 1, "{b}");
        let events = all_events(app).await;
        let last = events.last().unwrap_or_else(|| panic!("{b}: no events"));
        assert_eq!(
            (last.kind.as_str(), last.key.as_str(), last.action.as_str()),
            ("framework", "FW:ISO42001-2023", "framework_imported"),
            "{b}"
        );
        assert!(last.data.contains("content_sha256"), "{b}");

        let list = ok(b, app.catalog_list(&root()).await);
        let imported = list
            .iter()
            .find(|f| f.id == "ISO42001-2023")
            .unwrap_or_else(|| panic!("{b}: not listed"));
        assert_eq!(
            (imported.origin.as_str(), imported.items),
            ("ciso_assistant", 88)
        );
        assert_eq!(
            imported.licensed_text, 0,
            "{b}: a library's descriptions are not licensed text"
        );
        let info = imported
            .import
            .clone()
            .unwrap_or_else(|| panic!("{b}: no import info"));
        assert_eq!((info.version, info.imported_by.as_str()), (1, "root"));

        let item = ok(b, app.catalog_item(&root(), "iso42001-2023", "4.1").await);
        assert_eq!(item.title, "Understanding the organization and its context");
        assert_eq!(item.parent.map(|p| p.id), Some("4".into()));
        assert!(
            item.description.is_some_and(|t| t.contains("external")),
            "{b}"
        );
        assert_eq!(item.text, None, "{b}");
        let tree = ok(b, app.catalog_get(&root(), "ISO42001-2023").await);
        assert_eq!(tree.summary.origin, "ciso_assistant", "{b}");
        assert!(tree.items.iter().all(|i| !i.has_text), "{b}");
        assert_eq!(
            tree.items.iter().filter(|i| i.has_description).count(),
            88,
            "{b}: every node has a description"
        );

        let again = ok(
            b,
            app.catalog_import(&root(), &sample("iso42001-2023.yaml"))
                .await,
        );
        assert_eq!(again.version, 2, "{b}");
        assert_eq!(row_count(app, "imported_frameworks").await, 1, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);

        // A change behind the application's back is found.
        raw(app, "UPDATE imported_frameworks SET name = 'tampered'").await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&report.problem, Some(Break::EntityMismatch { key, .. }) if key == "FW:ISO42001-2023"),
            "{b}: {:?}",
            report.problem
        );
    }
}

#[tokio::test]
async fn the_other_ciso_samples_import_and_scf_mappings_are_refused() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        for (file, id) in [
            ("iso-42001-2023.db1fdcd5.yaml", "ISO-42001-2023"),
            ("iso27001-2022.yaml", "ISO-IEC-27001-2022"),
            ("nist-ai-rmf-1.0.yaml", "NIST-AI-RMF-1.0"),
        ] {
            let out = ok(b, app.catalog_import(&root(), &sample(file)).await);
            assert_eq!(out.ids, [id], "{b}: {file}");
        }
        let events = event_count(app).await;
        for file in [
            "mapping-iso42001-2023-and-scf-2025.2.2.yaml",
            "mapping-iso27001-2022-and-scf-2025.2.2.yaml",
        ] {
            let reason = refused(b, app.catalog_import(&root(), &sample(file)).await);
            assert!(
                reason.starts_with(&format!("{file}:25: target_framework_urn: ")),
                "{b}: {reason}"
            );
            assert!(
                reason.contains("urn:intuitem:risk:framework:scf-2025.2.2"),
                "{b}"
            );
        }
        assert_eq!(event_count(app).await, events, "{b}: nothing written");
        assert_eq!(row_count(app, "imported_crosswalks").await, 0, "{b}");
    }
}

#[tokio::test]
async fn a_mapping_set_imports_once_its_frameworks_are_known() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let unknown = ImportRequest {
            content: fixture("ciso-mapping.yaml")
                .content
                .replace("framework:iso42001-2023", "framework:acme-outline"),
            ..fixture("ciso-mapping.yaml")
        };
        let reason = refused(b, app.catalog_import(&root(), &unknown).await);
        assert!(
            reason.contains(":13: source_framework_urn: "),
            "{b}: {reason}"
        );

        ok(
            b,
            app.catalog_import(&root(), &sample("iso42001-2023.yaml"))
                .await,
        );
        let out = ok(
            b,
            app.catalog_import(&root(), &fixture("ciso-mapping.yaml"))
                .await,
        );
        assert_eq!(out.kind, "crosswalk", "{b}");
        assert_eq!(out.ids, ["ISO42001-2023:ISO42001"], "{b}");
        assert_eq!(out.keys, ["XW:ISO42001-2023:ISO42001"], "{b}");
        assert_eq!(out.count, 4, "{b}: not_related is left out");
        let last = all_events(app).await.pop().unwrap_or_else(|| panic!("{b}"));
        assert_eq!(last.action, "crosswalk_imported", "{b}");

        let cw = ok(
            b,
            app.crosswalk_query(&root(), &query("ISO42001-2023", "iso42001", Some("6.1")))
                .await,
        );
        assert_eq!(cw.origin, "imported", "{b}");
        assert_eq!(cw.links.len(), 1, "{b}");
        let l = &cw.links[0];
        assert_eq!(
            (l.from.as_str(), l.relationship.as_str(), l.to.as_str()),
            ("6.1", "superset", "6.1.2"),
            "{b}"
        );
        assert_eq!(
            l.from_title, "Actions to address risks and opportunities",
            "{b}"
        );
        let builtin_title = ok(b, app.catalog_item(&root(), "ISO42001", "6.1.2").await).title;
        assert_eq!(l.to_title, builtin_title, "{b}");

        let target = ok(b, app.catalog_item(&root(), "ISO42001", "A.6.2.6").await);
        assert!(
            target
                .links_in
                .iter()
                .any(|l| l.source == "ISO42001-2023" && l.from == "A.6.2.6"),
            "{b}: {:?}",
            target.links_in
        );
        let source = ok(
            b,
            app.catalog_item(&root(), "ISO42001-2023", "a.6.2.6").await,
        );
        assert_eq!(source.links_out.len(), 1, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn licensed_text_is_shown_beside_our_guidance() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let before = ok(b, app.catalog_item(&root(), "ISO42001", "6.1.2").await);
        let out = ok(
            b,
            app.catalog_import(&root(), &fixture("licensed-iso42001.yaml"))
                .await,
        );
        assert!(out.licensed, "{b}");
        assert_eq!((out.ids[0].as_str(), out.count), ("ISO42001", 2), "{b}");
        let item = ok(b, app.catalog_item(&root(), "iso42001", "6.1.2").await);
        assert_eq!(
            item.text.as_deref(),
            Some("FAKE LICENSED TEXT for 6.1.2."),
            "{b}"
        );
        assert_eq!(item.guidance, before.guidance, "{b}: our guidance stays");
        assert!(!item.guidance.is_empty(), "{b}");
        let list = ok(b, app.catalog_list(&root()).await);
        assert_eq!(list.len(), 5, "{b}: licensed text adds no framework");
        assert_eq!(
            (list[0].licensed_text, list[0].origin.as_str()),
            (2, "built_in")
        );
        let tree = ok(b, app.catalog_get(&root(), "ISO42001").await);
        assert_eq!(tree.items.iter().filter(|i| i.has_text).count(), 2, "{b}");
        let other = ok(b, app.catalog_item(&root(), "ISO42001", "6.1.3").await);
        assert!(other.text.is_none(), "{b}");
    }
}

#[tokio::test]
async fn own_framework_then_crosswalk_and_controls_link_to_its_items() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let c = ok(
            b,
            app.control_add(
                &root(),
                &ControlInput {
                    name: Some("Model monitoring".into()),
                    description: Some("Watches models".into()),
                    owner: Some("root".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let link = LinksInput {
            requirements: Some(vec!["acme-ai:p1.1".into(), "ISO42001:A.6.2.6".into()]),
            systems: None,
        };
        let e = app.control_link(&root(), &c.key, &link).await;
        crate::harness::assert_invalid(b, e, "requirements[0]");

        let reason = refused(
            b,
            app.catalog_import(&root(), &fixture("own-crosswalk.yaml"))
                .await,
        );
        assert!(
            reason.starts_with("own-crosswalk.yaml:1: source: "),
            "{b}: {reason}"
        );
        ok(
            b,
            app.catalog_import(&root(), &fixture("own-framework.yaml"))
                .await,
        );
        let out = ok(
            b,
            app.catalog_import(&root(), &fixture("own-crosswalk.yaml"))
                .await,
        );
        assert_eq!(
            (out.ids[0].as_str(), out.format.as_str()),
            ("ACME-AI:ISO42001", "aims")
        );

        let linked = ok(b, app.control_link(&root(), &c.key, &link).await);
        let refs: Vec<&str> = linked.requirements.iter().map(String::as_str).collect();
        assert_eq!(refs, ["ACME-AI:P1.1", "ISO42001:A.6.2.6"], "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn a_reimport_may_not_drop_items_controls_or_actions_link_to() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(
            b,
            app.catalog_import(&root(), &fixture("own-framework.yaml"))
                .await,
        );
        let control = ok(
            b,
            app.control_add(
                &root(),
                &ControlInput {
                    name: Some("Model monitoring".into()),
                    description: Some("Watches models".into()),
                    owner: Some("root".into()),
                    ..Default::default()
                },
            )
            .await,
        );
        let link = |refs: &[&str]| LinksInput {
            requirements: Some(refs.iter().map(|r| r.to_string()).collect()),
            systems: None,
        };
        ok(
            b,
            app.control_link(&root(), &control.key, &link(&["ACME-AI:P1.1"]))
                .await,
        );
        let action = ok(
            b,
            app.action_add(
                &root(),
                &ActionInput {
                    title: Some("Set up monitoring".into()),
                    owner: Some("root".into()),
                    due_date: Some("2099-12-31".into()),
                    effort: Some(3),
                    requirements: Some(vec!["acme-ai:p1.1".into(), "acme-ai:P1".into()]),
                    ..Default::default()
                },
            )
            .await,
        );

        // Version 4 drops both items: both are linked, every link is named.
        let dropped = |items: &str| ImportRequest {
            file_name: "own-v4.yaml".into(),
            content: format!(
                "id: ACME-AI\nname: ACME internal AI policy\nversion: \"4\"\nitems:\n{items}"
            ),
            id: None,
        };
        let p2 = "  - id: \"P2\"\n    kind: theme\n    title: Records\n    guidance: \"Kept.\"\n";
        let p1 =
            "  - id: \"P1\"\n    kind: theme\n    title: Oversight\n    guidance: \"Named.\"\n";
        let before = event_count(app).await;
        match app.catalog_import(&root(), &dropped(p2)).await {
            Err(AppError::Conflict(f)) => {
                assert_eq!(f.field, "content", "{b}");
                assert!(
                    f.reason.contains(&format!(
                        "ACME-AI:P1 ({}); ACME-AI:P1.1 ({}, {})",
                        action.key, control.key, action.key
                    )),
                    "{b}: {}",
                    f.reason
                );
            }
            other => panic!("{b}: expected Conflict, got {other:?}"),
        }
        // Keeping P1 but dropping P1.1 still conflicts, naming P1.1 only.
        match app
            .catalog_import(&root(), &dropped(&format!("{p1}{p2}")))
            .await
        {
            Err(AppError::Conflict(f)) => {
                assert!(
                    f.reason
                        .contains(&format!("ACME-AI:P1.1 ({}, {})", control.key, action.key))
                        && !f.reason.contains("ACME-AI:P1 ("),
                    "{b}: {}",
                    f.reason
                );
            }
            other => panic!("{b}: expected Conflict, got {other:?}"),
        }
        assert_eq!(event_count(app).await, before, "{b}: nothing written");
        let fw = ok(b, app.catalog_get(&root(), "ACME-AI").await);
        assert_eq!(fw.summary.version, "3", "{b}");

        // Once unlinked, the items may go.
        ok(b, app.control_link(&root(), &control.key, &link(&[])).await);
        let unlink = ActionInput {
            requirements: Some(vec!["ACME-AI:P1".into()]),
            ..Default::default()
        };
        ok(b, app.action_update(&root(), &action.key, &unlink).await);
        let out = ok(
            b,
            app.catalog_import(&root(), &dropped(&format!("{p1}{p2}")))
                .await,
        );
        assert_eq!((out.version, out.count), (2, 2), "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

#[tokio::test]
async fn malformed_imports_name_file_line_and_field_and_write_nothing() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let events = event_count(app).await;
        let dup = ImportRequest {
            content: fixture("own-framework.yaml")
                .content
                .replace("id: \"P1.1\"", "id: \"p1\""),
            ..fixture("own-framework.yaml")
        };
        let reason = refused(b, app.catalog_import(&root(), &dup).await);
        assert!(
            reason.starts_with("own-framework.yaml:10: id: duplicate id"),
            "{b}: {reason}"
        );
        let empty = ImportRequest {
            file_name: "x.yaml".into(),
            content: "  ".into(),
            id: None,
        };
        assert_eq!(
            refused(b, app.catalog_import(&root(), &empty).await),
            "is empty"
        );
        let bad_id = ImportRequest {
            id: Some("no spaces allowed".into()),
            ..sample("nist-ai-rmf-1.0.yaml")
        };
        let reason = refused(b, app.catalog_import(&root(), &bad_id).await);
        assert!(reason.contains(": id: "), "{b}: {reason}");
        assert_eq!(event_count(app).await, events, "{b}");
        assert_eq!(row_count(app, "imported_frameworks").await, 0, "{b}");
    }
}

#[tokio::test]
async fn only_admins_and_governance_leads_import() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        for (name, role) in [
            ("vic", Role::Viewer),
            ("aud", Role::Auditor),
            ("con", Role::Contributor),
            ("ris", Role::RiskOwner),
        ] {
            let who = add_user(app, name, role).await;
            assert_forbidden(
                b,
                app.catalog_import(&who, &fixture("own-framework.yaml"))
                    .await,
            );
            ok(b, app.catalog_list(&who).await);
        }
        let lead = add_user(app, "lea", Role::GovernanceLead).await;
        let out = ok(
            b,
            app.catalog_import(&lead, &fixture("own-framework.yaml"))
                .await,
        );
        let list = ok(b, app.catalog_list(&lead).await);
        let info = list
            .iter()
            .find(|f| f.id == out.ids[0])
            .and_then(|f| f.import.clone())
            .unwrap_or_else(|| panic!("{b}"));
        assert_eq!(info.imported_by, "lea", "{b}");
    }
}
