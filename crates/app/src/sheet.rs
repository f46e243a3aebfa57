//! Spreadsheet exports: a titled table as an XLSX workbook with one sheet, a bold frozen
//! header row, an auto-filter and fitted column widths.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::{AppError, Result};

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// Widest a column is fitted to, in characters, so long justifications wrap instead.
const MAX_WIDTH: f64 = 60.0;

/// `header` and `rows` as an XLSX workbook whose only sheet is named `sheet`.
pub fn xlsx(sheet: &str, header: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>> {
    build(sheet, header, rows).map_err(|e| AppError::Internal(format!("xlsx export: {e}")))
}

fn build(sheet: &str, header: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => {
                    ws.write_string_with_format(r, col(c), s, &wrap)?;
                    if let Some(w) = widths.get_mut(c) {
                        *w = (*w).max(s.chars().count());
                    }
                }
                Cell::Number(n) => {
                    ws.write_number(r, col(c), *n)?;
                }
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), (*w as f64 + 2.0).min(MAX_WIDTH))?;
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, col(header.len().saturating_sub(1)))?;
    book.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}
