//! The computation of the two windows (no time windows), column group by column group.
//!
//! First the "core" group is read: the timestamp (when one file is split at a time), label,
//! prediction, score, sensitive attributes and categorical features, as far as the chosen
//! [`Tasks`] need them; performance, fairness, categorical drift and the score's drift come from
//! it, and then it is dropped. The numeric features follow, each column read, split into the
//! two windows, sorted once and dropped after its drift and quality are computed, in parallel
//! over columns. Parquet is read one column at a time; CSV and NDJSON in groups of as many
//! columns as fit [`GROUP_BYTES`] (a log whose numeric columns all fit is scanned once, with the
//! core group). Peak memory is thus a few columns, whatever the row count.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::buffers::Buffers;
use crate::conventions::{self, ColumnConventions, Convention};
use crate::engine::{
    fairness_of, performance_of, read_checked, read_checked_in, Input, Progress, Tasks,
};
use crate::error::{MonitorError, Result};
use crate::read::{Column, Frame, Kind, Rows};
use crate::report::{Drift, Report, Windows};
use crate::schema::{LogSchema, Task};
use crate::{drift, quality};

/// Decoded bytes of numeric columns held at once when a format cannot be read column by column.
pub const GROUP_BYTES: usize = 384 << 20;

/// Where the two windows come from.
struct Source<'a> {
    schema: &'a LogSchema,
    input: Input<'a>,
    /// One file split at a time: true for the reference rows.
    keep: Option<Vec<bool>>,
    /// Memory for the numeric columns, reused from column to column.
    buffers: &'a Buffers,
}

type Pair = (Option<Frame>, Frame);

/// A numeric column's values in the two windows.
enum Values<'a> {
    /// The reference's values (if any) and the current window's.
    Apart(Option<Vec<f64>>, Option<Vec<f64>>),
    /// One file's values with the split mask (true: reference), split as they are sorted.
    Masked(Vec<f64>, &'a [bool]),
}

impl Source<'_> {
    /// Reads the columns `wanted` of both windows (the mask must be known for a split file);
    /// `rows` says whether an earlier pass checked the rows.
    fn load(&self, wanted: &[(&str, Kind)], rows: Rows) -> Result<Pair> {
        let read = |file| read_checked_in(self.schema, file, wanted, &Buffers::default(), rows);
        match self.input {
            Input::Whole(file) => Ok((None, read(file)?)),
            Input::Pair { reference, current } => {
                let (r, c) = rayon::join(|| read(reference), || read(current));
                Ok((Some(r?), c?))
            }
            Input::Split { file, .. } => {
                let keep = self.keep.as_deref().ok_or_else(|| {
                    MonitorError::Input("the split needs the timestamp first".into())
                })?;
                let frame = read(file)?;
                if frame.rows != keep.len() {
                    return Err(MonitorError::read(
                        file,
                        "the row count changed while reading",
                    ));
                }
                let (r, c) = frame.split_by(keep);
                Ok((Some(r), c))
            }
        }
    }

    /// Reads the numeric columns `names` of both windows; a split file's stay whole, with
    /// the mask.
    fn load_numeric<'n>(&self, names: &[&'n str]) -> Result<Vec<(&'n str, Values<'_>)>> {
        let wanted: Vec<(&str, Kind)> = names.iter().map(|n| (*n, Kind::Numeric)).collect();
        if let (Input::Split { file, .. }, Some(keep)) = (self.input, self.keep.as_deref()) {
            let mut frame =
                read_checked_in(self.schema, file, &wanted, self.buffers, Rows::Checked)?;
            if frame.rows != keep.len() {
                return Err(MonitorError::read(
                    file,
                    "the row count changed while reading",
                ));
            }
            return Ok(names
                .iter()
                .map(|n| {
                    let v = numeric_vec(frame.columns.remove(*n));
                    (
                        *n,
                        v.map_or(Values::Apart(None, None), |v| Values::Masked(v, keep)),
                    )
                })
                .collect());
        }
        let (mut r, mut c) = self.load(&wanted, Rows::Checked)?;
        Ok(names
            .iter()
            .map(|n| {
                let rv = r.as_mut().and_then(|f| f.columns.remove(*n));
                let cv = c.columns.remove(*n);
                (*n, Values::Apart(numeric_vec(rv), numeric_vec(cv)))
            })
            .collect())
    }

    /// True when the files are read row-wise (CSV, NDJSON) and `columns` numeric columns of
    /// each fit `group_bytes`, judged from the line length of its first MiB.
    fn fits_one_group(&self, columns: usize, group_bytes: usize) -> bool {
        let files = match self.input {
            Input::Whole(file) | Input::Split { file, .. } => vec![file],
            Input::Pair { reference, current } => vec![reference, current],
        };
        !self.columnar()
            && files
                .iter()
                .all(|f| estimated_rows(f).is_some_and(|rows| rows * 8 * columns <= group_bytes))
    }

    /// True when every file can be read column by column cheaply (Parquet).
    fn columnar(&self) -> bool {
        let parquet = |p: &Path| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("pq"))
        };
        match self.input {
            Input::Whole(file) | Input::Split { file, .. } => parquet(file),
            Input::Pair { reference, current } => parquet(reference) && parquet(current),
        }
    }
}

/// Computes the chosen families for the two windows of `input`.
pub(crate) fn compute(
    schema: &LogSchema,
    input: Input<'_>,
    tasks: Tasks,
    progress: Option<Progress<'_>>,
) -> Result<Report> {
    compute_in_groups(schema, input, tasks, progress, GROUP_BYTES)
}

/// [`compute`] with numeric columns of row-wise files read in groups of `group_bytes`.
fn compute_in_groups(
    schema: &LogSchema,
    input: Input<'_>,
    tasks: Tasks,
    progress: Option<Progress<'_>>,
    group_bytes: usize,
) -> Result<Report> {
    let buffers = Buffers::default();
    let mut source = Source {
        schema,
        input,
        keep: None,
        buffers: &buffers,
    };
    let labelled = schema.label.is_some() && schema.prediction.is_some();
    let want_perf = tasks.performance && labelled;
    let want_fair =
        tasks.fairness && labelled && schema.task == Task::Binary && !schema.sensitive.is_empty();
    let features = tasks.drift || tasks.quality;

    let mut core: Vec<(&str, Kind)> = Vec::new();
    if want_perf || want_fair || tasks.quality {
        core.extend(schema.label.as_deref().map(|c| (c, Kind::Numeric)));
        core.extend(schema.prediction.as_deref().map(|c| (c, Kind::Numeric)));
    }
    if want_perf || features {
        core.extend(schema.score.as_deref().map(|c| (c, Kind::Numeric)));
    }
    if want_fair || tasks.quality {
        core.extend(
            schema
                .sensitive
                .iter()
                .map(|c| (c.as_str(), Kind::Categorical)),
        );
    }
    if features {
        core.extend(
            schema
                .categorical
                .iter()
                .map(|c| (c.as_str(), Kind::Categorical)),
        );
    }
    let numeric_features: Vec<&str> = if features {
        schema.numeric.iter().map(String::as_str).collect()
    } else {
        Vec::new()
    };
    // A small CSV or NDJSON log is scanned once: its numeric features join the core group.
    let preload =
        !numeric_features.is_empty() && source.fits_one_group(numeric_features.len(), group_bytes);
    if preload {
        core.extend(numeric_features.iter().map(|n| (*n, Kind::Numeric)));
    }
    if core.is_empty() {
        // Something must be read to count the rows.
        if let Some(first) = numeric_features.first() {
            core.push((first, Kind::Numeric));
        }
    }

    let mut whole: Vec<(&str, Option<Vec<f64>>)> = Vec::new();
    let (mut reference, mut current) = match input {
        Input::Split { file, cutoff_us } => {
            let ts = schema
                .timestamp
                .as_deref()
                .ok_or_else(|| MonitorError::Schema {
                    path: file.to_path_buf(),
                    message: "splitting at a time needs 'timestamp'".into(),
                })?;
            let mut wanted = vec![(ts, Kind::Timestamp)];
            wanted.extend(core.iter().copied());
            let mut frame = read_checked(schema, file, &wanted)?;
            let keep: Vec<bool> = match frame.columns.remove(ts) {
                Some(Column::Timestamp(t)) => {
                    let keep = t.iter().map(|t| *t < cutoff_us).collect();
                    // The timestamps' memory serves the windows' columns.
                    buffers.give(t.into_iter().map(|t| t as u64).collect());
                    keep
                }
                _ => return Err(MonitorError::column(file, ts, "not a timestamp")),
            };
            let before = keep.iter().filter(|k| **k).count();
            if before == 0 || before == frame.rows {
                return Err(MonitorError::Input(format!(
                    "{}: the cutoff leaves {} rows before it and {} after; both windows need rows",
                    file.display(),
                    before,
                    frame.rows - before
                )));
            }
            // Preloaded numeric features stay whole: each is split as it is sorted.
            if preload {
                whole = numeric_features
                    .iter()
                    .map(|n| (*n, numeric_vec(frame.columns.remove(*n))))
                    .collect();
            }
            let (r, c) = frame.split_by_in(&keep, &buffers);
            source.keep = Some(keep);
            (Some(r), c)
        }
        _ => source.load(&core, Rows::Check)?,
    };

    let preloaded: Option<Vec<(&str, Values<'_>)>> =
        preload.then(|| match source.keep.as_deref() {
            Some(keep) => whole
                .into_iter()
                .map(|(n, v)| {
                    (
                        n,
                        v.map_or(Values::Apart(None, None), |v| Values::Masked(v, keep)),
                    )
                })
                .collect(),
            None => numeric_features
                .iter()
                .map(|n| {
                    let r = reference.as_mut().and_then(|f| f.columns.remove(*n));
                    let c = current.columns.remove(*n);
                    (*n, Values::Apart(numeric_vec(r), numeric_vec(c)))
                })
                .collect(),
        });

    let mut report = Report {
        rows: Windows {
            reference: reference.as_ref().map(|r| r.rows),
            current: current.rows,
        },
        performance: None,
        fairness: None,
        drift: (tasks.drift && reference.is_some())
            .then(|| Drift::with_conventions(&schema.drift_conventions)),
        quality: BTreeMap::new(),
        windows: None,
        thresholds: None,
    };
    let rows = current.rows.max(reference.as_ref().map_or(0, |r| r.rows));
    if want_fair {
        crate::engine::check_groups(schema, input, reference.as_ref(), &current)?;
    }

    let ((performance, fairness), core_quality) = rayon::join(
        || {
            rayon::join(
                || {
                    want_perf.then(|| {
                        let (reference, current) = rayon::join(
                            || {
                                reference
                                    .as_ref()
                                    .map(|r| performance_of(schema, r, &buffers))
                            },
                            || performance_of(schema, &current, &buffers),
                        );
                        Windows { reference, current }
                    })
                },
                || {
                    want_fair.then(|| {
                        let (reference, current) = rayon::join(
                            || reference.as_ref().map(|r| fairness_of(schema, r)),
                            || fairness_of(schema, &current),
                        );
                        Windows { reference, current }
                    })
                },
            )
        },
        || core_columns(schema, tasks, reference.as_ref(), &current, &buffers),
    );
    report.performance = performance;
    report.fairness = fairness;
    absorb(&mut report, core_quality);
    drop((reference, current));
    // Steps: the core group, then each numeric feature.
    let total = 1 + numeric_features.len();
    let done = std::sync::Mutex::new(1);
    Progress::tell(progress, 1, total);
    let column_done = || {
        if let Ok(mut d) = done.lock() {
            *d += 1;
            Progress::tell(progress, *d, total);
        }
    };

    let one = |(name, values): (&str, Values<'_>)| -> Result<Outcome> {
        let outcome = numeric_column(name, values, tasks, &schema.drift_conventions, &buffers);
        column_done();
        Ok(outcome)
    };
    let results: Vec<Result<Outcome>> = if numeric_features.is_empty() {
        Vec::new()
    } else if let Some(columns) = preloaded {
        columns.into_par_iter().map(&one).collect()
    } else if source.columnar() {
        numeric_features
            .par_iter()
            .map(|name| {
                let mut columns = source.load_numeric(&[*name])?;
                one(columns.pop().unwrap_or((*name, Values::Apart(None, None))))
            })
            .collect()
    } else {
        let per_group = (group_bytes / (8 * rows.max(1))).max(1);
        let mut out = Vec::new();
        for group in numeric_features.chunks(per_group) {
            // Row-wise readers allocate their own columns: the kept buffers would add to them.
            buffers.release();
            let columns = source.load_numeric(group)?;
            out.par_extend(columns.into_par_iter().map(&one));
        }
        out
    };
    for r in results {
        absorb(&mut report, vec![r?]);
    }
    Ok(report)
}

/// The rows of a one-row-per-line file, estimated from its first MiB (with a quarter more, for
/// shorter lines further on); None when it cannot be read (the reader will say why).
fn estimated_rows(path: &Path) -> Option<usize> {
    use std::io::Read;
    let len = usize::try_from(std::fs::metadata(path).ok()?.len()).ok()?;
    let mut head = Vec::with_capacity(1 << 20);
    std::fs::File::open(path)
        .ok()?
        .take(1 << 20)
        .read_to_end(&mut head)
        .ok()?;
    let lines = memchr::memchr_iter(b'\n', &head).count().max(1);
    Some(len / (head.len() / lines).max(1) * 5 / 4)
}

/// What one column contributes to the report.
#[derive(Default)]
struct Outcome {
    numeric_drift: Option<(String, drift::Numeric)>,
    categorical_drift: Option<(String, drift::Categorical)>,
    conventions: Option<(String, ColumnConventions)>,
    quality: Option<(String, quality::ColumnQuality)>,
}

fn absorb(report: &mut Report, outcomes: Vec<Outcome>) {
    for o in outcomes {
        if let Some(d) = report.drift.as_mut() {
            if let Some((n, v)) = o.numeric_drift {
                d.numeric.insert(n, v);
            }
            if let Some((n, v)) = o.categorical_drift {
                d.categorical.insert(n, v);
            }
            if let Some((n, c)) = o.conventions {
                d.insert_conventions(&n, c);
            }
        }
        if let Some((n, q)) = o.quality {
            report.quality.insert(n, q);
        }
    }
}

fn numeric_vec(c: Option<Column>) -> Option<Vec<f64>> {
    match c {
        Some(Column::Numeric(v)) => Some(v),
        _ => None,
    }
}

/// Drift (when asked and there is a reference) and quality (when asked) of one numeric column.
/// Sorting takes its memory from `buffers` and gives the sorted windows back to them.
fn numeric_column(
    name: &str,
    values: Values<'_>,
    tasks: Tasks,
    wanted: &[Convention],
    buffers: &Buffers,
) -> Outcome {
    let mut out = Outcome::default();
    let (r, c) = match values {
        Values::Masked(v, keep) if tasks.drift => {
            let (r, c) = crate::sort::sorted_split_in(v, keep, buffers);
            if tasks.quality {
                // Counted on the sorted windows: the same counts as on the raw ones.
                let rows = keep.iter().filter(|k| !**k).count();
                out.quality = Some((name.to_string(), quality::numeric_sorted(rows, &c, &r)));
            }
            (r, c)
        }
        Values::Masked(v, keep) => {
            let column = Column::Numeric(v);
            let (r, c) = (column.select(keep, true), column.select(keep, false));
            return numeric_column(
                name,
                Values::Apart(numeric_vec(Some(r)), numeric_vec(Some(c))),
                tasks,
                wanted,
                buffers,
            );
        }
        Values::Apart(_, None) => return out,
        Values::Apart(reference, Some(current)) => {
            if tasks.quality {
                out.quality = Some((
                    name.to_string(),
                    quality::numeric(&current, reference.as_deref()),
                ));
            }
            let (true, Some(reference)) = (tasks.drift, reference) else {
                return out;
            };
            rayon::join(
                || crate::sort::sorted_present_in(reference, buffers),
                || crate::sort::sorted_present_in(current, buffers),
            )
        }
    };
    let found = conventions::numeric(wanted, &r, &c);
    out.conventions = (!found.is_empty()).then(|| (name.to_string(), found));
    if let Some(reference) = drift::NumericReference::from_sorted(r) {
        out.numeric_drift = drift::numeric_sorted(&reference, &c).map(|d| (name.to_string(), d));
        buffers.give_floats(reference.into_sorted());
    }
    buffers.give_floats(c);
    out
}

/// Quality of label, prediction, sensitive and categorical columns, categorical drift, and the
/// score's drift and quality, from the core group.
fn core_columns(
    schema: &LogSchema,
    tasks: Tasks,
    reference: Option<&Frame>,
    current: &Frame,
    buffers: &Buffers,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    if tasks.quality {
        for c in [&schema.label, &schema.prediction].into_iter().flatten() {
            if let Some(cur) = current.numeric(c) {
                let r = reference.and_then(|r| r.numeric(c));
                out.push(Outcome {
                    quality: Some((c.clone(), quality::numeric(cur, r))),
                    ..Outcome::default()
                });
            }
        }
        for c in schema.sensitive.iter().chain(&schema.categorical) {
            if let Some(cur) = current.categorical(c) {
                let r = reference.and_then(|r| r.categorical(c));
                out.push(Outcome {
                    quality: Some((c.clone(), quality::categorical(cur, r))),
                    ..Outcome::default()
                });
            }
        }
    }
    if let (true, Some(reference)) = (tasks.drift, reference) {
        for c in &schema.categorical {
            if let (Some(r), Some(k)) = (reference.categorical(c), current.categorical(c)) {
                let d = drift::categorical(r, k);
                let found = d
                    .as_ref()
                    .map(|d| conventions::categorical(&schema.drift_conventions, d))
                    .filter(|f| !f.is_empty());
                out.push(Outcome {
                    conventions: found.map(|f| (c.clone(), f)),
                    categorical_drift: d.map(|d| (c.clone(), d)),
                    ..Outcome::default()
                });
            }
        }
    }
    if let Some(score) = schema.score.as_deref() {
        if let Some(cur) = current.numeric(score) {
            let r = reference
                .and_then(|r| r.numeric(score))
                .map(<[f64]>::to_vec);
            out.push(numeric_column(
                score,
                Values::Apart(r, Some(cur.to_vec())),
                tasks,
                &schema.drift_conventions,
                buffers,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A CSV log read in one scan and read in numeric groups of one column give one report.
    #[test]
    fn one_scan_and_column_groups_agree() {
        let dir = std::env::temp_dir().join(format!("aims-stream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("log.csv");
        let mut text = String::from("t,y,p,s,g,a,b\n");
        for i in 0..400u32 {
            let day = if i < 200 { 1 } else { 2 };
            let a = f64::from(i % 37) * 0.25 + if day == 2 { 1.5 } else { 0.0 };
            let b = if i % 11 == 0 {
                String::new()
            } else {
                format!("{}", i % 13)
            };
            text.push_str(&format!(
                "2025-01-0{day}T{:02}:00:00Z,{},{},{},{},{a},{b}\n",
                i % 24,
                i % 2,
                (i / 3) % 2,
                f64::from(i % 10) / 10.0,
                if i % 3 == 0 { "x" } else { "z" },
            ));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let schema = LogSchema::parse(
            "task = \"binary\"\ntimestamp = \"t\"\nlabel = \"y\"\nprediction = \"p\"\n\
             score = \"s\"\nsensitive = [\"g\"]\nnumeric = [\"a\", \"b\"]\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let input = Input::Split {
            file: &path,
            cutoff_us: 1_735_776_000_000_000, // 2025-01-02T00:00:00Z
        };
        let once = compute_in_groups(&schema, input, Tasks::ALL, None, GROUP_BYTES)
            .unwrap_or_else(|e| panic!("{e}"));
        let grouped = compute_in_groups(&schema, input, Tasks::ALL, None, 1)
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(once, grouped);
        let drift = once.drift.unwrap_or_else(|| panic!("no drift"));
        assert!(drift.numeric["a"].ks_statistic > 0.0);
        assert_eq!(once.rows.reference, Some(200));
        assert_eq!(once.quality["b"].missing_rate, Some(18.0 / 200.0));
    }
}
