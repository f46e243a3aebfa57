//! Reading and verifying the change ledger.

use std::collections::HashMap;
use std::time::Instant;

use aims_core::keys::{normalise, Kind};
use aims_core::ledger::{
    join_segments, Break, ChainVerifier, Checkpoint, Event, EventBody, GENESIS,
};
use aims_core::{canonical, Action, FieldError, ValidationErrors};
use aims_store::listing::{Order, Page};
use aims_store::{
    controls, frameworks, issues, ledger as store, parties, scope, soa, systems, tokens, users,
};
use serde::Serialize;

use crate::listing::{self, blank, Listed};
use crate::{Actor, App, AppError, Result};

/// Most events in one page of the log.
pub const MAX_LOG: i64 = 1000;

/// A request for ledger events, from the API, a page or the CLI: words, checked here.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Only events of this record (`SYS-3`).
    pub key: Option<String>,
    /// The same as `key` (its older name).
    pub entity: Option<String>,
    /// Only events of this kind of record (`ai_system`, `risk`, ...).
    pub kind: Option<String>,
    /// Only events by this user, directly or through one of their API tokens.
    pub actor: Option<String>,
    /// Only events of this action (`create`, `update`, `approve`, ...).
    pub action: Option<String>,
    /// Only events on or after this day (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    /// Only events on or before this day (YYYY-MM-DD, UTC).
    pub to: Option<String>,
    /// Only events before this sequence number (reading on from the last event seen).
    pub before: Option<i64>,
    /// `seq` (oldest first) or `-seq` (newest first, the default).
    pub sort: Option<String>,
    /// 1-based page.
    pub page: Option<i64>,
    /// Events per page (1 to 1000, default 50).
    pub per_page: Option<i64>,
    /// The same as `per_page` (its older name).
    pub limit: Option<i64>,
}

const SORTS: &[(&str, ())] = &[("seq", ())];

/// The entity kinds events are written with, in the order of [`Kind::ALL`].
pub fn kinds() -> Vec<&'static str> {
    Kind::ALL.iter().map(|k| k.name()).collect()
}

impl LedgerQuery {
    fn parse(&self) -> Result<(store::Filter, bool, Page)> {
        let mut e = ValidationErrors::default();
        let kind = blank(&self.kind).and_then(|w| {
            let known = kinds();
            e.take(if known.contains(&w.as_str()) {
                Ok(w)
            } else {
                Err(FieldError::new(
                    "kind",
                    format!("unknown value '{w}'; expected one of: {}", known.join(", ")),
                ))
            })
        });
        let (from, until) = listing::days(&mut e, &self.from, &self.to);
        if self.before.is_some_and(|b| b < 1) {
            e.push("before", "must be a sequence number of 1 or more");
        }
        let order = listing::sort(&mut e, &self.sort, SORTS, Order::desc(()));
        let per_page =
            listing::either(&mut e, ("per_page", &self.per_page), ("limit", &self.limit));
        let page = listing::page_up_to(&mut e, self.page, per_page, MAX_LOG);
        let (key, _) = listing::either(&mut e, ("key", &self.key), ("entity", &self.entity));
        let filter = store::Filter {
            key: blank(&key).map(|k| normalise(&k)),
            kind,
            actor: blank(&self.actor),
            action: blank(&self.action),
            from,
            until,
            before_seq: self.before,
        };
        e.into_result(|| (filter, order.descending, page))
            .map_err(Into::into)
    }
}

/// The outcome of `ledger verify`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub intact: bool,
    /// The first problem found, if any.
    pub problem: Option<Break>,
    /// The problem in words.
    pub message: String,
    pub events: i64,
    pub entities: usize,
    pub head: Checkpoint,
    pub checkpoint: Option<Checkpoint>,
    pub seconds: f64,
}

/// Chains shorter than this are read in one stretch.
const PARALLEL_FROM: i64 = 50_000;

/// `1..=head` cut into one stretch per core (at most 8); short chains are one stretch.
fn stretches(head: i64) -> Vec<(i64, i64)> {
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8) as i64;
    if head < PARALLEL_FROM {
        return vec![(1, head)];
    }
    let size = (head + cores - 1) / cores;
    (0..cores)
        .map(|i| (1 + i * size, ((i + 1) * size).min(head)))
        .filter(|(from, to)| from <= to)
        .collect()
}

/// One stretch of the chain as it is read: the chain check and the checkpoint.
struct Stretch {
    to: i64,
    verifier: ChainVerifier,
    checkpoint: Option<Checkpoint>,
    checkpoint_seen: bool,
}

impl store::Visitor for Stretch {
    type Error = Break;

    fn visit(
        &mut self,
        body: EventBody<'_>,
        prev_hash: &str,
        hash: &str,
    ) -> std::result::Result<(), Break> {
        self.verifier.check(body, prev_hash, hash)?;
        if let Some(cp) = self.checkpoint.as_ref().filter(|cp| cp.seq == body.seq) {
            if cp.hash != hash {
                return Err(Break::Checkpoint { seq: cp.seq });
            }
            self.checkpoint_seen = true;
        }
        Ok(())
    }
}

/// Reads and checks `from..=to`; returns the stretch and its first break, if any.
async fn scan_stretch(
    db: aims_store::Db,
    from: i64,
    to: i64,
    checkpoint: Option<Checkpoint>,
) -> Result<(Stretch, std::result::Result<(), Break>)> {
    let stretch = Stretch {
        to,
        verifier: ChainVerifier::from_seq(from),
        checkpoint,
        checkpoint_seen: false,
    };
    let (stretch, outcome) = store::scan(&db, from, to, stretch).await?;
    let outcome = outcome.and_then(|()| stretch.verifier.finish(stretch.to));
    Ok((stretch, outcome))
}

/// Checks the risks' score history (`risk_scores`): each row must be the scores, and its time the
/// `updated_at`, of the risk's last recorded state under that method version, and every version
/// a risk was recorded under must have its row. The first disagreement names the risk.
async fn check_score_history(conn: &mut aims_store::Conn, head: i64) -> Result<Option<Break>> {
    use std::collections::BTreeMap;
    let mut expected: BTreeMap<(String, i64), (i64, aims_core::risk::register::Scores, String)> =
        BTreeMap::new();
    for (key, seq, data) in store::states_of_kind(conn, Kind::Risk.name(), head).await? {
        let risk: aims_core::risk::register::Risk =
            serde_json::from_str(&data).map_err(|e| AppError::Internal(e.to_string()))?;
        let v = risk.scores.methodology_version;
        expected.insert((key, v), (seq, risk.scores, risk.updated_at));
    }
    let mismatch = |key: String, seq: i64| Break::EntityMismatch {
        kind: Kind::Risk.name().into(),
        key,
        last_seq: seq,
    };
    for (key, row) in aims_store::risks::all_scores(conn).await? {
        match expected.remove(&(key.clone(), row.methodology_version)) {
            Some((_, s, at))
                if s.inherent == row.inherent
                    && s.inherent_range == row.inherent_range
                    && s.residual == row.residual
                    && at == row.recorded_at => {}
            Some((seq, ..)) => return Ok(Some(mismatch(key, seq))),
            None => return Ok(Some(mismatch(key, 0))),
        }
    }
    Ok(expected
        .into_iter()
        .next()
        .map(|((key, _), (seq, ..))| mismatch(key, seq)))
}

impl App {
    /// Events newest first, optionally of one entity (`SYS-3`).
    pub async fn ledger_log(
        &self,
        actor: &Actor,
        key: Option<&str>,
        before: Option<i64>,
        limit: Option<i64>,
    ) -> Result<Vec<Event>> {
        actor.require(Action::Read)?;
        let limit = limit.unwrap_or(50);
        if !(1..=MAX_LOG).contains(&limit) {
            return Err(AppError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LOG}"),
            ));
        }
        let key = key.map(normalise);
        Ok(store::log(&mut *self.read().await?, key.as_deref(), before, limit).await?)
    }

    /// The events matching `query`, a page at a time, with how many match in all.
    pub async fn ledger_list(&self, actor: &Actor, query: &LedgerQuery) -> Result<Listed<Event>> {
        actor.require(Action::Read)?;
        let (filter, newest_first, page) = query.parse()?;
        let items = store::list(&mut *self.read().await?, &filter, newest_first, page).await?;
        // Counted once per head of the chain: paging through the ledger counts once.
        let stamp = self.stamp().await?;
        let total = self
            .views
            .ledger_counts
            .get_or(format!("{filter:?}"), stamp, || async {
                Ok::<_, AppError>(store::count_matching(&mut *self.read().await?, &filter).await?)
            })
            .await?;
        Ok(listing::listed(items, *total, Some(page)))
    }

    /// The head of the chain, for an auditor to keep.
    pub async fn ledger_checkpoint(&self, actor: &Actor) -> Result<Checkpoint> {
        actor.require(Action::Read)?;
        Ok(store::head(&mut *self.read().await?).await?)
    }

    /// Recomputes the whole chain, checks an optional checkpoint, and checks that every entity's
    /// current row is the state its last event recorded. Long chains are read in stretches, one
    /// per core, each on its own connection; the stretches are joined in order, so the first
    /// break reported is the one a single pass would find.
    pub async fn ledger_verify(
        &self,
        actor: &Actor,
        checkpoint: Option<&Checkpoint>,
    ) -> Result<VerifyReport> {
        actor.require(Action::Read)?;
        let started = Instant::now();
        let head = store::head(&mut *self.read().await?).await?;
        let tasks: Vec<_> = stretches(head.seq)
            .into_iter()
            .map(|(from, to)| {
                tokio::spawn(scan_stretch(self.db.clone(), from, to, checkpoint.cloned()))
            })
            .collect();
        let mut joined = Vec::with_capacity(tasks.len());
        let mut checkpoint_seen = false;
        for task in tasks {
            let (stretch, outcome) = task
                .await
                .map_err(|e| AppError::Internal(e.to_string()))??;
            checkpoint_seen |= stretch.checkpoint_seen;
            joined.push((stretch.verifier, outcome));
        }
        let mut problem = join_segments(&joined).err();
        if problem.is_none() {
            // Seq 0 stands before the first event: only the genesis hash matches it.
            let genesis = |cp: &&Checkpoint| cp.seq == 0 && cp.hash == GENESIS;
            if let Some(cp) = checkpoint.filter(|cp| !checkpoint_seen && !genesis(cp)) {
                problem = Some(Break::Checkpoint { seq: cp.seq });
            }
        }
        let events: i64 = joined.iter().map(|(v, _)| v.count()).sum();
        let head = joined.last().map_or(head, |(v, _)| v.head());
        let mut entities = 0;
        if problem.is_none() {
            (entities, problem) = self.check_entities(head.seq).await?;
        }
        let message = match &problem {
            None => format!(
                "ledger intact: {events} events, {entities} entities match their last recorded state"
            ),
            Some(p) => p.to_string(),
        };
        Ok(VerifyReport {
            intact: problem.is_none(),
            problem,
            message,
            events,
            entities,
            head,
            checkpoint: checkpoint.cloned(),
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Compares each current row with the state the last of events `1..=head` recorded for it.
    /// Returns the number of entities the ledger records and the first mismatch, if any.
    async fn check_entities(&self, head: i64) -> Result<(usize, Option<Break>)> {
        let mut conn = self.read().await?;
        let mut last: HashMap<String, (i64, String)> = store::last_states(&mut conn, head)
            .await?
            .into_iter()
            .map(|(key, seq, data)| (key, (seq, data)))
            .collect();
        let entities = last.len();
        let mut current: Vec<(Kind, String, String)> = Vec::new();
        let json =
            |v: Result<String, serde_json::Error>| v.map_err(|e| AppError::Internal(e.to_string()));
        for (user, hash) in users::all_with_hash(&mut conn).await? {
            current.push((
                Kind::User,
                user.key.clone(),
                json(canonical::of(&crate::users::state(&user, &hash)))?,
            ));
        }
        for t in tokens::list(&mut conn, None).await? {
            current.push((Kind::Token, t.key.clone(), json(canonical::of(&t))?));
        }
        for s in systems::all(&mut conn).await? {
            current.push((
                Kind::AiSystem,
                s.system.key.clone(),
                json(canonical::of(&s.system))?,
            ));
        }
        for i in issues::list(&mut conn, true).await? {
            current.push((Kind::ContextIssue, i.key.clone(), json(canonical::of(&i))?));
        }
        for p in parties::list(&mut conn, true).await? {
            current.push((Kind::Party, p.key.clone(), json(canonical::of(&p))?));
        }
        for c in controls::all(&mut conn).await? {
            current.push((Kind::Control, c.key.clone(), json(canonical::of(&c))?));
        }
        for v in scope::history(&mut conn).await? {
            current.push((Kind::Scope, v.key.clone(), json(canonical::of(&v))?));
        }
        for e in soa::entries(&mut conn).await? {
            current.push((
                Kind::SoaEntry,
                crate::soa::entry_key(&e.control_id),
                json(canonical::of(&e))?,
            ));
        }
        for v in soa::history(&mut conn).await? {
            current.push((Kind::SoaVersion, v.key.clone(), json(canonical::of(&v))?));
        }
        for (table, kind) in [
            (frameworks::Table::Frameworks, Kind::Framework),
            (frameworks::Table::Crosswalks, Kind::Crosswalk),
        ] {
            for row in frameworks::list(&mut conn, table).await? {
                current.push((
                    kind,
                    crate::catalogs::import_key(table, &row.id),
                    json(canonical::of(&crate::catalogs::import_state(&row)))?,
                ));
            }
        }
        for e in aims_store::integrations::all(&mut conn, crate::coverage::position).await? {
            current.push((
                Kind::ExternalImplementation,
                aims_core::integration::key(&e.framework),
                json(canonical::of(&e))?,
            ));
        }
        for a in aims_store::maturity::list(&mut conn).await? {
            current.push((
                Kind::MaturityAssessment,
                a.key.clone(),
                json(canonical::of(&a))?,
            ));
        }
        for a in aims_store::actions::all(&mut conn).await? {
            current.push((Kind::Action, a.key.clone(), json(canonical::of(&a))?));
        }
        for b in aims_store::certbodies::list(&mut conn).await? {
            current.push((Kind::CertBody, b.key.clone(), json(canonical::of(&b))?));
        }
        for b in aims_store::briefings::list(&mut conn, None).await? {
            current.push((Kind::Briefing, b.key.clone(), json(canonical::of(&b))?));
        }
        for m in aims_store::methodology::history(&mut conn).await? {
            current.push((Kind::Methodology, m.key.clone(), json(canonical::of(&m))?));
        }
        let mut risk_links = aims_store::risks::system_links(&mut conn).await?;
        for r in aims_store::risks::list(&mut conn, &Default::default()).await? {
            // The system filter reads the link table: links that disagree with the risk's row
            // are a change made behind the services, whichever side was changed.
            let links = risk_links.remove(&r.key).unwrap_or_default();
            let state = if links == r.fields.systems {
                json(canonical::of(&r))?
            } else {
                format!("risk_systems disagrees with {}", r.key)
            };
            current.push((Kind::Risk, r.key.clone(), state));
        }
        if let Some(mismatch) = check_score_history(&mut conn, head).await? {
            return Ok((entities, Some(mismatch)));
        }
        for a in aims_store::impacts::list(&mut conn, &Default::default()).await? {
            current.push((
                Kind::ImpactAssessment,
                a.key.clone(),
                json(canonical::of(&a))?,
            ));
        }
        for p in aims_store::monitoring::plans(&mut conn).await? {
            current.push((
                Kind::MonitoringPlan,
                aims_core::monitoring::plan_key(&p.system),
                json(canonical::of(&p))?,
            ));
        }
        let mut reports = aims_store::monitoring::reports(&mut conn).await?;
        for r in aims_store::monitoring::all_runs(&mut conn).await? {
            // The report is kept beside the run; its digest is in the recorded state.
            let digest = reports
                .remove(&r.key)
                .map(|t| crate::monitoring::report_digest(&t));
            let state = if digest == r.report_sha256 {
                json(canonical::of(&r))?
            } else {
                format!("the report of {} does not match its digest", r.key)
            };
            current.push((Kind::MonitoringRun, r.key.clone(), state));
        }
        for a in aims_store::monitoring::alerts(&mut conn, None, false).await? {
            current.push((Kind::Alert, a.key.clone(), json(canonical::of(&a))?));
        }
        let mut incident_links = aims_store::incidents::system_links(&mut conn).await?;
        for i in aims_store::incidents::all(&mut conn).await? {
            let links = incident_links.remove(&i.key).unwrap_or_default();
            let listed: std::collections::BTreeSet<String> = i.systems.iter().cloned().collect();
            let state = if links == listed {
                json(canonical::of(&i))?
            } else {
                format!("incident_systems disagrees with {}", i.key)
            };
            current.push((Kind::Incident, i.key.clone(), state));
        }
        let mut nc_links = aims_store::nonconformities::action_links(&mut conn).await?;
        for nc in aims_store::nonconformities::all(&mut conn).await? {
            let links = nc_links.remove(&nc.key).unwrap_or_default();
            let listed: std::collections::BTreeSet<String> = nc.actions.iter().cloned().collect();
            let state = if links == listed {
                json(canonical::of(&nc))?
            } else {
                format!("nc_actions disagrees with {}", nc.key)
            };
            current.push((Kind::Nonconformity, nc.key.clone(), state));
        }
        // Link rows whose incident or nonconformity has no row are a change behind the services.
        if let Some(key) = incident_links
            .into_keys()
            .chain(nc_links.into_keys())
            .next()
        {
            let kind = Kind::of_key(&key).unwrap_or(Kind::Incident);
            let last_seq = last.get(&key).map_or(0, |(s, _)| *s);
            return Ok((
                entities,
                Some(Break::EntityMismatch {
                    kind: kind.name().into(),
                    key,
                    last_seq,
                }),
            ));
        }
        for (kind, key, data) in current {
            match last.remove(&key) {
                None => {
                    let unrecorded = Break::EntityUnrecorded {
                        kind: kind.name().into(),
                        key,
                    };
                    return Ok((entities, Some(unrecorded)));
                }
                Some((seq, recorded)) if recorded != data => {
                    let mismatch = Break::EntityMismatch {
                        kind: kind.name().into(),
                        key,
                        last_seq: seq,
                    };
                    return Ok((entities, Some(mismatch)));
                }
                Some(_) => {}
            }
        }
        // Whatever is left was recorded but has no row any more.
        let gone = last
            .into_iter()
            .filter_map(|(key, (seq, _))| Kind::of_key(&key).map(|kind| (seq, kind, key)))
            .min_by_key(|(seq, _, _)| *seq);
        let missing = gone.map(|(seq, kind, key)| Break::EntityMissing {
            kind: kind.name().into(),
            key,
            last_seq: seq,
        });
        Ok((entities, missing))
    }
}
