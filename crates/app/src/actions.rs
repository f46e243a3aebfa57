//! Roadmap actions (`ACT-n`): who does what by when, at what effort, after which other actions,
//! to close which gap and meet which requirements.

use aims_catalog::Catalog;
use aims_core::action::{
    check_dependencies, gap_ref, sort_errors, title_for_gap, ActionFields, ActionInput,
    ActionStatus, Graph, RoadmapAction,
};
use aims_core::control::format_requirement;
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::{Action, Role, ValidationErrors};
use aims_store::actions::{self as store, Filter, Sort};
use aims_store::listing::{Order, Page};
use aims_store::Conn;
use chrono::NaiveDate;
use std::collections::BTreeSet;

use crate::listing::{self, blank, Listed};
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// Today, as calendar dates are compared (UTC).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

/// A list request as it arrives from the API, a page or the CLI.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// Text in the key, title or description (any case).
    pub q: Option<String>,
    /// planned, in_progress, done or cancelled.
    pub status: Option<String>,
    /// The owner's username.
    pub owner: Option<String>,
    /// true: only actions due before today that are neither done nor cancelled.
    pub overdue: Option<bool>,
    /// `key` (default), `title`, `owner`, `start`, `due`, `status` or `effort`; `-` in front for
    /// descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Actions per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("title", Sort::Title),
    ("owner", Sort::Owner),
    ("start", Sort::Start),
    ("due", Sort::Due),
    ("status", Sort::Status),
    ("effort", Sort::Effort),
];

impl ActionQuery {
    fn parse(&self, today: NaiveDate) -> Result<(Filter, Order<Sort>, Option<Page>)> {
        let mut e = ValidationErrors::default();
        let status = blank(&self.status).and_then(|w| e.take(ActionStatus::parse("status", &w)));
        let order = listing::sort(&mut e, &self.sort, SORTS, Order::asc(Sort::Key));
        let page = listing::page(&mut e, self.page, self.per_page);
        e.into_result(|| {
            let filter = Filter {
                status,
                owner: blank(&self.owner),
                overdue_on: self.overdue.filter(|o| *o).map(|_| today.to_string()),
                text: blank(&self.q),
            };
            (filter, order, page)
        })
        .map_err(Into::into)
    }
}

/// Checks requirement references against the built-in catalogs and the frameworks the
/// organisation imported (naming `requirements[i]`) and returns them as the catalog spells them.
fn check_requirements(
    e: &mut ValidationErrors,
    refs: &[(String, String)],
    imported: &[aims_catalog::Framework],
) -> Vec<String> {
    let mut out = Vec::new();
    for (field, r) in refs {
        let field = field.clone();
        let Some((fw, id)) = r.split_once(':') else {
            continue;
        };
        let found = Catalog::framework(fw)
            .or_else(|| imported.iter().find(|f| f.id.eq_ignore_ascii_case(fw)));
        match found {
            None => {
                let known: Vec<&str> = Catalog::builtin()
                    .iter()
                    .chain(imported)
                    .map(|f| f.id.as_str())
                    .collect();
                e.push(
                    field,
                    format!(
                        "unknown framework '{fw}'; expected one of: {}",
                        known.join(", ")
                    ),
                );
            }
            Some(f) => match f.item(id) {
                None => e.push(field, format!("{} has no item '{id}'", f.id)),
                Some(item) => {
                    let r = format_requirement(&f.id, &item.id);
                    if !out.contains(&r) {
                        out.push(r);
                    }
                }
            },
        }
    }
    out
}

/// The dependency graph of every recorded action.
async fn graph(conn: &mut Conn) -> Result<Graph> {
    Ok(store::all(conn)
        .await?
        .into_iter()
        .map(|a| (a.key, (a.fields.status, a.fields.depends_on)))
        .collect())
}

/// Reads `input` over `base` (none for a new action) and checks, in the same pass, what only
/// the database can say: the owner (when new or changed) is an active user, requirements are in
/// a catalog, the gap is in the current gap analysis (`known_gaps`, given when the reference is
/// new or changed), dependencies exist and make no cycle, and the done rules. Every problem is
/// reported at once, in the order of the form's fields. Returns the fields as stored.
async fn checked(
    conn: &mut Conn,
    key: &str,
    input: &ActionInput,
    base: Option<&ActionFields>,
    known_gaps: Option<BTreeSet<String>>,
) -> Result<ActionFields> {
    let (draft, mut e) = input.read(Some(key), base, today());
    if let Some(owner) = draft.owner.as_deref() {
        if base.is_none_or(|b| b.owner != owner) {
            match App::existing_user(conn, "owner", owner).await {
                Ok(_) => {}
                Err(AppError::Invalid(refused)) => e.0.extend(refused.0),
                Err(other) => return Err(other),
            }
        }
    }
    let requirements = if draft.requirements.is_empty() {
        Vec::new()
    } else {
        let imported = crate::catalogs::imported_frameworks(conn).await?;
        check_requirements(&mut e, &draft.requirements, &imported)
    };
    if let (Some(gap), Some(known)) = (&draft.gap, &known_gaps) {
        if !known.contains(gap) {
            e.push(
                "gap",
                format!("no gap '{gap}' in the current gap analysis (see `aims gap report`)"),
            );
        }
    }
    let mut g = graph(conn).await?;
    let deps: Vec<String> = draft.depends_on.iter().map(|(_, d)| d.clone()).collect();
    g.insert(
        key.to_owned(),
        (draft.status.unwrap_or(ActionStatus::Planned), deps),
    );
    e.0.extend(check_dependencies(key, &draft.depends_on, draft.status, &g).0);
    if !e.is_empty() {
        sort_errors(&mut e);
        return Err(e.into());
    }
    let mut fields = draft
        .fields()
        .ok_or_else(|| AppError::Internal("an action without errors lacks a field".into()))?;
    fields.requirements = requirements;
    Ok(fields)
}

/// Adds an action inside the caller's transaction (permission already checked); `gaps` are
/// the current gap IDs when the input names a gap.
pub(crate) async fn insert_action(
    tx: &mut aims_store::WriteTx,
    actor: &Actor,
    input: &ActionInput,
    gaps: Option<BTreeSet<String>>,
) -> Result<RoadmapAction> {
    let n = aims_store::counters::next(tx.conn(), Kind::Action).await?;
    let key = Kind::Action.key(n);
    let fields = checked(tx.conn(), &key, input, None, gaps).await?;
    let at = now();
    let action = RoadmapAction {
        key,
        fields,
        created_at: at.clone(),
        updated_at: at,
    };
    store::insert(tx.conn(), n, &action).await?;
    record(
        tx,
        actor,
        Kind::Action,
        &action.key,
        actions::CREATE,
        &action,
    )
    .await?;
    Ok(action)
}

/// A corrective action of a nonconformity becomes done only through an effective check.
async fn refuse_done_of_corrective(
    conn: &mut Conn,
    current: &RoadmapAction,
    next: ActionStatus,
) -> Result<()> {
    if next != ActionStatus::Done || current.fields.status == ActionStatus::Done {
        return Ok(());
    }
    let ncs = aims_store::nonconformities::of_action(conn, &current.key).await?;
    if ncs.is_empty() {
        return Ok(());
    }
    Err(AppError::conflict(
        "status",
        format!(
            "{} is a corrective action of {}; it becomes done only through an effective check (`aims nc verify`)",
            current.key,
            ncs.join(", ")
        ),
    ))
}

/// A contributor may change the status of an action they own, and nothing else.
fn may_update(actor: &Actor, current: &RoadmapAction, input: &ActionInput) -> Result<()> {
    if actor.role.permits(Action::PlanActions) {
        return Ok(());
    }
    let status_only = ActionInput {
        status: None,
        ..input.clone()
    } == ActionInput::default();
    if actor.role != Role::Contributor {
        return actor.require(Action::PlanActions);
    }
    if current.fields.owner != actor.username {
        return Err(AppError::Refused(format!(
            "a contributor may change the status of their own actions only; {} belongs to {}",
            current.key, current.fields.owner
        )));
    }
    if !status_only {
        return Err(AppError::Refused(
            "a contributor may change the status of their own actions, not their other fields"
                .into(),
        ));
    }
    Ok(())
}

impl App {
    /// The IDs of the current gaps, when `gap` is a reference that must be checked (new, or
    /// changed from `current`): an action keeps its gap after the gap is closed.
    async fn gaps_to_check(
        &self,
        actor: &Actor,
        gap: Option<&str>,
        current: Option<&str>,
    ) -> Result<Option<BTreeSet<String>>> {
        match gap {
            Some(g) if Some(g) != current => {
                let report = self.gap_report(actor).await?;
                Ok(Some(crate::gap::ids(&report.gaps)))
            }
            _ => Ok(None),
        }
    }

    /// Adds an action.
    pub async fn action_add(&self, actor: &Actor, input: &ActionInput) -> Result<RoadmapAction> {
        actor.require(Action::PlanActions)?;
        // The key is only known inside the transaction; read the gap reference first so that
        // the gap analysis is read before the writer lock is taken.
        let (draft, _) = input.read(None, None, today());
        let gaps = self
            .gaps_to_check(actor, draft.gap.as_deref(), None)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let action = insert_action(&mut tx, actor, input, gaps).await?;
        tx.commit().await?;
        Ok(action)
    }

    /// Changes the fields given; an unchanged action records nothing.
    pub async fn action_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &ActionInput,
    ) -> Result<RoadmapAction> {
        actor.require(Action::Read)?;
        if !actor.role.permits(Action::PlanActions) && actor.role != Role::Contributor {
            actor.require(Action::PlanActions)?;
        }
        let key = normalise(key);
        let gaps = match input
            .gap
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            // A reference that does not parse is reported with the other errors below.
            Some(g) => match gap_ref("gap", g) {
                Ok(g) => {
                    let before = self.action_get(actor, &key).await?;
                    self.gaps_to_check(actor, Some(&g), before.fields.gap.as_deref())
                        .await?
                }
                Err(_) => None,
            },
            None => None,
        };
        let mut tx = self.db.begin_write().await?;
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("action {key}")))?;
        may_update(actor, &current, input)?;
        let fields = checked(tx.conn(), &key, input, Some(&current.fields), gaps).await?;
        refuse_done_of_corrective(tx.conn(), &current, fields.status).await?;
        if fields == current.fields {
            return Ok(current);
        }
        let action = RoadmapAction {
            fields,
            updated_at: now(),
            ..current
        };
        store::update(tx.conn(), &action).await?;
        record(&mut tx, actor, Kind::Action, &key, actions::UPDATE, &action).await?;
        tx.commit().await?;
        Ok(action)
    }

    pub async fn action_get(&self, actor: &Actor, key: &str) -> Result<RoadmapAction> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        store::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("action {key}")))
    }

    /// The actions matching the query, in key order.
    /// The actions matching `query`, in its order, one page of them (every one without).
    pub async fn action_list(
        &self,
        actor: &Actor,
        query: &ActionQuery,
    ) -> Result<Listed<RoadmapAction>> {
        actor.require(Action::Read)?;
        let (filter, order, page) = query.parse(today())?;
        let (items, total) = store::list(&mut *self.read().await?, &filter, order, page).await?;
        Ok(listing::listed(items, total, page))
    }

    /// The defaults of an action that closes gap `id`: the gap reference, a title naming the
    /// requirement (`Close A.6.2.4: <its title>`) and the requirement itself. A gap that is not
    /// in the current analysis is refused naming `field`.
    pub async fn action_defaults_for_gap(
        &self,
        actor: &Actor,
        field: &str,
        id: &str,
    ) -> Result<ActionInput> {
        let id = gap_ref(field, id)?;
        let report = self.gap_report(actor).await?;
        let gap = report
            .gaps
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(|| {
                AppError::invalid(
                    field,
                    format!("no gap '{id}' in the current gap analysis (see `aims gap report`)"),
                )
            })?;
        Ok(ActionInput {
            title: Some(title_for_gap(&gap.requirement, &gap.title)),
            gap: Some(gap.id),
            requirements: Some(vec![gap.requirement]),
            ..Default::default()
        })
    }

    /// The keys of the actions that depend on `key`.
    pub async fn action_dependents(&self, actor: &Actor, key: &str) -> Result<Vec<String>> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        Ok(store::all(&mut *self.read().await?)
            .await?
            .into_iter()
            .filter(|a| a.fields.depends_on.contains(&key))
            .map(|a| a.key)
            .collect())
    }
}
