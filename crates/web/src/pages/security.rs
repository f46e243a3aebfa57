//! The security audit trail (admins and auditors) and changing one's password.

use aims_app::auth::PasswordChange;
use aims_app::listing::Listed;
use aims_app::security::SecurityQuery;
use aims_core::security::{SecurityEvent, SecurityEventKind};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;

use super::form::{FormData, FormState};
use super::layout::{render, Layout, Opt, PageError, Shell};
use super::system::is_form_error;
use super::table::{Column, Pager, Params};
use crate::auth::{PageActor, SESSION_COOKIE};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/security-events", get(events)).route(
        "/account/password",
        get(password_form).post(change_password),
    )
}

const FILTERS: &[(&str, &str)] = &[
    ("kind", "Kind"),
    ("user", "Username"),
    ("from", "From"),
    ("to", "To"),
    ("sort", "Sort"),
    ("page", "Page"),
    ("per_page", "Per page"),
];

/// The parameters kept in links, in order.
const KEPT: &[&str] = &["kind", "user", "from", "to", "sort", "per_page"];

#[derive(Template)]
#[template(path = "security_events.html")]
struct EventsPage {
    layout: Layout,
    kinds: Vec<Opt>,
    events: Vec<SecurityEvent>,
    columns: Vec<Column>,
    pager: Pager,
    form: FormState,
    filtered: bool,
}

async fn events(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let mut p = Params::new("/security-events", KEPT, pairs);
    let query = SecurityQuery {
        kind: p.text("kind"),
        user: p.text("user"),
        from: p.text("from"),
        to: p.text("to"),
        sort: p.text("sort"),
        page: p.number("page"),
        per_page: p.per_page(),
        ..SecurityQuery::default()
    };
    let result = state
        .app
        .security_events(shell.actor(), &query)
        .await
        .map(|f| Listed {
            items: f.events,
            total: f.total,
            page: f.page,
            per_page: Some(f.per_page),
        });
    let out = p.outcome(FILTERS, result).map_err(|e| shell.fail(e))?;
    let (events, pager) = Pager::of(&p, "events", out.list);
    let page = EventsPage {
        layout: shell.layout("security", "Security events"),
        kinds: SecurityEventKind::ALL
            .iter()
            .map(|k| Opt::new(k.as_str(), k.label()))
            .collect(),
        events,
        columns: p.columns("-seq", &[("Event", "seq")]),
        pager,
        form: out.form,
        filtered: p.filtered(),
    };
    Ok(render(out.status, &page))
}

const PASSWORD_FIELDS: &[(&str, &str)] = &[
    ("current_password", "Current password"),
    ("new_password", "New password"),
];

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    layout: Layout,
    form: FormState,
    notice: String,
}

async fn password_form(
    PageActor(session): PageActor,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let shell = Shell::new(session);
    let notice = if Params::new("/account/password", &[], q)
        .value("changed")
        .is_empty()
    {
        String::new()
    } else {
        "Your password was changed; your other sessions were ended.".into()
    };
    let page = PasswordPage {
        layout: shell.layout("account", "Change your password"),
        form: FormState::new(PASSWORD_FIELDS),
        notice,
    };
    render(StatusCode::OK, &page)
}

async fn change_password(
    State(state): State<AppState>,
    PageActor(session): PageActor,
    jar: CookieJar,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let form = FormData(form);
    let input = PasswordChange {
        current_password: form.get("current_password").map(str::to_owned),
        new_password: form.get("new_password").map(str::to_owned),
    };
    let keep = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    match state
        .app
        .password_change(shell.actor(), keep.as_deref(), &input)
        .await
    {
        Ok(()) => Ok(Redirect::to("/account/password?changed=1").into_response()),
        Err(e) if is_form_error(&e) => {
            let page = PasswordPage {
                layout: shell.layout("account", "Change your password"),
                form: FormState::refused(PASSWORD_FIELDS, &form, &e),
                notice: String::new(),
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(shell.fail(e)),
    }
}
