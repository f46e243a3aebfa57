//! Views derived from many records, kept until the data under them can have changed.
//!
//! Every write appends a ledger event in its own transaction, so the ledger's head sequence
//! number names a state of the whole database, across every process that shares it. A view
//! computed at head `n` on day `d` is served again while the head is still `n` and the day still
//! `d` (views that speak of overdue reviews depend on the day). Finding the head is one indexed
//! read; computing a view over 100,000 risks is hundreds of them.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use aims_core::Role;
use chrono::NaiveDate;
use tokio::sync::Mutex;

use crate::risk_views::RiskViews;
use crate::role_dashboard::{RoleDashboard, View};

/// What a cached view was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub head: i64,
    pub day: NaiveDate,
}

/// One cached view and its stamp.
#[derive(Debug)]
pub(crate) struct Slot<T> {
    held: Mutex<Option<(Stamp, Arc<T>)>>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot {
            held: Mutex::new(None),
        }
    }
}

impl<T> Slot<T> {
    /// The view for `stamp`: the kept one when it was computed at `stamp`, else a new one from
    /// `compute` (kept in its place). Concurrent callers wait for one computation.
    pub async fn get_or<F, Fut, E>(&self, stamp: Stamp, compute: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        let mut held = self.held.lock().await;
        if let Some((at, view)) = held.as_ref() {
            if *at == stamp {
                return Ok(view.clone());
            }
        }
        let view = Arc::new(compute().await?);
        *held = Some((stamp, view.clone()));
        Ok(view)
    }
}

/// Keys a [`Keyed`] cache holds at most; when it is full, all are let go.
const KEYED_AT_MOST: usize = 1_024;

/// Views that differ by key (one per user and dashboard), each with its stamp. Unlike
/// [`Slot`], a miss does not hold up other keys: two callers missing the same key may both
/// compute it.
#[derive(Debug)]
pub(crate) struct Keyed<K, T> {
    held: std::sync::Mutex<HashMap<K, (Stamp, Arc<T>)>>,
}

impl<K, T> Default for Keyed<K, T> {
    fn default() -> Self {
        Keyed {
            held: std::sync::Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash, T> Keyed<K, T> {
    /// The view of `key` for `stamp`: the kept one when it was computed at `stamp`, else a new
    /// one from `compute` (kept in its place).
    pub async fn get_or<F, Fut, E>(&self, key: K, stamp: Stamp, compute: F) -> Result<Arc<T>, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        if let Ok(held) = self.held.lock() {
            if let Some((at, view)) = held.get(&key) {
                if *at == stamp {
                    return Ok(view.clone());
                }
            }
        }
        let view = Arc::new(compute().await?);
        if let Ok(mut held) = self.held.lock() {
            if held.len() >= KEYED_AT_MOST {
                held.clear();
            }
            held.insert(key, (stamp, view.clone()));
        }
        Ok(view)
    }
}

/// The views the application keeps.
#[derive(Debug, Default)]
pub(crate) struct Views {
    pub risk_views: Slot<RiskViews>,
    /// Each user's dashboards, by username, role and view.
    pub dashboards: Keyed<(String, Role, View), RoleDashboard>,
    /// Each user's count of due items (the header badge), by username and role.
    pub badges: Keyed<(String, Role), usize>,
    /// How many risks match a register filter, by the filter (its page and order aside).
    pub risk_counts: Keyed<String, i64>,
    /// How many ledger events match a filter, by the filter.
    pub ledger_counts: Keyed<String, i64>,
}
