//! Flags of `aims system`: every field of an AI system, and the list filters.

use aims_app::systems::ListQuery;
use aims_core::inventory::SystemInput;
use aims_core::inventory::{AiRole, Criticality, DataCategory, EuClass, Stage, Technique};
use aims_core::text::split_list;
use clap::Args;

/// Help text naming the accepted words.
fn one_of(what: &str, words: Vec<&str>) -> String {
    format!("{what}: {}", words.join(", "))
}

/// The fields of a system. On `update`, absent flags keep their value, an empty value clears
/// an optional field, and a list flag replaces the whole list.
#[derive(Debug, Args)]
pub struct SystemFlags {
    /// Unique name.
    #[arg(long)]
    pub name: Option<String>,
    /// What the system is for.
    #[arg(long)]
    pub purpose: Option<String>,
    /// Intended use and its limits.
    #[arg(long)]
    pub intended_use: Option<String>,
    /// Username of the accountable owner.
    #[arg(long, value_name = "USERNAME")]
    pub owner: Option<String>,
    /// Business unit.
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    #[arg(long, help = one_of("Lifecycle stage", Stage::words()))]
    pub stage: Option<String>,
    #[arg(long, help = one_of("Technique", Technique::words()))]
    pub technique: Option<String>,
    #[arg(long, value_name = "ROLE,...", help = one_of("The organisation's AI roles", AiRole::words()))]
    pub ai_roles: Option<String>,
    /// Third-party supplier.
    #[arg(long)]
    pub supplier: Option<String>,
    #[arg(long, value_name = "CATEGORY,...", help = one_of("Data categories", DataCategory::words()))]
    pub data_categories: Option<String>,
    /// Affected stakeholders, comma-separated.
    #[arg(long, value_name = "A,B")]
    pub stakeholders: Option<String>,
    /// Regions where it is used, comma-separated.
    #[arg(long, value_name = "A,B")]
    pub regions: Option<String>,
    #[arg(long, help = one_of("EU AI Act class", EuClass::words()))]
    pub eu_class: Option<String>,
    /// Why the EU AI Act class applies (required unless unclassified).
    #[arg(long)]
    pub eu_rationale: Option<String>,
    #[arg(long, help = one_of("Criticality", Criticality::words()))]
    pub criticality: Option<String>,
}

impl SystemFlags {
    pub fn input(&self) -> SystemInput {
        let list = |v: &Option<String>| v.as_deref().map(split_list);
        SystemInput {
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            intended_use: self.intended_use.clone(),
            owner: self.owner.clone(),
            business_unit: self.unit.clone(),
            stage: self.stage.clone(),
            technique: self.technique.clone(),
            ai_roles: list(&self.ai_roles),
            supplier: self.supplier.clone(),
            data_categories: list(&self.data_categories),
            stakeholders: list(&self.stakeholders),
            regions: list(&self.regions),
            eu_class: self.eu_class.clone(),
            eu_rationale: self.eu_rationale.clone(),
            criticality: self.criticality.clone(),
        }
    }
}

/// Which systems to list or export, and in which order.
#[derive(Debug, Args)]
pub struct Filters {
    #[arg(long, help = one_of("Only this stage", Stage::words()))]
    pub stage: Option<String>,
    /// Only systems of this owner (username).
    #[arg(long, value_name = "USERNAME")]
    pub owner: Option<String>,
    /// Only systems of this business unit.
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long, help = one_of("Only this EU AI Act class", EuClass::words()))]
    pub eu_class: Option<String>,
    /// Only systems in or out of the approved scope: in, out.
    #[arg(long, value_name = "in|out")]
    pub scope: Option<String>,
    /// active (default), retired or all.
    #[arg(long)]
    pub status: Option<String>,
    /// Text to search for in names and purposes.
    #[arg(long)]
    pub q: Option<String>,
    /// key, name, stage, owner, updated or criticality; prefix - for descending.
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
}

impl Filters {
    pub fn query(&self, page: Option<i64>, per_page: Option<i64>) -> ListQuery {
        ListQuery {
            stage: self.stage.clone(),
            owner: self.owner.clone(),
            unit: self.unit.clone(),
            eu_class: self.eu_class.clone(),
            scope: self.scope.clone(),
            status: self.status.clone(),
            q: self.q.clone(),
            sort: self.sort.clone(),
            page,
            per_page,
        }
    }
}
