//! Printing: pretty JSON of what the services return, compact aligned tables, field lists.

use std::io::Write;

use anyhow::Result;
use serde::Serialize;

/// Writes `text` and a newline to stdout. A closed pipe (`aims ... | head`) is not an error.
pub fn line(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// `println!` through [`line`]: `outln!("added {key}")?`.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::line(&format!($($arg)*))
    };
}

/// Pretty JSON of `value`.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    line(&serde_json::to_string_pretty(value)?)
}

/// A table whose columns are as wide as their widest cell.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Table {
        Table {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Prints the table, or `empty` when it has no rows.
    pub fn print(&self, empty: &str) -> Result<()> {
        if self.rows.is_empty() {
            return line(empty);
        }
        line(self.render().trim_end())
    }

    fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let mut out = String::new();
        let headers: Vec<String> = self.headers.iter().map(|h| h.to_uppercase()).collect();
        for row in std::iter::once(&headers).chain(&self.rows) {
            let mut text = String::new();
            for (i, cell) in row.iter().enumerate() {
                let width = widths.get(i).copied().unwrap_or(0);
                let pad = width.saturating_sub(cell.chars().count());
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }
}

/// `label: value` lines with the values aligned; empty values print as `-`.
pub fn fields(pairs: &[(&str, String)]) -> Result<()> {
    let width = pairs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in pairs {
        let value = if value.is_empty() { "-" } else { value };
        out.push_str(&format!("{label:<width$}  {value}\n"));
    }
    line(out.trim_end())
}

/// At most `max` characters of `text` on one line, with `…` when cut.
pub fn clip(text: &str, max: usize) -> String {
    let flat = text.replace(['\n', '\r'], " ");
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// A stored timestamp as `YYYY-MM-DD HH:MM` (UTC).
pub fn when(stamp: &str) -> String {
    stamp.get(..16).unwrap_or(stamp).replacen('T', " ", 1)
}

/// An optional value, or empty.
pub fn opt(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

/// Items joined with `, `.
pub fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align() {
        let mut t = Table::new(&["key", "name"]);
        t.row(vec!["SYS-1".into(), "Credit".into()]);
        t.row(vec!["SYS-10".into(), "Fraud".into()]);
        assert_eq!(t.render(), "KEY     NAME\nSYS-1   Credit\nSYS-10  Fraud\n");
    }

    #[test]
    fn clip_and_when() {
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("a\nb", 4), "a b");
        assert_eq!(when("2026-03-01T10:11:12.000000Z"), "2026-03-01 10:11");
    }
}
