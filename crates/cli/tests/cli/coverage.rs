//! `aims integration import|show|list` and `aims coverage`.

use crate::harness::{path, Aims};

#[test]
fn a_register_is_imported_and_coverage_reported() {
    let aims = Aims::initialised();
    let before = aims.events();
    let bad = aims.file("bad.csv", "id,status\nA.5.1,yes\nA.5.1,no\nZ.9,yes\n");
    let err = aims.fails(2, &["integration", "import", "ISO27001", path(&bad)]);
    assert!(
        err.contains("error: rows[3].id: 'A.5.1' is already on line 2"),
        "{err}"
    );
    assert!(
        err.contains("error: rows[4].id: ISO27001 has no item 'Z.9'"),
        "{err}"
    );
    let err = aims.fails(2, &["integration", "import", "SOC2", path(&bad)]);
    assert!(err.contains("error: framework:"), "{err}");
    assert_eq!(aims.events(), before, "nothing written");

    let register = aims.file(
        "isms.csv",
        "Control,Status,Notes\nA.5.1,Implemented,approved\n10.2,implemented,\n",
    );
    let out = aims.ok(&["integration", "import", "iso27001", path(&register)]);
    assert!(
        out.contains("recorded 2 items of ISO27001 from isms.csv"),
        "{out}"
    );
    let list = aims.json(&["integration", "list"]);
    assert_eq!(list[0]["framework"], "ISO27001");
    assert_eq!(list[0]["items"][1]["id"], "A.5.1");

    let view = aims.json(&["integration", "show", "ISO27001"]);
    let wholly: Vec<&str> = view["coverage"]["requirements"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["coverage"] == "wholly")
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(
        wholly.contains(&"A.2.2") && wholly.contains(&"10.2"),
        "{wholly:?}"
    );
    let out = aims.ok(&["integration", "show", "ISO27001", "--all"]);
    assert!(
        out.contains("ISO27001 implementation from isms.csv (2 items)"),
        "{out}"
    );
    assert!(out.contains("Covered wholly"), "{out}");

    let out = aims.ok(&["coverage", "EUAIA"]);
    assert!(out.starts_with("ISO42001 covers 0% of EUAIA"), "{out}");
    assert!(out.contains("Art. 9"), "{out}");
    let report = aims.json(&["coverage", "NISTAIRMF"]);
    let functions: Vec<&str> = report["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["id"].as_str())
        .collect();
    assert_eq!(functions, ["GOVERN", "MAP", "MEASURE", "MANAGE"]);
    let err = aims.fails(2, &["coverage", "GDPR"]);
    assert!(
        err.contains("error: framework: no crosswalk from ISO42001 to 'GDPR'"),
        "{err}"
    );
    let out = aims.ok(&["ledger", "verify"]);
    assert!(out.contains("intact"), "{out}");
}
