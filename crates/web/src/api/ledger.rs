//! The change ledger: events, verification, checkpoints.

use aims_app::ledger::{LedgerQuery, MAX_LOG};
use aims_core::ledger::Checkpoint;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::{total_count, ApiQuery};
use crate::auth::ApiActor;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger/events", get(events))
        .route("/ledger/verify", get(verify))
        .route("/ledger/checkpoint", get(checkpoint))
}

/// The ledger's filters, and two older names kept for clients written against them.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Only events of this record (`SYS-3`).
    pub key: Option<String>,
    /// The same as `key` (its older name).
    pub entity: Option<String>,
    /// Only events of this kind of record (`ai_system`, `risk`, ...).
    pub kind: Option<String>,
    /// Only events by this user, directly or through one of their API tokens.
    pub actor: Option<String>,
    /// Only events of this action (`create`, `update`, `approve`, ...).
    pub action: Option<String>,
    /// Only events on or after this day (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Only events on or before this day (YYYY-MM-DD, UTC).
    pub to: Option<String>,
    /// Only events before this sequence number (reading on from the last event seen).
    pub before: Option<i64>,
    /// `seq` (oldest first) or `-seq` (newest first, the default).
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<i64>,
    /// Events per page (1 to 1000, default 50).
    pub per_page: Option<i64>,
    /// The same as `per_page` (its older name).
    pub limit: Option<i64>,
}

impl EventsQuery {
    fn into_query(self) -> Result<LedgerQuery, ApiError> {
        let one = |new: Option<String>, old: Option<String>, name: &str| match (new, old) {
            (Some(_), Some(_)) => Err(ApiError(aims_app::AppError::invalid(
                name,
                "give either this or its older name, not both",
            ))),
            (n, o) => Ok(n.or(o)),
        };
        let per_page = match (self.per_page, self.limit) {
            (Some(_), Some(_)) => {
                return Err(ApiError(aims_app::AppError::invalid(
                    "per_page",
                    "give either per_page or limit, not both",
                )))
            }
            (None, Some(l)) if !(1..=MAX_LOG).contains(&l) => {
                return Err(ApiError(aims_app::AppError::invalid(
                    "limit",
                    format!("must be between 1 and {MAX_LOG}"),
                )))
            }
            (p, l) => p.or(l),
        };
        Ok(LedgerQuery {
            key: one(self.key, self.entity, "key")?,
            kind: self.kind,
            actor: self.actor,
            action: self.action,
            from: self.from,
            to: self.to,
            before: self.before,
            sort: self.sort,
            page: self.page,
            per_page,
        })
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// Sequence number of a checkpoint kept earlier; give `hash` with it.
    pub seq: Option<i64>,
    /// Hash of the checkpoint's event.
    pub hash: Option<String>,
}

/// Events, newest first unless `sort=seq`, filtered and a page at a time; the number of all
/// matches is in `x-total-count`.
#[utoipa::path(get, path = "/ledger/events", tag = "ledger", security(("bearer" = [])), params(EventsQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many events match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn events(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<EventsQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.ledger_list(&a, &q.into_query()?).await?;
    Ok((total_count(l.total), Json(l.items)))
}

/// Verifies the chain and every entity against its last recorded state; with `seq` and `hash`,
/// also proves that nothing up to that checkpoint was rewritten.
#[utoipa::path(get, path = "/ledger/verify", tag = "ledger", security(("bearer" = [])), params(VerifyQuery),
    responses((status = 200, body = Object), (status = 422, body = Problem)))]
async fn verify(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<VerifyQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let checkpoint = match (q.seq, q.hash) {
        (None, None) => None,
        (Some(seq), Some(hash)) => Some(Checkpoint { seq, hash }),
        _ => {
            return Err(ApiError(aims_app::AppError::invalid(
                "hash",
                "seq and hash go together",
            )))
        }
    };
    Ok(Json(s.app.ledger_verify(&a, checkpoint.as_ref()).await?))
}

/// The head of the chain, for an auditor to keep.
#[utoipa::path(get, path = "/ledger/checkpoint", tag = "ledger", security(("bearer" = [])), responses((status = 200, body = Object)))]
async fn checkpoint(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(s.app.ledger_checkpoint(&a).await?))
}
