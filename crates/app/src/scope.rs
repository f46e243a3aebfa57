//! Scope of the management system (ISO/IEC 42001 4.3): versions, approval, and the inventory's
//! in-scope flag, recomputed from the approved version.

use aims_core::keys::Kind;
use aims_core::ledger::actions;
use aims_core::scope::{self, DiffLine, ScopeInput, ScopeVersion};
use aims_core::{Action, ValidationErrors};
use aims_store::{scope as store, systems};
use serde::Serialize;

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// The scope in force and the newest version, which may be a draft awaiting approval.
#[derive(Debug, Clone, Serialize)]
pub struct ScopeStatus {
    pub approved: Option<ScopeVersion>,
    pub latest: Option<ScopeVersion>,
    pub systems_in_scope: i64,
    pub systems_out_of_scope: i64,
}

impl App {
    /// Proposes a new scope version (a draft until approved).
    pub async fn scope_set(&self, actor: &Actor, input: &ScopeInput) -> Result<ScopeVersion> {
        actor.require(Action::WriteScope)?;
        let fields = input.validate()?;
        let mut tx = self.db.begin_write().await?;
        let mut e = ValidationErrors::default();
        for (field, key) in fields.referenced_systems() {
            if systems::get(tx.conn(), &key).await?.is_none() {
                e.push(field, format!("no AI system {key}"));
            }
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let version = store::latest_version(tx.conn()).await? + 1;
        let v = ScopeVersion {
            key: Kind::Scope.key(version),
            version,
            fields,
            created_by: actor.username.clone(),
            created_at: now(),
            approved_by: None,
            approved_at: None,
        };
        store::insert(tx.conn(), &v).await?;
        record(&mut tx, actor, Kind::Scope, &v.key, actions::CREATE, &v).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Approves a version; it becomes the scope in force and every system's in-scope flag follows it.
    pub async fn scope_approve(&self, actor: &Actor, version: i64) -> Result<ScopeVersion> {
        actor.require(Action::ApproveScope)?;
        let mut tx = self.db.begin_write().await?;
        let mut v = store::get(tx.conn(), version)
            .await?
            .ok_or_else(|| AppError::not_found(format!("scope version {version}")))?;
        if let (Some(by), Some(at)) = (&v.approved_by, &v.approved_at) {
            return Err(AppError::conflict(
                "version",
                format!("version {version} was already approved by {by} at {at}"),
            ));
        }
        if let Some(current) = store::approved(tx.conn()).await? {
            if current.version > version {
                return Err(AppError::conflict(
                    "version",
                    format!(
                        "version {} is already approved and newer than {version}",
                        current.version
                    ),
                ));
            }
        }
        let at = now();
        store::approve(tx.conn(), version, &actor.username, &at).await?;
        v.approved_by = Some(actor.username.clone());
        v.approved_at = Some(at);
        for row in systems::all(tx.conn()).await? {
            let covered = v.fields.covers(&row.system);
            if covered != row.in_scope {
                systems::set_in_scope(tx.conn(), &row.system.key, covered).await?;
            }
        }
        record(&mut tx, actor, Kind::Scope, &v.key, actions::APPROVE, &v).await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn scope_status(&self, actor: &Actor) -> Result<ScopeStatus> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let approved = store::approved(&mut conn).await?;
        let latest = store::history(&mut conn).await?.into_iter().next();
        let count = |in_scope| aims_store::systems::Filter {
            in_scope: Some(in_scope),
            status: Some(aims_core::inventory::SystemStatus::Active),
            ..Default::default()
        };
        let inside = systems::list(&mut conn, &count(true), Default::default(), false, 1, 0)
            .await?
            .total;
        let outside = systems::list(&mut conn, &count(false), Default::default(), false, 1, 0)
            .await?
            .total;
        Ok(ScopeStatus {
            approved,
            latest,
            systems_in_scope: inside,
            systems_out_of_scope: outside,
        })
    }

    pub async fn scope_history(&self, actor: &Actor) -> Result<Vec<ScopeVersion>> {
        actor.require(Action::Read)?;
        Ok(store::history(&mut *self.read().await?).await?)
    }

    pub async fn scope_get(&self, actor: &Actor, version: i64) -> Result<ScopeVersion> {
        actor.require(Action::Read)?;
        store::get(&mut *self.read().await?, version)
            .await?
            .ok_or_else(|| AppError::not_found(format!("scope version {version}")))
    }

    /// The line-by-line difference from version `from` to version `to`.
    pub async fn scope_diff(&self, actor: &Actor, from: i64, to: i64) -> Result<Vec<DiffLine>> {
        let a = self.scope_get(actor, from).await?;
        let b = self.scope_get(actor, to).await?;
        Ok(scope::diff(&a.fields, &b.fields))
    }
}
