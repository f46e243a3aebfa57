//! The organisation's controls and their links to requirements and AI systems.

use std::collections::{BTreeMap, BTreeSet};

use aims_core::control::{Control, ControlFields, ControlStatus, Effectiveness};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::listing::{order_by, rank, search_text, Order, Page, Where};
use crate::rows::{int, opt_text, text, word};
use crate::{Conn, Result};

const COLUMNS: &str =
    "key, name, description, owner, status, implementation_date, effectiveness, review_date, \
    created_at, updated_at";

fn from_row(row: &AnyRow) -> Result<Control> {
    Ok(Control {
        key: text(row, "key")?,
        fields: ControlFields {
            name: text(row, "name")?,
            description: text(row, "description")?,
            owner: text(row, "owner")?,
            status: word(row, "status", ControlStatus::parse)?,
            implementation_date: opt_text(row, "implementation_date")?,
            effectiveness: word(row, "effectiveness", Effectiveness::parse)?,
            review_date: opt_text(row, "review_date")?,
        },
        requirements: BTreeSet::new(),
        systems: BTreeSet::new(),
        created_at: text(row, "created_at")?,
        updated_at: text(row, "updated_at")?,
    })
}

/// What the list's text filter matches: key, name and description.
fn search(c: &Control) -> String {
    search_text(&[&c.key, &c.fields.name, &c.fields.description])
}

/// Inserts a control and its links.
pub async fn insert(conn: &mut Conn, n: i64, c: &Control) -> Result<()> {
    let f = &c.fields;
    sqlx::query(&format!(
        "INSERT INTO controls (n, search, {COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(n)
    .bind(search(c))
    .bind(&c.key)
    .bind(&f.name)
    .bind(&f.description)
    .bind(&f.owner)
    .bind(f.status.as_str())
    .bind(&f.implementation_date)
    .bind(f.effectiveness.as_str())
    .bind(&f.review_date)
    .bind(&c.created_at)
    .bind(&c.updated_at)
    .execute(&mut *conn)
    .await
    .db()?;
    set_links(conn, c).await
}

/// Updates a control's fields and replaces its links.
pub async fn update(conn: &mut Conn, c: &Control) -> Result<()> {
    let f = &c.fields;
    sqlx::query(
        "UPDATE controls SET name = $1, description = $2, owner = $3, status = $4, implementation_date = $5, \
         effectiveness = $6, review_date = $7, updated_at = $8, search = $9 WHERE key = $10",
    )
    .bind(&f.name)
    .bind(&f.description)
    .bind(&f.owner)
    .bind(f.status.as_str())
    .bind(&f.implementation_date)
    .bind(f.effectiveness.as_str())
    .bind(&f.review_date)
    .bind(&c.updated_at)
    .bind(search(c))
    .bind(&c.key)
    .execute(&mut *conn)
    .await
    .db()?;
    set_links(conn, c).await
}

/// Replaces the requirement and system links of `c` with its lists.
async fn set_links(conn: &mut Conn, c: &Control) -> Result<()> {
    for table in ["control_requirements", "control_systems"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE control_key = $1"))
            .bind(&c.key)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    for r in &c.requirements {
        sqlx::query("INSERT INTO control_requirements (control_key, requirement) VALUES ($1, $2)")
            .bind(&c.key)
            .bind(r)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    for s in &c.systems {
        sqlx::query("INSERT INTO control_systems (control_key, system_key) VALUES ($1, $2)")
            .bind(&c.key)
            .bind(s)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

/// Every link of the given table, by control key.
async fn links(
    conn: &mut Conn,
    sql: &str,
    bind: Option<&str>,
) -> Result<BTreeMap<String, BTreeSet<String>>> {
    let mut q = sqlx::query(sql);
    if let Some(b) = bind {
        q = q.bind(b);
    }
    let rows = q.fetch_all(conn).await.db()?;
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in &rows {
        out.entry(text(row, "c")?)
            .or_default()
            .insert(text(row, "v")?);
    }
    Ok(out)
}

/// Fills in the links of `controls`.
async fn with_links(
    conn: &mut Conn,
    mut controls: Vec<Control>,
    one: Option<&str>,
) -> Result<Vec<Control>> {
    let (rq, sq) = match one {
        Some(_) => (
            "SELECT control_key AS c, requirement AS v FROM control_requirements WHERE control_key = $1",
            "SELECT control_key AS c, system_key AS v FROM control_systems WHERE control_key = $1",
        ),
        None => (
            "SELECT control_key AS c, requirement AS v FROM control_requirements",
            "SELECT control_key AS c, system_key AS v FROM control_systems",
        ),
    };
    let mut reqs = links(conn, rq, one).await?;
    let mut systems = links(conn, sq, one).await?;
    for c in &mut controls {
        c.requirements = reqs.remove(&c.key).unwrap_or_default();
        c.systems = systems.remove(&c.key).unwrap_or_default();
    }
    Ok(controls)
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<Control>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM controls WHERE key = $1"))
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
    let Some(control) = row.as_ref().map(from_row).transpose()? else {
        return Ok(None);
    };
    Ok(with_links(conn, vec![control], Some(key)).await?.pop())
}

/// The key of the control named `name`, if any.
pub async fn key_by_name(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT key FROM controls WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(|r| text(r, "key")).transpose()
}

/// Filters of the control list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<ControlStatus>,
    /// `true`: every status but not_applicable; `false`: not_applicable only.
    pub applicable: Option<bool>,
    pub effectiveness: Option<Effectiveness>,
    pub owner: Option<String>,
    /// A stored requirement reference (`ISO42001:A.6.2.4`).
    pub requirement: Option<String>,
    /// An AI system key.
    pub system: Option<String>,
    /// Text in the key, name or description (any case).
    pub text: Option<String>,
}

/// Sort columns of the control list; statuses and effectiveness sort in their vocabulary's
/// order, controls without a review date last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Key,
    Name,
    Status,
    Effectiveness,
    Owner,
    Review,
}

impl Sort {
    /// The ORDER BY expression and whether it can be empty.
    fn expr(self) -> (String, bool) {
        match self {
            Sort::Key => ("n".into(), false),
            Sort::Name => ("name".into(), false),
            Sort::Status => (rank("status", &ControlStatus::words()), false),
            Sort::Effectiveness => (rank("effectiveness", &Effectiveness::words()), false),
            Sort::Owner => ("owner".into(), false),
            Sort::Review => ("review_date".into(), true),
        }
    }
}

/// Every control in key order, with its links.
pub async fn all(conn: &mut Conn) -> Result<Vec<Control>> {
    Ok(list(conn, &Filter::default(), Order::asc(Sort::Key), None)
        .await?
        .0)
}

/// The controls matching `filter` in `order`, one `page` of them (every one without), with
/// their links and the number of all matches.
pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    order: Order<Sort>,
    page: Option<Page>,
) -> Result<(Vec<Control>, i64)> {
    let mut w = Where::default();
    w.eq("status", filter.status.map(ControlStatus::as_str));
    match filter.applicable {
        Some(true) => w.raw("status <> 'not_applicable'"),
        Some(false) => w.raw("status = 'not_applicable'"),
        None => {}
    }
    w.eq(
        "effectiveness",
        filter.effectiveness.map(Effectiveness::as_str),
    );
    w.eq("owner", filter.owner.as_deref());
    if let Some(r) = &filter.requirement {
        w.bind(
            "key IN (SELECT control_key FROM control_requirements WHERE requirement = ?)",
            r,
        );
    }
    if let Some(s) = &filter.system {
        w.bind(
            "key IN (SELECT control_key FROM control_systems WHERE system_key = ?)",
            s,
        );
    }
    w.text(filter.text.as_deref());
    let (expr, nullable) = order.by.expr();
    let order = order_by(&expr, nullable, order.descending, page);
    let (rows, total) = w.rows(&mut *conn, "controls", COLUMNS, &order).await?;
    let controls = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    Ok((with_links(conn, controls, None).await?, total))
}

/// One link of a control to a requirement, with the control's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementLink {
    /// The stored reference (`ISO42001:A.6.2.4`).
    pub requirement: String,
    pub control_key: String,
    /// The control's status word.
    pub status: String,
}

/// Every link to one of `requirements` (stored references, `ISO42001:A.6.2.4`), in control
/// order, in one indexed query however many controls there are.
pub async fn requirement_links(
    conn: &mut Conn,
    requirements: &[String],
) -> Result<Vec<RequirementLink>> {
    if requirements.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=requirements.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT r.requirement AS requirement, c.key AS control_key, c.status AS status, c.n AS n \
         FROM control_requirements r JOIN controls c ON c.key = r.control_key \
         WHERE r.requirement IN ({})",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for r in requirements {
        q = q.bind(r);
    }
    // Sorted here: an ORDER BY on the controls' number can lead SQLite to walk every control.
    let rows = q.fetch_all(conn).await.db()?;
    let mut links = rows
        .iter()
        .map(|r| {
            let link = RequirementLink {
                requirement: text(r, "requirement")?,
                control_key: text(r, "control_key")?,
                status: text(r, "status")?,
            };
            Ok((int(r, "n")?, link))
        })
        .collect::<Result<Vec<_>>>()?;
    links.sort_by_key(|(n, _)| *n);
    Ok(links.into_iter().map(|(_, l)| l).collect())
}

/// The distinct statuses of the controls linked to each of `requirements`: one row per
/// requirement and status, however many controls there are.
pub async fn requirement_statuses(
    conn: &mut Conn,
    requirements: &[String],
) -> Result<Vec<(String, String)>> {
    if requirements.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=requirements.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT r.requirement AS requirement, c.status AS status \
         FROM control_requirements r JOIN controls c ON c.key = r.control_key \
         WHERE r.requirement IN ({}) GROUP BY r.requirement, c.status",
        marks.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for r in requirements {
        q = q.bind(r);
    }
    let rows = q.fetch_all(conn).await.db()?;
    rows.iter()
        .map(|r| Ok((text(r, "requirement")?, text(r, "status")?)))
        .collect()
}
