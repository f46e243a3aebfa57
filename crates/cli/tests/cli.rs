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
#[path = "cli/harness.rs"]
mod harness;
#[path = "cli/inventory.rs"]
mod inventory;
#[path = "cli/ledger_demo.rs"]
mod ledger_demo;
#[path = "cli/monitor.rs"]
mod monitor;
#[path = "cli/postgres.rs"]
mod postgres;
#[path = "cli/soa.rs"]
mod soa;
