//! The AI system inventory service.

use aims_core::inventory::{self, AiSystem, SystemInput, SystemStatus};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::Action;
use aims_store::systems::{self as store, Filter, Sort, SystemRow};
use aims_store::WriteTx;
use serde::Serialize;

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// Largest page of the inventory list.
pub const MAX_PAGE: i64 = 200;

/// A system with whether the approved scope covers it.
#[derive(Debug, Clone, Serialize)]
pub struct SystemView {
    #[serde(flatten)]
    pub system: AiSystem,
    pub in_scope: bool,
}

impl From<SystemRow> for SystemView {
    fn from(r: SystemRow) -> Self {
        SystemView {
            system: r.system,
            in_scope: r.in_scope,
        }
    }
}

/// A list request as it arrives from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub stage: Option<String>,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub eu_class: Option<String>,
    /// `in` or `out`.
    pub scope: Option<String>,
    /// `active` (default), `retired` or `all`.
    pub status: Option<String>,
    pub q: Option<String>,
    /// `key`, `name`, `stage`, `owner`, `updated` or `criticality`; `-` in front for descending.
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemPage {
    pub items: Vec<SystemView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl ListQuery {
    fn parse(&self) -> Result<(Filter, Sort, bool, i64, i64)> {
        use aims_core::inventory::{EuClass, Stage};
        let mut e = aims_core::ValidationErrors::default();
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let stage = blank(&self.stage).and_then(|w| e.take(Stage::parse("stage", &w)));
        let eu_class = blank(&self.eu_class).and_then(|w| e.take(EuClass::parse("eu_class", &w)));
        let in_scope = match blank(&self.scope).as_deref() {
            None => None,
            Some("in") => Some(true),
            Some("out") => Some(false),
            Some(other) => {
                e.push(
                    "scope",
                    format!("unknown value '{other}'; expected one of: in, out"),
                );
                None
            }
        };
        let status = match blank(&self.status).as_deref() {
            None | Some("active") => Some(SystemStatus::Active),
            Some("retired") => Some(SystemStatus::Retired),
            Some("all") => None,
            Some(other) => {
                e.push(
                    "status",
                    format!("unknown value '{other}'; expected one of: active, retired, all"),
                );
                None
            }
        };
        let sort_word = blank(&self.sort).unwrap_or_else(|| "key".into());
        let (descending, word) = match sort_word.strip_prefix('-') {
            Some(w) => (true, w.to_owned()),
            None => (false, sort_word.clone()),
        };
        let sort = match word.as_str() {
            "key" => Sort::Key,
            "name" => Sort::Name,
            "stage" => Sort::Stage,
            "owner" => Sort::Owner,
            "updated" => Sort::Updated,
            "criticality" => Sort::Criticality,
            other => {
                e.push("sort", format!("unknown value '{other}'; expected one of: key, name, stage, owner, updated, criticality"));
                Sort::Key
            }
        };
        let per_page = self.per_page.unwrap_or(50);
        if !(1..=MAX_PAGE).contains(&per_page) {
            e.push("per_page", format!("must be between 1 and {MAX_PAGE}"));
        }
        let page = self.page.unwrap_or(1);
        if page < 1 {
            e.push("page", "must be 1 or more");
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let filter = Filter {
            stage,
            owner: blank(&self.owner),
            unit: blank(&self.unit),
            eu_class,
            in_scope,
            status,
            text: blank(&self.q),
        };
        Ok((filter, sort, descending, per_page, page))
    }
}

impl App {
    pub async fn system_add(&self, actor: &Actor, input: &SystemInput) -> Result<SystemView> {
        actor.require(Action::WriteInventory)?;
        let mut tx = self.db.begin_write().await?;
        let view = self.system_add_in(&mut tx, actor, input).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Adds several AI systems in one transaction, each checked and recorded as `system_add`
    /// does: all of them or, at the first refusal, none (the error names the failing item).
    pub async fn system_add_batch(
        &self,
        actor: &Actor,
        inputs: &[SystemInput],
    ) -> Result<Vec<SystemView>> {
        actor.require(Action::WriteInventory)?;
        let mut tx = self.db.begin_write().await?;
        let mut out = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let view = self
                .system_add_in(&mut tx, actor, input)
                .await
                .map_err(|e| e.in_item(i))?;
            out.push(view);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Adds one AI system inside `tx` (the body of `system_add`).
    async fn system_add_in(
        &self,
        tx: &mut WriteTx,
        actor: &Actor,
        input: &SystemInput,
    ) -> Result<SystemView> {
        let fields = input.validate_new()?;
        App::existing_user(tx.conn(), "owner", &fields.owner).await?;
        if let Some(key) = store::key_by_name(tx.conn(), &fields.name).await? {
            return Err(AppError::conflict(
                "name",
                format!("'{}' is already the name of {key}", fields.name),
            ));
        }
        let n = aims_store::counters::next(tx.conn(), Kind::AiSystem).await?;
        let at = now();
        let system = AiSystem {
            key: Kind::AiSystem.key(n),
            fields,
            status: SystemStatus::Active,
            retired_reason: None,
            created_at: at.clone(),
            updated_at: at,
        };
        let in_scope = self.covered(tx.conn(), &system).await?;
        store::insert(tx.conn(), n, &system, in_scope).await?;
        record(
            tx,
            actor,
            Kind::AiSystem,
            &system.key,
            actions::CREATE,
            &system,
        )
        .await?;
        Ok(SystemView { system, in_scope })
    }

    pub async fn system_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &SystemInput,
    ) -> Result<SystemView> {
        actor.require(Action::WriteInventory)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("AI system {key}")))?;
        if current.system.status == SystemStatus::Retired {
            return Err(AppError::conflict(
                "status",
                format!("{key} is retired and can no longer be changed"),
            ));
        }
        let fields = input.validate_patch(&current.system.fields)?;
        if fields.owner != current.system.fields.owner {
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
        if fields == current.system.fields {
            return Ok(current.into());
        }
        let system = AiSystem {
            fields,
            updated_at: now(),
            ..current.system
        };
        let in_scope = self.covered(tx.conn(), &system).await?;
        store::update(tx.conn(), &system, in_scope).await?;
        record(
            &mut tx,
            actor,
            Kind::AiSystem,
            &key,
            actions::UPDATE,
            &system,
        )
        .await?;
        tx.commit().await?;
        Ok(SystemView { system, in_scope })
    }

    /// Retires a system, with a reason. It leaves the scope and can no longer be changed.
    pub async fn system_retire(
        &self,
        actor: &Actor,
        key: &str,
        reason: Option<&str>,
    ) -> Result<SystemView> {
        actor.require(Action::RetireSystem)?;
        let key = normalise(key);
        let reason = inventory::retire_reason(reason)?;
        let mut tx = self.db.begin_write().await?;
        let current = store::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("AI system {key}")))?;
        if current.system.status == SystemStatus::Retired {
            return Err(AppError::conflict(
                "status",
                format!("{key} is already retired"),
            ));
        }
        let mut system = current.system;
        system.status = SystemStatus::Retired;
        system.retired_reason = Some(reason);
        system.updated_at = now();
        store::update(tx.conn(), &system, false).await?;
        record(
            &mut tx,
            actor,
            Kind::AiSystem,
            &key,
            actions::RETIRE,
            &system,
        )
        .await?;
        tx.commit().await?;
        Ok(SystemView {
            system,
            in_scope: false,
        })
    }

    pub async fn system_get(&self, actor: &Actor, key: &str) -> Result<SystemView> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        let row = store::get(&mut *self.read().await?, &key).await?;
        row.map(Into::into)
            .ok_or_else(|| AppError::not_found(format!("AI system {key}")))
    }

    pub async fn system_list(&self, actor: &Actor, query: &ListQuery) -> Result<SystemPage> {
        actor.require(Action::Read)?;
        let (filter, sort, descending, per_page, page) = query.parse()?;
        let offset = (page - 1).saturating_mul(per_page);
        let found = store::list(
            &mut *self.read().await?,
            &filter,
            sort,
            descending,
            per_page,
            offset,
        )
        .await?;
        Ok(SystemPage {
            items: found.items.into_iter().map(Into::into).collect(),
            total: found.total,
            page,
            per_page,
        })
    }

    /// The inventory matching `query` (every page) as CSV.
    pub async fn system_export_csv(&self, actor: &Actor, query: &ListQuery) -> Result<String> {
        actor.require(Action::Read)?;
        let (filter, sort, descending, _, _) = query.parse()?;
        let found = store::list(
            &mut *self.read().await?,
            &filter,
            sort,
            descending,
            i64::MAX,
            0,
        )
        .await?;
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = [
            "key",
            "name",
            "purpose",
            "intended_use",
            "owner",
            "business_unit",
            "stage",
            "technique",
            "ai_roles",
            "supplier",
            "data_categories",
            "stakeholders",
            "regions",
            "eu_class",
            "eu_rationale",
            "criticality",
            "in_scope",
            "status",
            "retired_reason",
            "created_at",
            "updated_at",
        ];
        let internal = |e: csv::Error| AppError::Internal(e.to_string());
        w.write_record(header).map_err(internal)?;
        for row in found.items {
            let (s, f) = (&row.system, &row.system.fields);
            let join = |v: Vec<&str>| v.join("; ");
            w.write_record([
                s.key.as_str(),
                &f.name,
                &f.purpose,
                f.intended_use.as_deref().unwrap_or(""),
                &f.owner,
                f.business_unit.as_deref().unwrap_or(""),
                f.stage.as_str(),
                f.technique.as_str(),
                &join(f.ai_roles.iter().map(|r| r.as_str()).collect()),
                f.supplier.as_deref().unwrap_or(""),
                &join(f.data_categories.iter().map(|r| r.as_str()).collect()),
                &join(f.stakeholders.iter().map(String::as_str).collect()),
                &join(f.regions.iter().map(String::as_str).collect()),
                f.eu_class.as_str(),
                f.eu_rationale.as_deref().unwrap_or(""),
                f.criticality.as_str(),
                if row.in_scope { "in" } else { "out" },
                s.status.as_str(),
                s.retired_reason.as_deref().unwrap_or(""),
                &s.created_at,
                &s.updated_at,
            ])
            .map_err(internal)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
    }

    /// Whether the approved scope covers `system` (false while no scope is approved).
    async fn covered(&self, conn: &mut aims_store::Conn, system: &AiSystem) -> Result<bool> {
        Ok(aims_store::scope::approved(conn)
            .await?
            .is_some_and(|s| s.fields.covers(system)))
    }
}
