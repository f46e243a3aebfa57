//! Appending the ledger event of a write, inside the write's transaction.

use aims_core::keys::Kind;
use aims_core::ledger::Event;
use aims_store::WriteTx;
use chrono::Utc;
use serde::Serialize;

use crate::{Actor, AppError, Result};

/// The current time as stored.
pub(crate) fn now() -> String {
    aims_core::time::format(Utc::now())
}

/// Records that `actor` did `action` to the entity `key`, whose new state is `state`.
pub(crate) async fn record<T: Serialize>(
    tx: &mut WriteTx,
    actor: &Actor,
    kind: Kind,
    key: &str,
    action: &str,
    state: &T,
) -> Result<Event> {
    let data = aims_core::canonical::of(state).map_err(|e| AppError::Internal(e.to_string()))?;
    let at = now();
    Ok(aims_store::ledger::append(
        tx.conn(),
        &at,
        &actor.ledger_name(),
        kind.name(),
        key,
        action,
        &data,
    )
    .await?)
}
