//! AI risk (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3, Annex C): the versioned method, scoring, the
//! register, and the likelihood that incident history suggests.

pub mod history;
pub mod methodology;
pub mod register;
pub mod scoring;
