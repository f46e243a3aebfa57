//! What the security trail needs from each request: the client's address, who the caller turned
//! out to be, and whether a service refused them. Refusals of every API call and page pass this
//! one layer, which records them through the app's security service.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use aims_app::Actor;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The client's address (request extension).
#[derive(Debug, Clone, Default)]
pub struct ClientAddr(pub Option<String>);

/// The caller of this request once an extractor has resolved them (request extension).
#[derive(Debug, Clone, Default)]
pub struct Caller(Arc<Mutex<Option<Actor>>>);

impl Caller {
    fn set(&self, actor: &Actor) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(actor.clone());
        }
    }

    fn get(&self) -> Option<Actor> {
        self.0.lock().ok().and_then(|slot| slot.clone())
    }
}

/// A refusal by a service, named in words (response extension).
#[derive(Debug, Clone)]
pub struct Denied(pub String);

/// The client address of a request whose parts are at hand.
pub fn client(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ClientAddr>()
        .and_then(|c| c.0.clone())
}

/// Notes who the caller is, for the refusal record.
pub fn remember(parts: &Parts, actor: &Actor) {
    if let Some(c) = parts.extensions.get::<Caller>() {
        c.set(actor);
    }
}

/// The address a request came from: the peer, or with `trust_forwarded` (behind a proxy of
/// one's own) the last address the proxy added to `X-Forwarded-For`.
fn address(peer: Option<SocketAddr>, headers: &HeaderMap, trust_forwarded: bool) -> Option<String> {
    if trust_forwarded {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty() && v.parse::<std::net::IpAddr>().is_ok());
        if let Some(f) = forwarded {
            return Some(f.to_owned());
        }
    }
    peer.map(|p| p.ip().to_string())
}

pub async fn audit(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = address(peer, req.headers(), state.config.trust_forwarded_for);
    let what = format!("{} {}", req.method(), req.uri().path());
    let caller = Caller::default();
    req.extensions_mut().insert(ClientAddr(client.clone()));
    req.extensions_mut().insert(caller.clone());
    let res = next.run(req).await;
    if let (Some(Denied(why)), Some(actor)) = (res.extensions().get::<Denied>(), caller.get()) {
        let detail = format!("{what}: {why}");
        if let Err(e) = state
            .app
            .security_denied(&actor, client.as_deref(), &detail)
            .await
        {
            tracing::error!(error = %e, "could not record a permission denial");
        }
    }
    res
}

/// The client address as a handler argument.
pub struct Client(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(client(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_count_only_when_trusted() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        let peer: Option<SocketAddr> = "127.0.0.1:4000".parse().ok();
        assert_eq!(address(peer, &h, false).as_deref(), Some("127.0.0.1"));
        assert_eq!(address(peer, &h, true).as_deref(), Some("198.51.100.7"));
        assert_eq!(
            address(peer, &HeaderMap::new(), true).as_deref(),
            Some("127.0.0.1")
        );
    }
}
