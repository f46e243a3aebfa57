//! A fast reader for plain CSV logs: only the wanted columns are decoded, in parallel over
//! byte ranges of the file (one range per worker thread, each starting at a line start).
//!
//! It handles the common case, unquoted fields separated by commas, and gives up (returns
//! `None`, so that the caller falls back to Arrow's general CSV reader) as soon as it meets a
//! double quote after the header. Values decode as Arrow would decode them: an empty field is
//! missing; numbers are correctly rounded (short decimals through exact integer arithmetic,
//! anything else through the standard library's parser); categories must be valid UTF-8;
//! timestamps of the form `YYYY-MM-DD[T ]HH:MM:SS[.ffffff][Z]` are read directly and any
//! other form goes through Arrow's cast, as the general reader does.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use arrow::array::{Array, AsArray, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};

use crate::error::{MonitorError, Result};
use crate::read::{Column, Frame, Kind, Rows, MISSING};

/// Bytes read per system call by each worker.
const CHUNK: usize = 4 << 20;

/// Files smaller than this are read by one worker.
const PARALLEL_ABOVE: u64 = 8 << 20;

/// Why a worker stopped.
enum Stop {
    /// A double quote: the general reader must handle this file.
    Quoted,
    /// Bad input at a line of the worker's range (0-based within the range).
    Bad {
        line: usize,
        column: usize,
        message: String,
    },
    Io(std::io::Error),
}

/// Reads `wanted` from the CSV file at `path` whose header line is `header_len` bytes long and
/// names `names`; None when the file needs the general reader. With [`Rows::Checked`] each
/// line is read only up to its last wanted field.
pub(crate) fn read(
    path: &Path,
    names: &[String],
    header_len: u64,
    wanted: &[(&str, Kind)],
    rows: Rows,
) -> Result<Option<Frame>> {
    let mut slots: Vec<Option<usize>> = vec![None; names.len()];
    for (out, (name, _)) in wanted.iter().enumerate() {
        let i =
            names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| MonitorError::MissingColumn {
                    path: path.to_path_buf(),
                    column: (*name).to_string(),
                })?;
        slots[i] = Some(out);
    }
    if rows == Rows::Checked {
        let last = slots.iter().rposition(Option::is_some).map_or(0, |i| i + 1);
        slots.truncate(last);
    }
    let len = std::fs::metadata(path)
        .map_err(|e| MonitorError::read(path, e))?
        .len();
    let workers = if len > PARALLEL_ABOVE {
        rayon::current_num_threads().max(1)
    } else {
        1
    };
    let mut bounds = vec![header_len];
    for k in 1..workers {
        let at = header_len + (len - header_len) * k as u64 / workers as u64;
        let b = line_start_at_or_after(path, at)?;
        if b > *bounds.last().unwrap_or(&0) && b < len {
            bounds.push(b);
        }
    }
    bounds.push(len);
    let kinds: Vec<Kind> = wanted.iter().map(|(_, k)| *k).collect();
    let ranges: Vec<(u64, u64)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
    let parts: Vec<std::result::Result<Part, Stop>> = {
        use rayon::prelude::*;
        ranges
            .par_iter()
            .map(|(a, b)| parse_range(path, *a, *b, &slots, names.len(), &kinds))
            .collect()
    };
    let mut done = Vec::with_capacity(parts.len());
    for (part, (start, _)) in parts.into_iter().zip(&ranges) {
        match part {
            Ok(p) => done.push(p),
            Err(Stop::Quoted) => return Ok(None),
            Err(Stop::Io(e)) => return Err(MonitorError::read(path, e)),
            Err(Stop::Bad {
                line,
                column,
                message,
            }) => {
                let before = lines_between(path, header_len, *start)?;
                return Err(MonitorError::column(
                    path,
                    &names[column],
                    format!("row {}: {message}", before + line + 1),
                ));
            }
        }
    }
    Ok(Some(merge(wanted, done)))
}

/// The offset of the first line that starts at or after `at`.
fn line_start_at_or_after(path: &Path, at: u64) -> Result<u64> {
    let mut f = File::open(path).map_err(|e| MonitorError::read(path, e))?;
    let from = at.saturating_sub(1);
    f.seek(SeekFrom::Start(from))
        .map_err(|e| MonitorError::read(path, e))?;
    let mut buf = vec![0u8; 64 << 10];
    let mut pos = from;
    loop {
        let n = f.read(&mut buf).map_err(|e| MonitorError::read(path, e))?;
        if n == 0 {
            return Ok(pos);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
}

/// Newlines in [a, b) of the file (only used to name the row of an error).
fn lines_between(path: &Path, a: u64, b: u64) -> Result<usize> {
    let mut f = File::open(path).map_err(|e| MonitorError::read(path, e))?;
    f.seek(SeekFrom::Start(a))
        .map_err(|e| MonitorError::read(path, e))?;
    let mut take = f.take(b - a);
    let mut buf = vec![0u8; CHUNK];
    let mut count = 0;
    loop {
        let n = take
            .read(&mut buf)
            .map_err(|e| MonitorError::read(path, e))?;
        if n == 0 {
            return Ok(count);
        }
        count += memchr::memchr_iter(b'\n', &buf[..n]).count();
    }
}

/// FNV-1a: a fast hash for the short category names (no untrusted-input concern here: a
/// log with colliding names is merely slower).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A map keyed by category names with [`Fnv`].
pub(crate) type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The decoded columns of one byte range.
struct Part {
    rows: usize,
    columns: Vec<Builder>,
}

enum Builder {
    Numeric(Vec<f64>),
    Categorical {
        codes: Vec<u32>,
        index: FnvMap<Vec<u8>, u32>,
        categories: Vec<String>,
    },
    Timestamp(Vec<i64>),
}

impl Builder {
    fn new(kind: Kind) -> Builder {
        match kind {
            Kind::Numeric => Builder::Numeric(Vec::new()),
            Kind::Categorical => Builder::Categorical {
                codes: Vec::new(),
                index: FnvMap::default(),
                categories: Vec::new(),
            },
            Kind::Timestamp => Builder::Timestamp(Vec::new()),
        }
    }

    fn push(&mut self, field: &[u8]) -> std::result::Result<(), String> {
        match self {
            Builder::Numeric(out) => {
                let v = if field.is_empty() {
                    f64::NAN
                } else {
                    parse_f64(field).ok_or_else(|| {
                        format!("'{}' is not a number", String::from_utf8_lossy(field))
                    })?
                };
                out.push(v);
            }
            Builder::Categorical {
                codes,
                index,
                categories,
            } => {
                if field.is_empty() {
                    codes.push(MISSING);
                    return Ok(());
                }
                let code = match index.get(field) {
                    Some(c) => *c,
                    None => {
                        let name = std::str::from_utf8(field)
                            .map_err(|_| "invalid UTF-8".to_string())?
                            .to_string();
                        let c = u32::try_from(categories.len())
                            .map_err(|_| "too many categories".to_string())?;
                        index.insert(field.to_vec(), c);
                        categories.push(name);
                        c
                    }
                };
                codes.push(code);
            }
            Builder::Timestamp(out) => {
                if field.is_empty() {
                    return Err("a timestamp is missing".into());
                }
                out.push(parse_timestamp(field)?);
            }
        }
        Ok(())
    }
}

fn parse_range(
    path: &Path,
    start: u64,
    end: u64,
    slots: &[Option<usize>],
    fields: usize,
    kinds: &[Kind],
) -> std::result::Result<Part, Stop> {
    let mut f = File::open(path).map_err(Stop::Io)?;
    f.seek(SeekFrom::Start(start)).map_err(Stop::Io)?;
    let mut input = f.take(end - start);
    let mut part = Part {
        rows: 0,
        columns: kinds.iter().map(|k| Builder::new(*k)).collect(),
    };
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0;
    let mut line = 0usize;
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let n = input.read(&mut buf[filled..]).map_err(Stop::Io)?;
        let eof = n == 0;
        filled += n;
        let usable = if eof {
            filled
        } else {
            match memchr::memrchr(b'\n', &buf[..filled]) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let block = &buf[..usable];
        if memchr::memchr(b'"', block).is_some() {
            return Err(Stop::Quoted);
        }
        // Line ends found by memchr (a byte-by-byte split costs a third of the parse); the
        // last line may lack its newline only at the end of the file.
        let unterminated = block.last().is_some_and(|b| *b != b'\n');
        let ends = memchr::memchr_iter(b'\n', block).chain(unterminated.then_some(block.len()));
        let mut from = 0;
        for end in ends {
            let l = &block[from..end];
            from = end + 1;
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if !l.is_empty() {
                parse_line(l, slots, fields, &mut part.columns).map_err(|(column, message)| {
                    Stop::Bad {
                        line,
                        column,
                        message,
                    }
                })?;
                part.rows += 1;
            }
            line += 1;
        }
        buf.copy_within(usable..filled, 0);
        filled -= usable;
        if eof {
            return Ok(part);
        }
    }
}

/// Decodes the wanted fields of one line. `slots` covers the first fields of the line (all of
/// them unless an earlier pass checked every line's width): fields past its end are skipped.
fn parse_line(
    line: &[u8],
    slots: &[Option<usize>],
    fields: usize,
    columns: &mut [Builder],
) -> std::result::Result<(), (usize, String)> {
    let mut rest = line;
    for (i, slot) in slots.iter().enumerate() {
        let (field, next) = match memchr::memchr(b',', rest) {
            Some(j) => (&rest[..j], Some(&rest[j + 1..])),
            None => (rest, None),
        };
        if let Some(out) = slot {
            columns[*out].push(field).map_err(|m| (i, m))?;
        }
        match next {
            Some(n) => rest = n,
            None if i + 1 == fields => return Ok(()),
            None => {
                return Err((
                    i,
                    format!("the row has {} fields, the header {fields}", i + 1),
                ))
            }
        }
    }
    if slots.len() < fields {
        return Ok(());
    }
    Err((
        fields - 1,
        format!(
            "the row has more fields than the header's {fields}: {}",
            String::from_utf8_lossy(&line[..line.len().min(80)])
        ),
    ))
}

/// Powers of ten exactly representable as f64.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A decimal number, correctly rounded. Short plain decimals (at most 15 digits, no exponent)
/// are an exact integer divided by an exact power of ten, which IEEE division rounds correctly
/// (Clinger's fast path); anything else goes to the standard library.
pub(crate) fn parse_f64(field: &[u8]) -> Option<f64> {
    let (negative, digits) = match field.first() {
        Some(b'-') => (true, &field[1..]),
        Some(b'+') => (false, &field[1..]),
        _ => (false, field),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0usize;
    let mut scale: Option<usize> = None;
    let mut fast = !digits.is_empty() && digits.len() <= 16;
    if fast {
        for &b in digits {
            match b {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    count += 1;
                    if let Some(s) = scale.as_mut() {
                        *s += 1;
                    }
                }
                b'.' if scale.is_none() => scale = Some(0),
                _ => {
                    fast = false;
                    break;
                }
            }
        }
    }
    if fast && count > 0 && count <= 15 {
        let v = mantissa as f64 / POW10[scale.unwrap_or(0)];
        return Some(if negative { -v } else { v });
    }
    std::str::from_utf8(field).ok()?.parse::<f64>().ok()
}

/// UTC microseconds of `YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z]`, or of anything Arrow's cast reads.
fn parse_timestamp(field: &[u8]) -> std::result::Result<i64, String> {
    if let Some(us) = parse_plain_timestamp(field) {
        return Ok(us);
    }
    let text = std::str::from_utf8(field).map_err(|_| "invalid UTF-8".to_string())?;
    let array = StringArray::from(vec![text]);
    let ts = cast(&array, &DataType::Timestamp(TimeUnit::Microsecond, None))
        .map_err(|e| e.to_string())?;
    let ts = ts.as_primitive::<TimestampMicrosecondType>();
    if ts.is_null(0) {
        return Err(format!("'{text}' is not a timestamp"));
    }
    Ok(ts.value(0))
}

fn parse_plain_timestamp(b: &[u8]) -> Option<i64> {
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        Some(v)
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &b[19..];
    let mut micros = 0i64;
    if let Some(frac) = rest.strip_prefix(b".") {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        let mut ns = 0i64;
        for &c in &frac[..n] {
            ns = ns * 10 + i64::from(c - b'0');
        }
        ns *= 10i64.pow(9 - n as u32);
        micros = ns / 1000;
        rest = &frac[n..];
    }
    if !(rest.is_empty() || rest == b"Z") {
        return None;
    }
    let days_in_month = match mo {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in_month || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + h * 3_600 + mi * 60 + s) * 1_000_000) + micros)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Joins the parts in file order; categories are renumbered in order of first appearance.
fn merge(wanted: &[(&str, Kind)], parts: Vec<Part>) -> Frame {
    let rows = parts.iter().map(|p| p.rows).sum();
    let mut per_column: Vec<Vec<Builder>> = wanted.iter().map(|_| Vec::new()).collect();
    for part in parts {
        for (i, b) in part.columns.into_iter().enumerate() {
            per_column[i].push(b);
        }
    }
    let mut columns = HashMap::new();
    for ((name, _), builders) in wanted.iter().zip(per_column) {
        columns.insert((*name).to_string(), join(builders));
    }
    Frame { rows, columns }
}

fn join(builders: Vec<Builder>) -> Column {
    let mut iter = builders.into_iter();
    let Some(first) = iter.next() else {
        return Column::Numeric(Vec::new());
    };
    match first {
        Builder::Numeric(mut v) => {
            for b in iter {
                if let Builder::Numeric(w) = b {
                    v.reserve_exact(w.len());
                    v.extend_from_slice(&w);
                }
            }
            Column::Numeric(v)
        }
        Builder::Timestamp(mut v) => {
            for b in iter {
                if let Builder::Timestamp(w) = b {
                    v.reserve_exact(w.len());
                    v.extend_from_slice(&w);
                }
            }
            Column::Timestamp(v)
        }
        Builder::Categorical {
            mut codes,
            mut categories,
            ..
        } => {
            for b in iter {
                if let Builder::Categorical {
                    codes: more,
                    categories: names,
                    ..
                } = b
                {
                    let remap: Vec<u32> = names
                        .into_iter()
                        .map(|n| match categories.iter().position(|c| *c == n) {
                            Some(i) => i as u32,
                            None => {
                                categories.push(n);
                                (categories.len() - 1) as u32
                            }
                        })
                        .collect();
                    codes.reserve_exact(more.len());
                    codes.extend(more.iter().map(|c| {
                        if *c == MISSING {
                            MISSING
                        } else {
                            remap[*c as usize]
                        }
                    }));
                }
            }
            Column::Categorical { codes, categories }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_decimals_parse_exactly_as_the_standard_library() {
        for s in [
            "0",
            "-0",
            "1",
            "-0.6879",
            "40.7555",
            "0.091925",
            "123456789012345",
            "1.5e3",
            "inf",
            "NaN",
            ".5",
            "5.",
            "-.25",
            "0.1234567890123456789",
        ] {
            let want: f64 = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            let got = parse_f64(s.as_bytes()).unwrap_or_else(|| panic!("{s}"));
            assert!(
                got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                "{s}: {got} != {want}"
            );
        }
        assert_eq!(parse_f64(b"1,5"), None);
        assert_eq!(parse_f64(b"-"), None);
        assert_eq!(parse_f64(b"."), None);
    }

    #[test]
    fn plain_timestamps_are_utc_microseconds() {
        assert_eq!(
            parse_timestamp(b"2025-01-31 00:00:00Z"),
            Ok(1_738_281_600_000_000)
        );
        assert_eq!(
            parse_timestamp(b"2025-01-31T00:00:00.25"),
            Ok(1_738_281_600_250_000)
        );
        assert_eq!(
            parse_timestamp(b"2025-01-31T01:00:00+01:00"),
            Ok(1_738_281_600_000_000)
        );
        assert!(parse_timestamp(b"2025-02-30 00:00:00Z").is_err());
    }

    #[test]
    fn a_checked_file_is_read_only_up_to_the_last_wanted_field() {
        let dir = std::env::temp_dir().join(format!("aims-fastcsv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("log.csv");
        // The second row has a field too many, after the wanted column.
        let header = "a,b,c\n";
        std::fs::write(&path, format!("{header}1,2,3\n4,5,6,7\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let wanted = [("b", Kind::Numeric)];
        let len = header.len() as u64;
        let first = read(&path, &names, len, &wanted, Rows::Check);
        let message = first.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("row 2"), "{message}");
        let again = read(&path, &names, len, &wanted, Rows::Checked)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("fell back to the general reader"));
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.numeric("b"), Some(&[2.0, 5.0][..]));
        assert_eq!(again.rows, 2);
    }
}
