//! The demo organisation: Northwind Lending & Health, a fictional company with a dozen AI systems.
//! Seeding is deterministic (same records, same keys) and goes through the services like any write.

use aims_core::context::{IssueInput, PartyInput, PartyRequirement};
use aims_core::control::{ControlInput, LinksInput};
use aims_core::inventory::SystemInput;
use aims_core::scope::{Exclusion, ScopeInput};
use aims_core::Action;
use serde::Serialize;

use crate::users::NewUser;
use crate::{Actor, App, AppError, Result, Via};

/// A demo login, printed for the newcomer.
#[derive(Debug, Clone, Serialize)]
pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: String,
}

const USERS: &[(&str, &str, &str)] = &[
    ("admin", "Ada Admin", "admin"),
    (
        "grace",
        "Grace Hopper (AI governance lead)",
        "governance_lead",
    ),
    ("rosa", "Rosa Parks (risk owner)", "risk_owner"),
    ("alan", "Alan Turing (ML engineer)", "contributor"),
    ("ida", "Ida Wells (internal auditor)", "auditor"),
    ("vera", "Vera Rubin (executive)", "viewer"),
];

/// The demo password of a demo user.
pub fn demo_password(username: &str) -> String {
    format!("{username}-demo-pass")
}

struct DemoSystem {
    name: &'static str,
    purpose: &'static str,
    owner: &'static str,
    unit: &'static str,
    stage: &'static str,
    technique: &'static str,
    roles: &'static [&'static str],
    supplier: Option<&'static str>,
    data: &'static [&'static str],
    stakeholders: &'static [&'static str],
    regions: &'static [&'static str],
    eu_class: &'static str,
    rationale: Option<&'static str>,
    criticality: &'static str,
}

const SYSTEMS: &[DemoSystem] = &[
    DemoSystem {
        name: "Consumer credit scoring",
        purpose: "Scores applications for personal loans and credit cards.",
        owner: "rosa",
        unit: "Lending",
        stage: "monitored",
        technique: "classical_ml",
        roles: &["provider", "deployer"],
        supplier: None,
        data: &["personal", "financial"],
        stakeholders: &["Loan applicants", "Credit officers"],
        regions: &["EU", "UK"],
        eu_class: "high_risk",
        rationale: Some("Creditworthiness assessment of natural persons (Annex III, point 5(b))."),
        criticality: "critical",
    },
    DemoSystem {
        name: "CV screening assistant",
        purpose: "Ranks job applications for recruiters.",
        owner: "grace",
        unit: "People",
        stage: "validation",
        technique: "deep_learning",
        roles: &["deployer"],
        supplier: Some("HireRank Ltd"),
        data: &["personal"],
        stakeholders: &["Job applicants", "Recruiters"],
        regions: &["EU"],
        eu_class: "high_risk",
        rationale: Some("Recruitment and selection of natural persons (Annex III, point 4(a))."),
        criticality: "high",
    },
    DemoSystem {
        name: "Customer-service assistant",
        purpose:
            "Answers customer questions in chat using a large language model over our help centre.",
        owner: "alan",
        unit: "Customer operations",
        stage: "deployed",
        technique: "generative",
        roles: &["deployer"],
        supplier: Some("Foundation model vendor"),
        data: &["personal", "confidential"],
        stakeholders: &["Customers", "Support agents"],
        regions: &["EU", "UK", "US"],
        eu_class: "limited",
        rationale: Some("Interacts directly with people: disclosure duty of Art. 50."),
        criticality: "high",
    },
    DemoSystem {
        name: "Card fraud detection",
        purpose: "Flags card transactions likely to be fraudulent for review.",
        owner: "rosa",
        unit: "Lending",
        stage: "monitored",
        technique: "classical_ml",
        roles: &["provider", "deployer"],
        supplier: None,
        data: &["personal", "financial", "location"],
        stakeholders: &["Cardholders", "Fraud analysts"],
        regions: &["EU", "UK"],
        eu_class: "minimal",
        rationale: Some(
            "Fraud detection in financial services is excluded from Annex III, point 5(b).",
        ),
        criticality: "critical",
    },
    DemoSystem {
        name: "Branch demand forecasting",
        purpose: "Forecasts weekly branch footfall for staffing.",
        owner: "alan",
        unit: "Operations",
        stage: "deployed",
        technique: "classical_ml",
        roles: &["provider", "deployer"],
        supplier: None,
        data: &["none"],
        stakeholders: &["Branch managers"],
        regions: &["UK"],
        eu_class: "minimal",
        rationale: Some("No effect on individuals; internal planning only."),
        criticality: "medium",
    },
    DemoSystem {
        name: "Medical image triage",
        purpose: "Prioritises chest X-rays for radiologist review in our clinics.",
        owner: "grace",
        unit: "Health",
        stage: "deployed",
        technique: "deep_learning",
        roles: &["deployer"],
        supplier: Some("RadiAI GmbH"),
        data: &["health", "special_category"],
        stakeholders: &["Patients", "Radiologists"],
        regions: &["EU"],
        eu_class: "high_risk",
        rationale: Some("Safety component of a medical device (Art. 6(1), Annex I)."),
        criticality: "critical",
    },
    DemoSystem {
        name: "Document OCR and classification",
        purpose: "Reads and routes incoming paper mail and scanned forms.",
        owner: "alan",
        unit: "Operations",
        stage: "monitored",
        technique: "deep_learning",
        roles: &["provider", "deployer"],
        supplier: None,
        data: &["personal"],
        stakeholders: &["Customers", "Back-office staff"],
        regions: &["EU", "UK"],
        eu_class: "minimal",
        rationale: Some("Narrow procedural task (Art. 6(3)(a))."),
        criticality: "medium",
    },
    DemoSystem {
        name: "Marketing propensity model",
        purpose: "Selects customers for product offers.",
        owner: "rosa",
        unit: "Marketing",
        stage: "development",
        technique: "classical_ml",
        roles: &["provider"],
        supplier: None,
        data: &["personal", "financial"],
        stakeholders: &["Customers"],
        regions: &["UK"],
        eu_class: "minimal",
        rationale: Some("Marketing personalisation; no Annex III use."),
        criticality: "low",
    },
    DemoSystem {
        name: "Code review copilot",
        purpose: "Suggests code changes to our engineers.",
        owner: "alan",
        unit: "Technology",
        stage: "deployed",
        technique: "generative",
        roles: &["user"],
        supplier: Some("Developer tools vendor"),
        data: &["confidential"],
        stakeholders: &["Engineers"],
        regions: &["EU", "UK", "US"],
        eu_class: "minimal",
        rationale: Some("Internal productivity tool with human review of every change."),
        criticality: "low",
    },
    DemoSystem {
        name: "Loan collections prioritiser",
        purpose: "Orders overdue accounts for collection calls.",
        owner: "rosa",
        unit: "Lending",
        stage: "design",
        technique: "rule_based",
        roles: &["provider", "deployer"],
        supplier: None,
        data: &["personal", "financial"],
        stakeholders: &["Borrowers in arrears", "Collections team"],
        regions: &["UK"],
        eu_class: "unclassified",
        rationale: None,
        criticality: "medium",
    },
    DemoSystem {
        name: "Patient no-show prediction",
        purpose: "Predicts missed clinic appointments to offer reminders.",
        owner: "grace",
        unit: "Health",
        stage: "concept",
        technique: "classical_ml",
        roles: &["provider"],
        supplier: None,
        data: &["health", "personal"],
        stakeholders: &["Patients", "Clinic schedulers"],
        regions: &["EU"],
        eu_class: "unclassified",
        rationale: None,
        criticality: "medium",
    },
    DemoSystem {
        name: "Research sandbox LLM",
        purpose: "Experiments with open-weight models in an isolated lab.",
        owner: "alan",
        unit: "Research",
        stage: "development",
        technique: "generative",
        roles: &["producer"],
        supplier: None,
        data: &["public"],
        stakeholders: &["Research staff"],
        regions: &["EU"],
        eu_class: "minimal",
        rationale: Some("Research not placed on the market (Art. 2(6))."),
        criticality: "low",
    },
];

struct DemoControl {
    name: &'static str,
    description: &'static str,
    owner: &'static str,
    status: &'static str,
    implemented: Option<&'static str>,
    effectiveness: &'static str,
    review: &'static str,
    /// Annex A control IDs of ISO/IEC 42001.
    requirements: &'static [&'static str],
    /// Names of demo systems.
    systems: &'static [&'static str],
}

const CONTROLS: &[DemoControl] = &[
    DemoControl {
        name: "Responsible AI policy",
        description: "The board-approved AI policy, aligned with the information security and privacy policies and reviewed every year.",
        owner: "grace",
        status: "implemented",
        implemented: Some("2025-09-01"),
        effectiveness: "effective",
        review: "2026-09-01",
        requirements: &["A.2.2", "A.2.3", "A.2.4"],
        systems: &[],
    },
    DemoControl {
        name: "AI roles and escalation route",
        description: "A RACI for every AI system and a confidential route for staff to raise concerns about AI behaviour.",
        owner: "grace",
        status: "implemented",
        implemented: Some("2025-10-15"),
        effectiveness: "partially_effective",
        review: "2026-10-15",
        requirements: &["A.3.2", "A.3.3"],
        systems: &[],
    },
    DemoControl {
        name: "AI impact assessment procedure",
        description: "Impact assessments on individuals, groups and society before deployment and after material change; results kept for seven years.",
        owner: "rosa",
        status: "implemented",
        implemented: Some("2025-11-01"),
        effectiveness: "effective",
        review: "2026-11-01",
        requirements: &["A.5.2", "A.5.3", "A.5.4", "A.5.5"],
        systems: &["Consumer credit scoring", "CV screening assistant", "Medical image triage"],
    },
    DemoControl {
        name: "Model validation before release",
        description: "Independent validation with acceptance criteria, robustness and bias tests; sign-off recorded before any release.",
        owner: "rosa",
        status: "implemented",
        implemented: Some("2025-12-01"),
        effectiveness: "partially_effective",
        review: "2026-06-01",
        requirements: &["A.6.2.4", "A.6.2.5"],
        systems: &["Consumer credit scoring", "Card fraud detection", "Loan collections prioritiser"],
    },
    DemoControl {
        name: "Production monitoring and event logs",
        description: "Performance, drift and fairness monitored with thresholds; decisions and model versions logged for audit.",
        owner: "rosa",
        status: "in_progress",
        implemented: None,
        effectiveness: "not_assessed",
        review: "2026-04-30",
        requirements: &["A.6.2.6", "A.6.2.8"],
        systems: &["Consumer credit scoring", "Card fraud detection", "Customer-service assistant"],
    },
    DemoControl {
        name: "Training data quality and lineage",
        description: "Data sources, selection, quality requirements and lineage recorded for every training set.",
        owner: "rosa",
        status: "in_progress",
        implemented: None,
        effectiveness: "not_assessed",
        review: "2026-05-31",
        requirements: &["A.7.2", "A.7.4", "A.7.5"],
        systems: &["Consumer credit scoring", "Marketing propensity model", "Patient no-show prediction"],
    },
    DemoControl {
        name: "Transparency notices for users",
        description: "Plain-language notices on AI use, how to contest a decision and how to report adverse impacts.",
        owner: "grace",
        status: "planned",
        implemented: None,
        effectiveness: "not_assessed",
        review: "2026-07-31",
        requirements: &["A.8.2", "A.8.3"],
        systems: &["Customer-service assistant", "CV screening assistant"],
    },
    DemoControl {
        name: "Supplier AI due diligence",
        description: "Responsible-AI clauses and due diligence for AI suppliers, with responsibilities allocated in the contract.",
        owner: "grace",
        status: "planned",
        implemented: None,
        effectiveness: "not_assessed",
        review: "2026-08-31",
        requirements: &["A.10.2", "A.10.3"],
        systems: &["Medical image triage", "Document OCR and classification"],
    },
];

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

impl App {
    /// Seeds the demo organisation into an empty database; returns the logins.
    pub async fn seed_demo(&self, actor: &Actor) -> Result<Vec<DemoLogin>> {
        actor.require(Action::SeedDemo)?;
        if !self
            .system_list(actor, &Default::default())
            .await?
            .items
            .is_empty()
        {
            return Err(AppError::conflict(
                "demo",
                "the database already holds AI systems; seed the demo into an empty one",
            ));
        }
        let existing: Vec<String> = self
            .user_list(actor)
            .await?
            .into_iter()
            .map(|u| u.username)
            .collect();
        let mut logins = Vec::new();
        for (username, name, role) in USERS {
            let password = demo_password(username);
            if !existing.iter().any(|u| u == username) {
                let input = NewUser {
                    username: Some((*username).into()),
                    display_name: Some((*name).into()),
                    role: Some((*role).into()),
                    password: Some(password.clone()),
                    email: None,
                };
                self.user_add(actor, &input).await?;
                logins.push(DemoLogin {
                    username: (*username).into(),
                    password,
                    role: (*role).into(),
                });
            }
        }
        let grace = Actor {
            username: "grace".into(),
            role: aims_core::Role::GovernanceLead,
            via: Via::System,
        };
        for s in SYSTEMS {
            let input = SystemInput {
                name: Some(s.name.into()),
                purpose: Some(s.purpose.into()),
                intended_use: Some(format!(
                    "Used by {} staff as decision support; not for fully automated decisions.",
                    s.unit
                )),
                owner: Some(s.owner.into()),
                business_unit: Some(s.unit.into()),
                stage: Some(s.stage.into()),
                technique: Some(s.technique.into()),
                ai_roles: Some(strings(s.roles)),
                supplier: s.supplier.map(Into::into),
                data_categories: Some(strings(s.data)),
                stakeholders: Some(strings(s.stakeholders)),
                regions: Some(strings(s.regions)),
                eu_class: Some(s.eu_class.into()),
                eu_rationale: s.rationale.map(Into::into),
                criticality: Some(s.criticality.into()),
            };
            self.system_add(&grace, &input).await?;
        }
        self.seed_context(&grace).await?;
        self.seed_scope(&grace).await?;
        self.seed_controls(&grace).await?;
        self.seed_soa(&grace).await?;
        crate::maturity::seed_demo(self, &grace).await?;
        crate::coverage::seed_demo(self, &grace).await?;
        crate::roadmap::seed_demo(self, &grace).await?;
        crate::certbodies::seed_demo(self, &grace).await?;
        crate::briefings::seed_demo(self, &grace).await?;
        crate::risks::seed_demo(self, &grace).await?;
        crate::impacts::seed_demo(self, &grace).await?;
        let alan = Actor {
            username: "alan".into(),
            role: aims_core::Role::Contributor,
            via: Via::System,
        };
        // Monitoring of credit scoring opens INC-1 (a fairness breach); the incidents reported
        // by people follow; then the fraud model's drift opens one more.
        use crate::monitoring_demo::{seed_demo as seed_monitoring, DemoLog};
        seed_monitoring(self, &grace, &alan, DemoLog::Credit).await?;
        crate::incidents_demo::seed_demo(self, &grace).await?;
        seed_monitoring(self, &grace, &alan, DemoLog::Fraud).await?;
        Ok(logins)
    }

    async fn seed_context(&self, actor: &Actor) -> Result<()> {
        let issues: &[(&str, &str, &str, &str, &str)] = &[
            (
                "EU AI Act obligations phase in",
                "external",
                "regulatory",
                "High-risk obligations for credit scoring and recruitment apply from August 2026.",
                "Conformity assessment and registration needed for three systems.",
            ),
            (
                "Competitors ship AI-first lending",
                "external",
                "market",
                "Digital lenders decide in minutes using automated models.",
                "Pressure to automate decisions faster than controls mature.",
            ),
            (
                "Public concern about algorithmic bias",
                "external",
                "societal",
                "Press coverage of biased credit and hiring models.",
                "Fairness monitoring and transparency become reputational necessities.",
            ),
            (
                "Foundation model dependence",
                "external",
                "technology",
                "Generative systems rely on a third-party model that changes without notice.",
                "Supplier monitoring and regression testing are required.",
            ),
            (
                "Few staff trained in AI risk",
                "internal",
                "capability",
                "Only two people have formal AI risk training.",
                "Competence plan needed before scope can widen.",
            ),
            (
                "Data science works outside change control",
                "internal",
                "culture",
                "Models reach production through notebooks and manual steps.",
                "Lifecycle gates must be introduced without stalling delivery.",
            ),
            (
                "Limited budget for model validation",
                "internal",
                "resources",
                "Independent validation is funded for critical systems only.",
                "Prioritise validation by criticality and EU class.",
            ),
        ];
        for (title, side, category, description, effect) in issues {
            let input = IssueInput {
                title: Some((*title).into()),
                side: Some((*side).into()),
                category: Some((*category).into()),
                description: Some((*description).into()),
                effect: Some((*effect).into()),
                review_date: Some("2027-03-31".into()),
            };
            self.issue_add(actor, &input).await?;
        }
        let req = |text: &str, how: Option<&str>| PartyRequirement {
            text: text.into(),
            addressed: how.is_some(),
            how: how.map(Into::into),
        };
        let parties: Vec<(&str, &str, &str, Vec<PartyRequirement>)> = vec![
            (
                "Loan applicants",
                "customer",
                "People who apply for credit.",
                vec![
                    req(
                        "Fair treatment regardless of protected characteristics",
                        Some("Quarterly fairness monitoring of the credit model"),
                    ),
                    req("An explanation of adverse decisions", None),
                ],
            ),
            (
                "Financial Conduct Authority",
                "regulator",
                "UK conduct regulator.",
                vec![req(
                    "Consumer Duty: good outcomes for retail customers",
                    Some("Outcome testing in the credit risk committee"),
                )],
            ),
            (
                "National market surveillance authority",
                "regulator",
                "EU AI Act enforcement in our member state.",
                vec![
                    req("Registration of high-risk systems in the EU database", None),
                    req("Serious incident reporting", None),
                ],
            ),
            (
                "Employees and works council",
                "employee",
                "Staff affected by AI tools and the CV screening assistant.",
                vec![req(
                    "Consultation before AI is used in hiring",
                    Some("Works council agreement of March 2026"),
                )],
            ),
            (
                "RadiAI GmbH",
                "supplier",
                "Vendor of the medical image triage tool.",
                vec![req(
                    "Incident feedback from deployers",
                    Some("Monthly service review"),
                )],
            ),
            (
                "Patients",
                "affected_community",
                "People whose images are triaged.",
                vec![req(
                    "Clinician review of every AI-prioritised case",
                    Some("Triage only reorders the worklist"),
                )],
            ),
        ];
        for (name, party_type, description, requirements) in parties {
            let input = PartyInput {
                name: Some(name.into()),
                party_type: Some(party_type.into()),
                description: Some(description.into()),
                requirements: Some(requirements),
            };
            self.party_add(actor, &input).await?;
        }
        Ok(())
    }

    /// Eight controls, each linked to Annex A controls and to the demo systems it covers.
    async fn seed_controls(&self, actor: &Actor) -> Result<()> {
        for c in CONTROLS {
            let input = ControlInput {
                name: Some(c.name.into()),
                description: Some(c.description.into()),
                owner: Some(c.owner.into()),
                status: Some(c.status.into()),
                implementation_date: c.implemented.map(Into::into),
                effectiveness: Some(c.effectiveness.into()),
                review_date: Some(c.review.into()),
            };
            let control = self.control_add(actor, &input).await?;
            let mut systems = Vec::new();
            for name in c.systems {
                let key = aims_store::systems::key_by_name(&mut *self.read().await?, name)
                    .await?
                    .ok_or_else(|| {
                        AppError::Internal(format!("demo system '{name}' is missing"))
                    })?;
                systems.push(key);
            }
            let links = LinksInput {
                requirements: Some(
                    c.requirements
                        .iter()
                        .map(|r| format!("ISO42001:{r}"))
                        .collect(),
                ),
                systems: Some(systems),
            };
            self.control_link(actor, &control.key, &links).await?;
        }
        Ok(())
    }

    /// Decides every line of the Statement of Applicability, then records and approves version 1.
    async fn seed_soa(&self, actor: &Actor) -> Result<()> {
        for (id, title) in crate::soa::annex_a() {
            let reference = format!("{}:{id}", crate::soa::FRAMEWORK);
            let by: Vec<&str> = CONTROLS
                .iter()
                .filter(|c| c.requirements.iter().any(|r| *r == id))
                .map(|c| c.name)
                .collect();
            let input = if id == "A.10.4" {
                aims_core::soa::SoaEntryInput {
                    applicable: Some(false),
                    justification: Some(
                        "Northwind supplies no AI systems or AI components to customers; its AI systems serve its own operations."
                            .into(),
                    ),
                }
            } else {
                let justification = if by.is_empty() {
                    format!("Needed for the AI systems in scope ({reference}: {title}); no control yet.")
                } else {
                    format!(
                        "Needed for the AI systems in scope; met by: {}.",
                        by.join(", ")
                    )
                };
                aims_core::soa::SoaEntryInput {
                    applicable: Some(true),
                    justification: Some(justification),
                }
            };
            self.soa_set(actor, &id, &input).await?;
        }
        let v = self.soa_snapshot(actor).await?;
        self.soa_approve(actor, v.version).await?;
        Ok(())
    }

    async fn seed_scope(&self, actor: &Actor) -> Result<()> {
        let first = ScopeInput {
            statement: Some("The AI management system of Northwind covers the AI systems that Northwind develops or deploys in its lending business.".into()),
            boundaries: Some("UK and EU operations; head office in Leeds.".into()),
            units: Some(vec!["Lending".into()]),
            coverage: Some("units".into()),
            ..Default::default()
        };
        let v1 = self.scope_set(actor, &first).await?;
        self.scope_approve(actor, v1.version).await?;
        let research = self
            .system_list(
                actor,
                &crate::systems::ListQuery {
                    q: Some("Research sandbox".into()),
                    ..Default::default()
                },
            )
            .await?;
        let mut exclusions = vec![Exclusion {
            item: "Personal productivity tools bought by individual staff".into(),
            justification: "Not approved for business data; blocked by the acceptable use policy."
                .into(),
        }];
        if let Some(s) = research.items.first() {
            exclusions.push(Exclusion {
                item: s.system.key.clone(),
                justification:
                    "Isolated research environment: no customer data and no production use.".into(),
            });
        }
        let second = ScopeInput {
            statement: Some("The AI management system of Northwind covers every AI system that Northwind develops, provides or deploys.".into()),
            boundaries: Some("UK and EU operations, including the clinics; head office in Leeds.".into()),
            units: Some(strings(&["Lending", "People", "Customer operations", "Operations", "Health", "Marketing", "Technology", "Research"])),
            coverage: Some("all".into()),
            systems: None,
            exclusions: Some(exclusions),
        };
        let v2 = self.scope_set(actor, &second).await?;
        self.scope_approve(actor, v2.version).await?;
        Ok(())
    }
}
