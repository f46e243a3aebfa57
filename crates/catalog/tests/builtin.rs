//! Every built-in framework and crosswalk loads, every file under `catalogs/` is built in, and
//! no built-in item carries the standard's own text.

use std::path::PathBuf;

use aims_catalog::{Catalog, Framework, Kind, Relationship};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The YAML files of a folder, by name.
fn yaml_files(dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(repo().join(dir))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
                .map(|p| {
                    let text = std::fs::read_to_string(&p)
                        .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                    (
                        format!(
                            "{dir}/{}",
                            p.file_name()
                                .map(|n| n.to_string_lossy())
                                .unwrap_or_default()
                        ),
                        text,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_framework_file_loads_and_is_built_in() {
    let files = yaml_files("catalogs");
    assert!(files.len() >= 5, "{files:?}");
    for (name, text) in &files {
        let fw = Catalog::load(name, text).unwrap_or_else(|e| panic!("{e}"));
        let builtin = Catalog::framework(&fw.id)
            .unwrap_or_else(|| panic!("{name} ({}) is not in BUILTIN", fw.id));
        assert_eq!(builtin, &fw);
        assert!(
            fw.items.iter().all(|i| i.text.is_none()),
            "{name} carries text of the standard; built-in catalogs hold our words only"
        );
    }
    assert_eq!(Catalog::builtin().len(), files.len());
}

#[test]
fn every_crosswalk_file_loads_and_is_built_in() {
    let frameworks: Vec<&Framework> = Catalog::builtin().iter().collect();
    let files = yaml_files("catalogs/crosswalks");
    for (name, text) in &files {
        let cw = Catalog::load_crosswalk(name, text, &frameworks).unwrap_or_else(|e| panic!("{e}"));
        assert!(!cw.links.is_empty(), "{name} has no links");
        let builtin = Catalog::crosswalk(&cw.source, &cw.target)
            .unwrap_or_else(|| panic!("{name} is not in BUILTIN_CROSSWALKS"));
        assert_eq!(builtin, &cw);
    }
    assert_eq!(Catalog::crosswalks().len(), files.len());
}

#[test]
fn the_new_frameworks_have_their_shape() {
    let expect = |fw: &str, id: &str, kind: Kind, parent: Option<&str>| {
        let Some(f) = Catalog::framework(fw) else {
            return;
        };
        let item = f
            .item(id)
            .unwrap_or_else(|| panic!("{fw} has no item {id}"));
        assert_eq!(
            (item.kind, item.parent.as_deref()),
            (kind, parent),
            "{fw}:{id}"
        );
    };
    expect("ISO27001", "A.5", Kind::Theme, None);
    expect("ISO27001", "A.8.34", Kind::Control, Some("A.8"));
    expect("ISO9001", "8.5.6", Kind::Clause, Some("8.5"));
    expect("EUAIA", "art.9", Kind::Article, None);
    expect("EUAIA", "Annex III.8", Kind::Area, Some("Annex III"));
    expect(
        "NISTAIRMF",
        "govern1.1",
        Kind::Subcategory,
        Some("GOVERN 1"),
    );
    expect("NISTAIRMF", "MAP", Kind::Function, None);
    if let Some(iso) = Catalog::framework("ISO27001") {
        assert_eq!(iso.counts().get(&Kind::Control), Some(&93));
    }
    if let Some(nist) = Catalog::framework("NISTAIRMF") {
        assert_eq!(nist.counts().get(&Kind::Subcategory), Some(&72));
        assert_eq!(nist.counts().get(&Kind::Category), Some(&19));
    }
}

#[test]
fn lookup_ignores_case_and_whitespace() {
    let iso = Catalog::framework(" iso42001 ").unwrap_or_else(|| panic!("no ISO42001"));
    assert_eq!(iso.item(" a.6.2.6").map(|i| i.id.as_str()), Some("A.6.2.6"));
    assert_eq!(iso.item("A. 6.2.6").map(|i| i.id.as_str()), Some("A.6.2.6"));
    assert!(iso.item("A.6.2.66").is_none());
    assert!(aims_catalog::same_id("Art. 9", "art.9"));
    assert!(aims_catalog::same_id("GOVERN 1.1", "govern1.1"));
    assert!(!aims_catalog::same_id("GOVERN 1.1", "govern1.11"));
}

#[test]
fn relationships_have_names() {
    let words: Vec<&str> = Relationship::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(words, ["equivalent", "subset", "superset", "intersects"]);
    assert_eq!(
        Relationship::parse("Superset"),
        Some(Relationship::Superset)
    );
    assert_eq!(Relationship::Subset.reversed(), Relationship::Superset);
    assert_eq!(Kind::parse("subcategory"), Some(Kind::Subcategory));
    assert_eq!(Kind::ALL.len(), 13);
}
