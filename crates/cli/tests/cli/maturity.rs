//! `aims maturity assess|show|compare|list|model` and `aims gap report`.

use crate::harness::{path, random, Aims};

/// A CSV answering every sub-clause at `level`, except `skip`.
fn answers_csv(level: i64, skip: &str) -> String {
    let mut csv = String::from("clause,current,target,note\n");
    for (c, _) in aims_app::maturity::leaf_clauses() {
        if c != skip {
            csv.push_str(&format!("{c},{level},,\n"));
        }
    }
    csv
}

#[test]
fn assessments_are_recorded_shown_compared_and_gaps_reported() {
    scenario(&Aims::initialised());
}

/// The same on PostgreSQL, when `AIMS_TEST_POSTGRES_URL` names a server (psql creates the database).
#[test]
fn assessments_and_gaps_on_postgres() {
    let Some(base) = std::env::var("AIMS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    let name = format!("aims_cli_mat_{:x}", random());
    let created = std::process::Command::new("psql")
        .args([
            base.as_str(),
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-c",
            &format!("CREATE DATABASE {name}"),
        ])
        .status()
        .unwrap_or_else(|e| panic!("psql is needed for the PostgreSQL test: {e}"));
    assert!(created.success(), "create database {name}");
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    let aims = Aims::with_url(format!("{prefix}/{name}"));
    aims.init();
    scenario(&aims);
    let _ = std::process::Command::new("psql")
        .args([
            base.as_str(),
            "-q",
            "-c",
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        ])
        .status();
}

fn scenario(aims: &Aims) {
    let before = aims.events();
    let partial = aims.file("partial.csv", &answers_csv(2, "4.1"));
    let err = aims.fails(2, &["maturity", "assess", "--file", path(&partial)]);
    assert!(
        err.contains("error: answers[4.1]: is not answered"),
        "{err}"
    );
    let err = aims.fails(
        2,
        &[
            "maturity",
            "assess",
            "--file",
            path(&partial),
            "--set",
            "4.1=7",
        ],
    );
    assert!(
        err.contains("error: answers[4.1].current: 7 is not a level"),
        "{err}"
    );
    let err = aims.fails(2, &["maturity", "assess", "--set", "4.1"]);
    assert!(err.contains("error: set[0]:"), "{err}");
    let err = aims.fails(
        2,
        &[
            "maturity",
            "assess",
            "--file",
            path(&partial),
            "--set",
            "4.1=1",
            "--target",
            "8",
        ],
    );
    assert!(err.contains("error: target:"), "{err}");
    let bad = aims.file("bad.csv", "clause,current\n4.1,high\n");
    let err = aims.fails(2, &["maturity", "assess", "--file", path(&bad)]);
    assert!(err.contains("error: file: line 2:"), "{err}");
    assert_eq!(aims.events(), before, "refused input wrote to the ledger");

    let full = aims.file("full.csv", &answers_csv(1, ""));
    let out = aims.ok(&[
        "maturity",
        "assess",
        "--file",
        path(&full),
        "--on",
        "2026-01-10",
        "--note",
        "Baseline",
    ]);
    assert!(
        out.contains("recorded MAT-1 of 2026-01-10: overall 1.0 against a target of 3.0"),
        "{out}"
    );
    let out = aims.ok(&[
        "maturity",
        "assess",
        "--file",
        path(&full),
        "--on",
        "2026-05-10",
        "--set",
        "4.1=3",
        "--set",
        "6.1.2=2:4",
        "--set",
        "9.1=0",
        "--target",
        "2",
    ]);
    assert!(out.contains("recorded MAT-2 of 2026-05-10"), "{out}");
    assert_eq!(aims.events(), before + 2);

    let out = aims.ok(&["maturity", "show"]);
    assert!(out.contains("MAT-2") && out.contains("Overall"), "{out}");
    let v = aims.json(&["maturity", "show", "mat-2"]);
    assert_eq!(v["assessed_on"], "2026-05-10");
    assert_eq!(v["default_target"], 2);
    let a = v["answers"].as_array().cloned().unwrap_or_default();
    let find = |c: &str| {
        a.iter()
            .find(|x| x["clause"] == c)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        (
            find("6.1.2")["current"].clone(),
            find("6.1.2")["target"].clone()
        ),
        (2.into(), 4.into())
    );
    assert_eq!(find("7.1")["target"], 2);
    // Clause 4: (3 + 1 + 1 + 1) / 4 = 1.5.
    assert_eq!(v["scores"]["clauses"][0]["current"], 1.5);

    let list = aims.json(&["maturity", "list"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["key"], "MAT-2");
    let out = aims.ok(&["maturity", "list"]);
    assert!(out.contains("MAT-1") && out.contains("2026-01-10"), "{out}");

    let c = aims.json(&["maturity", "compare", "MAT-1", "MAT-2"]);
    assert_eq!(c["improved"], serde_json::json!(["4.1", "6.1.2"]));
    assert_eq!(c["regressed"], serde_json::json!(["9.1"]));
    let out = aims.ok(&["maturity", "compare", "MAT-1", "MAT-2"]);
    assert!(out.contains("improved: 4.1, 6.1.2"), "{out}");
    assert!(out.contains("regressed: 9.1"), "{out}");
    let err = aims.fails(1, &["maturity", "compare", "MAT-1", "MAT-5"]);
    assert!(err.contains("maturity assessment MAT-5 not found"), "{err}");

    let m = aims.json(&["maturity", "model"]);
    assert_eq!(m["questions"].as_array().map(Vec::len), Some(32));

    // Gaps from MAT-2 (default target 2): every sub-clause but 4.1 (at 3) is short; the core
    // ones (6.1.2 at 2 of 4, 6.1.3, 6.1.4, 8.2, 8.3, 8.4 at 1 of 2) and 9.1 (at 0) are high.
    let text = aims.ok(&["gap", "report", "--source", "maturity", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let ids: Vec<String> = report["gaps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["id"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(ids.len(), 31, "{ids:?}");
    let high: Vec<&str> = ids.iter().take(7).map(String::as_str).collect();
    assert_eq!(
        high,
        vec![
            "maturity:6.1.2",
            "maturity:6.1.3",
            "maturity:6.1.4",
            "maturity:8.2",
            "maturity:8.3",
            "maturity:8.4",
            "maturity:9.1"
        ]
    );
    let out = aims.ok(&["gap", "report"]);
    assert!(out.contains("scope:unapproved"), "{out}");
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.contains("gaps:") && l.contains("critical")),
        "{out}"
    );
    let file = aims.tmp.0.join("gaps.csv");
    aims.ok(&["gap", "report", "--format", "csv", "--output", path(&file)]);
    let csv = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(csv.starts_with("id,severity,source,requirement,title,current,target,action,actions\nscope:unapproved,critical,"), "{csv}");
    let md = aims.ok(&["gap", "report", "--format", "md", "--severity", "critical"]);
    assert!(md.contains("| Critical | scope:unapproved |"), "{md}");
    let err = aims.fails(2, &["gap", "report", "--format", "xml"]);
    assert!(err.contains("error: format:"), "{err}");
    let err = aims.fails(2, &["gap", "report", "--severity", "urgent"]);
    assert!(err.contains("error: severity:"), "{err}");

    let out = aims.ok(&["ledger", "verify"]);
    assert!(out.contains("ledger intact"), "{out}");
}
