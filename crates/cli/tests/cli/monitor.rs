//! `aims monitor compute` on the monitoring benchmark's log: a pipeline gate without a database.

use std::path::{Path, PathBuf};

use crate::harness::{path, Aims};

fn bench_log() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench/monitoring/preds_100000.parquet");
    assert!(
        p.exists(),
        "benchmark log missing: {} (see shared/bench/monitoring)",
        p.display()
    );
    p
}

fn example_schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../monitor/examples/predlog.schema.toml")
}

fn compute_args<'a>(log: &'a Path, schema: &'a Path) -> Vec<&'a str> {
    vec![
        "monitor",
        "compute",
        "--current",
        path(log),
        "--split-at",
        "2025-01-31T00:00:00Z",
        "--schema",
        path(schema),
    ]
}

#[test]
fn a_crossed_breach_exits_3_and_the_json_names_it() {
    let aims = Aims::new();
    let (log, schema) = (bench_log(), example_schema());
    let limits = aims.file(
        "thresholds.toml",
        "[[threshold]]\nmetric = \"drift.numeric.*.psi\"\nwarn = 0.1\nbreach = 0.2\n",
    );
    let mut args = compute_args(&log, &schema);
    args.extend(["--thresholds", path(&limits), "--json"]);
    let out = aims.run(&args);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON: {e}"));
    let breaches: Vec<&str> = report["thresholds"]["breaches"]
        .as_array()
        .map(|a| a.iter().filter_map(|b| b["metric"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        breaches,
        vec!["drift.numeric.num_0.psi"],
        "{}",
        report["thresholds"]
    );
    let warnings = &report["thresholds"]["warnings"];
    assert!(
        warnings.to_string().contains("drift.numeric.num_4.psi"),
        "{warnings}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("breach: drift.numeric.num_0.psi"));
    assert!(
        !aims.data_dir().exists(),
        "monitor created a data directory"
    );
}

#[test]
fn thresholds_not_crossed_exit_0_with_every_metric() {
    let aims = Aims::new();
    let (log, schema) = (bench_log(), example_schema());
    let limits = aims.file(
        "thresholds.toml",
        "[[threshold]]\nmetric = \"drift.numeric.*.psi\"\nbreach = 1.0\n",
    );
    let mut args = compute_args(&log, &schema);
    args.extend(["--thresholds", path(&limits)]);
    let report = aims.json(&args);
    assert_eq!(report["rows"]["reference"], 50_000);
    assert_eq!(report["performance"]["current"]["n"], 50_000);
    assert_eq!(
        report["fairness"]["current"]["age_group"]["four_fifths_rule_pass"],
        false
    );
    assert!(report["drift"]["categorical"]["cat_region"]["chi2_statistic"].is_f64());
    assert_eq!(report["thresholds"]["breaches"], serde_json::json!([]));
    let text = aims.ok(&args);
    assert!(text.contains("drift (reference -> current)"), "{text}");
}

#[test]
fn bad_input_exits_2_naming_the_column_or_file() {
    let aims = Aims::new();
    let log = bench_log();
    let schema = aims.file(
        "schema.toml",
        "task = \"binary\"\nlabel = \"label\"\nprediction = \"prediction\"\nnumeric = [\"num_0\", \"num_42\"]\n",
    );
    let err = aims.fails(
        2,
        &[
            "monitor",
            "compute",
            "--current",
            path(&log),
            "--schema",
            path(&schema),
        ],
    );
    assert!(err.contains("column 'num_42' not found"), "{err}");
    let bad = aims.file("bad.toml", "task = \"binary\"\nlabels = \"y\"\n");
    let err = aims.fails(
        2,
        &[
            "monitor",
            "compute",
            "--current",
            path(&log),
            "--schema",
            path(&bad),
        ],
    );
    assert!(err.contains("labels"), "{err}");
    let missing = aims.tmp.0.join("nope.csv");
    let err = aims.fails(
        2,
        &[
            "monitor",
            "compute",
            "--current",
            path(&missing),
            "--schema",
            path(&schema),
        ],
    );
    assert!(err.contains("nope.csv"), "{err}");
}

#[test]
fn daily_windows_are_reported_and_gated() {
    let aims = Aims::new();
    let (log, schema) = (bench_log(), example_schema());
    let limits = aims.file(
        "thresholds.toml",
        "[[threshold]]\nmetric = \"windows.*.rows\"\nbreach = 1000\ndirection = \"below\"\n",
    );
    let mut args = compute_args(&log, &schema);
    args.extend(["--window", "1d", "--thresholds", path(&limits)]);
    let report = aims.json(&args);
    let windows = report["windows"].as_object().map_or(0, |w| w.len());
    assert_eq!(windows, 30);
    assert_eq!(report["thresholds"]["checked"], 30);
    let err = aims.fails(
        2,
        &[
            "monitor",
            "compute",
            "--current",
            path(&log),
            "--schema",
            path(&schema),
            "--window",
            "1y",
        ],
    );
    assert!(err.contains("--window"), "{err}");
}

#[test]
fn every_kind_of_bad_log_exits_2_naming_file_and_place() {
    let aims = Aims::new();
    let schema = aims.file(
        "schema.toml",
        "task = \"binary\"\nlabel = \"label\"\nprediction = \"prediction\"\nnumeric = [\"x\"]\n",
    );
    let run = |file: &std::path::Path| {
        aims.fails(
            2,
            &[
                "monitor",
                "compute",
                "--current",
                path(file),
                "--schema",
                path(&schema),
            ],
        )
    };
    // A label outside {0, 1}: the file, the column and the row.
    let labels = aims.file(
        "labels.csv",
        "label,prediction,x\n1,1,0.5\n0,0,0.1\n2,1,0.3\n",
    );
    let err = run(&labels);
    assert!(
        err.contains("labels.csv") && err.contains("'label'") && err.contains("row 3"),
        "{err}"
    );
    // A prediction outside {0, 1}.
    let preds = aims.file("preds.csv", "label,prediction,x\n1,0.7,0.5\n");
    let err = run(&preds);
    assert!(
        err.contains("'prediction'") && err.contains("row 1"),
        "{err}"
    );
    // Text in a numeric column.
    let typed = aims.file("typed.csv", "label,prediction,x\n1,1,0.5\n0,0,high\n");
    let err = run(&typed);
    assert!(err.contains("typed.csv") && err.contains("x"), "{err}");
    // An empty file, and one with a header only.
    let empty = aims.file("empty.csv", "");
    assert!(run(&empty).contains("empty.csv"));
    let header = aims.file("header.csv", "label,prediction,x\n");
    assert!(run(&header).contains("header.csv"));
    // Invalid UTF-8.
    let latin = aims.tmp.0.join("latin.csv");
    std::fs::write(&latin, b"label,prediction,x\n1,1,0.5\n0,0,\xe9\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(run(&latin).contains("latin.csv"));
    // A truncated Parquet file.
    let whole =
        std::fs::read(bench_log().with_extension("parquet")).unwrap_or_else(|e| panic!("{e}"));
    let cut = aims.tmp.0.join("cut.parquet");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
    assert!(run(&cut).contains("cut.parquet"));
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn a_sensitive_group_without_rows_or_undeclared_exits_2_naming_it() {
    let aims = Aims::new();
    let head = "task = \"binary\"\ntimestamp = \"t\"\nlabel = \"y\"\nprediction = \"p\"\nsensitive = [\"sex\"]\n";
    let open = aims.file("open.toml", head);
    let declared = aims.file(
        "declared.toml",
        &format!("{head}[groups]\nsex = [\"F\", \"M\", \"X\"]\n"),
    );
    let compute = |log: &Path, schema: &Path| -> Vec<String> {
        let mut args: Vec<String> = compute_args(log, schema)
            .into_iter()
            .map(str::to_string)
            .collect();
        args[5] = "2025-01-02T00:00:00Z".into();
        args.push("--json".into());
        args
    };
    // "M" is in the reference (1 January) but not in the current window (2 January).
    let vanished = aims.file(
        "vanished.csv",
        "t,y,p,sex\n2025-01-01T10:00:00Z,1,1,F\n2025-01-01T11:00:00Z,0,1,M\n\
         2025-01-02T10:00:00Z,1,0,F\n2025-01-02T11:00:00Z,0,0,F\n",
    );
    let err = aims.fails(2, &strs(&compute(&vanished, &open)));
    assert!(
        err.contains("vanished.csv")
            && err.contains("'sex'")
            && err.contains("group 'M' has no rows in the current window"),
        "{err}"
    );
    // Declared groups: "X" has no rows anywhere.
    let both = aims.file(
        "both.csv",
        "t,y,p,sex\n2025-01-01T10:00:00Z,1,1,F\n2025-01-01T11:00:00Z,0,1,M\n\
         2025-01-02T10:00:00Z,1,0,F\n2025-01-02T11:00:00Z,0,0,M\n",
    );
    let err = aims.fails(2, &strs(&compute(&both, &declared)));
    assert!(
        err.contains("group 'X' has no rows in the reference window"),
        "{err}"
    );
    // Without the declaration the same log computes, with both groups in each window.
    let out = aims.ok(&strs(&compute(&both, &open)));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let groups = &report["fairness"]["current"]["sex"]["by_group"];
    assert_eq!(groups["F"]["count"], 1);
    assert_eq!(groups["M"]["count"], 1);
    // A value outside the declared groups: the file, the column and the row.
    let other = aims.file(
        "other.csv",
        "t,y,p,sex\n2025-01-01T10:00:00Z,1,1,F\n2025-01-01T11:00:00Z,0,1,Q\n\
         2025-01-02T10:00:00Z,1,0,X\n2025-01-02T11:00:00Z,0,0,M\n",
    );
    let err = aims.fails(2, &strs(&compute(&other, &declared)));
    assert!(
        err.contains("other.csv")
            && err.contains("'sex'")
            && err.contains("row 2 holds 'Q', not one of the declared groups (F, M, X)"),
        "{err}"
    );
}
