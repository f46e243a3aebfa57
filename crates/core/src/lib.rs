//! Domain types and rules of aims. No IO and no async: everything here is a value in, a value out.

pub mod canonical;
pub mod context;
pub mod control;
pub mod error;
pub mod inventory;
pub mod keys;
pub mod ledger;
pub mod role;
pub mod scope;
pub mod soa;
pub mod text;
pub mod time;
pub mod user;
pub mod vocabulary;

pub use error::{FieldError, ValidationErrors};
pub use role::{Action, Role};
