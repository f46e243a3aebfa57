//! `aims context issue add|list|show|update|archive`.

use aims_app::context::IssueQuery;
use aims_core::context::{ContextIssue, IssueCategory, IssueInput, IssueSide};
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum IssueCmd {
    /// Record an issue.
    Add(IssueFlags),
    /// List issues (sort by key, title, side, category or review).
    List {
        /// Include archived issues.
        #[arg(long)]
        all: bool,
        #[arg(long, help = format!("Only this side: {}", IssueSide::words().join(", ")))]
        side: Option<String>,
        #[arg(long, help = format!("Only this category: {}", IssueCategory::words().join(", ")))]
        category: Option<String>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one issue.
    Show {
        /// The issue's key (CTX-2).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change an issue; only the given flags change.
    Update {
        /// The issue's key (CTX-2).
        key: String,
        #[command(flatten)]
        flags: IssueFlags,
    },
    /// Archive an issue.
    Archive {
        /// The issue's key (CTX-2).
        key: String,
    },
}

#[derive(Debug, Args)]
pub struct IssueFlags {
    /// Unique title.
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long, help = format!("Side: {}", IssueSide::words().join(", ")))]
    pub side: Option<String>,
    #[arg(long, help = format!("Category: {}", IssueCategory::words().join(", ")))]
    pub category: Option<String>,
    /// What the issue is.
    #[arg(long)]
    pub description: Option<String>,
    /// How it affects the intended outcomes of the AI management system.
    #[arg(long)]
    pub effect: Option<String>,
    /// Next review date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub review_date: Option<String>,
}

impl IssueFlags {
    fn input(self) -> IssueInput {
        IssueInput {
            title: self.title,
            side: self.side,
            category: self.category,
            description: self.description,
            effect: self.effect,
            review_date: self.review_date,
        }
    }
}

pub async fn run(s: &Session, cmd: IssueCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        IssueCmd::Add(flags) => {
            let i = app.issue_add(actor, &flags.input()).await?;
            outln!("added {} '{}'", i.key, i.fields.title)
        }
        IssueCmd::List {
            all,
            side,
            category,
            list,
            out,
        } => {
            let query = IssueQuery {
                q: list.q,
                side,
                category,
                archived: Some(all),
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = app.issue_list(actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let issues = found.items;
            let shown = issues.len();
            if out.json {
                return output::json(&issues);
            }
            let mut table = Table::new(&["key", "title", "side", "category", "review", "archived"]);
            for i in issues {
                table.row(vec![
                    i.key,
                    output::clip(&i.fields.title, 48),
                    i.fields.side.to_string(),
                    i.fields.category.to_string(),
                    opt(i.fields.review_date.as_deref()),
                    if i.archived { "yes" } else { "" }.into(),
                ]);
            }
            table.print("no context issues")?;
            print_range(total, page, per_page, shown)
        }
        IssueCmd::Show { key, out } => {
            let i = app.issue_get(actor, &key).await?;
            if out.json {
                return output::json(&i);
            }
            print_issue(&i)
        }
        IssueCmd::Update { key, flags } => {
            let i = app.issue_update(actor, &key, &flags.input()).await?;
            outln!("updated {} '{}'", i.key, i.fields.title)
        }
        IssueCmd::Archive { key } => {
            let i = app.issue_archive(actor, &key).await?;
            outln!("archived {} '{}'", i.key, i.fields.title)
        }
    }
}

fn print_issue(i: &ContextIssue) -> Result<()> {
    let f = &i.fields;
    output::fields(&[
        ("key", i.key.clone()),
        ("title", f.title.clone()),
        ("side", f.side.to_string()),
        ("category", f.category.to_string()),
        ("description", f.description.clone()),
        ("effect", opt(f.effect.as_deref())),
        ("review date", opt(f.review_date.as_deref())),
        ("archived", if i.archived { "yes" } else { "no" }.into()),
    ])
}
