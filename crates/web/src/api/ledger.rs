//! The change ledger: events, verification, checkpoints.

use aims_app::ledger::LedgerQuery;
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
#[utoipa::path(get, path = "/ledger/events", tag = "ledger", security(("bearer" = [])), params(LedgerQuery),
    responses((status = 200, body = [Object], headers(("x-total-count" = i64, description = "How many events match the filters, on every page"))),
        (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn events(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let l = s.app.ledger_list(&a, &q).await?;
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
