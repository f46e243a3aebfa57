//! The AI system inventory: what a system is, and the rules for a valid one.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::text;
use crate::vocabulary::parse_set;

crate::vocabulary!(
    /// Where a system is in its lifecycle.
    Stage {
        Concept => ("concept", "Concept"),
        Design => ("design", "Design"),
        Development => ("development", "Development"),
        Validation => ("validation", "Validation"),
        Deployed => ("deployed", "Deployed"),
        Monitored => ("monitored", "Monitored"),
        Retired => ("retired", "Retired"),
    }
);

crate::vocabulary!(
    /// How the system works.
    Technique {
        RuleBased => ("rule_based", "Rule-based"),
        ClassicalMl => ("classical_ml", "Classical ML"),
        DeepLearning => ("deep_learning", "Deep learning"),
        Generative => ("generative", "Generative / LLM"),
        Other => ("other", "Other"),
    }
);

crate::vocabulary!(
    /// The organisation's roles towards the system (ISO/IEC 22989 AI roles).
    AiRole {
        Provider => ("provider", "Provider"),
        Producer => ("producer", "Producer"),
        Deployer => ("deployer", "Deployer"),
        Customer => ("customer", "Customer"),
        Partner => ("partner", "Partner"),
        User => ("user", "User"),
    }
);

crate::vocabulary!(
    /// Categories of data the system processes.
    DataCategory {
        Personal => ("personal", "Personal data"),
        SpecialCategory => ("special_category", "Special category data"),
        Children => ("children", "Children's data"),
        Biometric => ("biometric", "Biometric data"),
        Financial => ("financial", "Financial data"),
        Health => ("health", "Health data"),
        Location => ("location", "Location data"),
        Confidential => ("confidential", "Confidential business data"),
        Public => ("public", "Public data"),
        None => ("none", "No personal data"),
    }
);

crate::vocabulary!(
    /// Risk class under the EU AI Act (Regulation (EU) 2024/1689).
    EuClass {
        Unclassified => ("unclassified", "Unclassified"),
        Prohibited => ("prohibited", "Prohibited"),
        HighRisk => ("high_risk", "High-risk"),
        Limited => ("limited", "Limited / transparency"),
        Minimal => ("minimal", "Minimal"),
    }
);

crate::vocabulary!(
    /// How much the organisation depends on the system.
    Criticality {
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
        Critical => ("critical", "Critical"),
    }
);

crate::vocabulary!(
    /// Whether a system is in use or has been retired.
    SystemStatus {
        Active => ("active", "Active"),
        Retired => ("retired", "Retired"),
    }
);

/// An AI system as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AiSystem {
    pub key: String,
    #[serde(flatten)]
    pub fields: SystemFields,
    pub status: SystemStatus,
    pub retired_reason: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// What people fill in about a system, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemFields {
    pub name: String,
    pub purpose: String,
    pub intended_use: Option<String>,
    /// Username of the accountable owner.
    pub owner: String,
    pub business_unit: Option<String>,
    pub stage: Stage,
    pub technique: Technique,
    pub ai_roles: BTreeSet<AiRole>,
    pub supplier: Option<String>,
    pub data_categories: BTreeSet<DataCategory>,
    pub stakeholders: Vec<String>,
    pub regions: Vec<String>,
    pub eu_class: EuClass,
    pub eu_rationale: Option<String>,
    pub criticality: Criticality,
}

/// A system as typed into a form, the API or the CLI: every field optional so that a patch
/// and a new system share one shape. Enumerations arrive as words and are checked here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SystemInput {
    pub name: Option<String>,
    pub purpose: Option<String>,
    pub intended_use: Option<String>,
    pub owner: Option<String>,
    pub business_unit: Option<String>,
    pub stage: Option<String>,
    pub technique: Option<String>,
    pub ai_roles: Option<Vec<String>>,
    pub supplier: Option<String>,
    pub data_categories: Option<Vec<String>>,
    pub stakeholders: Option<Vec<String>>,
    pub regions: Option<Vec<String>>,
    pub eu_class: Option<String>,
    pub eu_rationale: Option<String>,
    pub criticality: Option<String>,
}

impl SystemInput {
    /// Validates a new system. Stage, technique, EU class and criticality default when absent.
    pub fn validate_new(&self) -> Result<SystemFields, ValidationErrors> {
        self.validate_over(None)
    }

    /// Validates this input as a patch over `current`: absent fields keep their value.
    pub fn validate_patch(&self, current: &SystemFields) -> Result<SystemFields, ValidationErrors> {
        self.validate_over(Some(current))
    }

    fn validate_over(&self, base: Option<&SystemFields>) -> Result<SystemFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let keep = |f: fn(&SystemFields) -> String| base.map(f);
        let pick = |new: &Option<String>, old: Option<String>| new.clone().or(old);
        let pick_opt = |new: &Option<String>, old: Option<Option<String>>| match new {
            Some(v) => Some(v.clone()),
            None => old.flatten(),
        };

        let name = e.take(text::required(
            "name",
            pick(&self.name, keep(|s| s.name.clone())).as_deref(),
        ));
        let purpose = e.take(text::required_long(
            "purpose",
            pick(&self.purpose, keep(|s| s.purpose.clone())).as_deref(),
        ));
        let intended_use = e.take(text::optional(
            "intended_use",
            pick_opt(&self.intended_use, base.map(|s| s.intended_use.clone())).as_deref(),
            text::LONG,
        ));
        let owner = e.take(text::required(
            "owner",
            pick(&self.owner, keep(|s| s.owner.clone())).as_deref(),
        ));
        let business_unit = e.take(text::optional(
            "business_unit",
            pick_opt(&self.business_unit, base.map(|s| s.business_unit.clone())).as_deref(),
            text::SHORT,
        ));
        let stage = word(
            &mut e,
            "stage",
            &self.stage,
            base.map(|s| s.stage),
            Stage::Concept,
            Stage::parse,
        );
        let technique = word(
            &mut e,
            "technique",
            &self.technique,
            base.map(|s| s.technique),
            Technique::Other,
            Technique::parse,
        );
        let eu_class = word(
            &mut e,
            "eu_class",
            &self.eu_class,
            base.map(|s| s.eu_class),
            EuClass::Unclassified,
            EuClass::parse,
        );
        let criticality = word(
            &mut e,
            "criticality",
            &self.criticality,
            base.map(|s| s.criticality),
            Criticality::Medium,
            Criticality::parse,
        );
        let ai_roles = match &self.ai_roles {
            Some(words) => e.take(parse_set("ai_roles", words, AiRole::parse)),
            None => Some(base.map(|s| s.ai_roles.clone()).unwrap_or_default()),
        };
        let data_categories = match &self.data_categories {
            Some(words) => e.take(parse_set("data_categories", words, DataCategory::parse)),
            None => Some(base.map(|s| s.data_categories.clone()).unwrap_or_default()),
        };
        if let Some(cats) = &data_categories {
            if cats.contains(&DataCategory::None) && cats.len() > 1 {
                e.push(
                    "data_categories",
                    "'none' cannot be combined with other categories",
                );
            }
        }
        let supplier = e.take(text::optional(
            "supplier",
            pick_opt(&self.supplier, base.map(|s| s.supplier.clone())).as_deref(),
            text::SHORT,
        ));
        let stakeholders = e.take(text::list(
            "stakeholders",
            self.stakeholders
                .as_ref()
                .or(base.map(|s| &s.stakeholders))
                .map(Vec::as_slice)
                .unwrap_or_default(),
        ));
        let regions = e.take(text::list(
            "regions",
            self.regions
                .as_ref()
                .or(base.map(|s| &s.regions))
                .map(Vec::as_slice)
                .unwrap_or_default(),
        ));
        let eu_rationale = e.take(text::optional(
            "eu_rationale",
            pick_opt(&self.eu_rationale, base.map(|s| s.eu_rationale.clone())).as_deref(),
            text::LONG,
        ));
        if let (Some(class), Some(None)) = (eu_class, &eu_rationale) {
            if class != EuClass::Unclassified {
                e.push(
                    "eu_rationale",
                    format!("is required when the EU AI Act class is '{class}'"),
                );
            }
        }
        if stage == Some(Stage::Retired) {
            e.push(
                "stage",
                "a system is retired with the retire action and a reason, not by setting its stage",
            );
        }

        match (
            name,
            purpose,
            intended_use,
            owner,
            business_unit,
            stage,
            technique,
            ai_roles,
            supplier,
            data_categories,
            stakeholders,
            regions,
            eu_class,
            eu_rationale,
            criticality,
        ) {
            (
                Some(name),
                Some(purpose),
                Some(intended_use),
                Some(owner),
                Some(business_unit),
                Some(stage),
                Some(technique),
                Some(ai_roles),
                Some(supplier),
                Some(data_categories),
                Some(stakeholders),
                Some(regions),
                Some(eu_class),
                Some(eu_rationale),
                Some(criticality),
            ) if e.is_empty() => Ok(SystemFields {
                name,
                purpose,
                intended_use,
                owner,
                business_unit,
                stage,
                technique,
                ai_roles,
                supplier,
                data_categories,
                stakeholders,
                regions,
                eu_class,
                eu_rationale,
                criticality,
            }),
            _ => Err(e),
        }
    }
}

fn word<T: Copy>(
    e: &mut ValidationErrors,
    field: &str,
    new: &Option<String>,
    old: Option<T>,
    default: T,
    parse: fn(&str, &str) -> Result<T, crate::FieldError>,
) -> Option<T> {
    match new.as_deref().map(str::trim) {
        Some(w) if !w.is_empty() => e.take(parse(field, w)),
        _ => Some(old.unwrap_or(default)),
    }
}

/// A validated reason for retiring a system.
pub fn retire_reason(reason: Option<&str>) -> Result<String, ValidationErrors> {
    text::required_long("reason", reason).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SystemInput {
        SystemInput {
            name: Some("Credit scoring".into()),
            purpose: Some("Scores loan applications".into()),
            owner: Some("alice".into()),
            ..Default::default()
        }
    }

    #[test]
    fn defaults_apply_to_a_new_system() {
        let s = input().validate_new().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.stage, s.eu_class, s.criticality),
            (Stage::Concept, EuClass::Unclassified, Criticality::Medium)
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SystemInput {
            name: Some(" ".into()),
            stage: Some("launched".into()),
            ai_roles: Some(vec!["overlord".into()]),
            eu_class: Some("high_risk".into()),
            ..input()
        };
        let fields: Vec<String> = bad
            .validate_new()
            .err()
            .map(|e| e.0)
            .unwrap_or_default()
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, vec!["name", "stage", "ai_roles", "eu_rationale"]);
    }

    #[test]
    fn patch_keeps_absent_fields() {
        let base = input().validate_new().unwrap_or_else(|e| panic!("{e}"));
        let patch = SystemInput {
            stage: Some("deployed".into()),
            ..Default::default()
        };
        let s = patch
            .validate_patch(&base)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.stage, s.name.as_str()),
            (Stage::Deployed, "Credit scoring")
        );
    }

    #[test]
    fn none_data_category_stands_alone() {
        let bad = SystemInput {
            data_categories: Some(vec!["none".into(), "personal".into()]),
            ..input()
        };
        assert!(bad.validate_new().is_err());
    }
}
