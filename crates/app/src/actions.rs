//! Roadmap actions (`ACT-n`): who does what by when, at what effort, after which other actions,
//! to close which gap and meet which requirements.

use aims_catalog::Catalog;
use aims_core::action::{
    check_graph, ActionFields, ActionInput, ActionStatus, Graph, RoadmapAction,
};
use aims_core::control::format_requirement;
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::{Action, Role, ValidationErrors};
use aims_store::actions::{self as store, Filter};
use aims_store::Conn;
use chrono::NaiveDate;
use std::collections::BTreeSet;

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
    /// planned, in_progress, done or cancelled.
    pub status: Option<String>,
    /// The owner's username.
    pub owner: Option<String>,
    /// true: only actions due before today that are neither done nor cancelled.
    pub overdue: Option<bool>,
}

fn blank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl ActionQuery {
    fn parse(&self, today: NaiveDate) -> Result<Filter> {
        let mut e = ValidationErrors::default();
        let status = blank(&self.status).and_then(|w| e.take(ActionStatus::parse("status", &w)));
        e.into_result(|| Filter {
            status,
            owner: blank(&self.owner),
            overdue_on: self.overdue.filter(|o| *o).map(|_| today.to_string()),
        })
        .map_err(Into::into)
    }
}

/// Checks requirement references against the built-in catalogs and the frameworks the
/// organisation imported (naming `requirements[i]`) and returns them as the catalog spells them.
fn check_requirements(
    e: &mut ValidationErrors,
    refs: &[String],
    imported: &[aims_catalog::Framework],
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let field = format!("requirements[{i}]");
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

/// Checks what the core cannot: requirements in a catalog, the gap reference against the
/// current gap analysis (`known_gaps`, given when the reference is new or changed), dependencies
/// that exist and make no cycle, and the done rule. Returns the fields as stored.
async fn check(
    conn: &mut Conn,
    key: &str,
    mut fields: ActionFields,
    known_gaps: Option<BTreeSet<String>>,
) -> Result<ActionFields> {
    let mut e = ValidationErrors::default();
    if !fields.requirements.is_empty() {
        let imported = crate::catalogs::imported_frameworks(conn).await?;
        fields.requirements = check_requirements(&mut e, &fields.requirements, &imported);
    }
    if let (Some(gap), Some(known)) = (&fields.gap, &known_gaps) {
        if !known.contains(gap) {
            e.push(
                "gap",
                format!("no gap '{gap}' in the current gap analysis (see `aims gap report`)"),
            );
        }
    }
    let mut g = graph(conn).await?;
    g.insert(key.to_owned(), (fields.status, fields.depends_on.clone()));
    e.0.extend(check_graph(key, &fields, &g).0);
    if e.is_empty() {
        Ok(fields)
    } else {
        Err(e.into())
    }
}

/// Adds to the errors of an input the core refused the dependencies that do not exist, so that
/// a form shows every problem at once.
async fn with_missing(conn: &mut Conn, input: &ActionInput, mut e: ValidationErrors) -> AppError {
    let Some(list) = &input.depends_on else {
        return e.into();
    };
    let known = match graph(conn).await {
        Ok(g) => g,
        Err(other) => return other,
    };
    for (i, k) in list.iter().enumerate() {
        let field = format!("depends_on[{i}]");
        if e.0.iter().any(|f| f.field == field) {
            continue;
        }
        if let Ok(key) = aims_core::action::action_key(&field, k) {
            if !known.contains_key(&key) {
                e.push(field, format!("no action {key}"));
            }
        }
    }
    e.into()
}

/// A contributor may change the status of an action they own, and nothing else.
fn may_update(actor: &Actor, current: &RoadmapAction, input: &ActionInput) -> Result<()> {
    if actor.role.permits(Action::WriteControls) {
        return Ok(());
    }
    let status_only = ActionInput {
        status: None,
        ..input.clone()
    } == ActionInput::default();
    if actor.role != Role::Contributor {
        return actor.require(Action::WriteControls);
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
        actor.require(Action::WriteControls)?;
        // The key is only known inside the transaction; validate with a placeholder first so
        // that the gap analysis is read before the writer lock is taken.
        let draft = match input.validate(None, None, today()) {
            Ok(d) => d,
            Err(e) => return Err(with_missing(&mut *self.read().await?, input, e).await),
        };
        let gaps = self
            .gaps_to_check(actor, draft.gap.as_deref(), None)
            .await?;
        let mut tx = self.db.begin_write().await?;
        let n = aims_store::counters::next(tx.conn(), Kind::Action).await?;
        let key = Kind::Action.key(n);
        let fields = input.validate(Some(&key), None, today())?;
        App::existing_user(tx.conn(), "owner", &fields.owner).await?;
        let fields = check(tx.conn(), &key, fields, gaps).await?;
        let at = now();
        let action = RoadmapAction {
            key,
            fields,
            created_at: at.clone(),
            updated_at: at,
        };
        store::insert(tx.conn(), n, &action).await?;
        record(
            &mut tx,
            actor,
            Kind::Action,
            &action.key,
            actions::CREATE,
            &action,
        )
        .await?;
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
        if !actor.role.permits(Action::WriteControls) && actor.role != Role::Contributor {
            actor.require(Action::WriteControls)?;
        }
        let key = normalise(key);
        let gaps = match input
            .gap
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
        {
            Some(g) => {
                let before = self.action_get(actor, &key).await?;
                let g = aims_core::action::gap_ref("gap", g)?;
                self.gaps_to_check(actor, Some(&g), before.fields.gap.as_deref())
                    .await?
            }
            None => None,
        };
        let mut tx = self.db.begin_write().await?;
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("action {key}")))?;
        may_update(actor, &current, input)?;
        let fields = match input.validate(Some(&key), Some(&current.fields), today()) {
            Ok(f) => f,
            Err(e) => return Err(with_missing(tx.conn(), input, e).await),
        };
        if fields.owner != current.fields.owner {
            App::existing_user(tx.conn(), "owner", &fields.owner).await?;
        }
        let fields = check(tx.conn(), &key, fields, gaps).await?;
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
    pub async fn action_list(
        &self,
        actor: &Actor,
        query: &ActionQuery,
    ) -> Result<Vec<RoadmapAction>> {
        actor.require(Action::Read)?;
        let filter = query.parse(today())?;
        Ok(store::list(&mut *self.read().await?, &filter).await?)
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
