//! The text filter, sort and page the sorted lists take, as their pages and the API do.

use anyhow::Result;
use clap::Args;

use crate::outln;

/// `--q`, `--sort`, `--page` and `--per-page` of a list.
#[derive(Debug, Clone, Default, Args)]
pub struct ListArgs {
    /// Only records whose key or text holds this (any case).
    #[arg(long)]
    pub q: Option<String>,
    /// Sort by a column ('-' in front for descending); a wrong word is answered with the list's
    /// columns.
    #[arg(long, allow_hyphen_values = true, value_name = "COLUMN")]
    pub sort: Option<String>,
    /// Page number, from 1 (50 per page unless --per-page says otherwise).
    #[arg(long)]
    pub page: Option<i64>,
    /// Records per page (1 to 500); every match when neither this nor --page is given.
    #[arg(long)]
    pub per_page: Option<i64>,
}

/// After a table: which records of how many it showed, when it did not show them all.
pub fn print_range(total: i64, page: i64, per_page: Option<i64>, shown: usize) -> Result<()> {
    let shown = i64::try_from(shown).unwrap_or(i64::MAX);
    let Some(per_page) = per_page.filter(|_| shown < total) else {
        return Ok(());
    };
    let first = (page - 1) * per_page + 1;
    if shown == 0 {
        outln!("no records on page {page}; {total} in all")
    } else if first + shown - 1 < total {
        outln!(
            "{first}-{} of {total} (--page {} for more)",
            first + shown - 1,
            page + 1
        )
    } else {
        outln!("{first}-{} of {total}", first + shown - 1)
    }
}
