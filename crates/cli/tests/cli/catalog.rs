//! The built-in catalogs: no database needed.

use crate::harness::Aims;

#[test]
fn catalog_list_counts_items_by_kind_without_init() {
    let aims = Aims::new();
    let list = aims.json(&["catalog", "list"]);
    let iso = &list[0];
    assert_eq!(iso["id"], "ISO42001");
    assert_eq!(iso["version"], "2023");
    assert_eq!(iso["counts"]["control"], 38);
    assert_eq!(iso["counts"]["objective"], 11);
    assert_eq!(iso["counts"]["risk_source"], 7);
    assert_eq!(iso["counts"]["annex_c_objective"], 11);
    assert!(
        !aims.data_dir().exists(),
        "catalog list created a data directory"
    );
}

#[test]
fn catalog_show_gives_an_item_with_guidance_and_evidence() {
    let aims = Aims::new();
    let item = aims.json(&["catalog", "show", "ISO42001", "A.6.2.6"]);
    assert_eq!(item["framework"], "ISO42001");
    assert_eq!(item["id"], "A.6.2.6");
    assert_eq!(item["kind"], "control");
    assert_eq!(item["parent"], "A.6.2");
    assert!(item["guidance"].as_str().is_some_and(|g| !g.is_empty()));
    let evidence = item["evidence"].as_array().map_or(0, Vec::len);
    assert!((2..=4).contains(&evidence), "{item}");
    let objective = aims.json(&["catalog", "show", "iso42001", "A.6.2"]);
    let children = objective["children"].as_array().map_or(0, Vec::len);
    assert_eq!(children, 7);
}

#[test]
fn catalog_show_tree_and_unknown_names() {
    let aims = Aims::new();
    let tree = aims.json(&["catalog", "show", "ISO42001"]);
    let ids: Vec<&str> = tree
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids.first(), Some(&"4"));
    assert!(ids.contains(&"A.10"), "{ids:?}");
    let text = aims.ok(&["catalog", "show", "ISO42001"]);
    assert!(text.contains("6.1.4"), "{text}");
    let err = aims.fails(1, &["catalog", "show", "NOPE"]);
    assert!(err.starts_with("error: unknown framework 'NOPE'"), "{err}");
    let err = aims.fails(1, &["catalog", "show", "ISO42001", "Z.9"]);
    assert!(err.starts_with("error: ") && err.contains("Z.9"), "{err}");
}
