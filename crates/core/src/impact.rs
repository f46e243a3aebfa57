//! AI system impact assessments (`AIA-n`, ISO/IEC 42001 6.1.4, 8.4, A.5): what an assessment of
//! one AI system records (use and misuse, who is affected, harms per area scored on the risk
//! method's scales, benefits, mitigations linked to risks and controls, the residual view, an
//! optional fundamental-rights section after EU AI Act Art. 27), and the rules for sign-off and
//! for when a signed assessment falls due for re-assessment.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::inventory::{AiRole, DataCategory, EuClass, Stage, SystemFields, Technique};
use crate::risk::methodology::{MethodDoc, RiskLevel};
use crate::text;

crate::vocabulary!(
    /// The areas in which an AI system may cause harm.
    HarmArea {
        FairnessAndDiscrimination => ("fairness_and_discrimination", "Fairness and discrimination"),
        Privacy => ("privacy", "Privacy"),
        Safety => ("safety", "Safety"),
        HumanRights => ("human_rights", "Human rights"),
        TransparencyAndExplainability => ("transparency_and_explainability", "Transparency and explainability"),
        Accountability => ("accountability", "Accountability"),
        Environment => ("environment", "Environment"),
        Economic => ("economic", "Economic"),
    }
);

crate::vocabulary!(
    /// Where an assessment stands. `reassessment_due` is never stored: it is derived when the
    /// system changed since the assessment in force was signed.
    ImpactStatus {
        Draft => ("draft", "Draft"),
        Signed => ("signed", "Signed"),
        ReassessmentDue => ("reassessment_due", "Re-assessment due"),
    }
);

/// One harm: what could happen, how severe (on the method's impact scale) and how likely (on
/// its likelihood scale), and the level the method's matrix gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Harm {
    pub description: String,
    pub severity: i64,
    pub likelihood: i64,
    pub level: Option<RiskLevel>,
}

/// A mitigation and the risks and controls it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mitigation {
    pub description: String,
    /// Risk keys (`RSK-3`).
    pub risks: BTreeSet<String>,
    /// Control keys (`CTL-2`).
    pub controls: BTreeSet<String>,
}

/// The fundamental-rights impact section (EU AI Act Art. 27) for deployers of high-risk systems.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fria {
    /// The deployer's process in which the system is used.
    pub deployer_process: Option<String>,
    /// The period and frequency of use.
    pub period_and_frequency: Option<String>,
    /// Categories of natural persons and groups likely to be affected.
    pub persons_affected: Option<String>,
    /// Specific risks of harm to those persons.
    pub specific_risks: Option<String>,
    /// The human oversight measures.
    pub human_oversight: Option<String>,
    /// What is done if the risks materialise (governance, complaints).
    pub measures_if_materialised: Option<String>,
}

impl Fria {
    /// `(field, value)` of every field, in form order.
    pub fn fields(&self) -> [(&'static str, Option<&str>); 6] {
        [
            ("deployer_process", self.deployer_process.as_deref()),
            ("period_and_frequency", self.period_and_frequency.as_deref()),
            ("persons_affected", self.persons_affected.as_deref()),
            ("specific_risks", self.specific_risks.as_deref()),
            ("human_oversight", self.human_oversight.as_deref()),
            (
                "measures_if_materialised",
                self.measures_if_materialised.as_deref(),
            ),
        ]
    }

    fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v)| v.is_none())
    }
}

/// What people write in an assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactFields {
    pub intended_use: String,
    pub foreseeable_misuse: Option<String>,
    pub affected_groups: Vec<String>,
    pub vulnerable_groups: Vec<String>,
    pub harms: BTreeMap<HarmArea, Harm>,
    pub benefits: Option<String>,
    pub mitigations: Vec<Mitigation>,
    pub residual_assessment: Option<String>,
    pub fria: Option<Fria>,
}

/// The system fields an assessment rests on; a change to any of them calls for re-assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemSnapshot {
    pub stage: Stage,
    pub purpose: String,
    pub technique: Technique,
    pub data_categories: BTreeSet<DataCategory>,
}

impl SystemSnapshot {
    pub fn of(s: &SystemFields) -> SystemSnapshot {
        SystemSnapshot {
            stage: s.stage,
            purpose: s.purpose.clone(),
            technique: s.technique,
            data_categories: s.data_categories.clone(),
        }
    }

    /// What changed between this snapshot and the system as it is now, in words.
    pub fn changes(&self, now: &SystemFields) -> Vec<String> {
        let words = |d: &BTreeSet<DataCategory>| {
            d.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
        };
        let mut out = Vec::new();
        if self.stage != now.stage {
            out.push(format!("stage: {} → {}", self.stage, now.stage));
        }
        if self.purpose != now.purpose {
            out.push("purpose changed".to_owned());
        }
        if self.technique != now.technique {
            out.push(format!("technique: {} → {}", self.technique, now.technique));
        }
        if self.data_categories != now.data_categories {
            out.push(format!(
                "data categories: [{}] → [{}]",
                words(&self.data_categories),
                words(&now.data_categories)
            ));
        }
        out
    }
}

/// Whether the fundamental-rights section is required: a high-risk system the organisation
/// deploys.
pub fn fria_required(s: &SystemFields) -> bool {
    s.eu_class == EuClass::HighRisk && s.ai_roles.contains(&AiRole::Deployer)
}

/// An assessment as recorded; also the state written to the ledger. Its `status` is `draft`
/// or `signed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactAssessment {
    pub key: String,
    /// The AI system assessed (`SYS-3`).
    pub system: String,
    /// The version among the system's assessments (1 first).
    pub version: i64,
    #[serde(flatten)]
    pub fields: ImpactFields,
    /// The method version whose scales and matrix scored the harms.
    pub methodology_version: i64,
    pub system_snapshot: SystemSnapshot,
    pub status: ImpactStatus,
    /// Who wrote the first draft.
    pub author: String,
    /// Others who changed the draft.
    pub contributors: BTreeSet<String>,
    pub signed_by: Option<String>,
    pub signed_at: Option<String>,
    pub sign_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A harm as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HarmInput {
    pub description: Option<String>,
    /// On the method's impact scale (1 to its size).
    pub severity: Option<i64>,
    /// On the method's likelihood scale.
    pub likelihood: Option<i64>,
}

impl HarmInput {
    fn is_blank(&self) -> bool {
        self.description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
            && self.severity.is_none()
            && self.likelihood.is_none()
    }
}

/// A mitigation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MitigationInput {
    pub description: Option<String>,
    /// Risk keys (`RSK-3`); each must exist.
    #[serde(default)]
    pub risks: Vec<String>,
    /// Control keys (`CTL-2`); each must exist.
    #[serde(default)]
    pub controls: Vec<String>,
}

impl MitigationInput {
    /// Reads `description | RSK-1 RSK-2 | CTL-3` (keys separated by spaces or commas), as typed
    /// on the command line or in a form's text area.
    pub fn parse_line(line: &str) -> MitigationInput {
        let mut parts = line.split('|');
        let keys = |p: Option<&str>| -> Vec<String> {
            p.unwrap_or("")
                .split([' ', ','])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let description = parts.next().map(|d| d.trim().to_owned());
        let risks = keys(parts.next());
        let controls = keys(parts.next());
        MitigationInput {
            description,
            risks,
            controls,
        }
    }
}

/// The fundamental-rights section as typed; given fields replace recorded ones, and a section
/// left wholly blank is removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FriaInput {
    pub deployer_process: Option<String>,
    pub period_and_frequency: Option<String>,
    pub persons_affected: Option<String>,
    pub specific_risks: Option<String>,
    pub human_oversight: Option<String>,
    pub measures_if_materialised: Option<String>,
}

/// An assessment as typed. Every field is optional so that a new version and a patch share one
/// shape; absent fields keep the value of the base (the draft patched, or the previous version
/// of a new one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactInput {
    /// The AI system (`SYS-3`); required for a new assessment, fixed afterwards.
    pub system: Option<String>,
    pub intended_use: Option<String>,
    pub foreseeable_misuse: Option<String>,
    pub affected_groups: Option<Vec<String>>,
    pub vulnerable_groups: Option<Vec<String>>,
    /// Harms by area (fairness_and_discrimination, privacy, safety, human_rights,
    /// transparency_and_explainability, accountability, environment, economic); the areas given
    /// replace those recorded, and an area given blank is removed.
    #[schema(value_type = Object)]
    pub harms: Option<BTreeMap<String, HarmInput>>,
    pub benefits: Option<String>,
    /// A list given replaces the recorded one.
    pub mitigations: Option<Vec<MitigationInput>>,
    pub residual_assessment: Option<String>,
    pub fria: Option<FriaInput>,
}

/// A sign-off as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInput {
    pub note: Option<String>,
}

fn opt_long(
    e: &mut ValidationErrors,
    field: &str,
    given: &Option<String>,
    kept: Option<&Option<String>>,
) -> Option<String> {
    match given {
        Some(v) => e.take(text::optional(field, Some(v), text::LONG)).flatten(),
        None => kept.cloned().flatten(),
    }
}

fn keys(e: &mut ValidationErrors, field: &str, values: &[String]) -> BTreeSet<String> {
    e.take(text::list(field, values))
        .unwrap_or_default()
        .into_iter()
        .map(|k| k.to_ascii_uppercase())
        .collect()
}

/// Checks a harm's values against the method's scales and scores it.
pub fn score_harm(
    e: &mut ValidationErrors,
    doc: &MethodDoc,
    area: HarmArea,
    severity: i64,
    likelihood: i64,
) -> Option<RiskLevel> {
    let (si, li) = (doc.impact_levels() as i64, doc.likelihood_levels() as i64);
    let mut ok = true;
    if !(1..=si).contains(&severity) {
        e.push(
            format!("harms[{area}].severity"),
            format!("{severity} is outside the method's impact scale (1 to {si})"),
        );
        ok = false;
    }
    if !(1..=li).contains(&likelihood) {
        e.push(
            format!("harms[{area}].likelihood"),
            format!("{likelihood} is outside the method's likelihood scale (1 to {li})"),
        );
        ok = false;
    }
    if ok {
        doc.level(likelihood, severity)
    } else {
        None
    }
}

impl ImpactInput {
    /// Validates over `base` (absent fields keep their value), scoring harms with `doc`.
    /// Risk and control keys come back upper-cased; their existence is for the caller.
    pub fn validate(
        &self,
        base: Option<&ImpactFields>,
        doc: &MethodDoc,
    ) -> Result<ImpactFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let intended_use = e.take(text::required_long(
            "intended_use",
            self.intended_use
                .as_deref()
                .or(base.map(|b| b.intended_use.as_str())),
        ));
        let foreseeable_misuse = opt_long(
            &mut e,
            "foreseeable_misuse",
            &self.foreseeable_misuse,
            base.map(|b| &b.foreseeable_misuse),
        );
        let groups = |e: &mut ValidationErrors,
                      field: &str,
                      given: &Option<Vec<String>>,
                      kept: fn(&ImpactFields) -> Vec<String>| {
            match given {
                Some(v) => e.take(text::list(field, v)).unwrap_or_default(),
                None => base.map(kept).unwrap_or_default(),
            }
        };
        let affected_groups = groups(&mut e, "affected_groups", &self.affected_groups, |b| {
            b.affected_groups.clone()
        });
        let vulnerable_groups = groups(&mut e, "vulnerable_groups", &self.vulnerable_groups, |b| {
            b.vulnerable_groups.clone()
        });
        let mut harms = base.map(|b| b.harms.clone()).unwrap_or_default();
        for (word, h) in self.harms.iter().flatten() {
            let Some(area) = e.take(HarmArea::parse(&format!("harms[{word}]"), word)) else {
                continue;
            };
            if h.is_blank() {
                harms.remove(&area);
                continue;
            }
            let description = e.take(text::required_long(
                &format!("harms[{area}].description"),
                h.description.as_deref(),
            ));
            let severity = h.severity.or_else(|| {
                e.push(format!("harms[{area}].severity"), "is required");
                None
            });
            let likelihood = h.likelihood.or_else(|| {
                e.push(format!("harms[{area}].likelihood"), "is required");
                None
            });
            if let (Some(description), Some(severity), Some(likelihood)) =
                (description, severity, likelihood)
            {
                let level = score_harm(&mut e, doc, area, severity, likelihood);
                harms.insert(
                    area,
                    Harm {
                        description,
                        severity,
                        likelihood,
                        level,
                    },
                );
            }
        }
        let benefits = opt_long(
            &mut e,
            "benefits",
            &self.benefits,
            base.map(|b| &b.benefits),
        );
        let mitigations = match &self.mitigations {
            None => base.map(|b| b.mitigations.clone()).unwrap_or_default(),
            Some(list) => {
                if list.len() > text::MAX_ITEMS {
                    e.push(
                        "mitigations",
                        format!("has more than {} entries", text::MAX_ITEMS),
                    );
                }
                let mut out = Vec::new();
                for (i, m) in list.iter().enumerate() {
                    let blank = m.description.as_deref().is_none_or(|d| d.trim().is_empty());
                    if blank && m.risks.is_empty() && m.controls.is_empty() {
                        continue;
                    }
                    let description = e.take(text::required_long(
                        &format!("mitigations[{i}].description"),
                        m.description.as_deref(),
                    ));
                    let risks = keys(&mut e, &format!("mitigations[{i}].risks"), &m.risks);
                    let controls = keys(&mut e, &format!("mitigations[{i}].controls"), &m.controls);
                    if let Some(description) = description {
                        out.push(Mitigation {
                            description,
                            risks,
                            controls,
                        });
                    }
                }
                out
            }
        };
        let residual_assessment = opt_long(
            &mut e,
            "residual_assessment",
            &self.residual_assessment,
            base.map(|b| &b.residual_assessment),
        );
        let fria = match &self.fria {
            None => base.and_then(|b| b.fria.clone()),
            Some(f) => {
                let kept = base.and_then(|b| b.fria.clone()).unwrap_or_default();
                let mut one = |field: &str, given: &Option<String>, kept: Option<String>| {
                    opt_long(&mut e, &format!("fria.{field}"), given, Some(&kept))
                };
                let fria = Fria {
                    deployer_process: one(
                        "deployer_process",
                        &f.deployer_process,
                        kept.deployer_process,
                    ),
                    period_and_frequency: one(
                        "period_and_frequency",
                        &f.period_and_frequency,
                        kept.period_and_frequency,
                    ),
                    persons_affected: one(
                        "persons_affected",
                        &f.persons_affected,
                        kept.persons_affected,
                    ),
                    specific_risks: one("specific_risks", &f.specific_risks, kept.specific_risks),
                    human_oversight: one(
                        "human_oversight",
                        &f.human_oversight,
                        kept.human_oversight,
                    ),
                    measures_if_materialised: one(
                        "measures_if_materialised",
                        &f.measures_if_materialised,
                        kept.measures_if_materialised,
                    ),
                };
                (!fria.is_empty()).then_some(fria)
            }
        };
        match intended_use {
            Some(intended_use) if e.is_empty() => Ok(ImpactFields {
                intended_use,
                foreseeable_misuse,
                affected_groups,
                vulnerable_groups,
                harms,
                benefits,
                mitigations,
                residual_assessment,
                fria,
            }),
            _ => Err(e),
        }
    }
}

impl ImpactFields {
    /// Scores every harm again with `doc`; errors name `harms[area].severity` or `.likelihood`
    /// for values outside its scales.
    pub fn rescore(&mut self, doc: &MethodDoc) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        for (area, h) in self.harms.iter_mut() {
            h.level = score_harm(&mut e, doc, *area, h.severity, h.likelihood);
        }
        e.into_result(|| ())
    }
}

impl ImpactAssessment {
    /// The checks of a sign-off by `signer`: not the author nor a contributor, and a complete
    /// assessment (misuse, affected groups, every harm area, the residual assessment, and the
    /// fundamental-rights section when `fria_required`).
    pub fn check_sign(&self, signer: &str, fria_required: bool) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if signer == self.author {
            e.push(
                "author",
                format!(
                    "{signer} wrote {}; sign-off needs a reviewer other than its author",
                    self.key
                ),
            );
        } else if self.contributors.contains(signer) {
            e.push(
                "contributors",
                format!(
                    "{signer} changed {}; sign-off needs a reviewer who did not write it",
                    self.key
                ),
            );
        }
        let f = &self.fields;
        if f.foreseeable_misuse.is_none() {
            e.push("foreseeable_misuse", "is required before sign-off");
        }
        if f.affected_groups.is_empty() {
            e.push("affected_groups", "name at least one group before sign-off");
        }
        for area in HarmArea::ALL {
            if !f.harms.contains_key(area) {
                e.push(
                    format!("harms[{area}]"),
                    "is not assessed; every area needs a harm (or why none is expected) before sign-off",
                );
            }
        }
        if f.residual_assessment.is_none() {
            e.push("residual_assessment", "is required before sign-off");
        }
        if fria_required {
            match &f.fria {
                None => e.push(
                    "fria",
                    "the system is high-risk and deployed by the organisation: the fundamental-rights impact section (EU AI Act Art. 27) is required before sign-off",
                ),
                Some(fria) => {
                    for (field, v) in fria.fields() {
                        if v.is_none() {
                            e.push(format!("fria.{field}"), "is required before sign-off");
                        }
                    }
                }
            }
        }
        e.into_result(|| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::methodology::{default_doc, square_doc};

    fn fields(r: Result<ImpactFields, ValidationErrors>) -> Vec<String> {
        r.err()
            .map(|e| e.0.into_iter().map(|f| f.field).collect())
            .unwrap_or_default()
    }

    fn harm(d: &str, s: i64, l: i64) -> HarmInput {
        HarmInput {
            description: Some(d.into()),
            severity: Some(s),
            likelihood: Some(l),
        }
    }

    #[test]
    fn harms_are_scored_and_checked_against_the_scales() {
        let input = ImpactInput {
            intended_use: Some("Scoring".into()),
            harms: Some(BTreeMap::from([
                ("privacy".into(), harm("Leak", 4, 3)),
                ("safety".into(), harm("None expected", 1, 1)),
            ])),
            ..Default::default()
        };
        let f = input
            .validate(None, &default_doc())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.harms[&HarmArea::Privacy].level, Some(RiskLevel::High));
        assert_eq!(f.harms[&HarmArea::Safety].level, Some(RiskLevel::Low));
        assert_eq!(
            fields(input.validate(None, &square_doc(3))),
            vec!["harms[privacy].severity"]
        );
        let bad = ImpactInput {
            intended_use: Some("x".into()),
            harms: Some(BTreeMap::from([
                ("weather".into(), harm("x", 1, 1)),
                ("economic".into(), harm("x", 1, 6)),
            ])),
            ..Default::default()
        };
        assert_eq!(
            fields(bad.validate(None, &default_doc())),
            vec!["harms[economic].likelihood", "harms[weather]"]
        );
    }

    #[test]
    fn patches_merge_harms_and_a_blank_area_is_removed() {
        let doc = default_doc();
        let first = ImpactInput {
            intended_use: Some("Use".into()),
            harms: Some(BTreeMap::from([
                ("privacy".into(), harm("Leak", 2, 2)),
                ("economic".into(), harm("Loss", 3, 3)),
            ])),
            ..Default::default()
        }
        .validate(None, &doc)
        .unwrap_or_else(|e| panic!("{e}"));
        let patch = ImpactInput {
            harms: Some(BTreeMap::from([
                ("privacy".into(), HarmInput::default()),
                ("safety".into(), harm("Injury", 5, 1)),
            ])),
            ..Default::default()
        };
        let f = patch
            .validate(Some(&first), &doc)
            .unwrap_or_else(|e| panic!("{e}"));
        let areas: Vec<HarmArea> = f.harms.keys().copied().collect();
        assert_eq!(areas, vec![HarmArea::Safety, HarmArea::Economic]);
        assert_eq!(f.intended_use, "Use");
    }

    #[test]
    fn mitigation_lines_split_into_links() {
        let m = MitigationInput::parse_line("Human review | rsk-1, RSK-2 | CTL-3");
        assert_eq!(m.description.as_deref(), Some("Human review"));
        assert_eq!(m.risks, vec!["rsk-1", "RSK-2"]);
        assert_eq!(m.controls, vec!["CTL-3"]);
    }
}
