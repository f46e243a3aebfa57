//! `aims search TEXT`: one search over every area, grouped by area.

use anyhow::Result;
use clap::Args;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

/// Find records by key, title or text.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// A key (rsk-12), a requirement ID (ISO42001:A.6.2.4) or words of a title or text.
    pub text: String,
    /// Results per area, 1 to 100 (default 10).
    #[arg(long, value_name = "N")]
    pub limit: Option<i64>,
    #[command(flatten)]
    pub out: JsonArg,
}

pub async fn run(s: &Session, args: SearchArgs) -> Result<()> {
    let results = s.app.search(&s.actor, &args.text, args.limit).await?;
    if args.out.json {
        return output::json(&results);
    }
    if results.areas.is_empty() {
        return outln!("nothing found for '{}'", results.query);
    }
    let mut table = Table::new(&["area", "key", "title", "matched on"]);
    for area in &results.areas {
        for hit in &area.hits {
            table.row(vec![
                area.label.clone(),
                hit.key.clone(),
                hit.title.clone(),
                hit.matched.label().into(),
            ]);
        }
    }
    table.print("")
}
