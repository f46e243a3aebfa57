//! The aims web application: server-rendered pages and the JSON API under `/api/v1`.
//! Handlers turn requests into service calls; they never touch the store.

mod api;
mod audit;
mod auth;
mod csrf;
mod error;
mod headers;
mod limiter;
mod limits;
mod pages;
pub mod upload;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use aims_app::App;
use axum::Router;

pub use api::openapi_document;

/// How the server is run.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (served over TLS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy of one's own).
    pub trust_forwarded_for: bool,
    /// Single sign-on with an OpenID provider, when configured.
    pub sso: Option<Arc<aims_app::sso::Sso>>,
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub app: Arc<App>,
    pub config: WebConfig,
    /// Sign-in attempts per client address (this process only).
    pub login_limiter: Arc<limiter::LoginLimiter>,
}

/// Largest request body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application as a router.
pub fn router(app: App, config: WebConfig) -> Router {
    let login_limiter = Arc::new(limiter::LoginLimiter::new(
        app.settings.login_client_attempts,
        app.settings.login_client_window,
    ));
    let state = AppState {
        app: Arc::new(app),
        config,
        login_limiter,
    };
    let pages = pages::router().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        csrf::guard,
    ));
    Router::new()
        .nest("/api/v1", api::router())
        .merge(pages)
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    headers::security_headers,
                ))
                .layer(axum::middleware::from_fn(limits::too_large))
                .layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    audit::audit,
                ))
                .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT)),
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
    let service = router(app, config).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
