//! The roadmap: every action with its progress, the overdue ones, and what the timeline needs.

use aims_core::action::{progress, Progress, RoadmapAction};
use aims_core::Action;
use serde::{Deserialize, Serialize};

use crate::actions::today;
use crate::{Actor, App, AppError, Result};

/// The roadmap as of `today`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Roadmap {
    /// YYYY-MM-DD, the day overdue is judged on.
    pub today: String,
    pub progress: Progress,
    /// Keys of the actions due before today that are neither done nor cancelled.
    pub overdue: Vec<String>,
    /// Every action, in key order.
    pub actions: Vec<RoadmapAction>,
    /// The earliest start and latest due date of the actions, if any.
    pub first_day: Option<String>,
    pub last_day: Option<String>,
}

/// Output formats of the roadmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoadmapFormat {
    Table,
    Markdown,
    Json,
}

impl RoadmapFormat {
    pub fn parse(word: &str) -> Result<RoadmapFormat> {
        match word.trim().to_ascii_lowercase().as_str() {
            "table" => Ok(RoadmapFormat::Table),
            "md" | "markdown" => Ok(RoadmapFormat::Markdown),
            "json" => Ok(RoadmapFormat::Json),
            other => Err(AppError::invalid(
                "format",
                format!("unknown value '{other}'; expected one of: table, md, json"),
            )),
        }
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

impl Roadmap {
    /// Builds the roadmap of `actions` as of `today`.
    pub fn of(actions: Vec<RoadmapAction>, today: chrono::NaiveDate) -> Roadmap {
        let overdue = actions
            .iter()
            .filter(|a| a.is_overdue(today))
            .map(|a| a.key.clone())
            .collect();
        Roadmap {
            today: today.to_string(),
            progress: progress(&actions),
            overdue,
            first_day: actions.iter().map(|a| a.fields.start_date.clone()).min(),
            last_day: actions.iter().map(|a| a.fields.due_date.clone()).max(),
            actions,
        }
    }

    pub fn is_overdue(&self, key: &str) -> bool {
        self.overdue.iter().any(|k| k == key)
    }

    /// The roadmap as Markdown: progress, overdue actions, then every action.
    pub fn to_markdown(&self) -> String {
        let p = &self.progress;
        let mut out = format!("# Roadmap ({})\n\n", self.today);
        out.push_str(&format!(
            "Progress: {} of {} actions done; {} of {} person-days done ({}%).\n\n",
            p.done.count, p.total.count, p.done.effort, p.total.effort, p.percent_effort
        ));
        out.push_str("| Status | Actions | Person-days |\n|---|---|---|\n");
        for s in &p.by_status {
            out.push_str(&format!("| {} | {} | {} |\n", s.label, s.count, s.effort));
        }
        out.push_str("\n## Overdue\n\n");
        if self.overdue.is_empty() {
            out.push_str("No action is overdue.\n");
        }
        for a in self.actions.iter().filter(|a| self.is_overdue(&a.key)) {
            out.push_str(&format!(
                "- {} {} (due {}, {})\n",
                a.key,
                md_cell(&a.fields.title),
                a.fields.due_date,
                a.fields.owner
            ));
        }
        out.push_str("\n## Actions\n\n");
        out.push_str(
            "| Action | Title | Owner | Start | Due | Status | Person-days | Depends on | Gap |\n",
        );
        out.push_str("|---|---|---|---|---|---|---|---|---|\n");
        for a in &self.actions {
            let f = &a.fields;
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {}{} | {} | {} | {} |\n",
                a.key,
                md_cell(&f.title),
                f.owner,
                f.start_date,
                f.due_date,
                f.status.label(),
                if self.is_overdue(&a.key) {
                    " (overdue)"
                } else {
                    ""
                },
                f.effort,
                f.depends_on.join(", "),
                f.gap.as_deref().unwrap_or("")
            ));
        }
        out
    }
}

impl App {
    /// The roadmap as of today.
    pub async fn roadmap(&self, actor: &Actor) -> Result<Roadmap> {
        actor.require(Action::Read)?;
        let actions = aims_store::actions::all(&mut *self.read().await?).await?;
        Ok(Roadmap::of(actions, today()))
    }
}

/// A demo action: title, owner, effort, status, start and due in days from today, the demo
/// actions (1-based) it depends on, and the gap it closes when the demo's analysis has it.
struct DemoAction {
    title: &'static str,
    description: &'static str,
    owner: &'static str,
    effort: i64,
    status: &'static str,
    start: i64,
    due: i64,
    depends_on: &'static [usize],
    gap: Option<&'static str>,
    requirements: &'static [&'static str],
}

const DEMO_ACTIONS: &[DemoAction] = &[
    DemoAction {
        title: "Adopt the AI risk assessment method",
        description: "Agree scales, risk appetite and who may accept which risks; publish the method.",
        owner: "grace",
        effort: 8,
        status: "done",
        start: -90,
        due: -60,
        depends_on: &[],
        gap: Some("maturity:6.1.2"),
        requirements: &["ISO42001:6.1.2"],
    },
    DemoAction {
        title: "Run impact assessments for the high-risk systems",
        description: "Assess credit scoring and CV screening for effects on applicants and society.",
        owner: "rosa",
        effort: 15,
        status: "done",
        start: -60,
        due: -20,
        depends_on: &[1],
        gap: Some("maturity:6.1.4"),
        requirements: &["ISO42001:6.1.4"],
    },
    DemoAction {
        title: "Set up fairness monitoring for credit scoring",
        description: "Monthly fairness metrics with thresholds agreed by the credit risk committee.",
        owner: "alan",
        effort: 12,
        status: "in_progress",
        start: -30,
        due: 20,
        depends_on: &[2],
        gap: Some("maturity:9.1"),
        requirements: &["ISO42001:9.1"],
    },
    DemoAction {
        title: "Train model owners on the AI policy",
        description: "Two sessions for every model owner, with attendance recorded.",
        owner: "grace",
        effort: 5,
        status: "in_progress",
        start: -40,
        due: -5,
        depends_on: &[],
        gap: Some("maturity:7.2"),
        requirements: &["ISO42001:7.2"],
    },
    DemoAction {
        title: "Due diligence of the medical imaging supplier",
        description: "Questionnaire and contract clauses for RadiAI GmbH.",
        owner: "grace",
        effort: 6,
        status: "planned",
        start: 0,
        due: 45,
        depends_on: &[],
        gap: Some("soa:A.10.3"),
        requirements: &[],
    },
    DemoAction {
        title: "Transparency notices for the customer-service assistant",
        description: "Tell users they talk to an AI system and how to reach a person.",
        owner: "rosa",
        effort: 4,
        status: "planned",
        start: 10,
        due: 40,
        depends_on: &[3],
        gap: Some("soa:A.8.2"),
        requirements: &[],
    },
    DemoAction {
        title: "Internal audit of the AI management system",
        description: "Audit every clause and the applicable Annex A controls before stage 1.",
        owner: "ida",
        effort: 10,
        status: "planned",
        start: 50,
        due: 80,
        depends_on: &[3, 5, 6],
        gap: None,
        requirements: &["ISO42001:9.2.2"],
    },
    DemoAction {
        title: "Management review before the stage 1 audit",
        description: "Review the audit results, risks, objectives and the roadmap with the executive committee.",
        owner: "grace",
        effort: 3,
        status: "planned",
        start: 85,
        due: 95,
        depends_on: &[7],
        gap: None,
        requirements: &["ISO42001:9.3"],
    },
];

/// Seeds the demo roadmap: eight actions, two done, one overdue, with dependencies, most of
/// them closing a gap of the demo's gap analysis.
pub(crate) async fn seed_demo(app: &App, actor: &Actor) -> Result<()> {
    let day = today();
    let gaps: Vec<String> = app
        .gap_report(actor)
        .await?
        .gaps
        .into_iter()
        .map(|g| g.id)
        .collect();
    let mut keys: Vec<String> = Vec::new();
    for a in DEMO_ACTIONS {
        let at = |offset: i64| (day + chrono::Duration::days(offset)).to_string();
        let input = aims_core::action::ActionInput {
            title: Some(a.title.into()),
            description: Some(a.description.into()),
            owner: Some(a.owner.into()),
            start_date: Some(at(a.start)),
            due_date: Some(at(a.due)),
            status: Some(a.status.into()),
            effort: Some(a.effort),
            depends_on: Some(
                a.depends_on
                    .iter()
                    .filter_map(|i| keys.get(i - 1).cloned())
                    .collect(),
            ),
            gap: a
                .gap
                .filter(|g| gaps.iter().any(|k| k == g))
                .map(Into::into),
            requirements: Some(a.requirements.iter().map(|r| (*r).to_owned()).collect()),
        };
        keys.push(app.action_add(actor, &input).await?.key);
    }
    Ok(())
}
