//! Integration tests of the services, run on SQLite and, when `AIMS_TEST_POSTGRES_URL` is set, on PostgreSQL.

mod auth;
mod concurrency;
mod context;
mod controls;
mod harness;
mod inventory;
mod inventory_csv;
mod inventory_list;
mod inventory_search;
mod ledger;
mod ledger_checkpoint;
mod ledger_long;
mod ledger_rows;
mod ledger_tamper;
mod migrations;
mod permissions;
mod scope;
mod scope_rules;
mod smoke;
mod soa;
mod users;
