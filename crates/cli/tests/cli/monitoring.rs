//! `aims monitor plan|run|push|runs|show|alerts|ack|status`: a plan set from TOML files and
//! refused with exit 2 naming the field, runs that exit 0 on a warning and 3 on a breach, pushed
//! values, alerts acknowledged, and the same on PostgreSQL.

use crate::harness::{on_postgres, path, Aims};

const SCHEMA: &str = "task = \"binary\"\ntimestamp = \"ts\"\nlabel = \"label\"\nprediction = \"prediction\"\nscore = \"score\"\n";
const THRESHOLDS: &str = "[[threshold]]\nmetric = \"performance.current.accuracy\"\nwarn = 0.8\nbreach = 0.6\ndirection = \"below\"\n";

/// 40 rows; wrong on every fourth row (accuracy 0.75), or on every other row (0.5) when `worse`.
fn log(worse: bool) -> String {
    let mut out = String::from("ts,label,prediction,score\n");
    for i in 0..40 {
        let label = i % 2;
        let wrong = i % 4 == 3 || (worse && i % 4 == 1);
        let pred = if wrong { 1 - label } else { label };
        out.push_str(&format!(
            "2026-01-01T{:02}:00:00Z,{label},{pred},{}\n",
            i % 24,
            if pred == 1 { 0.7 } else { 0.3 }
        ));
    }
    out
}

#[test]
fn plans_runs_pushes_and_alerts_from_the_command_line() {
    flow(&Aims::initialised());
}

#[test]
fn plans_runs_pushes_and_alerts_from_the_command_line_on_postgres() {
    on_postgres("monitoring", flow);
}

fn flow(aims: &Aims) {
    aims.add_system("Scoring");
    let sys = "SYS-1".to_string();
    let schema = aims.file("schema.toml", SCHEMA);
    let thresholds = aims.file("thresholds.toml", THRESHOLDS);
    let good = aims.file("good.csv", &log(false));
    let worse = aims.file("worse.csv", &log(true));

    // Refused: bad thresholds and schedule name their fields; nothing written.
    let before = aims.events();
    let bad = aims.file(
        "bad.toml",
        "[[threshold]]\nmetric = \"a.b\"\nwarn = 0.3\nbreach = 0.5\ndirection = \"below\"\n",
    );
    let err = aims.fails(
        2,
        &[
            "monitor",
            "plan",
            "set",
            &sys,
            "--schema",
            path(&schema),
            "--thresholds",
            path(&bad),
            "--schedule",
            "hourly",
        ],
    );
    assert!(
        err.contains("rules[1].warn") && err.contains("schedule"),
        "{err}"
    );
    let err = aims.fails(
        2,
        &["monitor", "run", "--system", &sys, "--current", path(&good)],
    );
    assert!(err.contains("no monitoring plan"), "{err}");
    assert_eq!(aims.events(), before);

    let out = aims.ok(&[
        "monitor",
        "plan",
        "set",
        &sys,
        "--schema",
        path(&schema),
        "--thresholds",
        path(&thresholds),
    ]);
    assert!(out.contains("version 1 (1 watched metric rules)"), "{out}");
    let plan = aims.json(&["monitor", "plan", "show", &sys]);
    assert_eq!(plan["rules"][0]["warn"], 0.8);
    assert_eq!(plan["schedule"], "weekly");

    // A warning exits 0 and raises ALR-1; a breach exits 3 and opens an incident.
    let out = aims.ok(&[
        "monitor",
        "run",
        "--system",
        &sys,
        "--current",
        path(&good),
        "--observed-at",
        "2026-01-02T00:00:00Z",
    ]);
    assert!(
        out.contains("performance.current.accuracy")
            && out.contains("0.750000")
            && out.contains("WARN"),
        "{out}"
    );
    assert!(out.contains("alert: ALR-1"), "{out}");
    let out = aims.run(&[
        "monitor",
        "run",
        "--system",
        &sys,
        "--current",
        path(&worse),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(3), "a breach exits 3");
    let run: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run["run"]["outcome"], "breach");
    assert_eq!(run["incidents"].as_array().map(Vec::len), Some(1));

    // A missing file and a log without the label column: exit 2, nothing stored.
    let before = aims.events();
    let err = aims.fails(
        2,
        &[
            "monitor",
            "run",
            "--system",
            &sys,
            "--current",
            "/nonexistent/log.csv",
        ],
    );
    assert!(err.contains("log.csv"), "{err}");
    let nolabel = aims.file(
        "nolabel.csv",
        "ts,prediction,score\n2026-01-01T00:00:00Z,1,0.9\n",
    );
    let err = aims.fails(
        2,
        &[
            "monitor",
            "run",
            "--system",
            &sys,
            "--current",
            path(&nolabel),
        ],
    );
    assert!(err.contains("label"), "{err}");
    assert_eq!(aims.events(), before);

    // Pushed values; a value that is not a number is refused by name.
    let out = aims.ok(&[
        "monitor",
        "push",
        "--system",
        &sys,
        "--metric",
        "performance.current.accuracy=0.9",
        "--label",
        "nightly",
    ]);
    assert!(out.contains("Values pushed by a pipeline"), "{out}");
    let err = aims.fails(
        2,
        &[
            "monitor",
            "push",
            "--system",
            &sys,
            "--metric",
            "performance.current.accuracy=high",
        ],
    );
    assert!(err.contains("not a number"), "{err}");

    let runs = aims.json(&["monitor", "runs", &sys]);
    let keys: Vec<&str> = runs
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["key"].as_str())
        .collect();
    assert_eq!(keys, vec!["RUN-3", "RUN-2", "RUN-1"]);
    let report = aims.json(&["monitor", "show", "RUN-1", "--report"]);
    assert_eq!(report["performance"]["current"]["accuracy"], 0.75);

    let alerts = aims.json(&["monitor", "alerts", "--open"]);
    assert_eq!(alerts[0]["key"], "ALR-1");
    let out = aims.ok(&[
        "monitor",
        "ack",
        "ALR-1",
        "--note",
        "Expected after the holiday",
    ]);
    assert!(out.contains("ALR-1 acknowledged"), "{out}");
    let err = aims.fails(2, &["monitor", "ack", "ALR-1"]);
    assert!(err.contains("already acknowledged"), "{err}");
    let status = aims.ok(&["monitor", "status"]);
    assert!(status.contains(&sys), "{status}");
    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("ledger intact"), "{verify}");
}
