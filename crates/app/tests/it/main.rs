//! Integration tests of the services, run on SQLite and, when `AIMS_TEST_POSTGRES_URL` is set, on PostgreSQL.

mod harness;
mod smoke;
