//! End-to-end tests of the `aims` binary: one test binary, a fresh data directory per test.

#[path = "cli/accounts.rs"]
mod accounts;
#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/catalog.rs"]
mod catalog;
#[path = "cli/context_scope.rs"]
mod context_scope;
#[path = "cli/control.rs"]
mod control;
#[path = "cli/coverage.rs"]
mod coverage;
#[path = "cli/harness.rs"]
mod harness;
#[path = "cli/impact.rs"]
mod impact;
#[path = "cli/incident.rs"]
mod incident;
#[path = "cli/inventory.rs"]
mod inventory;
#[path = "cli/ledger_demo.rs"]
mod ledger_demo;
#[path = "cli/maturity.rs"]
mod maturity;
#[path = "cli/monitor.rs"]
mod monitor;
#[path = "cli/monitoring.rs"]
mod monitoring;
#[path = "cli/notifications.rs"]
mod notifications;
#[path = "cli/postgres.rs"]
mod postgres;
#[path = "cli/risk.rs"]
mod risk;
#[path = "cli/roadmap.rs"]
mod roadmap;
#[path = "cli/soa.rs"]
mod soa;
#[path = "cli/sso.rs"]
mod sso;
