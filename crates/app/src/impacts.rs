//! AI system impact assessments (`AIA-n`, ISO/IEC 42001 6.1.4, 8.4, A.5). Each `AIA-n` is one
//! version of a system's assessment: a new version starts from the previous one and, once
//! signed, supersedes it; every version stays readable. The signed version in force falls due
//! for re-assessment when the system's stage, purpose, technique or data categories differ from
//! those it was signed against; that status is derived on read, never stored.

use std::collections::{BTreeMap, BTreeSet};

use aims_core::impact::{
    fria_required, ImpactAssessment, ImpactInput, ImpactStatus, SignInput, SystemSnapshot,
};
use aims_core::inventory::{AiSystem, SystemStatus};
use aims_core::keys::{normalise, Kind};
use aims_core::{Action, ValidationErrors};
use aims_store::impacts::{self as store, Filter};
use aims_store::{Conn, WriteTx};
use serde::Serialize;

use aims_store::listing::{Order, Page};

use crate::listing::{self, arrange, blank, holds, Listed, SortKey};
use crate::methodology::current_or_default;
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// A list request as it arrives from the API, a page or the CLI.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImpactQuery {
    /// Text in the key, the system's key or name, the intended use, the author or the
    /// reviewer (any case).
    pub q: Option<String>,
    /// An AI system key.
    pub system: Option<String>,
    /// draft, signed or reassessment_due.
    pub status: Option<String>,
    /// `key` (default), `system`, `version`, `status`, `author`, `signed_by` or `updated`; `-`
    /// in front for descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Assessments per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum Sort {
    Key,
    System,
    Version,
    Status,
    Author,
    SignedBy,
    Updated,
}

const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("system", Sort::System),
    ("version", Sort::Version),
    ("status", Sort::Status),
    ("author", Sort::Author),
    ("signed_by", Sort::SignedBy),
    ("updated", Sort::Updated),
];

/// A checked list request.
struct Parsed {
    system: Option<String>,
    status: Option<ImpactStatus>,
    text: Option<String>,
    order: Order<Sort>,
    page: Option<Page>,
}

impl ImpactQuery {
    fn parse(&self) -> Result<Parsed> {
        let mut e = ValidationErrors::default();
        let status = blank(&self.status).and_then(|w| e.take(ImpactStatus::parse("status", &w)));
        let order = listing::sort(&mut e, &self.sort, SORTS, Order::asc(Sort::Key));
        let page = listing::page(&mut e, self.page, self.per_page);
        e.into_result(|| Parsed {
            system: blank(&self.system).map(|s| normalise(&s)),
            status,
            text: blank(&self.q).map(|t| t.to_lowercase()),
            order,
            page,
        })
        .map_err(Into::into)
    }
}

/// What `v` is sorted by for `by`.
fn sort_key(v: &ImpactView, by: Sort) -> SortKey {
    let a = &v.assessment;
    match by {
        Sort::Key => SortKey::key(&a.key),
        Sort::System => SortKey::key(&a.system),
        Sort::Version => SortKey::Number(a.version),
        Sort::Status => SortKey::place(ImpactStatus::ALL, &a.status),
        Sort::Author => SortKey::text(&a.author),
        Sort::SignedBy => SortKey::opt_text(a.signed_by.as_deref()),
        Sort::Updated => SortKey::text(&a.updated_at),
    }
}

/// An assessment as people see it: its status derived (re-assessment due), why, whether the
/// fundamental-rights section is required, and which version superseded it.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactView {
    #[serde(flatten)]
    pub assessment: ImpactAssessment,
    /// The system's name.
    pub system_name: String,
    /// What changed in the system since sign-off (empty unless re-assessment is due).
    pub reassessment_reasons: Vec<String>,
    /// Whether the system is high-risk and deployed by the organisation (EU AI Act Art. 27).
    pub fria_required: bool,
    /// The newer signed version that replaced this one, if any.
    pub superseded_by: Option<String>,
    /// Whether this is the signed version in force for its system.
    pub in_force: bool,
}

/// One assessment with every version of its system's assessment.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactDetail {
    #[serde(flatten)]
    pub view: ImpactView,
    /// Every version of the system's assessment, oldest first.
    pub versions: Vec<ImpactView>,
}

/// The views of `list` (all of one system's versions, or a selection) given each system.
fn views(
    list: Vec<ImpactAssessment>,
    systems: &BTreeMap<String, AiSystem>,
    in_force: &BTreeMap<String, String>,
) -> Vec<ImpactView> {
    list.into_iter()
        .map(|mut a| {
            let system = systems.get(&a.system);
            let current = in_force.get(&a.system);
            let is_in_force = current == Some(&a.key);
            let reasons = match system {
                Some(s) if is_in_force && s.status == SystemStatus::Active => {
                    a.system_snapshot.changes(&s.fields)
                }
                _ => Vec::new(),
            };
            if !reasons.is_empty() {
                a.status = ImpactStatus::ReassessmentDue;
            }
            let superseded_by = match current {
                Some(k) if a.status == ImpactStatus::Signed && !is_in_force => Some(k.clone()),
                _ => None,
            };
            ImpactView {
                system_name: system.map(|s| s.fields.name.clone()).unwrap_or_default(),
                fria_required: system.is_some_and(|s| fria_required(&s.fields)),
                reassessment_reasons: reasons,
                superseded_by,
                in_force: is_in_force,
                assessment: a,
            }
        })
        .collect()
}

/// The systems of `keys` and the key of each one's signed version in force.
async fn context(
    conn: &mut Conn,
    keys: &BTreeSet<String>,
) -> Result<(BTreeMap<String, AiSystem>, BTreeMap<String, String>)> {
    let mut systems = BTreeMap::new();
    let mut in_force = BTreeMap::new();
    for k in keys {
        if let Some(row) = aims_store::systems::get(conn, k).await? {
            systems.insert(k.clone(), row.system);
        }
        let versions = store::of_system(conn, k).await?;
        if let Some(a) = versions
            .iter()
            .rev()
            .find(|a| a.status == ImpactStatus::Signed)
        {
            in_force.insert(k.clone(), a.key.clone());
        }
    }
    Ok((systems, in_force))
}

async fn view_one(conn: &mut Conn, a: ImpactAssessment) -> Result<ImpactView> {
    let keys = BTreeSet::from([a.system.clone()]);
    let (systems, in_force) = context(conn, &keys).await?;
    views(vec![a], &systems, &in_force)
        .pop()
        .ok_or_else(|| AppError::Internal("no view".into()))
}

/// Checks that every risk and control a mitigation names exists, naming
/// `mitigations[i].risks` or `mitigations[i].controls`.
async fn check_links(conn: &mut Conn, a: &aims_core::impact::ImpactFields) -> Result<()> {
    let mut e = ValidationErrors::default();
    for (i, m) in a.mitigations.iter().enumerate() {
        for r in &m.risks {
            if aims_store::risks::get(conn, r).await?.is_none() {
                e.push(format!("mitigations[{i}].risks"), format!("no risk '{r}'"));
            }
        }
        for c in &m.controls {
            if aims_store::controls::get(conn, c).await?.is_none() {
                e.push(
                    format!("mitigations[{i}].controls"),
                    format!("no control '{c}'"),
                );
            }
        }
    }
    e.into_result(|| ()).map_err(Into::into)
}

async fn load(tx: &mut WriteTx, key: &str) -> Result<ImpactAssessment> {
    store::get(tx.conn(), key)
        .await?
        .ok_or_else(|| AppError::not_found(format!("impact assessment {key}")))
}

async fn system_of(conn: &mut Conn, key: &str) -> Result<AiSystem> {
    aims_store::systems::get(conn, key)
        .await?
        .map(|r| r.system)
        .ok_or_else(|| AppError::Internal(format!("AI system {key} of an assessment is missing")))
}

fn draft_only(a: &ImpactAssessment) -> Result<()> {
    if a.status == ImpactStatus::Draft {
        Ok(())
    } else {
        Err(AppError::conflict(
            "status",
            format!(
                "{} is signed and can no longer change; add a new version for {}",
                a.key, a.system
            ),
        ))
    }
}

impl App {
    /// Adds a new version of a system's assessment, as a draft written by `actor`. Fields not
    /// given are taken from the previous version. Refused while the system has a draft.
    pub async fn impact_add(&self, actor: &Actor, input: &ImpactInput) -> Result<ImpactView> {
        actor.require(Action::WriteRisks)?;
        let Some(system_key) = blank(&input.system).map(|s| normalise(&s)) else {
            return Err(AppError::invalid("system", "is required"));
        };
        let mut tx = self.db.begin_write().await?;
        let system = aims_store::systems::get(tx.conn(), &system_key)
            .await?
            .map(|r| r.system)
            .ok_or_else(|| AppError::invalid("system", format!("no AI system '{system_key}'")))?;
        if system.status == SystemStatus::Retired {
            return Err(AppError::invalid(
                "system",
                format!("{system_key} is retired"),
            ));
        }
        let versions = store::of_system(tx.conn(), &system_key).await?;
        if let Some(d) = versions.iter().find(|a| a.status == ImpactStatus::Draft) {
            return Err(AppError::conflict(
                "system",
                format!(
                    "{} is the draft assessment of {system_key}; change it instead of adding another",
                    d.key
                ),
            ));
        }
        let previous = versions.last();
        let m = current_or_default(&mut tx, actor).await?;
        let base = previous.map(|p| p.fields.clone());
        let mut fields = input.validate(base.as_ref(), &m.doc)?;
        // Harms kept from an older method's version may lie outside the current scales: they
        // are scored again, and named as errors until given anew.
        fields.rescore(&m.doc)?;
        check_links(tx.conn(), &fields).await?;
        let n = aims_store::counters::next(tx.conn(), Kind::ImpactAssessment).await?;
        let at = now();
        let a = ImpactAssessment {
            key: Kind::ImpactAssessment.key(n),
            system: system_key,
            version: previous.map_or(1, |p| p.version + 1),
            fields,
            methodology_version: m.version,
            system_snapshot: SystemSnapshot::of(&system.fields),
            status: ImpactStatus::Draft,
            author: actor.username.clone(),
            contributors: BTreeSet::new(),
            signed_by: None,
            signed_at: None,
            sign_note: None,
            created_at: at.clone(),
            updated_at: at,
        };
        store::insert(tx.conn(), n, &a).await?;
        record(&mut tx, actor, Kind::ImpactAssessment, &a.key, "create", &a).await?;
        let view = view_one(tx.conn(), a).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Changes the fields given of a draft; whoever changes it becomes a contributor.
    pub async fn impact_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &ImpactInput,
    ) -> Result<ImpactView> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = load(&mut tx, &key).await?;
        draft_only(&current)?;
        if let Some(s) = blank(&input.system).map(|s| normalise(&s)) {
            if s != current.system {
                return Err(AppError::invalid(
                    "system",
                    format!(
                        "{key} assesses {}; add a new assessment for {s}",
                        current.system
                    ),
                ));
            }
        }
        let m = current_or_default(&mut tx, actor).await?;
        let mut fields = input.validate(Some(&current.fields), &m.doc)?;
        fields.rescore(&m.doc)?;
        check_links(tx.conn(), &fields).await?;
        let system = system_of(tx.conn(), &current.system).await?;
        let snapshot = SystemSnapshot::of(&system.fields);
        if fields == current.fields
            && m.version == current.methodology_version
            && snapshot == current.system_snapshot
        {
            let view = view_one(tx.conn(), current).await?;
            return Ok(view);
        }
        let mut a = ImpactAssessment {
            fields,
            methodology_version: m.version,
            system_snapshot: snapshot,
            updated_at: now(),
            ..current
        };
        if actor.username != a.author {
            a.contributors.insert(actor.username.clone());
        }
        store::update(tx.conn(), &a).await?;
        record(&mut tx, actor, Kind::ImpactAssessment, &key, "update", &a).await?;
        let view = view_one(tx.conn(), a).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Signs a draft off: only a role that may write risks, never its author or a contributor,
    /// and only once complete (with the fundamental-rights section when the system needs it).
    /// The harms are scored again with the method in force and the system's fields recorded.
    pub async fn impact_sign(
        &self,
        actor: &Actor,
        key: &str,
        input: &SignInput,
    ) -> Result<ImpactView> {
        actor.require(Action::WriteRisks)?;
        let key = normalise(key);
        let note = aims_core::text::optional("note", input.note.as_deref(), aims_core::text::LONG)?;
        let mut tx = self.db.begin_write().await?;
        let mut a = load(&mut tx, &key).await?;
        draft_only(&a)?;
        let system = system_of(tx.conn(), &a.system).await?;
        let m = current_or_default(&mut tx, actor).await?;
        let mut e = ValidationErrors::default();
        if let Err(err) = a.fields.rescore(&m.doc) {
            e.0.extend(err.0);
        }
        if let Err(err) = a.check_sign(&actor.username, fria_required(&system.fields)) {
            e.0.extend(err.0);
        }
        if !e.is_empty() {
            return Err(e.into());
        }
        let at = now();
        a.status = ImpactStatus::Signed;
        a.methodology_version = m.version;
        a.system_snapshot = SystemSnapshot::of(&system.fields);
        a.signed_by = Some(actor.username.clone());
        a.signed_at = Some(at.clone());
        a.sign_note = note;
        a.updated_at = at;
        store::update(tx.conn(), &a).await?;
        record(&mut tx, actor, Kind::ImpactAssessment, &key, "sign", &a).await?;
        let view = view_one(tx.conn(), a).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// One assessment with every version of its system's assessment.
    pub async fn impact_get(&self, actor: &Actor, key: &str) -> Result<ImpactDetail> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        let mut conn = self.read().await?;
        let a = store::get(&mut conn, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("impact assessment {key}")))?;
        let keys = BTreeSet::from([a.system.clone()]);
        let (systems, in_force) = context(&mut conn, &keys).await?;
        let all = store::of_system(&mut conn, &a.system).await?;
        let versions = views(all, &systems, &in_force);
        let view = versions
            .iter()
            .find(|v| v.assessment.key == key)
            .cloned()
            .ok_or_else(|| AppError::not_found(format!("impact assessment {key}")))?;
        Ok(ImpactDetail { view, versions })
    }

    /// The assessments matching the query, sorted and paged; `reassessment_due` is derived.
    pub async fn impact_list(
        &self,
        actor: &Actor,
        query: &ImpactQuery,
    ) -> Result<Listed<ImpactView>> {
        actor.require(Action::Read)?;
        let Parsed {
            system,
            status,
            text,
            order,
            page,
        } = query.parse()?;
        let mut conn = self.read().await?;
        // Re-assessment due is a signed assessment whose system changed: read the signed ones.
        let stored = match status {
            Some(ImpactStatus::ReassessmentDue) => Some(ImpactStatus::Signed),
            other => other,
        };
        let list = store::list(
            &mut conn,
            &Filter {
                system,
                status: stored,
            },
        )
        .await?;
        let keys: BTreeSet<String> = list.iter().map(|a| a.system.clone()).collect();
        let (systems, in_force) = context(&mut conn, &keys).await?;
        let matching = views(list, &systems, &in_force)
            .into_iter()
            .filter(|v| {
                let a = &v.assessment;
                status.is_none_or(|s| a.status == s)
                    && text.as_deref().is_none_or(|t| {
                        holds(
                            t,
                            &[
                                &a.key,
                                &a.system,
                                &v.system_name,
                                &a.fields.intended_use,
                                &a.author,
                                a.signed_by.as_deref().unwrap_or(""),
                            ],
                        )
                    })
            })
            .collect();
        Ok(arrange(matching, order, sort_key, page))
    }
}

/// One demo assessment.
struct DemoImpact {
    system: &'static str,
    intended_use: &'static str,
    misuse: &'static str,
    affected: &'static [&'static str],
    vulnerable: &'static [&'static str],
    /// Area, description, severity, likelihood.
    harms: &'static [(&'static str, &'static str, i64, i64)],
    benefits: &'static str,
    /// Description, risk titles, control names.
    mitigations: &'static [(
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
    )],
    residual: &'static str,
    fria: bool,
    signed: bool,
}

const NO_HARM: &str = "No material harm expected in this area; reviewed with the system owner.";

const DEMO_IMPACTS: &[DemoImpact] = &[
    DemoImpact {
        system: "Consumer credit scoring",
        intended_use: "Supports credit officers deciding on personal loan and card applications; officers decide, the score advises.",
        misuse: "Used to decide alone without officer review, or reused to set marketing offers by inferred wealth.",
        affected: &["Loan applicants", "Credit officers"],
        vulnerable: &["Applicants in financial difficulty", "Young adults with thin credit files"],
        harms: &[
            ("fairness_and_discrimination", "Postcode and spending proxies may decline some groups more often.", 4, 3),
            ("privacy", "Financial and personal data of applicants processed at scale.", 3, 2),
            ("safety", NO_HARM, 1, 1),
            ("human_rights", "Access to credit affects housing and livelihood.", 4, 2),
            ("transparency_and_explainability", "Applicants may not understand why they were declined.", 3, 3),
            ("accountability", "Officers may defer to the score without owning the decision.", 3, 2),
            ("environment", NO_HARM, 1, 1),
            ("economic", "Wrong declines cost applicants access to affordable credit.", 3, 3),
        ],
        benefits: "Faster, more consistent decisions; fewer unaffordable loans granted.",
        mitigations: &[
            ("Proxy features removed and a quarterly fairness test run.", &["Proxy discrimination in credit decisions"], &["Model validation before release"]),
            ("Reasons for every decline given to the applicant.", &[], &["Transparency notices for users"]),
        ],
        residual: "Residual disparity is within the agreed threshold and monitored monthly; acceptable with human review of declines near the cut-off.",
        fria: true,
        signed: true,
    },
    DemoImpact {
        system: "Customer-service assistant",
        intended_use: "Answers customer questions in chat from the help centre, with hand-over to an agent.",
        misuse: "Customers treat answers as binding advice on fees or credit terms.",
        affected: &["Customers", "Support agents"],
        vulnerable: &["Customers with limited digital skills"],
        harms: &[
            ("fairness_and_discrimination", "Quality of answers may vary by language.", 2, 2),
            ("privacy", "Customers may share personal data in chat.", 3, 3),
            ("safety", NO_HARM, 1, 1),
            ("human_rights", NO_HARM, 1, 1),
            ("transparency_and_explainability", "Customers must know they talk to an AI system.", 2, 2),
            ("accountability", "Wrong answers must reach a named owner.", 2, 2),
            ("environment", "Inference compute of a large model.", 2, 3),
            ("economic", "Wrong fee information may cost customers money.", 3, 3),
        ],
        benefits: "Answers around the clock; agents freed for complex cases.",
        mitigations: &[
            ("Answers only from retrieved documents, with the source shown.", &["Customer-service assistant gives wrong fee information"], &["Transparency notices for users"]),
        ],
        residual: "Low residual harm while answers stay grounded in the help centre.",
        fria: false,
        signed: true,
    },
    DemoImpact {
        system: "CV screening assistant",
        intended_use: "Ranks applications so recruiters read the most relevant first; recruiters decide every shortlist.",
        misuse: "Automatic rejection of the lowest-ranked candidates without a recruiter reading them.",
        affected: &["Job applicants", "Recruiters"],
        vulnerable: &["Candidates with career breaks", "Candidates with disabilities"],
        harms: &[
            ("fairness_and_discrimination", "Training labels from past hiring may penalise career breaks.", 5, 4),
            ("privacy", "CVs hold personal data beyond what ranking needs.", 3, 3),
        ],
        benefits: "Shorter time to shortlist for high-volume roles.",
        mitigations: &[
            ("Recruiters review every rejection the assistant suggests.", &["CV screening assistant filters out career breaks"], &["AI impact assessment procedure"]),
        ],
        residual: "",
        fria: false,
        signed: false,
    },
];

/// Seeds three assessments: credit scoring signed with its fundamental-rights section; the
/// customer-service assistant signed and then due for re-assessment after its data categories
/// changed; the CV screening assistant as a draft. Written by `actor`, signed by rosa.
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    let rosa = Actor {
        username: "rosa".into(),
        role: aims_core::Role::RiskOwner,
        via: crate::Via::System,
    };
    let strs = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    for d in DEMO_IMPACTS {
        let system = aims_store::systems::key_by_name(&mut *app.read().await?, d.system)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo system '{}' is missing", d.system)))?;
        let mut mitigations = Vec::new();
        for (description, risks, controls) in d.mitigations {
            let risk_keys: Vec<String> = app
                .risk_list(actor, &Default::default())
                .await?
                .into_iter()
                .filter(|r| risks.contains(&r.fields.title.as_str()))
                .map(|r| r.key)
                .collect();
            let mut control_keys = Vec::new();
            for name in *controls {
                let key = aims_store::controls::key_by_name(&mut *app.read().await?, name)
                    .await?
                    .ok_or_else(|| {
                        AppError::Internal(format!("demo control '{name}' is missing"))
                    })?;
                control_keys.push(key);
            }
            mitigations.push(aims_core::impact::MitigationInput {
                description: Some((*description).into()),
                risks: risk_keys,
                controls: control_keys,
            });
        }
        let input = ImpactInput {
            system: Some(system.clone()),
            intended_use: Some(d.intended_use.into()),
            foreseeable_misuse: Some(d.misuse.into()),
            affected_groups: Some(strs(d.affected)),
            vulnerable_groups: Some(strs(d.vulnerable)),
            harms: Some(
                d.harms
                    .iter()
                    .map(|(area, text, s, l)| {
                        (
                            (*area).to_owned(),
                            aims_core::impact::HarmInput {
                                description: Some((*text).into()),
                                severity: Some(*s),
                                likelihood: Some(*l),
                            },
                        )
                    })
                    .collect(),
            ),
            benefits: Some(d.benefits.into()),
            mitigations: Some(mitigations),
            residual_assessment: Some(d.residual.into()),
            fria: d.fria.then(|| aims_core::impact::FriaInput {
                deployer_process: Some("Credit decisions on personal loans and cards in the lending branches and online.".into()),
                period_and_frequency: Some("Continuously, on every application; about 4,000 applications a month.".into()),
                persons_affected: Some("Applicants for personal credit in the EU and UK, including first-time borrowers.".into()),
                specific_risks: Some("Indirect discrimination through proxies; exclusion from affordable credit; decisions people cannot contest.".into()),
                human_oversight: Some("A credit officer reviews every decline and every score near the cut-off, and can override the score.".into()),
                measures_if_materialised: Some("Complaints route to the credit risk committee; the model is suspended on a fairness breach and affected decisions are reviewed.".into()),
            }),
        };
        let a = app.impact_add(actor, &input).await?;
        if d.signed {
            let note = SignInput {
                note: Some("Reviewed with the system owner.".into()),
            };
            app.impact_sign(&rosa, &a.assessment.key, &note).await?;
        }
    }
    // The customer-service assistant now also handles card fees: its data categories grow,
    // so its signed assessment falls due for re-assessment.
    let cs =
        aims_store::systems::key_by_name(&mut *app.read().await?, "Customer-service assistant")
            .await?
            .ok_or_else(|| {
                AppError::Internal("demo system 'Customer-service assistant' is missing".into())
            })?;
    let change = aims_core::inventory::SystemInput {
        data_categories: Some(vec![
            "personal".into(),
            "confidential".into(),
            "financial".into(),
        ]),
        ..Default::default()
    };
    app.system_update(actor, &cs, &change).await?;
    Ok(())
}
