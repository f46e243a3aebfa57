//! Catalogs and crosswalks: the built-in ones without a database; imports (aims files,
//! licensed text, CISO Assistant libraries) into a database on SQLite and, when
//! `AIMS_TEST_POSTGRES_URL` is set, PostgreSQL.

use std::path::PathBuf;

use crate::harness::{path, random, Aims};

fn read(relative: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A CISO Assistant sample, where it lives beside the repository.
fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/reference/third_party/ciso-assistant-community")
        .join(name)
}

fn fixture(name: &str) -> String {
    read(&format!("../catalog/tests/fixtures/{name}"))
}

#[test]
fn catalog_list_counts_items_by_kind_without_init() {
    let aims = Aims::new();
    let list = aims.json(&["catalog", "list"]);
    let iso = &list[0];
    assert_eq!(iso["id"], "ISO42001");
    assert_eq!(iso["version"], "2023");
    assert_eq!(iso["origin"], "built_in");
    assert_eq!(iso["counts"]["control"], 38);
    assert_eq!(iso["counts"]["objective"], 11);
    assert_eq!(iso["counts"]["risk_source"], 7);
    assert_eq!(iso["counts"]["annex_c_objective"], 11);
    let ids: Vec<&str> = list
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        ["ISO42001", "ISO27001", "ISO9001", "EUAIA", "NISTAIRMF"]
    );
    assert_eq!(list[4]["counts"]["subcategory"], 72);
    let text = aims.ok(&["catalog", "list"]);
    assert!(text.contains("93 control"), "{text}");
    assert!(
        !aims.data_dir().exists(),
        "catalog list created a data directory"
    );
}

#[test]
fn catalog_show_gives_an_item_with_guidance_evidence_and_links() {
    let aims = Aims::new();
    let item = aims.json(&["catalog", "show", "ISO42001", "A.6.2.6"]);
    assert_eq!(item["framework"], "ISO42001");
    assert_eq!(item["id"], "A.6.2.6");
    assert_eq!(item["kind"], "control");
    assert_eq!(item["parent"]["id"], "A.6.2");
    assert!(item["guidance"].as_str().is_some_and(|g| !g.is_empty()));
    let evidence = item["evidence"].as_array().map_or(0, Vec::len);
    assert!((2..=4).contains(&evidence), "{item}");
    let objective = aims.json(&["catalog", "show", "iso42001", "A.6.2"]);
    let children = objective["children"].as_array().map_or(0, Vec::len);
    assert_eq!(children, 7);
    let article = aims.json(&["catalog", "show", "euaia", "art.9"]);
    assert_eq!(article["id"], "Art. 9");
    assert!(
        article["links_in"]
            .as_array()
            .is_some_and(|l| !l.is_empty()),
        "{article}"
    );
    let text = aims.ok(&["catalog", "show", "EUAIA", "Art. 9"]);
    assert!(text.contains("crosswalk links in:"), "{text}");
}

#[test]
fn catalog_show_tree_and_unknown_names() {
    let aims = Aims::new();
    let tree = aims.json(&["catalog", "show", "ISO42001"]);
    let ids: Vec<&str> = tree["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids.first(), Some(&"4"));
    assert_eq!(ids.get(1), Some(&"4.1"));
    assert!(ids.contains(&"A.10"), "{ids:?}");
    assert_eq!(tree["items"][1]["depth"], 1);
    let text = aims.ok(&["catalog", "show", "ISO42001"]);
    assert!(text.contains("6.1.4"), "{text}");
    // Unknown names are bad input (exit 2), like those given to `aims crosswalk`.
    let err = aims.fails(2, &["catalog", "show", "NOPE"]);
    assert_eq!(err.trim(), "error: framework: unknown framework 'NOPE'");
    let err = aims.fails(2, &["catalog", "show", "NOPE", "4.1"]);
    assert_eq!(err.trim(), "error: framework: unknown framework 'NOPE'");
    let err = aims.fails(2, &["catalog", "show", "iso42001", "Z.9"]);
    assert_eq!(err.trim(), "error: id: ISO42001 has no item 'Z.9'");
}

#[test]
fn crosswalk_table_json_and_filter_without_init() {
    let aims = Aims::new();
    let all = aims.json(&["crosswalk", "ISO42001", "EUAIA"]);
    assert_eq!(
        (all["source"].as_str(), all["target"].as_str()),
        (Some("ISO42001"), Some("EUAIA"))
    );
    let links = all["links"].as_array().cloned().unwrap_or_default();
    assert!(!links.is_empty());
    let first = links[0]["from"].as_str().unwrap_or_default().to_owned();
    let some = aims.json(&["crosswalk", "iso42001", "euaia", "--id", &first]);
    let some = some["links"].as_array().cloned().unwrap_or_default();
    assert!(!some.is_empty() && some.len() <= links.len());
    assert!(some.iter().all(|l| l["from"] == first.as_str()), "{some:?}");
    let table = aims.ok(&["crosswalk", "ISO42001", "EUAIA", "--id", &first]);
    let head = table.lines().next().unwrap_or_default();
    for column in ["FROM", "TITLE", "RELATIONSHIP", "TO", "RATIONALE"] {
        assert!(head.contains(column), "{head}");
    }
    let back = aims.json(&["crosswalk", "EUAIA", "ISO42001"]);
    assert_eq!(back["reversed"], true);
    let err = aims.fails(2, &["crosswalk", "ISO42001", "NOPE"]);
    assert!(
        err.contains("error: target: unknown framework 'NOPE'"),
        "{err}"
    );
    let err = aims.fails(2, &["crosswalk", "ISO42001", "EUAIA", "--id", "ZZZ"]);
    assert!(
        err.starts_with("error: id: ISO42001 has no item 'ZZZ'"),
        "{err}"
    );
    assert!(!aims.data_dir().exists());
}

/// Imports on one installation: CISO Assistant samples, a mapping set, licensed text, and the
/// refusals with exit code 2 and `FILE:LINE: FIELD: REASON`.
fn imports(aims: &Aims) {
    let outline = sample("iso42001-2023.yaml");
    let out = aims.json(&["catalog", "import", path(&outline)]);
    assert_eq!(out["kind"], "framework");
    assert_eq!(out["ids"][0], "ISO42001-2023");
    assert_eq!(
        (out["version"].as_i64(), out["count"].as_i64()),
        (Some(1), Some(88))
    );
    let again = aims.ok(&["catalog", "import", path(&outline)]);
    assert!(
        again.starts_with("imported framework ISO42001-2023 (88 items, version 2, ciso_assistant format) as FW:ISO42001-2023"),
        "{again}"
    );
    let nist = sample("nist-ai-rmf-1.0.yaml");
    let out = aims.json(&["catalog", "import", path(&nist), "--id", "nist-ciso"]);
    assert_eq!(out["ids"][0], "NIST-CISO");

    let list = aims.json(&["catalog", "list"]);
    let ids: Vec<&str> = list
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [
            "ISO42001",
            "ISO27001",
            "ISO9001",
            "EUAIA",
            "NISTAIRMF",
            "ISO42001-2023",
            "NIST-CISO"
        ]
    );
    assert_eq!(list[5]["origin"], "ciso_assistant");
    assert_eq!(list[5]["licensed_text"], 0);
    assert_eq!(list[5]["import"]["version"], 2);
    let table = aims.ok(&["catalog", "list"]);
    let row = table
        .lines()
        .find(|l| l.starts_with("ISO42001-2023"))
        .unwrap_or_default();
    assert!(
        row.contains("ciso_assistant") && !row.contains("licensed"),
        "{row}"
    );
    let node = aims.json(&["catalog", "show", "ISO42001-2023", "4.1"]);
    assert!(node["text"].is_null(), "{node}");
    assert!(
        node["description"]
            .as_str()
            .is_some_and(|d| d.contains("external")),
        "{node}"
    );
    let node = aims.ok(&["catalog", "show", "ISO42001-2023", "4.1"]);
    assert!(
        node.contains("description:\n  ") && !node.contains("licensed text"),
        "{node}"
    );
    let err = aims.fails(2, &["crosswalk", "ISO42001", "ISO27001", "--id", "ZZZ"]);
    assert!(
        err.starts_with("error: id: ISO42001 has no item 'ZZZ'"),
        "{err}"
    );

    let mapping = aims.file("ciso-mapping.yaml", &fixture("ciso-mapping.yaml"));
    let out = aims.json(&["catalog", "import", path(&mapping)]);
    assert_eq!(out["kind"], "crosswalk");
    assert_eq!(out["keys"][0], "XW:ISO42001-2023:ISO42001");
    let cw = aims.json(&["crosswalk", "ISO42001-2023", "ISO42001", "--id", "6.1"]);
    assert_eq!(cw["links"][0]["to"], "6.1.2");
    assert_eq!(cw["links"][0]["relationship"], "superset");
    assert_eq!(cw["origin"], "imported");

    let licensed = aims.file("licensed.yaml", &fixture("licensed-iso42001.yaml"));
    let out = aims.ok(&["catalog", "import", path(&licensed)]);
    assert!(
        out.starts_with("imported licensed text of ISO42001 (2 items"),
        "{out}"
    );
    let item = aims.json(&["catalog", "show", "ISO42001", "6.1.2"]);
    assert_eq!(item["text"], "FAKE LICENSED TEXT for 6.1.2.");
    assert!(item["guidance"].as_str().is_some_and(|g| !g.is_empty()));
    let text = aims.ok(&["catalog", "show", "ISO42001", "6.1.2"]);
    assert!(
        text.contains("licensed text:\n  FAKE LICENSED TEXT for 6.1.2."),
        "{text}"
    );

    let events = aims.events();
    let scf = sample("mapping-iso42001-2023-and-scf-2025.2.2.yaml");
    let err = aims.fails(2, &["catalog", "import", path(&scf)]);
    assert!(
        err.starts_with(&format!("error: {}:25: target_framework_urn: ", path(&scf))),
        "{err}"
    );
    assert!(
        err.contains("urn:intuitem:risk:framework:scf-2025.2.2"),
        "{err}"
    );
    let bad = aims.file(
        "bad.yaml",
        &fixture("own-framework.yaml").replace("parent: \"P1\"", "parent: \"P9\""),
    );
    let err = aims.fails(2, &["catalog", "import", path(&bad)]);
    assert_eq!(
        err.trim(),
        format!(
            "error: {}:12: parent: item 'P1.1' names parent 'P9', which does not exist",
            path(&bad)
        )
    );
    assert_eq!(aims.events(), events, "a refused import writes nothing");

    // A new version of an own framework may not drop an item a control links to.
    let own = aims.file("own.yaml", &fixture("own-framework.yaml"));
    aims.ok(&["catalog", "import", path(&own)]);
    let added = aims.ok(&[
        "control",
        "add",
        "--name",
        "Drift monitoring",
        "--description",
        "d",
        "--owner",
        "admin",
    ]);
    let key = added
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    assert!(key.starts_with("CTL-"), "{added}");
    aims.ok(&["control", "link", &key, "--requirement", "ACME-AI:P1.1"]);
    let events = aims.events();
    let fewer = fixture("own-framework.yaml");
    let fewer = fewer.split("  - id: \"P1.1\"").next().unwrap_or_default();
    let fewer = aims.file("own-fewer.yaml", fewer);
    let err = aims.fails(2, &["catalog", "import", path(&fewer)]);
    assert!(
        err.starts_with("error: content: this version of ACME-AI drops items still linked")
            && err.contains(&format!("ACME-AI:P1.1 ({key})")),
        "{err}"
    );
    assert_eq!(aims.events(), events, "a refused import writes nothing");

    assert!(aims.ok(&["ledger", "verify"]).contains("ledger intact"));
    let log = aims.json(&["ledger", "log", "--limit", "1"]);
    assert_eq!(log[0]["action"], "link");
}

#[test]
fn catalog_import_on_sqlite() {
    let aims = Aims::initialised();
    imports(&aims);
    let err = aims.fails(1, &["catalog", "import", "/nonexistent/file.yaml"]);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn catalog_import_needs_a_database() {
    let aims = Aims::new();
    let f = aims.file("own.yaml", &fixture("own-framework.yaml"));
    let err = aims.fails(1, &["catalog", "import", path(&f)]);
    assert!(err.contains("aims init"), "{err}");
}

#[test]
fn catalog_import_on_postgres() {
    let Some(base) = std::env::var("AIMS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    let name = format!("aims_cli_cat_{:x}", random());
    let psql = |url: &str, sql: &str| {
        let status = std::process::Command::new("psql")
            .args([url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
            .status()
            .unwrap_or_else(|e| panic!("psql is needed for the PostgreSQL test: {e}"));
        assert!(status.success(), "psql -c {sql:?} failed");
    };
    psql(&base, &format!("CREATE DATABASE {name}"));
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    let aims = Aims::with_url(format!("{prefix}/{name}"));
    aims.init();
    imports(&aims);
    psql(&base, &format!("DROP DATABASE {name} WITH (FORCE)"));
}
