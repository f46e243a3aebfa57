//! The evidently, evidently_methods and nannyml sections of the oracle, from the drift
//! conventions the schema can ask for.
//!
//! Every value is compared to 1e-9 relative (an oracle value of exactly 0 to 1e-12 absolute).
//! No definition differs: each convention reproduces its library's own method, including
//! nannyml's binned approximations of the KS statistic and the Wasserstein distance. The only
//! liberty is summation order where the library's depends on the file's row order (means and
//! standard deviations), which moves values by about 1e-15.

use std::path::Path;

use aims_monitor::conventions::evidently::{Column, Method};
use aims_monitor::conventions::nannyml;
use aims_monitor::report::Drift;
use aims_monitor::thresholds::Thresholds;
use aims_monitor::{compute, Input, LogSchema, Options, Report};
use serde_json::Value;

use super::{bench, f, oracle, CUTOFF_US};

/// The benchmark schema with both conventions asked for.
fn schema() -> LogSchema {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/predlog.schema.toml");
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{e}"));
    LogSchema::parse(&format!(
        "{text}\ndrift_conventions = [\"evidently\", \"nannyml\"]\n"
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn report(file: &str, options: &Options<'_>) -> Report {
    let path = bench(file);
    let input = Input::Split {
        file: &path,
        cutoff_us: CUTOFF_US,
    };
    compute(&schema(), input, options).unwrap_or_else(|e| panic!("{e}"))
}

/// 1e-9 relative; 1e-12 absolute for an oracle value of 0.
fn same(what: &str, got: f64, want: f64) {
    let ok = if want == 0.0 {
        got.abs() <= 1e-12
    } else {
        ((got - want) / want).abs() <= 1e-9
    };
    assert!(ok, "{what}: got {got:e}, oracle {want:e}");
}

/// evidently's display name of a test, as its report's config shows it for a default test.
fn display_name(m: Method) -> &'static str {
    match m {
        Method::Ks => "K-S p_value",
        Method::Wasserstein => "Wasserstein distance (normed)",
        Method::Psi => "PSI",
        Method::Jensenshannon => "Jensen-Shannon distance",
        Method::Chisquare => "chi-square p_value",
        Method::Z => "Z-test p_value",
    }
}

fn evidently_columns(d: &Drift) -> &std::collections::BTreeMap<String, Column> {
    d.evidently
        .as_ref()
        .unwrap_or_else(|| panic!("no evidently section"))
}

fn check_evidently(d: &Drift, o: &Value) {
    let columns = evidently_columns(d);
    let want = o["evidently"]["values"]["columns"]
        .as_object()
        .unwrap_or_else(|| panic!("oracle evidently columns"));
    assert_eq!(columns.len(), want.len(), "evidently: columns");
    let mut drifted = 0;
    for (name, w) in want {
        let got = &columns[name];
        let what = format!("evidently.{name}");
        assert_eq!(
            Some(display_name(got.method)),
            w["method"].as_str(),
            "{what}.method"
        );
        assert_eq!(got.threshold, f(w, "threshold"), "{what}.threshold");
        same(&format!("{what}.value"), got.value, f(w, "value"));
        // The oracle holds evidently's value and threshold; its verdict follows from them.
        let verdict = got.method.drifted(f(w, "value"), f(w, "threshold"));
        assert_eq!(got.drifted, verdict, "{what}.drifted");
        drifted += usize::from(verdict);
    }
    let summary = d
        .evidently_drifted_columns
        .as_ref()
        .unwrap_or_else(|| panic!("no evidently summary"));
    let want = &o["evidently"]["values"]["summary"];
    assert_eq!(summary.count as f64, f(want, "count"), "summary.count");
    assert_eq!(summary.count, drifted);
    same("summary.share", summary.share, f(want, "share"));
    // The injected drift: num_0, num_4, cat_region, and the score it moves.
    let names: Vec<&str> = columns
        .iter()
        .filter(|(_, c)| c.drifted)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names, ["cat_region", "num_0", "num_4", "score"]);
}

fn check_evidently_methods(d: &Drift, o: &Value) {
    let columns = evidently_columns(d);
    let methods = o["evidently_methods"]["values"]
        .as_object()
        .unwrap_or_else(|| panic!("oracle evidently_methods"));
    assert_eq!(methods.len(), 5);
    for (forced, want) in methods {
        let want = want
            .as_object()
            .unwrap_or_else(|| panic!("evidently_methods.{forced}"));
        assert_eq!(want.len(), columns.len(), "{forced}: columns");
        for (name, w) in want {
            let got = &columns[name];
            let what = format!("evidently_methods.{forced}.{name}");
            let numeric = got.ks_pvalue.is_some();
            // A test that does not apply to the column's type leaves evidently's default.
            let applies = match forced.as_str() {
                "ks" | "wasserstein" => numeric,
                "chisquare" => !numeric,
                _ => true,
            };
            let (name_want, value) = if applies {
                let value = match forced.as_str() {
                    "psi" => Some(got.psi),
                    "jensenshannon" => Some(got.jensenshannon),
                    "ks" => got.ks_pvalue,
                    "wasserstein" => got.wasserstein_normed,
                    _ => got.chisquare_pvalue,
                };
                (forced.as_str(), value)
            } else {
                (display_name(got.method), Some(got.value))
            };
            assert_eq!(w["method"].as_str(), Some(name_want), "{what}.method");
            let value = value.unwrap_or_else(|| panic!("{what}: no value"));
            same(&what, value, f(w, "value"));
        }
    }
}

fn check_nannyml(d: &Drift, o: &Value) {
    let columns = d
        .nannyml
        .as_ref()
        .unwrap_or_else(|| panic!("no nannyml section"));
    let want = o["nannyml"]["values"]
        .as_object()
        .unwrap_or_else(|| panic!("oracle nannyml"));
    assert_eq!(columns.len(), want.len(), "nannyml: columns");
    for (name, w) in want {
        let what = format!("nannyml.{name}");
        match &columns[name] {
            nannyml::Column::Continuous(c) => {
                assert_eq!(w.as_object().map(|m| m.len()), Some(3), "{what}");
                same(
                    &format!("{what}.kolmogorov_smirnov"),
                    c.kolmogorov_smirnov,
                    f(w, "kolmogorov_smirnov"),
                );
                same(
                    &format!("{what}.wasserstein"),
                    c.wasserstein,
                    f(w, "wasserstein"),
                );
                same(
                    &format!("{what}.jensen_shannon"),
                    c.jensen_shannon,
                    f(w, "jensen_shannon"),
                );
            }
            nannyml::Column::Categorical(c) => {
                assert_eq!(w.as_object().map(|m| m.len()), Some(2), "{what}");
                same(&format!("{what}.chi2"), c.chi2, f(w, "chi2"));
                same(
                    &format!("{what}.jensen_shannon"),
                    c.jensen_shannon,
                    f(w, "jensen_shannon"),
                );
            }
        }
    }
    // nannyml's binned KS statistic is not the exact one (see the module documentation).
    let exact = d.numeric["num_0"].ks_statistic;
    let nannyml::Column::Continuous(num_0) = &columns["num_0"] else {
        panic!("num_0 is continuous")
    };
    assert!((exact - 0.19984).abs() < 1e-12 && (num_0.kolmogorov_smirnov - 0.19976).abs() < 1e-12);
}

#[test]
fn csv_and_parquet_match_the_evidently_and_nannyml_oracle() {
    let o = oracle();
    let mut drifts = Vec::new();
    for file in ["preds_100000.csv", "preds_100000.parquet"] {
        let r = report(file, &Options::default());
        let d = r.drift.unwrap_or_else(|| panic!("{file}: no drift"));
        check_evidently(&d, &o);
        check_evidently_methods(&d, &o);
        check_nannyml(&d, &o);
        drifts.push(d);
    }
    assert_eq!(drifts[0], drifts[1], "CSV and Parquet give the same drift");
}

#[test]
fn conventions_are_computed_only_when_asked_and_alike_with_windows() {
    let plain = super::report("preds_100000.parquet");
    let d = plain.drift.unwrap_or_else(|| panic!("no drift"));
    assert!(d.evidently.is_none() && d.evidently_drifted_columns.is_none() && d.nannyml.is_none());
    let json = serde_json::to_value(&d).unwrap_or_else(|e| panic!("{e}"));
    assert!(json.get("evidently").is_none() && json.get("nannyml").is_none());

    // The engine that also cuts the current rows into days computes the two windows' drift
    // separately; it must agree, and every day has its own conventions.
    let whole = report("preds_100000.parquet", &Options::default());
    let options = Options {
        window_us: Some(30 * 86_400_000_000),
        ..Options::default()
    };
    let windowed = report("preds_100000.parquet", &options);
    assert_eq!(windowed.drift, whole.drift);
    let windows = windowed.windows.unwrap_or_else(|| panic!("no windows"));
    for (start, w) in &windows {
        let d = w
            .drift
            .as_ref()
            .unwrap_or_else(|| panic!("{start}: no drift"));
        assert_eq!(evidently_columns(d).len(), 14, "{start}");
        assert_eq!(d.nannyml.as_ref().map(|m| m.len()), Some(14), "{start}");
    }
}

#[test]
fn convention_paths_work_in_thresholds() {
    let thresholds = Thresholds::parse(
        "[[threshold]]\nmetric = \"drift.evidently.num_0.wasserstein_normed\"\nbreach = 0.1\n\n\
         [[threshold]]\nmetric = \"drift.nannyml.*.kolmogorov_smirnov\"\nwarn = 0.1\n\n\
         [[threshold]]\nmetric = \"drift.evidently_drifted_columns.share\"\nbreach = 0.5\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let options = Options {
        thresholds: Some(&thresholds),
        ..Options::default()
    };
    let r = report("preds_100000.parquet", &options);
    let e = r.thresholds.unwrap_or_else(|| panic!("no evaluation"));
    // One normed Wasserstein, eleven continuous KS statistics, one share.
    assert_eq!(e.checked, 13);
    let breaches: Vec<&str> = e.breaches.iter().map(|b| b.metric.as_str()).collect();
    assert_eq!(breaches, ["drift.evidently.num_0.wasserstein_normed"]);
    let warnings: Vec<&str> = e.warnings.iter().map(|b| b.metric.as_str()).collect();
    assert_eq!(
        warnings,
        [
            "drift.nannyml.num_0.kolmogorov_smirnov",
            "drift.nannyml.num_4.kolmogorov_smirnov",
            "drift.nannyml.score.kolmogorov_smirnov"
        ]
    );
}
