//! Monitoring of deployed AI systems (ISO/IEC 42001 9.1, A.6.2.6): a plan per system (the log
//! schema, the metrics watched with their warn and breach limits, the window and the schedule),
//! runs (`RUN-n`) whose observations are kept over time, and alerts (`ALR-n`) raised by warnings.
//!
//! The rules here are pure: reading a plan, matching metric paths, judging values against the
//! limits and flattening a metrics report into paths and values.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{FieldError, ValidationErrors};
use crate::keys::{normalise, Kind};

crate::vocabulary!(
    /// How often the plan expects a run.
    Schedule {
        Daily => ("daily", "Daily"),
        Weekly => ("weekly", "Weekly"),
        Monthly => ("monthly", "Monthly"),
    }
);

impl Schedule {
    /// Days between expected runs.
    pub fn days(self) -> i64 {
        match self {
            Schedule::Daily => 1,
            Schedule::Weekly => 7,
            Schedule::Monthly => 30,
        }
    }
}

crate::vocabulary!(
    /// The time windows metrics are also computed for, within the current rows.
    Window {
        Whole => ("whole", "Whole file"),
        Day => ("day", "Per day"),
        Week => ("week", "Per week"),
        Month => ("month", "Per 30 days"),
    }
);

impl Window {
    /// The window length in microseconds; `None` for the whole file.
    pub fn micros(self) -> Option<i64> {
        const DAY: i64 = 86_400_000_000;
        match self {
            Window::Whole => None,
            Window::Day => Some(DAY),
            Window::Week => Some(7 * DAY),
            Window::Month => Some(30 * DAY),
        }
    }
}

crate::vocabulary!(
    /// Which side of a limit is bad.
    Direction {
        Above => ("above", "Above the limit"),
        Below => ("below", "Below the limit"),
    }
);

crate::vocabulary!(
    /// How a value stands against its limits.
    Level {
        Ok => ("ok", "Within limits"),
        Warn => ("warn", "Warning"),
        Breach => ("breach", "Breach"),
    }
);

crate::vocabulary!(
    /// How a run's values reached aims.
    RunSource {
        File => ("file", "Prediction log computed by aims"),
        Push => ("push", "Values pushed by a pipeline"),
    }
);

crate::vocabulary!(
    /// Where an alert stands.
    AlertStatus {
        Open => ("open", "Open"),
        Acknowledged => ("acknowledged", "Acknowledged"),
    }
);

/// Longest metric path.
pub const MAX_METRIC: usize = 200;
/// Most rules in one plan and most values in one push.
pub const MAX_RULES: usize = 200;
pub const MAX_PUSHED: usize = 5_000;
/// Shortest webhook secret, in characters.
pub const MIN_SECRET: usize = 16;

/// One watched metric: a report path (`*` matches any one segment) and its limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// `performance.current.accuracy`, `drift.numeric.*.psi`.
    pub metric: String,
    pub warn: Option<f64>,
    pub breach: Option<f64>,
    /// above (default) or below.
    #[serde(default = "above")]
    #[schema(value_type = String)]
    pub direction: Direction,
}

fn above() -> Direction {
    Direction::Above
}

impl Rule {
    /// The level of `value` under this rule, with the limit it crossed.
    pub fn judge(&self, value: f64) -> (Level, Option<f64>) {
        let past = |limit: f64| match self.direction {
            Direction::Above => value > limit,
            Direction::Below => value < limit,
        };
        if let Some(limit) = self.breach.filter(|l| past(*l)) {
            (Level::Breach, Some(limit))
        } else if let Some(limit) = self.warn.filter(|l| past(*l)) {
            (Level::Warn, Some(limit))
        } else {
            (Level::Ok, None)
        }
    }
}

/// The rules as a TOML file gives them (`[[threshold]]`, the format `aims monitor compute` reads).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    #[serde(default)]
    pub threshold: Vec<Rule>,
}

/// A metric path as typed: dot-separated segments of letters, digits and `_ - + *`.
pub fn metric_path(field: &str, text: &str) -> Result<String, FieldError> {
    let t = text.trim();
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '*' | ' ' | ':'))
    };
    if t.is_empty() || t.len() > MAX_METRIC || !t.split('.').all(segment_ok) {
        return Err(FieldError::new(
            field,
            format!("'{t}' is not a metric path (dot-separated names, e.g. performance.current.accuracy)"),
        ));
    }
    Ok(t.to_string())
}

/// Checks the rules: paths, at least one limit each, finite limits, warn not past breach.
pub fn check_rules(field: &str, rules: &[Rule]) -> Result<Vec<Rule>, ValidationErrors> {
    let mut e = ValidationErrors::default();
    if rules.len() > MAX_RULES {
        e.push(field, format!("at most {MAX_RULES} rules"));
    }
    let mut out = Vec::with_capacity(rules.len());
    for (i, rule) in rules.iter().enumerate() {
        let at = format!("{field}[{}]", i + 1);
        let Some(metric) = e.take(metric_path(&format!("{at}.metric"), &rule.metric)) else {
            continue;
        };
        if rule.warn.is_none() && rule.breach.is_none() {
            e.push(
                format!("{at}.warn"),
                "give a warn limit, a breach limit or both",
            );
        }
        for (name, v) in [("warn", rule.warn), ("breach", rule.breach)] {
            if v.is_some_and(|v| !v.is_finite()) {
                e.push(format!("{at}.{name}"), "must be a finite number");
            }
        }
        if let (Some(w), Some(b)) = (rule.warn, rule.breach) {
            let inverted = match rule.direction {
                Direction::Above => w > b,
                Direction::Below => w < b,
            };
            if inverted {
                e.push(
                    format!("{at}.warn"),
                    format!(
                        "the warn limit {w} lies past the breach limit {b} for direction '{}'",
                        rule.direction
                    ),
                );
            }
        }
        if out.iter().any(|r: &Rule| r.metric == metric) {
            e.push(
                format!("{at}.metric"),
                format!("'{metric}' is watched twice"),
            );
        }
        out.push(Rule {
            metric,
            ..rule.clone()
        });
    }
    e.into_result(|| out)
}

/// Whether `path` is matched by `pattern` (same number of segments, `*` matching any one).
pub fn matches(pattern: &str, path: &str) -> bool {
    let mut p = pattern.split('.');
    let mut s = path.split('.');
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            _ => return false,
        }
    }
}

/// One value judged against the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Observation {
    pub metric: String,
    pub value: f64,
    #[schema(value_type = String)]
    pub level: Level,
    /// The limit crossed, for a warning or a breach.
    pub limit: Option<f64>,
    /// The rule that watches it.
    pub rule: String,
    #[schema(value_type = String)]
    pub direction: Direction,
}

/// The outcome of judging values: the watched ones, and the rules nothing matched.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Judgement {
    pub observations: Vec<Observation>,
    pub unmatched: Vec<String>,
}

/// Judges `(path, value)` pairs against `rules`. A path watched by several rules is judged by the
/// first. Paths no rule watches are not observations; rules matching no path are listed.
pub fn judge(rules: &[Rule], values: &[(String, f64)]) -> Judgement {
    let mut out = Judgement::default();
    let mut seen = std::collections::BTreeSet::new();
    for rule in rules {
        let mut any = false;
        for (path, value) in values.iter().filter(|(p, _)| matches(&rule.metric, p)) {
            any = true;
            if !seen.insert(path.clone()) {
                continue;
            }
            let (level, limit) = rule.judge(*value);
            out.observations.push(Observation {
                metric: path.clone(),
                value: *value,
                level,
                limit,
                rule: rule.metric.clone(),
                direction: rule.direction,
            });
        }
        if !any {
            out.unmatched.push(rule.metric.clone());
        }
    }
    out
}

/// Every finite number in a JSON report as `(dotted path, value)`; `windows` and `thresholds`
/// (per-window detail and a threshold evaluation) are left out.
pub fn flatten(report: &Value) -> Vec<(String, f64)> {
    fn walk(v: &Value, prefix: &str, out: &mut Vec<(String, f64)>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if prefix.is_empty() && (k == "windows" || k == "thresholds") {
                        continue;
                    }
                    let path = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(v, &path, out);
                }
            }
            Value::Number(n) => {
                if let Some(x) = n.as_f64().filter(|x| x.is_finite()) {
                    out.push((prefix.to_string(), x));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(report, "", &mut out);
    out
}

/// The worst level among observations.
pub fn worst(observations: &[Observation]) -> Level {
    observations
        .iter()
        .map(|o| o.level)
        .max()
        .unwrap_or(Level::Ok)
}

/// A system's monitoring plan; also the state written to the ledger (the webhook secret is
/// never part of it, only whether one is set).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Plan {
    /// The system it watches (`SYS-n`).
    pub system: String,
    /// The prediction log schema, as TOML (the format `aims monitor compute --schema` reads).
    pub schema: String,
    pub rules: Vec<Rule>,
    #[schema(value_type = String)]
    pub window: Window,
    #[schema(value_type = String)]
    pub schedule: Schedule,
    /// Username of the person who answers for it.
    pub owner: String,
    /// Where alerts and breaches are posted, signed with HMAC-SHA256.
    pub webhook_url: Option<String>,
    pub webhook_secret_set: bool,
    /// 1 for the first plan, then one more per change.
    pub version: i64,
    pub updated_at: String,
}

impl Plan {
    /// The day the next run is due, from the last run's day (or the plan's own).
    pub fn next_due(&self, last_run: Option<&str>) -> Option<NaiveDate> {
        let from = last_run.unwrap_or(&self.updated_at);
        let day = NaiveDate::parse_from_str(from.get(..10)?, "%Y-%m-%d").ok()?;
        Some(day + Duration::days(self.schedule.days()))
    }
}

/// The ledger key of a system's plan: `MON:SYS-3`.
pub fn plan_key(system: &str) -> String {
    format!("MON:{}", normalise(system))
}

/// A plan as typed into the API or the CLI; omitted fields keep their current value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The log schema as TOML.
    pub schema: Option<String>,
    /// The watched metrics; a given list replaces the current one.
    pub rules: Option<Vec<Rule>>,
    /// whole (default), day, week or month.
    pub window: Option<String>,
    /// daily, weekly (default) or monthly.
    pub schedule: Option<String>,
    pub owner: Option<String>,
    /// http(s) URL; empty removes the webhook.
    pub webhook_url: Option<String>,
    /// At least 16 characters; kept to sign deliveries, never shown again.
    pub webhook_secret: Option<String>,
}

/// A webhook address as typed: an absolute http or https URL without spaces.
pub fn webhook_url(field: &str, text: &str) -> Result<Option<String>, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let rest = t
        .strip_prefix("https://")
        .or_else(|| t.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !t.contains(char::is_whitespace) && t.len() <= 2000 => {
            Ok(Some(t.to_string()))
        }
        _ => Err(FieldError::new(
            field,
            format!("'{t}' is not an http or https URL"),
        )),
    }
}

/// A run: one computation over a prediction log, or values a pipeline pushed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Run {
    /// `RUN-n`.
    pub key: String,
    pub system: String,
    #[schema(value_type = String)]
    pub source: RunSource,
    /// When the data was observed (defaults to when the run was recorded).
    pub observed_at: String,
    /// Rows of the reference and current windows (0 for pushed values).
    pub rows_reference: i64,
    pub rows_current: i64,
    /// SHA-256 of the files read, so the evidence can be matched to its source.
    pub current_sha256: Option<String>,
    pub reference_sha256: Option<String>,
    /// SHA-256 of the stored metrics report (computed logs only).
    pub report_sha256: Option<String>,
    /// What the pipeline or person called it (file name, pipeline job).
    pub label: Option<String>,
    #[schema(value_type = String)]
    pub outcome: Level,
    pub observations: Vec<Observation>,
    /// Watched metrics this run did not produce (e.g. drift without a reference).
    pub unmatched: Vec<String>,
    /// The plan version it was judged under.
    pub plan_version: i64,
    pub recorded_by: String,
    pub created_at: String,
}

/// An alert: a watched metric past its warn limit. Later warnings of the same system and metric
/// add to the open alert instead of raising another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Alert {
    /// `ALR-n`.
    pub key: String,
    pub system: String,
    pub metric: String,
    pub first_run: String,
    pub last_run: String,
    pub value: f64,
    pub limit: f64,
    pub occurrences: i64,
    #[schema(value_type = String)]
    pub status: AlertStatus,
    pub acknowledged_by: Option<String>,
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One point of a metric's trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Point {
    pub run: String,
    pub observed_at: String,
    pub value: f64,
    #[schema(value_type = String)]
    pub level: Level,
    pub limit: Option<f64>,
}

/// One webhook post as it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Delivery {
    pub system: String,
    /// `monitoring.alert` or `monitoring.breach`.
    pub event: String,
    /// The alert or incident it announced.
    pub subject: String,
    pub url: String,
    pub status_code: Option<i64>,
    pub error: Option<String>,
    pub delivered_at: String,
}

/// Values pushed by a pipeline: metric path to value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushInput {
    /// Metric path to value; at least one (an empty body is refused after the permission check).
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// RFC 3339 time the values describe; defaults to now.
    pub observed_at: Option<String>,
    /// The pipeline or job that computed them.
    pub label: Option<String>,
}

/// Checks pushed values: at least one, valid paths without `*`, finite values.
pub fn check_push(input: &PushInput) -> Result<Vec<(String, f64)>, ValidationErrors> {
    let mut e = ValidationErrors::default();
    if input.metrics.is_empty() {
        e.push("metrics", "give at least one metric value");
    }
    if input.metrics.len() > MAX_PUSHED {
        e.push(
            "metrics",
            format!("at most {MAX_PUSHED} values in one push"),
        );
    }
    let mut out = Vec::new();
    for (path, value) in &input.metrics {
        let field = format!("metrics.{path}");
        match metric_path(&field, path) {
            Ok(p) if p.contains('*') => {
                e.push(field, "a pushed value names one metric, without '*'")
            }
            Ok(p) if !value.is_finite() => {
                e.push(format!("metrics.{p}"), "must be a finite number")
            }
            Ok(p) => out.push((p, *value)),
            Err(err) => e.push(err.field, err.reason),
        }
    }
    e.into_result(|| out)
}

/// The key of a run as typed (`run-3`).
pub fn run_key(field: &str, text: &str) -> Result<String, FieldError> {
    let key = normalise(text);
    if Kind::of_key(&key) == Some(Kind::MonitoringRun) {
        Ok(key)
    } else {
        Err(FieldError::new(
            field,
            format!("'{}' is not a run key (expected RUN-n)", text.trim()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields a refusal names; panics when the input was accepted.
    fn refused<T: std::fmt::Debug>(r: Result<T, ValidationErrors>) -> Vec<String> {
        match r {
            Err(e) => e.0.into_iter().map(|f| f.field).collect(),
            Ok(v) => panic!("accepted: {v:?}"),
        }
    }

    fn rule(metric: &str, warn: Option<f64>, breach: Option<f64>, d: Direction) -> Rule {
        Rule {
            metric: metric.into(),
            warn,
            breach,
            direction: d,
        }
    }

    #[test]
    fn values_are_judged_on_the_bad_side_of_each_limit() {
        let above = rule("x", Some(0.1), Some(0.25), Direction::Above);
        assert_eq!(above.judge(0.1), (Level::Ok, None));
        assert_eq!(above.judge(0.11), (Level::Warn, Some(0.1)));
        assert_eq!(above.judge(0.25), (Level::Warn, Some(0.1)));
        assert_eq!(above.judge(0.3), (Level::Breach, Some(0.25)));
        let below = rule("x", Some(0.9), Some(0.8), Direction::Below);
        assert_eq!(below.judge(0.95), (Level::Ok, None));
        assert_eq!(below.judge(0.85), (Level::Warn, Some(0.9)));
        assert_eq!(below.judge(0.79), (Level::Breach, Some(0.8)));
        let breach_only = rule("x", None, Some(1.0), Direction::Above);
        assert_eq!(breach_only.judge(0.99), (Level::Ok, None));
        assert_eq!(breach_only.judge(1.5), (Level::Breach, Some(1.0)));
    }

    #[test]
    fn wildcards_match_exactly_one_segment() {
        assert!(matches("drift.numeric.*.psi", "drift.numeric.num_0.psi"));
        assert!(!matches("drift.numeric.*.psi", "drift.numeric.num_0.ks"));
        assert!(!matches("drift.numeric.*", "drift.numeric.num_0.psi"));
        assert!(!matches("drift.*.*.psi.x", "drift.numeric.num_0.psi"));
        assert!(matches("a.b", "a.b"));
    }

    #[test]
    fn rules_name_every_problem() {
        let bad = vec![
            rule("ok.path", Some(0.3), Some(0.2), Direction::Above),
            rule("", Some(1.0), None, Direction::Above),
            rule("x.y", None, None, Direction::Below),
            rule("ok.path", Some(f64::NAN), None, Direction::Above),
        ];
        assert_eq!(
            refused(check_rules("rules", &bad)),
            vec![
                "rules[1].warn",
                "rules[2].metric",
                "rules[3].warn",
                "rules[4].warn",
                "rules[4].metric"
            ]
        );
        let good = vec![rule("a.b", Some(0.9), Some(0.8), Direction::Below)];
        assert_eq!(check_rules("rules", &good).ok(), Some(good));
    }

    #[test]
    fn a_report_flattens_to_paths_and_is_judged_by_the_first_matching_rule() {
        let report = serde_json::json!({
            "rows": {"current": 10, "reference": 5},
            "performance": {"current": {"accuracy": 0.55, "roc_auc": null}},
            "drift": {"numeric": {"a": {"psi": 0.3}, "b": {"psi": 0.05}}},
            "windows": {"2025-01-01": {"rows": 3}},
        });
        let values = flatten(&report);
        assert_eq!(
            values,
            vec![
                ("drift.numeric.a.psi".to_string(), 0.3),
                ("drift.numeric.b.psi".to_string(), 0.05),
                ("performance.current.accuracy".to_string(), 0.55),
                ("rows.current".to_string(), 10.0),
                ("rows.reference".to_string(), 5.0),
            ]
        );
        let rules = vec![
            rule("drift.numeric.a.psi", Some(0.5), None, Direction::Above),
            rule(
                "drift.numeric.*.psi",
                Some(0.1),
                Some(0.25),
                Direction::Above,
            ),
            rule(
                "performance.current.accuracy",
                Some(0.7),
                Some(0.6),
                Direction::Below,
            ),
            rule(
                "fairness.current.*.disparate_impact_ratio",
                None,
                Some(0.8),
                Direction::Below,
            ),
        ];
        let j = judge(&rules, &values);
        let got: Vec<(&str, Level)> = j
            .observations
            .iter()
            .map(|o| (o.metric.as_str(), o.level))
            .collect();
        assert_eq!(
            got,
            vec![
                ("drift.numeric.a.psi", Level::Ok),
                ("drift.numeric.b.psi", Level::Ok),
                ("performance.current.accuracy", Level::Breach),
            ]
        );
        assert_eq!(
            j.unmatched,
            vec!["fairness.current.*.disparate_impact_ratio"]
        );
        assert_eq!(worst(&j.observations), Level::Breach);
    }

    #[test]
    fn pushed_values_need_plain_paths_and_finite_numbers() {
        let mut input = PushInput::default();
        assert_eq!(refused(check_push(&input)), vec!["metrics"]);
        input.metrics.insert("drift.*.psi".into(), 0.1);
        input
            .metrics
            .insert("performance.current.f1".into(), f64::INFINITY);
        input
            .metrics
            .insert("performance.current.accuracy".into(), 0.8);
        assert_eq!(
            refused(check_push(&input)),
            vec!["metrics.drift.*.psi", "metrics.performance.current.f1"]
        );
    }

    #[test]
    fn webhooks_take_http_urls_only() {
        assert_eq!(webhook_url("w", " "), Ok(None));
        assert!(webhook_url("w", "https://hooks.example/x").is_ok());
        assert!(webhook_url("w", "ftp://x").is_err());
        assert!(webhook_url("w", "http://").is_err());
    }

    #[test]
    fn the_next_run_follows_the_schedule() {
        let plan = Plan {
            system: "SYS-1".into(),
            schema: String::new(),
            rules: vec![],
            window: Window::Whole,
            schedule: Schedule::Weekly,
            owner: "a".into(),
            webhook_url: None,
            webhook_secret_set: false,
            version: 1,
            updated_at: "2026-01-01T00:00:00Z".into(),
        };
        assert_eq!(plan.next_due(None), NaiveDate::from_ymd_opt(2026, 1, 8));
        assert_eq!(
            plan.next_due(Some("2026-02-10T10:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 2, 17)
        );
    }
}
