//! Public keys people say in meetings and audits: `SYS-12`, `CTX-3`, `IP-4`, `SCP-2`, `CTL-5`, `USR-1`, `TOK-7`.

/// Entity kinds, with the prefix of their keys and the name used in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    User,
    Token,
    AiSystem,
    ContextIssue,
    Party,
    Scope,
    Control,
    /// One line of the Statement of Applicability (`SOA:A.6.2.4`).
    SoaEntry,
    /// A Statement of Applicability version (`SOA-2`).
    SoaVersion,
    /// The imported implementation of another standard (`EXT:ISO27001`).
    ExternalImplementation,
    /// A maturity assessment (`MAT-3`).
    MaturityAssessment,
    /// A roadmap action (`ACT-3`).
    Action,
    /// A certification body (`CB-1`).
    CertBody,
    /// A leadership or business case briefing (`BRF-1`).
    Briefing,
    /// An imported framework (`FW:ISO27001-2022`).
    Framework,
    /// An imported crosswalk (`XW:ISO42001:SCF`).
    Crosswalk,
    /// A risk assessment methodology version (`MTH-2`).
    Methodology,
    /// A risk of the register (`RSK-4`).
    Risk,
    /// An AI system impact assessment version (`AIA-2`).
    ImpactAssessment,
    MonitoringPlan,
    MonitoringRun,
    Alert,
    /// An incident (`INC-7`).
    Incident,
    /// A nonconformity (`NC-15`).
    Nonconformity,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::User,
        Kind::Token,
        Kind::AiSystem,
        Kind::ContextIssue,
        Kind::Party,
        Kind::Scope,
        Kind::Control,
        Kind::SoaEntry,
        Kind::SoaVersion,
        Kind::ExternalImplementation,
        Kind::MaturityAssessment,
        Kind::Action,
        Kind::CertBody,
        Kind::Briefing,
        Kind::Framework,
        Kind::Crosswalk,
        Kind::Methodology,
        Kind::Risk,
        Kind::ImpactAssessment,
        Kind::MonitoringPlan,
        Kind::MonitoringRun,
        Kind::Alert,
        Kind::Incident,
        Kind::Nonconformity,
    ];

    pub fn prefix(self) -> &'static str {
        match self {
            Kind::User => "USR",
            Kind::Token => "TOK",
            Kind::AiSystem => "SYS",
            Kind::ContextIssue => "CTX",
            Kind::Party => "IP",
            Kind::Scope => "SCP",
            Kind::Control => "CTL",
            Kind::SoaEntry => "SOAE",
            Kind::SoaVersion => "SOA",
            Kind::ExternalImplementation => "EXT",
            Kind::MaturityAssessment => "MAT",
            Kind::Action => "ACT",
            Kind::CertBody => "CB",
            Kind::Briefing => "BRF",
            Kind::Framework => "FW",
            Kind::Crosswalk => "XW",
            Kind::Methodology => "MTH",
            Kind::Risk => "RSK",
            Kind::ImpactAssessment => "AIA",
            Kind::MonitoringPlan => "MON",
            Kind::MonitoringRun => "RUN",
            Kind::Alert => "ALR",
            Kind::Incident => "INC",
            Kind::Nonconformity => "NC",
        }
    }

    /// The entity kind as written in ledger events.
    pub fn name(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Token => "api_token",
            Kind::AiSystem => "ai_system",
            Kind::ContextIssue => "context_issue",
            Kind::Party => "interested_party",
            Kind::Scope => "scope_version",
            Kind::Control => "control",
            Kind::SoaEntry => "soa_entry",
            Kind::SoaVersion => "soa_version",
            Kind::ExternalImplementation => "external_implementation",
            Kind::MaturityAssessment => "maturity_assessment",
            Kind::Action => "action",
            Kind::CertBody => "certification_body",
            Kind::Briefing => "briefing",
            Kind::Framework => "framework",
            Kind::Crosswalk => "crosswalk",
            Kind::Methodology => "risk_methodology",
            Kind::Risk => "risk",
            Kind::ImpactAssessment => "impact_assessment",
            Kind::MonitoringPlan => "monitoring_plan",
            Kind::MonitoringRun => "monitoring_run",
            Kind::Alert => "monitoring_alert",
            Kind::Incident => "incident",
            Kind::Nonconformity => "nonconformity",
        }
    }

    pub fn key(self, n: i64) -> String {
        format!("{}-{n}", self.prefix())
    }

    /// The kind a key belongs to, when it has a known prefix and a number.
    pub fn of_key(key: &str) -> Option<Kind> {
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("SOA:")) {
            return Some(Kind::SoaEntry);
        }
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("EXT:")) {
            return Some(Kind::ExternalImplementation);
        }
        if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("MON:")) {
            return Some(Kind::MonitoringPlan);
        }
        if key.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("FW:")) {
            return Some(Kind::Framework);
        }
        if key.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("XW:")) {
            return Some(Kind::Crosswalk);
        }
        let (prefix, n) = key.split_once('-')?;
        n.parse::<u64>().ok()?;
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))
    }
}

/// Normalises what a person typed (`sys-12`, ` SYS-12 `) into a key.
pub fn normalise(key: &str) -> String {
    key.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        assert_eq!(Kind::AiSystem.key(12), "SYS-12");
        assert_eq!(Kind::of_key("SYS-12"), Some(Kind::AiSystem));
        assert_eq!(Kind::of_key("ip-3"), Some(Kind::Party));
        assert_eq!(Kind::of_key("SYS-x"), None);
        assert_eq!(Kind::of_key("SOA:A.6.2.4"), Some(Kind::SoaEntry));
        assert_eq!(Kind::of_key("SOA-2"), Some(Kind::SoaVersion));
        assert_eq!(
            Kind::of_key("EXT:ISO27001"),
            Some(Kind::ExternalImplementation)
        );
        assert_eq!(Kind::of_key("FW:ISO27001-2022"), Some(Kind::Framework));
        assert_eq!(Kind::of_key("XW:ISO42001:SCF"), Some(Kind::Crosswalk));
        assert_eq!(Kind::of_key("MON:SYS-3"), Some(Kind::MonitoringPlan));
        assert_eq!(Kind::of_key("RUN-7"), Some(Kind::MonitoringRun));
        assert_eq!(Kind::of_key("alr-2"), Some(Kind::Alert));
        assert_eq!(normalise(" sys-4 "), "SYS-4");
        assert_eq!(Kind::of_key("inc-7"), Some(Kind::Incident));
        assert_eq!(Kind::of_key("NC-15"), Some(Kind::Nonconformity));
    }
}
