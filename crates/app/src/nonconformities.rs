//! Nonconformities (`NC-n`) and their corrective actions: roadmap actions (`ACT-n`) created or
//! linked here, which become done only through an effective check ([`App::nc_verify`]).

use aims_core::action::{ActionInput, ActionStatus, RoadmapAction};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::nonconformity::{
    check_result, CheckResult, EffectivenessCheck, NcInput, NcSource, NcStatus, Nonconformity,
};
use aims_core::{Action, ValidationErrors};
use aims_store::listing::Order;
use aims_store::nonconformities::{self as store, Filter, Sort};
use aims_store::{Conn, WriteTx};

use crate::listing::{self, blank};
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// A list request as it arrives from the API, a page or the CLI.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NcQuery {
    /// Text in the key, requirement or description (any case).
    pub q: Option<String>,
    /// open, action_planned, verifying or closed.
    pub status: Option<String>,
    /// `true`: only nonconformities not closed.
    pub open: Option<bool>,
    /// incident, internal_audit, external_audit, monitoring, management_review or other.
    pub source: Option<String>,
    /// The owner's username.
    pub owner: Option<String>,
    /// The incident it came from (`INC-n`).
    pub source_ref: Option<String>,
    /// `key` (default `-key`: newest first), `status`, `source`, `owner` or `due`; `-` in front
    /// for descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("status", Sort::Status),
    ("source", Sort::Source),
    ("owner", Sort::Owner),
    ("due", Sort::Due),
];

/// One page of nonconformities (every match without `per_page`) and how many match in all.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct NcList {
    pub items: Vec<Nonconformity>,
    pub total: i64,
    /// The page shown (1 when every match is).
    pub page: i64,
    /// Absent when every match is shown.
    pub per_page: Option<i64>,
}

/// An effectiveness check as typed.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct VerifyInput {
    /// The corrective action checked (`ACT-n`).
    pub action: String,
    /// effective or not_effective.
    pub result: String,
    /// What was checked and what was found.
    pub note: String,
    /// The day of the check (YYYY-MM-DD); today when absent.
    pub checked_at: Option<String>,
}

/// A corrective action to link: an existing one, or a new one.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NcActionInput {
    /// Link an existing roadmap action (`ACT-n`).
    Existing(String),
    /// Create a roadmap action and link it.
    New(Box<ActionInput>),
}

async fn load(tx: &mut WriteTx, key: &str) -> Result<Nonconformity> {
    store::get(tx.conn(), key)
        .await?
        .ok_or_else(|| AppError::not_found(format!("nonconformity {key}")))
}

async fn save(tx: &mut WriteTx, actor: &Actor, nc: &Nonconformity, action: &str) -> Result<()> {
    store::update(tx.conn(), nc).await?;
    record(tx, actor, Kind::Nonconformity, &nc.key, action, nc).await?;
    Ok(())
}

/// Checks the owner (when new or changed) and the incident reference (when given).
async fn check_refs(conn: &mut Conn, owner: Option<&str>, source_ref: Option<&str>) -> Result<()> {
    let mut e = ValidationErrors::default();
    if let Some(o) = owner {
        match App::existing_user(conn, "owner", o).await {
            Ok(_) => {}
            Err(AppError::Invalid(v)) => e.0.extend(v.0),
            Err(other) => return Err(other),
        }
    }
    if let Some(r) = source_ref {
        if aims_store::incidents::get(conn, r).await?.is_none() {
            e.push("source_ref", format!("no incident {r}"));
        }
    }
    e.into_result(|| ()).map_err(Into::into)
}

fn refuse_closed(nc: &Nonconformity) -> Result<()> {
    if nc.status == NcStatus::Closed {
        return Err(AppError::conflict(
            "status",
            format!("{} is closed", nc.key),
        ));
    }
    Ok(())
}

impl App {
    /// Records a nonconformity.
    pub async fn nc_add(&self, actor: &Actor, input: &NcInput) -> Result<Nonconformity> {
        actor.require(Action::ManageNonconformities)?;
        let f = input.read(None)?;
        let mut tx = self.db.begin_write().await?;
        check_refs(tx.conn(), Some(&f.owner), f.source_ref.as_deref()).await?;
        let n = aims_store::counters::next(tx.conn(), Kind::Nonconformity).await?;
        let at = now();
        let nc = Nonconformity {
            key: Kind::Nonconformity.key(n),
            source: f.source,
            source_ref: f.source_ref,
            requirement: f.requirement,
            description: f.description,
            correction: f.correction,
            root_cause: f.root_cause,
            owner: f.owner,
            due_date: f.due_date,
            status: f.status,
            actions: Vec::new(),
            checks: Vec::new(),
            created_at: at.clone(),
            updated_at: at,
        };
        store::insert(tx.conn(), n, &nc).await?;
        record(
            &mut tx,
            actor,
            Kind::Nonconformity,
            &nc.key,
            actions::CREATE,
            &nc,
        )
        .await?;
        tx.commit().await?;
        Ok(nc)
    }

    /// Changes the fields given; an unchanged nonconformity records nothing.
    pub async fn nc_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &NcInput,
    ) -> Result<Nonconformity> {
        actor.require(Action::ManageNonconformities)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = load(&mut tx, &key).await?;
        refuse_closed(&current)?;
        let f = input.read(Some(&current))?;
        let owner = (f.owner != current.owner).then_some(f.owner.as_str());
        let source_ref = f
            .source_ref
            .as_deref()
            .filter(|r| current.source_ref.as_deref() != Some(*r));
        check_refs(tx.conn(), owner, source_ref).await?;
        let next = Nonconformity {
            source: f.source,
            source_ref: f.source_ref,
            requirement: f.requirement,
            description: f.description,
            correction: f.correction,
            root_cause: f.root_cause,
            owner: f.owner,
            due_date: f.due_date,
            status: f.status,
            ..current.clone()
        };
        if next == current {
            return Ok(current);
        }
        let next = Nonconformity {
            updated_at: now(),
            ..next
        };
        save(&mut tx, actor, &next, actions::UPDATE).await?;
        tx.commit().await?;
        Ok(next)
    }

    pub async fn nc_get(&self, actor: &Actor, key: &str) -> Result<Nonconformity> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        store::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("nonconformity {key}")))
    }

    /// The nonconformities matching the query, newest first.
    pub async fn nc_list(&self, actor: &Actor, query: &NcQuery) -> Result<NcList> {
        actor.require(Action::Read)?;
        let mut e = ValidationErrors::default();
        let status = blank(&query.status).and_then(|w| e.take(NcStatus::parse("status", &w)));
        let source = blank(&query.source).and_then(|w| e.take(NcSource::parse("source", &w)));
        let order = listing::sort(&mut e, &query.sort, SORTS, Order::desc(Sort::Key));
        let page = listing::page(&mut e, query.page, query.per_page);
        let filter = e.into_result(|| Filter {
            status,
            open: query.open.unwrap_or(false),
            source,
            owner: blank(&query.owner),
            source_ref: blank(&query.source_ref).map(|r| normalise(&r)),
            text: blank(&query.q),
        })?;
        let (items, total) = store::list(&mut *self.read().await?, &filter, order, page).await?;
        let l = listing::listed(items, total, page);
        Ok(NcList {
            items: l.items,
            total: l.total,
            page: l.page,
            per_page: l.per_page,
        })
    }

    /// Links a corrective action: a new roadmap action created through the action service in
    /// the same transaction, or an existing one. An open nonconformity becomes action_planned.
    pub async fn nc_action(
        &self,
        actor: &Actor,
        key: &str,
        input: &NcActionInput,
    ) -> Result<(Nonconformity, RoadmapAction)> {
        actor.require(Action::ManageNonconformities)?;
        if matches!(input, NcActionInput::New(_)) {
            actor.require(Action::PlanActions)?;
        }
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut nc = load(&mut tx, &key).await?;
        refuse_closed(&nc)?;
        let action = match input {
            NcActionInput::New(a) => {
                if a.gap.as_deref().is_some_and(|g| !g.trim().is_empty()) {
                    return Err(AppError::invalid(
                        "gap",
                        "a corrective action closes a nonconformity, not a gap",
                    ));
                }
                if a.status.as_deref().is_some_and(|s| s.trim() == "done") {
                    return Err(AppError::invalid(
                        "status",
                        "a corrective action becomes done only through an effective check",
                    ));
                }
                crate::actions::insert_action(&mut tx, actor, a, None).await?
            }
            NcActionInput::Existing(k) => {
                let k = aims_core::action::action_key("action", k)?;
                aims_store::actions::get(tx.conn(), &k)
                    .await?
                    .ok_or_else(|| AppError::invalid("action", format!("no action {k}")))?
            }
        };
        if nc.actions.contains(&action.key) {
            return Err(AppError::conflict(
                "action",
                format!("{} is already a corrective action of {key}", action.key),
            ));
        }
        nc.actions.push(action.key.clone());
        if nc.status == NcStatus::Open {
            nc.status = NcStatus::ActionPlanned;
        }
        nc.updated_at = now();
        save(&mut tx, actor, &nc, actions::LINK).await?;
        tx.commit().await?;
        Ok((nc, action))
    }

    /// Records an effectiveness check of a corrective action. Effective sets the action done;
    /// not effective keeps it open (in progress). Once every action was effective the
    /// nonconformity is verifying, ready to close.
    pub async fn nc_verify(
        &self,
        actor: &Actor,
        key: &str,
        input: &VerifyInput,
    ) -> Result<(Nonconformity, RoadmapAction)> {
        actor.require(Action::ManageNonconformities)?;
        let mut e = ValidationErrors::default();
        let action_key = e.take(aims_core::action::action_key("action", &input.action));
        let result = e.take(check_result("result", &input.result));
        let note = e.take(aims_core::text::required_long("note", Some(&input.note)));
        let checked_at = e
            .take(aims_core::time::date(
                "checked_at",
                input.checked_at.as_deref(),
            ))
            .map(|d| d.unwrap_or_else(crate::actions::today));
        if let Some(d) = checked_at.filter(|d| *d > crate::actions::today()) {
            e.push("checked_at", format!("{d} is in the future"));
        }
        let (Some(action_key), Some(result), Some(note), Some(checked_at)) =
            (action_key, result, note, checked_at)
        else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut nc = load(&mut tx, &key).await?;
        refuse_closed(&nc)?;
        if !nc.actions.contains(&action_key) {
            return Err(AppError::invalid(
                "action",
                format!("{action_key} is not a corrective action of {key}"),
            ));
        }
        let mut action = aims_store::actions::get(tx.conn(), &action_key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("action {action_key}")))?;
        if action.fields.status == ActionStatus::Cancelled {
            return Err(AppError::conflict(
                "action",
                format!("{action_key} is cancelled; link another corrective action"),
            ));
        }
        let status = match result {
            CheckResult::Effective => {
                let mut open = Vec::new();
                for d in &action.fields.depends_on {
                    if let Some(dep) = aims_store::actions::get(tx.conn(), d).await? {
                        if dep.fields.status != ActionStatus::Done {
                            open.push(d.clone());
                        }
                    }
                }
                if !open.is_empty() {
                    return Err(AppError::conflict(
                        "action",
                        format!(
                            "{action_key} depends on actions that are not done: {}",
                            open.join(", ")
                        ),
                    ));
                }
                ActionStatus::Done
            }
            CheckResult::NotEffective => ActionStatus::InProgress,
        };
        if action.fields.status != status {
            action.fields.status = status;
            action.updated_at = now();
            aims_store::actions::update(tx.conn(), &action).await?;
            record(
                &mut tx,
                actor,
                Kind::Action,
                &action.key,
                actions::UPDATE,
                &action,
            )
            .await?;
        }
        nc.checks.push(EffectivenessCheck {
            action: action_key,
            result,
            note,
            checked_at: checked_at.to_string(),
            checked_by: actor.ledger_name(),
            recorded_at: now(),
        });
        nc.status = if nc.close_blocker().is_none() {
            NcStatus::Verifying
        } else {
            NcStatus::ActionPlanned
        };
        nc.updated_at = now();
        save(&mut tx, actor, &nc, actions::UPDATE).await?;
        tx.commit().await?;
        Ok((nc, action))
    }

    /// Closes a nonconformity once every corrective action passed an effectiveness check.
    pub async fn nc_close(&self, actor: &Actor, key: &str) -> Result<Nonconformity> {
        actor.require(Action::ManageNonconformities)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut nc = load(&mut tx, &key).await?;
        if let Some(why) = nc.close_blocker() {
            return Err(AppError::conflict("status", why));
        }
        nc.status = NcStatus::Closed;
        nc.updated_at = now();
        save(&mut tx, actor, &nc, actions::UPDATE).await?;
        tx.commit().await?;
        Ok(nc)
    }
}
