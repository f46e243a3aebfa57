//! The risk register (`RSK-n`, ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): what a risk is, its
//! inherent and residual estimates scored by the method, its treatment, acceptances and reviews,
//! and the rules that decide its status and its next review.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::methodology::{ImpactDimension, MethodDoc, RiskLevel};
use super::scoring::{self, Impacts, LevelRange, Score};
use crate::error::ValidationErrors;
use crate::role::Role;
use crate::text;
use crate::time;

crate::vocabulary!(
    /// The kind of a risk.
    RiskCategory {
        Technical => ("technical", "Technical"),
        Ethical => ("ethical", "Ethical"),
        Legal => ("legal", "Legal"),
        Operational => ("operational", "Operational"),
    }
);

crate::vocabulary!(
    /// What the likelihood estimate rests on.
    LikelihoodBasis {
        IncidentHistory => ("incident_history", "Incident history"),
        KnownVulnerabilities => ("known_vulnerabilities", "Known vulnerabilities"),
        ExpertJudgement => ("expert_judgement", "Expert judgement"),
    }
);

crate::vocabulary!(
    /// How sure the estimate is; low confidence is shown as a range of levels.
    Confidence {
        Low => ("low", "Low"),
        Medium => ("medium", "Medium"),
        High => ("high", "High"),
    }
);

crate::vocabulary!(
    /// How a risk is treated (6.1.3).
    TreatmentOption {
        Accept => ("accept", "Accept"),
        Mitigate => ("mitigate", "Mitigate"),
        Transfer => ("transfer", "Transfer"),
        Avoid => ("avoid", "Avoid"),
    }
);

crate::vocabulary!(
    /// Where a risk stands; derived from what is recorded about it.
    RiskStatus {
        Identified => ("identified", "Identified"),
        Assessed => ("assessed", "Assessed"),
        TreatmentPlanned => ("treatment_planned", "Treatment planned"),
        Treated => ("treated", "Treated"),
        Accepted => ("accepted", "Accepted"),
        Closed => ("closed", "Closed"),
    }
);

impl Confidence {
    /// Likelihood levels either side that the estimate may be off by.
    pub fn spread(self) -> i64 {
        match self {
            Confidence::Low => 1,
            Confidence::Medium | Confidence::High => 0,
        }
    }
}

/// A likelihood and an impact per dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    pub likelihood: i64,
    pub impact: Impacts,
}

/// The inherent estimate with what it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inherent {
    #[serde(flatten)]
    pub estimate: Estimate,
    pub basis: LikelihoodBasis,
    pub confidence: Confidence,
}

/// The chosen treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Treatment {
    pub option: TreatmentOption,
    pub plan: Option<String>,
    /// Keys of the controls that carry it out.
    pub controls: BTreeSet<String>,
    pub due_date: Option<String>,
}

/// An acceptance of a risk at a level: who, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub by: String,
    pub role: Role,
    pub level: RiskLevel,
    pub methodology_version: i64,
    pub reason: String,
    pub at: String,
}

/// A review of a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub by: String,
    /// The day of the review.
    pub on: String,
    pub notes: Option<String>,
    pub closed: bool,
}

/// The scores under one method version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores {
    pub methodology_version: i64,
    pub inherent: Option<Score>,
    pub inherent_range: Option<LevelRange>,
    pub residual: Option<Score>,
}

/// What people describe about a risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFields {
    pub title: String,
    pub cause: String,
    pub event: String,
    pub consequence: String,
    pub category: RiskCategory,
    pub sub_category: Option<String>,
    /// AI system keys; empty means the whole organisation.
    pub systems: BTreeSet<String>,
    /// Annex C risk sources (`C.3.1`).
    pub risk_sources: BTreeSet<String>,
    /// Annex C objectives affected (`C.2.5`).
    pub objectives: BTreeSet<String>,
    /// Username of the risk owner.
    pub owner: String,
}

/// A risk as recorded; also the state written to the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    pub key: String,
    #[serde(flatten)]
    pub fields: RiskFields,
    pub inherent: Option<Inherent>,
    pub treatment: Option<Treatment>,
    pub residual: Option<Estimate>,
    pub residual_reason: Option<String>,
    pub scores: Scores,
    pub status: RiskStatus,
    pub acceptances: Vec<Acceptance>,
    pub reviews: Vec<Review>,
    pub next_review: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Risk {
    /// The level that counts now: the residual one once estimated, else the inherent one.
    pub fn current_level(&self) -> Option<RiskLevel> {
        self.scores
            .residual
            .or(self.scores.inherent)
            .map(|s| s.level)
    }

    pub fn inherent_level(&self) -> Option<RiskLevel> {
        self.scores.inherent.map(|s| s.level)
    }

    pub fn residual_level(&self) -> Option<RiskLevel> {
        self.scores.residual.map(|s| s.level)
    }

    pub fn is_closed(&self) -> bool {
        self.reviews.last().is_some_and(|r| r.closed)
    }

    /// The acceptance in force: the last one, when it was given at the current level.
    pub fn acceptance_in_force(&self) -> Option<&Acceptance> {
        let last = self.acceptances.last()?;
        (Some(last.level) == self.current_level()).then_some(last)
    }

    /// The status that follows from what is recorded.
    pub fn derive_status(&self) -> RiskStatus {
        if self.is_closed() {
            RiskStatus::Closed
        } else if self.acceptance_in_force().is_some() {
            RiskStatus::Accepted
        } else if self.residual.is_some() && self.treatment.is_some() {
            RiskStatus::Treated
        } else if self.treatment.is_some() {
            RiskStatus::TreatmentPlanned
        } else if self.inherent.is_some() {
            RiskStatus::Assessed
        } else {
            RiskStatus::Identified
        }
    }

    /// Scores the estimates with `doc` (version `version`), first moving them onto its scales
    /// when `from` (the method they were made with) has other sizes; then the status and the
    /// next review follow.
    pub fn apply_method(&mut self, from: Option<&MethodDoc>, doc: &MethodDoc, version: i64) {
        if let Some(from) = from {
            let (fl, fi) = (from.likelihood_levels(), from.impact_levels());
            let (tl, ti) = (doc.likelihood_levels(), doc.impact_levels());
            let mv = |e: &mut Estimate| {
                e.likelihood = scoring::rescale(e.likelihood, fl, tl);
                for v in e.impact.values_mut() {
                    *v = scoring::rescale(*v, fi, ti);
                }
            };
            if let Some(i) = self.inherent.as_mut() {
                mv(&mut i.estimate);
            }
            if let Some(r) = self.residual.as_mut() {
                mv(r);
            }
        }
        let inherent = self
            .inherent
            .as_ref()
            .and_then(|i| scoring::score(doc, i.estimate.likelihood, &i.estimate.impact));
        let inherent_range = match (&self.inherent, &inherent) {
            (Some(i), Some(s)) => Some(scoring::range(doc, s, i.confidence.spread())),
            _ => None,
        };
        let residual = self
            .residual
            .as_ref()
            .and_then(|r| scoring::score(doc, r.likelihood, &r.impact));
        self.scores = Scores {
            methodology_version: version,
            inherent,
            inherent_range,
            residual,
        };
        self.status = self.derive_status();
        self.next_review = self.due_review(doc);
    }

    /// The next review: the last review (or the day it was recorded) plus the interval of the
    /// current level; unassessed risks take the shortest interval. None once closed.
    pub fn due_review(&self, doc: &MethodDoc) -> Option<String> {
        if self.is_closed() {
            return None;
        }
        let base = self
            .reviews
            .last()
            .and_then(|r| NaiveDate::parse_from_str(&r.on, "%Y-%m-%d").ok())
            .or_else(|| time::parse(&self.created_at).map(|t| t.date_naive()))?;
        let days = match self.current_level() {
            Some(level) => doc.review_interval(level),
            None => RiskLevel::ALL
                .iter()
                .map(|l| doc.review_interval(*l))
                .min()
                .unwrap_or(30),
        };
        let days = u64::try_from(days).unwrap_or(30);
        base.checked_add_days(Days::new(days))
            .map(|d| d.to_string())
    }

    /// Whether the next review is before `today`.
    pub fn review_overdue(&self, today: NaiveDate) -> bool {
        self.next_review
            .as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| d < today)
    }
}

/// A risk as typed: descriptive fields, and optionally its first inherent estimate. Every field
/// is optional so that a new risk and a patch share one shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskInput {
    pub title: Option<String>,
    /// The cause (what could set it off).
    pub cause: Option<String>,
    /// The event (what would happen).
    pub event: Option<String>,
    /// The consequence (what it would lead to).
    pub consequence: Option<String>,
    /// technical, ethical, legal or operational.
    pub category: Option<String>,
    pub sub_category: Option<String>,
    /// AI system keys; none (or an empty list) means the whole organisation.
    pub systems: Option<Vec<String>>,
    /// Annex C risk sources (`C.3.1`).
    pub risk_sources: Option<Vec<String>>,
    /// Annex C objectives affected (`C.2.5`).
    pub objectives: Option<Vec<String>>,
    /// Username of the risk owner.
    pub owner: Option<String>,
    /// The first inherent estimate (all of likelihood and the three impacts, or none).
    pub likelihood: Option<i64>,
    pub likelihood_basis: Option<String>,
    pub confidence: Option<String>,
    pub impact_individuals_or_groups: Option<i64>,
    pub impact_organisation: Option<i64>,
    pub impact_society: Option<i64>,
}

/// The inherent estimate as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessInput {
    pub likelihood: Option<i64>,
    /// incident_history, known_vulnerabilities or expert_judgement (default).
    pub likelihood_basis: Option<String>,
    /// low, medium (default) or high.
    pub confidence: Option<String>,
    pub impact_individuals_or_groups: Option<i64>,
    pub impact_organisation: Option<i64>,
    pub impact_society: Option<i64>,
}

/// A treatment as typed, with the residual estimate once known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatInput {
    /// accept, mitigate, transfer or avoid.
    pub option: Option<String>,
    /// Required for mitigate.
    pub plan: Option<String>,
    /// Control keys (`CTL-3`); a list given replaces the current one.
    pub controls: Option<Vec<String>>,
    /// YYYY-MM-DD.
    pub due_date: Option<String>,
    pub residual_likelihood: Option<i64>,
    pub residual_impact_individuals_or_groups: Option<i64>,
    pub residual_impact_organisation: Option<i64>,
    pub residual_impact_society: Option<i64>,
    /// Required when the residual estimate is above the inherent one.
    pub residual_reason: Option<String>,
}

/// An acceptance as typed: the reason; who and when come from the call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    pub reason: Option<String>,
}

/// A review as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The day of the review (YYYY-MM-DD, not in the future); today when absent.
    pub date: Option<String>,
    pub notes: Option<String>,
    /// Close the risk with this review.
    pub close: Option<bool>,
}

fn or_base<'a>(v: &'a Option<String>, base: Option<&'a str>) -> Option<&'a str> {
    v.as_deref().or(base)
}

impl RiskInput {
    /// Validates the descriptive fields over `base` (absent fields keep their value). Systems,
    /// owner and Annex C IDs are returned as typed (trimmed); their existence is for the caller.
    pub fn validate(&self, base: Option<&RiskFields>) -> Result<RiskFields, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let title = e.take(text::required(
            "title",
            or_base(&self.title, base.map(|b| b.title.as_str())),
        ));
        let cause = e.take(text::required_long(
            "cause",
            or_base(&self.cause, base.map(|b| b.cause.as_str())),
        ));
        let event = e.take(text::required_long(
            "event",
            or_base(&self.event, base.map(|b| b.event.as_str())),
        ));
        let consequence = e.take(text::required_long(
            "consequence",
            or_base(&self.consequence, base.map(|b| b.consequence.as_str())),
        ));
        let category = match self.category.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(RiskCategory::parse("category", w)),
            _ => match base {
                Some(b) => Some(b.category),
                None => {
                    e.push("category", "is required");
                    None
                }
            },
        };
        let sub_category = e.take(text::optional(
            "sub_category",
            or_base(
                &self.sub_category,
                base.and_then(|b| b.sub_category.as_deref()),
            ),
            text::SHORT,
        ));
        let owner = e.take(text::required(
            "owner",
            or_base(&self.owner, base.map(|b| b.owner.as_str())),
        ));
        let set = |e: &mut ValidationErrors,
                   field: &str,
                   given: &Option<Vec<String>>,
                   kept: Option<&BTreeSet<String>>,
                   upper: bool| {
            match given {
                Some(v) => e
                    .take(text::list(field, v))
                    .map(|v| {
                        v.into_iter()
                            .map(|s| if upper { s.to_ascii_uppercase() } else { s })
                            .collect::<BTreeSet<String>>()
                    })
                    .unwrap_or_default(),
                None => kept.cloned().unwrap_or_default(),
            }
        };
        let systems = set(
            &mut e,
            "systems",
            &self.systems,
            base.map(|b| &b.systems),
            true,
        );
        let risk_sources = set(
            &mut e,
            "risk_sources",
            &self.risk_sources,
            base.map(|b| &b.risk_sources),
            true,
        );
        let objectives = set(
            &mut e,
            "objectives",
            &self.objectives,
            base.map(|b| &b.objectives),
            true,
        );
        match (
            title,
            cause,
            event,
            consequence,
            category,
            sub_category,
            owner,
        ) {
            (
                Some(title),
                Some(cause),
                Some(event),
                Some(consequence),
                Some(category),
                Some(sub_category),
                Some(owner),
            ) if e.is_empty() => Ok(RiskFields {
                title,
                cause,
                event,
                consequence,
                category,
                sub_category,
                systems,
                risk_sources,
                objectives,
                owner,
            }),
            _ => Err(e),
        }
    }

    /// The inherent estimate given with a new risk, if any of it was.
    pub fn assessment(&self) -> Option<AssessInput> {
        let a = AssessInput {
            likelihood: self.likelihood,
            likelihood_basis: self.likelihood_basis.clone(),
            confidence: self.confidence.clone(),
            impact_individuals_or_groups: self.impact_individuals_or_groups,
            impact_organisation: self.impact_organisation,
            impact_society: self.impact_society,
        };
        (a != AssessInput::default()).then_some(a)
    }
}

fn impacts(a: Option<i64>, b: Option<i64>, c: Option<i64>) -> Impacts {
    [
        (ImpactDimension::IndividualsOrGroups, a),
        (ImpactDimension::Organisation, b),
        (ImpactDimension::Society, c),
    ]
    .into_iter()
    .filter_map(|(d, v)| v.map(|v| (d, v)))
    .collect()
}

impl AssessInput {
    /// Validates the estimate over `base` against the method's scales.
    pub fn validate(
        &self,
        doc: &MethodDoc,
        base: Option<&Inherent>,
    ) -> Result<Inherent, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let kept = |d: ImpactDimension| base.and_then(|b| b.estimate.impact.get(&d).copied());
        let likelihood = self.likelihood.or(base.map(|b| b.estimate.likelihood));
        let impact = impacts(
            self.impact_individuals_or_groups
                .or(kept(ImpactDimension::IndividualsOrGroups)),
            self.impact_organisation
                .or(kept(ImpactDimension::Organisation)),
            self.impact_society.or(kept(ImpactDimension::Society)),
        );
        let basis = match self.likelihood_basis.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(LikelihoodBasis::parse("likelihood_basis", w)),
            _ => Some(base.map_or(LikelihoodBasis::ExpertJudgement, |b| b.basis)),
        };
        let confidence = match self.confidence.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(Confidence::parse("confidence", w)),
            _ => Some(base.map_or(Confidence::Medium, |b| b.confidence)),
        };
        match likelihood {
            None => e.push("likelihood", "is required"),
            Some(l) => {
                if let Err(errs) = scoring::check(doc, "", l, &impact) {
                    e.0.extend(errs.0);
                }
            }
        }
        match (likelihood, basis, confidence) {
            (Some(likelihood), Some(basis), Some(confidence)) if e.is_empty() => Ok(Inherent {
                estimate: Estimate { likelihood, impact },
                basis,
                confidence,
            }),
            _ => Err(e),
        }
    }
}

impl TreatInput {
    /// Validates the treatment over the risk's current one, and the residual estimate against
    /// the method's scales and the inherent estimate. Control keys are returned normalised;
    /// their existence is for the caller.
    pub fn validate(
        &self,
        doc: &MethodDoc,
        risk: &Risk,
    ) -> Result<(Treatment, Option<Estimate>, Option<String>), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let base = risk.treatment.as_ref();
        let option = match self.option.as_deref().map(str::trim) {
            Some(w) if !w.is_empty() => e.take(TreatmentOption::parse("option", w)),
            _ => match base {
                Some(b) => Some(b.option),
                None => {
                    e.push(
                        "option",
                        "is required (accept, mitigate, transfer or avoid)",
                    );
                    None
                }
            },
        };
        let plan = e
            .take(text::optional(
                "plan",
                or_base(&self.plan, base.and_then(|b| b.plan.as_deref())),
                text::LONG,
            ))
            .flatten();
        if option == Some(TreatmentOption::Mitigate) && plan.is_none() {
            e.push("plan", "is required when the treatment is 'mitigate'");
        }
        let controls = match &self.controls {
            Some(v) => e
                .take(text::list("controls", v))
                .map(|v| v.iter().map(|k| crate::keys::normalise(k)).collect())
                .unwrap_or_default(),
            None => base.map(|b| b.controls.clone()).unwrap_or_default(),
        };
        let due_date = e
            .take(time::date(
                "due_date",
                or_base(&self.due_date, base.and_then(|b| b.due_date.as_deref())),
            ))
            .flatten()
            .map(|d| d.to_string());
        let kept = |d: ImpactDimension| {
            risk.residual
                .as_ref()
                .and_then(|r| r.impact.get(&d).copied())
        };
        let given = self.residual_likelihood.is_some()
            || self.residual_impact_individuals_or_groups.is_some()
            || self.residual_impact_organisation.is_some()
            || self.residual_impact_society.is_some();
        let residual = if given || risk.residual.is_some() {
            let likelihood = self
                .residual_likelihood
                .or(risk.residual.as_ref().map(|r| r.likelihood));
            let impact = impacts(
                self.residual_impact_individuals_or_groups
                    .or(kept(ImpactDimension::IndividualsOrGroups)),
                self.residual_impact_organisation
                    .or(kept(ImpactDimension::Organisation)),
                self.residual_impact_society
                    .or(kept(ImpactDimension::Society)),
            );
            match likelihood {
                None => {
                    e.push(
                        "residual_likelihood",
                        "is required with a residual estimate",
                    );
                    None
                }
                Some(l) => match scoring::check(doc, "residual_", l, &impact) {
                    Ok(()) => Some(Estimate {
                        likelihood: l,
                        impact,
                    }),
                    Err(errs) => {
                        e.0.extend(errs.0);
                        None
                    }
                },
            }
        } else {
            None
        };
        let reason = e
            .take(text::optional(
                "residual_reason",
                or_base(&self.residual_reason, risk.residual_reason.as_deref()),
                text::LONG,
            ))
            .flatten();
        if let Some(r) = &residual {
            match &risk.inherent {
                None => e.push(
                    "residual_likelihood",
                    "assess the inherent risk before estimating the residual one",
                ),
                Some(i) => {
                    if higher(doc, r, &i.estimate) && reason.is_none() {
                        e.push(
                            "residual_reason",
                            "is required: the residual estimate is higher than the inherent one",
                        );
                    }
                }
            }
        }
        match option {
            Some(option) if e.is_empty() => Ok((
                Treatment {
                    option,
                    plan,
                    controls,
                    due_date,
                },
                residual,
                reason,
            )),
            _ => Err(e),
        }
    }
}

/// Whether `residual` is above `inherent` anywhere: likelihood, an impact, or the level.
pub fn higher(doc: &MethodDoc, residual: &Estimate, inherent: &Estimate) -> bool {
    let level = |x: &Estimate| scoring::score(doc, x.likelihood, &x.impact).map(|s| s.level);
    residual.likelihood > inherent.likelihood
        || residual
            .impact
            .iter()
            .any(|(d, v)| inherent.impact.get(d).is_some_and(|i| v > i))
        || level(residual) > level(inherent)
}

/// Checks that `role` may accept `risk` as it stands under `doc` (version `version`); the level
/// accepted, or errors naming `level` (outside the criteria) and `role` (not entitled).
pub fn check_acceptance(
    doc: &MethodDoc,
    version: i64,
    risk: &Risk,
    role: Role,
) -> Result<RiskLevel, ValidationErrors> {
    let mut e = ValidationErrors::default();
    if risk.is_closed() {
        e.push("status", format!("{} is closed", risk.key));
        return Err(e);
    }
    let Some(level) = risk.current_level() else {
        e.push("level", format!("{} has not been assessed yet", risk.key));
        return Err(e);
    };
    if risk.status == RiskStatus::Accepted {
        e.push(
            "status",
            format!("{} is already accepted at {level}", risk.key),
        );
        return Err(e);
    }
    if level > doc.appetite && risk.residual.is_none() {
        e.push(
            "level",
            format!(
                "{} is {level}, above the appetite of MTH-{version} ({}); only a treated risk may be accepted above it",
                risk.key, doc.appetite
            ),
        );
    }
    match doc.may_accept(role) {
        None => e.push(
            "role",
            format!("the {role} role may not accept risks under MTH-{version}"),
        ),
        Some(max) if max < level => e.push(
            "role",
            format!(
                "the {role} role may accept risks up to {max} under MTH-{version}; {} is {level}",
                risk.key
            ),
        ),
        Some(_) => {}
    }
    e.into_result(|| level)
}

impl ReviewInput {
    /// The day of the review (not after `today`) and the notes.
    pub fn validate(
        &self,
        today: NaiveDate,
    ) -> Result<(NaiveDate, Option<String>), ValidationErrors> {
        let mut e = ValidationErrors::default();
        let on = e.take(time::date("date", self.date.as_deref())).flatten();
        let on = on.unwrap_or(today);
        if on > today {
            e.push("date", format!("{on} is in the future"));
        }
        let notes = e
            .take(text::optional("notes", self.notes.as_deref(), text::LONG))
            .flatten();
        e.into_result(|| (on, notes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::methodology::default_doc;

    fn fields_of<T: std::fmt::Debug>(r: Result<T, ValidationErrors>) -> Vec<String> {
        match r {
            Err(e) => e.0.into_iter().map(|f| f.field).collect(),
            Ok(v) => panic!("expected errors, got {v:?}"),
        }
    }

    fn input() -> RiskInput {
        RiskInput {
            title: Some("Biased shortlist".into()),
            cause: Some("Skewed training data".into()),
            event: Some("Qualified women are ranked low".into()),
            consequence: Some("Discrimination claims".into()),
            category: Some("ethical".into()),
            owner: Some("rosa".into()),
            systems: Some(vec!["sys-2".into()]),
            risk_sources: Some(vec!["c.3.4".into()]),
            ..Default::default()
        }
    }

    fn risk(doc: &MethodDoc) -> Risk {
        let mut r = Risk {
            key: "RSK-1".into(),
            fields: input().validate(None).unwrap_or_else(|e| panic!("{e}")),
            inherent: None,
            treatment: None,
            residual: None,
            residual_reason: None,
            scores: Scores {
                methodology_version: 1,
                inherent: None,
                inherent_range: None,
                residual: None,
            },
            status: RiskStatus::Identified,
            acceptances: Vec::new(),
            reviews: Vec::new(),
            next_review: None,
            created_at: "2026-01-10T09:00:00.000000Z".into(),
            updated_at: "2026-01-10T09:00:00.000000Z".into(),
        };
        r.apply_method(None, doc, 1);
        r
    }

    fn assess(l: i64, a: i64, b: i64, c: i64) -> AssessInput {
        AssessInput {
            likelihood: Some(l),
            impact_individuals_or_groups: Some(a),
            impact_organisation: Some(b),
            impact_society: Some(c),
            ..Default::default()
        }
    }

    #[test]
    fn descriptive_fields_are_validated_and_normalised() {
        let f = input().validate(None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.systems.iter().next().map(String::as_str), Some("SYS-2"));
        assert_eq!(
            f.risk_sources.iter().next().map(String::as_str),
            Some("C.3.4")
        );
        let bad = RiskInput {
            category: Some("financial".into()),
            title: Some(" ".into()),
            ..input()
        };
        assert_eq!(fields_of(bad.validate(None)), vec!["title", "category"]);
        assert!(input().assessment().is_none());
    }

    #[test]
    fn status_follows_the_record_and_review_dates_the_level() {
        let doc = default_doc();
        let mut r = risk(&doc);
        assert_eq!(r.status, RiskStatus::Identified);
        // Unassessed: the shortest interval (30 days).
        assert_eq!(r.next_review.as_deref(), Some("2026-02-09"));
        r.inherent = Some(
            assess(4, 4, 2, 1)
                .validate(&doc, None)
                .unwrap_or_else(|e| panic!("{e}")),
        );
        r.apply_method(None, &doc, 1);
        assert_eq!(
            (r.status, r.inherent_level()),
            (RiskStatus::Assessed, Some(RiskLevel::High))
        );
        assert_eq!(r.next_review.as_deref(), Some("2026-04-10"));
        let t = TreatInput {
            option: Some("mitigate".into()),
            plan: Some("Rebalance the data".into()),
            ..Default::default()
        };
        let (treatment, residual, _) = t.validate(&doc, &r).unwrap_or_else(|e| panic!("{e}"));
        r.treatment = Some(treatment);
        r.residual = residual;
        r.apply_method(None, &doc, 1);
        assert_eq!(r.status, RiskStatus::TreatmentPlanned);
        let t = TreatInput {
            residual_likelihood: Some(2),
            residual_impact_individuals_or_groups: Some(2),
            residual_impact_organisation: Some(2),
            residual_impact_society: Some(1),
            ..Default::default()
        };
        let (treatment, residual, _) = t.validate(&doc, &r).unwrap_or_else(|e| panic!("{e}"));
        r.treatment = Some(treatment);
        r.residual = residual;
        r.apply_method(None, &doc, 1);
        assert_eq!(
            (r.status, r.current_level()),
            (RiskStatus::Treated, Some(RiskLevel::Low))
        );
        assert_eq!(r.next_review.as_deref(), Some("2027-01-10"));
    }

    #[test]
    fn treatment_refusals_name_their_fields() {
        let doc = default_doc();
        let mut r = risk(&doc);
        let t = TreatInput {
            option: Some("mitigate".into()),
            residual_likelihood: Some(1),
            residual_impact_individuals_or_groups: Some(1),
            residual_impact_organisation: Some(1),
            residual_impact_society: Some(1),
            ..Default::default()
        };
        assert_eq!(
            fields_of(t.validate(&doc, &r)),
            vec!["plan", "residual_likelihood"]
        );
        r.inherent = Some(
            assess(2, 2, 2, 2)
                .validate(&doc, None)
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let up = TreatInput {
            option: Some("transfer".into()),
            residual_likelihood: Some(3),
            residual_impact_individuals_or_groups: Some(2),
            residual_impact_organisation: Some(2),
            residual_impact_society: Some(6),
            ..Default::default()
        };
        assert_eq!(
            fields_of(up.validate(&doc, &r)),
            vec!["residual_impact_society"]
        );
        let up = TreatInput {
            residual_impact_society: Some(2),
            ..up
        };
        assert_eq!(fields_of(up.validate(&doc, &r)), vec!["residual_reason"]);
        let up = TreatInput {
            residual_reason: Some("The supplier raised prices".into()),
            ..up
        };
        assert!(up.validate(&doc, &r).is_ok());
        assert_eq!(
            fields_of(assess(0, 1, 1, 9).validate(&doc, None)),
            vec!["likelihood", "impact_society"]
        );
    }

    #[test]
    fn acceptance_follows_appetite_and_roles() {
        let doc = default_doc();
        let mut r = risk(&doc);
        assert_eq!(
            fields_of(check_acceptance(&doc, 1, &r, Role::Admin)),
            vec!["level"]
        );
        // 3 x 3: medium, within appetite: a risk owner may accept it untreated.
        r.inherent = Some(
            assess(3, 3, 1, 1)
                .validate(&doc, None)
                .unwrap_or_else(|e| panic!("{e}")),
        );
        r.apply_method(None, &doc, 1);
        assert_eq!(
            check_acceptance(&doc, 1, &r, Role::RiskOwner),
            Ok(RiskLevel::Medium)
        );
        assert_eq!(
            fields_of(check_acceptance(&doc, 1, &r, Role::Contributor)),
            vec!["role"]
        );
        // 4 x 4: high, above appetite: refused until treated, and beyond a risk owner.
        r.inherent = Some(
            assess(4, 4, 1, 1)
                .validate(&doc, None)
                .unwrap_or_else(|e| panic!("{e}")),
        );
        r.apply_method(None, &doc, 1);
        assert_eq!(
            fields_of(check_acceptance(&doc, 1, &r, Role::GovernanceLead)),
            vec!["level"]
        );
        assert_eq!(
            fields_of(check_acceptance(&doc, 1, &r, Role::RiskOwner)),
            vec!["level", "role"]
        );
        r.treatment = Some(Treatment {
            option: TreatmentOption::Transfer,
            plan: None,
            controls: BTreeSet::new(),
            due_date: None,
        });
        r.residual = Some(Estimate {
            likelihood: 4,
            impact: r
                .inherent
                .as_ref()
                .map(|i| i.estimate.impact.clone())
                .unwrap_or_default(),
        });
        r.apply_method(None, &doc, 1);
        assert_eq!(
            check_acceptance(&doc, 1, &r, Role::GovernanceLead),
            Ok(RiskLevel::High)
        );
        assert_eq!(
            fields_of(check_acceptance(&doc, 1, &r, Role::RiskOwner)),
            vec!["role"]
        );
    }

    #[test]
    fn reviews_may_not_be_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default();
        let r = ReviewInput {
            date: Some("2026-05-02".into()),
            ..Default::default()
        };
        assert_eq!(fields_of(r.validate(today)), vec!["date"]);
        let r = ReviewInput::default();
        assert_eq!(r.validate(today).map(|v| v.0), Ok(today));
    }
}
