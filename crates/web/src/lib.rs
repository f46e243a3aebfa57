//! The aims web application: server-rendered pages and the JSON API under `/api/v1`.
//! Handlers turn requests into service calls; they never touch the store.

mod api;
mod auth;
mod error;
mod headers;
mod pages;
pub mod upload;

use std::future::Future;
use std::sync::Arc;

use aims_app::App;
use axum::Router;

pub use api::openapi_document;

/// How the server is run.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (served over TLS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Single sign-on with an OpenID provider, when configured.
    pub sso: Option<Arc<aims_app::sso::Sso>>,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    pub config: WebConfig,
}

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application as a router.
pub fn router(app: App, config: WebConfig) -> Router {
    let state = AppState {
        app: Arc::new(app),
        config,
    };
    Router::new()
        .nest("/api/v1", api::router())
        .merge(pages::router())
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
                .layer(axum::middleware::from_fn(headers::security_headers)),
        )
        .with_state(state)
}

/// Serves on `listener` until `shutdown` resolves.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app, config))
        .with_graceful_shutdown(shutdown)
        .await
}
