//! Importing files an organisation brings: aims frameworks and crosswalks, licensed text of a
//! built-in framework, and CISO Assistant libraries (frameworks and mapping sets).

use std::path::PathBuf;

use aims_catalog::{
    Catalog, CatalogError, Format, ImportOptions, Imported, ImportedCrosswalks, ImportedFramework,
    Kind, Relationship,
};

const CISO: &str = "../../../shared/reference/third_party/ciso-assistant-community";

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}); it lives in the shared folder beside the repository",
            path.display()
        )
    })
}

/// A CISO Assistant sample, read where it lives (never copied into the repository).
fn sample(name: &str) -> String {
    read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join(CISO)
            .join(name),
    )
}

fn fixture(name: &str) -> String {
    read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
}

fn framework(result: Result<Imported, CatalogError>) -> ImportedFramework {
    match result {
        Ok(Imported::Framework(f)) => f,
        Ok(other) => panic!("expected a framework, got {other:?}"),
        Err(e) => panic!("{e}"),
    }
}

fn crosswalks(result: Result<Imported, CatalogError>) -> ImportedCrosswalks {
    match result {
        Ok(Imported::Crosswalks(c)) => c,
        Ok(other) => panic!("expected crosswalks, got {other:?}"),
        Err(e) => panic!("{e}"),
    }
}

fn refused(result: Result<Imported, CatalogError>) -> CatalogError {
    match result {
        Ok(i) => panic!("accepted: {i:?}"),
        Err(e) => e,
    }
}

#[test]
fn ciso_iso42001_outline_imports_under_a_derived_id() {
    let f = framework(Catalog::import(
        "iso42001-2023.yaml",
        &sample("iso42001-2023.yaml"),
    ));
    assert_eq!(f.format, Format::CisoAssistant);
    assert!(!f.licensed);
    assert_eq!(f.framework.id, "ISO42001-2023");
    assert_eq!(
        f.urn.as_deref(),
        Some("urn:intuitem:risk:framework:iso42001-2023")
    );
    let fw = &f.framework;
    let item = fw.item("4.1").unwrap_or_else(|| panic!("no 4.1"));
    assert_eq!(item.kind, Kind::Clause);
    assert_eq!(item.parent.as_deref(), Some("4"));
    assert_eq!(item.title, "Understanding the organization and its context");
    // The node's description is the library's own words, not licensed text of the standard.
    assert!(item
        .description
        .as_deref()
        .is_some_and(|t| t.contains("external")));
    assert_eq!(item.text, None);
    assert!(fw.items.iter().all(|i| i.text.is_none()));
    assert!(item.guidance.is_empty());
    let control = fw.item("a.2.2").unwrap_or_else(|| panic!("no A.2.2"));
    assert_eq!(control.kind, Kind::Control);
    assert_eq!(
        f.node_urns
            .get("urn:intuitem:risk:req_node:iso42001-2023:4.1")
            .map(String::as_str),
        Some("4.1")
    );
    assert_eq!(fw.items.len(), 88);
}

#[test]
fn ciso_samples_import_as_frameworks() {
    for (file, id, items) in [
        ("iso-42001-2023.db1fdcd5.yaml", "ISO-42001-2023", 104),
        ("iso27001-2022.yaml", "ISO-IEC-27001-2022", 140),
        ("nist-ai-rmf-1.0.yaml", "NIST-AI-RMF-1.0", 113),
    ] {
        let f = framework(Catalog::import(file, &sample(file)));
        assert_eq!(
            (f.framework.id.as_str(), f.framework.items.len()),
            (id, items),
            "{file}"
        );
        assert!(f.framework.items.iter().all(|i| !i.title.trim().is_empty()));
    }
    let nist = framework(Catalog::import(
        "nist-ai-rmf-1.0.yaml",
        &sample("nist-ai-rmf-1.0.yaml"),
    ));
    let sub = nist
        .framework
        .item("GOVERN 1.1")
        .unwrap_or_else(|| panic!("no GOVERN 1.1"));
    assert_eq!(sub.kind, Kind::Control);
    assert_eq!(sub.parent.as_deref(), Some("GOVERN 1"));
    let node = nist
        .framework
        .item("node3")
        .unwrap_or_else(|| panic!("no node3"));
    assert_eq!(
        (node.kind, node.title.as_str()),
        (Kind::Category, "Preamble")
    );
    let iso = framework(Catalog::import(
        "iso27001-2022.yaml",
        &sample("iso27001-2022.yaml"),
    ));
    let a51 = iso
        .framework
        .item("A.5.1")
        .unwrap_or_else(|| panic!("no A.5.1"));
    assert_eq!(
        (a51.kind, a51.parent.as_deref()),
        (Kind::Control, Some("A.5"))
    );
}

#[test]
fn an_id_can_be_given_but_not_a_built_in_one_for_a_ciso_framework() {
    let text = sample("iso42001-2023.yaml");
    let options = ImportOptions {
        id: Some("ciso-42001".into()),
        ..Default::default()
    };
    let f = framework(Catalog::import_with("x.yaml", &text, &options));
    assert_eq!(f.framework.id, "CISO-42001");
    let options = ImportOptions {
        id: Some("iso42001".into()),
        ..Default::default()
    };
    let e = refused(Catalog::import_with("x.yaml", &text, &options));
    assert_eq!((e.file.as_str(), e.field.as_str()), ("x.yaml", "id"));
    assert!(e.reason.contains("built-in"), "{e}");
    let options = ImportOptions {
        id: Some("bad id!".into()),
        ..Default::default()
    };
    let e = refused(Catalog::import_with("x.yaml", &text, &options));
    assert_eq!(e.field, "id", "{e}");
}

#[test]
fn scf_mapping_sets_are_refused_naming_the_unknown_framework() {
    for file in [
        "mapping-iso42001-2023-and-scf-2025.2.2.yaml",
        "mapping-iso27001-2022-and-scf-2025.2.2.yaml",
    ] {
        let e = refused(Catalog::import(file, &sample(file)));
        assert_eq!(e.file, file);
        assert_eq!(e.field, "target_framework_urn", "{e}");
        assert_eq!(e.line, 25, "{e}");
        assert!(
            e.reason
                .contains("urn:intuitem:risk:framework:scf-2025.2.2"),
            "{e}"
        );
    }
}

#[test]
fn a_ciso_mapping_set_between_known_frameworks_imports() {
    // The fixture maps the CISO Assistant ISO 42001 outline (imported first) to the built-in
    // EU AI Act and NIST AI RMF by their IDs.
    let outline = framework(Catalog::import(
        "iso42001-2023.yaml",
        &sample("iso42001-2023.yaml"),
    ));
    let options = ImportOptions {
        imported: vec![outline],
        ..Default::default()
    };
    let text = fixture("ciso-mapping.yaml");
    let set = crosswalks(Catalog::import_with("ciso-mapping.yaml", &text, &options));
    assert_eq!(set.format, Format::CisoAssistant);
    assert_eq!(set.crosswalks.len(), 1);
    let cw = &set.crosswalks[0];
    assert_eq!(
        (cw.source.as_str(), cw.target.as_str()),
        ("ISO42001-2023", "ISO42001")
    );
    let pairs: Vec<(&str, &str, Relationship)> = cw
        .links
        .iter()
        .map(|l| (l.from.as_str(), l.to.as_str(), l.relationship))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("4.1", "4.1", Relationship::Equivalent),
            ("6.1", "6.1.2", Relationship::Superset),
            ("A.6.2.6", "A.6.2.6", Relationship::Equivalent),
            ("5.2", "A.2.2", Relationship::Intersects),
        ],
        "not_related is left out"
    );
    // Without the outline imported, the URN names the built-in ISO42001 by its last segment.
    let set = crosswalks(Catalog::import("ciso-mapping.yaml", &text));
    assert_eq!(set.crosswalks[0].source, "ISO42001");
    // A framework nobody imported is refused, naming the field, its line and the URN.
    let unknown = text.replace(
        "source_framework_urn: urn:intuitem:risk:framework:iso42001-2023",
        "source_framework_urn: urn:acme:framework:acme-9",
    );
    let e = refused(Catalog::import_with(
        "ciso-mapping.yaml",
        &unknown,
        &options,
    ));
    assert_eq!(
        (e.line, e.field.as_str()),
        (13, "source_framework_urn"),
        "{e}"
    );
    assert!(e.reason.contains("urn:acme:framework:acme-9"), "{e}");
    // A node the framework lacks is named too.
    let dangling = text.replace("iso42001:6.1.2", "iso42001:6.9.9");
    let e = refused(Catalog::import_with(
        "ciso-mapping.yaml",
        &dangling,
        &options,
    ));
    assert_eq!(
        (e.line, e.field.as_str()),
        (20, "target_requirement_urn"),
        "{e}"
    );
}

#[test]
fn licensed_text_of_a_built_in_framework_is_kept_beside_our_guidance() {
    let f = framework(Catalog::import(
        "licensed.yaml",
        &fixture("licensed-iso42001.yaml"),
    ));
    assert!(f.licensed);
    assert_eq!(f.framework.id, "ISO42001");
    let item = f
        .framework
        .item("6.1.2")
        .unwrap_or_else(|| panic!("no 6.1.2"));
    assert_eq!(item.text.as_deref(), Some("FAKE LICENSED TEXT for 6.1.2."));
    let builtin = Catalog::framework("ISO42001").and_then(|f| f.item("6.1.2"));
    assert_eq!(
        item.guidance,
        builtin.map(|i| i.guidance.clone()).unwrap_or_default()
    );
    assert_eq!(f.framework.items.len(), 2);
}

#[test]
fn licensed_text_must_name_built_in_items() {
    let text = fixture("licensed-iso42001.yaml").replace("\"A.6.2.6\"", "\"A.99\"");
    let e = refused(Catalog::import("licensed.yaml", &text));
    assert_eq!((e.field.as_str(), e.line), ("id", 8), "{e}");
    assert!(e.reason.contains("A.99"), "{e}");
    let text = fixture("licensed-iso42001.yaml").replace("version: \"2023\"", "version: \"2013\"");
    let e = refused(Catalog::import("licensed.yaml", &text));
    assert_eq!((e.field.as_str(), e.line), ("version", 3), "{e}");
}

#[test]
fn an_own_framework_and_crosswalk_import_in_the_aims_format() {
    let own = framework(Catalog::import("own.yaml", &fixture("own-framework.yaml")));
    assert_eq!(own.framework.id, "ACME-AI");
    assert!(!own.licensed);
    let options = ImportOptions {
        imported: vec![own],
        ..Default::default()
    };
    let set = crosswalks(Catalog::import_with(
        "own-crosswalk.yaml",
        &fixture("own-crosswalk.yaml"),
        &options,
    ));
    assert_eq!(set.format, Format::Aims);
    let cw = &set.crosswalks[0];
    assert_eq!(
        (cw.source.as_str(), cw.target.as_str()),
        ("ACME-AI", "ISO42001")
    );
    assert_eq!(
        cw.links[0].to, "A.6.2.6",
        "spelled as the catalog spells it"
    );
    // Against the built-ins alone, ACME-AI is unknown.
    let e = refused(Catalog::import(
        "own-crosswalk.yaml",
        &fixture("own-crosswalk.yaml"),
    ));
    assert_eq!((e.line, e.field.as_str()), (1, "source"), "{e}");
}

#[test]
fn a_file_of_no_known_shape_is_refused() {
    let e = refused(Catalog::import("x.yaml", "hello: world\n"));
    assert_eq!((e.line, e.field.as_str()), (1, "document"), "{e}");
    let e = refused(Catalog::import("x.yaml", "urn: x\nobjects: {}\n"));
    assert_eq!(e.field, "objects", "{e}");
}

#[test]
fn scf_mappings_resolve_the_framework_once_scf_is_imported() {
    // A tiny SCF of the organisation's own: the mapping set now names a known framework, and
    // is refused at the first control this SCF lacks rather than at the framework.
    let scf = fixture("own-framework.yaml").replace("id: ACME-AI", "id: SCF");
    let scf = framework(Catalog::import("scf.yaml", &scf));
    let options = ImportOptions {
        imported: vec![scf],
        ..Default::default()
    };
    let file = "mapping-iso42001-2023-and-scf-2025.2.2.yaml";
    let e = refused(Catalog::import_with(file, &sample(file), &options));
    assert_eq!(
        (e.line, e.field.as_str()),
        (28, "target_requirement_urn"),
        "{e}"
    );
    assert!(e.reason.starts_with("SCF has no item"), "{e}");
}
