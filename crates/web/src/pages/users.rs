//! The users (admins): the list with its filters, sort and page in the address, the form to add
//! a user, and disabling or unlocking one.

use aims_app::users::{NewUser, UserQuery};
use aims_app::AppError;
use aims_core::user::User;
use aims_core::{Action, Role};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::account::{notice, roles_up_to};
use super::form::{FormData, FormState};
use super::layout::{query_string, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(add))
        .route("/users/new", get(new))
        .route("/users/{username}/disable", post(disable))
        .route("/users/{username}/unlock", post(unlock))
}

const FIELDS: &[(&str, &str)] = &[
    ("username", "Username"),
    ("display_name", "Display name"),
    ("role", "Role"),
    ("password", "Initial password"),
    ("email", "E-mail address"),
];

const FILTERS: &[(&str, &str)] = &[
    ("q", "Search"),
    ("role", "Role"),
    ("disabled", "State"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &["q", "role", "disabled", "sort", "per_page"];

/// A user with the end of their lockout, if they are locked out.
pub struct UserRow {
    pub u: User,
    pub locked_until: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct ListPage {
    layout: Layout,
    users: Vec<UserRow>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    roles: Vec<Opt>,
    states: Vec<Opt>,
    filtered: bool,
    notice: String,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage {
    layout: Layout,
    form: FormState,
    roles: Vec<Opt>,
}

/// Only admins see the users pages (the navigation offers them to them alone).
fn require_admin(shell: &Shell) -> Result<(), PageError> {
    let role = shell.actor().role;
    if role.permits(Action::ManageUsers) {
        Ok(())
    } else {
        Err(shell.fail(AppError::Forbidden {
            role,
            action: Action::ManageUsers,
        }))
    }
}

async fn list(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    require_admin(&shell)?;
    let notice = notice(&pairs, "added", "User {} was added.")
        .or_else(|| {
            notice(
                &pairs,
                "disabled",
                "User {} was disabled; their sessions were ended.",
            )
        })
        .or_else(|| {
            notice(
                &pairs,
                "unlocked",
                "User {} was unlocked and may sign in again.",
            )
        })
        .unwrap_or_default();
    let mut p = Params::new("/users", KEPT, pairs);
    let q = UserQuery {
        q: p.text("q"),
        role: p.text("role"),
        disabled: p.flag("disabled"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
    };
    let result = state.app.user_search(shell.actor(), &q).await;
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (found, pager) = Pager::of(&p, "users", out.list);
    let locks = state.app.user_locks(shell.actor()).await.or_page(&shell)?;
    let users = found
        .into_iter()
        .map(|u| {
            let locked_until = locks
                .iter()
                .find(|l| l.username == u.username)
                .map(|l| super::layout::when(&l.locked_until))
                .unwrap_or_default();
            UserRow { u, locked_until }
        })
        .collect();
    let page = ListPage {
        layout: shell.layout("users", "Users"),
        users,
        columns: p.columns(
            "key",
            &[
                ("Key", "key"),
                ("Username", "username"),
                ("Name", "name"),
                ("Role", "role"),
            ],
        ),
        pager,
        form: out.form,
        roles: roles_up_to(Role::Admin),
        states: vec![Opt::new("false", "Active"), Opt::new("true", "Disabled")],
        filtered: p.filtered(),
        notice,
    };
    Ok(render(out.status, &page))
}

fn form_page(shell: &Shell, form: FormState, status: StatusCode) -> Response {
    let page = FormPage {
        layout: shell.layout("users", "Add a user"),
        form,
        roles: roles_up_to(Role::Admin),
    };
    render(status, &page)
}

async fn new(PageActor(session): PageActor) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    require_admin(&shell)?;
    let form = FormState::new(FIELDS).set("role", Role::Viewer.as_str());
    Ok(form_page(&shell, form, StatusCode::OK))
}

async fn add(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = NewUser {
        username: form.text("username"),
        display_name: form.text("display_name"),
        role: form.chosen("role"),
        password: form.text("password"),
        email: form.text("email"),
    };
    match state.app.user_add(shell.actor(), &input).await {
        Ok(u) => Ok(back("added", u.username)),
        Err(e) if is_form_error(&e) => Ok(form_page(
            &shell,
            FormState::refused(FIELDS, &form, &e),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Err(e) => Err(shell.fail(e)),
    }
}

/// The users list with a notice naming `username` (`added`, `disabled`, `unlocked`).
fn back(notice: &str, username: String) -> Response {
    Redirect::to(&format!("/users{}", query_string(&[(notice, username)]))).into_response()
}

async fn disable(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let u = state
        .app
        .user_disable(shell.actor(), &username)
        .await
        .or_page(&shell)?;
    Ok(back("disabled", u.username))
}

async fn unlock(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(username): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let u = state
        .app
        .user_unlock(shell.actor(), &username)
        .await
        .or_page(&shell)?;
    Ok(back("unlocked", u.username))
}
