//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): one line per Annex A control of the
//! built-in ISO/IEC 42001 catalog, its decision and justification, and the status derived from
//! the organisation's controls linked to it. Versions are recorded and approved.

use std::collections::{BTreeMap, HashMap};

use aims_catalog::{Catalog, Kind as ItemKind};
use aims_core::control::{format_requirement, ControlStatus};
use aims_core::keys::Kind;
use aims_core::ledger::actions;
use aims_core::soa::{line_status, SoaEntry, SoaEntryInput, SoaLine, SoaStatus, SoaVersion};
use aims_core::{Action, FieldError, ValidationErrors};
use aims_store::listing::Order;
use aims_store::soa as store;
use aims_store::Conn;

use crate::listing::{self, arrange, blank, holds, Listed, SortKey};
use crate::record::{now, record};
use crate::sheet::{self, Cell};
use crate::{Actor, App, AppError, Result};

/// The framework whose Annex A the statement covers.
pub const FRAMEWORK: &str = "ISO42001";

/// The ledger key of the decision on one Annex A control.
pub fn entry_key(control_id: &str) -> String {
    format!("SOA:{control_id}")
}

/// The Annex A controls of the catalog, in catalog order: `(id, title)`.
pub fn annex_a() -> Vec<(String, String)> {
    Catalog::framework(FRAMEWORK)
        .map(|f| {
            f.items
                .iter()
                .filter(|i| i.kind == ItemKind::Control && i.id.starts_with("A."))
                .map(|i| (i.id.clone(), i.title.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The catalog's spelling of an Annex A control ID, if it is one.
fn annex_a_id(control_id: &str) -> Option<String> {
    let wanted = control_id.trim();
    annex_a()
        .into_iter()
        .map(|(id, _)| id)
        .find(|id| id.eq_ignore_ascii_case(wanted))
}

/// A request for lines of the statement, from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SoaQuery {
    /// Text in the control ID, title, justification or linked control keys (any case).
    pub q: Option<String>,
    /// A group of Annex A, such as `A.6`.
    pub group: Option<String>,
    /// yes, no or undecided.
    pub applicable: Option<String>,
    /// not_implemented, planned, partially_implemented, implemented or excluded.
    pub status: Option<String>,
    /// `control` (default, catalog order), `applicable`, `status` or `controls` (how many are
    /// linked); `-` in front for descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Lines per page (1 to 500); every line when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
enum Sort {
    Control,
    Applicable,
    Status,
    Controls,
}

const SORTS: &[(&str, Sort)] = &[
    ("control", Sort::Control),
    ("applicable", Sort::Applicable),
    ("status", Sort::Status),
    ("controls", Sort::Controls),
];

/// The words of the `applicable` filter, with the decision each stands for.
pub const APPLICABILITY: &[(&str, &str, Option<bool>)] = &[
    ("yes", "Applicable", Some(true)),
    ("no", "Not applicable", Some(false)),
    ("undecided", "Undecided", None),
];

/// The groups of Annex A (`A.2` to `A.10`) in catalog order, with how many controls each
/// holds.
pub fn annex_a_groups() -> Vec<(String, usize)> {
    let mut groups: Vec<(String, usize)> = Vec::new();
    for (id, _) in annex_a() {
        let group = group_of(&id).to_owned();
        match groups.last_mut() {
            Some((g, n)) if *g == group => *n += 1,
            _ => groups.push((group, 1)),
        }
    }
    groups
}

/// The group of an Annex A control ID: `A.6` of `A.6.2.4`.
fn group_of(id: &str) -> &str {
    id.match_indices('.').nth(1).map_or(id, |(i, _)| &id[..i])
}

/// Export formats of the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SoaFormat {
    Csv,
    Markdown,
    Xlsx,
}

impl SoaFormat {
    pub fn parse(word: &str) -> Result<SoaFormat> {
        match word.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(SoaFormat::Csv),
            "md" | "markdown" => Ok(SoaFormat::Markdown),
            "xlsx" => Ok(SoaFormat::Xlsx),
            other => Err(AppError::invalid(
                "format",
                format!("unknown value '{other}'; expected one of: csv, md, xlsx"),
            )),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            SoaFormat::Csv => "text/csv; charset=utf-8",
            SoaFormat::Markdown => "text/markdown; charset=utf-8",
            SoaFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The file name a download is offered under.
    pub fn file_name(self) -> &'static str {
        match self {
            SoaFormat::Csv => "soa.csv",
            SoaFormat::Markdown => "soa.md",
            SoaFormat::Xlsx => "soa.xlsx",
        }
    }
}

/// The CSV header of an export.
pub const CSV_HEADER: [&str; 7] = [
    "control_id",
    "title",
    "applicable",
    "justification",
    "status",
    "controls",
    "evidence",
];

fn applicable_word(a: Option<bool>) -> &'static str {
    match a {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    }
}

/// One line's export cells, in [`CSV_HEADER`] order.
fn cells(l: &SoaLine) -> Vec<Cell> {
    vec![
        l.control_id.as_str().into(),
        l.title.as_str().into(),
        applicable_word(l.applicable).into(),
        l.justification.as_deref().unwrap_or("").into(),
        l.status.as_str().into(),
        l.controls.join(" ").into(),
        Cell::Number(l.evidence_count as f64),
    ]
}

/// The lines as CSV.
pub fn to_csv(lines: &[SoaLine]) -> Result<String> {
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER).map_err(internal)?;
    for l in lines {
        let row = cells(l).into_iter().map(|c| match c {
            Cell::Text(s) => s,
            Cell::Number(n) => n.to_string(),
        });
        w.write_record(row).map_err(internal)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.to_string()))
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The lines as an XLSX workbook with one sheet named `SoA`, columns as in [`CSV_HEADER`].
pub fn to_xlsx(lines: &[SoaLine]) -> Result<Vec<u8>> {
    let rows: Vec<Vec<Cell>> = lines.iter().map(cells).collect();
    sheet::xlsx("SoA", &CSV_HEADER, &rows)
}

/// The lines as a Markdown table.
pub fn to_markdown(lines: &[SoaLine]) -> String {
    let mut out = String::from("# Statement of Applicability (ISO/IEC 42001 6.1.3 d)\n\n");
    out.push_str(
        "| Control | Title | Applicable | Justification | Status | Controls | Evidence |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for l in lines {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            l.control_id,
            md_cell(&l.title),
            applicable_word(l.applicable),
            md_cell(l.justification.as_deref().unwrap_or("")),
            l.status.label(),
            l.controls.join(", "),
            l.evidence_count
        ));
    }
    out
}

/// The current lines, read on `conn`: two queries however many controls exist.
async fn lines(conn: &mut Conn) -> Result<Vec<SoaLine>> {
    let entries: BTreeMap<String, SoaEntry> = store::entries(conn)
        .await?
        .into_iter()
        .map(|e| (e.control_id.clone(), e))
        .collect();
    let annex = annex_a();
    let refs: Vec<String> = annex
        .iter()
        .map(|(id, _)| format_requirement(FRAMEWORK, id))
        .collect();
    let mut linked: HashMap<String, Vec<(String, ControlStatus)>> = HashMap::new();
    for link in aims_store::controls::requirement_links(conn, &refs).await? {
        let status = ControlStatus::parse("status", &link.status)
            .map_err(|e| AppError::Internal(format!("stored control status: {e}")))?;
        linked
            .entry(link.requirement)
            .or_default()
            .push((link.control_key, status));
    }
    Ok(annex
        .into_iter()
        .map(|(id, title)| {
            let linked = linked
                .remove(&format_requirement(FRAMEWORK, &id))
                .unwrap_or_default();
            let statuses: Vec<ControlStatus> = linked.iter().map(|(_, s)| *s).collect();
            let entry = entries.get(&id);
            let applicable = entry.map(|e| e.applicable);
            SoaLine {
                status: line_status(applicable, &statuses),
                control_id: id,
                title,
                applicable,
                justification: entry.map(|e| e.justification.clone()),
                controls: linked.into_iter().map(|(k, _)| k).collect(),
                evidence_count: 0,
            }
        })
        .collect())
}

impl App {
    /// Decides whether an Annex A control applies, with its justification.
    pub async fn soa_set(
        &self,
        actor: &Actor,
        control_id: &str,
        input: &SoaEntryInput,
    ) -> Result<SoaEntry> {
        actor.require(Action::WriteControls)?;
        let id = annex_a_id(control_id).ok_or_else(|| {
            AppError::invalid(
                "control_id",
                format!(
                    "'{}' is not an Annex A control of {FRAMEWORK}",
                    control_id.trim()
                ),
            )
        })?;
        let (applicable, justification) = input.validate()?;
        let mut tx = self.db.begin_write().await?;
        let current = store::get_entry(tx.conn(), &id).await?;
        if let Some(c) =
            current.filter(|c| c.applicable == applicable && c.justification == justification)
        {
            return Ok(c);
        }
        let entry = SoaEntry {
            control_id: id.clone(),
            applicable,
            justification,
            updated_at: now(),
        };
        store::put_entry(tx.conn(), &entry).await?;
        record(
            &mut tx,
            actor,
            Kind::SoaEntry,
            &entry_key(&id),
            actions::UPDATE,
            &entry,
        )
        .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// One line per Annex A control, in catalog order.
    pub async fn soa_show(&self, actor: &Actor) -> Result<Vec<SoaLine>> {
        actor.require(Action::Read)?;
        lines(&mut *self.read().await?).await
    }

    /// The lines matching `query`, sorted and paged.
    pub async fn soa_list(&self, actor: &Actor, query: &SoaQuery) -> Result<Listed<SoaLine>> {
        actor.require(Action::Read)?;
        let mut e = ValidationErrors::default();
        let status = blank(&query.status).and_then(|w| e.take(SoaStatus::parse("status", &w)));
        let applicable = blank(&query.applicable).and_then(|w| {
            let found = APPLICABILITY.iter().find(|(word, ..)| *word == w);
            e.take(found.map(|(.., decided)| *decided).ok_or_else(|| {
                FieldError::new(
                    "applicable",
                    format!("unknown value '{w}'; expected one of: yes, no, undecided"),
                )
            }))
        });
        let groups = annex_a_groups();
        let group = blank(&query.group).and_then(|w| {
            let found = groups.iter().find(|(g, _)| g.eq_ignore_ascii_case(&w));
            e.take(found.map(|(g, _)| g.clone()).ok_or_else(|| {
                let known: Vec<&str> = groups.iter().map(|(g, _)| g.as_str()).collect();
                FieldError::new(
                    "group",
                    format!("unknown group '{w}'; expected one of: {}", known.join(", ")),
                )
            }))
        });
        let order = listing::sort(&mut e, &query.sort, SORTS, Order::asc(Sort::Control));
        let page = listing::page(&mut e, query.page, query.per_page);
        e.into_result(|| ())?;
        let text = blank(&query.q).map(|t| t.to_lowercase());
        let matching = lines(&mut *self.read().await?)
            .await?
            .into_iter()
            .filter(|l| {
                group
                    .as_deref()
                    .is_none_or(|g| group_of(&l.control_id) == g)
                    && applicable.is_none_or(|a| l.applicable == a)
                    && status.is_none_or(|s| l.status == s)
                    && text.as_deref().is_none_or(|t| {
                        holds(
                            t,
                            &[
                                &l.control_id,
                                &l.title,
                                l.justification.as_deref().unwrap_or(""),
                            ],
                        ) || l.controls.iter().any(|k| holds(t, &[k]))
                    })
            })
            .collect();
        let key = |l: &SoaLine, by: Sort| match by {
            // The lines come in catalog order; ties keep it.
            Sort::Control => SortKey::Number(0),
            Sort::Applicable => SortKey::Number(match l.applicable {
                Some(true) => 0,
                Some(false) => 1,
                None => 2,
            }),
            Sort::Status => SortKey::place(SoaStatus::ALL, &l.status),
            Sort::Controls => SortKey::count(l.controls.len()),
        };
        Ok(arrange(matching, order, key, page))
    }

    /// The statement in `format`, as the bytes of the file.
    pub async fn soa_export(&self, actor: &Actor, format: SoaFormat) -> Result<Vec<u8>> {
        let lines = self.soa_show(actor).await?;
        match format {
            SoaFormat::Csv => to_csv(&lines).map(String::into_bytes),
            SoaFormat::Markdown => Ok(to_markdown(&lines).into_bytes()),
            SoaFormat::Xlsx => to_xlsx(&lines),
        }
    }

    /// Records the current lines as a new version (a draft until approved).
    pub async fn soa_snapshot(&self, actor: &Actor) -> Result<SoaVersion> {
        actor.require(Action::WriteControls)?;
        let mut tx = self.db.begin_write().await?;
        let version = store::latest_version(tx.conn()).await? + 1;
        let v = SoaVersion {
            key: Kind::SoaVersion.key(version),
            version,
            lines: lines(tx.conn()).await?,
            created_by: actor.username.clone(),
            created_at: now(),
            approved_by: None,
            approved_at: None,
        };
        store::insert_version(tx.conn(), &v).await?;
        record(
            &mut tx,
            actor,
            Kind::SoaVersion,
            &v.key,
            actions::CREATE,
            &v,
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Approves a version; a version is approved once.
    pub async fn soa_approve(&self, actor: &Actor, version: i64) -> Result<SoaVersion> {
        actor.require(Action::ApproveScope)?;
        let mut tx = self.db.begin_write().await?;
        let mut v = store::get_version(tx.conn(), version)
            .await?
            .ok_or_else(|| AppError::not_found(format!("SoA version {version}")))?;
        if let (Some(by), Some(at)) = (&v.approved_by, &v.approved_at) {
            return Err(AppError::conflict(
                "version",
                format!("version {version} was already approved by {by} at {at}"),
            ));
        }
        let at = now();
        store::approve(tx.conn(), version, &actor.username, &at).await?;
        v.approved_by = Some(actor.username.clone());
        v.approved_at = Some(at);
        record(
            &mut tx,
            actor,
            Kind::SoaVersion,
            &v.key,
            actions::APPROVE,
            &v,
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Every version, newest first.
    pub async fn soa_history(&self, actor: &Actor) -> Result<Vec<SoaVersion>> {
        actor.require(Action::Read)?;
        Ok(store::history(&mut *self.read().await?).await?)
    }
}
