//! `aims roadmap [--format table|md|json] [--json]`: progress, overdue actions and every action.

use aims_app::roadmap::RoadmapFormat;
use anyhow::Result;
use clap::Args;

use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

#[derive(Debug, Args)]
pub struct RoadmapArgs {
    /// table (default), md or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Print JSON (the same as --format json).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

pub async fn run(s: &Session, args: RoadmapArgs) -> Result<()> {
    let format = if args.json {
        RoadmapFormat::Json
    } else {
        RoadmapFormat::parse(&args.format)?
    };
    let r = s.app.roadmap(&s.actor).await?;
    match format {
        RoadmapFormat::Json => output::json(&r),
        RoadmapFormat::Markdown => output::line(r.to_markdown().trim_end()),
        RoadmapFormat::Table => {
            let p = &r.progress;
            outln!(
                "roadmap on {}: {} of {} actions done, {} of {} person-days ({}%)",
                r.today,
                p.done.count,
                p.total.count,
                p.done.effort,
                p.total.effort,
                p.percent_effort
            )?;
            let mut table = Table::new(&["status", "actions", "days"]);
            for t in &p.by_status {
                table.row(vec![
                    t.status.to_string(),
                    t.count.to_string(),
                    t.effort.to_string(),
                ]);
            }
            table.print("no actions")?;
            if r.overdue.is_empty() {
                outln!("overdue: none")?;
            } else {
                outln!("overdue: {}", r.overdue.join(", "))?;
            }
            crate::commands::action::print_table(&r.actions)
        }
    }
}
