//! `aims journey [--json]`: the eight steps of the implementation journey and where each stands.

use anyhow::Result;

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, Table};
use crate::session::Session;

pub async fn run(s: &Session, out: JsonArg) -> Result<()> {
    let j = s.app.journey(&s.actor).await?;
    if out.json {
        return output::json(&j);
    }
    outln!(
        "implementation journey: {} of {} steps done",
        j.done,
        j.steps.len()
    )?;
    let mut table = Table::new(&["step", "title", "status", "why", "command"]);
    for st in j.steps {
        table.row(vec![
            st.number.to_string(),
            st.title,
            st.status.to_string(),
            st.reason,
            st.command,
        ]);
    }
    table.print("no steps")
}
