//! Warn and breach thresholds on report metrics (TOML), and their evaluation.
//!
//! ```toml
//! [[threshold]]
//! metric = "drift.numeric.*.psi"   # a report path; `*` matches every key at that level
//! warn = 0.1
//! breach = 0.25
//! direction = "above"              # crossed when value > limit; "below": value < limit
//! ```
//!
//! A path that matches nothing in the report is an error; a metric whose value is undefined
//! (null) is skipped. A value past `breach` is a breach, else past `warn` a warning.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{MonitorError, Result};

/// Which side of the limit is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Above,
    Below,
}

/// One threshold rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub metric: String,
    pub warn: Option<f64>,
    pub breach: Option<f64>,
    #[serde(default)]
    pub direction: Direction,
}

/// A thresholds file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    #[serde(default)]
    pub threshold: Vec<Threshold>,
}

/// One metric past a limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub metric: String,
    pub value: f64,
    pub limit: f64,
    pub direction: Direction,
}

/// The outcome of checking every threshold.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Number of metric values checked.
    pub checked: usize,
    pub breaches: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

impl Evaluation {
    /// True when any breach limit is crossed.
    pub fn breached(&self) -> bool {
        !self.breaches.is_empty()
    }
}

impl Thresholds {
    /// Reads and checks a thresholds file.
    pub fn load(path: &Path) -> Result<Thresholds> {
        let err = |message: String| MonitorError::Thresholds {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Thresholds::parse(&text).map_err(err)
    }

    /// Parses and checks thresholds text.
    pub fn parse(text: &str) -> std::result::Result<Thresholds, String> {
        let t: Thresholds = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for rule in &t.threshold {
            if rule.warn.is_none() && rule.breach.is_none() {
                return Err(format!("{}: give 'warn', 'breach' or both", rule.metric));
            }
            if rule.metric.split('.').any(str::is_empty) {
                return Err(format!("{}: not a metric path", rule.metric));
            }
        }
        Ok(t)
    }

    /// Checks every rule against the report serialised as JSON; an unknown path is an error.
    pub fn evaluate(&self, report: &Value) -> std::result::Result<Evaluation, String> {
        let mut out = Evaluation::default();
        for rule in &self.threshold {
            let segments: Vec<&str> = rule.metric.split('.').collect();
            let mut found = Vec::new();
            resolve(report, &segments, String::new(), &mut found);
            if found.is_empty() {
                return Err(format!("{}: no such metric in the report", rule.metric));
            }
            for (path, value) in found {
                let Some(value) = value.as_f64() else {
                    continue;
                };
                out.checked += 1;
                let past = |limit: f64| match rule.direction {
                    Direction::Above => value > limit,
                    Direction::Below => value < limit,
                };
                let finding = |limit| Finding {
                    metric: path.clone(),
                    value,
                    limit,
                    direction: rule.direction,
                };
                if let Some(limit) = rule.breach.filter(|l| past(*l)) {
                    out.breaches.push(finding(limit));
                } else if let Some(limit) = rule.warn.filter(|l| past(*l)) {
                    out.warnings.push(finding(limit));
                }
            }
        }
        Ok(out)
    }
}

/// Every (path, value) under `v` matching `segments`.
fn resolve<'a>(
    v: &'a Value,
    segments: &[&str],
    prefix: String,
    out: &mut Vec<(String, &'a Value)>,
) {
    let Some((first, rest)) = segments.split_first() else {
        out.push((prefix, v));
        return;
    };
    let Value::Object(map) = v else {
        return;
    };
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    if *first == "*" {
        for (k, child) in map {
            resolve(child, rest, join(k), out);
        }
    } else if let Some(child) = map.get(*first) {
        resolve(child, rest, join(first), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_directions_and_unknown_paths() {
        let report = serde_json::json!({"drift": {"numeric": {
            "a": {"psi": 0.3}, "b": {"psi": 0.15}, "c": {"psi": 0.01}}},
            "fairness": {"ratio": 0.7, "undefined": null}});
        let t = Thresholds::parse(
            "[[threshold]]\nmetric = \"drift.numeric.*.psi\"\nwarn = 0.1\nbreach = 0.25\n\
             [[threshold]]\nmetric = \"fairness.ratio\"\nbreach = 0.8\ndirection = \"below\"\n\
             [[threshold]]\nmetric = \"fairness.undefined\"\nbreach = 1.0\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let e = t.evaluate(&report).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = e.breaches.iter().map(|f| f.metric.as_str()).collect();
        assert_eq!(names, vec!["drift.numeric.a.psi", "fairness.ratio"]);
        assert_eq!(e.warnings[0].metric, "drift.numeric.b.psi");
        assert_eq!(e.checked, 4);
        let bad = Thresholds::parse("[[threshold]]\nmetric = \"nope.x\"\nbreach = 1.0\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(bad.evaluate(&report).is_err());
    }
}
