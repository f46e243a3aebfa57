//! Integration with the management systems an organisation already runs, and coverage of other
//! frameworks through the built-in crosswalks (rules in [`aims_core::coverage`]).
//!
//! Two readings of the same crosswalks:
//! - [`App::coverage`]: what the ISO/IEC 42001 implementation covers of the EU AI Act, NIST AI RMF,
//!   ISO/IEC 27001 or ISO 9001. An ISO 42001 item stands where the SoA puts it (Annex A
//!   controls) or, for a clause, where the organisation's controls linked to it stand.
//! - [`App::integration_coverage`]: what an imported ISO 27001 or ISO 9001 implementation already
//!   covers of ISO 42001.

use std::collections::HashMap;

use aims_catalog::{Catalog, Crosswalk, Framework, Item, Kind as ItemKind, Relationship};
use aims_core::control::{format_requirement, ControlStatus};
use aims_core::coverage::{
    cover, strength, Coverage, Direction, Implementation, Relation, Strength, Tally,
};
use aims_core::integration::{self, ExternalImplementation, ExternalItem};
use aims_core::keys::Kind;
use aims_core::soa::{derive_status, line_status};
use aims_core::{Action, ValidationErrors};
use aims_store::controls;
use aims_store::integrations as store;
use aims_store::Conn;
use serde::Serialize;

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// The framework whose implementation aims manages.
pub const HOME: &str = "ISO42001";

/// The other management systems whose registers can be imported.
pub const IMPORTABLE: &[&str] = &["ISO27001", "ISO9001"];

/// Most rows an imported register may have.
pub const MAX_ROWS: usize = 10_000;

/// An item of the covering framework that a requirement is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Covering {
    pub framework: String,
    pub id: String,
    pub title: String,
    /// How the ISO 42001 item relates to the other one, as the crosswalk says.
    pub relationship: String,
    /// `whole` when this item, implemented, meets the requirement wholly; else `part`.
    #[schema(value_type = String)]
    pub strength: Strength,
    #[schema(value_type = String)]
    pub status: Implementation,
    pub rationale: String,
}

/// One requirement of the covered framework and how far it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RequirementCoverage {
    pub id: String,
    pub title: String,
    /// The top-level item it belongs to (article, function, clause, theme).
    pub group: String,
    #[schema(value_type = String)]
    pub coverage: Coverage,
    pub covered_by: Vec<Covering>,
}

/// The requirements under one top-level item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GroupCoverage {
    pub id: String,
    pub title: String,
    pub tally: Tally,
    /// Share covered, a partly covered requirement counting half.
    pub percent: u32,
    /// Requirements with links that nothing implemented meets, and those with no counterpart.
    pub uncovered: Vec<String>,
}

/// How far one framework's implementation covers another framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CoverageReport {
    /// The framework whose implementation covers.
    pub covering: String,
    /// The framework whose requirements are covered.
    pub covered: String,
    pub covered_name: String,
    pub tally: Tally,
    pub percent: u32,
    pub groups: Vec<GroupCoverage>,
    pub requirements: Vec<RequirementCoverage>,
}

/// A recorded implementation of another standard and what it covers of ISO 42001.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IntegrationCoverage {
    /// `None` while nothing has been imported for the framework.
    pub implementation: Option<ExternalImplementation>,
    pub coverage: CoverageReport,
}

/// The frameworks with a built-in crosswalk from ISO 42001.
pub fn partners() -> Vec<&'static Framework> {
    Catalog::crosswalks()
        .iter()
        .filter(|c| c.source == HOME)
        .filter_map(|c| Catalog::framework(&c.target))
        .collect()
}

/// The crosswalk from ISO 42001 to `framework`, with both frameworks, or an error naming `field`.
fn crosswalk_to(
    field: &str,
    framework: &str,
) -> Result<(&'static Crosswalk, &'static Framework, &'static Framework)> {
    let unknown = || {
        let known: Vec<String> = partners().iter().map(|f| f.id.clone()).collect();
        AppError::invalid(
            field,
            format!(
                "no crosswalk from {HOME} to '{}'; expected one of: {}",
                framework.trim(),
                known.join(", ")
            ),
        )
    };
    let target = Catalog::framework(framework.trim()).ok_or_else(unknown)?;
    let walk = Catalog::crosswalk(HOME, &target.id).ok_or_else(unknown)?;
    let home = Catalog::framework(HOME).ok_or_else(unknown)?;
    Ok((walk, home, target))
}

/// The items of `framework` that are requirements to be met: clauses without sub-clauses,
/// controls, articles and subcategories. Headings, annexes, Annex III areas, Annex C and
/// documented-information entries are not.
fn requirement_items(framework: &Framework) -> Vec<&Item> {
    let wanted = |k: ItemKind| {
        matches!(
            k,
            ItemKind::Clause | ItemKind::Control | ItemKind::Article | ItemKind::Subcategory
        )
    };
    framework
        .items
        .iter()
        .filter(|i| wanted(i.kind))
        .filter(|i| {
            !framework
                .items
                .iter()
                .any(|c| c.kind == i.kind && c.parent.as_deref() == Some(i.id.as_str()))
        })
        .collect()
}

/// The top-level ancestor of `item`.
fn root_of<'a>(framework: &'a Framework, item: &'a Item) -> &'a Item {
    let mut at = item;
    while let Some(p) = at.parent.as_deref().and_then(|p| framework.item(p)) {
        at = p;
    }
    at
}

fn relation(r: Relationship) -> Relation {
    match r {
        Relationship::Equivalent => Relation::Equivalent,
        Relationship::Subset => Relation::Subset,
        Relationship::Superset => Relation::Superset,
        Relationship::Intersects => Relation::Intersects,
    }
}

/// Where each ISO 42001 item stands: Annex A controls as the SoA derives them, every other item
/// from the statuses of the controls linked to it. Two queries, however many controls exist.
pub(crate) async fn home_statuses(conn: &mut Conn) -> Result<HashMap<String, Implementation>> {
    let refs: Vec<String> = Catalog::framework(HOME)
        .map(|f| {
            f.items
                .iter()
                .map(|i| format_requirement(HOME, &i.id))
                .collect()
        })
        .unwrap_or_default();
    let mut linked: HashMap<String, Vec<ControlStatus>> = HashMap::new();
    for (requirement, status) in controls::requirement_statuses(conn, &refs).await? {
        let Some((_, id)) = requirement.split_once(':') else {
            continue;
        };
        let status = ControlStatus::parse("status", &status)
            .map_err(|e| AppError::Internal(format!("stored control status: {e}")))?;
        linked.entry(id.to_owned()).or_default().push(status);
    }
    let decisions: HashMap<String, bool> = aims_store::soa::entries(conn)
        .await?
        .into_iter()
        .map(|e| (e.control_id, e.applicable))
        .collect();
    let mut out = HashMap::new();
    if let Some(home) = Catalog::framework(HOME) {
        for item in &home.items {
            let statuses = linked.get(&item.id).map(Vec::as_slice).unwrap_or(&[]);
            let status = if item.kind == ItemKind::Control {
                line_status(decisions.get(&item.id).copied(), statuses)
            } else {
                derive_status(statuses)
            };
            out.insert(item.id.clone(), Implementation::from(status));
        }
    }
    Ok(out)
}

/// The report for `covered`'s requirements, each linked to covering items through `links`:
/// `(requirement id, covering framework, covering item, relationship, rationale)`.
fn report(
    covering: &Framework,
    covered: &Framework,
    links: &[(&str, &Item, Relationship, &str)],
    direction: Direction,
    status: impl Fn(&str) -> Implementation,
) -> CoverageReport {
    let mut by_requirement: HashMap<String, Vec<Covering>> = HashMap::new();
    for (req, item, rel, rationale) in links {
        let Some(req_item) = covered.item(req) else {
            continue;
        };
        by_requirement
            .entry(req_item.id.clone())
            .or_default()
            .push(Covering {
                framework: covering.id.clone(),
                id: item.id.clone(),
                title: item.title.clone(),
                relationship: rel.as_str().to_owned(),
                strength: strength(relation(*rel), direction),
                status: status(&item.id),
                rationale: (*rationale).to_owned(),
            });
    }
    let mut requirements = Vec::new();
    let mut groups: Vec<GroupCoverage> = Vec::new();
    let mut tally = Tally::default();
    for item in requirement_items(covered) {
        let covered_by = by_requirement.remove(&item.id).unwrap_or_default();
        let pairs: Vec<(Strength, Implementation)> =
            covered_by.iter().map(|c| (c.strength, c.status)).collect();
        let coverage = cover(&pairs);
        let root = root_of(covered, item);
        if groups.last().map(|g| g.id.as_str()) != Some(root.id.as_str()) {
            groups.push(GroupCoverage {
                id: root.id.clone(),
                title: root.title.clone(),
                tally: Tally::default(),
                percent: 0,
                uncovered: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.tally.add(coverage);
            if matches!(coverage, Coverage::Uncovered | Coverage::NoCounterpart) {
                g.uncovered.push(item.id.clone());
            }
        }
        tally.add(coverage);
        requirements.push(RequirementCoverage {
            id: item.id.clone(),
            title: item.title.clone(),
            group: root.id.clone(),
            coverage,
            covered_by,
        });
    }
    for g in &mut groups {
        g.percent = g.tally.percent();
    }
    CoverageReport {
        covering: covering.id.clone(),
        covered: covered.id.clone(),
        covered_name: covered.name.clone(),
        percent: tally.percent(),
        tally,
        groups,
        requirements,
    }
}

/// How far `walk`'s items cover each other: read [`Direction::Forward`], the implementation of
/// `source` (its items standing as `status` says) covers the requirements of `target`; read
/// [`Direction::Reverse`], the implementation of `target` covers the requirements of `source`.
pub fn through(
    walk: &Crosswalk,
    source: &Framework,
    target: &Framework,
    direction: Direction,
    status: impl Fn(&str) -> Implementation,
) -> CoverageReport {
    let (covering, covered) = match direction {
        Direction::Forward => (source, target),
        Direction::Reverse => (target, source),
    };
    let links: Vec<(&str, &Item, Relationship, &str)> = walk
        .links
        .iter()
        .filter_map(|l| {
            let (req, by) = match direction {
                Direction::Forward => (&l.to, &l.from),
                Direction::Reverse => (&l.from, &l.to),
            };
            let item = covering.item(by)?;
            Some((req.as_str(), item, l.relationship, l.rationale.as_str()))
        })
        .collect();
    report(covering, covered, &links, direction, status)
}

/// What the ISO 42001 implementation, standing as `status` says, covers of `target`.
pub fn coverage_of(
    target: &str,
    status: &HashMap<String, Implementation>,
) -> Result<CoverageReport> {
    let (walk, home, other) = crosswalk_to("framework", target)?;
    Ok(through(walk, home, other, Direction::Forward, |id| {
        status
            .get(id)
            .copied()
            .unwrap_or(Implementation::NotImplemented)
    }))
}

/// What an implementation of `framework` (its items' statuses) covers of ISO 42001.
pub fn integration_of(framework: &str, items: &[ExternalItem]) -> Result<CoverageReport> {
    let (walk, home, other) = crosswalk_to("framework", framework)?;
    let status: HashMap<&str, Implementation> =
        items.iter().map(|i| (i.id.as_str(), i.status)).collect();
    Ok(through(walk, home, other, Direction::Reverse, |id| {
        status
            .get(id)
            .copied()
            .unwrap_or(Implementation::NotImplemented)
    }))
}

/// The column of `header` named by one of `names`, ignoring case.
fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

/// Reads a register of `framework` as CSV: a header naming an ID column (`id`, `control`,
/// `clause`, `ref`, `ref_id`, `control_id`) and a status column (`status`, `implementation`), and
/// optionally `note`. Errors name `rows[LINE].column`, LINE being the line in the file.
pub fn read_register(framework: &Framework, text: &str) -> Result<Vec<ExternalItem>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| AppError::invalid("content", format!("not CSV: {e}")))?
        .clone();
    let id_col = column(
        &header,
        &["id", "control", "clause", "ref", "ref_id", "control_id"],
    );
    let status_col = column(
        &header,
        &["status", "implementation", "implementation_status"],
    );
    let note_col = column(&header, &["note", "notes", "comment"]);
    let (Some(id_col), Some(status_col)) = (id_col, status_col) else {
        return Err(AppError::invalid(
            "content",
            "the first line must name an ID column (id, control or clause) and a status column",
        ));
    };
    let mut e = ValidationErrors::default();
    let mut items: Vec<ExternalItem> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        if n >= MAX_ROWS {
            e.push("content", format!("more than {MAX_ROWS} rows"));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(err) => {
                e.push(format!("rows[{line}]"), format!("not CSV: {err}"));
                continue;
            }
        };
        let id = record.get(id_col).unwrap_or("").trim();
        let field = |c: &str| format!("rows[{line}].{c}");
        let item = if id.is_empty() {
            e.push(field("id"), "is required");
            None
        } else if let Some(item) = framework.item(id) {
            Some(item)
        } else {
            e.push(field("id"), format!("{} has no item '{id}'", framework.id));
            None
        };
        let status = e.take(Implementation::read(
            &field("status"),
            record.get(status_col).unwrap_or(""),
        ));
        let note = note_col
            .and_then(|c| record.get(c))
            .unwrap_or("")
            .to_owned();
        if let (Some(item), Some(status)) = (item, status) {
            if let Some(first) = seen.insert(item.id.clone(), line) {
                e.push(
                    field("id"),
                    format!("'{}' is already on line {first}", item.id),
                );
            } else {
                items.push(ExternalItem {
                    id: item.id.clone(),
                    status,
                    note,
                });
            }
        }
    }
    if items.is_empty() && e.is_empty() {
        e.push("content", "has no rows");
    }
    e.into_result(|| items).map_err(Into::into)
}

/// The catalog position of `id` in `framework`, for ordering.
pub(crate) fn position(framework: &str, id: &str) -> usize {
    Catalog::framework(framework)
        .and_then(|f| f.items.iter().position(|i| i.id == id))
        .unwrap_or(usize::MAX)
}

impl App {
    /// Records the implementation of another standard from its register (CSV), replacing any
    /// earlier one of the same framework.
    pub async fn integration_import(
        &self,
        actor: &Actor,
        framework: &str,
        source: &str,
        text: &str,
    ) -> Result<ExternalImplementation> {
        actor.require(Action::ImportRegisters)?;
        if !IMPORTABLE
            .iter()
            .any(|f| f.eq_ignore_ascii_case(framework.trim()))
        {
            return Err(AppError::invalid(
                "framework",
                format!(
                    "'{}' cannot be imported; an existing management system to import is {}",
                    framework.trim(),
                    IMPORTABLE.join(" or ")
                ),
            ));
        }
        let (_, _, other) = crosswalk_to("framework", framework)?;
        let mut items = read_register(other, text)?;
        items.sort_by_key(|i| position(&other.id, &i.id));
        let source = source.trim();
        let implementation = ExternalImplementation {
            framework: other.id.clone(),
            source: if source.is_empty() {
                "register.csv".into()
            } else {
                source.chars().take(200).collect()
            },
            imported_by: actor.username.clone(),
            imported_at: now(),
            items,
        };
        let mut tx = self.db.begin_write().await?;
        store::replace(tx.conn(), &implementation).await?;
        record(
            &mut tx,
            actor,
            Kind::ExternalImplementation,
            &integration::key(&implementation.framework),
            "import",
            &implementation,
        )
        .await?;
        tx.commit().await?;
        Ok(implementation)
    }

    /// Every recorded implementation of another standard.
    pub async fn integration_list(&self, actor: &Actor) -> Result<Vec<ExternalImplementation>> {
        actor.require(Action::Read)?;
        Ok(store::all(&mut *self.read().await?, position).await?)
    }

    /// What the recorded implementation of `framework` covers of ISO 42001, with the
    /// implementation itself; `None` when none has been imported.
    pub async fn integration_coverage(
        &self,
        actor: &Actor,
        framework: &str,
    ) -> Result<IntegrationCoverage> {
        actor.require(Action::Read)?;
        let (_, _, other) = crosswalk_to("framework", framework)?;
        let recorded = self
            .integration_list(actor)
            .await?
            .into_iter()
            .find(|e| e.framework == other.id);
        let items = recorded.as_ref().map(|r| r.items.as_slice()).unwrap_or(&[]);
        let coverage = integration_of(&other.id, items)?;
        Ok(IntegrationCoverage {
            implementation: recorded,
            coverage,
        })
    }

    /// What the ISO 42001 implementation covers of `framework`.
    pub async fn coverage(&self, actor: &Actor, framework: &str) -> Result<CoverageReport> {
        actor.require(Action::Read)?;
        crosswalk_to("framework", framework)?;
        let status = home_statuses(&mut *self.read().await?).await?;
        coverage_of(framework, &status)
    }
}

/// The demo organisation's certified ISO/IEC 27001 information security management system, as
/// its ISMS team keeps the register: every clause in place, most Annex A controls implemented.
const DEMO_ISMS: &str = "control,status,note
4.1,implemented,ISMS context reviewed each January
4.2,implemented,
4.3,implemented,ISMS covers all of Northwind
4.4,implemented,
5.1,implemented,
5.2,implemented,Information security policy v7
5.3,implemented,
6.1.1,implemented,
6.1.2,implemented,Risk method ISMS-RM-2
6.1.3,implemented,ISMS SoA v12
6.2,implemented,
6.3,implemented,
7.1,implemented,
7.2,implemented,
7.3,implemented,
7.4,implemented,
7.5.1,implemented,
7.5.2,implemented,
7.5.3,implemented,
8.1,implemented,
8.2,implemented,
8.3,implemented,
9.1,implemented,
9.2.1,implemented,
9.2.2,implemented,
9.3.1,implemented,
9.3.2,implemented,
9.3.3,implemented,
10.1,implemented,
10.2,implemented,
A.5.1,implemented,Policy set reviewed yearly
A.5.2,implemented,
A.5.4,implemented,
A.5.9,implemented,Asset register in the CMDB
A.5.12,implemented,
A.5.19,implemented,
A.5.20,partial,AI clauses missing from older contracts
A.5.21,partial,
A.5.23,implemented,
A.5.24,implemented,
A.5.25,implemented,
A.5.26,implemented,
A.5.27,implemented,
A.5.31,implemented,
A.5.34,implemented,DPO in place
A.5.35,implemented,External audit 2026
A.5.36,implemented,
A.5.37,implemented,
A.6.3,implemented,Yearly awareness training
A.8.9,implemented,
A.8.15,implemented,
A.8.16,partial,Model endpoints not yet in the SIEM
A.8.25,implemented,
A.8.26,implemented,
A.8.27,implemented,
A.8.28,implemented,
A.8.29,partial,
A.8.32,implemented,
";

/// Records the demo organisation's ISO/IEC 27001 implementation.
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    app.integration_import(actor, "ISO27001", "northwind-isms-register.csv", DEMO_ISMS)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
id: SRC
name: Source
version: "1"
items:
  - {id: "1", kind: clause, title: Heading, guidance: g}
  - {id: "1.1", kind: clause, parent: "1", title: First, guidance: g}
  - {id: "1.2", kind: clause, parent: "1", title: Second, guidance: g}
  - {id: A.1, kind: control, title: Control, guidance: g}
"#;
    const TARGET: &str = r#"
id: TGT
name: Target
version: "1"
items:
  - {id: Art. 1, kind: article, title: One, guidance: g}
  - {id: Art. 2, kind: article, title: Two, guidance: g}
  - {id: Art. 3, kind: article, title: Three, guidance: g}
  - {id: Art. 4, kind: article, title: Four, guidance: g}
"#;
    const WALK: &str = r#"
source: SRC
target: TGT
name: Example
note: Worked by hand
links:
  - {from: "1.1", to: Art. 1, relationship: superset, rationale: r}
  - {from: "1.2", to: Art. 1, relationship: intersects, rationale: r}
  - {from: "1.2", to: Art. 2, relationship: subset, rationale: r}
  - {from: A.1, to: Art. 2, relationship: equivalent, rationale: r}
  - {from: A.1, to: Art. 3, relationship: intersects, rationale: r}
"#;

    fn fixture() -> (Framework, Framework, Crosswalk) {
        let source = Catalog::load("src.yaml", SOURCE).unwrap_or_else(|e| panic!("{e}"));
        let target = Catalog::load("tgt.yaml", TARGET).unwrap_or_else(|e| panic!("{e}"));
        let walk = Catalog::load_crosswalk("walk.yaml", WALK, &[&source, &target])
            .unwrap_or_else(|e| panic!("{e}"));
        (source, target, walk)
    }

    fn statuses(pairs: &[(&str, Implementation)]) -> impl Fn(&str) -> Implementation {
        let map: HashMap<String, Implementation> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        move |id| {
            map.get(id)
                .copied()
                .unwrap_or(Implementation::NotImplemented)
        }
    }

    fn coverages(r: &CoverageReport) -> Vec<(&str, Coverage)> {
        r.requirements
            .iter()
            .map(|q| (q.id.as_str(), q.coverage))
            .collect()
    }

    #[test]
    fn forward_coverage_matches_the_example_worked_by_hand() {
        use Implementation::*;
        let (source, target, walk) = fixture();
        let status = statuses(&[
            ("1.1", Implemented),
            ("1.2", Partial),
            ("A.1", NotImplemented),
        ]);
        let r = through(&walk, &source, &target, Direction::Forward, status);
        // Art. 1: 1.1 is a superset and implemented. Art. 2: 1.2 only partial, A.1 (equivalent)
        // not implemented. Art. 3: only A.1, not implemented. Art. 4: nothing links to it.
        assert_eq!(
            coverages(&r),
            [
                ("Art. 1", Coverage::Wholly),
                ("Art. 2", Coverage::Partly),
                ("Art. 3", Coverage::Uncovered),
                ("Art. 4", Coverage::NoCounterpart),
            ]
        );
        assert_eq!((r.covering.as_str(), r.covered.as_str()), ("SRC", "TGT"));
        assert_eq!(r.percent, 38, "(2 + 1 + 0 + 0) / 8");
        assert_eq!(r.groups.len(), 4, "each article is its own group");
        assert_eq!(r.groups[2].uncovered, ["Art. 3"]);
        let art2 = &r.requirements[1].covered_by;
        assert_eq!(
            art2.iter()
                .map(|c| (c.id.as_str(), c.strength, c.status))
                .collect::<Vec<_>>(),
            [
                ("1.2", Strength::Part, Partial),
                ("A.1", Strength::Whole, NotImplemented)
            ]
        );
    }

    #[test]
    fn reverse_coverage_matches_the_example_worked_by_hand() {
        use Implementation::*;
        let (source, target, walk) = fixture();
        let status = statuses(&[("Art. 1", Implemented), ("Art. 2", Implemented)]);
        let r = through(&walk, &source, &target, Direction::Reverse, status);
        // Read backwards, a superset becomes a part and a subset a whole. 1.1: Art. 1 is only
        // part of it. 1.2: Art. 2 (subset, so whole) is implemented. A.1: Art. 2 is equivalent.
        // Heading "1" has sub-clauses, so it is not a requirement of its own.
        assert_eq!(
            coverages(&r),
            [
                ("1.1", Coverage::Partly),
                ("1.2", Coverage::Wholly),
                ("A.1", Coverage::Wholly),
            ]
        );
        assert_eq!(r.groups[0].id, "1");
        assert_eq!(r.groups[0].percent, 75, "(1 + 2) / 4");
        assert_eq!(r.groups[1].percent, 100);
        assert_eq!(r.tally.wholly, 2);
    }

    #[test]
    fn registers_are_read_with_errors_naming_the_line() {
        let (source, _, _) = fixture();
        let items = read_register(
            &source,
            "Control,Status,Notes\nA.1,Implemented,in ISMS\n1.1, partial ,\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].status, Implementation::Implemented);
        assert_eq!(items[0].note, "in ISMS");
        assert_eq!(items[1].status, Implementation::Partial);

        let Err(AppError::Invalid(e)) = read_register(
            &source,
            "id,status\nA.1,yes\nA.9,yes\n1.1,sort of\na.1,no\n",
        ) else {
            panic!("a bad register was accepted");
        };
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["rows[3].id", "rows[4].status", "rows[5].id"]);
        let Err(AppError::Invalid(e)) = read_register(&source, "name,owner\nx,y\n") else {
            panic!("a register without the columns was accepted");
        };
        assert_eq!(e.0[0].field, "content");
    }
}
