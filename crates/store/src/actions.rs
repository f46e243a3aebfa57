//! Roadmap actions. Dependencies and requirement references are kept as JSON lists in their
//! row, in the order given: the roadmap always reads every action at once.

use aims_core::action::{ActionFields, ActionStatus, RoadmapAction};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::listing::{order_by, rank, search_text, Order, Page, Where};
use crate::rows::{int, json, opt_text, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, title, description, owner, start_date, due_date, status, effort, \
    depends_on, gap, requirements, created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<RoadmapAction> {
    Ok(RoadmapAction {
        key: text(row, "key")?,
        fields: ActionFields {
            title: text(row, "title")?,
            description: opt_text(row, "description")?,
            owner: text(row, "owner")?,
            start_date: text(row, "start_date")?,
            due_date: text(row, "due_date")?,
            status: word(row, "status", ActionStatus::parse)?,
            effort: int(row, "effort")?,
            depends_on: json(row, "depends_on")?,
            gap: opt_text(row, "gap")?,
            requirements: json(row, "requirements")?,
        },
        created_at: text(row, "created_at")?,
        updated_at: text(row, "updated_at")?,
    })
}

/// What the list's text filter matches: key, title and description.
fn search(a: &RoadmapAction) -> String {
    search_text(&[
        &a.key,
        &a.fields.title,
        a.fields.description.as_deref().unwrap_or_default(),
    ])
}

pub async fn insert(conn: &mut Conn, n: i64, a: &RoadmapAction) -> Result<()> {
    let f = &a.fields;
    sqlx::query(&format!(
        "INSERT INTO actions (n, search, {COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
    ))
    .bind(n)
    .bind(search(a))
    .bind(&a.key)
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.owner)
    .bind(&f.start_date)
    .bind(&f.due_date)
    .bind(f.status.as_str())
    .bind(f.effort)
    .bind(to_json(&f.depends_on))
    .bind(&f.gap)
    .bind(to_json(&f.requirements))
    .bind(&a.created_at)
    .bind(&a.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update(conn: &mut Conn, a: &RoadmapAction) -> Result<()> {
    let f = &a.fields;
    sqlx::query(
        "UPDATE actions SET title = $1, description = $2, owner = $3, start_date = $4, \
         due_date = $5, status = $6, effort = $7, depends_on = $8, gap = $9, requirements = $10, \
         updated_at = $11, search = $12 WHERE key = $13",
    )
    .bind(&f.title)
    .bind(&f.description)
    .bind(&f.owner)
    .bind(&f.start_date)
    .bind(&f.due_date)
    .bind(f.status.as_str())
    .bind(f.effort)
    .bind(to_json(&f.depends_on))
    .bind(&f.gap)
    .bind(to_json(&f.requirements))
    .bind(&a.updated_at)
    .bind(search(a))
    .bind(&a.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<RoadmapAction>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM actions WHERE key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Filters of the action list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<ActionStatus>,
    pub owner: Option<String>,
    /// Only actions due before this day (YYYY-MM-DD) that are neither done nor cancelled.
    pub overdue_on: Option<String>,
    /// Text in the key, title or description (any case).
    pub text: Option<String>,
}

/// Sort columns of the action list; statuses sort in their vocabulary's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Key,
    Title,
    Owner,
    Start,
    Due,
    Status,
    Effort,
}

impl Sort {
    /// The ORDER BY expression and whether it can be empty.
    fn expr(self) -> (String, bool) {
        let e = match self {
            Sort::Key => "n".into(),
            Sort::Title => "title".into(),
            Sort::Owner => "owner".into(),
            Sort::Start => "start_date".into(),
            Sort::Due => "due_date".into(),
            Sort::Status => rank("status", &ActionStatus::words()),
            Sort::Effort => "effort".into(),
        };
        (e, false)
    }
}

/// The actions matching `filter` in `order`, one `page` of them (every one without), with the
/// number of all matches.
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    order: Order<Sort>,
    page: Option<Page>,
) -> Result<(Vec<RoadmapAction>, i64)> {
    let mut w = Where::default();
    w.eq("status", filter.status.map(ActionStatus::as_str));
    w.eq("owner", filter.owner.as_deref());
    if let Some(day) = &filter.overdue_on {
        w.bind("due_date < ? AND status NOT IN ('done', 'cancelled')", day);
    }
    w.text(filter.text.as_deref());
    let (expr, nullable) = order.by.expr();
    let order = order_by(&expr, nullable, order.descending, page);
    let (rows, total) = w.rows(conn, "actions", COLUMNS, &order).await?;
    Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
}

/// Every action, in key order.
pub async fn all(conn: &mut Conn) -> Result<Vec<RoadmapAction>> {
    Ok(list(conn, &Filter::default(), Order::asc(Sort::Key), None)
        .await?
        .0)
}
