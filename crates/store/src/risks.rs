//! The risk register: one row per risk (lists and estimates as JSON text, scores and what lists
//! filter on as columns), its AI systems, and the score history per method version.

use aims_core::risk::methodology::RiskLevel;
use aims_core::risk::register::{Risk, RiskCategory, RiskFields, RiskStatus, Scores};
use aims_core::risk::scoring::{LevelRange, Score};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::ResultExt;
use crate::listing::{order_by, rank, Order};
use crate::rows::{int, json, opt_text, text, to_json, word};
use crate::{Conn, Result, StoreError};

const COLUMNS: &str = "key, title, cause, event, consequence, category, sub_category, systems, \
    risk_sources, objectives, owner, inherent, treatment, treatment_option, residual, residual_reason, \
    methodology_version, inherent_likelihood, inherent_impact, inherent_level, inherent_low, \
    inherent_high, residual_likelihood, residual_impact, residual_level, current_level, status, \
    acceptances, reviews, next_review, created_at, updated_at";

fn opt_int(row: &AnyRow, col: &str) -> Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn opt_level(row: &AnyRow, col: &str) -> Result<Option<RiskLevel>> {
    opt_text(row, col)?
        .map(|w| RiskLevel::parse(col, &w).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

fn opt_json<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<Option<T>> {
    opt_text(row, col)?
        .map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("{col}: {e}"))))
        .transpose()
}

fn score(l: Option<i64>, i: Option<i64>, level: Option<RiskLevel>) -> Option<Score> {
    match (l, i, level) {
        (Some(likelihood), Some(impact), Some(level)) => Some(Score {
            likelihood,
            impact,
            level,
        }),
        _ => None,
    }
}

fn scores_from_row(row: &AnyRow, version: i64) -> Result<Scores> {
    let inherent = score(
        opt_int(row, "inherent_likelihood")?,
        opt_int(row, "inherent_impact")?,
        opt_level(row, "inherent_level")?,
    );
    let inherent_range = match (
        opt_level(row, "inherent_low")?,
        opt_level(row, "inherent_high")?,
    ) {
        (Some(low), Some(high)) => Some(LevelRange { low, high }),
        _ => None,
    };
    let residual = score(
        opt_int(row, "residual_likelihood")?,
        opt_int(row, "residual_impact")?,
        opt_level(row, "residual_level")?,
    );
    Ok(Scores {
        methodology_version: version,
        inherent,
        inherent_range,
        residual,
    })
}

fn from_row(row: &AnyRow) -> Result<Risk> {
    let version = int(row, "methodology_version")?;
    Ok(Risk {
        key: text(row, "key")?,
        fields: RiskFields {
            title: text(row, "title")?,
            cause: text(row, "cause")?,
            event: text(row, "event")?,
            consequence: text(row, "consequence")?,
            category: word(row, "category", RiskCategory::parse)?,
            sub_category: opt_text(row, "sub_category")?,
            systems: json(row, "systems")?,
            risk_sources: json(row, "risk_sources")?,
            objectives: json(row, "objectives")?,
            owner: text(row, "owner")?,
        },
        inherent: opt_json(row, "inherent")?,
        treatment: opt_json(row, "treatment")?,
        residual: opt_json(row, "residual")?,
        residual_reason: opt_text(row, "residual_reason")?,
        scores: scores_from_row(row, version)?,
        status: word(row, "status", RiskStatus::parse)?,
        acceptances: json(row, "acceptances")?,
        reviews: json(row, "reviews")?,
        next_review: opt_text(row, "next_review")?,
        created_at: text(row, "created_at")?,
        updated_at: text(row, "updated_at")?,
    })
}

/// The values of a risk in [`COLUMNS`] order, as binds (text or number or null).
enum Val {
    T(Option<String>),
    I(Option<i64>),
}

fn values(r: &Risk) -> Vec<Val> {
    let f = &r.fields;
    let s = &r.scores;
    let t = |v: &str| Val::T(Some(v.to_owned()));
    let lv = |l: Option<RiskLevel>| Val::T(l.map(|l| l.as_str().to_owned()));
    vec![
        t(&r.key),
        t(&f.title),
        t(&f.cause),
        t(&f.event),
        t(&f.consequence),
        t(f.category.as_str()),
        Val::T(f.sub_category.clone()),
        Val::T(Some(to_json(&f.systems))),
        Val::T(Some(to_json(&f.risk_sources))),
        Val::T(Some(to_json(&f.objectives))),
        t(&f.owner),
        Val::T(r.inherent.as_ref().map(to_json)),
        Val::T(r.treatment.as_ref().map(to_json)),
        Val::T(r.treatment.as_ref().map(|t| t.option.as_str().to_owned())),
        Val::T(r.residual.as_ref().map(to_json)),
        Val::T(r.residual_reason.clone()),
        Val::I(Some(s.methodology_version)),
        Val::I(s.inherent.map(|x| x.likelihood)),
        Val::I(s.inherent.map(|x| x.impact)),
        lv(s.inherent.map(|x| x.level)),
        lv(s.inherent_range.map(|x| x.low)),
        lv(s.inherent_range.map(|x| x.high)),
        Val::I(s.residual.map(|x| x.likelihood)),
        Val::I(s.residual.map(|x| x.impact)),
        lv(s.residual.map(|x| x.level)),
        lv(r.current_level()),
        t(r.status.as_str()),
        Val::T(Some(to_json(&r.acceptances))),
        Val::T(Some(to_json(&r.reviews))),
        Val::T(r.next_review.clone()),
        t(&r.created_at),
        t(&r.updated_at),
    ]
}

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    vals: Vec<Val>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for v in vals {
        q = match v {
            Val::T(t) => q.bind(t),
            Val::I(i) => q.bind(i),
        };
    }
    q
}

/// Inserts a risk and its system links.
pub async fn insert(conn: &mut Conn, n: i64, r: &Risk) -> Result<()> {
    let cols: Vec<&str> = COLUMNS.split(',').map(str::trim).collect();
    let marks: Vec<String> = (2..=cols.len() + 1).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO risks (n, {COLUMNS}) VALUES ($1, {})",
        marks.join(", ")
    );
    let q = sqlx::query(&sql).bind(n);
    bind_all(q, values(r)).execute(&mut *conn).await.db()?;
    set_systems(conn, r).await
}

/// Inserts many new risks `(n, risk)` and their system links with multi-row statements (bulk
/// loads; the services add risks one at a time with [`insert`]).
pub async fn insert_many(conn: &mut Conn, risks: &[(i64, Risk)]) -> Result<()> {
    let width = COLUMNS.split(',').count() + 1;
    // Well under both engines' limits on bound parameters per statement.
    for chunk in risks.chunks(200) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|r| {
                let marks: Vec<String> =
                    (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO risks (n, {COLUMNS}) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (n, r) in chunk {
            q = bind_all(q.bind(*n), values(r));
        }
        q.execute(&mut *conn).await.db()?;
        let links: Vec<(&str, &str)> = chunk
            .iter()
            .flat_map(|(_, r)| {
                r.fields
                    .systems
                    .iter()
                    .map(move |s| (r.key.as_str(), s.as_str()))
            })
            .collect();
        if links.is_empty() {
            continue;
        }
        let marks: Vec<String> = (0..links.len())
            .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
            .collect();
        let sql = format!(
            "INSERT INTO risk_systems (risk_key, system_key) VALUES {}",
            marks.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (risk, system) in links {
            q = q.bind(risk).bind(system);
        }
        q.execute(&mut *conn).await.db()?;
    }
    Ok(())
}

/// Writes every column of a risk and replaces its system links.
pub async fn update(conn: &mut Conn, r: &Risk) -> Result<()> {
    let cols: Vec<&str> = COLUMNS.split(',').map(str::trim).collect();
    // Column 1 is the key: bound last, in the WHERE clause.
    let sets: Vec<String> = cols
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, c)| format!("{c} = ${i}"))
        .collect();
    let sql = format!(
        "UPDATE risks SET {} WHERE key = ${}",
        sets.join(", "),
        cols.len()
    );
    let mut vals = values(r);
    let key = vals.remove(0);
    vals.push(key);
    bind_all(sqlx::query(&sql), vals)
        .execute(&mut *conn)
        .await
        .db()?;
    set_systems(conn, r).await
}

async fn set_systems(conn: &mut Conn, r: &Risk) -> Result<()> {
    sqlx::query("DELETE FROM risk_systems WHERE risk_key = $1")
        .bind(&r.key)
        .execute(&mut *conn)
        .await
        .db()?;
    for s in &r.fields.systems {
        sqlx::query("INSERT INTO risk_systems (risk_key, system_key) VALUES ($1, $2)")
            .bind(&r.key)
            .bind(s)
            .execute(&mut *conn)
            .await
            .db()?;
    }
    Ok(())
}

pub async fn get(conn: &mut Conn, key: &str) -> Result<Option<Risk>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM risks WHERE key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .db()?;
    row.as_ref().map(from_row).transpose()
}

/// Which estimate a heat map cell refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Inherent,
    Residual,
}

impl Basis {
    fn prefix(self) -> &'static str {
        match self {
            Basis::Inherent => "inherent",
            Basis::Residual => "residual",
        }
    }
}

/// Filters of the register; `None` means any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<RiskStatus>,
    pub owner: Option<String>,
    /// An AI system key, or `None`.
    pub system: Option<String>,
    /// Only risks of the whole organisation (no AI system).
    pub organisation: bool,
    pub category: Option<RiskCategory>,
    /// The current level.
    pub level: Option<RiskLevel>,
    /// Open risks (not closed) in one cell: likelihood, combined impact.
    pub cell: Option<(Basis, i64, i64)>,
    /// Open risks whose next review is before this day (`YYYY-MM-DD`).
    pub review_before: Option<String>,
    /// Leave out closed risks.
    pub open: bool,
    /// `(limit, offset)` of one page; every match when `None`.
    pub page: Option<(i64, i64)>,
    /// The order; key order when `None`.
    pub order: Option<Order<Sort>>,
}

/// Sort columns of the risk register; statuses and levels sort in their vocabulary's order,
/// risks without a level or a review date last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Key,
    Title,
    Category,
    Owner,
    Status,
    /// The current level: the residual one once estimated, else the inherent one.
    Level,
    Inherent,
    Residual,
    Review,
}

impl Sort {
    /// The ORDER BY expression and whether it can be empty.
    fn expr(self) -> (String, bool) {
        match self {
            Sort::Key => ("n".into(), false),
            Sort::Title => ("title".into(), false),
            Sort::Category => (rank("category", &RiskCategory::words()), false),
            Sort::Owner => ("owner".into(), false),
            Sort::Status => (rank("status", &RiskStatus::words()), false),
            Sort::Level => (rank("current_level", &RiskLevel::words()), true),
            Sort::Inherent => (rank("inherent_level", &RiskLevel::words()), true),
            Sort::Residual => (rank("residual_level", &RiskLevel::words()), true),
            Sort::Review => ("next_review".into(), true),
        }
    }
}

/// The `WHERE` clause of `filter` with its text and then its number values (`$1`, `$2`...).
fn conditions(filter: &Filter) -> (String, Vec<String>, Vec<i64>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let push = |clauses: &mut Vec<String>, texts: &mut Vec<String>, sql: &str, v: String| {
        texts.push(v);
        clauses.push(sql.replace('?', &format!("${}", texts.len())));
    };
    if let Some(s) = filter.status {
        push(&mut clauses, &mut texts, "status = ?", s.as_str().into());
    }
    if let Some(o) = &filter.owner {
        push(&mut clauses, &mut texts, "owner = ?", o.clone());
    }
    if let Some(s) = &filter.system {
        push(
            &mut clauses,
            &mut texts,
            "key IN (SELECT risk_key FROM risk_systems WHERE system_key = ?)",
            s.clone(),
        );
    }
    if filter.organisation {
        clauses.push("key NOT IN (SELECT risk_key FROM risk_systems)".into());
    }
    if let Some(c) = filter.category {
        push(&mut clauses, &mut texts, "category = ?", c.as_str().into());
    }
    if let Some(l) = filter.level {
        push(
            &mut clauses,
            &mut texts,
            "current_level = ?",
            l.as_str().into(),
        );
    }
    if let Some(d) = &filter.review_before {
        push(&mut clauses, &mut texts, "next_review < ?", d.clone());
    }
    let mut ints: Vec<i64> = Vec::new();
    if let Some((basis, l, i)) = filter.cell {
        let p = basis.prefix();
        ints.push(l);
        ints.push(i);
        let (a, b) = (texts.len() + 1, texts.len() + 2);
        clauses.push(format!("{p}_likelihood = ${a} AND {p}_impact = ${b}"));
    }
    if filter.open || filter.cell.is_some() || filter.review_before.is_some() {
        clauses.push("status <> 'closed'".into());
    }
    let where_ = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (where_, texts, ints)
}

/// `sql` with the text values, then the number values, bound.
fn bound<'q>(
    sql: &'q str,
    texts: &'q [String],
    ints: &[i64],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let q = texts.iter().fold(sqlx::query(sql), |q, t| q.bind(t));
    ints.iter().fold(q, |q, i| q.bind(*i))
}

/// The risks matching `filter`, in its order (key order by default).
pub async fn list(conn: &mut Conn, filter: &Filter) -> Result<Vec<Risk>> {
    let (where_, texts, mut ints) = conditions(filter);
    let limit = match filter.page {
        Some((limit, offset)) => {
            ints.push(limit);
            ints.push(offset);
            let n = texts.len() + ints.len();
            format!(" LIMIT ${} OFFSET ${n}", n - 1)
        }
        None => String::new(),
    };
    let order = filter.order.unwrap_or(Order::asc(Sort::Key));
    let (expr, nullable) = order.by.expr();
    let order = order_by(&expr, nullable, order.descending, None);
    let sql = format!("SELECT {COLUMNS} FROM risks {where_} {order}{limit}");
    let rows = bound(&sql, &texts, &ints).fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// How many risks match `filter` (its page and order aside).
pub async fn count_matching(conn: &mut Conn, filter: &Filter) -> Result<i64> {
    let (where_, texts, ints) = conditions(filter);
    let sql = format!("SELECT COUNT(*) AS c FROM risks {where_}");
    let row = bound(&sql, &texts, &ints).fetch_one(conn).await.db()?;
    int(&row, "c")
}

/// `level IN (...)` of `levels` (vocabulary words, never input), or a condition that is never
/// true without levels.
fn level_in(column: &str, levels: &[RiskLevel]) -> String {
    if levels.is_empty() {
        return "1 = 0".into();
    }
    let words: Vec<String> = levels.iter().map(|l| format!("'{}'", l.as_str())).collect();
    format!("{column} IN ({})", words.join(", "))
}

/// The `limit` open risks ranked highest: by current level, then by likelihood times impact of
/// the estimate that level comes from, then in key order.
pub async fn top(conn: &mut Conn, limit: i64) -> Result<Vec<Risk>> {
    let level = rank("current_level", &RiskLevel::words());
    let sql = format!(
        "SELECT {COLUMNS} FROM risks WHERE status <> 'closed' AND current_level IS NOT NULL \
         ORDER BY {level} DESC, CASE WHEN residual_likelihood IS NOT NULL \
         THEN residual_likelihood * residual_impact ELSE inherent_likelihood * inherent_impact END DESC, \
         n ASC LIMIT $1"
    );
    let rows = sqlx::query(&sql).bind(limit).fetch_all(conn).await.db()?;
    rows.iter().map(from_row).collect()
}

/// Open risks without a treatment whose inherent level is one of `levels`: the first `limit`
/// in key order, and how many there are.
pub async fn untreated(
    conn: &mut Conn,
    levels: &[RiskLevel],
    limit: i64,
) -> Result<(Vec<Risk>, i64)> {
    let condition = format!(
        "status <> 'closed' AND treatment_option IS NULL AND {}",
        level_in("inherent_level", levels)
    );
    first_and_count(conn, &condition, None, limit).await
}

/// Open risks whose next review is before `day`: the first `limit` in key order, and how many.
pub async fn review_before(conn: &mut Conn, day: &str, limit: i64) -> Result<(Vec<Risk>, i64)> {
    let condition = "status <> 'closed' AND next_review < $1";
    first_and_count(conn, condition, Some(day), limit).await
}

async fn first_and_count(
    conn: &mut Conn,
    condition: &str,
    value: Option<&str>,
    limit: i64,
) -> Result<(Vec<Risk>, i64)> {
    let count_sql = format!("SELECT COUNT(*) AS c FROM risks WHERE {condition}");
    let mut count = sqlx::query(&count_sql);
    if let Some(v) = value {
        count = count.bind(v);
    }
    let total = int(&count.fetch_one(&mut *conn).await.db()?, "c")?;
    let at = if value.is_some() { 2 } else { 1 };
    let sql = format!("SELECT {COLUMNS} FROM risks WHERE {condition} ORDER BY n LIMIT ${at}");
    let mut q = sqlx::query(&sql);
    if let Some(v) = value {
        q = q.bind(v);
    }
    let rows = q.bind(limit).fetch_all(conn).await.db()?;
    Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
}

/// Open risks counted per owner and per AI system (`organisation` for risks of no system, with
/// a count of 0 when there are none): `(name, open, how many of them stand at a level in
/// `above`)`.
pub async fn tallies(conn: &mut Conn, above: &[RiskLevel]) -> Result<Tallies> {
    let above = format!(
        "COALESCE(SUM(CASE WHEN {} THEN 1 ELSE 0 END), 0)",
        level_in("current_level", above)
    );
    let read = |rows: Vec<AnyRow>| -> Result<Vec<(String, i64, i64)>> {
        rows.iter()
            .map(|r| Ok((text(r, "name")?, int(r, "open")?, int(r, "above")?)))
            .collect()
    };
    let owners = sqlx::query(&format!(
        "SELECT owner AS name, COUNT(*) AS open, {above} AS above FROM risks \
         WHERE status <> 'closed' GROUP BY owner"
    ))
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let systems = sqlx::query(&format!(
        "SELECT s.system_key AS name, COUNT(*) AS open, {above} AS above \
         FROM risks JOIN risk_systems s ON s.risk_key = risks.key \
         WHERE status <> 'closed' GROUP BY s.system_key \
         UNION ALL \
         SELECT 'organisation' AS name, COUNT(*) AS open, {above} AS above FROM risks \
         WHERE status <> 'closed' AND key NOT IN (SELECT risk_key FROM risk_systems)"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    Ok(Tallies {
        owners: read(owners)?,
        systems: read(systems)?,
    })
}

/// Open risks counted per owner and per AI system: `(name, open, above the appetite)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tallies {
    pub owners: Vec<(String, i64, i64)>,
    pub systems: Vec<(String, i64, i64)>,
}

/// Counts of open risks per cell of one basis: `(likelihood, impact, count)`.
pub async fn cells(conn: &mut Conn, basis: Basis) -> Result<Vec<(i64, i64, i64)>> {
    let p = basis.prefix();
    let rows = sqlx::query(&format!(
        "SELECT {p}_likelihood AS l, {p}_impact AS i, COUNT(*) AS c FROM risks \
         WHERE status <> 'closed' AND {p}_likelihood IS NOT NULL AND {p}_impact IS NOT NULL \
         GROUP BY {p}_likelihood, {p}_impact"
    ))
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((int(r, "l")?, int(r, "i")?, int(r, "c")?)))
        .collect()
}

/// The score of one risk under one method version, as kept in the history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ScoreRecord {
    pub methodology_version: i64,
    pub inherent: Option<Score>,
    pub inherent_range: Option<LevelRange>,
    pub residual: Option<Score>,
    pub recorded_at: String,
}

/// Keeps the risk's current scores as the score under its method version.
pub async fn put_score(conn: &mut Conn, r: &Risk, at: &str) -> Result<()> {
    let s = &r.scores;
    sqlx::query("DELETE FROM risk_scores WHERE risk_key = $1 AND methodology_version = $2")
        .bind(&r.key)
        .bind(s.methodology_version)
        .execute(&mut *conn)
        .await
        .db()?;
    let lv = |l: Option<RiskLevel>| l.map(|l| l.as_str().to_owned());
    sqlx::query(
        "INSERT INTO risk_scores (risk_key, methodology_version, inherent_likelihood, inherent_impact, \
         inherent_level, inherent_low, inherent_high, residual_likelihood, residual_impact, residual_level, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&r.key)
    .bind(s.methodology_version)
    .bind(s.inherent.map(|x| x.likelihood))
    .bind(s.inherent.map(|x| x.impact))
    .bind(lv(s.inherent.map(|x| x.level)))
    .bind(lv(s.inherent_range.map(|x| x.low)))
    .bind(lv(s.inherent_range.map(|x| x.high)))
    .bind(s.residual.map(|x| x.likelihood))
    .bind(s.residual.map(|x| x.impact))
    .bind(lv(s.residual.map(|x| x.level)))
    .bind(at)
    .execute(conn)
    .await
    .db()?;
    Ok(())
}

/// Every risk's score history, by risk key and method version.
pub async fn all_scores(conn: &mut Conn) -> Result<Vec<(String, ScoreRecord)>> {
    let rows = sqlx::query(
        "SELECT risk_key, methodology_version, inherent_likelihood, inherent_impact, inherent_level, \
         inherent_low, inherent_high, residual_likelihood, residual_impact, residual_level, recorded_at \
         FROM risk_scores ORDER BY risk_key, methodology_version",
    )
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter()
        .map(|r| Ok((text(r, "risk_key")?, score_record(r)?)))
        .collect()
}

/// The score history of a risk, oldest method version first.
pub async fn scores(conn: &mut Conn, key: &str) -> Result<Vec<ScoreRecord>> {
    let rows = sqlx::query(
        "SELECT methodology_version, inherent_likelihood, inherent_impact, inherent_level, inherent_low, \
         inherent_high, residual_likelihood, residual_impact, residual_level, recorded_at \
         FROM risk_scores WHERE risk_key = $1 ORDER BY methodology_version",
    )
    .bind(key)
    .fetch_all(conn)
    .await
    .db()?;
    rows.iter().map(score_record).collect()
}

/// One `risk_scores` row as a score record.
fn score_record(r: &AnyRow) -> Result<ScoreRecord> {
    let v = int(r, "methodology_version")?;
    let s = scores_from_row(r, v)?;
    Ok(ScoreRecord {
        methodology_version: v,
        inherent: s.inherent,
        inherent_range: s.inherent_range,
        residual: s.residual,
        recorded_at: text(r, "recorded_at")?,
    })
}

/// The AI systems each risk is linked to in the `risk_systems` index table, which the register's
/// system filter reads, so that a verification can compare it with each risk's recorded state.
pub async fn system_links(
    conn: &mut Conn,
) -> Result<std::collections::BTreeMap<String, std::collections::BTreeSet<String>>> {
    let rows = sqlx::query("SELECT risk_key, system_key FROM risk_systems")
        .fetch_all(conn)
        .await
        .db()?;
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for r in &rows {
        out.entry(text(r, "risk_key")?)
            .or_default()
            .insert(text(r, "system_key")?);
    }
    Ok(out)
}

/// How many risks the register holds (closed ones included).
pub async fn count(conn: &mut Conn) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS c FROM risks")
        .fetch_one(conn)
        .await
        .db()?;
    int(&row, "c")
}
