//! `aims risk add|list|show|update|assess|treat|accept|review|export`: the AI risk register
//! (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3).

use std::path::PathBuf;

use aims_app::risks::{PlanFormat, RiskDetail, RiskQuery};
use aims_app::AppError;
use aims_core::risk::register::{
    AcceptInput, AssessInput, ReviewInput, Risk, RiskCategory, RiskInput, RiskStatus, TreatInput,
};
use aims_core::risk::scoring::Score;
use aims_core::text::split_list;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum RiskCmd {
    /// Record a risk, with its inherent estimate when given.
    Add {
        #[command(flatten)]
        flags: RiskFlags,
        #[command(flatten)]
        estimate: EstimateFlags,
    },
    /// List risks.
    List {
        #[arg(long, help = format!("Only this status: {}", RiskStatus::words().join(", ")))]
        status: Option<String>,
        /// Only risks owned by this user.
        #[arg(long)]
        owner: Option<String>,
        /// Only risks of this AI system (SYS-3), or `organisation`.
        #[arg(long)]
        system: Option<String>,
        #[arg(long, help = format!("Only this category: {}", RiskCategory::words().join(", ")))]
        category: Option<String>,
        /// Only this current level: low, medium, high, critical.
        #[arg(long)]
        level: Option<String>,
        /// Only open risks in this heat map cell, LIKELIHOOD-IMPACT (4-3).
        #[arg(long)]
        cell: Option<String>,
        /// inherent (default) or residual: the estimate --cell refers to.
        #[arg(long)]
        basis: Option<String>,
        /// Only open risks whose review is overdue.
        #[arg(long)]
        overdue: bool,
        /// Sort by key (default), title, category, owner, status, level, inherent, residual or
        /// review; `-` in front (`--sort=-level`) for descending.
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        /// Page number (1-based), with --per-page.
        #[arg(long)]
        page: Option<i64>,
        /// Risks per page (1 to 500); every matching risk when absent.
        #[arg(long)]
        per_page: Option<i64>,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one risk with its scores under every method version.
    Show {
        /// The risk's key (RSK-2).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change a risk's description; only the given flags change.
    Update {
        /// The risk's key (RSK-2).
        key: String,
        #[command(flatten)]
        flags: RiskFlags,
    },
    /// Record the inherent estimate: likelihood with basis and confidence, impact per dimension.
    Assess {
        /// The risk's key (RSK-2).
        key: String,
        #[command(flatten)]
        estimate: EstimateFlags,
    },
    /// Record the treatment and, once known, the residual estimate.
    Treat {
        /// The risk's key (RSK-2).
        key: String,
        /// accept, mitigate, transfer or avoid.
        #[arg(long)]
        option: Option<String>,
        /// The treatment plan (required for mitigate).
        #[arg(long)]
        plan: Option<String>,
        /// A control key (CTL-3); repeat or separate with commas; `''` empties the list.
        #[arg(long = "control", value_name = "KEY")]
        controls: Vec<String>,
        /// Due date (YYYY-MM-DD).
        #[arg(long = "due", value_name = "DATE")]
        due_date: Option<String>,
        #[arg(long)]
        residual_likelihood: Option<i64>,
        #[arg(long)]
        residual_impact_individuals: Option<i64>,
        #[arg(long)]
        residual_impact_organisation: Option<i64>,
        #[arg(long)]
        residual_impact_society: Option<i64>,
        /// Why the residual estimate is above the inherent one (required then).
        #[arg(long)]
        residual_reason: Option<String>,
    },
    /// Accept the risk at its current level (your role must be entitled to it by the method).
    Accept {
        /// The risk's key (RSK-2).
        key: String,
        /// Why it is accepted.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record a review; the next review follows from the level's frequency.
    Review {
        /// The risk's key (RSK-2).
        key: String,
        /// The day of the review (YYYY-MM-DD); today when absent.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// Close the risk with this review.
        #[arg(long)]
        close: bool,
    },
    /// Write the risk treatment plan as CSV or XLSX.
    Export {
        /// csv or xlsx (needs --output).
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct RiskFlags {
    #[arg(long)]
    pub title: Option<String>,
    /// What could set the risk off.
    #[arg(long)]
    pub cause: Option<String>,
    /// What would happen.
    #[arg(long)]
    pub event: Option<String>,
    /// What it would lead to.
    #[arg(long)]
    pub consequence: Option<String>,
    #[arg(long, help = format!("Category: {}", RiskCategory::words().join(", ")))]
    pub category: Option<String>,
    #[arg(long)]
    pub sub_category: Option<String>,
    /// An AI system key (SYS-3); repeat or separate with commas. None: the whole organisation.
    #[arg(long = "system", value_name = "KEY")]
    pub systems: Vec<String>,
    /// An Annex C risk source (C.3.4); repeat or separate with commas.
    #[arg(long = "source", value_name = "ID")]
    pub sources: Vec<String>,
    /// An Annex C objective (C.2.5); repeat or separate with commas.
    #[arg(long = "objective", value_name = "ID")]
    pub objectives: Vec<String>,
    /// Username of the risk owner.
    #[arg(long)]
    pub owner: Option<String>,
}

#[derive(Debug, Args)]
pub struct EstimateFlags {
    #[arg(long)]
    pub likelihood: Option<i64>,
    /// incident_history, known_vulnerabilities or expert_judgement (default).
    #[arg(long = "basis")]
    pub likelihood_basis: Option<String>,
    /// low, medium (default) or high.
    #[arg(long)]
    pub confidence: Option<String>,
    #[arg(long)]
    pub impact_individuals: Option<i64>,
    #[arg(long)]
    pub impact_organisation: Option<i64>,
    #[arg(long)]
    pub impact_society: Option<i64>,
}

/// The values of a repeated flag, each split at commas; `None` when the flag was not given.
fn listed(values: Vec<String>) -> Option<Vec<String>> {
    if values.is_empty() {
        None
    } else {
        Some(values.iter().flat_map(|v| split_list(v)).collect())
    }
}

impl RiskFlags {
    fn input(self) -> RiskInput {
        RiskInput {
            title: self.title,
            cause: self.cause,
            event: self.event,
            consequence: self.consequence,
            category: self.category,
            sub_category: self.sub_category,
            systems: listed(self.systems),
            risk_sources: listed(self.sources),
            objectives: listed(self.objectives),
            owner: self.owner,
            ..Default::default()
        }
    }
}

impl EstimateFlags {
    fn input(self) -> AssessInput {
        AssessInput {
            likelihood: self.likelihood,
            likelihood_basis: self.likelihood_basis,
            confidence: self.confidence,
            impact_individuals_or_groups: self.impact_individuals,
            impact_organisation: self.impact_organisation,
            impact_society: self.impact_society,
        }
    }
}

fn score(s: &Option<Score>) -> String {
    s.map_or_else(
        || "-".into(),
        |s| format!("{} ({}x{})", s.level, s.likelihood, s.impact),
    )
}

fn level_word(r: &Risk) -> String {
    let mut out = score(&r.scores.inherent);
    if let Some(g) = r.scores.inherent_range.filter(|g| g.low != g.high) {
        out.push_str(&format!(" [{}..{}]", g.low, g.high));
    }
    out
}

pub async fn run(s: &Session, cmd: RiskCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        RiskCmd::Add { flags, estimate } => {
            let e = estimate.input();
            let input = RiskInput {
                likelihood: e.likelihood,
                likelihood_basis: e.likelihood_basis,
                confidence: e.confidence,
                impact_individuals_or_groups: e.impact_individuals_or_groups,
                impact_organisation: e.impact_organisation,
                impact_society: e.impact_society,
                ..flags.input()
            };
            let r = app.risk_add(actor, &input).await?;
            outln!(
                "added {} '{}' ({}, {})",
                r.key,
                r.fields.title,
                r.status,
                level_word(&r)
            )
        }
        RiskCmd::List {
            status,
            owner,
            system,
            category,
            level,
            cell,
            basis,
            overdue,
            sort,
            page,
            per_page,
            out,
        } => {
            let query = RiskQuery {
                status,
                owner,
                system,
                category,
                level,
                cell,
                basis,
                overdue: overdue.then(|| "true".to_owned()),
                page,
                per_page,
                sort,
            };
            let risks = app.risk_list(actor, &query).await?;
            if out.json {
                return output::json(&risks);
            }
            let mut table = Table::new(&[
                "key",
                "title",
                "scope",
                "owner",
                "inherent",
                "residual",
                "status",
                "next review",
            ]);
            for r in risks {
                let scope = if r.fields.systems.is_empty() {
                    "organisation".to_owned()
                } else {
                    output::join(r.fields.systems.iter())
                };
                table.row(vec![
                    r.key.clone(),
                    output::clip(&r.fields.title, 40),
                    scope,
                    r.fields.owner.clone(),
                    level_word(&r),
                    score(&r.scores.residual),
                    r.status.to_string(),
                    opt(r.next_review.as_deref()),
                ]);
            }
            table.print("no risks")
        }
        RiskCmd::Show { key, out } => {
            let d = app.risk_get(actor, &key).await?;
            if out.json {
                return output::json(&d);
            }
            print_risk(&d)
        }
        RiskCmd::Update { key, flags } => {
            let r = app.risk_update(actor, &key, &flags.input()).await?;
            outln!("updated {} '{}'", r.key, r.fields.title)
        }
        RiskCmd::Assess { key, estimate } => {
            let r = app.risk_assess(actor, &key, &estimate.input()).await?;
            outln!("assessed {}: inherent {}", r.key, level_word(&r))
        }
        RiskCmd::Treat {
            key,
            option,
            plan,
            controls,
            due_date,
            residual_likelihood,
            residual_impact_individuals,
            residual_impact_organisation,
            residual_impact_society,
            residual_reason,
        } => {
            let input = TreatInput {
                option,
                plan,
                controls: listed(controls),
                due_date,
                residual_likelihood,
                residual_impact_individuals_or_groups: residual_impact_individuals,
                residual_impact_organisation,
                residual_impact_society,
                residual_reason,
            };
            let r = app.risk_treat(actor, &key, &input).await?;
            outln!(
                "treated {}: {} ({}), residual {}",
                r.key,
                r.treatment.as_ref().map_or("-", |t| t.option.as_str()),
                r.status,
                score(&r.scores.residual)
            )
        }
        RiskCmd::Accept { key, reason } => {
            let r = app
                .risk_accept(actor, &key, &AcceptInput { reason })
                .await?;
            let level = r.acceptances.last().map_or("-", |a| a.level.as_str());
            outln!("accepted {} at {level} as {}", r.key, actor.role)
        }
        RiskCmd::Review {
            key,
            date,
            notes,
            close,
        } => {
            let input = ReviewInput {
                date,
                notes,
                close: Some(close),
            };
            let r = app.risk_review(actor, &key, &input).await?;
            if r.status == RiskStatus::Closed {
                outln!("reviewed and closed {}", r.key)
            } else {
                outln!(
                    "reviewed {}; next review {}",
                    r.key,
                    opt(r.next_review.as_deref())
                )
            }
        }
        RiskCmd::Export { format, output } => {
            let format = PlanFormat::parse(&format)?;
            if format == PlanFormat::Xlsx && output.is_none() {
                return Err(AppError::invalid(
                    "output",
                    "an XLSX workbook is binary; name a file with --output",
                )
                .into());
            }
            let bytes = app.risk_export(actor, format).await?;
            match output {
                Some(path) => {
                    std::fs::write(&path, bytes)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    outln!("wrote {}", path.display())
                }
                None => output::line(String::from_utf8_lossy(&bytes).trim_end_matches('\n')),
            }
        }
    }
}

fn print_risk(d: &RiskDetail) -> Result<()> {
    let r = &d.risk;
    let f = &r.fields;
    let scope = if f.systems.is_empty() {
        "the whole organisation".to_owned()
    } else {
        output::join(f.systems.iter())
    };
    let mut rows = vec![
        ("key", r.key.clone()),
        ("title", f.title.clone()),
        ("status", r.status.to_string()),
        ("scope", scope),
        ("cause", f.cause.clone()),
        ("event", f.event.clone()),
        ("consequence", f.consequence.clone()),
        (
            "category",
            match &f.sub_category {
                Some(s) => format!("{} / {s}", f.category),
                None => f.category.to_string(),
            },
        ),
        ("risk sources", output::join(f.risk_sources.iter())),
        ("objectives", output::join(f.objectives.iter())),
        ("owner", f.owner.clone()),
    ];
    if let Some(i) = &r.inherent {
        let impacts: Vec<String> = i
            .estimate
            .impact
            .iter()
            .map(|(d, v)| format!("{d} {v}"))
            .collect();
        rows.push((
            "inherent estimate",
            format!(
                "likelihood {} ({}, {} confidence); impact {}",
                i.estimate.likelihood,
                i.basis,
                i.confidence,
                impacts.join(", ")
            ),
        ));
    }
    rows.push(("inherent level", level_word(r)));
    if let Some(t) = &r.treatment {
        rows.push(("treatment", t.option.to_string()));
        rows.push(("plan", opt(t.plan.as_deref())));
        rows.push(("controls", output::join(t.controls.iter())));
        rows.push(("due", opt(t.due_date.as_deref())));
    }
    rows.push(("residual level", score(&r.scores.residual)));
    if let Some(reason) = &r.residual_reason {
        rows.push(("residual reason", reason.clone()));
    }
    let accepted: Vec<String> = r
        .acceptances
        .iter()
        .map(|a| {
            format!(
                "{} ({}) at {} under MTH-{}: {}",
                a.by, a.role, a.level, a.methodology_version, a.reason
            )
        })
        .collect();
    rows.push(("acceptances", accepted.join("\n")));
    let reviews: Vec<String> = r
        .reviews
        .iter()
        .map(|v| {
            format!(
                "{} by {}{}",
                v.on,
                v.by,
                if v.closed { " (closed)" } else { "" }
            )
        })
        .collect();
    rows.push(("reviews", reviews.join("\n")));
    rows.push(("next review", opt(r.next_review.as_deref())));
    let history: Vec<String> = d
        .score_history
        .iter()
        .map(|s| {
            format!(
                "MTH-{}: inherent {}, residual {}",
                s.methodology_version,
                score(&s.inherent),
                score(&s.residual)
            )
        })
        .collect();
    rows.push(("scores", history.join("\n")));
    if let Some(sg) = &d.incident_likelihood {
        rows.push((
            "incidents suggest",
            format!(
                "likelihood {} {} ({} incident{} in the last {} days: {}){}; not applied",
                sg.level,
                sg.label,
                sg.incidents.len(),
                if sg.incidents.len() == 1 { "" } else { "s" },
                sg.window_days,
                sg.incidents.join(", "),
                match (sg.estimate, sg.differs) {
                    (Some(e), true) => format!(", the estimate is {e}"),
                    (Some(_), false) => ", as estimated".to_string(),
                    (None, _) => String::new(),
                }
            ),
        ));
    }
    output::fields(&rows)
}
