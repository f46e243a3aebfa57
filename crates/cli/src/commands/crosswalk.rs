//! `aims crosswalk SOURCE TARGET [--id ID]`: how the items of one framework relate to those of
//! another (a crosswalk stored the other way round is turned). Needs no database.

use aims_app::catalogs::{self, CrosswalkQuery};
use anyhow::Result;
use clap::Args;

use crate::cli::Global;
use crate::commands::catalog::has_database;
use crate::commands::JsonArg;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Args)]
pub struct CrosswalkArgs {
    /// The source framework (ISO42001).
    pub source: String,
    /// The target framework (EUAIA, ISO27001, ISO9001, NISTAIRMF or an imported one).
    pub target: String,
    /// Only links with this item at either end (A.6.2.6, "Art. 9").
    #[arg(long)]
    pub id: Option<String>,
    #[command(flatten)]
    pub out: JsonArg,
}

pub async fn run(global: &Global, args: CrosswalkArgs) -> Result<()> {
    let query = CrosswalkQuery {
        source: Some(args.source),
        target: Some(args.target),
        id: args.id,
    };
    let view = if has_database(global) {
        let s = Session::open(global).await?;
        let view = s.app.crosswalk_query(&s.actor, &query).await;
        s.close().await;
        view?
    } else {
        catalogs::builtin::crosswalk(&query)?
    };
    if args.out.json {
        return output::json(&view);
    }
    let mut table = Table::new(&["from", "title", "relationship", "to", "title", "rationale"]);
    for l in &view.links {
        table.row(vec![
            l.from.clone(),
            output::clip(&l.from_title, 40),
            l.relationship.clone(),
            l.to.clone(),
            output::clip(&l.to_title, 40),
            output::clip(&l.rationale, 80),
        ]);
    }
    table.print(&format!("no links from {} to {}", view.source, view.target))
}
