//! Incidents (`INC-n`): report, work through the workflow, analyse the root cause, link risks
//! and controls, and track the serious-incident reporting deadline. Monitoring breaches open an
//! incident, or add to the open one of the same system and metric ([`record_breach`]).

use aims_core::incident::{
    check_transition, instant, key_of, Incident, IncidentInput, IncidentSource, IncidentStatus,
    IncidentType, IncidentView, MonitorRef, RcaInput, TimelineEntry, TimelineKind,
};
use aims_core::keys::{normalise, Kind};
use aims_core::ledger::actions;
use aims_core::{Action, ValidationErrors};
use aims_store::incidents::{self as store, Filter, Sort};
use aims_store::listing::{Order, Page};
use aims_store::{Conn, WriteTx};

use crate::listing::{self, blank};
use crate::record::{now, record};
use crate::{Actor, App, AppError, Result};

/// A list request as it arrives from the API, a page or the CLI.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Text in the key, title or description (any case).
    pub q: Option<String>,
    /// reported, triaged, investigating, contained, resolved or closed.
    pub status: Option<String>,
    /// `true`: only incidents neither resolved nor closed.
    pub open: Option<bool>,
    /// 1 (critical) to 4 (low).
    pub severity: Option<i64>,
    /// performance, bias_fairness, safety, security, privacy, misuse, transparency, other.
    pub incident_type: Option<String>,
    /// The owner's username.
    pub owner: Option<String>,
    /// An affected AI system (`SYS-n`).
    pub system: Option<String>,
    /// `true`: only serious incidents.
    pub serious: Option<bool>,
    /// `key` (default `-key`: newest first), `title`, `severity`, `type`, `status` or `owner`;
    /// `-` in front for descending.
    pub sort: Option<String>,
    /// 1-based page; 50 per page unless `per_page` is given.
    pub page: Option<i64>,
    /// Incidents per page (1 to 500); every match when neither this nor `page` is given.
    pub per_page: Option<i64>,
}

const SORTS: &[(&str, Sort)] = &[
    ("key", Sort::Key),
    ("title", Sort::Title),
    ("severity", Sort::Severity),
    ("type", Sort::Type),
    ("status", Sort::Status),
    ("owner", Sort::Owner),
];

impl IncidentQuery {
    fn parse(&self) -> Result<(Filter, Order<Sort>, Option<Page>)> {
        let mut e = ValidationErrors::default();
        let status = blank(&self.status).and_then(|w| e.take(IncidentStatus::parse("status", &w)));
        let incident_type = blank(&self.incident_type)
            .and_then(|w| e.take(IncidentType::parse("incident_type", &w)));
        let severity = self
            .severity
            .and_then(|s| e.take(aims_core::incident::severity("severity", s)));
        let order = listing::sort(&mut e, &self.sort, SORTS, Order::desc(Sort::Key));
        let page = listing::page(&mut e, self.page, self.per_page);
        e.into_result(|| {
            (
                Filter {
                    status,
                    open: self.open.unwrap_or(false),
                    severity,
                    incident_type,
                    owner: blank(&self.owner),
                    system: blank(&self.system).map(|s| normalise(&s)),
                    serious: self.serious.unwrap_or(false),
                    text: blank(&self.q),
                },
                order,
                page,
            )
        })
        .map_err(Into::into)
    }
}

/// One page of incidents (every match without `per_page`) and how many match in all.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct IncidentList {
    pub items: Vec<IncidentView>,
    pub total: i64,
    /// The page shown (1 when every match is).
    pub page: i64,
    /// Absent when every match is shown.
    pub per_page: Option<i64>,
    /// The board: every incident (whatever the filters) counted per status, in workflow order.
    pub board: Vec<StatusCount>,
}

/// How many incidents stand at one status.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    #[schema(value_type = String)]
    pub status: IncidentStatus,
    pub count: i64,
}

/// A status change as requested.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MoveInput {
    /// The new status.
    pub to: String,
    /// Why; required when skipping straight to resolved.
    pub note: Option<String>,
}

/// Risks and controls to link to an incident or unlink from it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    /// `RSK-n` and `CTL-n` keys to link.
    #[serde(default)]
    pub add: Vec<String>,
    /// `RSK-n` and `CTL-n` keys to unlink.
    #[serde(default)]
    pub remove: Vec<String>,
}

/// A threshold breach found by a monitoring run.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Breach {
    /// The AI system (`SYS-n`).
    pub system: String,
    /// The metric, its family first (`fairness.age_group.demographic_parity_difference`).
    pub metric: String,
    /// The run that found it (`RUN-4`).
    pub run: Option<String>,
    pub value: f64,
    pub threshold: f64,
    /// When it was found (RFC 3339 or YYYY-MM-DD).
    pub at: String,
    pub detail: String,
}

/// The type and severity of an incident opened for a breach of `metric`, by the metric's family
/// (the part before the first dot): fairness is bias_fairness at severity 2 (people may be
/// treated unfairly now); performance and drift are performance at severity 3 (a drifting model
/// is about to perform worse); quality (of the input data) and anything else is other at 3.
pub fn breach_class(metric: &str) -> (IncidentType, i64) {
    let family = metric.split('.').next().unwrap_or_default().trim();
    match family.to_ascii_lowercase().as_str() {
        "fairness" => (IncidentType::BiasFairness, 2),
        "performance" | "drift" => (IncidentType::Performance, 3),
        _ => (IncidentType::Other, 3),
    }
}

fn breach_text(b: &Breach) -> String {
    let run = b
        .run
        .as_deref()
        .map_or(String::new(), |r| format!(" ({r})"));
    let detail = if b.detail.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", b.detail.trim())
    };
    format!(
        "{} = {} breached its threshold {}{run}{detail}",
        b.metric, b.value, b.threshold
    )
}

/// Checks that `owner` is an active user whose role may write incidents.
async fn check_owner(conn: &mut Conn, owner: &str) -> Result<()> {
    let user = App::existing_user(conn, "owner", owner).await?;
    if !user.role.permits(Action::WriteIncidents) {
        return Err(AppError::invalid(
            "owner",
            format!(
                "user '{owner}' is a {} and may not work incidents",
                user.role
            ),
        ));
    }
    Ok(())
}

/// Checks that every system exists, naming `systems[i]`.
async fn check_systems(conn: &mut Conn, systems: &[String]) -> Result<()> {
    let mut e = ValidationErrors::default();
    for (i, s) in systems.iter().enumerate() {
        if aims_store::systems::get(conn, s).await?.is_none() {
            e.push(format!("systems[{i}]"), format!("no AI system {s}"));
        }
    }
    e.into_result(|| ()).map_err(Into::into)
}

fn entry(actor: &Actor, kind: TimelineKind, text: impl Into<String>) -> TimelineEntry {
    TimelineEntry {
        at: now(),
        author: actor.ledger_name(),
        kind,
        text: text.into(),
    }
}

/// Writes a changed incident and its ledger event.
async fn save(tx: &mut WriteTx, actor: &Actor, incident: &Incident, action: &str) -> Result<()> {
    store::update(tx.conn(), incident).await?;
    record(tx, actor, Kind::Incident, &incident.key, action, incident).await?;
    Ok(())
}

async fn load(tx: &mut WriteTx, key: &str) -> Result<Incident> {
    store::get(tx.conn(), key)
        .await?
        .ok_or_else(|| AppError::not_found(format!("incident {key}")))
}

/// Opens an incident for the breach (source monitoring; type and severity from
/// [`breach_class`]; owner the system's owner when they may work incidents, else the actor) or,
/// when an incident for the same system and metric is still open (neither resolved nor closed),
/// adds the breach to its timeline. Runs inside the caller's transaction. Returns the incident
/// key and whether it was opened now.
pub(crate) async fn record_breach(
    tx: &mut WriteTx,
    actor: &Actor,
    breach: &Breach,
) -> Result<(String, bool)> {
    actor.require(Action::WriteIncidents)?;
    let system = key_of("system", Kind::AiSystem, &breach.system)?;
    let metric = aims_core::text::required("metric", Some(&breach.metric))?;
    let at = instant("at", &breach.at)?;
    let row = aims_store::systems::get(tx.conn(), &system)
        .await?
        .ok_or_else(|| AppError::invalid("system", format!("no AI system {system}")))?;
    let line = entry(actor, TimelineKind::Breach, breach_text(breach));
    if let Some(mut open) = store::open_for_metric(tx.conn(), &system, &metric).await? {
        open.timeline.push(line);
        open.updated_at = now();
        save(tx, actor, &open, actions::UPDATE).await?;
        return Ok((open.key, false));
    }
    let owner = if check_owner(tx.conn(), &row.system.fields.owner)
        .await
        .is_ok()
    {
        row.system.fields.owner.clone()
    } else {
        check_owner(tx.conn(), &actor.username).await?;
        actor.username.clone()
    };
    let (incident_type, severity) = breach_class(&metric);
    let n = aims_store::counters::next(tx.conn(), Kind::Incident).await?;
    let stamp = now();
    let incident = Incident {
        key: Kind::Incident.key(n),
        title: format!("{metric} breached on {system}"),
        description: breach_text(breach),
        source: IncidentSource::Monitoring,
        incident_type,
        severity,
        systems: vec![system.clone()],
        occurred_at: at.clone(),
        detected_at: at,
        owner,
        status: IncidentStatus::Reported,
        serious: None,
        root_cause: Default::default(),
        lessons_learned: None,
        risks: Vec::new(),
        controls: Vec::new(),
        monitor: Some(MonitorRef { system, metric }),
        timeline: vec![
            entry(actor, TimelineKind::Reported, "opened by monitoring"),
            line,
        ],
        created_at: stamp.clone(),
        updated_at: stamp,
    };
    store::insert(tx.conn(), n, &incident).await?;
    record(
        tx,
        actor,
        Kind::Incident,
        &incident.key,
        actions::CREATE,
        &incident,
    )
    .await?;
    Ok((incident.key, true))
}

/// Checks that each key is an existing risk or control; returns them split by kind.
async fn check_links(
    conn: &mut Conn,
    keys: &[String],
    field: &str,
) -> Result<(Vec<String>, Vec<String>)> {
    let mut e = ValidationErrors::default();
    let (mut risks, mut controls) = (Vec::new(), Vec::new());
    for (i, k) in keys.iter().enumerate() {
        let key = normalise(k);
        let f = format!("{field}[{i}]");
        match Kind::of_key(&key) {
            Some(Kind::Risk) => {
                if aims_store::risks::get(conn, &key).await?.is_none() {
                    e.push(f, format!("no risk {key}"));
                } else {
                    risks.push(key);
                }
            }
            Some(Kind::Control) => {
                if aims_store::controls::get(conn, &key).await?.is_none() {
                    e.push(f, format!("no control {key}"));
                } else {
                    controls.push(key);
                }
            }
            _ => e.push(
                f,
                format!(
                    "'{}' is neither a risk (RSK-n) nor a control (CTL-n)",
                    k.trim()
                ),
            ),
        }
    }
    e.into_result(|| (risks, controls)).map_err(Into::into)
}

impl App {
    /// Reports an incident.
    pub async fn incident_add(&self, actor: &Actor, input: &IncidentInput) -> Result<Incident> {
        actor.require(Action::WriteIncidents)?;
        let stamp = now();
        let f = input.read(None, &stamp)?;
        let mut tx = self.db.begin_write().await?;
        check_owner(tx.conn(), &f.owner).await?;
        check_systems(tx.conn(), &f.systems).await?;
        let n = aims_store::counters::next(tx.conn(), Kind::Incident).await?;
        let mut timeline = vec![entry(
            actor,
            TimelineKind::Reported,
            format!("reported ({})", f.source.label().to_lowercase()),
        )];
        if let Some(s) = &f.serious {
            timeline.push(entry(
                actor,
                TimelineKind::Serious,
                format!("marked a serious incident: {}", s.basis.label()),
            ));
        }
        let incident = Incident {
            key: Kind::Incident.key(n),
            title: f.title,
            description: f.description,
            source: f.source,
            incident_type: f.incident_type,
            severity: f.severity,
            systems: f.systems,
            occurred_at: f.occurred_at,
            detected_at: f.detected_at,
            owner: f.owner,
            status: IncidentStatus::Reported,
            serious: f.serious,
            root_cause: Default::default(),
            lessons_learned: None,
            risks: Vec::new(),
            controls: Vec::new(),
            monitor: None,
            timeline,
            created_at: stamp.clone(),
            updated_at: stamp,
        };
        store::insert(tx.conn(), n, &incident).await?;
        record(
            &mut tx,
            actor,
            Kind::Incident,
            &incident.key,
            actions::CREATE,
            &incident,
        )
        .await?;
        tx.commit().await?;
        Ok(incident)
    }

    /// Changes the fields given (including the serious-incident basis and the report to the
    /// authority); an unchanged incident records nothing.
    pub async fn incident_update(
        &self,
        actor: &Actor,
        key: &str,
        input: &IncidentInput,
    ) -> Result<Incident> {
        actor.require(Action::WriteIncidents)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let current = load(&mut tx, &key).await?;
        let f = input.read(Some(&current), &now())?;
        if f.owner != current.owner {
            check_owner(tx.conn(), &f.owner).await?;
        }
        if f.systems != current.systems {
            check_systems(tx.conn(), &f.systems).await?;
        }
        let mut next = Incident {
            title: f.title,
            description: f.description,
            source: f.source,
            incident_type: f.incident_type,
            severity: f.severity,
            systems: f.systems,
            occurred_at: f.occurred_at,
            detected_at: f.detected_at,
            owner: f.owner,
            serious: f.serious,
            ..current.clone()
        };
        if next == current {
            return Ok(current);
        }
        if next.serious != current.serious {
            let text = match (&current.serious, &next.serious) {
                (_, None) => "no longer a serious incident".to_owned(),
                (Some(a), Some(b)) if a.basis == b.basis => match &b.reported_to_authority_at {
                    Some(at) => format!("reported to the authority at {at}"),
                    None => "report to the authority withdrawn".to_owned(),
                },
                (_, Some(b)) => format!("marked a serious incident: {}", b.basis.label()),
            };
            next.timeline
                .push(entry(actor, TimelineKind::Serious, text));
        }
        let other_change = Incident {
            serious: current.serious.clone(),
            timeline: current.timeline.clone(),
            ..next.clone()
        } != current;
        if other_change {
            next.timeline
                .push(entry(actor, TimelineKind::Edit, "details changed"));
        }
        next.updated_at = now();
        save(&mut tx, actor, &next, actions::UPDATE).await?;
        tx.commit().await?;
        Ok(next)
    }

    /// Moves an incident to `input.to` under the workflow rules of
    /// [`aims_core::incident::check_transition`].
    pub async fn incident_move(
        &self,
        actor: &Actor,
        key: &str,
        input: &MoveInput,
    ) -> Result<Incident> {
        actor.require(Action::WriteIncidents)?;
        let to = IncidentStatus::parse("to", &input.to)?;
        let note = aims_core::text::optional("note", input.note.as_deref(), aims_core::text::LONG)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut incident = load(&mut tx, &key).await?;
        check_transition(
            incident.status,
            to,
            note.as_deref(),
            &incident.root_cause,
            incident.lessons_learned.as_deref(),
        )
        .map_err(AppError::Conflict)?;
        let verb =
            if incident.status == IncidentStatus::Resolved && to == IncidentStatus::Investigating {
                "reopened"
            } else {
                "moved"
            };
        let mut text = format!("{verb} from {} to {to}", incident.status);
        if let Some(n) = &note {
            text.push_str(": ");
            text.push_str(n);
        }
        incident.status = to;
        incident
            .timeline
            .push(entry(actor, TimelineKind::Transition, text));
        incident.updated_at = now();
        save(&mut tx, actor, &incident, actions::UPDATE).await?;
        tx.commit().await?;
        Ok(incident)
    }

    /// Adds a note to the timeline.
    pub async fn incident_note(&self, actor: &Actor, key: &str, text: &str) -> Result<Incident> {
        actor.require(Action::WriteIncidents)?;
        let text = aims_core::text::required_long("text", Some(text))?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut incident = load(&mut tx, &key).await?;
        incident
            .timeline
            .push(entry(actor, TimelineKind::Note, text));
        incident.updated_at = now();
        save(&mut tx, actor, &incident, actions::UPDATE).await?;
        tx.commit().await?;
        Ok(incident)
    }

    /// Records the root cause analysis and lessons learned (the fields given).
    pub async fn incident_rca(
        &self,
        actor: &Actor,
        key: &str,
        input: &RcaInput,
    ) -> Result<Incident> {
        actor.require(Action::WriteIncidents)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut incident = load(&mut tx, &key).await?;
        let (root_cause, lessons) =
            input.read(&incident.root_cause, incident.lessons_learned.as_deref())?;
        if root_cause == incident.root_cause && lessons == incident.lessons_learned {
            return Ok(incident);
        }
        let mut parts = Vec::new();
        if root_cause != incident.root_cause {
            parts.push(format!(
                "root cause: {} why(s), category {}",
                root_cause.whys.len(),
                root_cause.category.map_or("none", |c| c.as_str())
            ));
        }
        if lessons != incident.lessons_learned {
            parts.push("lessons learned recorded".to_owned());
        }
        incident.root_cause = root_cause;
        incident.lessons_learned = lessons;
        incident
            .timeline
            .push(entry(actor, TimelineKind::Rca, parts.join("; ")));
        incident.updated_at = now();
        save(&mut tx, actor, &incident, actions::UPDATE).await?;
        tx.commit().await?;
        Ok(incident)
    }

    /// Links risks and controls to an incident, or unlinks them; each must exist.
    pub async fn incident_link(
        &self,
        actor: &Actor,
        key: &str,
        input: &LinkInput,
    ) -> Result<Incident> {
        actor.require(Action::WriteIncidents)?;
        let key = normalise(key);
        let mut tx = self.db.begin_write().await?;
        let mut incident = load(&mut tx, &key).await?;
        let (add_r, add_c) = check_links(tx.conn(), &input.add, "add").await?;
        let remove: Vec<String> = input.remove.iter().map(|k| normalise(k)).collect();
        let before = (incident.risks.clone(), incident.controls.clone());
        incident.risks.retain(|r| !remove.contains(r));
        incident.controls.retain(|c| !remove.contains(c));
        for r in add_r {
            if !incident.risks.contains(&r) {
                incident.risks.push(r);
            }
        }
        for c in add_c {
            if !incident.controls.contains(&c) {
                incident.controls.push(c);
            }
        }
        if (incident.risks.clone(), incident.controls.clone()) == before {
            return Ok(incident);
        }
        let all: Vec<String> = incident
            .risks
            .iter()
            .chain(&incident.controls)
            .cloned()
            .collect();
        let text = if all.is_empty() {
            "links: none".to_owned()
        } else {
            format!("links: {}", all.join(", "))
        };
        incident
            .timeline
            .push(entry(actor, TimelineKind::Link, text));
        incident.updated_at = now();
        save(&mut tx, actor, &incident, actions::LINK).await?;
        tx.commit().await?;
        Ok(incident)
    }

    pub async fn incident_get(&self, actor: &Actor, key: &str) -> Result<Incident> {
        actor.require(Action::Read)?;
        let key = normalise(key);
        store::get(&mut *self.read().await?, &key)
            .await?
            .ok_or_else(|| AppError::not_found(format!("incident {key}")))
    }

    /// The incidents matching the query, newest first, each with its countdown.
    pub async fn incident_list(
        &self,
        actor: &Actor,
        query: &IncidentQuery,
    ) -> Result<IncidentList> {
        actor.require(Action::Read)?;
        let (filter, order, page) = query.parse()?;
        let mut conn = self.read().await?;
        let (items, total) = store::list(&mut conn, &filter, order, page).await?;
        let counted =
            aims_store::dashboards::by_status(&mut conn, aims_store::dashboards::Table::Incidents)
                .await?;
        let board = IncidentStatus::ALL
            .iter()
            .map(|s| StatusCount {
                status: *s,
                count: counted
                    .iter()
                    .find(|(w, _)| w == s.as_str())
                    .map_or(0, |(_, c)| *c),
            })
            .collect();
        let today = crate::actions::today();
        let l = listing::listed(items, total, page);
        Ok(IncidentList {
            items: l.items.into_iter().map(|i| i.view(today)).collect(),
            total: l.total,
            page: l.page,
            per_page: l.per_page,
            board,
        })
    }

    /// [`record_breach`] in a transaction of its own.
    pub async fn incident_record_breach(
        &self,
        actor: &Actor,
        breach: &Breach,
    ) -> Result<(String, bool)> {
        let mut tx = self.db.begin_write().await?;
        let out = record_breach(&mut tx, actor, breach).await?;
        tx.commit().await?;
        Ok(out)
    }
}
