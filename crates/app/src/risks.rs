//! The risk register (`RSK-n`, ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): add, describe, assess,
//! treat, accept and review risks; each write scores the risk with the method in force, keeps
//! its score in the history and appends its ledger event in the same transaction.

use std::collections::BTreeSet;

use aims_catalog::{Catalog, Kind as ItemKind};
use aims_core::keys::{normalise, Kind};
use aims_core::risk::methodology::{Methodology, RiskLevel};
use aims_core::risk::register::{
    check_acceptance, AcceptInput, Acceptance, AssessInput, Review, ReviewInput, Risk,
    RiskCategory, RiskFields, RiskInput, RiskStatus, Scores, TreatInput,
};
use aims_core::{Action, ValidationErrors};
use aims_store::listing::{Order, Page};
use aims_store::risks::{self as store, Basis, Filter, ScoreRecord, Sort};
use aims_store::{Conn, WriteTx};
use chrono::Utc;
use serde::Serialize;

use crate::listing::{self, blank, Listed, MAX_PAGE};
use crate::methodology::current_or_default;
use crate::record::{now, record};
use crate::sheet::{self, Cell};
use crate::{Actor, App, AppError, Result};

/// The framework whose Annex C names risk sources and objectives.
const FRAMEWORK: &str = "ISO42001";

/// A list request as it arrives from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RiskQuery {
    /// identified, assessed, treatment_planned, treated, accepted or closed.
    pub status: Option<String>,
    /// The owner's username.
    pub owner: Option<String>,
    /// An AI system key, or `organisation` for risks of the whole organisation.
    pub system: Option<String>,
    /// technical, ethical, legal or operational.
    pub category: Option<String>,
    /// The current level: low, medium, high or critical.
    pub level: Option<String>,
    /// A heat map cell `L-I` (likelihood, combined impact); open risks only.
    pub cell: Option<String>,
    /// inherent (default) or residual: which estimate `cell` refers to.
    pub basis: Option<String>,
    /// `true`: only open risks whose review is overdue.
    pub overdue: Option<String>,
    /// 1-based page; with `per_page`.
    pub page: Option<i64>,
    /// Risks per page (1 to 500); every matching risk when absent.
    pub per_page: Option<i64>,
    /// key (default), title, category, owner, status, level (current), inherent, residual or
    /// review; `-` in front for descending.
    pub sort: Option<String>,
}

/// The register's sort words.
const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("title", Sort::Title),
    ("category", Sort::Category),
    ("owner", Sort::Owner),
    ("status", Sort::Status),
    ("level", Sort::Level),
    ("inherent", Sort::Inherent),
    ("residual", Sort::Residual),
    ("review", Sort::Review),
];

/// Parses `inherent` / `residual`.
pub fn parse_basis(field: &str, word: &str) -> std::result::Result<Basis, aims_core::FieldError> {
    match word.trim() {
        "inherent" => Ok(Basis::Inherent),
        "residual" => Ok(Basis::Residual),
        other => Err(aims_core::FieldError::new(
            field,
            format!("unknown value '{other}'; expected one of: inherent, residual"),
        )),
    }
}

impl RiskQuery {
    pub(crate) fn parse(&self) -> Result<Filter> {
        let mut e = ValidationErrors::default();
        let status = blank(&self.status).and_then(|w| e.take(RiskStatus::parse("status", &w)));
        let category =
            blank(&self.category).and_then(|w| e.take(RiskCategory::parse("category", &w)));
        let level = blank(&self.level).and_then(|w| e.take(RiskLevel::parse("level", &w)));
        let basis = blank(&self.basis)
            .and_then(|w| e.take(parse_basis("basis", &w)))
            .unwrap_or(Basis::Inherent);
        let cell = blank(&self.cell).and_then(|c| {
            let parsed = c.split_once('-').and_then(|(l, i)| {
                Some((l.trim().parse::<i64>().ok()?, i.trim().parse::<i64>().ok()?))
            });
            match parsed {
                Some((l, i)) => Some((basis, l, i)),
                None => {
                    e.push(
                        "cell",
                        format!("'{c}' is not a cell (expected LIKELIHOOD-IMPACT, e.g. 3-4)"),
                    );
                    None
                }
            }
        });
        let overdue = match blank(&self.overdue).as_deref() {
            None | Some("false") | Some("0") | Some("no") => false,
            Some("true") | Some("1") | Some("yes") => true,
            Some(other) => {
                e.push(
                    "overdue",
                    format!("unknown value '{other}'; expected true or false"),
                );
                false
            }
        };
        let page = match self.per_page {
            None => None,
            Some(per_page) => {
                if !(1..=MAX_PAGE).contains(&per_page) {
                    e.push("per_page", format!("must be between 1 and {MAX_PAGE}"));
                }
                let page = self.page.unwrap_or(1);
                if page < 1 {
                    e.push("page", "must be 1 or more");
                }
                Some((per_page, (page.max(1) - 1).saturating_mul(per_page)))
            }
        };
        let order = crate::listing::sort(&mut e, &self.sort, SORTS, Order::asc(Sort::Key));
        let system = blank(&self.system);
        let organisation = system
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("organisation"));
        e.into_result(|| Filter {
            status,
            owner: blank(&self.owner),
            system: system.filter(|_| !organisation).map(|s| normalise(&s)),
            organisation,
            category,
            level,
            cell,
            review_before: overdue.then(|| today().to_string()),
            open: false,
            page,
            order: Some(order),
        })
        .map_err(Into::into)
    }
}

/// Today's date (UTC).
pub fn today() -> chrono::NaiveDate {
    Utc::now().date_naive()
}

/// A risk with its score under every method version it was scored with.
#[derive(Debug, Clone, Serialize)]
pub struct RiskDetail {
    #[serde(flatten)]
    pub risk: Risk,
    pub score_history: Vec<ScoreRecord>,
    /// The likelihood the last year's incidents on the risk's systems suggest, beside the
    /// estimate; never applied by itself.
    pub incident_likelihood: Option<aims_core::risk::history::Suggestion>,
}

/// What the incidents detected in the last year on the risk's systems (any incident for an
/// organisation-wide risk) suggest for its likelihood, under the method in force.
async fn incident_likelihood(
    conn: &mut Conn,
    risk: &Risk,
) -> Result<Option<aims_core::risk::history::Suggestion>> {
    use aims_core::risk::history::{suggest, WINDOW_DAYS};
    let systems: Vec<String> = risk.fields.systems.iter().cloned().collect();
    let since = chrono::Utc::now() - chrono::Duration::days(WINDOW_DAYS);
    let keys: Vec<String> = aims_store::incidents::affecting(conn, &systems)
        .await?
        .into_iter()
        .filter(|i| aims_core::time::parse(&i.detected_at).is_some_and(|at| at >= since))
        .map(|i| i.key)
        .collect();
    let m = crate::methodology::current(conn).await?;
    let estimate = risk.inherent.as_ref().map(|i| i.estimate.likelihood);
    Ok(suggest(&m.doc.likelihood, keys, WINDOW_DAYS, estimate))
}

/// Checks Annex C IDs of `kind` (`C.3.x` risk sources, `C.2.x` objectives), naming `field[i]`,
/// and returns them spelled as the catalog spells them.
fn check_annex_c(
    e: &mut ValidationErrors,
    field: &str,
    ids: &BTreeSet<String>,
    kind: ItemKind,
) -> BTreeSet<String> {
    let fw = Catalog::framework(FRAMEWORK);
    let mut out = BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        match fw.and_then(|f| f.item(id)).filter(|item| item.kind == kind) {
            Some(item) => {
                out.insert(item.id.clone());
            }
            None => {
                let what = match kind {
                    ItemKind::RiskSource => "an Annex C risk source (C.3.x)",
                    _ => "an Annex C objective (C.2.x)",
                };
                e.push(format!("{field}[{i}]"), format!("'{id}' is not {what}"));
            }
        }
    }
    out
}

/// The Annex C items of `kind`: `(id, title)`, in catalog order.
fn annex_c(kind: ItemKind) -> Vec<(String, String)> {
    Catalog::framework(FRAMEWORK)
        .map(|f| {
            f.items
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| (i.id.clone(), i.title.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The Annex C risk sources (`C.3.x`): `(id, title)`.
pub fn annex_c_sources() -> Vec<(String, String)> {
    annex_c(ItemKind::RiskSource)
}

/// The Annex C objectives (`C.2.x`): `(id, title)`.
pub fn annex_c_objectives() -> Vec<(String, String)> {
    annex_c(ItemKind::AnnexCObjective)
}

/// Checks what a risk's descriptive fields refer to: owner, AI systems, Annex C IDs.
async fn check_refs(
    conn: &mut Conn,
    mut f: RiskFields,
    old: Option<&RiskFields>,
) -> Result<RiskFields> {
    let mut e = ValidationErrors::default();
    if old.is_none_or(|o| o.owner != f.owner) {
        match App::existing_user(conn, "owner", &f.owner).await {
            // An owner must be able to assess, treat and review the risk.
            Ok(u) if !u.role.permits(Action::WriteRisks) => e.push(
                "owner",
                format!(
                    "'{}' is a {} and may not {}",
                    f.owner,
                    u.role.label().to_lowercase(),
                    Action::WriteRisks.describe()
                ),
            ),
            Ok(_) => {}
            Err(err) => e.0.extend(err.fields()),
        }
    }
    for (i, s) in f.systems.iter().enumerate() {
        if aims_store::systems::get(conn, s).await?.is_none() {
            e.push(format!("systems[{i}]"), format!("no AI system '{s}'"));
        }
    }
    f.risk_sources = check_annex_c(
        &mut e,
        "risk_sources",
        &f.risk_sources,
        ItemKind::RiskSource,
    );
    f.objectives = check_annex_c(
        &mut e,
        "objectives",
        &f.objectives,
        ItemKind::AnnexCObjective,
    );
    e.into_result(|| f).map_err(Into::into)
}

/// Checks that every control exists, naming `controls[i]`.
async fn check_controls(conn: &mut Conn, keys: &BTreeSet<String>) -> Result<()> {
    let mut e = ValidationErrors::default();
    for (i, k) in keys.iter().enumerate() {
        if aims_store::controls::get(conn, k).await?.is_none() {
            e.push(format!("controls[{i}]"), format!("no control '{k}'"));
        }
    }
    e.into_result(|| ()).map_err(Into::into)
}

async fn load(tx: &mut WriteTx, key: &str) -> Result<Risk> {
    store::get(tx.conn(), key)
        .await?
        .ok_or_else(|| AppError::not_found(format!("risk {key}")))
}

/// The risk `key` for a change that a closed risk no longer takes.
async fn load_open(tx: &mut WriteTx, key: &str) -> Result<Risk> {
    let risk = load(tx, key).await?;
    if risk.is_closed() {
        return Err(AppError::conflict("status", format!("{key} is closed")));
    }
    Ok(risk)
}

/// Scores `risk` with `m`, stores it and its score, and records `action`.
async fn save(
    tx: &mut WriteTx,
    actor: &Actor,
    m: &Methodology,
    mut risk: Risk,
    action: &str,
    new: Option<i64>,
) -> Result<Risk> {
    risk.apply_method(None, &m.doc, m.version);
    let at = now();
    risk.updated_at = at.clone();
    match new {
        Some(n) => store::insert(tx.conn(), n, &risk).await?,
        None => store::update(tx.conn(), &risk).await?,
    }
    store::put_score(tx.conn(), &risk, &at).await?;
    record(tx, actor, Kind::Risk, &risk.key, action, &risk).await?;
    Ok(risk)
}

/// Adds one risk inside `tx` (the body of `risk_add`).
async fn add_in(tx: &mut WriteTx, actor: &Actor, input: &RiskInput) -> Result<Risk> {
    let fields = input.validate(None)?;
    let fields = check_refs(tx.conn(), fields, None).await?;
    let m = current_or_default(tx, actor).await?;
    let inherent = match input.assessment() {
        Some(a) => Some(a.validate(&m.doc, None)?),
        None => None,
    };
    let n = aims_store::counters::next(tx.conn(), Kind::Risk).await?;
    let at = now();
    let risk = Risk {
        key: Kind::Risk.key(n),
        fields,
        inherent,
        treatment: None,
        residual: None,
        residual_reason: None,
        scores: Scores {
            methodology_version: m.version,
            inherent: None,
            inherent_range: None,
            residual: None,
        },
        status: RiskStatus::Identified,
        acceptances: Vec::new(),
        reviews: Vec::new(),
        next_review: None,
        created_at: at.clone(),
        updated_at: at,
    };
    save(tx, actor, &m, risk, "create", Some(n)).await
}

impl App {
    /// Adds a risk, with its first inherent estimate when one is given.
    pub async fn risk_add(&self, actor: &Actor, input: &RiskInput) -> Result<Risk> {
        actor.require(Action::WriteRisks)?;
        let mut tx = self.db.begin_write().await?;
        let risk = add_in(&mut tx, actor, input).await?;
        tx.commit().await?;
        Ok(risk)
    }

    /// Adds several risks in one transaction, each checked and recorded as `risk_add` does:
    /// all of them or, at the first refusal, none (the error names the failing item).
    pub async fn risk_add_batch(&self, actor: &Actor, inputs: &[RiskInput]) -> Result<Vec<Risk>> {
        actor.require(Action::WriteRisks)?;
        let mut tx = self.db.begin_write().await?;
        let mut out = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let risk = add_in(&mut tx, actor, input)
                .await
                .map_err(|e| e.in_item(i))?;
            out.push(risk);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Changes the descriptive fields given (and the inherent estimate, when given).
    pub async fn risk_update(&self, actor: &Actor, key: &str, input: &RiskInput) -> Result<Risk> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = load_open(&mut tx, &key).await?;
        let fields = input.validate(Some(&current.fields))?;
        let fields = check_refs(tx.conn(), fields, Some(&current.fields)).await?;
        let m = current_or_default(&mut tx, actor).await?;
        let inherent = match input.assessment() {
            Some(a) => Some(a.validate(&m.doc, current.inherent.as_ref())?),
            None => current.inherent.clone(),
        };
        if fields == current.fields && inherent == current.inherent {
            return Ok(current);
        }
        let risk = Risk {
            fields,
            inherent,
            ..current
        };
        let risk = save(&mut tx, actor, &m, risk, "update", None).await?;
        tx.commit().await?;
        Ok(risk)
    }

    /// Records the inherent estimate (likelihood with its basis and confidence, impact per
    /// dimension); the level follows from the method.
    pub async fn risk_assess(&self, actor: &Actor, key: &str, input: &AssessInput) -> Result<Risk> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = load_open(&mut tx, &key).await?;
        let m = current_or_default(&mut tx, actor).await?;
        let inherent = input.validate(&m.doc, current.inherent.as_ref())?;
        if current.inherent.as_ref() == Some(&inherent) {
            return Ok(current);
        }
        let risk = Risk {
            inherent: Some(inherent),
            ..current
        };
        let risk = save(&mut tx, actor, &m, risk, "assess", None).await?;
        tx.commit().await?;
        Ok(risk)
    }

    /// Records the treatment (option, plan, controls, due date) and the residual estimate.
    pub async fn risk_treat(&self, actor: &Actor, key: &str, input: &TreatInput) -> Result<Risk> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = load_open(&mut tx, &key).await?;
        let m = current_or_default(&mut tx, actor).await?;
        let (treatment, residual, reason) = input.validate(&m.doc, &current)?;
        check_controls(tx.conn(), &treatment.controls).await?;
        if current.treatment.as_ref() == Some(&treatment)
            && current.residual == residual
            && current.residual_reason == reason
        {
            return Ok(current);
        }
        let risk = Risk {
            treatment: Some(treatment),
            residual,
            residual_reason: reason,
            ..current
        };
        let risk = save(&mut tx, actor, &m, risk, "treat", None).await?;
        tx.commit().await?;
        Ok(risk)
    }

    /// Accepts the risk at its current level: only a role the method entitles to that level,
    /// and above the appetite only once treated.
    pub async fn risk_accept(&self, actor: &Actor, key: &str, input: &AcceptInput) -> Result<Risk> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let reason = aims_core::text::required_long("reason", input.reason.as_deref())?;
        let mut tx = self.db.begin_write().await?;
        let mut risk = load(&mut tx, &key).await?;
        let m = current_or_default(&mut tx, actor).await?;
        let level = check_acceptance(&m.doc, m.version, &risk, actor.role)?;
        risk.acceptances.push(Acceptance {
            by: actor.username.clone(),
            role: actor.role,
            level,
            methodology_version: m.version,
            reason,
            at: now(),
        });
        let risk = save(&mut tx, actor, &m, risk, "accept", None).await?;
        tx.commit().await?;
        Ok(risk)
    }

    /// Records a review (today unless a past day is given); the next review follows from the
    /// level's frequency. A review may close the risk.
    pub async fn risk_review(&self, actor: &Actor, key: &str, input: &ReviewInput) -> Result<Risk> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let (on, notes) = input.validate(today())?;
        let mut tx = self.db.begin_write().await?;
        let mut risk = load(&mut tx, &key).await?;
        if risk.is_closed() {
            return Err(AppError::conflict("status", format!("{key} is closed")));
        }
        // A review may be recorded after the fact, but not before the latest one: the next
        // review follows from the newest.
        let day = on.to_string();
        if let Some(latest) = risk
            .reviews
            .iter()
            .map(|r| &r.on)
            .max()
            .filter(|l| day < **l)
        {
            return Err(AppError::invalid(
                "date",
                format!("is before the latest review of {key} ({latest})"),
            ));
        }
        let m = current_or_default(&mut tx, actor).await?;
        risk.reviews.push(Review {
            by: actor.username.clone(),
            on: on.to_string(),
            notes,
            closed: input.close.unwrap_or(false),
        });
        let risk = save(&mut tx, actor, &m, risk, "review", None).await?;
        tx.commit().await?;
        Ok(risk)
    }

    pub async fn risk_get(&self, actor: &Actor, key: &str) -> Result<RiskDetail> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        let mut conn = self.read().await?;
        let risk = store::get(&mut conn, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("risk {key}")))?;
        let score_history = store::scores(&mut conn, &key).await?;
        let incident_likelihood = incident_likelihood(&mut conn, &risk).await?;
        Ok(RiskDetail {
            risk,
            score_history,
            incident_likelihood,
        })
    }

    /// The risks matching the query, in its order (key order by default).
    pub async fn risk_list(&self, actor: &Actor, query: &RiskQuery) -> Result<Vec<Risk>> {
        actor.require(Action::Read)?;
        self.risks_matching(&query.parse()?).await
    }

    /// The risks of a checked filter; a heat map cell outside the current method is named.
    async fn risks_matching(&self, filter: &Filter) -> Result<Vec<Risk>> {
        let mut conn = self.read().await?;
        if let Some((_, l, i)) = filter.cell {
            let m = crate::methodology::current(&mut conn).await?;
            let (nl, ni) = (
                m.doc.likelihood_levels() as i64,
                m.doc.impact_levels() as i64,
            );
            if !(1..=nl).contains(&l) || !(1..=ni).contains(&i) {
                return Err(AppError::invalid(
                    "cell",
                    format!(
                        "'{l}-{i}' is outside MTH-{}: likelihood 1 to {nl}, impact 1 to {ni}",
                        m.version
                    ),
                ));
            }
        }
        Ok(store::list(&mut conn, filter).await?)
    }

    /// One page of the register (every match without `per_page`) and how many risks match.
    /// The count is kept until the next write, so paging through the register counts once.
    pub async fn risk_page(&self, actor: &Actor, query: &RiskQuery) -> Result<Listed<Risk>> {
        actor.require(Action::Read)?;
        let mut filter = query.parse()?;
        let items = self.risks_matching(&filter).await?;
        let page = filter.page.take().map(|(per_page, offset)| Page {
            page: offset / per_page + 1,
            per_page,
        });
        filter.order = None;
        let shown = i64::try_from(items.len()).unwrap_or(i64::MAX);
        let total = if page.is_none() {
            shown
        } else {
            let stamp = self.stamp().await?;
            let key = format!("{filter:?}");
            let counted = self
                .views
                .risk_counts
                .get_or(key, stamp, || async {
                    Ok::<_, AppError>(
                        store::count_matching(&mut *self.read().await?, &filter).await?,
                    )
                })
                .await?;
            *counted
        };
        Ok(listing::listed(items, total, page))
    }

    /// The risk treatment plan as CSV or XLSX bytes.
    pub async fn risk_export(&self, actor: &Actor, format: PlanFormat) -> Result<Vec<u8>> {
        let risks = self.risk_list(actor, &RiskQuery::default()).await?;
        match format {
            PlanFormat::Csv => plan_csv(&risks).map(String::into_bytes),
            PlanFormat::Xlsx => plan_xlsx(&risks),
        }
    }
}

/// Export formats of the risk treatment plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    Csv,
    Xlsx,
}

impl PlanFormat {
    pub fn parse(word: &str) -> Result<PlanFormat> {
        match word.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(PlanFormat::Csv),
            "xlsx" => Ok(PlanFormat::Xlsx),
            other => Err(AppError::invalid(
                "format",
                format!("unknown value '{other}'; expected one of: csv, xlsx"),
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            PlanFormat::Csv => "text/csv; charset=utf-8",
            PlanFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn file_name(self) -> &'static str {
        match self {
            PlanFormat::Csv => "risk-treatment-plan.csv",
            PlanFormat::Xlsx => "risk-treatment-plan.xlsx",
        }
    }
}

/// The columns of the risk treatment plan.
pub const PLAN_HEADER: [&str; 14] = [
    "key",
    "title",
    "scope",
    "owner",
    "category",
    "inherent_level",
    "treatment",
    "plan",
    "controls",
    "due_date",
    "residual_level",
    "status",
    "accepted_by",
    "next_review",
];

fn level_word(l: Option<RiskLevel>) -> &'static str {
    l.map_or("", RiskLevel::as_str)
}

/// One risk's plan cells, in [`PLAN_HEADER`] order.
fn plan_cells(r: &Risk) -> Vec<Cell> {
    let scope = if r.fields.systems.is_empty() {
        "organisation".to_owned()
    } else {
        r.fields
            .systems
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let t = r.treatment.as_ref();
    vec![
        r.key.as_str().into(),
        r.fields.title.as_str().into(),
        scope.into(),
        r.fields.owner.as_str().into(),
        r.fields.category.as_str().into(),
        level_word(r.inherent_level()).into(),
        t.map_or("", |t| t.option.as_str()).into(),
        t.and_then(|t| t.plan.as_deref()).unwrap_or("").into(),
        t.map(|t| t.controls.iter().cloned().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
            .into(),
        t.and_then(|t| t.due_date.as_deref()).unwrap_or("").into(),
        level_word(r.residual_level()).into(),
        r.status.as_str().into(),
        r.acceptance_in_force()
            .map(|a| format!("{} ({})", a.by, a.level))
            .unwrap_or_default()
            .into(),
        r.next_review.as_deref().unwrap_or("").into(),
    ]
}

/// The plan as CSV.
pub fn plan_csv(risks: &[Risk]) -> Result<String> {
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(PLAN_HEADER).map_err(internal)?;
    for r in risks {
        let row = plan_cells(r).into_iter().map(|c| match c {
            Cell::Text(s) => s,
            Cell::Number(n) => n.to_string(),
        });
        w.write_record(row).map_err(internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}

/// The plan as an XLSX workbook with one sheet named `Risk treatment plan`.
pub fn plan_xlsx(risks: &[Risk]) -> Result<Vec<u8>> {
    let rows: Vec<Vec<Cell>> = risks.iter().map(plan_cells).collect();
    sheet::xlsx("Risk treatment plan", &PLAN_HEADER, &rows)
}

/// One demo risk: what it is, and how far its treatment has come.
struct DemoRisk {
    title: &'static str,
    systems: &'static [&'static str],
    cause: &'static str,
    event: &'static str,
    consequence: &'static str,
    category: &'static str,
    sub_category: &'static str,
    sources: &'static [&'static str],
    objectives: &'static [&'static str],
    owner: &'static str,
    /// Likelihood, impacts (individuals, organisation, society), basis, confidence.
    inherent: Option<(i64, [i64; 3], &'static str, &'static str)>,
    /// Option, plan, controls (by name), due date.
    treatment: Option<(
        &'static str,
        &'static str,
        &'static [&'static str],
        &'static str,
    )>,
    /// Likelihood and impacts after treatment.
    residual: Option<(i64, [i64; 3])>,
    /// Accepted by (username, reason).
    accepted: Option<(&'static str, &'static str)>,
    /// A past review day (makes the next review overdue when long ago), or closes the risk.
    review: Option<(&'static str, bool)>,
}

const DEMO_RISKS: &[DemoRisk] = &[
    DemoRisk {
        title: "Proxy discrimination in credit decisions",
        systems: &["Consumer credit scoring"],
        cause: "Postcode and spending features correlate with protected characteristics.",
        event: "Applicants from some groups are declined more often at equal repayment ability.",
        consequence: "Unfair refusals, complaints to the regulator and fines.",
        category: "ethical",
        sub_category: "Fairness",
        sources: &["C.3.4", "C.3.2"],
        objectives: &["C.2.5", "C.2.11"],
        owner: "rosa",
        inherent: Some((4, [4, 4, 3], "known_vulnerabilities", "medium")),
        treatment: Some(("mitigate", "Remove proxy features, add a quarterly fairness test and a human review of declines near the cut-off.", &["Model validation before release", "Production monitoring and event logs"], "2026-09-30")),
        residual: Some((2, [3, 3, 2])),
        accepted: Some(("grace", "Residual disparity within the agreed threshold; monitored monthly.")),
        review: None,
    },
    DemoRisk {
        title: "CV screening assistant filters out career breaks",
        systems: &["CV screening assistant"],
        cause: "Training data labelled by past hiring decisions.",
        event: "Candidates with career breaks are ranked below the shortlist line.",
        consequence: "Indirect sex discrimination and loss of good candidates.",
        category: "legal",
        sub_category: "Employment law",
        sources: &["C.3.4"],
        objectives: &["C.2.5", "C.2.3"],
        owner: "rosa",
        inherent: Some((4, [5, 3, 3], "incident_history", "high")),
        treatment: Some(("mitigate", "Rebalance and relabel the training data; recruiters review every rejection suggested by the assistant.", &["Training data quality and lineage", "AI impact assessment procedure"], "2026-06-30")),
        residual: None,
        accepted: None,
        review: None,
    },
    DemoRisk {
        title: "Customer-service assistant gives wrong fee information",
        systems: &["Customer-service assistant"],
        cause: "The language model answers from general knowledge when retrieval finds nothing.",
        event: "Customers are told fees or terms that do not apply to them.",
        consequence: "Complaints, refunds and mis-selling findings.",
        category: "technical",
        sub_category: "Hallucination",
        sources: &["C.3.2", "C.3.7"],
        objectives: &["C.2.8", "C.2.11"],
        owner: "grace",
        inherent: Some((5, [3, 4, 2], "incident_history", "high")),
        treatment: Some(("mitigate", "Answer only from retrieved product documents, show the source, and hand over to a person when none is found.", &["Transparency notices for users", "Model validation before release"], "2026-05-31")),
        residual: Some((3, [2, 3, 2])),
        accepted: None,
        review: None,
    },
    DemoRisk {
        title: "Fraud model drifts after new payment methods",
        systems: &["Card fraud detection"],
        cause: "New wallet payments change the pattern of legitimate transactions.",
        event: "False declines rise and some fraud goes unflagged.",
        consequence: "Customer friction and fraud losses.",
        category: "technical",
        sub_category: "Data drift",
        sources: &["C.3.1", "C.3.6"],
        objectives: &["C.2.8", "C.2.6"],
        owner: "rosa",
        inherent: Some((4, [3, 4, 1], "expert_judgement", "low")),
        treatment: None,
        residual: None,
        accepted: None,
        review: Some(("2025-06-02", false)),
    },
    DemoRisk {
        title: "Triage model misses urgent findings on older scanners",
        systems: &["Medical image triage"],
        cause: "Images from older scanners were rare in the validation set.",
        event: "Urgent scans are placed low in the reading queue.",
        consequence: "Delayed diagnosis and harm to patients.",
        category: "technical",
        sub_category: "Safety",
        sources: &["C.3.5", "C.3.4"],
        objectives: &["C.2.9", "C.2.8"],
        owner: "grace",
        inherent: Some((3, [5, 4, 3], "known_vulnerabilities", "medium")),
        treatment: Some(("transfer", "The supplier validates on our scanner fleet under contract; radiologists keep reading every scan.", &["Supplier AI due diligence"], "2026-08-31")),
        residual: Some((2, [4, 3, 2])),
        accepted: Some(("grace", "Clinical reading of every scan remains; the supplier carries the validation.")),
        review: None,
    },
    DemoRisk {
        title: "Personal data in prompts reaches the code copilot supplier",
        systems: &["Code review copilot"],
        cause: "Developers paste production samples into review comments.",
        event: "Customer data leaves the organisation in prompts.",
        consequence: "A personal data breach to report.",
        category: "legal",
        sub_category: "Privacy",
        sources: &["C.3.6"],
        objectives: &["C.2.7", "C.2.10"],
        owner: "rosa",
        inherent: Some((3, [3, 3, 2], "expert_judgement", "medium")),
        treatment: Some(("avoid", "Block production data in the copilot with a pre-commit filter; the copilot only sees code.", &["Responsible AI policy"], "2026-04-30")),
        residual: Some((1, [3, 3, 1])),
        accepted: Some(("rosa", "Only synthetic data can reach the copilot now.")),
        review: None,
    },
    DemoRisk {
        title: "Unclear accountability for AI decisions across units",
        systems: &[],
        cause: "AI systems are bought by business units without a named owner.",
        event: "A harmful output is found and no one acts on it.",
        consequence: "Harm continues and the management system fails its audit.",
        category: "operational",
        sub_category: "Governance",
        sources: &["C.3.3"],
        objectives: &["C.2.1", "C.2.2"],
        owner: "grace",
        inherent: Some((3, [2, 3, 2], "expert_judgement", "medium")),
        treatment: Some(("mitigate", "Name an owner for every system in the inventory and publish the escalation route.", &["AI roles and escalation route"], "2026-03-31")),
        residual: None,
        accepted: None,
        review: None,
    },
    DemoRisk {
        title: "Collections prioritiser pressures vulnerable customers",
        systems: &["Loan collections prioritiser"],
        cause: "The model ranks by recovery amount only.",
        event: "Customers in financial difficulty are contacted most often.",
        consequence: "Harm to vulnerable customers and conduct findings.",
        category: "ethical",
        sub_category: "Vulnerable customers",
        sources: &["C.3.3"],
        objectives: &["C.2.5", "C.2.9"],
        owner: "rosa",
        inherent: None,
        treatment: None,
        residual: None,
        accepted: None,
        review: None,
    },
    DemoRisk {
        title: "Forecasting model energy use",
        systems: &["Branch demand forecasting"],
        cause: "Daily retraining of a large ensemble.",
        event: "Compute use grows beyond what the forecast needs.",
        consequence: "Avoidable emissions and cost.",
        category: "operational",
        sub_category: "Environment",
        sources: &["C.3.6"],
        objectives: &["C.2.4"],
        owner: "grace",
        inherent: Some((2, [1, 2, 2], "expert_judgement", "high")),
        treatment: Some(("accept", "", &[], "")),
        residual: None,
        accepted: Some(("rosa", "Low level; retraining moved to weekly at no cost.")),
        review: None,
    },
    DemoRisk {
        title: "Sandbox model used for customer letters",
        systems: &["Research sandbox LLM"],
        cause: "Staff found the sandbox convenient for drafting.",
        event: "Unreviewed generated text reaches customers.",
        consequence: "Misleading letters.",
        category: "operational",
        sub_category: "Shadow use",
        sources: &["C.3.3"],
        objectives: &["C.2.11"],
        owner: "grace",
        inherent: Some((2, [2, 2, 1], "incident_history", "medium")),
        treatment: Some(("avoid", "Sandbox access limited to the research team; outbound mail gateway blocks it.", &["Responsible AI policy"], "2026-02-28")),
        residual: Some((1, [2, 2, 1])),
        accepted: None,
        review: Some(("2026-03-02", true)),
    },
];

fn demo_user(username: &str, role: aims_core::Role) -> Actor {
    Actor {
        username: username.into(),
        role,
        via: crate::Via::System,
    }
}

/// Seeds the demo's method and risks across the demo systems, at every stage of treatment.
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    app.methodology_init(actor).await?;
    for d in DEMO_RISKS {
        let mut systems = Vec::new();
        for name in d.systems {
            let key = aims_store::systems::key_by_name(&mut *app.read().await?, name)
                .await?
                .ok_or_else(|| AppError::Internal(format!("demo system '{name}' is missing")))?;
            systems.push(key);
        }
        let strs = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let mut input = RiskInput {
            title: Some(d.title.into()),
            cause: Some(d.cause.into()),
            event: Some(d.event.into()),
            consequence: Some(d.consequence.into()),
            category: Some(d.category.into()),
            sub_category: Some(d.sub_category.into()),
            systems: Some(systems),
            risk_sources: Some(strs(d.sources)),
            objectives: Some(strs(d.objectives)),
            owner: Some(d.owner.into()),
            ..Default::default()
        };
        if let Some((l, [a, b, c], basis, confidence)) = d.inherent {
            input.likelihood = Some(l);
            input.impact_individuals_or_groups = Some(a);
            input.impact_organisation = Some(b);
            input.impact_society = Some(c);
            input.likelihood_basis = Some(basis.into());
            input.confidence = Some(confidence.into());
        }
        let risk = app.risk_add(actor, &input).await?;
        if let Some((option, plan, controls, due)) = d.treatment {
            let mut keys = Vec::new();
            for name in controls {
                let key = aims_store::controls::key_by_name(&mut *app.read().await?, name)
                    .await?
                    .ok_or_else(|| {
                        AppError::Internal(format!("demo control '{name}' is missing"))
                    })?;
                keys.push(key);
            }
            let mut t = TreatInput {
                option: Some(option.into()),
                plan: Some(plan.into()),
                controls: Some(keys),
                due_date: Some(due.into()),
                ..Default::default()
            };
            if let Some((l, [a, b, c])) = d.residual {
                t.residual_likelihood = Some(l);
                t.residual_impact_individuals_or_groups = Some(a);
                t.residual_impact_organisation = Some(b);
                t.residual_impact_society = Some(c);
            }
            app.risk_treat(actor, &risk.key, &t).await?;
        }
        if let Some((who, reason)) = d.accepted {
            let role = if who == "rosa" {
                aims_core::Role::RiskOwner
            } else {
                aims_core::Role::GovernanceLead
            };
            let input = AcceptInput {
                reason: Some(reason.into()),
            };
            app.risk_accept(&demo_user(who, role), &risk.key, &input)
                .await?;
        }
        if let Some((day, close)) = d.review {
            let input = ReviewInput {
                date: Some(day.into()),
                notes: Some(if close {
                    "Treatment complete; the risk no longer applies.".into()
                } else {
                    "Estimate kept; monitoring data still pending.".into()
                }),
                close: Some(close),
            };
            app.risk_review(actor, &risk.key, &input).await?;
        }
    }
    Ok(())
}
