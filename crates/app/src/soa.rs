//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): one line per Annex A control of the
//! built-in ISO/IEC 42001 catalog, its decision and justification, and the status derived from
//! the organisation's controls linked to it. Versions are recorded and approved.

use std::collections::{BTreeMap, HashMap};

use aims_catalog::{Catalog, Kind as ItemKind};
use aims_core::control::{format_requirement, ControlStatus};
use aims_core::keys::Kind;
use aims_core::ledger::actions;
use aims_core::soa::{line_status, SoaEntry, SoaEntryInput, SoaLine, SoaVersion};
use aims_core::Action;
use aims_store::soa as store;
use aims_store::Conn;

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
