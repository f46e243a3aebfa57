//! The user's account: API tokens and the e-mail address for digests.

use aims_app::auth::NewToken;
use aims_app::users::UserUpdate;
use aims_app::AppError;
use aims_core::user::ApiToken;
use aims_core::Role;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};

use super::form::{FormData, FormState};
use super::layout::{query_string, render, Layout, Opt, OrPage, PageError, Shell};
use super::system::is_form_error;
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(account))
        .route("/account/tokens", post(create_token))
        .route("/account/email", post(set_email))
        .route("/account/tokens/{key}/revoke", post(revoke_token))
}

const TOKEN_FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("role", "Role"),
    ("expires_in_days", "Lifetime in days"),
];
const EMAIL_FIELDS: &[(&str, &str)] = &[("email", "E-mail address")];

/// A token with its state in words.
pub struct TokenRow {
    pub t: ApiToken,
    pub state: String,
    pub active: bool,
    pub last_used: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    tokens: Vec<TokenRow>,
    form: FormState,
    email_form: FormState,
    roles: Vec<Opt>,
    notice: String,
}

#[derive(Template)]
#[template(path = "token_created.html")]
struct CreatedPage {
    layout: Layout,
    t: ApiToken,
    secret: String,
}

pub(super) fn roles_up_to(role: Role) -> Vec<Opt> {
    Role::ALL
        .iter()
        .filter(|r| role.covers(**r))
        .map(|r| Opt::new(r.as_str(), r.label()))
        .collect()
}

/// `text` with `{}` replaced by the value of `name`, when the address has it.
pub(super) fn notice(q: &[(String, String)], name: &str, text: &str) -> Option<String> {
    q.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| text.replace("{}", v))
}

async fn account_page(
    state: &AppState,
    shell: &Shell,
    form: FormState,
    email_form: Option<FormState>,
    notice: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let now = aims_core::time::format(chrono::Utc::now());
    let tokens = state
        .app
        .token_list(shell.actor())
        .await
        .or_page(shell)?
        .into_iter()
        .map(|v| {
            let t = v.token;
            let last_used = v
                .last_used_at
                .as_deref()
                .map(super::layout::when)
                .unwrap_or_else(|| "never".into());
            let (state, active) = match &t.revoked_at {
                Some(at) => (format!("Revoked {}", super::layout::when(at)), false),
                None if t.expires_at < now => (
                    format!("Expired {}", super::layout::when(&t.expires_at)),
                    false,
                ),
                None => (
                    format!("Active until {}", super::layout::when(&t.expires_at)),
                    true,
                ),
            };
            TokenRow {
                t,
                state,
                active,
                last_used,
            }
        })
        .collect();
    let email_form = match email_form {
        Some(f) => f,
        None => {
            let me = state
                .app
                .user_list(shell.actor())
                .await
                .or_page(shell)?
                .into_iter()
                .find(|u| u.username == shell.actor().username);
            FormState::new(EMAIL_FIELDS).set("email", me.and_then(|u| u.email).unwrap_or_default())
        }
    };
    let page = AccountPage {
        layout: shell.layout("account", "Account"),
        tokens,
        form,
        email_form,
        roles: roles_up_to(shell.actor().role),
        notice,
    };
    Ok(render(status, &page))
}

fn token_form(shell: &Shell) -> FormState {
    FormState::new(TOKEN_FIELDS)
        .set("role", shell.actor().role.as_str())
        .set("expires_in_days", "90")
}

async fn account(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let notice = notice(&q, "revoked", "Token {} was revoked.")
        .or_else(|| notice(&q, "email", "Your e-mail address is now {}."))
        .unwrap_or_default();
    account_page(
        &state,
        &shell,
        token_form(&shell),
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

async fn create_token(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let days = match form.chosen("expires_in_days") {
        None => Ok(None),
        Some(d) => d.parse::<i64>().map(Some).map_err(|_| {
            AppError::invalid("expires_in_days", format!("'{d}' is not a whole number"))
        }),
    };
    let result = match days {
        Ok(days) => {
            let input = NewToken {
                name: form.text("name"),
                role: form.chosen("role"),
                expires_in_days: days,
            };
            state.app.token_create(shell.actor(), &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(created) => {
            let page = CreatedPage {
                layout: shell.layout("account", "Token created"),
                t: created.token,
                secret: created.secret,
            };
            let mut res = render(StatusCode::OK, &page);
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            Ok(res)
        }
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(TOKEN_FIELDS, &form, &e);
            account_page(
                &state,
                &shell,
                refused,
                None,
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

/// Sets or removes the signed-in user's e-mail address for notification digests.
async fn set_email(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = UserUpdate {
        email: Some(form.text("email").unwrap_or_default()),
    };
    let me = shell.actor().username.clone();
    match state.app.user_update(shell.actor(), &me, &input).await {
        Ok(u) => {
            let shown = u.email.unwrap_or_else(|| "removed".into());
            Ok(
                Redirect::to(&format!("/account{}", query_string(&[("email", shown)])))
                    .into_response(),
            )
        }
        Err(e) if is_form_error(&e) => {
            let refused = FormState::refused(EMAIL_FIELDS, &form, &e);
            account_page(
                &state,
                &shell,
                token_form(&shell),
                Some(refused),
                String::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(shell.fail(e)),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let t = state
        .app
        .token_revoke(shell.actor(), &key)
        .await
        .or_page(&shell)?;
    Ok(Redirect::to(&format!("/account{}", query_string(&[("revoked", t.key)]))).into_response())
}
