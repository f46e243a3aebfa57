//! The signed-in user's notifications: what is due or overdue for them, overdue first.

use aims_app::notifications::Notifications;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::layout::{ok, Layout, OrPage, PageError, Shell};
use crate::auth::PageActor;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/notifications", get(show))
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    n: Notifications,
}

async fn show(
    State(state): State<AppState>,
    PageActor(session): PageActor,
) -> Result<Response, PageError> {
    let shell = Shell::new(session);
    let n = state
        .app
        .notifications(shell.actor())
        .await
        .or_page(&shell)?;
    Ok(ok(&NotificationsPage {
        layout: shell.layout("notifications", "Notifications"),
        n,
    }))
}
