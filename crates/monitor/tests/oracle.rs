//! The engine against the Python oracle (scikit-learn, fairlearn, numpy, scipy, evidently,
//! nannyml) on the benchmark's 100k-row log, read from CSV and from Parquet.

#[path = "oracle/conventions.rs"]
mod conventions;

use std::path::{Path, PathBuf};

use aims_monitor::report::Performance;
use aims_monitor::{compute, Input, LogSchema, Options, Report};
use serde_json::Value;

/// 2025-01-31T00:00:00Z in microseconds.
const CUTOFF_US: i64 = 1_738_281_600_000_000;

fn bench(file: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/bench/monitoring")
        .join(file);
    assert!(
        p.exists(),
        "benchmark file missing: {} (see shared/bench/monitoring)",
        p.display()
    );
    p
}

fn schema() -> LogSchema {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/predlog.schema.toml");
    LogSchema::load(&p).unwrap_or_else(|e| panic!("{e}"))
}

fn oracle() -> Value {
    let text = std::fs::read_to_string(bench("oracle_100k.json")).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn report(file: &str) -> Report {
    let path = bench(file);
    compute(
        &schema(),
        Input::Split {
            file: &path,
            cutoff_us: CUTOFF_US,
        },
        &Options::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn f(v: &Value, path: &str) -> f64 {
    path.split('.')
        .fold(v, |v, k| &v[k])
        .as_f64()
        .unwrap_or_else(|| panic!("oracle has no number at {path}"))
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, oracle {want} (tolerance {tol})"
    );
}

/// The oracle's rule: 1e-9 relative, and 1e-12 absolute for a value of exactly 0.
fn same(what: &str, got: f64, want: f64) {
    let ok = if want == 0.0 {
        got.abs() <= 1e-12
    } else {
        ((got - want) / want).abs() <= 1e-9
    };
    assert!(ok, "{what}: got {got:e}, oracle {want:e} (1e-9 relative)");
}

fn rel_close(what: &str, got: f64, want: f64, rel: f64) {
    let ok = if want == 0.0 {
        got == 0.0
    } else {
        ((got - want) / want).abs() <= rel
    };
    assert!(
        ok,
        "{what}: got {got}, oracle {want} (relative tolerance {rel})"
    );
}

fn some(what: &str, v: Option<f64>) -> f64 {
    v.unwrap_or_else(|| panic!("{what} is undefined"))
}

fn check_performance(r: &Report, o: &Value) {
    let perf = r
        .performance
        .as_ref()
        .unwrap_or_else(|| panic!("no performance"));
    for (name, p) in [
        ("reference", perf.reference.as_ref()),
        ("current", Some(&perf.current)),
    ] {
        let Some(Performance::Binary(p)) = p else {
            panic!("{name}: not binary")
        };
        let base = format!("performance.values.{name}");
        assert_eq!(p.n as f64, f(o, &format!("{base}.n")));
        for (metric, got) in [
            ("accuracy", p.accuracy),
            ("precision", p.precision),
            ("recall", p.recall),
            ("f1", p.f1),
            ("roc_auc", p.roc_auc),
            ("brier", p.brier),
            ("log_loss", p.log_loss),
            ("ece_10bin", p.ece_10bin),
            ("positive_rate_label", p.positive_rate_label),
            ("positive_rate_prediction", p.positive_rate_prediction),
        ] {
            let what = format!("{base}.{metric}");
            same(&what, some(&what, got), f(o, &what));
        }
    }
}

fn check_fairness(r: &Report, o: &Value) {
    let fair = r.fairness.as_ref().unwrap_or_else(|| panic!("no fairness"));
    for (name, w) in [
        ("reference", fair.reference.as_ref()),
        ("current", Some(&fair.current)),
    ] {
        let w = w.unwrap_or_else(|| panic!("no {name} fairness"));
        for attr in ["sex", "age_group"] {
            let a = &w[attr];
            let base = format!("fairness.values.{name}.{attr}");
            let groups = o["fairness"]["values"][name][attr]["by_group"]
                .as_object()
                .unwrap_or_else(|| panic!("{base}: no groups"));
            assert_eq!(a.by_group.len(), groups.len(), "{base}: groups");
            for (g, want) in groups {
                let got = &a.by_group[g];
                let what = format!("{base}.{g}");
                assert_eq!(got.count as f64, f(want, "count"), "{what}.count");
                same(
                    &format!("{what}.selection_rate"),
                    got.selection_rate,
                    f(want, "selection_rate"),
                );
                same(
                    &format!("{what}.accuracy"),
                    got.accuracy,
                    f(want, "accuracy"),
                );
                same(&format!("{what}.tpr"), some(&what, got.tpr), f(want, "tpr"));
                same(&format!("{what}.fpr"), some(&what, got.fpr), f(want, "fpr"));
            }
            for (metric, got) in [
                (
                    "demographic_parity_difference",
                    a.demographic_parity_difference,
                ),
                ("demographic_parity_ratio", a.demographic_parity_ratio),
                ("equalized_odds_difference", a.equalized_odds_difference),
                ("equalized_odds_ratio", a.equalized_odds_ratio),
                (
                    "equal_opportunity_difference",
                    a.equal_opportunity_difference,
                ),
                ("equal_opportunity_ratio", a.equal_opportunity_ratio),
                ("disparate_impact_ratio", a.disparate_impact_ratio),
            ] {
                let what = format!("{base}.{metric}");
                same(&what, some(&what, got), f(o, &what));
            }
            let pass = o["fairness"]["values"][name][attr]["four_fifths_rule_pass"].as_bool();
            assert_eq!(
                a.four_fifths_rule_pass, pass,
                "{base}.four_fifths_rule_pass"
            );
        }
    }
}

fn check_drift(r: &Report, o: &Value) {
    let drift = r.drift.as_ref().unwrap_or_else(|| panic!("no drift"));
    let num = o["drift_scipy"]["values"]["numeric"]
        .as_object()
        .unwrap_or_else(|| panic!("oracle numeric"));
    assert_eq!(drift.numeric.len(), num.len());
    for (col, want) in num {
        let got = &drift.numeric[col];
        let what = format!("drift.numeric.{col}");
        let edges: Vec<f64> = want["psi_bin_edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: edges"))
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        assert_eq!(got.psi_bin_edges.len(), edges.len(), "{what}: bin count");
        // numpy's linear quantiles are reproduced bit for bit, so every row lands in the same bin.
        assert_eq!(got.psi_bin_edges, edges, "{what}.psi_bin_edges");
        same(&format!("{what}.psi"), got.psi, f(want, "psi"));
        close(
            &format!("{what}.ks_statistic"),
            got.ks_statistic,
            f(want, "ks_statistic"),
            1e-12,
        );
        same(
            &format!("{what}.ks_pvalue"),
            got.ks_pvalue,
            f(want, "ks_pvalue"),
        );
        same(
            &format!("{what}.js_distance"),
            got.js_distance,
            f(want, "js_distance"),
        );
        same(
            &format!("{what}.wasserstein"),
            got.wasserstein,
            f(want, "wasserstein"),
        );
        same(
            &format!("{what}.reference_mean"),
            got.reference_mean,
            f(want, "reference_mean"),
        );
        same(
            &format!("{what}.current_mean"),
            got.current_mean,
            f(want, "current_mean"),
        );
    }
    let cat = o["drift_scipy"]["values"]["categorical"]
        .as_object()
        .unwrap_or_else(|| panic!("oracle categorical"));
    assert_eq!(drift.categorical.len(), cat.len());
    for (col, want) in cat {
        let got = &drift.categorical[col];
        let what = format!("drift.categorical.{col}");
        let cats: Vec<&str> = want["categories"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}"))
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(got.categories, cats, "{what}.categories");
        let counts = |k: &str| -> Vec<u64> {
            want[k]
                .as_array()
                .unwrap_or_else(|| panic!("{what}.{k}"))
                .iter()
                .filter_map(Value::as_u64)
                .collect()
        };
        assert_eq!(
            got.reference_counts,
            counts("reference_counts"),
            "{what}.reference_counts"
        );
        assert_eq!(
            got.current_counts,
            counts("current_counts"),
            "{what}.current_counts"
        );
        same(&format!("{what}.psi"), got.psi, f(want, "psi"));
        same(
            &format!("{what}.js_distance"),
            got.js_distance,
            f(want, "js_distance"),
        );
        rel_close(
            &format!("{what}.chi2_statistic"),
            got.chi2_statistic,
            f(want, "chi2_statistic"),
            1e-12,
        );
        same(
            &format!("{what}.chi2_pvalue"),
            got.chi2_pvalue,
            f(want, "chi2_pvalue"),
        );
        assert_eq!(got.chi2_dof as f64, f(want, "chi2_dof"), "{what}.chi2_dof");
    }
    // The injected drift is flagged at the usual PSI limit of 0.2, the undrifted columns not.
    assert!(drift.numeric["num_0"].psi > 0.2 && drift.categorical["cat_region"].psi > 0.2);
    assert!(drift.numeric["num_1"].psi < 0.1 && drift.categorical["cat_channel"].psi < 0.1);
}

fn check_all(file: &str) -> Report {
    let o = oracle();
    let r = report(file);
    assert_eq!(r.rows.reference, Some(50_000));
    assert_eq!(r.rows.current, 50_000);
    check_performance(&r, &o);
    check_fairness(&r, &o);
    check_drift(&r, &o);
    for (col, q) in &r.quality {
        assert_eq!(
            q.missing, 0,
            "{col}: no missing values in the benchmark log"
        );
    }
    r
}

#[test]
fn csv_and_parquet_match_the_oracle_and_each_other() {
    let csv = check_all("preds_100000.csv");
    let parquet = check_all("preds_100000.parquet");
    assert_eq!(csv, parquet, "CSV and Parquet hold the same values");
}

#[test]
fn csv_and_ndjson_give_the_same_report_with_missing_and_unseen_values() {
    let dir = std::env::temp_dir().join(format!("aims-monitor-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        p
    };
    let reference = write(
        "ref.csv",
        "y,p,s,x,c,g\n1,1,0.9,1.0,a,f\n0,0,0.2,2.0,b,m\n1,0,0.4,3.0,a,m\n0,1,0.6,4.0,b,f\n",
    );
    let csv = write(
        "cur.csv",
        "y,p,s,x,c,g\n1,1,0.8,,a,f\n0,0,0.1,9.0,z,m\n1,1,0.7,2.5,,m\n",
    );
    let ndjson = write(
        "cur.ndjson",
        "{\"y\":1,\"p\":1,\"s\":0.8,\"x\":null,\"c\":\"a\",\"g\":\"f\"}\n\
         {\"y\":0,\"p\":0,\"s\":0.1,\"x\":9.0,\"c\":\"z\",\"g\":\"m\"}\n\
         {\"y\":1,\"p\":1,\"s\":0.7,\"x\":2.5,\"c\":null,\"g\":\"m\"}\n",
    );
    let schema = LogSchema::parse(
        "task = \"binary\"\nlabel = \"y\"\nprediction = \"p\"\nscore = \"s\"\n\
         sensitive = [\"g\"]\nnumeric = [\"x\"]\ncategorical = [\"c\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = |current: &Path| {
        compute(
            &schema,
            Input::Pair {
                reference: &reference,
                current,
            },
            &Options::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let (a, b) = (run(&csv), run(&ndjson));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(a, b);
    assert_eq!(a.quality["x"].missing, 1);
    assert_eq!(a.quality["x"].out_of_reference_range, Some(1));
    assert_eq!(a.quality["c"].missing, 1);
    assert_eq!(
        a.quality["c"].unseen_categories,
        Some(vec!["z".to_string()])
    );
    let Some(Performance::Binary(p)) = a.performance.map(|p| p.current) else {
        panic!("binary")
    };
    assert_eq!((p.n, p.accuracy, p.roc_auc), (3, Some(1.0), Some(1.0)));
}

#[test]
fn daily_windows_partition_the_current_rows() {
    let path = bench("preds_100000.parquet");
    let options = Options {
        window_us: Some(86_400_000_000),
        ..Options::default()
    };
    let input = Input::Split {
        file: &path,
        cutoff_us: CUTOFF_US,
    };
    let r = compute(&schema(), input, &options).unwrap_or_else(|e| panic!("{e}"));
    let windows = r.windows.as_ref().unwrap_or_else(|| panic!("no windows"));
    assert_eq!(windows.len(), 30);
    assert_eq!(
        windows.keys().next().map(String::as_str),
        Some("2025-01-31T00:00:00Z")
    );
    assert_eq!(
        windows.keys().last().map(String::as_str),
        Some("2025-03-01T00:00:00Z")
    );
    assert_eq!(windows.values().map(|w| w.rows).sum::<usize>(), 50_000);
    // Correct predictions and group counts add up to the whole window's.
    let mut correct = 0.0;
    let mut sixty_plus = 0;
    for w in windows.values() {
        let Some(Performance::Binary(p)) = &w.performance else {
            panic!("binary")
        };
        correct += some("accuracy", p.accuracy) * p.n as f64;
        sixty_plus += w
            .fairness
            .as_ref()
            .map_or(0, |f| f["age_group"].by_group["60+"].count);
        let drift = w.drift.as_ref().unwrap_or_else(|| panic!("window drift"));
        assert!(drift.numeric["num_0"].psi > 0.2, "num_0 drifts every day");
    }
    assert!((correct - 0.69976 * 50_000.0).abs() < 1e-6);
    assert_eq!(sixty_plus, 7422);
}

#[test]
fn ks_pvalues_match_scipy_for_small_and_tied_samples() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ks_2samp_scipy.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let fixture: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let cases = fixture["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("cases"));
    assert!(cases.len() >= 10);
    for c in cases {
        let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("{k}")) as usize;
        let (n1, n2) = (n("n1"), n("n2"));
        let want = f(c, "pvalue");
        let got = aims_monitor::ksdist::ks_2samp_pvalue(f(c, "statistic"), n1, n2);
        let what = format!(
            "ks p-value, n1 = {n1}, n2 = {n2}, d = {}",
            f(c, "statistic")
        );
        if want < 1e-3 {
            close(&what, got, want, 1e-15);
        } else {
            rel_close(&what, got, want, 1e-10);
        }
    }
}

#[test]
fn one_family_alone_gives_the_same_values_as_all_of_them() {
    let all = report("preds_100000.csv");
    let path = bench("preds_100000.csv");
    for family in ["performance", "fairness", "drift", "quality"] {
        let mut tasks = aims_monitor::Tasks::NONE;
        match family {
            "performance" => tasks.performance = true,
            "fairness" => tasks.fairness = true,
            "drift" => tasks.drift = true,
            _ => tasks.quality = true,
        }
        let options = Options {
            tasks,
            ..Options::default()
        };
        let input = Input::Split {
            file: &path,
            cutoff_us: CUTOFF_US,
        };
        let one = compute(&schema(), input, &options).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(one.rows, all.rows, "{family}");
        assert_eq!(one.performance.is_some(), family == "performance");
        assert_eq!(one.fairness.is_some(), family == "fairness");
        assert_eq!(one.drift.is_some(), family == "drift");
        assert_eq!(one.quality.is_empty(), family != "quality");
        match family {
            "performance" => assert_eq!(one.performance, all.performance),
            "fairness" => assert_eq!(one.fairness, all.fairness),
            "drift" => assert_eq!(one.drift, all.drift),
            _ => assert_eq!(one.quality, all.quality),
        }
    }
}
