//! Monitoring metrics over an AI system's prediction logs, exact and without a database.
//!
//! A [`schema::LogSchema`] names the log's columns; [`read`] loads only those columns from CSV,
//! Parquet or NDJSON into column vectors (Parquet one column at a time); [`compute`] splits the
//! rows into a reference and a current window and computes [`performance`], [`fairness`],
//! [`drift`] and [`quality`] into a serialisable [`report::Report`]; [`thresholds`] turns the
//! report into warnings and breaches. Every value is computed exactly from all rows: no sketches
//! and no sampling. The definitions follow scikit-learn, fairlearn, numpy and scipy, as each
//! module documents.
//!
//! Drift conventions: a schema may also ask for drift as evidently (0.7.23) or nannyml (0.13.1)
//! define it (`drift_conventions = ["evidently", "nannyml"]`). [`conventions`] then adds, per
//! column, evidently's PSI and Jensen-Shannon distance on its own bins, normed Wasserstein
//! distance, KS and chi-square p-values, its default test with threshold and verdict, and its
//! count of drifted columns; and nannyml's KS statistic, Wasserstein and Jensen-Shannon
//! distances and chi-square statistic, including the binned approximations nannyml makes from
//! 10 000 reference values on (these are its values, not the exact ones).

pub mod buffers;
pub mod conventions;
pub mod drift;
pub mod error;
pub mod fairness;
pub mod ksdist;
pub mod performance;
pub mod quality;
pub mod read;
pub mod report;
pub mod schema;
pub mod sort;
pub mod thresholds;

mod engine;
mod fastcsv;
mod stream;

pub use engine::{compute, Input, Options, Progress, Step, Tasks};
pub use error::MonitorError;
pub use report::Report;
pub use schema::LogSchema;
