//! Context of the organisation (ISO/IEC 42001 4.1, 4.2): issues and interested parties.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;
use crate::time;

crate::vocabulary!(
    /// Whether an issue arises inside or outside the organisation.
    IssueSide {
        Internal => ("internal", "Internal"),
        External => ("external", "External"),
    }
);

crate::vocabulary!(
    /// What an issue is about.
    IssueCategory {
        Market => ("market", "Market"),
        Regulatory => ("regulatory", "Regulatory"),
        Technology => ("technology", "Technology"),
        Societal => ("societal", "Societal"),
        Capability => ("capability", "Capability"),
        Culture => ("culture", "Culture"),
        Resources => ("resources", "Resources"),
        Other => ("other", "Other"),
    }
);

crate::vocabulary!(
    /// Kinds of interested party.
    PartyType {
        Customer => ("customer", "Customer"),
        Regulator => ("regulator", "Regulator"),
        Employee => ("employee", "Employee"),
        Partner => ("partner", "Partner"),
        Supplier => ("supplier", "Supplier"),
        Investor => ("investor", "Investor"),
        AffectedCommunity => ("affected_community", "Affected community"),
        Other => ("other", "Other"),
    }
);

/// A context issue as recorded; also its ledger state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContextIssue {
    pub key: String,
    #[serde(flatten)]
    pub fields: IssueFields,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueFields {
    pub title: String,
    pub side: IssueSide,
    pub category: IssueCategory,
    pub description: String,
    /// How the issue affects the AI management system's ability to reach its outcomes.
    pub effect: Option<String>,
    pub review_date: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInput {
    pub title: Option<String>,
    pub side: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    pub effect: Option<String>,
    pub review_date: Option<String>,
}

impl IssueInput {
    /// Validates this input over `base` (absent fields keep their value), or as new when `None`.
    pub fn validate(&self, base: Option<&IssueFields>) -> Result<IssueFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let title = e.take(text::required(
            "title",
            self.title.as_deref().or(base.map(|b| b.title.as_str())),
        ));
        let side = match self.side.as_deref().or(base.map(|b| b.side.as_str())) {
            Some(w) => e.take(IssueSide::parse("side", w)),
            None => e.take(Err(crate::FieldError::new(
                "side",
                "is required (internal or external)",
            ))),
        };
        let category = match self
            .category
            .as_deref()
            .or(base.map(|b| b.category.as_str()))
        {
            Some(w) => e.take(IssueCategory::parse("category", w)),
            None => e.take(Err(crate::FieldError::new("category", "is required"))),
        };
        let description = e.take(text::required_long(
            "description",
            self.description
                .as_deref()
                .or(base.map(|b| b.description.as_str())),
        ));
        let effect = e.take(text::optional(
            "effect",
            self.effect
                .as_deref()
                .or(base.and_then(|b| b.effect.as_deref())),
            text::LONG,
        ));
        let review_date = e.take(
            time::date(
                "review_date",
                self.review_date
                    .as_deref()
                    .or(base.and_then(|b| b.review_date.as_deref())),
            )
            .map(|d| d.map(|d| d.to_string())),
        );
        match (title, side, category, description, effect, review_date) {
            (
                Some(title),
                Some(side),
                Some(category),
                Some(description),
                Some(effect),
                Some(review_date),
            ) if e.is_empty() => Ok(IssueFields {
                title,
                side,
                category,
                description,
                effect,
                review_date,
            }),
            _ => Err(e),
        }
    }
}

/// One requirement of an interested party, and whether and how the AIMS addresses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyRequirement {
    pub text: String,
    #[serde(default)]
    pub addressed: bool,
    #[serde(default)]
    pub how: Option<String>,
}

/// An interested party as recorded; also its ledger state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub key: String,
    #[serde(flatten)]
    pub fields: PartyFields,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyFields {
    pub name: String,
    pub party_type: PartyType,
    pub description: Option<String>,
    pub requirements: Vec<PartyRequirement>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    pub name: Option<String>,
    pub party_type: Option<String>,
    pub description: Option<String>,
    pub requirements: Option<Vec<PartyRequirement>>,
}

impl PartyInput {
    pub fn validate(&self, base: Option<&PartyFields>) -> Result<PartyFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let name = e.take(text::required(
            "name",
            self.name.as_deref().or(base.map(|b| b.name.as_str())),
        ));
        let party_type = match self
            .party_type
            .as_deref()
            .or(base.map(|b| b.party_type.as_str()))
        {
            Some(w) => e.take(PartyType::parse("party_type", w)),
            None => e.take(Err(crate::FieldError::new("party_type", "is required"))),
        };
        let description = e.take(text::optional(
            "description",
            self.description
                .as_deref()
                .or(base.and_then(|b| b.description.as_deref())),
            text::LONG,
        ));
        let source = self
            .requirements
            .as_ref()
            .or(base.map(|b| &b.requirements))
            .cloned()
            .unwrap_or_default();
        if source.len() > text::MAX_ITEMS {
            e.push(
                "requirements",
                format!("has more than {} entries", text::MAX_ITEMS),
            );
        }
        let mut requirements = Vec::with_capacity(source.len());
        for (i, r) in source.iter().enumerate() {
            let field = format!("requirements[{i}]");
            let text = e.take(text::required_long(&format!("{field}.text"), Some(&r.text)));
            let how = e.take(text::optional(
                &format!("{field}.how"),
                r.how.as_deref(),
                text::LONG,
            ));
            if let (Some(text), Some(how)) = (text, how) {
                if r.addressed && how.is_none() {
                    e.push(
                        format!("{field}.how"),
                        "is required when the requirement is marked addressed",
                    );
                }
                requirements.push(PartyRequirement {
                    text,
                    addressed: r.addressed,
                    how,
                });
            }
        }
        match (name, party_type, description) {
            (Some(name), Some(party_type), Some(description)) if e.is_empty() => Ok(PartyFields {
                name,
                party_type,
                description,
                requirements,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_needs_side_and_category() {
        let input = IssueInput {
            title: Some("EU AI Act".into()),
            description: Some("x".into()),
            ..Default::default()
        };
        let fields: Vec<String> = input
            .validate(None)
            .err()
            .map(|e| e.0)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, vec!["side", "category"]);
    }

    #[test]
    fn addressed_requirement_says_how() {
        let input = PartyInput {
            name: Some("Regulator".into()),
            party_type: Some("regulator".into()),
            requirements: Some(vec![PartyRequirement {
                text: "Registration".into(),
                addressed: true,
                how: None,
            }]),
            ..Default::default()
        };
        let err = input.validate(None).err().map(|e| e.0[0].field.clone());
        assert_eq!(err.as_deref(), Some("requirements[0].how"));
    }

    #[test]
    fn bad_review_date_is_named() {
        let input = IssueInput {
            title: Some("t".into()),
            side: Some("internal".into()),
            category: Some("culture".into()),
            description: Some("d".into()),
            review_date: Some("next week".into()),
            ..Default::default()
        };
        let err = input.validate(None).err().map(|e| e.0[0].field.clone());
        assert_eq!(err.as_deref(), Some("review_date"));
    }
}
