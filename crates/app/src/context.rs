//! Context issues and interested parties (ISO/IEC 42001 4.1, 4.2).

use aims_core::context::{
    ContextIssue, IssueCategory, IssueInput, IssueSide, Party, PartyInput, PartyType,
};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::{Action, ValidationErrors};
use aims_store::listing::{Order, Page};
use aims_store::{issues, parties};

use crate::listing::{self, arrange, blank, holds, Listed, SortKey};
use crate::record::record;
use crate::{Actor, App, AppError, Result};

/// A request for the context issues, from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IssueQuery {
    /// Text in the key, title, description or effect (any case).
    pub q: Option<String>,
    /// internal or external.
    pub side: Option<String>,
    /// market, regulatory, technology, societal, capability, culture, resources or other.
    pub category: Option<String>,
    /// Include archived issues.
    pub archived: Option<bool>,
    /// `key` (default), `title`, `side`, `category` or `review`; `-` in front for descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Issues per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum IssueSort {
    Key,
    Title,
    Side,
    Category,
    Review,
}

const ISSUE_SORTS: &[(&str, IssueSort)] = &[
    ("key", IssueSort::Key),
    ("title", IssueSort::Title),
    ("side", IssueSort::Side),
    ("category", IssueSort::Category),
    ("review", IssueSort::Review),
];

/// A request for the interested parties, from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PartyQuery {
    /// Text in the key, name, description or requirements (any case).
    pub q: Option<String>,
    /// customer, regulator, employee, partner, supplier, investor, affected_community or other.
    pub party_type: Option<String>,
    /// `true`: only parties with a requirement not yet addressed; `false`: only parties whose
    /// requirements are all addressed.
    pub unaddressed: Option<bool>,
    /// Include archived parties.
    pub archived: Option<bool>,
    /// `key` (default), `name`, `type`, `requirements` or `unaddressed`; `-` in front for
    /// descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Parties per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum PartySort {
    Key,
    Name,
    Type,
    Requirements,
    Unaddressed,
}

const PARTY_SORTS: &[(&str, PartySort)] = &[
    ("key", PartySort::Key),
    ("name", PartySort::Name),
    ("type", PartySort::Type),
    ("requirements", PartySort::Requirements),
    ("unaddressed", PartySort::Unaddressed),
];

/// The requirements of `p` not yet addressed.
pub fn unaddressed(p: &Party) -> usize {
    p.fields
        .requirements
        .iter()
        .filter(|r| !r.addressed)
        .count()
}

/// The sort and page of a register request; errors are pushed to `e`.
fn order_and_page<S: Copy>(
    e: &mut ValidationErrors,
    sort: &Option<String>,
    sorts: &[(&str, S)],
    default: S,
    page: Option<i64>,
    per_page: Option<i64>,
) -> (Order<S>, Option<Page>) {
    let order = listing::sort(e, sort, sorts, Order::asc(default));
    (order, listing::page(e, page, per_page))
}

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

    /// The context issues matching `query`, sorted and paged.
    pub async fn issue_list(
        &self,
        actor: &Actor,
        query: &IssueQuery,
    ) -> Result<Listed<ContextIssue>> {
        actor.require(Action::Read)?;
        let mut e = ValidationErrors::default();
        let side = blank(&query.side).and_then(|w| e.take(IssueSide::parse("side", &w)));
        let category =
            blank(&query.category).and_then(|w| e.take(IssueCategory::parse("category", &w)));
        let (order, page) = order_and_page(
            &mut e,
            &query.sort,
            ISSUE_SORTS,
            IssueSort::Key,
            query.page,
            query.per_page,
        );
        e.into_result(|| ())?;
        let text = blank(&query.q).map(|t| t.to_lowercase());
        let all = issues::list(&mut *self.read().await?, query.archived.unwrap_or(false)).await?;
        let matching = all
            .into_iter()
            .filter(|i| {
                let f = &i.fields;
                side.is_none_or(|s| f.side == s)
                    && category.is_none_or(|c| f.category == c)
                    && text.as_deref().is_none_or(|t| {
                        holds(
                            t,
                            &[
                                &i.key,
                                &f.title,
                                &f.description,
                                f.effect.as_deref().unwrap_or(""),
                            ],
                        )
                    })
            })
            .collect();
        let key = |i: &ContextIssue, by: IssueSort| match by {
            IssueSort::Key => SortKey::key(&i.key),
            IssueSort::Title => SortKey::text(&i.fields.title),
            IssueSort::Side => SortKey::place(IssueSide::ALL, &i.fields.side),
            IssueSort::Category => SortKey::place(IssueCategory::ALL, &i.fields.category),
            IssueSort::Review => SortKey::opt_text(i.fields.review_date.as_deref()),
        };
        Ok(arrange(matching, order, key, page))
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

    /// The interested parties matching `query`, sorted and paged.
    pub async fn party_list(&self, actor: &Actor, query: &PartyQuery) -> Result<Listed<Party>> {
        actor.require(Action::Read)?;
        let mut e = ValidationErrors::default();
        let party_type =
            blank(&query.party_type).and_then(|w| e.take(PartyType::parse("party_type", &w)));
        let (order, page) = order_and_page(
            &mut e,
            &query.sort,
            PARTY_SORTS,
            PartySort::Key,
            query.page,
            query.per_page,
        );
        e.into_result(|| ())?;
        let text = blank(&query.q).map(|t| t.to_lowercase());
        let all = parties::list(&mut *self.read().await?, query.archived.unwrap_or(false)).await?;
        let matching = all
            .into_iter()
            .filter(|p| {
                let f = &p.fields;
                party_type.is_none_or(|t| f.party_type == t)
                    && query.unaddressed.is_none_or(|u| (unaddressed(p) > 0) == u)
                    && text.as_deref().is_none_or(|t| {
                        holds(
                            t,
                            &[&p.key, &f.name, f.description.as_deref().unwrap_or("")],
                        ) || f
                            .requirements
                            .iter()
                            .any(|r| holds(t, &[&r.text, r.how.as_deref().unwrap_or("")]))
                    })
            })
            .collect();
        let key = |p: &Party, by: PartySort| match by {
            PartySort::Key => SortKey::key(&p.key),
            PartySort::Name => SortKey::text(&p.fields.name),
            PartySort::Type => SortKey::place(PartyType::ALL, &p.fields.party_type),
            PartySort::Requirements => SortKey::count(p.fields.requirements.len()),
            PartySort::Unaddressed => SortKey::count(unaddressed(p)),
        };
        Ok(arrange(matching, order, key, page))
    }
}
