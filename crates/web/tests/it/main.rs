//! Integration tests of the web application through real HTTP, on SQLite and, when
//! `AIMS_TEST_POSTGRES_URL` is set, on PostgreSQL.

mod api;
mod area_permissions;
mod catalogs;
mod coverage;
mod harness;
mod impacts;
mod incidents;
mod lists;
mod maturity;
mod monitoring;
mod notifications;
mod pages;
mod permission_matrix;
mod registers;
mod risks;
mod roadmap;
mod search;
mod security_auth;
mod security_forms;
mod sso;
