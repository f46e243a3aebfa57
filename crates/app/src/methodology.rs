//! The risk assessment method (ISO/IEC 42001 6.1.2), versioned as `MTH-n`. The default is
//! recorded on first use; each new version re-scores every risk and keeps the old scores.

use aims_core::keys::Kind;
use aims_core::risk::methodology::{default_doc, MethodDoc, Methodology, ScaleLevel};
use aims_core::Action;
use aims_store::{methodology as store, Conn, WriteTx};
use serde::Serialize;

use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// The ledger action of a risk re-scored under a new method version.
pub const RESCORE: &str = "rescore";

/// A recorded method version and how many risks it re-scored.
#[derive(Debug, Clone, Serialize)]
pub struct MethodChange {
    pub methodology: Methodology,
    pub rescored: usize,
}

/// The method in force: the newest version, or the default (version 0) before the first use.
pub(crate) async fn current(conn: &mut Conn) -> Result<Methodology> {
    Ok(store::latest(conn).await?.unwrap_or_else(unrecorded))
}

fn unrecorded() -> Methodology {
    Methodology {
        key: String::new(),
        version: 0,
        doc: default_doc(),
        created_by: String::new(),
        created_at: String::new(),
    }
}

/// The method in force, recording the default as `MTH-1` (by `actor`) when none was recorded.
pub(crate) async fn current_or_default(tx: &mut WriteTx, actor: &Actor) -> Result<Methodology> {
    if let Some(m) = store::latest(tx.conn()).await? {
        return Ok(m);
    }
    let m = Methodology {
        key: Kind::Methodology.key(1),
        version: 1,
        doc: default_doc(),
        created_by: actor.username.clone(),
        created_at: now(),
    };
    store::insert(tx.conn(), &m).await?;
    record(tx, actor, Kind::Methodology, &m.key, "create", &m).await?;
    Ok(m)
}

/// Reads a method written as TOML; errors name `content`, with the line and key at fault when
/// the parser points at one, or the method's fields.
pub fn parse_toml(text: &str) -> Result<MethodDoc> {
    if text.len() > 200_000 {
        return Err(AppError::invalid("content", "is larger than 200 kB"));
    }
    let doc: MethodDoc = toml::from_str(text).map_err(|e| {
        let span = e.span();
        let line = span
            .clone()
            .and_then(|span| text.get(..span.start))
            .map(|before| before.matches('\n').count() + 1);
        // A value on one line is named by its key; a missing field spans its whole table.
        let one_line = span
            .and_then(|span| text.get(span))
            .is_some_and(|v| !v.contains('\n'));
        let key = line
            .filter(|_| one_line && !e.message().starts_with("missing field"))
            .and_then(|n| toml_key_at(text, n));
        let at = match (line, key) {
            (Some(n), Some(k)) => format!("line {n}, {k}: "),
            (Some(n), None) => format!("line {n}: "),
            _ => String::new(),
        };
        AppError::invalid(
            "content",
            format!("{at}not a valid method: {}", e.message()),
        )
    })?;
    Ok(doc)
}

/// The dotted key assigned on line `n` (1-based) of a TOML text, with the table it is in
/// (`review_days.high`); `None` for a line that assigns nothing.
fn toml_key_at(text: &str, n: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let (key, _) = lines.get(n.checked_sub(1)?)?.split_once('=')?;
    let key = key.trim().trim_matches('"');
    if key.is_empty() || key.starts_with('[') || key.starts_with('#') {
        return None;
    }
    let table = lines[..n - 1]
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| l.starts_with('[') && !l.starts_with("[["))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned());
    Some(match table {
        Some(t) if !t.is_empty() => format!("{t}.{key}"),
        _ => key.to_owned(),
    })
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn levels(out: &mut String, table: &str, scale: &[ScaleLevel]) {
    for l in scale {
        out.push_str(&format!(
            "\n[[{table}]]\nlabel = {}\ndefinition = {}\n",
            quote(&l.label),
            quote(&l.definition)
        ));
        if let Some(g) = &l.guidance {
            out.push_str(&format!("guidance = {}\n", quote(g)));
        }
        if let Some(f) = l.per_year {
            out.push_str(&format!("per_year = {f:?}\n"));
        }
    }
}

/// A method as TOML, in the form `aims methodology set` reads.
pub fn to_toml(doc: &MethodDoc) -> String {
    let mut out = String::new();
    out.push_str(&format!("name = {}\n", quote(&doc.name)));
    out.push_str(&format!(
        "combination = {}\n",
        quote(doc.combination.as_str())
    ));
    out.push_str(&format!("appetite = {}\n", quote(doc.appetite.as_str())));
    out.push_str(
        "# Rows: likelihood 1 (first) to highest; columns: impact 1 to highest.\nmatrix = [\n",
    );
    for row in &doc.matrix {
        let cells: Vec<String> = row.iter().map(|c| quote(c.as_str())).collect();
        out.push_str(&format!("  [{}],\n", cells.join(", ")));
    }
    out.push_str("]\n");
    if !doc.weights.is_empty() {
        out.push_str("\n[weights]\n");
        for (d, w) in &doc.weights {
            out.push_str(&format!("{d} = {w}\n"));
        }
    }
    out.push_str("\n# The highest level each role may accept.\n[acceptance]\n");
    for (r, l) in &doc.acceptance {
        out.push_str(&format!("{r} = {}\n", quote(l.as_str())));
    }
    out.push_str("\n# Days between reviews, per level.\n[review_days]\n");
    for (l, d) in &doc.review_days {
        out.push_str(&format!("{l} = {d}\n"));
    }
    levels(&mut out, "likelihood", &doc.likelihood);
    for (d, scale) in &doc.impact {
        levels(&mut out, &format!("impact.{d}"), scale);
    }
    out
}

impl App {
    /// The method in force (version 0 is the default, not yet recorded).
    pub async fn methodology_show(&self, actor: &Actor) -> Result<Methodology> {
        actor.require(Action::Read)?;
        current(&mut *self.read().await?).await
    }

    /// Every recorded version, newest first.
    pub async fn methodology_history(&self, actor: &Actor) -> Result<Vec<Methodology>> {
        actor.require(Action::Read)?;
        Ok(store::history(&mut *self.read().await?).await?)
    }

    /// One recorded version.
    pub async fn methodology_get(&self, actor: &Actor, version: i64) -> Result<Methodology> {
        actor.require(Action::Read)?;
        store::get(&mut *self.read().await?, version)
            .await?
            .ok_or_else(|| AppError::not_found(format!("method version {version}")))
    }

    /// Records the default method as `MTH-1`; a conflict once any version exists.
    pub async fn methodology_init(&self, actor: &Actor) -> Result<Methodology> {
        actor.require(Action::ChangeMethodology)?;
        let mut tx = self.db.begin_write().await?;
        if let Some(m) = store::latest(tx.conn()).await? {
            return Err(AppError::conflict(
                "methodology",
                format!("{} is already recorded; set a new version instead", m.key),
            ));
        }
        let m = current_or_default(&mut tx, actor).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// Records `doc` as the next version and re-scores every risk with it (values move onto
    /// the new scales when their sizes differ); the scores under the old version stay in the
    /// history. An unchanged method records nothing.
    pub async fn methodology_set(&self, actor: &Actor, doc: MethodDoc) -> Result<MethodChange> {
        actor.require(Action::ChangeMethodology)?;
        let doc = doc.validate().map_err(AppError::Invalid)?;
        let mut tx = self.db.begin_write().await?;
        let old = store::latest(tx.conn()).await?;
        if let Some(m) = old.as_ref().filter(|m| m.doc == doc) {
            return Ok(MethodChange {
                methodology: m.clone(),
                rescored: 0,
            });
        }
        let old_doc = old.as_ref().map_or_else(default_doc, |m| m.doc.clone());
        let version = old.as_ref().map_or(1, |m| m.version + 1);
        let at = now();
        let m = Methodology {
            key: Kind::Methodology.key(version),
            version,
            doc,
            created_by: actor.username.clone(),
            created_at: at.clone(),
        };
        store::insert(tx.conn(), &m).await?;
        record(&mut tx, actor, Kind::Methodology, &m.key, "create", &m).await?;
        let risks = aims_store::risks::list(tx.conn(), &Default::default()).await?;
        let rescored = risks.len();
        for mut r in risks {
            // Keep the score under the old version (it may predate the history table's row).
            aims_store::risks::put_score(tx.conn(), &r, &r.updated_at.clone()).await?;
            r.apply_method(Some(&old_doc), &m.doc, version);
            r.updated_at = at.clone();
            aims_store::risks::update(tx.conn(), &r).await?;
            aims_store::risks::put_score(tx.conn(), &r, &at).await?;
            record(&mut tx, actor, Kind::Risk, &r.key, RESCORE, &r).await?;
        }
        tx.commit().await?;
        Ok(MethodChange {
            methodology: m,
            rescored,
        })
    }

    /// [`App::methodology_set`] from TOML text.
    pub async fn methodology_set_toml(&self, actor: &Actor, text: &str) -> Result<MethodChange> {
        actor.require(Action::ChangeMethodology)?;
        let doc = parse_toml(text)?;
        self.methodology_set(actor, doc).await
    }
}

#[cfg(test)]
mod toml_errors {
    use super::*;

    #[test]
    fn a_bad_value_is_named_by_its_key_and_line() {
        let Err(AppError::Invalid(e)) = parse_toml("name = \"x\"\nappetite = \"extreme\"\n") else {
            panic!("a bad method was accepted");
        };
        assert_eq!(e.0[0].field, "content");
        assert!(
            e.0[0].reason.starts_with("line 2, appetite: "),
            "{}",
            e.0[0].reason
        );
        assert_eq!(
            toml_key_at("a = 1\n[review_days]\nhigh = \"x\"\n", 3).as_deref(),
            Some("review_days.high")
        );
        assert_eq!(toml_key_at("[review_days]\n", 1), None);
    }
}
