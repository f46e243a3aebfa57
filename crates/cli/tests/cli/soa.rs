//! `aims soa show|set|export|snapshot|approve|history`.

use crate::harness::{path, xlsx_rows, Aims};

#[test]
fn soa_lines_are_decided_exported_recorded_and_approved() {
    let aims = Aims::initialised();
    let before = aims.events();
    let err = aims.fails(2, &["soa", "set", "A.10.4", "--applicable", "no"]);
    assert!(err.contains("error: justification:"), "{err}");
    let err = aims.fails(
        2,
        &[
            "soa",
            "set",
            "A.99",
            "--applicable",
            "yes",
            "--justification",
            "x",
        ],
    );
    assert!(err.contains("error: control_id:"), "{err}");
    let err = aims.fails(
        2,
        &[
            "soa",
            "set",
            "A.10.4",
            "--applicable",
            "maybe",
            "--justification",
            "x",
        ],
    );
    assert!(err.contains("error: applicable:"), "{err}");
    assert_eq!(aims.events(), before, "refused input wrote to the ledger");

    let out = aims.ok(&[
        "soa",
        "set",
        "a.10.4",
        "--applicable",
        "no",
        "--justification",
        "No customers for our AI",
    ]);
    assert!(out.contains("A.10.4: excluded"), "{out}");
    aims.ok(&[
        "soa",
        "set",
        "A.6.2.4",
        "--applicable",
        "yes",
        "--justification",
        "We build models",
    ]);

    let lines = aims.json(&["soa", "show"]);
    let lines = lines.as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 38);
    let excluded = lines.iter().find(|l| l["control_id"] == "A.10.4");
    assert_eq!(
        excluded.map(|l| l["status"].clone()),
        Some("excluded".into())
    );
    let out = aims.ok(&["soa", "show"]);
    assert!(
        out.contains("A.6.2.4") && out.contains("undecided"),
        "{out}"
    );
    let not_applicable = aims.json(&["soa", "show", "--applicable", "no"]);
    assert_eq!(not_applicable.as_array().map(Vec::len), Some(1));
    assert_eq!(not_applicable[0]["control_id"], "A.10.4");
    let out = aims.ok(&["soa", "show", "--group", "A.10", "--per-page", "2"]);
    assert!(
        out.contains("A.10.2") && out.contains("1-2 of 3 (--page 2 for more)"),
        "{out}"
    );
    let err = aims.fails(2, &["soa", "show", "--group", "A.99"]);
    assert!(err.contains("group: unknown group 'A.99'"), "{err}");

    let file = aims.data_dir().join("soa.csv");
    aims.ok(&["soa", "export", "--format", "csv", "--output", path(&file)]);
    let csv = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        csv.starts_with("control_id,title,applicable,justification,status,controls,evidence"),
        "{csv}"
    );
    assert!(
        csv.contains("A.10.4,") && csv.contains(",no,No customers for our AI,excluded,,0"),
        "{csv}"
    );
    let err = aims.fails(2, &["soa", "export", "--format", "xlsx"]);
    assert!(err.contains("error: output:"), "{err}");
    let book = aims.data_dir().join("soa.xlsx");
    aims.ok(&["soa", "export", "--format", "xlsx", "--output", path(&book)]);
    let sheet = xlsx_rows(&std::fs::read(&book).unwrap_or_default(), "SoA");
    let csv_rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sheet.len(), 39, "header and 38 controls");
    assert_eq!(sheet, csv_rows);
    let md = aims.ok(&["soa", "export", "--format", "md"]);
    assert!(md.contains("| A.6.2.4 |"), "{md}");
    let err = aims.fails(2, &["soa", "export", "--format", "pdf"]);
    assert!(err.contains("error: format:"), "{err}");

    let out = aims.ok(&["soa", "snapshot"]);
    assert!(out.contains("recorded SoA version 1 (SOA-1)"), "{out}");
    let out = aims.ok(&["soa", "approve", "1"]);
    assert!(out.contains("approved SoA version 1"), "{out}");
    let err = aims.fails(2, &["soa", "approve", "1"]);
    assert!(err.contains("error: version:"), "{err}");
    let history = aims.json(&["soa", "history"]);
    assert_eq!(history[0]["key"], "SOA-1");
    assert_eq!(history[0]["approved_by"], "admin");
    let out = aims.ok(&["ledger", "verify"]);
    assert!(out.contains("ledger intact"), "{out}");
}
