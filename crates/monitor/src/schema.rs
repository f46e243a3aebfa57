//! The per-system log schema (TOML): which column holds what.
//!
//! ```toml
//! task = "binary"            # or "regression"
//! timestamp = "timestamp"
//! label = "label"
//! prediction = "prediction"
//! score = "score"            # binary only: the positive-class probability
//! positive_label = 1         # binary only; default 1
//! sensitive = ["sex", "age_group"]
//! numeric = ["num_0", "num_1"]
//! categorical = ["cat_channel"]
//! drift_conventions = ["evidently", "nannyml"]   # optional: drift as those libraries define it
//!
//! [groups]                   # optional: the groups a sensitive attribute holds
//! sex = ["F", "M"]
//! ```
//!
//! Declared groups make fairness strict: a value that is not declared, or a declared group with
//! no rows in the reference or the current window, is refused. Without a declaration, a group
//! seen in the reference that has no rows in the current window is refused (its rates would
//! silently drop out). The time windows of a windowed run may lack a group: each one's
//! fairness lists the groups it holds.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::conventions::Convention;
use crate::error::{MonitorError, Result};

/// What the model predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// A binary classifier: label and prediction are 0/1 (or `positive_label`), score in [0, 1].
    Binary,
    /// A regressor: label and prediction are numbers.
    Regression,
}

/// The columns of one AI system's prediction log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSchema {
    pub task: Task,
    /// Event time; needed to split one file at a cutoff.
    pub timestamp: Option<String>,
    /// Ground truth; without it no performance or fairness rates are computed.
    pub label: Option<String>,
    /// The model's output.
    pub prediction: Option<String>,
    /// Binary only: the predicted probability of the positive class.
    pub score: Option<String>,
    /// Binary only: the label value that counts as positive (default 1).
    #[serde(default = "one")]
    pub positive_label: f64,
    /// Sensitive attributes (categorical) for fairness.
    #[serde(default)]
    pub sensitive: Vec<String>,
    /// Numeric features for drift and quality.
    #[serde(default)]
    pub numeric: Vec<String>,
    /// Categorical features for drift and quality.
    #[serde(default)]
    pub categorical: Vec<String>,
    /// Libraries whose drift definitions are also computed (see [`crate::conventions`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drift_conventions: Vec<Convention>,
    /// Optional: per sensitive attribute, the groups it holds.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Vec<String>>,
}

fn one() -> f64 {
    1.0
}

impl LogSchema {
    /// Reads and checks a schema file.
    pub fn load(path: &Path) -> Result<LogSchema> {
        let text = std::fs::read_to_string(path).map_err(|e| MonitorError::Schema {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        LogSchema::parse(&text).map_err(|message| MonitorError::Schema {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses and checks schema text; the error is a message for the user.
    pub fn parse(text: &str) -> std::result::Result<LogSchema, String> {
        let schema: LogSchema = toml::from_str(text).map_err(|e| e.message().to_string())?;
        schema.check()?;
        Ok(schema)
    }

    fn check(&self) -> std::result::Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for name in self.all_columns() {
            if name.is_empty() {
                return Err("a column name is empty".into());
            }
            if !seen.insert(name) {
                return Err(format!("column '{name}' is named twice"));
            }
        }
        if self.task == Task::Regression && self.score.is_some() {
            return Err("'score' applies to task = \"binary\" only".into());
        }
        if !self.sensitive.is_empty() && (self.label.is_none() || self.prediction.is_none()) {
            return Err("'sensitive' needs both 'label' and 'prediction'".into());
        }
        for (i, c) in self.drift_conventions.iter().enumerate() {
            if self.drift_conventions[..i].contains(c) {
                return Err(format!("drift_conventions: '{c}' is named twice"));
            }
        }
        for (attribute, groups) in &self.groups {
            if !self.sensitive.contains(attribute) {
                return Err(format!(
                    "groups.{attribute}: '{attribute}' is not a sensitive attribute"
                ));
            }
            if groups.len() < 2 {
                return Err(format!(
                    "groups.{attribute}: fairness compares at least two groups"
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            if let Some(twice) = groups.iter().find(|g| !seen.insert(*g)) {
                return Err(format!("groups.{attribute}: '{twice}' is listed twice"));
            }
        }
        Ok(())
    }

    /// Every column the schema names, each once.
    pub fn all_columns(&self) -> Vec<&str> {
        let singles = [&self.timestamp, &self.label, &self.prediction, &self.score];
        singles
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(self.sensitive.iter().map(String::as_str))
            .chain(self.numeric.iter().map(String::as_str))
            .chain(self.categorical.iter().map(String::as_str))
            .collect()
    }

    /// The numeric columns whose distribution is compared: numeric features, then the score.
    pub fn drift_numeric(&self) -> Vec<&str> {
        let mut cols: Vec<&str> = self.numeric.iter().map(String::as_str).collect();
        cols.extend(self.score.as_deref());
        cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_parses_and_rejects_unknown_keys_and_duplicates() {
        let s = LogSchema::parse(
            "task = \"binary\"\nlabel = \"y\"\nprediction = \"p\"\nsensitive = [\"sex\"]\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.positive_label, 1.0);
        assert!(LogSchema::parse("task = \"binary\"\nlabels = \"y\"\n").is_err());
        assert!(LogSchema::parse("task = \"binary\"\nlabel = \"y\"\nnumeric = [\"y\"]\n").is_err());
        assert!(LogSchema::parse("task = \"regression\"\nscore = \"s\"\n").is_err());
    }

    #[test]
    fn declared_groups_belong_to_a_sensitive_attribute_and_are_distinct() {
        let head = "task = \"binary\"\nlabel = \"y\"\nprediction = \"p\"\nsensitive = [\"sex\"]\n";
        let ok = LogSchema::parse(&format!("{head}[groups]\nsex = [\"F\", \"M\"]\n"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.groups["sex"], ["F", "M"]);
        let err = |groups: &str| {
            LogSchema::parse(&format!("{head}[groups]\n{groups}\n"))
                .err()
                .unwrap_or_else(|| panic!("{groups} was accepted"))
        };
        assert_eq!(
            err("age = [\"a\", \"b\"]"),
            "groups.age: 'age' is not a sensitive attribute"
        );
        assert_eq!(
            err("sex = [\"F\"]"),
            "groups.sex: fairness compares at least two groups"
        );
        assert_eq!(
            err("sex = [\"F\", \"F\"]"),
            "groups.sex: 'F' is listed twice"
        );
    }

    #[test]
    fn drift_conventions_are_known_names_each_once() {
        let s = LogSchema::parse(
            "task = \"binary\"\ndrift_conventions = [\"nannyml\", \"evidently\"]\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.drift_conventions,
            vec![Convention::Nannyml, Convention::Evidently]
        );
        let none = LogSchema::parse("task = \"binary\"\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(none.drift_conventions.is_empty());
        let unknown = LogSchema::parse("task = \"binary\"\ndrift_conventions = [\"alibi\"]\n");
        assert_eq!(
            unknown.err().as_deref(),
            Some("drift_conventions: unknown convention 'alibi' (known: evidently, nannyml)")
        );
        let twice =
            LogSchema::parse("task = \"binary\"\ndrift_conventions = [\"nannyml\", \"nannyml\"]\n");
        assert_eq!(
            twice.err().as_deref(),
            Some("drift_conventions: 'nannyml' is named twice")
        );
    }
}
