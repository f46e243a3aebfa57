//! Users: added and disabled by admins; the first admin is bootstrapped by `aims init`.

use aims_core::keys::Kind;
use aims_core::ledger::actions;
use aims_core::user::{self, User};
use aims_core::{Action, Role, ValidationErrors};
use aims_store::users as store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::hash_password;
use crate::listing::{self, arrange, blank, holds, Listed, SortKey};
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// A new user as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub password: Option<String>,
    /// Where notification digests go (optional).
    pub email: Option<String>,
}

/// A request for the users list, from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Text in the key, username, display name or e-mail address (any case).
    pub q: Option<String>,
    /// admin, governance_lead, risk_owner, contributor, auditor or viewer.
    pub role: Option<String>,
    /// `true`: only disabled users; `false`: only active ones.
    pub disabled: Option<bool>,
    /// `key` (default), `username`, `name`, `role` or `created`; `-` in front for descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Users per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum Sort {
    Key,
    Username,
    Name,
    Role,
    Created,
}

const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("username", Sort::Username),
    ("name", Sort::Name),
    ("role", Sort::Role),
    ("created", Sort::Created),
];

/// A change to a user as typed; omitted fields keep their value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// An address for notification digests; empty removes it.
    pub email: Option<String>,
}

/// A user's ledger state: the record plus a fingerprint of the password hash, so that a
/// password replaced behind the application's back is found by `ledger verify`.
#[derive(Debug, Serialize)]
pub(crate) struct UserState<'a> {
    #[serde(flatten)]
    pub user: &'a User,
    pub credential: String,
}

pub(crate) fn state<'a>(user: &'a User, password_hash: &str) -> UserState<'a> {
    let digest = Sha256::digest(password_hash.as_bytes());
    UserState {
        user,
        credential: hex::encode(&digest[..16]),
    }
}

impl App {
    /// Adds a user (admins only).
    pub async fn user_add(&self, actor: &Actor, input: &NewUser) -> Result<User> {
        actor.require(Action::ManageUsers)?;
        self.insert_user(actor, input, false).await
    }

    /// Creates the first admin of an empty database. Refused once any user exists.
    pub async fn bootstrap_admin(&self, username: &str, password: &str) -> Result<User> {
        let mut conn = self.read().await?;
        if store::count(&mut conn).await? > 0 {
            return Err(AppError::conflict(
                "username",
                "users already exist; add more with `aims user add`",
            ));
        }
        drop(conn);
        let input = NewUser {
            username: Some(username.into()),
            display_name: Some("Administrator".into()),
            role: Some("admin".into()),
            password: Some(password.into()),
            email: None,
        };
        self.insert_user(&Actor::system(), &input, true).await
    }

    /// Inserts a user; with `only_first`, only into a database without users (checked again
    /// under the write lock, so concurrent bootstraps cannot each create an admin).
    async fn insert_user(&self, actor: &Actor, input: &NewUser, only_first: bool) -> Result<User> {
        let mut e = ValidationErrors::default();
        let username = e.take(user::username(input.username.as_deref()));
        let display_name = e.take(aims_core::text::optional(
            "display_name",
            input.display_name.as_deref(),
            aims_core::text::SHORT,
        ));
        let role = match input.role.as_deref() {
            Some(r) => e.take(Role::parse("role", r)),
            None => e.take(Err(aims_core::FieldError::new("role", "is required"))),
        };
        let email = e.take(user::email(input.email.as_deref()));
        let password = input.password.clone().unwrap_or_default();
        e.take(user::password(&password));
        let (Some(username), Some(display_name), Some(role), Some(email)) =
            (username, display_name, role, email)
        else {
            return Err(e.into());
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        let hash = hash_password(&password)?;
        let mut tx = self.db.begin_write().await?;
        if only_first && store::count(tx.conn()).await? > 0 {
            return Err(AppError::conflict(
                "username",
                "users already exist; add more with `aims user add`",
            ));
        }
        if store::by_username(tx.conn(), &username).await?.is_some() {
            return Err(AppError::conflict(
                "username",
                format!("'{username}' is already taken"),
            ));
        }
        let n = aims_store::counters::next(tx.conn(), Kind::User).await?;
        let user = User {
            key: Kind::User.key(n),
            display_name: display_name.unwrap_or_else(|| username.clone()),
            username,
            role,
            disabled: false,
            created_at: now(),
            email,
        };
        store::insert(tx.conn(), n, &user, &hash).await?;
        record(
            &mut tx,
            actor,
            Kind::User,
            &user.key,
            actions::CREATE,
            &state(&user, &hash),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn user_list(&self, actor: &Actor) -> Result<Vec<User>> {
        actor.require(Action::Read)?;
        Ok(store::list(&mut *self.read().await?).await?)
    }

    /// The users matching `query`, sorted and paged.
    pub async fn user_search(&self, actor: &Actor, query: &UserQuery) -> Result<Listed<User>> {
        actor.require(Action::Read)?;
        let mut e = ValidationErrors::default();
        let role = blank(&query.role).and_then(|w| e.take(Role::parse("role", &w)));
        let order = listing::sort(
            &mut e,
            &query.sort,
            SORTS,
            aims_store::listing::Order::asc(Sort::Key),
        );
        let page = listing::page(&mut e, query.page, query.per_page);
        e.into_result(|| ())?;
        let text = blank(&query.q).map(|t| t.to_lowercase());
        let matching = store::list(&mut *self.read().await?)
            .await?
            .into_iter()
            .filter(|u| {
                role.is_none_or(|r| u.role == r)
                    && query.disabled.is_none_or(|d| u.disabled == d)
                    && text.as_deref().is_none_or(|t| {
                        holds(
                            t,
                            &[
                                &u.key,
                                &u.username,
                                &u.display_name,
                                u.email.as_deref().unwrap_or(""),
                            ],
                        )
                    })
            })
            .collect();
        let key = |u: &User, by: Sort| match by {
            Sort::Key => SortKey::key(&u.key),
            Sort::Username => SortKey::text(&u.username),
            Sort::Name => SortKey::text(&u.display_name),
            Sort::Role => SortKey::place(Role::ALL, &u.role),
            Sort::Created => SortKey::text(&u.created_at),
        };
        Ok(arrange(matching, order, key, page))
    }

    /// Changes a user's e-mail address: admins for anyone, everyone for themselves.
    pub async fn user_update(
        &self,
        actor: &Actor,
        username: &str,
        input: &UserUpdate,
    ) -> Result<User> {
        if username != actor.username {
            actor.require(Action::ManageUsers)?;
        }
        let Some(given) = input.email.as_deref() else {
            return Err(AppError::invalid(
                "email",
                "nothing to change: give an e-mail address, or an empty one to remove it",
            ));
        };
        let email = user::email(Some(given))?;
        let mut tx = self.db.begin_write().await?;
        let (mut user, hash) = store::by_username(tx.conn(), username)
            .await?
            .ok_or_else(|| AppError::not_found(format!("user '{username}'")))?;
        if user.email == email {
            return Ok(user);
        }
        user.email = email;
        store::set_email(tx.conn(), username, user.email.as_deref()).await?;
        record(
            &mut tx,
            actor,
            Kind::User,
            &user.key,
            actions::UPDATE,
            &state(&user, &hash),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Disables a user and ends their sessions; their tokens stop working with them.
    pub async fn user_disable(&self, actor: &Actor, username: &str) -> Result<User> {
        actor.require(Action::ManageUsers)?;
        if username == actor.username {
            return Err(AppError::conflict(
                "username",
                "you cannot disable yourself",
            ));
        }
        let mut tx = self.db.begin_write().await?;
        let (mut user, hash) = store::by_username(tx.conn(), username)
            .await?
            .ok_or_else(|| AppError::not_found(format!("user '{username}'")))?;
        if user.disabled {
            return Err(AppError::conflict(
                "username",
                format!("'{username}' is already disabled"),
            ));
        }
        user.disabled = true;
        store::set_disabled(tx.conn(), username, true).await?;
        aims_store::sessions::delete_for_user(tx.conn(), username).await?;
        record(
            &mut tx,
            actor,
            Kind::User,
            &user.key,
            actions::DISABLE,
            &state(&user, &hash),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The active user with this name, or an error naming `field`.
    pub(crate) async fn existing_user(
        conn: &mut aims_store::Conn,
        field: &str,
        username: &str,
    ) -> Result<User> {
        match store::by_username(conn, username).await? {
            Some((u, _)) if !u.disabled => Ok(u),
            Some(_) => Err(AppError::invalid(
                field,
                format!("user '{username}' is disabled"),
            )),
            None => Err(AppError::invalid(
                field,
                format!("no user named '{username}'"),
            )),
        }
    }
}
