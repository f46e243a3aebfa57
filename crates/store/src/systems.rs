//! The AI system inventory.

use aims_core::inventory::{
    AiSystem, Criticality, EuClass, Stage, SystemFields, SystemStatus, Technique,
};
use sqlx::any::AnyRow;

use crate::error::ResultExt;
use crate::listing::{rank, search_text as fold, Where};
use crate::rows::{flag, int, json, opt_text, text, to_json, word};
use crate::{Conn, Result};

const COLUMNS: &str = "key, name, purpose, intended_use, owner, business_unit, stage, technique, ai_roles, supplier, \
    data_categories, stakeholders, regions, eu_class, eu_rationale, criticality, status, retired_reason, in_scope, \
    created_at, updated_at";

/// A system and whether the approved scope covers it (derived, kept by the scope service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemRow {
    pub system: AiSystem,
    pub in_scope: bool,
}

fn from_row(row: &AnyRow) -> Result<SystemRow> {
    let fields = SystemFields {
        name: text(row, "name")?,
        purpose: text(row, "purpose")?,
        intended_use: opt_text(row, "intended_use")?,
        owner: text(row, "owner")?,
        business_unit: opt_text(row, "business_unit")?,
        stage: word(row, "stage", Stage::parse)?,
        technique: word(row, "technique", Technique::parse)?,
        ai_roles: json(row, "ai_roles")?,
        supplier: opt_text(row, "supplier")?,
        data_categories: json(row, "data_categories")?,
        stakeholders: json(row, "stakeholders")?,
        regions: json(row, "regions")?,
        eu_class: word(row, "eu_class", EuClass::parse)?,
        eu_rationale: opt_text(row, "eu_rationale")?,
        criticality: word(row, "criticality", Criticality::parse)?,
    };
    Ok(SystemRow {
        system: AiSystem {
            key: text(row, "key")?,
            fields,
            status: word(row, "status", SystemStatus::parse)?,
            retired_reason: opt_text(row, "retired_reason")?,
            created_at: text(row, "created_at")?,
            updated_at: text(row, "updated_at")?,
        },
        in_scope: flag(row, "in_scope")?,
    })
}

/// What text search matches: key, name and purpose, lower-cased by Rust (Unicode-aware).
fn search_text(s: &AiSystem) -> String {
    fold(&[&s.key, &s.fields.name, &s.fields.purpose])
}

pub async fn insert(conn: &mut Conn, n: i64, s: &AiSystem, in_scope: bool) -> Result<()> {
    let f = &s.fields;
    sqlx::query(&format!(
        "INSERT INTO ai_systems (n, search, {COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
    ))
    .bind(n)
    .bind(search_text(s))
    .bind(&s.key)
    .bind(&f.name)
    .bind(&f.purpose)
    .bind(&f.intended_use)
    .bind(&f.owner)
    .bind(&f.business_unit)
    .bind(f.stage.as_str())
    .bind(f.technique.as_str())
    .bind(to_json(&f.ai_roles))
    .bind(&f.supplier)
    .bind(to_json(&f.data_categories))
    .bind(to_json(&f.stakeholders))
    .bind(to_json(&f.regions))
    .bind(f.eu_class.as_str())
    .bind(&f.eu_rationale)
    .bind(f.criticality.as_str())
    .bind(s.status.as_str())
    .bind(&s.retired_reason)
    .bind(i64::from(in_scope))
    .bind(&s.created_at)
    .bind(&s.updated_at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

pub async fn update(conn: &mut Conn, s: &AiSystem, in_scope: bool) -> Result<()> {
    let f = &s.fields;
    sqlx::query(
        "UPDATE ai_systems SET name = $1, purpose = $2, intended_use = $3, owner = $4, business_unit = $5, stage = $6, \
         technique = $7, ai_roles = $8, supplier = $9, data_categories = $10, stakeholders = $11, regions = $12, \
         eu_class = $13, eu_rationale = $14, criticality = $15, status = $16, retired_reason = $17, in_scope = $18, \
         updated_at = $19, search = $20 WHERE key = $21",
    )
    .bind(&f.name)
    .bind(&f.purpose)
    .bind(&f.intended_use)
    .bind(&f.owner)
    .bind(&f.business_unit)
    .bind(f.stage.as_str())
    .bind(f.technique.as_str())
    .bind(to_json(&f.ai_roles))
    .bind(&f.supplier)
    .bind(to_json(&f.data_categories))
    .bind(to_json(&f.stakeholders))
    .bind(to_json(&f.regions))
    .bind(f.eu_class.as_str())
    .bind(&f.eu_rationale)
    .bind(f.criticality.as_str())
    .bind(s.status.as_str())
    .bind(&s.retired_reason)
    .bind(i64::from(in_scope))
    .bind(&s.updated_at)
    .bind(search_text(s))
    .bind(&s.key)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Sets the derived in-scope flag of one system.
pub async fn set_in_scope(conn: &mut Conn, key: &str, in_scope: bool) -> Result<()> {
    sqlx::query("UPDATE ai_systems SET in_scope = $1 WHERE key = $2")
        .bind(i64::from(in_scope))
        .bind(key)
        .execute(conn)
        .await
        .db()?;
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<SystemRow>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM ai_systems WHERE key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// The key of the system named `name`, if any.
pub async fn key_by_name(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    let row = sqlx::query("SELECT key FROM ai_systems WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(|r| text(r, "key")).transpose()
}

/// Every system in key order.
pub async fn all(conn: &mut Conn) -> Result<Vec<SystemRow>> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM ai_systems ORDER BY n"))
        .fetch_all(conn)
        .await
        .db()?;
    rows.iter().map(from_row).collect()
}

/// Filters of the inventory list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub stage: Option<Stage>,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub eu_class: Option<EuClass>,
    pub in_scope: Option<bool>,
    pub status: Option<SystemStatus>,
    /// Case-insensitive text in the key, name or purpose.
    pub text: Option<String>,
}

/// Sort orders of the inventory list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Key,
    Name,
    Stage,
    Owner,
    Updated,
    Criticality,
}

impl Sort {
    /// The ORDER BY expression. Stages and criticalities sort in their vocabulary's order
    /// (lifecycle, severity), not alphabetically.
    fn column(self) -> String {
        match self {
            Sort::Key => "n".into(),
            Sort::Name => "name".into(),
            Sort::Stage => rank("stage", &Stage::words()),
            Sort::Owner => "owner".into(),
            Sort::Updated => "updated_at".into(),
            Sort::Criticality => rank("criticality", &Criticality::words()),
        }
    }
}

/// One page of the list and the number of systems matching the filter.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<SystemRow>,
    pub total: i64,
}

pub async fn list(
    conn: &mut Conn,
    filter: &Filter,
    sort: Sort,
    descending: bool,
    limit: i64,
    offset: i64,
) -> Result<Page> {
    let mut w = Where::default();
    w.eq("stage", filter.stage.map(Stage::as_str));
    w.eq("owner", filter.owner.as_deref());
    w.eq("business_unit", filter.unit.as_deref());
    w.eq("eu_class", filter.eu_class.map(EuClass::as_str));
    w.eq("status", filter.status.map(SystemStatus::as_str));
    // The `search` column was folded by Rust as the pattern is (SQLite's LOWER folds ASCII only).
    w.text(filter.text.as_deref());
    if let Some(in_scope) = filter.in_scope {
        w.raw(format!("in_scope = {}", i64::from(in_scope)));
    }
    let where_ = w.sql();
    let dir = if descending { "DESC" } else { "ASC" };
    let select = format!(
        "SELECT {COLUMNS} FROM ai_systems {where_} ORDER BY {} {dir}, n {dir} LIMIT {limit} OFFSET {offset}",
        sort.column()
    );
    let count = format!("SELECT COUNT(*) AS c FROM ai_systems {where_}");
    let rows = w.query(&select).fetch_all(&mut *conn).await.db()?;
    let total = int(&w.query(&count).fetch_one(&mut *conn).await.db()?, "c")?;
    Ok(Page {
        items: rows.iter().map(from_row).collect::<Result<_>>()?,
        total,
    })
}

/// Counts of active systems by a column (`stage` or `eu_class`), for the dashboard.
pub async fn count_by(conn: &mut Conn, column: GroupColumn) -> Result<Vec<(String, i64)>> {
    let col = match column {
        GroupColumn::Stage => "stage",
        GroupColumn::EuClass => "eu_class",
    };
    let rows = sqlx::query(&format!(
        "SELECT {col} AS g, COUNT(*) AS c FROM ai_systems WHERE status = 'active' GROUP BY {col}"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "g")?, int(r, "c")?)))
        .collect()
}

#[derive(Debug, Clone, Copy)]
pub enum GroupColumn {
    Stage,
    EuClass,
}
