//! Drift as evidently and nannyml define it, for users who compare with those libraries.
//!
//! Computed only when the schema asks (`drift_conventions = ["evidently", "nannyml"]`), from the
//! same sorted windows as [`crate::drift`], for every numeric feature, the score and every
//! categorical feature. Each convention leaves out NaN and ±inf values. The report's
//! [`Drift`] then holds `evidently` and `nannyml` sections keyed by column, and evidently's
//! count and share of drifted columns; see [`evidently`] and [`nannyml`] for the definitions.

pub mod evidently;
pub mod nannyml;
mod numpy;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::drift;
use crate::report::Drift;

/// A library whose drift definitions can be reproduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Convention {
    /// evidently 0.7.23.
    Evidently,
    /// nannyml 0.13.1.
    Nannyml,
}

impl Convention {
    /// Every convention, in the order names are listed in messages.
    pub const ALL: [Convention; 2] = [Convention::Evidently, Convention::Nannyml];

    /// The name used in the schema and the report.
    pub fn name(self) -> &'static str {
        match self {
            Convention::Evidently => "evidently",
            Convention::Nannyml => "nannyml",
        }
    }
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Convention {
    type Err = String;

    fn from_str(s: &str) -> Result<Convention, String> {
        Convention::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Convention::ALL.iter().map(|c| c.name()).collect();
                format!(
                    "drift_conventions: unknown convention '{s}' (known: {})",
                    known.join(", ")
                )
            })
    }
}

impl Serialize for Convention {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Convention {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Convention, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// One column's values under the conventions asked for.
#[derive(Debug, Clone, Default)]
pub(crate) struct ColumnConventions {
    pub evidently: Option<evidently::Column>,
    pub nannyml: Option<nannyml::Column>,
}

impl ColumnConventions {
    pub fn is_empty(&self) -> bool {
        self.evidently.is_none() && self.nannyml.is_none()
    }
}

/// A numeric column's conventions from both windows' present values, sorted ascending.
pub(crate) fn numeric(wanted: &[Convention], r: &[f64], c: &[f64]) -> ColumnConventions {
    if wanted.is_empty() {
        return ColumnConventions::default();
    }
    let (r, c) = (finite(r), finite(c));
    ColumnConventions {
        evidently: wanted
            .contains(&Convention::Evidently)
            .then(|| evidently::numeric(r, c))
            .flatten(),
        nannyml: wanted
            .contains(&Convention::Nannyml)
            .then(|| nannyml::continuous(r, c).map(nannyml::Column::Continuous))
            .flatten(),
    }
}

/// A categorical column's conventions from its drift counts.
pub(crate) fn categorical(wanted: &[Convention], d: &drift::Categorical) -> ColumnConventions {
    ColumnConventions {
        evidently: wanted
            .contains(&Convention::Evidently)
            .then(|| evidently::categorical(d)),
        nannyml: wanted
            .contains(&Convention::Nannyml)
            .then(|| nannyml::Column::Categorical(nannyml::categorical(d))),
    }
}

/// The finite values of sorted values: without the leading -inf and trailing +inf.
fn finite(sorted: &[f64]) -> &[f64] {
    let start = sorted.partition_point(|x| *x == f64::NEG_INFINITY);
    let end = sorted.partition_point(|x| *x < f64::INFINITY);
    &sorted[start..end.max(start)]
}

impl Drift {
    /// An empty drift section with an empty map for each convention asked for.
    pub fn with_conventions(wanted: &[Convention]) -> Drift {
        let evidently = wanted.contains(&Convention::Evidently);
        Drift {
            evidently: evidently.then(BTreeMap::new),
            evidently_drifted_columns: evidently
                .then(|| evidently::drifted_columns(&BTreeMap::new())),
            nannyml: wanted.contains(&Convention::Nannyml).then(BTreeMap::new),
            ..Drift::default()
        }
    }

    /// Adds one column's conventions (to the sections asked for) and updates evidently's count.
    pub(crate) fn insert_conventions(&mut self, name: &str, c: ColumnConventions) {
        if let (Some(map), Some(v)) = (self.evidently.as_mut(), c.evidently) {
            map.insert(name.to_string(), v);
            self.evidently_drifted_columns = Some(evidently::drifted_columns(map));
        }
        if let (Some(map), Some(v)) = (self.nannyml.as_mut(), c.nannyml) {
            map.insert(name.to_string(), v);
        }
    }
}
