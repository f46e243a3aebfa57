//! Monitoring of deployed AI systems: plans, runs over prediction logs or pushed values, alerts
//! from warnings and incidents from breaches, and the signed webhook that announces them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use aims_core::keys::{normalise, Kind};
use aims_core::monitoring::{
    self as core, check_push, check_rules, judge, plan_key, Alert, AlertStatus, Delivery, Level,
    Plan, PlanInput, Point, PushInput, Rule, RulesFile, Run, RunSource, Schedule, Window,
};
use aims_core::Action;
use aims_core::ValidationErrors;
use aims_monitor::{Input, LogSchema, Options, Progress, Step};
use aims_store::monitoring as store;
use aims_store::{Conn, WriteTx};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::record::{now, record};
use crate::webhook::{self, Announcement};
use crate::{Actor, App, AppError, Result};

/// Most runs one listing returns.
pub const MAX_RUNS: i64 = 500;
/// Points per metric on a trend chart.
pub const TREND_POINTS: usize = 60;

/// Reads a thresholds file (`[[threshold]]` tables) into rules; errors name `field`.
pub fn rules_from_toml(field: &str, text: &str) -> Result<Vec<Rule>> {
    let file: RulesFile =
        toml::from_str(text).map_err(|e| AppError::invalid(field, e.message()))?;
    Ok(file.threshold)
}

/// Writes rules in the thresholds file format, so a form can show them for editing.
pub fn rules_to_toml(rules: &[Rule]) -> String {
    let mut out = String::new();
    for r in rules {
        out.push_str(&format!("[[threshold]]\nmetric = \"{}\"\n", r.metric));
        if let Some(w) = r.warn {
            out.push_str(&format!("warn = {w:?}\n"));
        }
        if let Some(b) = r.breach {
            out.push_str(&format!("breach = {b:?}\n"));
        }
        out.push_str(&format!("direction = \"{}\"\n\n", r.direction));
    }
    out
}

/// Where a run over a log is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStage {
    /// Fingerprinting the files: bytes read of all of them.
    Hashing { done: u64, total: u64 },
    /// Computing the metrics: column groups done.
    Computing { done: usize, total: usize },
    /// Writing the run, its observations, alerts and incidents.
    Storing,
}

/// A callback told each [`RunStage`] as a run advances.
pub type RunProgress = Arc<dyn Fn(RunStage) + Send + Sync>;

/// A prediction log to compute, as a person or pipeline hands it over.
#[derive(Debug, Clone, Default)]
pub struct LogRun {
    pub current: PathBuf,
    /// A separate reference log, for drift.
    pub reference: Option<PathBuf>,
    /// Or one file split at this RFC 3339 time: earlier rows are the reference.
    pub split_at: Option<String>,
    /// The time the data describes (RFC 3339); defaults to now.
    pub observed_at: Option<String>,
    /// A name for the run (file name, pipeline job).
    pub label: Option<String>,
}

/// What a run found and what it set off.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunOutcome {
    pub run: Run,
    /// Alerts raised or added to by warnings (`ALR-n`).
    pub alerts: Vec<String>,
    /// Incidents opened or added to by breaches (`INC-n`).
    pub incidents: Vec<String>,
    /// Webhook posts made after the run was stored.
    pub deliveries: Vec<Delivery>,
}

/// A system's monitoring at a glance.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonitoringView {
    pub system: String,
    pub plan: Option<Plan>,
    /// The day the next run is due, by the plan's schedule.
    pub next_due: Option<String>,
    pub overdue: bool,
    pub runs: Vec<Run>,
    pub alerts: Vec<Alert>,
    /// Each watched metric's latest values, oldest first.
    pub trends: std::collections::BTreeMap<String, Vec<Point>>,
    pub deliveries: Vec<Delivery>,
}

/// One line of the monitoring overview: a system with a plan and how it stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanStatus {
    pub plan: Plan,
    pub last_observed: Option<String>,
    pub next_due: Option<String>,
    pub overdue: bool,
    pub open_alerts: usize,
}

/// The SHA-256 of a file, telling `read` each chunk's length as it goes.
fn sha256_file(path: &Path, read: &mut dyn FnMut(u64)) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        read(n as u64);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn observed_at(field: &str, given: Option<&str>) -> Result<String> {
    match given.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(now()),
        Some(t) => aims_core::time::parse(t)
            .map(aims_core::time::format)
            .ok_or_else(|| AppError::invalid(field, format!("'{t}' is not an RFC 3339 time"))),
    }
}

async fn existing_system(conn: &mut Conn, key: &str) -> Result<String> {
    let key = normalise(key);
    match aims_store::systems::get(conn, &key).await? {
        Some(_) => Ok(key),
        None => Err(AppError::not_found(format!("AI system {key}"))),
    }
}

async fn plan_of(conn: &mut Conn, system: &str) -> Result<(Plan, Option<String>)> {
    store::plan(conn, system).await?.ok_or_else(|| {
        AppError::invalid(
            "system",
            format!("{system} has no monitoring plan; set one first (aims monitor plan set)"),
        )
    })
}

/// The plan after applying `input` to `old`, checked; also the new secret, if one was given.
fn apply(
    system: &str,
    old: Option<&(Plan, Option<String>)>,
    input: &PlanInput,
    owner_ok: std::result::Result<(), Vec<aims_core::FieldError>>,
    me: &str,
) -> Result<(Plan, Option<String>)> {
    let mut e = ValidationErrors::default();
    if let Err(fields) = owner_ok {
        e.0.extend(fields);
    }
    let base = old.map(|(p, _)| p);
    let schema = match (&input.schema, base) {
        (Some(s), _) => s.clone(),
        (None, Some(p)) => p.schema.clone(),
        (None, None) => {
            e.push("schema", "is required: the prediction log schema as TOML");
            String::new()
        }
    };
    let parsed = if schema.is_empty() {
        None
    } else {
        match LogSchema::parse(&schema) {
            Ok(s) => Some(s),
            Err(m) => {
                e.push("schema", m);
                None
            }
        }
    };
    let rules = match (&input.rules, base) {
        (Some(r), _) => e.take_all(check_rules("rules", r)),
        (None, Some(p)) => Some(p.rules.clone()),
        (None, None) => Some(Vec::new()),
    };
    let window = match (&input.window, base) {
        (Some(w), _) => e.take(Window::parse("window", w)),
        (None, Some(p)) => Some(p.window),
        (None, None) => Some(Window::Whole),
    };
    if let (Some(w), Some(s)) = (window, &parsed) {
        if w != Window::Whole && s.timestamp.is_none() {
            e.push("window", "windows need a 'timestamp' column in the schema");
        }
    }
    let schedule = match (&input.schedule, base) {
        (Some(s), _) => e.take(Schedule::parse("schedule", s)),
        (None, Some(p)) => Some(p.schedule),
        (None, None) => Some(Schedule::Weekly),
    };
    let webhook_url = match (&input.webhook_url, base) {
        (Some(u), _) => e.take(core::webhook_url("webhook_url", u)),
        (None, Some(p)) => Some(p.webhook_url.clone()),
        (None, None) => Some(None),
    };
    let mut secret = old.and_then(|(_, s)| s.clone());
    if let Some(s) = &input.webhook_secret {
        let s = s.trim();
        if s.chars().count() < core::MIN_SECRET {
            e.push(
                "webhook_secret",
                format!("must be at least {} characters", core::MIN_SECRET),
            );
        }
        secret = Some(s.to_string());
    }
    if let Some(Some(_)) = &webhook_url {
        if secret.is_none() {
            e.push(
                "webhook_secret",
                "a webhook needs a secret to sign its posts",
            );
        }
    }
    let owner = input
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(str::to_string)
        .or_else(|| base.map(|p| p.owner.clone()))
        .or_else(|| Some(me.to_string()));
    if !e.is_empty() {
        return Err(AppError::Invalid(e));
    }
    let (Some(rules), Some(window), Some(schedule), Some(webhook_url), Some(owner)) =
        (rules, window, schedule, webhook_url, owner)
    else {
        return Err(AppError::Internal(
            "plan fields missing without an error".into(),
        ));
    };
    let secret = webhook_url.as_ref().and(secret);
    Ok((
        Plan {
            system: system.to_string(),
            schema,
            rules,
            window,
            schedule,
            owner,
            webhook_url: webhook_url.clone(),
            webhook_secret_set: secret.is_some(),
            version: base.map_or(1, |p| p.version + 1),
            updated_at: now(),
        },
        secret,
    ))
}

/// Raises or adds to the open alert of each warning; returns the alerts touched.
async fn raise_alerts(tx: &mut WriteTx, actor: &Actor, run: &Run) -> Result<Vec<Alert>> {
    let mut out = Vec::new();
    for o in run.observations.iter().filter(|o| o.level == Level::Warn) {
        let limit = o.limit.unwrap_or(f64::NAN);
        let at = now();
        let alert = match store::open_alert(tx.conn(), &run.system, &o.metric).await? {
            Some(mut a) => {
                a.last_run = run.key.clone();
                a.value = o.value;
                a.limit = limit;
                a.occurrences += 1;
                a.updated_at = at;
                store::update_alert(tx.conn(), &a).await?;
                record(tx, actor, Kind::Alert, &a.key, "repeat", &a).await?;
                a
            }
            None => {
                let n = aims_store::counters::next(tx.conn(), Kind::Alert).await?;
                let a = Alert {
                    key: Kind::Alert.key(n),
                    system: run.system.clone(),
                    metric: o.metric.clone(),
                    first_run: run.key.clone(),
                    last_run: run.key.clone(),
                    value: o.value,
                    limit,
                    occurrences: 1,
                    status: AlertStatus::Open,
                    acknowledged_by: None,
                    note: None,
                    created_at: at.clone(),
                    updated_at: at,
                };
                store::insert_alert(tx.conn(), n, &a).await?;
                record(tx, actor, Kind::Alert, &a.key, "create", &a).await?;
                a
            }
        };
        out.push(alert);
    }
    Ok(out)
}

/// Opens or adds to an incident for each breach; returns the incident keys and whether each
/// was opened by this run.
async fn open_incidents(
    tx: &mut WriteTx,
    actor: &Actor,
    run: &Run,
) -> Result<Vec<(String, bool, String)>> {
    let mut out = Vec::new();
    for o in run.observations.iter().filter(|o| o.level == Level::Breach) {
        let breach = crate::incidents::Breach {
            system: run.system.clone(),
            metric: o.metric.clone(),
            run: Some(run.key.clone()),
            value: o.value,
            threshold: o.limit.unwrap_or(f64::NAN),
            at: run.observed_at.clone(),
            detail: format!(
                "{} = {} is {} the breach limit {} (run {})",
                o.metric,
                o.value,
                o.direction.label().to_lowercase().replace(" the limit", ""),
                o.limit.map_or_else(String::new, |l| l.to_string()),
                run.key
            ),
        };
        let (key, opened) = crate::incidents::record_breach(tx, actor, &breach).await?;
        out.push((key, opened, o.metric.clone()));
    }
    Ok(out)
}

impl App {
    /// Sets (or changes) a system's monitoring plan; a new plan's owner defaults to the actor.
    pub async fn monitor_plan_set(
        &self,
        actor: &Actor,
        system: &str,
        input: &PlanInput,
    ) -> Result<Plan> {
        actor.require(Action::ManageMonitoring)?;
        let mut tx = self.db.begin_write().await?;
        let system = existing_system(tx.conn(), system).await?;
        let old = store::plan(tx.conn(), &system).await?;
        let owner_ok = match input.owner.as_deref().map(str::trim) {
            Some(o) if !o.is_empty() => match App::existing_user(tx.conn(), "owner", o).await {
                Ok(_) => Ok(()),
                Err(err) => Err(err.fields()),
            },
            _ => Ok(()),
        };
        let (plan, secret) = apply(&system, old.as_ref(), input, owner_ok, &actor.username)?;
        if let Some((p, s)) = &old {
            let same = Plan {
                version: p.version,
                updated_at: p.updated_at.clone(),
                ..plan.clone()
            };
            if &same == p && s == &secret {
                return Ok(p.clone());
            }
        }
        store::put_plan(tx.conn(), &plan, secret.as_deref()).await?;
        let action = if old.is_some() { "update" } else { "create" };
        record(
            &mut tx,
            actor,
            Kind::MonitoringPlan,
            &plan_key(&system),
            action,
            &plan,
        )
        .await?;
        tx.commit().await?;
        Ok(plan)
    }

    /// A system's monitoring: plan, latest runs, alerts, trends and webhook deliveries.
    pub async fn monitor_view(&self, actor: &Actor, system: &str) -> Result<MonitoringView> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let system = existing_system(&mut conn, system).await?;
        let plan = store::plan(&mut conn, &system).await?.map(|(p, _)| p);
        let runs = store::runs(&mut conn, &system, 20).await?;
        let last = runs.first().map(|r| r.observed_at.clone());
        let next_due = plan.as_ref().and_then(|p| p.next_due(last.as_deref()));
        Ok(MonitoringView {
            overdue: next_due.is_some_and(|d| d < crate::actions::today()),
            next_due: next_due.map(|d| d.to_string()),
            alerts: store::alerts(&mut conn, Some(&system), false).await?,
            trends: store::trends(&mut conn, &system, TREND_POINTS).await?,
            deliveries: store::deliveries(&mut conn, &system, 20).await?,
            system,
            plan,
            runs,
        })
    }

    /// Every plan with its last observation, next due day and open alerts.
    pub async fn monitor_overview(&self, actor: &Actor) -> Result<Vec<PlanStatus>> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let last = store::last_observed(&mut conn).await?;
        let open = store::alerts(&mut conn, None, true).await?;
        let today = crate::actions::today();
        Ok(store::plans(&mut conn)
            .await?
            .into_iter()
            .map(|plan| {
                let last_observed = last.get(&plan.system).cloned();
                let next_due = plan.next_due(last_observed.as_deref());
                PlanStatus {
                    open_alerts: open.iter().filter(|a| a.system == plan.system).count(),
                    overdue: next_due.is_some_and(|d| d < today),
                    next_due: next_due.map(|d| d.to_string()),
                    last_observed,
                    plan,
                }
            })
            .collect())
    }

    /// A system's runs, newest first.
    pub async fn monitor_runs(&self, actor: &Actor, system: &str, limit: i64) -> Result<Vec<Run>> {
        actor.require(Action::Read)?;
        if !(1..=MAX_RUNS).contains(&limit) {
            return Err(AppError::invalid(
                "limit",
                format!("must be between 1 and {MAX_RUNS}"),
            ));
        }
        let mut conn = self.read().await?;
        let system = existing_system(&mut conn, system).await?;
        Ok(store::runs(&mut conn, &system, limit).await?)
    }

    /// One run, and the full metrics report of a computed log.
    pub async fn monitor_run_get(
        &self,
        actor: &Actor,
        key: &str,
    ) -> Result<(Run, Option<serde_json::Value>)> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        let mut conn = self.read().await?;
        let run = store::run(&mut conn, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("run {key}")))?;
        let report = store::report(&mut conn, &key)
            .await?
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok((run, report))
    }

    /// Computes a prediction log under the system's plan and stores the run, its observations,
    /// the alerts of its warnings and the incidents of its breaches, in one transaction. A log
    /// that cannot be read stores nothing.
    pub async fn monitor_run(
        &self,
        actor: &Actor,
        system: &str,
        log: &LogRun,
    ) -> Result<RunOutcome> {
        self.monitor_run_with_progress(actor, system, log, None)
            .await
    }

    /// [`App::monitor_run`], telling `progress` each stage as it goes.
    pub async fn monitor_run_with_progress(
        &self,
        actor: &Actor,
        system: &str,
        log: &LogRun,
        progress: Option<RunProgress>,
    ) -> Result<RunOutcome> {
        actor.require(Action::RecordMonitoring)?;
        let at = observed_at("observed_at", log.observed_at.as_deref())?;
        let cutoff = match log.split_at.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => Some(
                aims_core::time::parse(t)
                    .ok_or_else(|| {
                        AppError::invalid("split_at", format!("'{t}' is not an RFC 3339 time"))
                    })?
                    .timestamp_micros(),
            ),
            _ => None,
        };
        if cutoff.is_some() && log.reference.is_some() {
            return Err(AppError::invalid(
                "split_at",
                "give a reference file or a split time, not both",
            ));
        }
        let (system, plan) = {
            let mut conn = self.read().await?;
            let system = existing_system(&mut conn, system).await?;
            let (plan, _) = plan_of(&mut conn, &system).await?;
            (system, plan)
        };
        let schema = LogSchema::parse(&plan.schema).map_err(|m| AppError::invalid("schema", m))?;
        let log = log.clone();
        let window = plan.window.micros();
        let tell = progress.clone();
        let computed = tokio::task::spawn_blocking(move || -> Result<_> {
            let tell = |stage| {
                if let Some(t) = &tell {
                    t(stage)
                }
            };
            let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
            let total = size(&log.current) + log.reference.as_deref().map_or(0, size);
            let mut done = 0;
            tell(RunStage::Hashing { done, total });
            let mut hash = |field: &str, p: &Path| {
                sha256_file(p, &mut |n| {
                    done += n;
                    tell(RunStage::Hashing { done, total });
                })
                .map_err(|e| AppError::invalid(field, format!("{}: {e}", p.display())))
            };
            let current_sha = hash("current", &log.current)?;
            let reference_sha = log
                .reference
                .as_deref()
                .map(|p| hash("reference", p))
                .transpose()?;
            let input = match (&log.reference, cutoff) {
                (Some(r), _) => Input::Pair {
                    reference: r,
                    current: &log.current,
                },
                (None, Some(cutoff_us)) => Input::Split {
                    file: &log.current,
                    cutoff_us,
                },
                (None, None) => Input::Whole(&log.current),
            };
            let computing = |step: Step| {
                tell(RunStage::Computing {
                    done: step.done,
                    total: step.total,
                })
            };
            let options = Options {
                window_us: window,
                progress: Some(Progress(&computing)),
                ..Options::default()
            };
            let report = aims_monitor::compute(&schema, input, &options)
                .map_err(|e| AppError::invalid("log", e.to_string()))?;
            let label = log.label.clone().or_else(|| {
                log.current
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
            });
            Ok((report, current_sha, reference_sha, label))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
        let (report, current_sha, reference_sha, label) = computed;
        if let Some(tell) = &progress {
            tell(RunStage::Storing);
        }
        let json = serde_json::to_value(&report).map_err(|e| AppError::Internal(e.to_string()))?;
        let values = core::flatten(&json);
        let draft = RunDraft {
            source: RunSource::File,
            observed_at: at,
            rows_reference: report.rows.reference.unwrap_or(0) as i64,
            rows_current: report.rows.current as i64,
            current_sha256: Some(current_sha),
            reference_sha256: reference_sha,
            label,
            report: Some(json.to_string()),
        };
        self.store_run(actor, &system, &plan, draft, &values).await
    }

    /// Stores values a pipeline computed itself, judged under the system's plan.
    pub async fn monitor_push(
        &self,
        actor: &Actor,
        system: &str,
        input: &PushInput,
    ) -> Result<RunOutcome> {
        actor.require(Action::RecordMonitoring)?;
        let values = check_push(input).map_err(AppError::Invalid)?;
        let at = observed_at("observed_at", input.observed_at.as_deref())?;
        let label =
            aims_core::text::optional("label", input.label.as_deref(), aims_core::text::SHORT)
                .map_err(|e| AppError::invalid(e.field, e.reason))?;
        let (system, plan) = {
            let mut conn = self.read().await?;
            let system = existing_system(&mut conn, system).await?;
            let (plan, _) = plan_of(&mut conn, &system).await?;
            (system, plan)
        };
        let draft = RunDraft {
            source: RunSource::Push,
            observed_at: at,
            rows_reference: 0,
            rows_current: 0,
            current_sha256: None,
            reference_sha256: None,
            label,
            report: None,
        };
        let mut outcome = self
            .store_run(actor, &system, &plan, draft, &values)
            .await?;
        // Pushed values are partial by nature: only the rules they match are judged.
        outcome.run.unmatched.clear();
        Ok(outcome)
    }

    async fn store_run(
        &self,
        actor: &Actor,
        system: &str,
        plan: &Plan,
        draft: RunDraft,
        values: &[(String, f64)],
    ) -> Result<RunOutcome> {
        let judged = judge(&plan.rules, values);
        let mut tx = self.db.begin_write().await?;
        // The plan may have changed while the log was computed: judge under the one stored.
        let (current, secret) = plan_of(tx.conn(), system).await?;
        if current.version != plan.version {
            return Err(AppError::conflict(
                "plan",
                format!("the plan of {system} changed while the run was computed; run it again"),
            ));
        }
        let n = aims_store::counters::next(tx.conn(), Kind::MonitoringRun).await?;
        let run = Run {
            key: Kind::MonitoringRun.key(n),
            system: system.to_string(),
            source: draft.source,
            observed_at: draft.observed_at,
            rows_reference: draft.rows_reference,
            rows_current: draft.rows_current,
            current_sha256: draft.current_sha256,
            reference_sha256: draft.reference_sha256,
            report_sha256: draft.report.as_deref().map(report_digest),
            label: draft.label,
            outcome: core::worst(&judged.observations),
            observations: judged.observations,
            unmatched: if draft.source == RunSource::Push {
                Vec::new()
            } else {
                judged.unmatched
            },
            plan_version: plan.version,
            recorded_by: actor.ledger_name(),
            created_at: now(),
        };
        store::insert_run(tx.conn(), n, &run, draft.report.as_deref()).await?;
        record(
            &mut tx,
            actor,
            Kind::MonitoringRun,
            &run.key,
            "create",
            &run,
        )
        .await?;
        let alerts = raise_alerts(&mut tx, actor, &run).await?;
        let incidents = open_incidents(&mut tx, actor, &run).await?;
        tx.commit().await?;
        let mut announcements: Vec<Announcement> = alerts
            .iter()
            .map(|a| Announcement::alert(a, &run))
            .collect();
        announcements.extend(
            incidents
                .iter()
                .map(|(key, opened, metric)| Announcement::breach(key, *opened, metric, &run)),
        );
        let deliveries = match (&current.webhook_url, &secret) {
            (Some(url), Some(secret)) if !announcements.is_empty() => {
                self.announce(url, secret, &announcements).await?
            }
            _ => Vec::new(),
        };
        Ok(RunOutcome {
            alerts: alerts.into_iter().map(|a| a.key).collect(),
            incidents: incidents.into_iter().map(|(k, _, _)| k).collect(),
            deliveries,
            run,
        })
    }

    /// Posts each announcement and keeps the outcome in the delivery log.
    async fn announce(
        &self,
        url: &str,
        secret: &str,
        announcements: &[Announcement],
    ) -> Result<Vec<Delivery>> {
        let mut out = Vec::new();
        for a in announcements {
            let d = webhook::deliver(url, secret, a).await;
            let mut conn = self.db.begin_write().await?;
            store::insert_delivery(conn.conn(), &d).await?;
            conn.commit().await?;
            out.push(d);
        }
        Ok(out)
    }

    /// Acknowledges an open alert, with a note of what was done about it.
    pub async fn monitor_alert_ack(
        &self,
        actor: &Actor,
        key: &str,
        note: Option<&str>,
    ) -> Result<Alert> {
        actor.require(Action::RecordMonitoring)?;
        let key = normalise(key);
        let note = aims_core::text::optional("note", note, aims_core::text::LONG)
            .map_err(|e| AppError::invalid(e.field, e.reason))?;
        let mut tx = self.db.begin_write().await?;
        let mut a = store::alert(tx.conn(), &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("alert {key}")))?;
        if a.status != AlertStatus::Open {
            return Err(AppError::conflict(
                "status",
                format!("{key} is already acknowledged"),
            ));
        }
        a.status = AlertStatus::Acknowledged;
        a.acknowledged_by = Some(actor.username.clone());
        a.note = note;
        a.updated_at = now();
        store::update_alert(tx.conn(), &a).await?;
        record(&mut tx, actor, Kind::Alert, &a.key, "acknowledge", &a).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Alerts, newest first, of one system or all, optionally only the open ones.
    pub async fn monitor_alerts(
        &self,
        actor: &Actor,
        system: Option<&str>,
        open_only: bool,
    ) -> Result<Vec<Alert>> {
        actor.require(Action::Read)?;
        let mut conn = self.read().await?;
        let system = match system {
            Some(s) => Some(existing_system(&mut conn, s).await?),
            None => None,
        };
        Ok(store::alerts(&mut conn, system.as_deref(), open_only).await?)
    }
}

/// What a run stores beyond its judged values.
struct RunDraft {
    source: RunSource,
    observed_at: String,
    rows_reference: i64,
    rows_current: i64,
    current_sha256: Option<String>,
    reference_sha256: Option<String>,
    label: Option<String>,
    report: Option<String>,
}

/// The SHA-256 of a stored report, kept in the run's ledger state.
pub(crate) fn report_digest(report: &str) -> String {
    hex::encode(Sha256::digest(report.as_bytes()))
}
