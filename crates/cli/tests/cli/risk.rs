//! `aims risk ...` and `aims methodology ...`: a risk from identification to acceptance,
//! refusals with exit 2 naming the field, the treatment plan exported, and a new method that
//! re-scores with the old scores kept.

use crate::harness::{path, xlsx_rows, Aims, PASSWORD};

const ADD: &[&str] = &[
    "risk",
    "add",
    "--title",
    "Biased declines",
    "--cause",
    "Proxy features",
    "--event",
    "Some groups are declined more",
    "--consequence",
    "Complaints",
    "--category",
    "ethical",
    "--owner",
    "admin",
    "--source",
    "c.3.4",
    "--objective",
    "C.2.5",
];

#[test]
fn a_risk_is_assessed_treated_accepted_and_exported() {
    let aims = Aims::initialised();
    let sys = aims.add_system("Credit scoring");
    assert!(sys.contains("SYS-1"), "{sys}");
    let before = aims.events();
    let mut bad = ADD.to_vec();
    bad.extend([
        "--likelihood",
        "7",
        "--impact-individuals",
        "2",
        "--impact-organisation",
        "1",
        "--impact-society",
        "1",
    ]);
    let err = aims.fails(2, &bad);
    assert!(err.contains("error: likelihood:"), "{err}");
    let mut bad = ADD.to_vec();
    bad.extend(["--system", "SYS-9"]);
    let err = aims.fails(2, &bad);
    assert!(err.contains("systems[0]"), "{err}");
    assert_eq!(aims.events(), before, "refused input wrote to the ledger");

    let mut add = ADD.to_vec();
    add.extend(["--system", "sys-1"]);
    let out = aims.ok(&add);
    assert!(
        out.contains("added RSK-1 'Biased declines' (identified"),
        "{out}"
    );
    let out = aims.ok(&[
        "risk",
        "assess",
        "RSK-1",
        "--likelihood",
        "4",
        "--basis",
        "incident_history",
        "--confidence",
        "low",
        "--impact-individuals",
        "4",
        "--impact-organisation",
        "2",
        "--impact-society",
        "1",
    ]);
    assert!(
        out.contains("inherent high (4x4) [high..critical]"),
        "{out}"
    );

    let err = aims.fails(2, &["risk", "accept", "RSK-1", "--reason", "Fine"]);
    assert!(
        err.contains("error: level:") && err.contains("above the appetite"),
        "{err}"
    );
    let err = aims.fails(2, &["risk", "treat", "RSK-1", "--option", "mitigate"]);
    assert!(err.contains("error: plan:"), "{err}");
    let err = aims.fails(
        2,
        &[
            "risk",
            "treat",
            "RSK-1",
            "--option",
            "transfer",
            "--residual-likelihood",
            "5",
            "--residual-impact-individuals",
            "4",
            "--residual-impact-organisation",
            "2",
            "--residual-impact-society",
            "1",
        ],
    );
    assert!(err.contains("error: residual_reason:"), "{err}");
    let out = aims.ok(&[
        "risk",
        "treat",
        "RSK-1",
        "--option",
        "mitigate",
        "--plan",
        "Drop proxy features",
        "--due",
        "2026-12-31",
        "--residual-likelihood",
        "2",
        "--residual-impact-individuals",
        "3",
        "--residual-impact-organisation",
        "1",
        "--residual-impact-society",
        "1",
    ]);
    assert!(
        out.contains("treated RSK-1: mitigate (treated), residual medium (2x3)"),
        "{out}"
    );

    // A risk owner may accept medium; a contributor may not write risks at all.
    let pw = aims.file("pw", &format!("{PASSWORD}\n"));
    for (user, role) in [("rosa", "risk_owner"), ("alan", "contributor")] {
        aims.ok(&[
            "user",
            "add",
            "--username",
            user,
            "--role",
            role,
            "--password-file",
            path(&pw),
        ]);
    }
    let err = aims.fails(
        1,
        &["--as", "alan", "risk", "accept", "RSK-1", "--reason", "ok"],
    );
    assert!(err.contains("contributor"), "{err}");
    let out = aims.ok(&[
        "--as",
        "rosa",
        "risk",
        "accept",
        "RSK-1",
        "--reason",
        "Within appetite",
    ]);
    assert!(
        out.contains("accepted RSK-1 at medium as risk_owner"),
        "{out}"
    );
    let out = aims.ok(&[
        "risk",
        "review",
        "RSK-1",
        "--date",
        "2026-01-15",
        "--notes",
        "Checked",
    ]);
    assert!(out.contains("next review 2026-07-14"), "{out}");

    let list = aims.json(&["risk", "list", "--cell", "4-4"]);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(list[0]["status"], "accepted");
    let table = aims.ok(&["risk", "list"]);
    assert!(
        table.contains("RSK-1") && table.contains("SYS-1"),
        "{table}"
    );

    let csv = aims.ok(&["risk", "export"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("key,title,scope,owner")),
        "{csv}"
    );
    assert!(
        lines.next().is_some_and(|l| l.starts_with(
            "RSK-1,Biased declines,SYS-1,admin,ethical,high,mitigate,Drop proxy features"
        )),
        "{csv}"
    );
    let err = aims.fails(2, &["risk", "export", "--format", "xlsx"]);
    assert!(err.contains("error: output:"), "{err}");
    let file = aims.data_dir().join("plan.xlsx");
    aims.ok(&[
        "risk",
        "export",
        "--format",
        "xlsx",
        "--output",
        path(&file),
    ]);
    let rows = xlsx_rows(
        &std::fs::read(&file).unwrap_or_default(),
        "Risk treatment plan",
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][..4], ["RSK-1", "Biased declines", "SYS-1", "admin"]);
    assert_eq!(rows[1][11], "accepted");

    // A second risk, titled before the first: sorted by title it comes first, by -key too.
    let mut second = ADD.to_vec();
    second[3] = "Abandoned models";
    aims.ok(&second);
    let keys = |list: serde_json::Value| -> Vec<String> {
        list.as_array()
            .map(|a| {
                a.iter()
                    .map(|r| r["key"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let by_title = keys(aims.json(&["risk", "list", "--sort", "title"]));
    assert_eq!(by_title, ["RSK-2", "RSK-1"], "{by_title:?}");
    let by_key = keys(aims.json(&["risk", "list", "--sort=-key"]));
    assert_eq!(by_key, ["RSK-2", "RSK-1"], "{by_key:?}");
    let err = aims.fails(2, &["risk", "list", "--sort", "likelihood"]);
    assert!(err.contains("sort: unknown value 'likelihood'"), "{err}");

    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("intact"), "{verify}");
}

#[test]
fn a_new_method_rescores_and_keeps_the_old_scores() {
    let aims = Aims::initialised();
    let out = aims.ok(&["methodology", "history"]);
    assert!(out.contains("no method recorded"), "{out}");
    let mut add = ADD.to_vec();
    add.extend([
        "--likelihood",
        "3",
        "--impact-individuals",
        "3",
        "--impact-organisation",
        "1",
        "--impact-society",
        "1",
    ]);
    aims.ok(&add);
    let shown = aims.json(&["methodology", "show"]);
    assert_eq!(
        (shown["key"].as_str(), shown["version"].as_i64()),
        (Some("MTH-1"), Some(1))
    );

    // The same method with a stricter middle cell.
    let toml = aims.ok(&["methodology", "show", "--toml"]);
    assert!(toml.contains("appetite = \"medium\""), "{toml}");
    let stricter = toml.replacen(
        "  [\"low\", \"medium\", \"medium\", \"high\", \"high\"],",
        "  [\"low\", \"medium\", \"high\", \"high\", \"high\"],",
        1,
    );
    assert_ne!(stricter, toml, "the third row is where expected");
    let file = aims.file(
        "stricter.toml",
        &stricter.replacen("Default 5x5 method", "Stricter", 1),
    );
    let out = aims.ok(&["methodology", "set", path(&file)]);
    assert!(
        out.contains("recorded MTH-2 'Stricter'; re-scored 1 risks"),
        "{out}"
    );
    let bad = aims.file("bad.toml", "name = \"x\"\n");
    let err = aims.fails(2, &["methodology", "set", path(&bad)]);
    assert!(err.contains("error: content:"), "{err}");

    let risk = aims.json(&["risk", "show", "RSK-1"]);
    assert_eq!(risk["scores"]["inherent"]["level"], "high");
    let history = risk["score_history"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let levels: Vec<(i64, String)> = history
        .iter()
        .map(|s| {
            (
                s["methodology_version"].as_i64().unwrap_or(0),
                s["inherent"]["level"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(levels, vec![(1, "medium".into()), (2, "high".into())]);
    let shown = aims.ok(&["risk", "show", "RSK-1"]);
    assert!(shown.contains("MTH-1: inherent medium (3x3)"), "{shown}");
    let versions = aims.ok(&["methodology", "history"]);
    assert!(
        versions.contains("MTH-2") && versions.contains("MTH-1"),
        "{versions}"
    );
    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("intact"), "{verify}");
}
