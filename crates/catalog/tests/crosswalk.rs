//! Crosswalk files: a good one loads with IDs spelled as the catalogs spell them; each
//! malformed one is refused naming file, line and field.

use aims_catalog::{Catalog, CatalogError, Crosswalk, Framework, Relationship};

const GOOD: &str = "\
source: iso42001
target: ISO42001
name: \"Test crosswalk\"
note: \"Written for the tests.\"
links:
  - from: \"6.1.2\"
    to: \"a.6.2.6\"
    relationship: intersects
    rationale: \"Both touch risk.\"
  - from: \"A.6.2.6\"
    to: \"9.1\"
    relationship: subset
    rationale: \"Monitoring feeds measurement.\"
";

fn frameworks() -> Vec<&'static Framework> {
    Catalog::builtin().iter().collect()
}

fn load(text: &str) -> Result<Crosswalk, CatalogError> {
    Catalog::load_crosswalk("cw.yaml", text, &frameworks())
}

fn refused(text: &str) -> CatalogError {
    match load(text) {
        Ok(cw) => panic!("accepted a malformed crosswalk: {cw:?}"),
        Err(e) => e,
    }
}

fn assert_at(e: &CatalogError, line: usize, field: &str) {
    assert_eq!(e.file, "cw.yaml", "{e}");
    assert_eq!((e.line, e.field.as_str()), (line, field), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("cw.yaml:{line}: {field}: ")),
        "{e}"
    );
}

#[test]
fn a_good_crosswalk_loads_with_catalog_spellings() {
    let cw = load(GOOD).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (cw.source.as_str(), cw.target.as_str()),
        ("ISO42001", "ISO42001")
    );
    assert_eq!(cw.links[0].to, "A.6.2.6");
    assert_eq!(cw.links[1].relationship, Relationship::Subset);
    assert_eq!(cw.from_item("a.6.2.6").count(), 1);
    assert_eq!(cw.to_item("A.6.2.6").count(), 1);
}

#[test]
fn dangling_ends_are_refused_at_their_line() {
    let e = refused(&GOOD.replace("from: \"A.6.2.6\"", "from: \"A.99\""));
    assert_at(&e, 10, "from");
    assert!(e.reason.contains("'A.99'"), "{e}");
    let e = refused(&GOOD.replace("to: \"9.1\"", "to: \"9.9\""));
    assert_at(&e, 11, "to");
}

#[test]
fn unknown_frameworks_are_refused() {
    let e = refused(&GOOD.replace("source: iso42001", "source: SCF"));
    assert_at(&e, 1, "source");
    assert!(e.reason.contains("'SCF'"), "{e}");
    let e = refused(&GOOD.replace("target: ISO42001", "target: NOPE"));
    assert_at(&e, 2, "target");
}

#[test]
fn a_duplicate_pair_is_refused() {
    let twice = GOOD.replace(
        "from: \"A.6.2.6\"\n    to: \"9.1\"",
        "from: \"6.1.2\"\n    to: \"A.6.2.6\"",
    );
    let e = refused(&twice);
    assert_at(&e, 10, "from");
    assert!(e.reason.contains("first at line 6"), "{e}");
}

#[test]
fn a_bad_relationship_and_an_unknown_key_are_refused() {
    let e = refused(&GOOD.replace("relationship: subset", "relationship: overlaps"));
    assert_at(&e, 12, "relationship");
    let e = refused(&GOOD.replace("    rationale: \"Both", "    reason: \"Both"));
    assert_at(&e, 9, "reason");
    let e = refused(&GOOD.replace("note:", "notes:"));
    assert_at(&e, 4, "notes");
}

#[test]
fn bad_yaml_and_missing_rationale_are_refused() {
    let e = refused(&GOOD.replace("to: \"9.1\"", "to: [\"9.1\""));
    assert_eq!(e.file, "cw.yaml");
    assert!(e.line >= 11, "{e}");
    let e = refused(&GOOD.replace("    rationale: \"Monitoring feeds measurement.\"\n", ""));
    assert_at(&e, 10, "rationale");
    let e = refused(&GOOD.replace("links:", "links: &a"));
    assert_eq!(e.field, "anchor", "{e}");
}
