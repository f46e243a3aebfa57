//! Context issues and interested parties (ISO/IEC 42001 4.1, 4.2).

use aims_core::context::{ContextIssue, IssueInput, Party, PartyInput};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::Action;
use aims_store::{issues, parties};

use crate::record::record;
use crate::{Actor, App, AppError, Result};

impl App {
    pub async fn issue_add(&self, actor: &Actor, input: &IssueInput) -> Result<ContextIssue> {
        actor.require(Action::WriteContext)?;
        let fields = input.validate(None)?;
        let mut tx = self.db.begin_write().await?;
        if let Some(key) = issues::key_by_title(tx.conn(), &fields.title).await? {
            return Err(AppError::conflict(
                "title",
                format!("'{}' is already the title of {key}", fields.title),
            ));
        }
        let n = aims_store::counters::next(tx.conn(), Kind::ContextIssue).await?;
        let issue = ContextIssue {
            key: Kind::ContextIssue.key(n),
            fields,
            archived: false,
        };
        issues::insert(tx.conn(), n, &issue).await?;
        record(
            &mut tx,
            actor,
            Kind::ContextIssue,
            &issue.key,
            actions::CREATE,
            &issue,
        )
        .await?;
        tx.commit().await?;
        Ok(issue)
    }

    pub async fn issue_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &IssueInput,
    ) -> Result<ContextIssue> {
        self.issue_change(actor, key, Some(input)).await
    }

    pub async fn issue_archive(&self, actor: &Actor, key: &str) -> Result<ContextIssue> {
        self.issue_change(actor, key, None).await
    }

    /// Updates with `input`, or archives when `input` is `None`.
    async fn issue_change(
        &self,
        actor: &Actor,
        key: &str,
        input: Option<&IssueInput>,
    ) -> Result<ContextIssue> {
        actor.require(Action::WriteContext)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut issue = issues::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("context issue {key}")))?;
        if issue.archived {
            return Err(AppError::conflict("archived", format!("{key} is archived")));
        }
        let action = match input {
            Some(input) => {
                let fields = input.validate(Some(&issue.fields))?;
                if let Some(other) = issues::key_by_title(tx.conn(), &fields.title)
                    .await?
                    .filter(|k| *k != key)
                {
                    return Err(AppError::conflict(
                        "title",
                        format!("'{}' is already the title of {other}", fields.title),
                    ));
                }
                if fields == issue.fields {
                    return Ok(issue);
                }
                issue.fields = fields;
                actions::UPDATE
            }
            None => {
                issue.archived = true;
                actions::ARCHIVE
            }
        };
        issues::update(tx.conn(), &issue).await?;
        record(&mut tx, actor, Kind::ContextIssue, &key, action, &issue).await?;
        tx.commit().await?;
        Ok(issue)
    }

    pub async fn issue_get(&self, actor: &Actor, key: &str) -> Result<ContextIssue> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        issues::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("context issue {key}")))
    }

    pub async fn issue_list(
        &self,
        actor: &Actor,
        include_archived: bool,
    ) -> Result<Vec<ContextIssue>> {
        actor.require(Action::Read)?;
        Ok(issues::list(&mut *self.read().await?, include_archived).await?)
    }

    pub async fn party_add(&self, actor: &Actor, input: &PartyInput) -> Result<Party> {
        actor.require(Action::WriteContext)?;
        let fields = input.validate(None)?;
        let mut tx = self.db.begin_write().await?;
        if let Some(key) = parties::key_by_name(tx.conn(), &fields.name).await? {
            return Err(AppError::conflict(
                "name",
                format!("'{}' is already the name of {key}", fields.name),
            ));
        }
        let n = aims_store::counters::next(tx.conn(), Kind::Party).await?;
        let party = Party {
            key: Kind::Party.key(n),
            fields,
            archived: false,
        };
        parties::insert(tx.conn(), n, &party).await?;
        record(
            &mut tx,
            actor,
            Kind::Party,
            &party.key,
            actions::CREATE,
            &party,
        )
        .await?;
        tx.commit().await?;
        Ok(party)
    }

    pub async fn party_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &PartyInput,
    ) -> Result<Party> {
        self.party_change(actor, key, Some(input)).await
    }

    pub async fn party_archive(&self, actor: &Actor, key: &str) -> Result<Party> {
        self.party_change(actor, key, None).await
    }

    async fn party_change(
        &self,
        actor: &Actor,
        key: &str,
        input: Option<&PartyInput>,
    ) -> Result<Party> {
        actor.require(Action::WriteContext)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut party = parties::get(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("interested party {key}")))?;
        if party.archived {
            return Err(AppError::conflict("archived", format!("{key} is archived")));
        }
        let action = match input {
            Some(input) => {
                let fields = input.validate(Some(&party.fields))?;
                if let Some(other) = parties::key_by_name(tx.conn(), &fields.name)
                    .await?
                    .filter(|k| *k != key)
                {
                    return Err(AppError::conflict(
                        "name",
                        format!("'{}' is already the name of {other}", fields.name),
                    ));
                }
                if fields == party.fields {
                    return Ok(party);
                }
                party.fields = fields;
                actions::UPDATE
            }
            None => {
                party.archived = true;
                actions::ARCHIVE
            }
        };
        parties::update(tx.conn(), &party).await?;
        record(&mut tx, actor, Kind::Party, &key, action, &party).await?;
        tx.commit().await?;
        Ok(party)
    }

    pub async fn party_get(&self, actor: &Actor, key: &str) -> Result<Party> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        parties::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("interested party {key}")))
    }

    pub async fn party_list(&self, actor: &Actor, include_archived: bool) -> Result<Vec<Party>> {
        actor.require(Action::Read)?;
        Ok(parties::list(&mut *self.read().await?, include_archived).await?)
    }
}
