//! Domain types and rules of aims. No IO and no async: everything here is a value in, a value out.

pub mod action;
pub mod canonical;
pub mod certbody;
pub mod context;
pub mod control;
pub mod coverage;
pub mod error;
pub mod gap;
pub mod impact;
pub mod incident;
pub mod integration;
pub mod inventory;
pub mod journey;
pub mod keys;
pub mod ledger;
pub mod maturity;
pub mod monitoring;
pub mod nonconformity;
pub mod notification;
pub mod risk;
pub mod role;
pub mod scope;
pub mod security;
pub mod soa;
pub mod sso;
pub mod text;
pub mod time;
pub mod user;
pub mod vocabulary;

pub use error::{FieldError, ValidationErrors};
pub use role::{Action, Role};
