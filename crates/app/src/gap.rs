//! Gap analysis: a prioritised list of what stands between the management system as recorded
//! and ISO/IEC 42001, from four sources: the latest maturity assessment, the Statement of
//! Applicability, the documented information the standard requires, and the scope's approval.
//!
//! The facts are read with a fixed number of queries (the latest assessment, the SoA decisions,
//! link counts per requirement and control status grouped in SQL, approval counts, and the
//! roadmap actions that say which gap they close), however many controls and links exist;
//! everything else is computed in memory. Severity and order
//! follow the rule documented in `aims_core::gap`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aims_catalog::{Catalog, Item, Kind as ItemKind};
use aims_core::action::ActionStatus;
use aims_core::control::{format_requirement, ControlStatus};
use aims_core::gap::{self, Gap, GapSource, Severity};
use aims_core::maturity::{self, Assessment, LEVELS};
use aims_core::soa::{line_status, SoaStatus};
use aims_core::{Action, ValidationErrors};
use aims_store::maturity::{Approvals, LinkCount};
use serde::{Deserialize, Serialize};

use crate::record::now;
use crate::soa::FRAMEWORK;
use crate::{Actor, App, AppError, Result};

/// The documented information satisfied by an approved scope version.
pub const DI_SCOPE: &str = "DI-4.3";
/// The documented information satisfied by an approved SoA version.
pub const DI_SOA: &str = "DI-6.1.3-SOA";

/// What the gap analysis is computed from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The latest maturity assessment, if any.
    pub assessment: Option<Assessment>,
    /// The SoA decision per Annex A control ID: applicable or not.
    pub decisions: BTreeMap<String, bool>,
    /// Linked controls per stored requirement reference and status.
    pub links: Vec<LinkCount>,
    pub approvals: Option<Approvals>,
    /// The actions planned against a gap: (gap ID, action key) of every action that is not
    /// cancelled, in key order.
    pub planned: Vec<(String, String)>,
}

/// The gap list and how many gaps there are of each severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GapReport {
    pub generated_at: String,
    /// The maturity assessment used (`MAT-2`), if any.
    pub assessment: Option<String>,
    /// Gaps of each severity in the whole report (before any filter).
    pub counts: SeverityCounts,
    pub gaps: Vec<Gap>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub total: usize,
}

impl SeverityCounts {
    fn of(gaps: &[Gap]) -> SeverityCounts {
        let n = |s: Severity| gaps.iter().filter(|g| g.severity == s).count();
        SeverityCounts {
            critical: n(Severity::Critical),
            high: n(Severity::High),
            medium: n(Severity::Medium),
            low: n(Severity::Low),
            total: gaps.len(),
        }
    }
}

/// Filters of the gap list, as words.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GapQuery {
    /// critical, high, medium or low.
    pub severity: Option<String>,
    /// maturity, soa, soa-undecided, di or scope.
    pub source: Option<String>,
}

impl GapQuery {
    fn parse(&self) -> Result<(Option<Severity>, Option<GapSource>)> {
        let mut e = ValidationErrors::default();
        let word = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_lowercase)
        };
        let severity = word(&self.severity).and_then(|w| e.take(Severity::parse("severity", &w)));
        let source = word(&self.source).and_then(|w| e.take(GapSource::parse("source", &w)));
        e.into_result(|| (severity, source)).map_err(Into::into)
    }
}

/// Output formats of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapFormat {
    Table,
    Csv,
    Markdown,
    Json,
}

impl GapFormat {
    pub fn parse(word: &str) -> Result<GapFormat> {
        match word.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(GapFormat::Table),
            "csv" => Ok(GapFormat::Csv),
            "md" | "markdown" => Ok(GapFormat::Markdown),
            "json" => Ok(GapFormat::Json),
            other => Err(AppError::invalid(
                "format",
                format!("unknown value '{other}'; expected one of: table, csv, md, json"),
            )),
        }
    }
}

/// The CSV header of the report.
pub const CSV_HEADER: [&str; 9] = [
    "id",
    "severity",
    "source",
    "requirement",
    "title",
    "current",
    "target",
    "action",
    "actions",
];

/// The gaps as CSV.
pub fn to_csv(gaps: &[Gap]) -> Result<String> {
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).map_err(internal)?;
    for g in gaps {
        w.write_record([
            g.id.as_str(),
            g.severity.as_str(),
            g.source.as_str(),
            g.requirement.as_str(),
            g.title.as_str(),
            g.current.as_str(),
            g.target.as_str(),
            g.action.as_str(),
            g.actions.join(", ").as_str(),
        ])
        .map_err(internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The gaps as a Markdown table.
pub fn to_markdown(report: &GapReport) -> String {
    let c = &report.counts;
    let mut out = String::from("# Gap analysis (ISO/IEC 42001)\n\n");
    out.push_str(&format!(
        "{} gaps: {} critical, {} high, {} medium, {} low.\n\n",
        c.total, c.critical, c.high, c.medium, c.low
    ));
    out.push_str(
        "| Severity | Gap | Requirement | Current | Target | Suggested action | Actions |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for g in &report.gaps {
        out.push_str(&format!(
            "| {} | {} | {} {} | {} | {} | {} | {} |\n",
            g.severity.label(),
            g.id,
            g.requirement,
            md_cell(&g.title),
            md_cell(&g.current),
            md_cell(&g.target),
            md_cell(&g.action),
            g.actions.join(", ")
        ));
    }
    out
}

/// Positions of the catalog items, for ordering: a documented information item takes its
/// parent clause's place.
struct Places {
    index: HashMap<&'static str, usize>,
}

impl Places {
    fn new(items: &'static [Item]) -> Places {
        let mut index = HashMap::new();
        for (i, item) in items.iter().enumerate() {
            index.insert(item.id.as_str(), i);
        }
        for item in items {
            if item.kind == ItemKind::DocumentedInformation {
                if let Some(p) = item.parent.as_deref().and_then(|p| index.get(p).copied()) {
                    index.insert(item.id.as_str(), p);
                }
            }
        }
        Places { index }
    }

    fn of(&self, id: &str) -> usize {
        self.index.get(id).copied().unwrap_or(usize::MAX)
    }
}

fn level_text(n: i64) -> String {
    format!("level {}", maturity::level_label(n))
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The gaps of `facts`, prioritised.
pub fn compute(facts: &Facts) -> Vec<Gap> {
    let Some(fw) = Catalog::framework(FRAMEWORK) else {
        return Vec::new();
    };
    let places = Places::new(&fw.items);
    let title = |id: &str| fw.item(id).map(|i| i.title.clone()).unwrap_or_default();
    let guidance = |id: &str| fw.item(id).map(|i| i.guidance.clone()).unwrap_or_default();
    let reference = |id: &str| format_requirement(&fw.id, id);
    let mut gaps = Vec::new();

    // (a) The latest maturity assessment.
    match &facts.assessment {
        None => gaps.push(Gap {
            id: "maturity:none".into(),
            source: GapSource::Maturity,
            requirement: reference("9.1"),
            title: title("9.1"),
            current: "no maturity assessment recorded".into(),
            target: "every sub-clause of clauses 4 to 10 assessed".into(),
            severity: Severity::Medium,
            action: "Run a maturity self-assessment (`aims maturity assess` or the page Maturity › New assessment) so that the gaps of clauses 4 to 10 can be listed.".into(),
            actions: Vec::new(),
            order: places.of("9.1"),
        }),
        Some(a) => {
            for x in a.answers.iter().filter(|x| x.current < x.target) {
                let next = usize::try_from(x.current + 1)
                    .ok()
                    .and_then(|i| LEVELS.get(i))
                    .map_or("", |l| l.next_step);
                gaps.push(Gap {
                    id: format!("maturity:{}", x.clause),
                    source: GapSource::Maturity,
                    requirement: reference(&x.clause),
                    title: title(&x.clause),
                    current: level_text(x.current),
                    target: level_text(x.target),
                    severity: gap::maturity_severity(&x.clause, x.current, x.target),
                    action: format!(
                        "Raise {} from level {} to {} (assessed in {}): first, {}. What good looks like: {}",
                        x.clause,
                        x.current,
                        x.target,
                        a.key,
                        next,
                        guidance(&x.clause)
                    ),
                    actions: Vec::new(),
                    order: places.of(&x.clause),
                });
            }
        }
    }

    // Linked controls per requirement: (status → count).
    let mut links: HashMap<&str, BTreeMap<ControlStatus, i64>> = HashMap::new();
    for l in &facts.links {
        *links
            .entry(l.requirement.as_str())
            .or_default()
            .entry(l.status)
            .or_default() += l.controls;
    }
    let implemented = |id: &str| {
        links
            .get(reference(id).as_str())
            .and_then(|m| m.get(&ControlStatus::Implemented))
            .is_some_and(|n| *n > 0)
    };

    // (b) The Statement of Applicability.
    for item in fw
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Control && i.id.starts_with("A."))
    {
        let id = item.id.as_str();
        let Some(applicable) = facts.decisions.get(id).copied() else {
            gaps.push(Gap {
                id: format!("soa-undecided:{id}"),
                source: GapSource::SoaUndecided,
                requirement: reference(id),
                title: item.title.clone(),
                current: "no decision in the Statement of Applicability".into(),
                target: "decided (applicable or excluded) with a justification".into(),
                severity: Severity::Medium,
                action: format!(
                    "Decide whether {id} applies and record why (`aims soa set {id} --applicable yes|no --justification ...`)."
                ),
                actions: Vec::new(),
                order: places.of(id),
            });
            continue;
        };
        let counts = links.get(reference(id).as_str());
        let statuses: Vec<ControlStatus> = counts
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        let status = line_status(Some(applicable), &statuses);
        let Some(severity) = gap::soa_severity(id, status) else {
            continue;
        };
        let count = |s: ControlStatus| counts.and_then(|m| m.get(&s)).copied().unwrap_or(0);
        let total: i64 = counts.map(|m| m.values().sum()).unwrap_or(0);
        let (current, action) = match status {
            SoaStatus::NotImplemented => (
                "Not implemented: no control linked".to_owned(),
                format!(
                    "Create or link a control that implements {id} and take it to implemented; if it does not apply after all, record the exclusion and its justification in the SoA. What good looks like: {}",
                    item.guidance
                ),
            ),
            SoaStatus::Planned => (
                format!(
                    "Planned: {} linked, none in progress or implemented",
                    plural(total, "control", "controls")
                ),
                format!(
                    "Start the {} linked to {id} and take them to implemented.",
                    plural(count(ControlStatus::Planned), "planned control", "planned controls")
                ),
            ),
            _ => (
                format!(
                    "Partially implemented: {} of {} implemented",
                    count(ControlStatus::Implemented),
                    plural(
                        total - count(ControlStatus::NotApplicable),
                        "applicable linked control",
                        "applicable linked controls"
                    )
                ),
                format!(
                    "Finish the linked controls of {id} ({} in progress, {} planned) and mark them implemented.",
                    count(ControlStatus::InProgress),
                    count(ControlStatus::Planned)
                ),
            ),
        };
        gaps.push(Gap {
            id: format!("soa:{id}"),
            source: GapSource::Soa,
            requirement: reference(id),
            title: item.title.clone(),
            current,
            target: "Implemented".into(),
            severity,
            action,
            actions: Vec::new(),
            order: places.of(id),
        });
    }

    // (c) Documented information required by the standard.
    let approvals = facts.approvals.unwrap_or(Approvals {
        scope_versions: 0,
        scope_approved: 0,
        soa_approved: 0,
    });
    for item in fw
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::DocumentedInformation)
    {
        let id = item.id.as_str();
        let parent = item.parent.clone().unwrap_or_default();
        let (held, current, target, action) = match id {
            DI_SCOPE => (
                approvals.scope_approved > 0,
                "no approved scope version".to_owned(),
                "an approved scope version".to_owned(),
                "Propose the scope and have it approved (`aims scope set`, then `aims scope approve`).".to_owned(),
            ),
            DI_SOA => (
                approvals.soa_approved > 0,
                "no approved Statement of Applicability version".to_owned(),
                "an approved SoA version".to_owned(),
                "Record a version of the Statement of Applicability and have it approved (`aims soa snapshot`, then `aims soa approve`).".to_owned(),
            ),
            _ => (
                implemented(id) || implemented(&parent),
                "not held: no implemented control provides it".to_owned(),
                format!(
                    "an implemented control linked to {} or {}",
                    reference(id),
                    reference(&parent)
                ),
                format!(
                    "Keep {} as documented information: link a control to {} (or {}) and mark it implemented once the record exists. Typical evidence: {}.",
                    item.title.to_lowercase(),
                    reference(id),
                    reference(&parent),
                    item.evidence.join(", ")
                ),
            ),
        };
        if held {
            continue;
        }
        gaps.push(Gap {
            id: format!("di:{id}"),
            source: GapSource::DocumentedInformation,
            requirement: reference(id),
            title: item.title.clone(),
            current,
            target,
            severity: gap::documented_information_severity(id),
            action,
            actions: Vec::new(),
            order: places.of(id),
        });
    }

    // (d) The scope was never approved.
    if approvals.scope_approved == 0 {
        gaps.push(Gap {
            id: "scope:unapproved".into(),
            source: GapSource::Scope,
            requirement: reference("4.3"),
            title: title("4.3"),
            current: if approvals.scope_versions == 0 {
                "no scope proposed".into()
            } else {
                "proposed but never approved".into()
            },
            target: "an approved scope".into(),
            severity: Severity::Critical,
            action: "Agree the boundaries and AI systems of the AIMS and have top management approve the scope; every other part of the AIMS depends on it.".into(),
            actions: Vec::new(),
            order: places.of("4.3"),
        });
    }

    let mut planned: HashMap<&str, Vec<String>> = HashMap::new();
    for (id, key) in &facts.planned {
        planned.entry(id.as_str()).or_default().push(key.clone());
    }
    for g in &mut gaps {
        g.actions = planned.remove(g.id.as_str()).unwrap_or_default();
    }
    gap::prioritise(&mut gaps);
    gaps
}

impl App {
    /// Every gap, prioritised.
    pub async fn gap_report(&self, actor: &Actor) -> Result<GapReport> {
        self.gap_list(actor, &GapQuery::default()).await
    }

    /// The gaps matching `query`; the counts are those of the whole report.
    pub async fn gap_list(&self, actor: &Actor, query: &GapQuery) -> Result<GapReport> {
        actor.require(Action::Read)?;
        let (severity, source) = query.parse()?;
        let facts = {
            let mut conn = self.read().await?;
            let assessment = aims_store::maturity::latest(&mut conn).await?;
            let decisions = aims_store::soa::entries(&mut conn)
                .await?
                .into_iter()
                .map(|e| (e.control_id, e.applicable))
                .collect();
            let links =
                aims_store::maturity::link_counts(&mut conn, &format!("{FRAMEWORK}:")).await?;
            let approvals = aims_store::maturity::approvals(&mut conn).await?;
            let planned = aims_store::actions::all(&mut conn)
                .await?
                .into_iter()
                .filter(|a| a.fields.status != ActionStatus::Cancelled)
                .filter_map(|a| a.fields.gap.map(|g| (g, a.key)))
                .collect();
            Facts {
                assessment,
                decisions,
                links,
                approvals: Some(approvals),
                planned,
            }
        };
        let all = compute(&facts);
        let counts = SeverityCounts::of(&all);
        let gaps = all
            .into_iter()
            .filter(|g| severity.is_none_or(|s| g.severity == s))
            .filter(|g| source.is_none_or(|s| g.source == s))
            .collect();
        Ok(GapReport {
            generated_at: now(),
            assessment: facts.assessment.map(|a| a.key),
            counts,
            gaps,
        })
    }
}

/// The IDs of `gaps`, for tests and quick checks.
pub fn ids(gaps: &[Gap]) -> BTreeSet<String> {
    gaps.iter().map(|g| g.id.clone()).collect()
}
