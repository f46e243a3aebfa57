//! Implementations of other management-system standards an organisation already runs (ISO/IEC
//! 27001, ISO 9001), as imported from its own register: where each control or clause stands.

use serde::{Deserialize, Serialize};

use crate::coverage::Implementation;

/// One control or clause of the other standard and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExternalItem {
    /// The item's ID in the other standard's catalog (`A.5.1`, `7.5`).
    pub id: String,
    #[schema(value_type = String)]
    pub status: Implementation,
    pub note: String,
}

/// The recorded implementation of one framework: the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExternalImplementation {
    /// The framework's catalog ID (`ISO27001`).
    pub framework: String,
    /// The file it was imported from.
    pub source: String,
    pub imported_by: String,
    pub imported_at: String,
    /// Items in catalog order.
    pub items: Vec<ExternalItem>,
}

/// The ledger key of a framework's recorded implementation (`EXT:ISO27001`).
pub fn key(framework: &str) -> String {
    format!("EXT:{framework}")
}
