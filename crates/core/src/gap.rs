//! Gap analysis: what stands between the management system as it is and ISO/IEC 42001, as a
//! prioritised list. The application gathers the facts; this module decides each gap's severity
//! and the order of the list.
//!
//! # Severity
//!
//! A *core* requirement is one of the AI risk and impact clauses (6.1.2 risk assessment, 6.1.3
//! risk treatment, 6.1.4 impact assessment and their operation in 8.2, 8.3, 8.4), the Annex A
//! controls of A.5 (assessing impacts of AI systems), and the documented information of those
//! clauses. Everything else in the AIMS leans on them.
//!
//! | source | critical | high | medium | low |
//! |---|---|---|---|---|
//! | maturity (sub-clause below its target) | core and (level 0 or 3+ levels short) | core; or level 0; or 3+ levels short | 2 levels short | 1 level short |
//! | no maturity assessment at all | | | always | |
//! | SoA: applicable Annex A control | not implemented and core | not implemented | planned | partially implemented |
//! | SoA: Annex A control without a decision | | | always | |
//! | required documented information missing | | core | otherwise | |
//! | scope never approved | always | | | |

use serde::{Deserialize, Serialize};

crate::vocabulary!(
    /// How urgent a gap is.
    Severity {
        Critical => ("critical", "Critical"),
        High => ("high", "High"),
        Medium => ("medium", "Medium"),
        Low => ("low", "Low"),
    }
);

crate::vocabulary!(
    /// Where a gap was found; also the prefix of its ID.
    GapSource {
        Maturity => ("maturity", "Maturity assessment"),
        Soa => ("soa", "Statement of Applicability"),
        SoaUndecided => ("soa-undecided", "SoA decision missing"),
        DocumentedInformation => ("di", "Documented information"),
        Scope => ("scope", "Scope"),
    }
);

/// The clauses of ISO/IEC 42001 about AI risk and impact.
pub const CORE_CLAUSES: [&str; 6] = ["6.1.2", "6.1.3", "6.1.4", "8.2", "8.3", "8.4"];

/// Whether a clause, Annex A control or documented information ID is a core risk or impact one.
pub fn is_core(id: &str) -> bool {
    let id = id.strip_prefix("DI-").unwrap_or(id);
    let id = id.strip_suffix("-SOA").unwrap_or(id);
    CORE_CLAUSES.contains(&id) || id.starts_with("A.5.")
}

/// The severity of a sub-clause at level `current` whose target is `target` (`current < target`).
pub fn maturity_severity(clause: &str, current: i64, target: i64) -> Severity {
    let short = target - current;
    let core = is_core(clause);
    if core && (current == 0 || short >= 3) {
        Severity::Critical
    } else if core || current == 0 || short >= 3 {
        Severity::High
    } else if short == 2 {
        Severity::Medium
    } else {
        Severity::Low
    }
}

/// The severity of an applicable Annex A control by its derived status; `None` when implemented.
pub fn soa_severity(control_id: &str, status: crate::soa::SoaStatus) -> Option<Severity> {
    use crate::soa::SoaStatus::*;
    match status {
        NotImplemented if is_core(control_id) => Some(Severity::Critical),
        NotImplemented => Some(Severity::High),
        Planned => Some(Severity::Medium),
        PartiallyImplemented => Some(Severity::Low),
        Implemented | Excluded => None,
    }
}

/// The severity of missing documented information.
pub fn documented_information_severity(di_id: &str) -> Severity {
    if is_core(di_id) {
        Severity::High
    } else {
        Severity::Medium
    }
}

/// One gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Gap {
    /// Stable ID: `maturity:6.1.2`, `soa:A.6.2.4`, `soa-undecided:A.7.3`, `di:DI-5.2`,
    /// `scope:unapproved`, `maturity:none`.
    pub id: String,
    #[schema(value_type = String)]
    pub source: GapSource,
    /// The requirement, `ISO42001:6.1.2`.
    pub requirement: String,
    /// Its short title.
    pub title: String,
    /// Where it stands now.
    pub current: String,
    /// Where it should be.
    pub target: String,
    /// critical, high, medium or low.
    #[schema(value_type = String)]
    pub severity: Severity,
    /// What to do about it.
    pub action: String,
    /// Keys of the actions planned to close it (their gap reference is this ID), cancelled ones
    /// left out, in key order.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Position of the requirement in the standard (clauses, then Annex A); sorts the list.
    #[serde(skip)]
    pub order: usize,
}

/// Sorts gaps by severity (critical first), then by the requirement's place in the standard,
/// then by ID.
pub fn prioritise(gaps: &mut [Gap]) {
    gaps.sort_by(|x, y| (x.severity, x.order, &x.id).cmp(&(y.severity, y.order, &y.id)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soa::SoaStatus;

    #[test]
    fn severity_follows_the_documented_rule() {
        assert_eq!(maturity_severity("6.1.2", 0, 3), Severity::Critical);
        assert_eq!(maturity_severity("8.4", 1, 4), Severity::Critical);
        assert_eq!(maturity_severity("8.4", 2, 3), Severity::High);
        assert_eq!(maturity_severity("7.2", 0, 1), Severity::High);
        assert_eq!(maturity_severity("7.2", 1, 4), Severity::High);
        assert_eq!(maturity_severity("7.2", 1, 3), Severity::Medium);
        assert_eq!(maturity_severity("7.2", 2, 3), Severity::Low);
        assert_eq!(
            soa_severity("A.5.2", SoaStatus::NotImplemented),
            Some(Severity::Critical)
        );
        assert_eq!(
            soa_severity("A.6.2.4", SoaStatus::NotImplemented),
            Some(Severity::High)
        );
        assert_eq!(
            soa_severity("A.6.2.4", SoaStatus::Planned),
            Some(Severity::Medium)
        );
        assert_eq!(soa_severity("A.6.2.4", SoaStatus::Implemented), None);
        assert_eq!(
            documented_information_severity("DI-6.1.3-SOA"),
            Severity::High
        );
        assert_eq!(documented_information_severity("DI-5.2"), Severity::Medium);
        assert!(!is_core("A.6.2.4") && !is_core("6.1.1") && is_core("DI-8.2"));
    }

    #[test]
    fn severity_comes_before_order() {
        let gap = |id: &str, severity, order| Gap {
            id: id.into(),
            source: GapSource::Maturity,
            requirement: String::new(),
            title: String::new(),
            current: String::new(),
            target: String::new(),
            severity,
            action: String::new(),
            actions: Vec::new(),
            order,
        };
        let mut gaps = vec![
            gap("b", Severity::Low, 1),
            gap("c", Severity::High, 9),
            gap("a", Severity::High, 2),
            gap("d", Severity::Critical, 30),
        ];
        prioritise(&mut gaps);
        let ids: Vec<&str> = gaps.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, vec!["d", "a", "c", "b"]);
    }
}
