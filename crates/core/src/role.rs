//! Roles and the permission table. Services ask `Role::permits` before every read or write.

crate::vocabulary!(
    /// What a user (and any token they create) may do.
    Role {
        Admin => ("admin", "Administrator"),
        GovernanceLead => ("governance_lead", "Governance lead"),
        RiskOwner => ("risk_owner", "Risk owner"),
        Contributor => ("contributor", "Contributor"),
        Auditor => ("auditor", "Auditor"),
        Viewer => ("viewer", "Viewer"),
    }
);

/// Everything a service can be asked to do, as far as permission goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read any record of the management system (inventory, context, scope, ledger).
    Read,
    /// Add and update AI systems.
    WriteInventory,
    /// Retire an AI system.
    RetireSystem,
    /// Add, update and archive context issues and interested parties.
    WriteContext,
    /// Propose a new scope version.
    WriteScope,
    /// Add, update and link the organisation's controls.
    WriteControls,
    /// Approve a scope version.
    ApproveScope,
    /// Add and disable users.
    ManageUsers,
    /// Create and revoke one's own API tokens.
    ManageOwnTokens,
    /// Seed the demo organisation.
    SeedDemo,
    /// Import frameworks and crosswalks (the organisation's own, or licensed text).
    ImportCatalogs,
    /// Add, assess, treat, accept and review risks (acceptance also needs the method's say).
    WriteRisks,
    /// Record a new version of the risk assessment method.
    ChangeMethodology,
    /// Record maturity assessments.
    WriteMaturity,
    /// Add and change the actions of the roadmap (a contributor may still move their own).
    PlanActions,
    /// Add and change certification bodies and record leadership briefings.
    ManageCertification,
    /// Import the registers of other management systems (ISO/IEC 27001, ISO 9001).
    ImportRegisters,
    ManageMonitoring,
    RecordMonitoring,
    /// Report incidents and work them through their workflow.
    WriteIncidents,
    /// Record nonconformities, their corrective actions and effectiveness checks.
    ManageNonconformities,
    /// Read the security audit trail (sign-ins, lockouts, token use, refusals).
    ReadSecurityEvents,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::Read,
        Action::WriteInventory,
        Action::RetireSystem,
        Action::WriteContext,
        Action::WriteScope,
        Action::WriteControls,
        Action::ApproveScope,
        Action::ManageUsers,
        Action::ManageOwnTokens,
        Action::SeedDemo,
        Action::ImportCatalogs,
        Action::WriteRisks,
        Action::ChangeMethodology,
        Action::WriteMaturity,
        Action::PlanActions,
        Action::ManageCertification,
        Action::ImportRegisters,
        Action::ManageMonitoring,
        Action::RecordMonitoring,
        Action::WriteIncidents,
        Action::ManageNonconformities,
        Action::ReadSecurityEvents,
    ];

    /// What the action is, in words, for error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Read => "read records",
            Action::WriteInventory => "add or change AI systems",
            Action::RetireSystem => "retire AI systems",
            Action::WriteContext => "change context issues or interested parties",
            Action::WriteScope => "propose scope versions",
            Action::WriteControls => "add, change or link controls",
            Action::ApproveScope => "approve scope versions",
            Action::ManageUsers => "manage users",
            Action::ManageOwnTokens => "manage API tokens",
            Action::SeedDemo => "seed the demo organisation",
            Action::ImportCatalogs => "import frameworks or crosswalks",
            Action::WriteRisks => "add, assess, treat, accept or review risks",
            Action::ChangeMethodology => "change the risk assessment method",
            Action::WriteMaturity => "record maturity assessments",
            Action::PlanActions => "add or change roadmap actions",
            Action::ManageCertification => {
                "change certification bodies or record leadership briefings"
            }
            Action::ImportRegisters => "import the registers of other management systems",
            Action::ManageMonitoring => "set the monitoring plans of AI systems",
            Action::RecordMonitoring => "record monitoring runs and acknowledge alerts",
            Action::WriteIncidents => "report or change incidents",
            Action::ManageNonconformities => {
                "record nonconformities, corrective actions or effectiveness checks"
            }
            Action::ReadSecurityEvents => "read the security audit trail",
        }
    }

    /// Whether this action changes records (the rest only read).
    pub fn is_write(self) -> bool {
        !matches!(self, Action::Read | Action::ReadSecurityEvents)
    }
}

impl Role {
    /// The permission table. Auditors and viewers read everything and write nothing here
    /// (auditors write audit findings, which arrive with the audit area).
    pub fn permits(self, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            Read | ManageOwnTokens => true,
            WriteInventory => matches!(self, Admin | GovernanceLead | RiskOwner | Contributor),
            WriteControls => matches!(self, Admin | GovernanceLead | RiskOwner),
            RetireSystem | WriteContext | WriteScope | ApproveScope => {
                matches!(self, Admin | GovernanceLead)
            }
            ManageUsers | SeedDemo => matches!(self, Admin),
            ImportCatalogs => matches!(self, Admin | GovernanceLead),
            WriteRisks => matches!(self, Admin | GovernanceLead | RiskOwner),
            ChangeMethodology => matches!(self, Admin | GovernanceLead),
            WriteMaturity | PlanActions => matches!(self, Admin | GovernanceLead | RiskOwner),
            ManageCertification | ImportRegisters => matches!(self, Admin | GovernanceLead),
            ManageMonitoring => matches!(self, Admin | GovernanceLead | RiskOwner),
            RecordMonitoring => matches!(self, Admin | GovernanceLead | RiskOwner | Contributor),
            // Anyone who works on the systems may report and work an incident.
            WriteIncidents => matches!(self, Admin | GovernanceLead | RiskOwner | Contributor),
            ManageNonconformities => matches!(self, Admin | GovernanceLead | RiskOwner),
            ReadSecurityEvents => matches!(self, Admin | Auditor),
        }
    }

    /// Rank for "never above": a token may carry its creator's role or a lower one.
    /// Auditor and viewer are read roles; auditor ranks above viewer.
    pub fn rank(self) -> u8 {
        match self {
            Role::Admin => 5,
            Role::GovernanceLead => 4,
            Role::RiskOwner => 3,
            Role::Contributor => 2,
            Role::Auditor => 1,
            Role::Viewer => 0,
        }
    }

    /// Whether every action `other` permits is permitted to `self` too.
    pub fn covers(self, other: Role) -> bool {
        Action::ALL
            .iter()
            .all(|a| !other.permits(*a) || self.permits(*a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewer_and_auditor_write_nothing() {
        for role in [Role::Viewer, Role::Auditor] {
            for a in Action::ALL
                .iter()
                .filter(|a| a.is_write() && **a != Action::ManageOwnTokens)
            {
                assert!(!role.permits(*a), "{role} may {a:?}");
            }
        }
    }

    #[test]
    fn controls_are_written_by_admins_leads_and_risk_owners() {
        let writers: Vec<Role> = Role::ALL
            .iter()
            .copied()
            .filter(|r| r.permits(Action::WriteControls))
            .collect();
        assert_eq!(
            writers,
            vec![Role::Admin, Role::GovernanceLead, Role::RiskOwner]
        );
    }

    #[test]
    fn risks_and_the_method_have_their_writers() {
        let writers = |a: Action| -> Vec<Role> {
            Role::ALL.iter().copied().filter(|r| r.permits(a)).collect()
        };
        assert_eq!(
            writers(Action::WriteRisks),
            vec![Role::Admin, Role::GovernanceLead, Role::RiskOwner]
        );
        assert_eq!(
            writers(Action::ChangeMethodology),
            vec![Role::Admin, Role::GovernanceLead]
        );
    }

    #[test]
    fn the_later_areas_have_their_own_writers() {
        let writers = |a: Action| -> Vec<Role> {
            Role::ALL.iter().copied().filter(|r| r.permits(a)).collect()
        };
        let planners = vec![Role::Admin, Role::GovernanceLead, Role::RiskOwner];
        let leads = vec![Role::Admin, Role::GovernanceLead];
        assert_eq!(writers(Action::WriteMaturity), planners);
        assert_eq!(writers(Action::PlanActions), planners);
        assert_eq!(writers(Action::ManageCertification), leads);
        assert_eq!(writers(Action::ImportRegisters), leads);
        assert_eq!(
            Action::ManageCertification.describe(),
            "change certification bodies or record leadership briefings"
        );
    }

    #[test]
    fn incidents_and_nonconformities_have_their_writers() {
        let writers = |a: Action| -> Vec<Role> {
            Role::ALL.iter().copied().filter(|r| r.permits(a)).collect()
        };
        assert_eq!(
            writers(Action::WriteIncidents),
            vec![
                Role::Admin,
                Role::GovernanceLead,
                Role::RiskOwner,
                Role::Contributor
            ]
        );
        assert_eq!(
            writers(Action::ManageNonconformities),
            vec![Role::Admin, Role::GovernanceLead, Role::RiskOwner]
        );
    }

    #[test]
    fn covers_follows_the_table() {
        assert!(Role::Admin.covers(Role::GovernanceLead));
        assert!(Role::GovernanceLead.covers(Role::Contributor));
        assert!(!Role::Contributor.covers(Role::GovernanceLead));
        // Auditors also read the security trail, so a viewer cannot hand out an auditor token.
        assert!(!Role::Viewer.covers(Role::Auditor));
        assert!(Role::Auditor.covers(Role::Viewer));
        assert!(!Role::RiskOwner.covers(Role::Admin));
    }

    #[test]
    fn unknown_role_names_field() {
        let err = Role::parse("role", "boss")
            .err()
            .map(|e| (e.field, e.reason.contains("governance_lead")));
        assert_eq!(err, Some(("role".into(), true)));
    }
}
