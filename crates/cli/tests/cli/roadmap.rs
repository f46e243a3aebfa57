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

/// The gaps of `aims gap report --json` with their action keys, by gap ID.
fn gap_actions(aims: &Aims, id: &str) -> serde_json::Value {
    let r = aims.json(&["gap", "report"]);
    r["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["id"] == id)
        .map(|g| g["actions"].clone())
        .unwrap_or_else(|| panic!("no gap {id}"))
}

fn gaps_become_actions(aims: &Aims) {
    assert_eq!(gap_actions(aims, "scope:unapproved"), serde_json::json!([]));
    let title = aims_catalog::Catalog::framework("ISO42001")
        .and_then(|f| f.item("4.3"))
        .map(|i| format!("Close 4.3: {}", i.title))
        .unwrap_or_default();
    let out = aims.ok(&[
        "action",
        "add",
        "--from-gap",
        "scope:unapproved",
        "--owner",
        "admin",
        "--due",
        "2099-01-31",
        "--effort",
        "2",
    ]);
    assert!(out.contains(&format!("added ACT-1 '{title}'")), "{out}");
    let a = aims.json(&["action", "show", "ACT-1"]);
    assert_eq!(a["gap"], "scope:unapproved");
    assert_eq!(a["requirements"], serde_json::json!(["ISO42001:4.3"]));
    // Given flags win over the gap's defaults.
    aims.ok(&[
        "action",
        "add",
        "--from-gap",
        "SOA-UNDECIDED:A.7.3",
        "--title",
        "Decide on data provenance",
        "--requirement",
        "ISO42001:A.7.2",
        "--owner",
        "admin",
        "--due",
        "2099-01-31",
        "--effort",
        "1",
    ]);
    let a = aims.json(&["action", "show", "ACT-2"]);
    assert_eq!(a["title"], "Decide on data provenance");
    assert_eq!(a["gap"], "soa-undecided:A.7.3");
    assert_eq!(a["requirements"], serde_json::json!(["ISO42001:A.7.2"]));
    refused(
        aims,
        "from_gap",
        &[
            "action",
            "add",
            "--from-gap",
            "soa:A.99",
            "--owner",
            "admin",
            "--due",
            "2099-01-31",
            "--effort",
            "1",
        ],
    );
    let before = aims.events();
    let err = aims.fails(
        2,
        &[
            "action",
            "add",
            "--from-gap",
            "scope:unapproved",
            "--gap",
            "maturity:none",
        ],
    );
    assert!(err.contains("cannot be used with"), "{err}");
    assert_eq!(aims.events(), before);

    // The gap report carries the keys: JSON (--json and --format json), table.
    assert_eq!(
        gap_actions(aims, "scope:unapproved"),
        serde_json::json!(["ACT-1"])
    );
    assert_eq!(
        gap_actions(aims, "soa-undecided:A.7.3"),
        serde_json::json!(["ACT-2"])
    );
    let same: serde_json::Value =
        serde_json::from_str(&aims.ok(&["gap", "report", "--format", "json", "--source", "scope"]))
            .unwrap_or_default();
    let short = aims.json(&["gap", "report", "--source", "scope"]);
    assert_eq!(same["gaps"], short["gaps"]);
    assert_eq!(short["gaps"][0]["actions"], serde_json::json!(["ACT-1"]));
    let table = aims.ok(&["gap", "report", "--source", "scope"]);
    let header = table.lines().next().unwrap_or_default();
    assert!(header.trim_end().ends_with("ACTIONS"), "{table}");
    assert!(
        table
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("critical") && l.trim_end().ends_with("ACT-1")),
        "{table}"
    );
    let err = aims.fails(2, &["gap", "report", "--json", "--format", "csv"]);
    assert!(err.contains("cannot be used with"), "{err}");

    // `aims roadmap --json` is `--format json`.
    let r = aims.json(&["roadmap"]);
    assert_eq!(
        r["progress"]["total"],
        serde_json::json!({"count": 2, "effort": 3})
    );
    let same: serde_json::Value =
        serde_json::from_str(&aims.ok(&["roadmap", "--format", "json"])).unwrap_or_default();
    assert_eq!(same["actions"], r["actions"]);

    // Every problem at once, in the order of the form.
    let before = aims.events();
    let err = aims.fails(
        2,
        &[
            "action",
            "add",
            "--title",
            "x",
            "--owner",
            "nobody",
            "--due",
            "2027-01-01",
            "--depends-on",
            "ACT-1,ACT-99",
            "--gap",
            "soa:A.99",
            "--requirement",
            "ISO42001:99",
        ],
    );
    let named: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("error: "))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(
        named,
        vec!["owner", "effort", "depends_on[1]", "gap", "requirements[0]"],
        "{err}"
    );
    assert_eq!(aims.events(), before);
    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("ledger intact"), "{verify}");
}

#[test]
fn gaps_become_actions_on_sqlite() {
    gaps_become_actions(&Aims::initialised());
}

/// The same on PostgreSQL, when `AIMS_TEST_POSTGRES_URL` names a server (psql creates the database).
#[test]
fn gaps_become_actions_on_postgres() {
    let Some(base) = std::env::var("AIMS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    let name = format!("aims_cli_gapact_{:x}", crate::harness::random());
    let psql = |sql: &str| {
        std::process::Command::new("psql")
            .args([base.as_str(), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
            .status()
            .unwrap_or_else(|e| panic!("psql is needed for the PostgreSQL test: {e}"))
    };
    assert!(
        psql(&format!("CREATE DATABASE {name}")).success(),
        "create database {name}"
    );
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    let aims = Aims::with_url(format!("{prefix}/{name}"));
    aims.init();
    gaps_become_actions(&aims);
    let _ = psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
}
