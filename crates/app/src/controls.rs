//! The organisation's controls (ISO/IEC 42001 6.1.3, Annex A) and their links to the
//! requirements of built-in frameworks and to AI systems.

use std::collections::BTreeSet;

use aims_catalog::Catalog;
use aims_core::control::{self, Control, ControlInput, ControlStatus, Effectiveness, LinksInput};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::{Action, ValidationErrors};
use aims_store::controls::{self as store, Filter, Sort};
use aims_store::listing::{Order, Page};
use aims_store::Conn;

use crate::listing::{self, blank, Listed};
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// A list request as it arrives from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ControlQuery {
    /// Text in the key, name or description (any case).
    pub q: Option<String>,
    /// planned, in_progress, implemented or not_applicable.
    pub status: Option<String>,
    /// `true`: every status but not_applicable; `false`: only not_applicable.
    pub applicable: Option<bool>,
    /// not_assessed, effective, partially_effective or ineffective.
    pub effectiveness: Option<String>,
    /// The owner's username.
    pub owner: Option<String>,
    /// A requirement reference, `FRAMEWORK:ID`.
    pub requirement: Option<String>,
    /// An AI system key.
    pub system: Option<String>,
    /// `key` (default), `name`, `status`, `effectiveness`, `owner` or `review`; `-` in front for
    /// descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Controls per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("name", Sort::Name),
    ("status", Sort::Status),
    ("effectiveness", Sort::Effectiveness),
    ("owner", Sort::Owner),
    ("review", Sort::Review),
];

impl ControlQuery {
    fn parse(&self) -> Result<(Filter, Order<Sort>, Option<Page>)> {
        let mut e = ValidationErrors::default();
        let status = blank(&self.status).and_then(|w| e.take(ControlStatus::parse("status", &w)));
        let effectiveness = blank(&self.effectiveness)
            .and_then(|w| e.take(Effectiveness::parse("effectiveness", &w)));
        let requirement = blank(&self.requirement).and_then(|r| {
            e.take(control::requirement_ref("requirement", &r))
                .map(|(fw, id)| {
                    canonical_requirement(&fw, &id)
                        .unwrap_or_else(|| control::format_requirement(&fw, &id))
                })
        });
        let order = listing::sort(&mut e, &self.sort, SORTS, Order::asc(Sort::Key));
        let page = listing::page(&mut e, self.page, self.per_page);
        e.into_result(|| {
            let filter = Filter {
                status,
                applicable: self.applicable,
                effectiveness,
                owner: blank(&self.owner),
                requirement,
                system: blank(&self.system).map(|s| normalise(&s)),
                text: blank(&self.q),
            };
            (filter, order, page)
        })
        .map_err(Into::into)
    }
}

/// The stored reference of a catalog item, spelled as the catalog spells it, if it exists.
fn canonical_requirement(framework: &str, id: &str) -> Option<String> {
    let fw = Catalog::framework(framework)?;
    let item = fw.item(id)?;
    Some(control::format_requirement(&fw.id, &item.id))
}

/// The catalog title of a stored requirement reference (`ISO42001:A.6.2.4`), if it has one.
pub fn requirement_title(reference: &str) -> Option<String> {
    let (fw, id) = reference.split_once(':')?;
    Catalog::framework(fw)?.item(id).map(|i| i.title.clone())
}

/// Checks requirement references against the built-in catalogs and the frameworks the
/// organisation imported (`imported`), naming `requirements[i]`.
fn check_requirements(
    e: &mut ValidationErrors,
    refs: &[String],
    imported: &[aims_catalog::Framework],
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, r) in refs.iter().enumerate() {
        let field = format!("requirements[{i}]");
        let Some((fw, id)) = e.take(control::requirement_ref(&field, r)) else {
            continue;
        };
        let found = Catalog::framework(&fw)
            .or_else(|| imported.iter().find(|f| f.id.eq_ignore_ascii_case(&fw)));
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
            Some(f) => match f.item(&id) {
                None => e.push(field, format!("{} has no item '{id}'", f.id)),
                Some(item) => {
                    out.insert(control::format_requirement(&f.id, &item.id));
                }
            },
        }
    }
    out
}

/// Checks that each system exists, naming `systems[i]`.
async fn check_systems(
    conn: &mut Conn,
    e: &mut ValidationErrors,
    keys: &[String],
) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for (i, k) in keys.iter().enumerate() {
        let key = normalise(k);
        if key.is_empty() {
            continue;
        }
        if aims_store::systems::get(conn, &key).await?.is_some() {
            out.insert(key);
        } else {
            e.push(format!("systems[{i}]"), format!("no AI system '{key}'"));
        }
    }
    Ok(out)
}

impl App {
    /// Adds a control, with no links yet.
    pub async fn control_add(&self, actor: &Actor, input: &ControlInput) -> Result<Control> {
        actor.require(Action::WriteControls)?;
        let fields = input.validate(None)?;
        let mut tx = self.db.begin_write().await?;
        App::existing_user(tx.conn(), "owner", &fields.owner).await?;
        if let Some(key) = store::key_by_name(tx.conn(), &fields.name).await? {
            return Err(AppError::conflict(
                "name",
                format!("'{}' is already the name of {key}", fields.name),
            ));
        }
        let n = aims_store::counters::next(tx.conn(), Kind::Control).await?;
        let at = now();
        let control = Control {
            key: Kind::Control.key(n),
            fields,
            requirements: BTreeSet::new(),
            systems: BTreeSet::new(),
            created_at: at.clone(),
            updated_at: at,
        };
        store::insert(tx.conn(), n, &control).await?;
        record(
            &mut tx,
            actor,
            Kind::Control,
            &control.key,
            actions::CREATE,
            &control,
        )
        .await?;
        tx.commit().await?;
        Ok(control)
    }

    /// Changes the fields given; an unchanged control records nothing.
    pub async fn control_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &ControlInput,
    ) -> Result<Control> {
        actor.require(Action::WriteControls)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("control {key}")))?;
        let fields = input.validate(Some(&current.fields))?;
        if fields.owner != current.fields.owner {
            App::existing_user(tx.conn(), "owner", &fields.owner).await?;
        }
        if let Some(other) = store::key_by_name(tx.conn(), &fields.name)
            .await?
            .filter(|k| *k != key)
        {
            return Err(AppError::conflict(
                "name",
                format!("'{}' is already the name of {other}", fields.name),
            ));
        }
        if fields == current.fields {
            return Ok(current);
        }
        let control = Control {
            fields,
            updated_at: now(),
            ..current
        };
        store::update(tx.conn(), &control).await?;
        record(
            &mut tx,
            actor,
            Kind::Control,
            &key,
            actions::UPDATE,
            &control,
        )
        .await?;
        tx.commit().await?;
        Ok(control)
    }

    /// Sets the requirements and AI systems of a control. A list that is absent stays as it is.
    /// Each requirement must be an item of a built-in or imported framework and each system
    /// must exist.
    pub async fn control_link(
        &self,
        actor: &Actor,
        key: &str,
        input: &LinksInput,
    ) -> Result<Control> {
        actor.require(Action::WriteControls)?;
        let key = normalise(key);
        let mut e = ValidationErrors::default();
        let mut tx = self.db.begin_write().await?;
        let requirements = match input.requirements.as_deref() {
            Some(r) => {
                let imported = crate::catalogs::imported_frameworks(tx.conn()).await?;
                Some(check_requirements(&mut e, r, &imported))
            }
            None => None,
        };
        let systems = match input.systems.as_deref() {
            Some(s) => Some(check_systems(tx.conn(), &mut e, s).await?),
            None => None,
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("control {key}")))?;
        let requirements = requirements.unwrap_or_else(|| current.requirements.clone());
        let systems = systems.unwrap_or_else(|| current.systems.clone());
        if requirements == current.requirements && systems == current.systems {
            return Ok(current);
        }
        let control = Control {
            requirements,
            systems,
            updated_at: now(),
            ..current
        };
        store::update(tx.conn(), &control).await?;
        record(&mut tx, actor, Kind::Control, &key, actions::LINK, &control).await?;
        tx.commit().await?;
        Ok(control)
    }

    pub async fn control_get(&self, actor: &Actor, key: &str) -> Result<Control> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        store::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("control {key}")))
    }

    /// The controls matching `query`, in its order, one page of them (every one without).
    pub async fn control_list(
        &self,
        actor: &Actor,
        query: &ControlQuery,
    ) -> Result<Listed<Control>> {
        actor.require(Action::Read)?;
        let (filter, order, page) = query.parse()?;
        let (items, total) = store::list(&mut *self.read().await?, &filter, order, page).await?;
        Ok(listing::listed(items, total, page))
    }
}
