//! The evidently, evidently_methods and nannyml sections of the oracle, from the drift
//! conventions the schema can ask for.
//!
//! Every value is compared to 1e-9 relative (an oracle value of exactly 0 to 1e-12 absolute).
//! No definition differs: each convention reproduces its library's own method, including
//! nannyml's binned approximations of the KS statistic and the Wasserstein distance. The only
//! liberty is summation order where the library's depends on the file's row order (means and
//! standard deviations) or on Python's set order (evidently's categories), which moves values by
//! at most a few 1e-13 here.

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

/// The small data sets of `small_samples_match_evidently_and_nannyml`, as Python builds them.
fn small_numeric(name: &str) -> (Vec<f64>, Vec<f64>) {
    let pick = |values: &[f64], n: usize| -> Vec<f64> {
        (0..n).map(|i| values[i % values.len()]).collect()
    };
    match name {
        // [((i * 7919) % 1000) / 100 for i in range(300)], [((i * 104729) % 1100) / 100 - 0.5 ...]
        "many" => (
            (0..300u64)
                .map(|i| ((i * 7919) % 1000) as f64 / 100.0)
                .collect(),
            (0..250u64)
                .map(|i| ((i * 104_729) % 1100) as f64 / 100.0 - 0.5)
                .collect(),
        ),
        "four" => (
            pick(&[0.0, 1.0, 2.0, 3.0], 200),
            pick(&[0.0, 0.0, 1.0, 2.0, 3.0, 3.0], 150),
        ),
        "two" => (pick(&[0.0, 1.0], 100), pick(&[1.0, 0.0, 0.0], 90)),
        "three" => (
            pick(&[0.0, 1.0, 2.0], 1500),
            pick(&[0.0, 1.0, 1.0, 2.0], 1200),
        ),
        // [((i * 7919) % 10007) / 1000 for i in range(12000)],
        // [((i * 104729) % 12011) / 1000 - 1.0 for i in range(3000)]
        _ => (
            (0..12_000u64)
                .map(|i| ((i * 7919) % 10_007) as f64 / 1000.0)
                .collect(),
            (0..3000u64)
                .map(|i| ((i * 104_729) % 12_011) as f64 / 1000.0 - 1.0)
                .collect(),
        ),
    }
}

fn small_categorical(name: &str) -> aims_monitor::drift::Categorical {
    let (r, c): (&[&str], &[&str]) = match name {
        "abc" => (&["a", "b", "c", "a"], &["a", "b", "b"]),
        "yes_no" => (&["no", "yes", "no"], &["no", "yes"]),
        _ => (&["x", "y", "z", "y"], &["x", "y", "w", "z", "y"]),
    };
    let sizes = match name {
        "abc" => (120, 90),
        "yes_no" => (300, 200),
        _ => (2000, 1500),
    };
    let window = |pattern: &[&str], n: usize| -> (Vec<u32>, Vec<String>) {
        let cats: Vec<String> = pattern.iter().map(|s| (*s).to_string()).collect();
        let codes = (0..n)
            .map(|i| {
                let s = pattern[i % pattern.len()];
                pattern.iter().position(|p| *p == s).unwrap_or(0) as u32
            })
            .collect();
        (codes, cats)
    };
    let (rc, rk) = window(r, sizes.0);
    let (cc, ck) = window(c, sizes.1);
    aims_monitor::drift::categorical((&rc, &rk), (&cc, &ck))
        .unwrap_or_else(|| panic!("{name}: no categorical drift"))
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// The branches the benchmark log never takes: small references (KS, chi-square and z-test by
/// default), few distinct values (one bin per value), an unseen category, nannyml's exact
/// methods below 10 000 reference values and its binned ones with current values beyond both
/// ends of the reference.
#[test]
fn small_samples_match_evidently_and_nannyml() {
    use aims_monitor::conventions::{evidently, nannyml};

    // evidently 0.7.23: `Report([DataDriftPreset(method=m)]).run(current, reference)` on one
    // column "x" (numeric or categorical), m = None (default), "psi", "jensenshannon", "ks",
    // "wasserstein", "chisquare": (name, default method, value, psi, jensenshannon, ks,
    // wasserstein, chisquare, drifted); NaN where evidently does not apply the test.
    let nan = f64::NAN;
    let cases = [
        (
            "many",
            Method::Ks,
            0.8768354292554064,
            0.045520186712802224,
            0.07507814905251031,
            0.8768354292554064,
            0.08213697315533829,
            nan,
            false,
        ),
        (
            "four",
            Method::Chisquare,
            0.0008275246236931499,
            0.11552453009332421,
            0.11984403015647774,
            0.5663139897165717,
            0.14907119849998599,
            nan,
            true,
        ),
        (
            "two",
            Method::Z,
            0.020162991192120394,
            0.11552453009332421,
            0.11984403015647774,
            0.12609642932824563,
            0.33333333333333326,
            nan,
            true,
        ),
        (
            "three",
            Method::Jensenshannon,
            0.11984403015647774,
            0.1155245300933242,
            0.11984403015647774,
            0.00017904224528087121,
            0.20412414523193154,
            nan,
            true,
        ),
        (
            "abc",
            Method::Chisquare,
            2.862518580549388e-20,
            2.431485471552567,
            0.37968939400115065,
            nan,
            nan,
            2.862518580549388e-20,
            true,
        ),
        (
            "yes_no",
            Method::Z,
            0.00019394162910368884,
            0.11552453009332421,
            0.11984403015647774,
            nan,
            nan,
            5.733031437583867e-07,
            true,
        ),
        (
            "unseen",
            Method::Jensenshannon,
            0.27364532084863846,
            1.5640491119253044,
            0.27364532084863846,
            nan,
            nan,
            0.0,
            true,
        ),
    ];
    for (name, method, value, psi, js, ks, wd, chi, drifted) in cases {
        let got = if ks.is_nan() {
            evidently::categorical(&small_categorical(name))
        } else {
            let (r, c) = small_numeric(name);
            evidently::numeric(&sorted(r), &sorted(c))
                .unwrap_or_else(|| panic!("{name}: no evidently column"))
        };
        let what = format!("evidently {name}");
        assert_eq!((got.method, got.drifted), (method, drifted), "{what}");
        assert_eq!(got.threshold, method.threshold(), "{what}.threshold");
        same(&format!("{what}.value"), got.value, value);
        same(&format!("{what}.psi"), got.psi, psi);
        same(&format!("{what}.jensenshannon"), got.jensenshannon, js);
        for (field, got, want) in [
            ("ks_pvalue", got.ks_pvalue, ks),
            ("wasserstein_normed", got.wasserstein_normed, wd),
            ("chisquare_pvalue", got.chisquare_pvalue, chi),
        ] {
            match got {
                Some(g) => same(&format!("{what}.{field}"), g, want),
                None => assert!(want.is_nan(), "{what}.{field}: none"),
            }
        }
    }

    // nannyml 0.13.1: `UnivariateDriftCalculator(column_names=["x"], chunk_number=1,
    // continuous_methods=["kolmogorov_smirnov", "wasserstein", "jensen_shannon"],
    // categorical_methods=["chi2", "jensen_shannon"])`, fitted on the reference and calculated
    // on the current window: (name, KS, Wasserstein or chi2, Jensen-Shannon).
    for (name, ks, wd, js) in [
        ("many", 0.04933333333333333, 0.2384, 0.224390406231388),
        (
            "four",
            0.08333333333333333,
            0.16666666666666669,
            0.14394735018022448,
        ),
        (
            "two",
            0.16666666666666666,
            0.16666666666666663,
            0.14394735018022448,
        ),
        (
            "three",
            0.08333333333333333,
            0.16666666666666669,
            0.14394735018022448,
        ),
        (
            "wide",
            0.0879166666666037,
            0.5016090428997588,
            0.2976562488953461,
        ),
    ] {
        let (r, c) = small_numeric(name);
        let got = nannyml::continuous(&sorted(r), &sorted(c))
            .unwrap_or_else(|| panic!("{name}: no nannyml column"));
        same(&format!("nannyml {name} ks"), got.kolmogorov_smirnov, ks);
        same(&format!("nannyml {name} wasserstein"), got.wasserstein, wd);
        same(&format!("nannyml {name} js"), got.jensen_shannon, js);
    }
    for (name, chi2, js) in [
        ("abc", 46.66666666666667, 0.4560534395133295),
        ("yes_no", 13.203125, 0.14394735018022448),
        ("unseen", 437.4999999999999, 0.3286815269308575),
    ] {
        let got = nannyml::categorical(&small_categorical(name));
        same(&format!("nannyml {name} chi2"), got.chi2, chi2);
        same(&format!("nannyml {name} js"), got.jensen_shannon, js);
    }
}
