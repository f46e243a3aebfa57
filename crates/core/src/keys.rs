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
        assert_eq!(normalise(" sys-4 "), "SYS-4");
    }
}
