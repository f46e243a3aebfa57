//! The result of one computation, serialisable to JSON.
//!
//! Metric paths for thresholds are the JSON keys joined by dots, e.g.
//! `drift.numeric.num_0.psi`, `performance.current.accuracy`,
//! `fairness.current.age_group.demographic_parity_ratio`, `quality.num_0.missing_rate`; with
//! drift conventions asked for in the schema also `drift.evidently.num_0.wasserstein_normed`,
//! `drift.evidently_drifted_columns.share` and `drift.nannyml.num_0.kolmogorov_smirnov`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::conventions::{evidently, nannyml};
use crate::{drift, fairness, performance, quality, thresholds};

/// Performance of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Performance {
    Binary(performance::Binary),
    Regression(performance::Regression),
}

/// One value per window: reference (when there is one) and current.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Windows<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<T>,
    pub current: T,
}

/// Drift of every feature (and the score).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    pub numeric: BTreeMap<String, drift::Numeric>,
    pub categorical: BTreeMap<String, drift::Categorical>,
    /// Per column, evidently's conventions, when the schema asks for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidently: Option<BTreeMap<String, evidently::Column>>,
    /// evidently's count and share of drifted columns, with `evidently`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidently_drifted_columns: Option<evidently::DriftedColumns>,
    /// Per column, nannyml's conventions, when the schema asks for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nannyml: Option<BTreeMap<String, nannyml::Column>>,
}

/// Every metric of one computation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub rows: Windows<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance: Option<Windows<Performance>>,
    /// Per window, per sensitive attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fairness: Option<Windows<BTreeMap<String, fairness::Attribute>>>,
    /// Reference against current; absent without a reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Drift>,
    /// Quality of the current window's columns.
    pub quality: BTreeMap<String, quality::ColumnQuality>,
    /// Per fixed time window of the current rows (keyed by the window's start, RFC 3339 UTC),
    /// when a window length was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub windows: Option<BTreeMap<String, Window>>,
    /// Thresholds crossed, when thresholds were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<thresholds::Evaluation>,
}

/// The metrics of one time window of the current rows; drift and quality are against the
/// reference when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub rows: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performance: Option<Performance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fairness: Option<BTreeMap<String, fairness::Attribute>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<Drift>,
    pub quality: BTreeMap<String, quality::ColumnQuality>,
}
