//! `aims control add|list|show|update|link`.

use crate::harness::Aims;

/// Runs `args`, expecting exit 2 and `error: FIELD:` on stderr, with no new ledger event.
fn refused(aims: &Aims, field: &str, args: &[&str]) {
    let before = aims.events();
    let err = aims.fails(2, args);
    assert!(
        err.contains(&format!("error: {field}:")),
        "aims {args:?}: {err}"
    );
    assert_eq!(aims.events(), before, "aims {args:?} wrote to the ledger");
}

#[test]
fn controls_are_added_updated_linked_and_shown() {
    let aims = Aims::initialised();
    aims.add_system("Credit scoring");
    aims.add_system("Fraud detection");
    let out = aims.ok(&[
        "control",
        "add",
        "--name",
        "Release validation",
        "--description",
        "Independent validation before release",
        "--owner",
        "admin",
    ]);
    assert!(out.contains("added CTL-1 'Release validation'"), "{out}");
    let out = aims.ok(&[
        "control",
        "update",
        "ctl-1",
        "--status",
        "implemented",
        "--implementation-date",
        "2026-02-01",
        "--effectiveness",
        "effective",
        "--review-date",
        "2027-02-01",
    ]);
    assert!(out.contains("updated CTL-1"), "{out}");
    let out = aims.ok(&[
        "control",
        "link",
        "CTL-1",
        "--requirement",
        "ISO42001:A.6.2.4,iso42001:A.5.2",
        "--requirement",
        "ISO42001:A.6.2.4",
        "--system",
        "SYS-2",
        "--system",
        "sys-1",
    ]);
    assert!(
        out.contains("linked CTL-1 to 2 requirements and 2 AI systems"),
        "{out}"
    );

    let c = aims.json(&["control", "show", "CTL-1"]);
    assert_eq!(c["status"], "implemented");
    assert_eq!(c["implementation_date"], "2026-02-01");
    assert_eq!(c["effectiveness"], "effective");
    assert_eq!(c["review_date"], "2027-02-01");
    assert_eq!(
        c["requirements"],
        serde_json::json!(["ISO42001:A.5.2", "ISO42001:A.6.2.4"])
    );
    assert_eq!(c["systems"], serde_json::json!(["SYS-1", "SYS-2"]));
    let text = aims.ok(&["control", "show", "CTL-1"]);
    assert!(
        text.contains("ISO42001:A.6.2.4 Verification and validation measures"),
        "{text}"
    );

    aims.ok(&[
        "control",
        "add",
        "--name",
        "Logging",
        "--description",
        "Event logs are kept",
        "--owner",
        "admin",
    ]);
    let all = aims.json(&["control", "list"]);
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    let linked = aims.json(&["control", "list", "--system", "SYS-2"]);
    assert_eq!(linked.as_array().map(Vec::len), Some(1));
    assert_eq!(linked[0]["key"], "CTL-1");
    let planned = aims.json(&["control", "list", "--status", "planned"]);
    assert_eq!(planned[0]["key"], "CTL-2");
    let table = aims.ok(&["control", "list"]);
    assert!(table.contains("Release validation"), "{table}");

    // An empty value clears a list; the other list stays.
    aims.ok(&["control", "link", "CTL-1", "--system", ""]);
    let c = aims.json(&["control", "show", "CTL-1"]);
    assert_eq!(c["systems"], serde_json::json!([]));
    assert_eq!(c["requirements"].as_array().map(Vec::len), Some(2));

    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("intact"), "{verify}");
}

#[test]
fn bad_control_input_exits_2_naming_the_field() {
    let aims = Aims::initialised();
    aims.add_system("Credit scoring");
    aims.ok(&[
        "control",
        "add",
        "--name",
        "Existing",
        "--description",
        "d",
        "--owner",
        "admin",
    ]);
    let add = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["control", "add", "--description", "d", "--owner", "admin"];
        v.extend_from_slice(extra);
        v
    };
    refused(&aims, "name", &add(&[]));
    refused(&aims, "status", &add(&["--name", "X", "--status", "done"]));
    refused(
        &aims,
        "implementation_date",
        &add(&["--name", "X", "--status", "implemented"]),
    );
    refused(
        &aims,
        "review_date",
        &add(&["--name", "X", "--review-date", "soon"]),
    );
    refused(&aims, "name", &add(&["--name", "Existing"]));
    refused(
        &aims,
        "requirements[0]",
        &["control", "link", "CTL-1", "--requirement", "ISO42001:Z.9"],
    );
    refused(
        &aims,
        "systems[0]",
        &["control", "link", "CTL-1", "--system", "SYS-42"],
    );
    let err = aims.fails(1, &["control", "show", "CTL-9"]);
    assert!(err.contains("CTL-9"), "{err}");
}
