//! Loading the named columns of a prediction log (CSV, Parquet or NDJSON) through Arrow.
//!
//! Only the requested columns are decoded. Parquet is read one column at a time, so peak memory
//! is one decoded column batch plus the column vectors kept; CSV and NDJSON are streamed in
//! batches of [`BATCH_ROWS`] rows with the other columns projected away. Numeric values become
//! `f64` (missing = NaN), categorical values become dictionary codes, timestamps become UTC
//! microseconds since the epoch. The format is chosen by extension: `.csv`; `.parquet` or `.pq`;
//! `.ndjson`, `.jsonl` or `.json` (one object per line; a column counts as present when it
//! appears in the first 1,000 lines). A CSV file has a header line of plain or double-quoted
//! names without commas; an empty field is a missing value.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, DictionaryArray};
use arrow::compute::cast;
use arrow::datatypes::{
    DataType, Field, FieldRef, Float64Type, Int32Type, Schema, SchemaRef, TimeUnit,
    TimestampMicrosecondType,
};
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;

use rayon::prelude::*;

use crate::buffers::Buffers;
use crate::error::{MonitorError, Result};

/// Rows per decoded batch.
pub const BATCH_ROWS: usize = 65_536;

/// How a column is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Numeric,
    Categorical,
    Timestamp,
}

/// Whether an earlier pass over the same file has checked every row's field count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// A first pass: every row's field count is checked.
    Check,
    /// An earlier pass checked them: a row-wise reader may stop at a row's last wanted field.
    Checked,
}

/// One decoded column.
#[derive(Debug, Clone)]
pub enum Column {
    /// Numbers; a missing value is NaN.
    Numeric(Vec<f64>),
    /// Categories as codes into `categories`; a missing value is [`MISSING`].
    Categorical {
        codes: Vec<u32>,
        categories: Vec<String>,
    },
    /// UTC microseconds since the epoch.
    Timestamp(Vec<i64>),
}

/// The code of a missing category.
pub const MISSING: u32 = u32::MAX;

impl Column {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Numeric(v) => v.len(),
            Column::Categorical { codes, .. } => codes.len(),
            Column::Timestamp(v) => v.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows where `keep` is `want`, in order.
    pub fn select(&self, keep: &[bool], want: bool) -> Column {
        let count = keep.iter().filter(|k| **k == want).count();
        self.select_in(keep, want, count, &Buffers::default())
    }

    /// [`select`](Self::select) of the `count` rows where `keep` is `want`, numbers in memory
    /// from `buffers`.
    fn select_in(&self, keep: &[bool], want: bool, count: usize, buffers: &Buffers) -> Column {
        fn pick<T: Copy>(v: &[T], keep: &[bool], want: bool, mut out: Vec<T>) -> Vec<T> {
            out.extend(
                v.iter()
                    .zip(keep)
                    .filter(|(_, k)| **k == want)
                    .map(|(x, _)| *x),
            );
            out
        }
        match self {
            Column::Numeric(v) => {
                let mut out = pick(v, keep, want, buffers.take_floats(count));
                // A reused buffer may be larger than the window, which keeps it as long as the
                // report takes: its unused end goes back to the system.
                out.shrink_to_fit();
                Column::Numeric(out)
            }
            Column::Timestamp(v) => {
                Column::Timestamp(pick(v, keep, want, Vec::with_capacity(count)))
            }
            Column::Categorical { codes, categories } => Column::Categorical {
                codes: pick(codes, keep, want, Vec::with_capacity(count)),
                categories: categories.clone(),
            },
        }
    }

    /// Gives a numeric column's memory to `buffers`; other columns are freed.
    pub(crate) fn give_to(self, buffers: &Buffers) {
        if let Column::Numeric(v) = self {
            buffers.give_floats(v);
        }
    }
}

/// The decoded columns of one file (or one window of it).
#[derive(Debug, Clone, Default)]
pub struct Frame {
    pub rows: usize,
    pub columns: HashMap<String, Column>,
}

impl Frame {
    /// The numeric column `name`, if loaded as numeric.
    pub fn numeric(&self, name: &str) -> Option<&[f64]> {
        match self.columns.get(name) {
            Some(Column::Numeric(v)) => Some(v),
            _ => None,
        }
    }

    /// The categorical column `name` as (codes, categories), if loaded as categorical.
    pub fn categorical(&self, name: &str) -> Option<(&[u32], &[String])> {
        match self.columns.get(name) {
            Some(Column::Categorical { codes, categories }) => Some((codes, categories)),
            _ => None,
        }
    }

    /// Splits the rows by a timestamp cutoff: (rows before `cutoff_us`, the rest).
    pub fn split_at(self, timestamp: &str, cutoff_us: i64) -> Option<(Frame, Frame)> {
        let keep: Vec<bool> = match self.columns.get(timestamp) {
            Some(Column::Timestamp(ts)) => ts.iter().map(|t| *t < cutoff_us).collect(),
            _ => return None,
        };
        Some(self.split_by(&keep))
    }

    /// Splits the rows by a mask: (rows where `keep` is true, the rest); each column is
    /// dropped as soon as it is split.
    pub fn split_by(self, keep: &[bool]) -> (Frame, Frame) {
        self.split_by_in(keep, &Buffers::default())
    }

    /// [`split_by`](Self::split_by), columns in parallel, with the windows' numbers in memory
    /// from `buffers`, to which each numeric column's own memory goes once it is split.
    pub(crate) fn split_by_in(self, keep: &[bool], buffers: &Buffers) -> (Frame, Frame) {
        let before = keep.iter().filter(|k| **k).count();
        let after = self.rows - before;
        let mut reference = Frame {
            rows: before,
            columns: HashMap::new(),
        };
        let mut current = Frame {
            rows: after,
            columns: HashMap::new(),
        };
        let split: Vec<(String, Column, Column)> = self
            .columns
            .into_par_iter()
            .map(|(name, col)| {
                let r = col.select_in(keep, true, before, buffers);
                let c = col.select_in(keep, false, after, buffers);
                col.give_to(buffers);
                (name, r, c)
            })
            .collect();
        for (name, r, c) in split {
            reference.columns.insert(name.clone(), r);
            current.columns.insert(name, c);
        }
        (reference, current)
    }
}

impl Frame {
    /// Splits the rows into fixed windows of `len_us` microseconds aligned to the Unix epoch
    /// (`1d` windows start at midnight UTC): (window start in UTC microseconds, its rows), in
    /// time order, empty windows left out. None when `timestamp` is not a loaded timestamp.
    pub fn windows(&self, timestamp: &str, len_us: i64) -> Option<Vec<(i64, Frame)>> {
        let Some(Column::Timestamp(ts)) = self.columns.get(timestamp) else {
            return None;
        };
        let starts: Vec<i64> = ts.iter().map(|t| t.div_euclid(len_us) * len_us).collect();
        let distinct: std::collections::BTreeSet<i64> = starts.iter().copied().collect();
        let out = distinct
            .into_iter()
            .map(|start| {
                let keep: Vec<bool> = starts.iter().map(|s| *s == start).collect();
                let rows = keep.iter().filter(|k| **k).count();
                let columns = self
                    .columns
                    .iter()
                    .map(|(name, col)| {
                        let window = col.select_in(&keep, true, rows, &Buffers::default());
                        (name.clone(), window)
                    })
                    .collect();
                (start, Frame { rows, columns })
            })
            .collect();
        Some(out)
    }
}

/// Reads the columns `wanted` (name and kind) from the log at `path`.
pub fn read(path: &Path, wanted: &[(&str, Kind)]) -> Result<Frame> {
    read_in(path, wanted, &Buffers::default(), Rows::Check)
}

/// [`read`], with Parquet's numeric columns decoded into memory from `buffers`.
pub fn read_in(
    path: &Path,
    wanted: &[(&str, Kind)],
    buffers: &Buffers,
    rows: Rows,
) -> Result<Frame> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(path, wanted, rows),
        "parquet" | "pq" => read_parquet(path, wanted, buffers),
        "ndjson" | "jsonl" | "json" => read_ndjson(path, wanted),
        _ => Err(MonitorError::read(
            path,
            "unknown format: expected .csv, .parquet or .ndjson",
        )),
    }
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|e| MonitorError::read(path, e))
}

/// The Arrow type a column is decoded from text formats as.
fn text_type(kind: Kind) -> DataType {
    match kind {
        Kind::Numeric => DataType::Float64,
        Kind::Categorical | Kind::Timestamp => DataType::Utf8,
    }
}

fn read_csv(path: &Path, wanted: &[(&str, Kind)], rows: Rows) -> Result<Frame> {
    let mut header = String::new();
    BufReader::new(open(path)?)
        .read_line(&mut header)
        .map_err(|e| MonitorError::read(path, e))?;
    let names = csv_header(&header);
    if let Some(frame) = crate::fastcsv::read(path, &names, header.len() as u64, wanted, rows)? {
        return Ok(frame);
    }
    let mut fields: Vec<Field> = names
        .iter()
        .map(|n| Field::new(n.as_str(), DataType::Utf8, true))
        .collect();
    let mut projection = Vec::with_capacity(wanted.len());
    for (name, kind) in wanted {
        let i = names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| missing(path, name))?;
        fields[i] = Field::new(*name, text_type(*kind), true);
        projection.push(i);
    }
    let reader = arrow::csv::ReaderBuilder::new(Arc::new(Schema::new(fields)))
        .with_header(true)
        .with_batch_size(BATCH_ROWS)
        .with_projection(projection)
        .build(open(path)?)
        .map_err(|e| MonitorError::read(path, e))?;
    collect(path, wanted, reader.map(|b| b.map_err(|e| e.to_string())))
}

/// The column names of a CSV header line (quotes removed; names hold no commas).
fn csv_header(line: &str) -> Vec<String> {
    line.trim_end_matches(['\r', '\n'])
        .split(',')
        .map(|n| n.trim().trim_matches('"').to_string())
        .collect()
}

fn read_ndjson(path: &Path, wanted: &[(&str, Kind)]) -> Result<Frame> {
    let (inferred, _) =
        arrow::json::reader::infer_json_schema(BufReader::new(open(path)?), Some(1000))
            .map_err(|e| MonitorError::read(path, e))?;
    for (name, _) in wanted {
        if inferred.field_with_name(name).is_err() {
            return Err(missing(path, name));
        }
    }
    let fields: Vec<Field> = wanted
        .iter()
        .map(|(n, k)| Field::new(*n, text_type(*k), true))
        .collect();
    let reader = arrow::json::ReaderBuilder::new(Arc::new(Schema::new(fields)))
        .with_batch_size(BATCH_ROWS)
        .with_coerce_primitive(true)
        .build(BufReader::new(open(path)?))
        .map_err(|e| MonitorError::read(path, e))?;
    collect(path, wanted, reader.map(|b| b.map_err(|e| e.to_string())))
}

fn read_parquet(path: &Path, wanted: &[(&str, Kind)], buffers: &Buffers) -> Result<Frame> {
    let footer = ArrowReaderMetadata::load(&open(path)?, ArrowReaderOptions::new())
        .map_err(|e| MonitorError::read(path, e))?;
    let rows = usize::try_from(footer.metadata().file_metadata().num_rows()).unwrap_or(0);
    let arrow_schema = footer.schema().clone();
    let mut indices = Vec::with_capacity(wanted.len());
    for (name, _) in wanted {
        indices.push(
            arrow_schema
                .index_of(name)
                .map_err(|_| missing(path, name))?,
        );
    }
    let columns: Vec<Column> = wanted
        .par_iter()
        .zip(indices)
        .map(|((name, kind), index)| {
            let column = ColumnAt {
                name,
                kind: *kind,
                index,
            };
            read_parquet_column(path, &footer, column, rows, buffers)
        })
        .collect::<Result<_>>()?;
    let mut frame = Frame {
        rows,
        columns: HashMap::new(),
    };
    for ((name, _), col) in wanted.iter().zip(columns) {
        if col.len() != rows {
            return Err(MonitorError::column(
                path,
                name,
                "row count differs from the file's",
            ));
        }
        frame.columns.insert((*name).to_string(), col);
    }
    Ok(frame)
}

/// A column wanted from a Parquet file: its name, kind and index in the file's schema.
struct ColumnAt<'n> {
    name: &'n str,
    kind: Kind,
    index: usize,
}

/// One column of a Parquet file (whose footer is read already, giving its `rows`), decoded
/// batch by batch.
fn read_parquet_column(
    path: &Path,
    footer: &ArrowReaderMetadata,
    ColumnAt { name, kind, index }: ColumnAt<'_>,
    rows: usize,
    buffers: &Buffers,
) -> Result<Column> {
    let footer = match dictionary_hint(footer.schema(), kind, index) {
        Some(schema) => ArrowReaderMetadata::try_new(
            footer.metadata().clone(),
            ArrowReaderOptions::new().with_schema(schema),
        )
        .map_err(|e| MonitorError::read(path, e))?,
        None => footer.clone(),
    };
    let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(open(path)?, footer);
    let mask = ProjectionMask::roots(builder.parquet_schema(), [index]);
    let reader = builder
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| MonitorError::read(path, e))?;
    let mut acc = match kind {
        Kind::Numeric => Accumulator::Numeric(buffers.take_floats(rows)),
        _ => Accumulator::new(kind),
    };
    for batch in reader {
        let batch = batch.map_err(|e| MonitorError::read(path, e))?;
        acc.push(path, name, batch.column(0))?;
    }
    Ok(acc.finish())
}

/// For a categorical column stored as strings: the file's schema with that column read as
/// dictionary codes, which keeps Parquet's dictionary encoding instead of one string per row.
fn dictionary_hint(schema: &SchemaRef, kind: Kind, index: usize) -> Option<SchemaRef> {
    let field = schema.fields().get(index)?;
    if kind != Kind::Categorical || field.data_type() != &DataType::Utf8 {
        return None;
    }
    let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let mut fields: Vec<FieldRef> = schema.fields().iter().cloned().collect();
    fields[index] = Arc::new(field.as_ref().clone().with_data_type(dictionary));
    Some(Arc::new(Schema::new_with_metadata(
        fields,
        schema.metadata().clone(),
    )))
}

fn missing(path: &Path, name: &str) -> MonitorError {
    MonitorError::MissingColumn {
        path: path.to_path_buf(),
        column: name.to_string(),
    }
}

/// Appends every batch's projected columns (in `wanted` order) to one accumulator each.
fn collect(
    path: &Path,
    wanted: &[(&str, Kind)],
    batches: impl Iterator<Item = std::result::Result<RecordBatch, String>>,
) -> Result<Frame> {
    let mut accs: Vec<Accumulator> = wanted.iter().map(|(_, k)| Accumulator::new(*k)).collect();
    let mut rows = 0;
    for batch in batches {
        let batch = batch.map_err(|e| MonitorError::read(path, e))?;
        rows += batch.num_rows();
        for (i, (name, _)) in wanted.iter().enumerate() {
            let array = batch
                .column_by_name(name)
                .ok_or_else(|| missing(path, name))?;
            accs[i].push(path, name, array)?;
        }
    }
    let columns = wanted
        .iter()
        .zip(accs)
        .map(|((name, _), acc)| ((*name).to_string(), acc.finish()))
        .collect();
    Ok(Frame { rows, columns })
}

/// Builds one [`Column`] from Arrow arrays, batch by batch.
enum Accumulator {
    Numeric(Vec<f64>),
    Categorical {
        codes: Vec<u32>,
        index: crate::fastcsv::FnvMap<String, u32>,
        categories: Vec<String>,
    },
    Timestamp(Vec<i64>),
}

impl Accumulator {
    fn new(kind: Kind) -> Accumulator {
        match kind {
            Kind::Numeric => Accumulator::Numeric(Vec::new()),
            Kind::Categorical => Accumulator::Categorical {
                codes: Vec::new(),
                index: crate::fastcsv::FnvMap::default(),
                categories: Vec::new(),
            },
            Kind::Timestamp => Accumulator::Timestamp(Vec::new()),
        }
    }

    fn push(&mut self, path: &Path, name: &str, array: &ArrayRef) -> Result<()> {
        let bad = |e: arrow::error::ArrowError| MonitorError::column(path, name, e.to_string());
        match self {
            Accumulator::Numeric(out) => {
                let a = cast(array, &DataType::Float64).map_err(bad)?;
                let a = a.as_primitive::<Float64Type>();
                if a.null_count() == 0 {
                    out.extend_from_slice(a.values());
                } else {
                    out.extend(a.iter().map(|v| v.unwrap_or(f64::NAN)));
                }
            }
            Accumulator::Categorical {
                codes,
                index,
                categories,
            } => {
                if let Some(d) = array.as_dictionary_opt::<Int32Type>() {
                    return push_dictionary(d, codes, index, categories)
                        .map_err(|m| MonitorError::column(path, name, m));
                }
                let a = cast(array, &DataType::Utf8).map_err(bad)?;
                let a = a.as_string::<i32>();
                for i in 0..a.len() {
                    if a.is_null(i) {
                        codes.push(MISSING);
                        continue;
                    }
                    let v = a.value(i);
                    let code = match index.get(v) {
                        Some(c) => *c,
                        None => {
                            let c = u32::try_from(categories.len()).map_err(|_| {
                                MonitorError::column(path, name, "too many categories")
                            })?;
                            index.insert(v.to_string(), c);
                            categories.push(v.to_string());
                            c
                        }
                    };
                    codes.push(code);
                }
            }
            Accumulator::Timestamp(out) => {
                let tz = match array.data_type() {
                    DataType::Timestamp(_, tz) => tz.clone(),
                    _ => None,
                };
                let a =
                    cast(array, &DataType::Timestamp(TimeUnit::Microsecond, tz)).map_err(bad)?;
                let a = a.as_primitive::<TimestampMicrosecondType>();
                if a.null_count() > 0 {
                    return Err(MonitorError::column(path, name, "a timestamp is missing"));
                }
                out.extend_from_slice(a.values());
            }
        }
        Ok(())
    }

    fn finish(self) -> Column {
        match self {
            Accumulator::Numeric(v) => Column::Numeric(v),
            Accumulator::Categorical {
                codes, categories, ..
            } => Column::Categorical { codes, categories },
            Accumulator::Timestamp(v) => Column::Timestamp(v),
        }
    }
}

/// Appends the codes of a dictionary-encoded batch of strings: each dictionary entry is looked
/// up once, when a row first uses it, so categories keep their order of first appearance.
fn push_dictionary(
    d: &DictionaryArray<Int32Type>,
    codes: &mut Vec<u32>,
    index: &mut crate::fastcsv::FnvMap<String, u32>,
    categories: &mut Vec<String>,
) -> std::result::Result<(), String> {
    let values = d
        .values()
        .as_string_opt::<i32>()
        .ok_or("dictionary values are not strings")?;
    let mut remap: Vec<Option<u32>> = vec![None; values.len()];
    codes.reserve(d.len());
    for key in d.keys() {
        let Some(key) = key.and_then(|k| usize::try_from(k).ok()) else {
            codes.push(MISSING);
            continue;
        };
        let code = match remap.get(key).copied().flatten() {
            Some(c) => c,
            None if values.is_null(key) => MISSING,
            None => {
                let v = values.value(key);
                let c = match index.get(v) {
                    Some(c) => *c,
                    None => {
                        let c = u32::try_from(categories.len())
                            .map_err(|_| "too many categories".to_string())?;
                        index.insert(v.to_string(), c);
                        categories.push(v.to_string());
                        c
                    }
                };
                remap[key] = Some(c);
                c
            }
        };
        codes.push(code);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_fall_into_epoch_aligned_windows() {
        let day = 86_400_000_000;
        let mut frame = Frame {
            rows: 4,
            columns: HashMap::new(),
        };
        let ts = vec![day + 5, 3 * day + 1, day + 9, -1];
        frame.columns.insert("t".into(), Column::Timestamp(ts));
        frame
            .columns
            .insert("x".into(), Column::Numeric(vec![1.0, 2.0, 3.0, 4.0]));
        let w = frame.windows("t", day).unwrap_or_default();
        let starts: Vec<i64> = w.iter().map(|(s, _)| *s).collect();
        assert_eq!(starts, vec![-day, day, 3 * day]);
        assert_eq!(w[1].1.numeric("x"), Some(&[1.0, 3.0][..]));
        assert!(frame.windows("x", day).is_none());
    }

    #[test]
    fn a_quoted_csv_header_is_split_into_names() {
        assert_eq!(csv_header("\"a\",b,\"c d\"\r\n"), vec!["a", "b", "c d"]);
    }
}
