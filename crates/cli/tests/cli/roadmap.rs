//! `aims action|roadmap|certbody|briefing|journey`.

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
fn actions_make_a_roadmap() {
    let aims = Aims::initialised();
    let out = aims.ok(&[
        "action",
        "add",
        "--title",
        "Write the AI policy",
        "--owner",
        "admin",
        "--start",
        "2026-01-05",
        "--due",
        "2026-02-27",
        "--effort",
        "5",
        "--gap",
        "maturity:none",
        "--requirement",
        "ISO42001:5.2",
    ]);
    assert!(out.contains("added ACT-1 'Write the AI policy'"), "{out}");
    aims.ok(&[
        "action",
        "add",
        "--title",
        "Train staff",
        "--owner",
        "admin",
        "--start",
        "2026-01-05",
        "--due",
        "2026-01-31",
        "--effort",
        "3",
        "--depends-on",
        "act-1",
    ]);
    aims.ok(&[
        "action",
        "add",
        "--title",
        "Long one",
        "--owner",
        "admin",
        "--due",
        "2099-01-31",
        "--effort",
        "2",
    ]);
    refused(
        &aims,
        "status",
        &["action", "update", "ACT-2", "--status", "done"],
    );
    refused(
        &aims,
        "depends_on[0]",
        &["action", "update", "ACT-1", "--depends-on", "ACT-2"],
    );
    refused(
        &aims,
        "due_date",
        &[
            "action", "add", "--title", "x", "--owner", "admin", "--effort", "1",
        ],
    );
    refused(
        &aims,
        "gap",
        &[
            "action",
            "add",
            "--title",
            "x",
            "--owner",
            "admin",
            "--effort",
            "1",
            "--due",
            "2099-05-01",
            "--gap",
            "nothing",
        ],
    );
    refused(
        &aims,
        "requirements[0]",
        &[
            "action",
            "add",
            "--title",
            "x",
            "--owner",
            "admin",
            "--effort",
            "1",
            "--due",
            "2099-05-01",
            "--requirement",
            "ISO42001:77",
        ],
    );
    aims.fails(2, &["action", "add", "--title", "x", "--effort", "lots"]);
    let out = aims.ok(&["action", "update", "ACT-1", "--status", "done"]);
    assert!(
        out.contains("updated ACT-1 'Write the AI policy' (done)"),
        "{out}"
    );

    let shown = aims.json(&["action", "show", "act-2"]);
    assert_eq!(shown["depends_on"][0], "ACT-1");
    assert_eq!(shown["effort"], 3);
    let overdue = aims.json(&["action", "list", "--overdue"]);
    let keys: Vec<&str> = overdue
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["key"].as_str())
        .collect();
    assert_eq!(keys, vec!["ACT-2"]);
    let table = aims.ok(&["action", "list", "--status", "done"]);
    assert!(
        table.contains("ACT-1") && !table.contains("ACT-2"),
        "{table}"
    );

    let r: serde_json::Value = serde_json::from_str(&aims.ok(&["roadmap", "--format", "json"]))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r["progress"]["done"]["effort"], 5);
    assert_eq!(r["progress"]["total"]["effort"], 10);
    assert_eq!(r["overdue"][0], "ACT-2");
    let md = aims.ok(&["roadmap", "--format", "md"]);
    assert!(
        md.contains("Progress: 1 of 3 actions done; 5 of 10 person-days done (50%)."),
        "{md}"
    );
    let table = aims.ok(&["roadmap"]);
    assert!(table.contains("overdue: ACT-2"), "{table}");
    assert!(
        table.contains("in_progress (overdue)") || table.contains("planned (overdue)"),
        "{table}"
    );
    refused(&aims, "format", &["roadmap", "--format", "pdf"]);
}

#[test]
fn certification_bodies_briefings_and_the_journey() {
    let aims = Aims::initialised();
    let j = aims.json(&["journey"]);
    let statuses: Vec<&str> = j["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["status"].as_str())
        .collect();
    assert_eq!(statuses, vec!["not_started"; 8]);

    let out = aims.ok(&[
        "certbody",
        "add",
        "--name",
        "Alpha Assurance",
        "--accreditation",
        "National body, ISO/IEC 42006",
        "--sector",
        "finance,health",
    ]);
    assert!(
        out.contains("added CB-1 'Alpha Assurance' (candidate)"),
        "{out}"
    );
    aims.ok(&["certbody", "add", "--name", "Beta Certification"]);
    aims.ok(&["certbody", "update", "cb-2", "--status", "selected"]);
    refused(
        &aims,
        "status",
        &["certbody", "update", "CB-1", "--status", "selected"],
    );
    refused(
        &aims,
        "name",
        &["certbody", "add", "--name", "Alpha Assurance"],
    );
    let list = aims.json(&["certbody", "list"]);
    assert_eq!(list[0]["sectors"], serde_json::json!(["finance", "health"]));
    assert_eq!(list[1]["status"], "selected");

    let out = aims.ok(&[
        "briefing",
        "add",
        "--kind",
        "business_case",
        "--date",
        "2026-01-10",
        "--audience",
        "Board",
        "--summary",
        "Why certification pays",
    ]);
    assert!(
        out.contains("added BRF-1 (business_case on 2026-01-10)"),
        "{out}"
    );
    refused(
        &aims,
        "kind",
        &[
            "briefing",
            "add",
            "--kind",
            "memo",
            "--audience",
            "Board",
            "--summary",
            "x",
        ],
    );
    let list = aims.json(&["briefing", "list", "--kind", "business_case"]);
    assert_eq!(list[0]["key"], "BRF-1");

    let j = aims.json(&["journey"]);
    assert_eq!(j["steps"][5]["status"], "done");
    assert_eq!(j["steps"][6]["status"], "done");
    assert_eq!(j["steps"][6]["reason"], "CB-2 is selected");
    let table = aims.ok(&["journey"]);
    assert!(
        table.contains("implementation journey: 2 of 8 steps done"),
        "{table}"
    );
    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("ledger intact"), "{verify}");
}
