//! The built-in ISO/IEC 42001 catalog against the project's reference outline, and the refusal
//! of malformed catalog files with file, line and field named.

use std::path::PathBuf;

use aims_catalog::{load, Catalog, CatalogError, Framework, Kind};
use serde_json::Value;

const OUTLINE: &str = "../../../shared/reference/derived/iso42001-outline.json";

fn outline() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(OUTLINE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the reference outline {} is missing ({e}); it lives in the shared folder beside the repository",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn iso() -> &'static Framework {
    Catalog::framework("ISO42001").unwrap_or_else(|| panic!("ISO42001 is not built in"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("outline entry without {key}: {v}"))
}

fn array(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("outline: expected an array, found {v}"))
}

/// Checks `id` is in the catalog with `kind` and `parent`.
fn expect(fw: &Framework, id: &str, kind: Kind, parent: Option<&str>) {
    let item = fw
        .item(id)
        .unwrap_or_else(|| panic!("the catalog has no item {id}"));
    assert_eq!(item.kind, kind, "kind of {id}");
    assert_eq!(item.parent.as_deref(), parent, "parent of {id}");
    assert!(
        (2..=4).contains(&item.evidence.len()),
        "{id} should list 2 to 4 evidence items"
    );
}

fn walk_clauses(fw: &Framework, nodes: &[Value], parent: Option<&str>) -> usize {
    let mut n = 0;
    for node in nodes {
        if node["requirement"] != Value::Bool(true) {
            continue;
        }
        let id = str_of(node, "id");
        expect(fw, id, Kind::Clause, parent);
        n += 1;
        if let Some(children) = node["children"].as_array() {
            n += walk_clauses(fw, children, Some(id));
        }
    }
    n
}

#[test]
fn every_clause_and_sub_clause_of_the_outline_is_in_the_catalog() {
    let outline = outline();
    let n = walk_clauses(iso(), array(&outline["clauses"]), None);
    assert!(n >= 39, "only {n} clauses walked");
    let in_catalog = iso().items.iter().filter(|i| i.kind == Kind::Clause);
    assert_eq!(
        in_catalog.count(),
        n,
        "the catalog has clauses the outline lacks"
    );
}

#[test]
fn annex_a_has_9_objectives_and_38_controls_as_in_the_outline() {
    let outline = outline();
    let fw = iso();
    let mut controls = 0;
    for group in array(&outline["annex_a"]) {
        let id = str_of(group, "id");
        let parent = id
            .matches('.')
            .count()
            .gt(&1)
            .then(|| &id[..id.rfind('.').unwrap_or(0)]);
        expect(fw, id, Kind::Objective, parent);
        for control in array(&group["controls"]) {
            expect(fw, str_of(control, "id"), Kind::Control, Some(id));
            controls += 1;
        }
    }
    assert_eq!(controls, 38);
    let count = |kind| fw.items.iter().filter(|i| i.kind == kind).count();
    assert_eq!(count(Kind::Control), 38);
    let top: Vec<&str> = fw
        .roots(&[Kind::Objective])
        .map(|i| i.id.as_str())
        .collect();
    let want: Vec<String> = (2..=10).map(|n| format!("A.{n}")).collect();
    assert_eq!(top, want);
}

#[test]
fn annex_c_and_documented_information_are_present() {
    let outline = outline();
    let fw = iso();
    for entry in array(&outline["annex_c"]["C.2_objectives"]) {
        expect(fw, str_of(entry, "id"), Kind::AnnexCObjective, None);
    }
    for entry in array(&outline["annex_c"]["C.3_risk_sources"]) {
        expect(fw, str_of(entry, "id"), Kind::RiskSource, None);
    }
    let docs: Vec<_> = fw
        .items
        .iter()
        .filter(|i| i.kind == Kind::DocumentedInformation)
        .collect();
    assert!(
        docs.len() >= 15,
        "only {} documented information items",
        docs.len()
    );
    for doc in docs {
        let clause = doc.parent.as_deref().and_then(|p| fw.item(p));
        assert!(clause.is_some(), "{} names no clause it comes from", doc.id);
    }
}

#[test]
fn queries_find_items_and_children() {
    let fw = iso();
    let children: Vec<&str> = fw.children("6.1").map(|i| i.id.as_str()).collect();
    assert!(children.starts_with(&["6.1.1", "6.1.2", "6.1.3", "6.1.4"]));
    assert_eq!(fw.item("a.6.2.6").map(|i| i.id.as_str()), Some("A.6.2.6"));
    assert_eq!(fw.counts().get(&Kind::Control), Some(&38));
    assert!(Catalog::framework("iso42001").is_some());
    assert!(Catalog::framework("NOPE").is_none());
}

const GOOD: &str = "\
id: TEST
name: Test framework
version: \"1\"
items:
  - id: \"1\"
    kind: clause
    title: One
    guidance: Good.
  - id: \"1.1\"
    kind: clause
    title: One one
    parent: \"1\"
    guidance: Good.
    evidence: [a record]
";

fn refused(text: &str) -> CatalogError {
    match Catalog::load("bad.yaml", text) {
        Ok(fw) => panic!("accepted a malformed catalog: {fw:?}"),
        Err(e) => e,
    }
}

fn assert_at(e: &CatalogError, line: usize, field: &str) {
    assert_eq!(e.file, "bad.yaml", "{e}");
    assert_eq!((e.line, e.field.as_str()), (line, field), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("bad.yaml:{line}: {field}: ")),
        "{e}"
    );
}

#[test]
fn a_good_file_loads() {
    let fw = Catalog::load("good.yaml", GOOD).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fw.items.len(), 2);
    assert_eq!(fw.children("1").count(), 1);
}

#[test]
fn duplicate_id_is_refused_at_the_second_id() {
    let e = refused(
        &GOOD
            .replace("\"1.1\"", "\"1\"")
            .replace("parent: \"1\"", ""),
    );
    assert_at(&e, 9, "id");
    assert!(e.reason.contains("duplicate id '1'"), "{e}");
}

#[test]
fn dangling_parent_is_refused_at_the_parent_line() {
    let e = refused(&GOOD.replace("parent: \"1\"", "parent: \"9\""));
    assert_at(&e, 12, "parent");
    assert!(e.reason.contains("'9'"), "{e}");
}

#[test]
fn bad_yaml_syntax_names_the_line_and_key() {
    let e = refused(&GOOD.replace("title: One one", "title: [One one"));
    assert!(e.line >= 11, "{e}");
    assert_eq!(e.file, "bad.yaml");
    assert!(!e.field.is_empty(), "{e}");
}

#[test]
fn unknown_key_is_refused() {
    let e = refused(&GOOD.replace("    title: One one", "    titel: One one"));
    assert_at(&e, 11, "titel");
}

#[test]
fn unknown_kind_names_the_kind_field() {
    let e = refused(&GOOD.replace(
        "kind: clause\n    title: One\n",
        "kind: chapter\n    title: One\n",
    ));
    assert_at(&e, 6, "kind");
}

#[test]
fn anchors_and_aliases_are_refused() {
    let e = refused(&GOOD.replace("title: One\n", "title: &t One\n"));
    assert_at(&e, 7, "anchor");
    let bomb = "id: &a TEST\nname: *a\nversion: \"1\"\nitems: []\n";
    let e = refused(bomb);
    assert_eq!(e.file, "bad.yaml");
    assert!(e.field == "anchor" || e.field == "alias", "{e}");
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!(
        "id: T\nname: N\nversion: \"1\"\nitems: {}{}\n",
        "[".repeat(40),
        "]".repeat(40)
    );
    let e = refused(&deep);
    assert_eq!(e.file, "bad.yaml");
    assert!(e.field == "depth" || e.reason.contains("nest"), "{e}");
}

#[test]
fn oversize_file_is_refused_before_parsing() {
    let big = format!("{GOOD}#{}\n", "x".repeat(load::MAX_BYTES));
    let e = refused(&big);
    assert_at(&e, 1, "file");
}

#[test]
fn duplicate_key_and_missing_key_are_refused() {
    let e = refused(&GOOD.replace("    title: One\n", "    title: One\n    title: Two\n"));
    assert_at(&e, 8, "title");
    let e = refused(&GOOD.replace("    guidance: Good.\n  - id", "  - id"));
    assert_eq!(
        (e.field.as_str(), e.reason.as_str()),
        ("guidance", "is required")
    );
}
