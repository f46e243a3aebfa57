//! One computation: read the columns the schema names, split into windows, compute every metric.

use std::collections::BTreeMap;
use std::path::Path;

use crate::buffers::Buffers;
use crate::error::{MonitorError, Result};
use crate::read::{self, Frame, Kind, Rows};
use crate::report::{Drift, Performance, Report, Window, Windows};
use crate::schema::{LogSchema, Task};
use crate::thresholds::Thresholds;
use crate::{conventions, drift, fairness, performance, quality};

/// Where the reference and current windows come from.
#[derive(Debug, Clone, Copy)]
pub enum Input<'a> {
    /// One file, all current; no reference, so no drift.
    Whole(&'a Path),
    /// One file: reference = rows with timestamp before `cutoff_us` (UTC microseconds).
    Split { file: &'a Path, cutoff_us: i64 },
    /// A reference file and a current file.
    Pair {
        reference: &'a Path,
        current: &'a Path,
    },
}

/// What to compute beyond the two windows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Also compute every metric per fixed window of this many microseconds of the current rows.
    pub window_us: Option<i64>,
    /// Check these thresholds against the report.
    pub thresholds: Option<&'a Thresholds>,
    /// The metric families to compute (default: all).
    pub tasks: Tasks,
    /// Told as the computation advances, e.g. to draw a progress bar.
    pub progress: Option<Progress<'a>>,
}

/// How far a computation is: `done` of `total` steps (column groups read and computed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub done: usize,
    pub total: usize,
}

/// A callback told each [`Step`]; called from worker threads, in increasing `done` order.
#[derive(Clone, Copy)]
pub struct Progress<'a>(pub &'a (dyn Fn(Step) + Sync));

impl std::fmt::Debug for Progress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

impl Progress<'_> {
    pub(crate) fn tell(progress: Option<Progress<'_>>, done: usize, total: usize) {
        if let Some(Progress(tell)) = progress {
            tell(Step { done, total });
        }
    }
}

/// The metric families to compute; only the columns they need are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tasks {
    pub performance: bool,
    pub fairness: bool,
    pub drift: bool,
    pub quality: bool,
}

impl Default for Tasks {
    fn default() -> Tasks {
        Tasks::ALL
    }
}

impl Tasks {
    /// Every family.
    pub const ALL: Tasks = Tasks {
        performance: true,
        fairness: true,
        drift: true,
        quality: true,
    };
    /// No family (add them one by one).
    pub const NONE: Tasks = Tasks {
        performance: false,
        fairness: false,
        drift: false,
        quality: false,
    };
}

/// Computes every metric the schema allows, then checks the thresholds if given.
pub fn compute(schema: &LogSchema, input: Input<'_>, options: &Options<'_>) -> Result<Report> {
    let split = matches!(input, Input::Split { .. });
    let window = match options.window_us {
        Some(len) if len <= 0 => {
            return Err(MonitorError::Input(
                "the window length must be positive".into(),
            ))
        }
        Some(len) => {
            let ts = schema.timestamp.as_deref().ok_or_else(|| {
                MonitorError::Input("windows need 'timestamp' in the schema".into())
            })?;
            Some((ts, len))
        }
        None => None,
    };
    if window.is_none() {
        let mut report = crate::stream::compute(schema, input, options.tasks, options.progress)?;
        check_thresholds(&mut report, options)?;
        return Ok(report);
    }
    let tasks = options.tasks;
    let wanted = columns(schema, split || window.is_some());
    let (reference, current) = match input {
        Input::Whole(file) => (None, read_checked(schema, file, &wanted)?),
        Input::Pair { reference, current } => (
            Some(read_checked(schema, reference, &wanted)?),
            read_checked(schema, current, &wanted)?,
        ),
        Input::Split { file, cutoff_us } => {
            let ts = schema
                .timestamp
                .as_deref()
                .ok_or_else(|| MonitorError::Schema {
                    path: file.to_path_buf(),
                    message: "splitting at a time needs 'timestamp'".into(),
                })?;
            let frame = read_checked(schema, file, &wanted)?;
            let (r, c) = frame
                .split_at(ts, cutoff_us)
                .ok_or_else(|| MonitorError::column(file, ts, "not a timestamp"))?;
            if r.rows == 0 || c.rows == 0 {
                return Err(MonitorError::Input(format!(
                    "{}: the cutoff leaves {} rows before it and {} after; both windows need rows",
                    file.display(),
                    r.rows,
                    c.rows
                )));
            }
            (Some(r), c)
        }
    };
    Progress::tell(options.progress, 1, 2);
    let mut report = Report {
        rows: Windows {
            reference: reference.as_ref().map(|r| r.rows),
            current: current.rows,
        },
        performance: None,
        fairness: None,
        drift: None,
        quality: if tasks.quality {
            quality_of(schema, reference.as_ref(), &current)
        } else {
            BTreeMap::new()
        },
        windows: None,
        thresholds: None,
    };
    if schema.label.is_some() && schema.prediction.is_some() {
        if tasks.performance {
            report.performance = Some(Windows {
                reference: reference
                    .as_ref()
                    .map(|r| performance_of(schema, r, &Buffers::default())),
                current: performance_of(schema, &current, &Buffers::default()),
            });
        }
        if tasks.fairness && schema.task == Task::Binary && !schema.sensitive.is_empty() {
            check_groups(schema, input, reference.as_ref(), &current)?;
            report.fairness = Some(Windows {
                reference: reference.as_ref().map(|r| fairness_of(schema, r)),
                current: fairness_of(schema, &current),
            });
        }
    }
    let baseline = reference
        .as_ref()
        .filter(|_| tasks.drift)
        .map(|r| Baseline::new(schema, r));
    if let Some(b) = &baseline {
        report.drift = Some(drift_of(schema, b, &current));
    }
    if let Some((ts, len)) = window {
        let parts = current
            .windows(ts, len)
            .ok_or_else(|| MonitorError::Input(format!("column '{ts}' is not a timestamp")))?;
        let mut out = BTreeMap::new();
        for (start, frame) in parts {
            out.insert(
                rfc3339(start),
                window_of(schema, reference.as_ref(), baseline.as_ref(), &frame, tasks),
            );
        }
        report.windows = Some(out);
    }
    check_thresholds(&mut report, options)?;
    Progress::tell(options.progress, 2, 2);
    Ok(report)
}

/// Evaluates the thresholds of `options`, if any, against the report.
fn check_thresholds(report: &mut Report, options: &Options<'_>) -> Result<()> {
    if let Some(t) = options.thresholds {
        let value =
            serde_json::to_value(&*report).map_err(|e| MonitorError::Input(e.to_string()))?;
        let evaluation = t.evaluate(&value).map_err(MonitorError::Input)?;
        report.thresholds = Some(evaluation);
    }
    Ok(())
}

/// Every metric of one window of current rows.
fn window_of(
    schema: &LogSchema,
    reference: Option<&Frame>,
    baseline: Option<&Baseline<'_>>,
    frame: &Frame,
    tasks: Tasks,
) -> Window {
    let labelled = schema.label.is_some() && schema.prediction.is_some();
    Window {
        rows: frame.rows,
        performance: (labelled && tasks.performance)
            .then(|| performance_of(schema, frame, &Buffers::default())),
        fairness: (labelled
            && tasks.fairness
            && schema.task == Task::Binary
            && !schema.sensitive.is_empty())
        .then(|| fairness_of(schema, frame)),
        drift: baseline.map(|b| drift_of(schema, b, frame)),
        quality: if tasks.quality {
            quality_of(schema, reference, frame)
        } else {
            BTreeMap::new()
        },
    }
}

/// UTC microseconds as RFC 3339 with second precision (`2025-01-31T00:00:00Z`).
fn rfc3339(us: i64) -> String {
    chrono::DateTime::from_timestamp_micros(us).map_or_else(
        || us.to_string(),
        |t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    )
}

/// The columns to read and how; the timestamp only when splitting at a time.
fn columns(schema: &LogSchema, with_timestamp: bool) -> Vec<(&str, Kind)> {
    let mut out = Vec::new();
    if with_timestamp {
        out.extend(schema.timestamp.as_deref().map(|t| (t, Kind::Timestamp)));
    }
    for c in [&schema.label, &schema.prediction, &schema.score]
        .into_iter()
        .flatten()
    {
        out.push((c.as_str(), Kind::Numeric));
    }
    out.extend(
        schema
            .sensitive
            .iter()
            .map(|c| (c.as_str(), Kind::Categorical)),
    );
    out.extend(schema.numeric.iter().map(|c| (c.as_str(), Kind::Numeric)));
    out.extend(
        schema
            .categorical
            .iter()
            .map(|c| (c.as_str(), Kind::Categorical)),
    );
    out
}

fn numeric<'f>(frame: &'f Frame, name: &str) -> &'f [f64] {
    frame.numeric(name).unwrap_or(&[])
}

pub(crate) fn performance_of(schema: &LogSchema, frame: &Frame, buffers: &Buffers) -> Performance {
    let label = schema
        .label
        .as_deref()
        .map_or(&[][..], |c| numeric(frame, c));
    let prediction = schema
        .prediction
        .as_deref()
        .map_or(&[][..], |c| numeric(frame, c));
    match schema.task {
        Task::Binary => {
            let score = schema.score.as_deref().map(|c| numeric(frame, c));
            Performance::Binary(performance::binary_in(
                label,
                prediction,
                score,
                schema.positive_label,
                buffers,
            ))
        }
        Task::Regression => Performance::Regression(performance::regression(label, prediction)),
    }
}

pub(crate) fn fairness_of(
    schema: &LogSchema,
    frame: &Frame,
) -> BTreeMap<String, fairness::Attribute> {
    let label = schema
        .label
        .as_deref()
        .map_or(&[][..], |c| numeric(frame, c));
    let prediction = schema
        .prediction
        .as_deref()
        .map_or(&[][..], |c| numeric(frame, c));
    schema
        .sensitive
        .iter()
        .filter_map(|s| {
            let (codes, cats) = frame.categorical(s)?;
            let a = fairness::attribute(codes, cats, label, prediction, schema.positive_label);
            Some((s.clone(), a))
        })
        .collect()
}

/// The reference window prepared once for drift: sorted numeric columns and their bins.
struct Baseline<'a> {
    frame: &'a Frame,
    numeric: BTreeMap<&'a str, drift::NumericReference>,
}

impl<'a> Baseline<'a> {
    fn new(schema: &'a LogSchema, frame: &'a Frame) -> Baseline<'a> {
        let numeric = schema
            .drift_numeric()
            .into_iter()
            .filter_map(|c| Some((c, drift::NumericReference::new(numeric(frame, c))?)))
            .collect();
        Baseline { frame, numeric }
    }
}

fn drift_of(schema: &LogSchema, baseline: &Baseline<'_>, current: &Frame) -> Drift {
    let wanted = &schema.drift_conventions;
    let mut out = Drift::with_conventions(wanted);
    for (c, r) in &baseline.numeric {
        let sorted = crate::sort::sorted_present(numeric(current, c).iter().copied());
        out.insert_conventions(c, conventions::numeric(wanted, r.sorted(), &sorted));
        if let Some(d) = drift::numeric_sorted(r, &sorted) {
            out.numeric.insert((*c).to_string(), d);
        }
    }
    for c in &schema.categorical {
        if let (Some(r), Some(k)) = (baseline.frame.categorical(c), current.categorical(c)) {
            if let Some(d) = drift::categorical(r, k) {
                out.insert_conventions(c, conventions::categorical(wanted, &d));
                out.categorical.insert(c.clone(), d);
            }
        }
    }
    out
}

fn quality_of(
    schema: &LogSchema,
    reference: Option<&Frame>,
    current: &Frame,
) -> BTreeMap<String, quality::ColumnQuality> {
    let mut out = BTreeMap::new();
    let numeric_cols = [&schema.label, &schema.prediction, &schema.score]
        .into_iter()
        .flatten()
        .chain(&schema.numeric);
    for c in numeric_cols {
        let r = reference.and_then(|r| r.numeric(c));
        if let Some(cur) = current.numeric(c) {
            out.insert(c.clone(), quality::numeric(cur, r));
        }
    }
    for c in schema.sensitive.iter().chain(&schema.categorical) {
        let r = reference.and_then(|r| r.categorical(c));
        if let Some(cur) = current.categorical(c) {
            out.insert(c.clone(), quality::categorical(cur, r));
        }
    }
    out
}

/// Reads `wanted` from `file`; refuses a file without rows, and checks a binary classifier's
/// labels and predictions.
pub(crate) fn read_checked(
    schema: &LogSchema,
    file: &Path,
    wanted: &[(&str, read::Kind)],
) -> Result<Frame> {
    read_checked_in(schema, file, wanted, &Buffers::default(), Rows::Check)
}

/// [`read_checked`] with memory from `buffers`, after the rows are checked as `rows` says.
pub(crate) fn read_checked_in(
    schema: &LogSchema,
    file: &Path,
    wanted: &[(&str, read::Kind)],
    buffers: &Buffers,
    rows: Rows,
) -> Result<Frame> {
    let frame = read::read_in(file, wanted, buffers, rows)?;
    if frame.rows == 0 {
        return Err(MonitorError::read(file, "the file holds no data rows"));
    }
    check_binary(schema, file, &frame)?;
    check_declared_groups(schema, file, &frame)?;
    Ok(frame)
}

/// A sensitive attribute with declared groups holds only those: anything else is refused,
/// naming the file, the column and the first row (1 = the first data row) that holds it.
fn check_declared_groups(schema: &LogSchema, file: &Path, frame: &Frame) -> Result<()> {
    for (attribute, declared) in &schema.groups {
        let Some((codes, categories)) = frame.categorical(attribute) else {
            continue;
        };
        let undeclared: Vec<bool> = categories.iter().map(|c| !declared.contains(c)).collect();
        let first = codes
            .iter()
            .position(|&c| c != read::MISSING && undeclared[c as usize]);
        if let Some(row) = first {
            return Err(MonitorError::column(
                file,
                attribute,
                format!(
                    "row {} holds '{}', not one of the declared groups ({})",
                    row + 1,
                    categories[codes[row] as usize],
                    declared.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Every group of a sensitive attribute has rows in each window: the declared groups, or
/// without a declaration the groups of the reference window. A group without rows would drop
/// out of the differences and ratios unnoticed, so it is refused, naming the file and column.
pub(crate) fn check_groups(
    schema: &LogSchema,
    input: Input<'_>,
    reference: Option<&Frame>,
    current: &Frame,
) -> Result<()> {
    let (reference_file, current_file) = match input {
        Input::Whole(file) | Input::Split { file, .. } => (file, file),
        Input::Pair { reference, current } => (reference, current),
    };
    for attribute in &schema.sensitive {
        let in_current = groups_present(current, attribute);
        let in_reference = reference.map(|r| groups_present(r, attribute));
        let expected: Vec<&str> = match (schema.groups.get(attribute), &in_reference) {
            (Some(declared), _) => declared.iter().map(String::as_str).collect(),
            (None, Some(r)) => r.iter().copied().collect(),
            (None, None) => continue,
        };
        let windows = [
            (in_reference.as_ref(), reference_file, "reference"),
            (Some(&in_current), current_file, "current"),
        ];
        for (present, file, window) in windows {
            let Some(present) = present else { continue };
            if let Some(missing) = expected.iter().find(|g| !present.contains(*g)) {
                return Err(MonitorError::column(
                    file,
                    attribute,
                    format!("group '{missing}' has no rows in the {window} window"),
                ));
            }
        }
    }
    Ok(())
}

/// The groups of a categorical column that hold at least one row.
fn groups_present<'f>(frame: &'f Frame, attribute: &str) -> std::collections::BTreeSet<&'f str> {
    let Some((codes, categories)) = frame.categorical(attribute) else {
        return Default::default();
    };
    let mut seen = vec![false; categories.len()];
    for &c in codes {
        if c != read::MISSING {
            seen[c as usize] = true;
        }
    }
    categories
        .iter()
        .zip(seen)
        .filter(|(_, s)| *s)
        .map(|(c, _)| c.as_str())
        .collect()
}

/// A binary classifier's label and prediction hold 0, 1 or the positive label (or nothing):
/// anything else is refused, naming the file, the column and the first row (1 = the first data
/// row) that holds it.
pub(crate) fn check_binary(schema: &LogSchema, file: &Path, frame: &Frame) -> Result<()> {
    /// Values checked at once before the first bad one is looked for.
    const BLOCK: usize = 4096;
    if schema.task != Task::Binary {
        return Ok(());
    }
    let positive = schema.positive_label;
    // `|` rather than `||`: no branch per value, so that whole blocks are checked at once.
    let allowed = |v: f64| v.is_nan() | (v == 0.0) | (v == 1.0) | (v == positive);
    for column in [&schema.label, &schema.prediction].into_iter().flatten() {
        let Some(values) = frame.numeric(column) else {
            continue;
        };
        let first_bad = values
            .chunks(BLOCK)
            .position(|block| !block.iter().fold(true, |ok, v| ok & allowed(*v)))
            .and_then(|b| {
                let from = b * BLOCK;
                (from..values.len()).find(|&row| !allowed(values[row]))
            });
        if let Some((row, v)) = first_bad.map(|row| (row, values[row])) {
            return Err(MonitorError::column(
                file,
                column,
                format!(
                    "row {} holds {v}; a binary classifier's labels and predictions are 0 or 1{}",
                    row + 1,
                    if schema.positive_label == 1.0 {
                        String::new()
                    } else {
                        format!(" (or the positive label {})", schema.positive_label)
                    }
                ),
            ));
        }
    }
    Ok(())
}
