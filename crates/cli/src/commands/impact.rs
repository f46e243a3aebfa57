//! `aims impact add|list|show|update|sign`: AI system impact assessments (ISO/IEC 42001 6.1.4,
//! 8.4, A.5).

use std::collections::BTreeMap;

use aims_app::impacts::{ImpactDetail, ImpactQuery, ImpactView};
use aims_app::AppError;
use aims_core::impact::{
    FriaInput, HarmArea, HarmInput, ImpactInput, ImpactStatus, MitigationInput, SignInput,
};
use anyhow::Result;
use clap::{Args, Subcommand};

use crate::commands::list_args::{print_range, ListArgs};
use crate::commands::JsonArg;
use crate::outln;
use crate::output::{self, opt, Table};
use crate::session::Session;

#[derive(Debug, Subcommand)]
pub enum ImpactCmd {
    /// Start a new version of a system's impact assessment, as a draft; flags not given take
    /// the previous version's values.
    Add {
        /// The AI system (SYS-3).
        #[arg(long)]
        system: Option<String>,
        #[command(flatten)]
        flags: ImpactFlags,
    },
    /// List impact assessments (sort by key, system, version, status, author, signed_by or
    /// updated).
    List {
        /// Only this AI system's assessments (SYS-3).
        #[arg(long)]
        system: Option<String>,
        #[arg(long, help = format!("Only this status: {}", ImpactStatus::words().join(", ")))]
        status: Option<String>,
        #[command(flatten)]
        list: ListArgs,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Show one assessment with every version of its system's assessment.
    Show {
        /// The assessment's key (AIA-2).
        key: String,
        #[command(flatten)]
        out: JsonArg,
    },
    /// Change a draft; only the given flags change.
    Update {
        /// The assessment's key (AIA-2).
        key: String,
        #[command(flatten)]
        flags: ImpactFlags,
    },
    /// Sign a draft off as its reviewer (not its author or a contributor).
    Sign {
        /// The assessment's key (AIA-2).
        key: String,
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ImpactFlags {
    /// What the system is for and how it is used.
    #[arg(long)]
    pub intended_use: Option<String>,
    /// Reasonably foreseeable misuse.
    #[arg(long)]
    pub misuse: Option<String>,
    /// An affected individual or group; repeat for more (the list given replaces the recorded one).
    #[arg(long = "affected", value_name = "GROUP")]
    pub affected: Vec<String>,
    /// A vulnerable group; repeat for more.
    #[arg(long = "vulnerable", value_name = "GROUP")]
    pub vulnerable: Vec<String>,
    /// A harm as AREA:SEVERITY:LIKELIHOOD:DESCRIPTION (privacy:4:2:Re-identification); repeat
    /// for more areas; `AREA:` removes the area.
    #[arg(long = "harm", value_name = "HARM", help = format!("A harm as AREA:SEVERITY:LIKELIHOOD:DESCRIPTION; `AREA:` removes it. Areas: {}", HarmArea::words().join(", ")))]
    pub harms: Vec<String>,
    #[arg(long)]
    pub benefits: Option<String>,
    /// A mitigation as `DESCRIPTION | RSK-1 RSK-2 | CTL-3`; repeat for more (the list given
    /// replaces the recorded one).
    #[arg(long = "mitigation", value_name = "MITIGATION")]
    pub mitigations: Vec<String>,
    /// The impact that remains after the mitigations.
    #[arg(long)]
    pub residual: Option<String>,
    /// Fundamental-rights impact (EU AI Act Art. 27): the deployer's process.
    #[arg(long)]
    pub fria_process: Option<String>,
    /// FRIA: period and frequency of use.
    #[arg(long)]
    pub fria_period: Option<String>,
    /// FRIA: categories of persons and groups affected.
    #[arg(long)]
    pub fria_persons: Option<String>,
    /// FRIA: specific risks of harm.
    #[arg(long)]
    pub fria_risks: Option<String>,
    /// FRIA: human oversight measures.
    #[arg(long)]
    pub fria_oversight: Option<String>,
    /// FRIA: measures if the risks materialise.
    #[arg(long)]
    pub fria_measures: Option<String>,
}

/// Reads `AREA:SEVERITY:LIKELIHOOD:DESCRIPTION`; errors name `harms[AREA]` (or `harms`).
fn harm(text: &str) -> Result<(String, HarmInput), AppError> {
    let mut parts = text.splitn(4, ':');
    let area = parts.next().unwrap_or_default().trim().to_owned();
    if area.is_empty() {
        return Err(AppError::invalid(
            "harms",
            format!("'{text}' is not AREA:SEVERITY:LIKELIHOOD:DESCRIPTION"),
        ));
    }
    let rest: Vec<&str> = parts.collect();
    if rest.iter().all(|p| p.trim().is_empty()) {
        return Ok((area, HarmInput::default()));
    }
    let field = format!("harms[{area}]");
    let number = |i: usize, what: &str| -> Result<i64, AppError> {
        let t = rest.get(i).map(|s| s.trim()).unwrap_or_default();
        t.parse::<i64>().map_err(|_| {
            AppError::invalid(
                format!("{field}.{what}"),
                format!(
                    "'{t}' is not a whole number (expected AREA:SEVERITY:LIKELIHOOD:DESCRIPTION)"
                ),
            )
        })
    };
    let severity = number(0, "severity")?;
    let likelihood = number(1, "likelihood")?;
    Ok((
        area,
        HarmInput {
            description: rest.get(2).map(|d| d.trim().to_owned()),
            severity: Some(severity),
            likelihood: Some(likelihood),
        },
    ))
}

impl ImpactFlags {
    fn input(self, system: Option<String>) -> Result<ImpactInput, AppError> {
        let harms = if self.harms.is_empty() {
            None
        } else {
            let mut map = BTreeMap::new();
            for h in &self.harms {
                let (area, input) = harm(h)?;
                map.insert(area, input);
            }
            Some(map)
        };
        let fria_given = [
            &self.fria_process,
            &self.fria_period,
            &self.fria_persons,
            &self.fria_risks,
            &self.fria_oversight,
            &self.fria_measures,
        ]
        .iter()
        .any(|f| f.is_some());
        let list = |v: Vec<String>| (!v.is_empty()).then_some(v);
        Ok(ImpactInput {
            system,
            intended_use: self.intended_use,
            foreseeable_misuse: self.misuse,
            affected_groups: list(self.affected),
            vulnerable_groups: list(self.vulnerable),
            harms,
            benefits: self.benefits,
            mitigations: (!self.mitigations.is_empty()).then(|| {
                self.mitigations
                    .iter()
                    .map(|m| MitigationInput::parse_line(m))
                    .collect()
            }),
            residual_assessment: self.residual,
            fria: fria_given.then_some(FriaInput {
                deployer_process: self.fria_process,
                period_and_frequency: self.fria_period,
                persons_affected: self.fria_persons,
                specific_risks: self.fria_risks,
                human_oversight: self.fria_oversight,
                measures_if_materialised: self.fria_measures,
            }),
        })
    }
}

fn status_word(v: &ImpactView) -> String {
    match &v.superseded_by {
        Some(k) => format!("{} (superseded by {k})", v.assessment.status),
        None => v.assessment.status.to_string(),
    }
}

pub async fn run(s: &Session, cmd: ImpactCmd) -> Result<()> {
    let (app, actor) = (&s.app, &s.actor);
    match cmd {
        ImpactCmd::Add { system, flags } => {
            let v = app.impact_add(actor, &flags.input(system)?).await?;
            let a = &v.assessment;
            outln!(
                "added {} (version {} of {}'s assessment, {})",
                a.key,
                a.version,
                a.system,
                a.status
            )
        }
        ImpactCmd::List {
            system,
            status,
            list,
            out,
        } => {
            let query = ImpactQuery {
                q: list.q,
                system,
                status,
                sort: list.sort,
                page: list.page,
                per_page: list.per_page,
            };
            let found = app.impact_list(actor, &query).await?;
            let (total, page, per_page) = (found.total, found.page, found.per_page);
            let list = found.items;
            if out.json {
                return output::json(&list);
            }
            let mut table = Table::new(&[
                "key",
                "system",
                "version",
                "status",
                "author",
                "signed by",
                "updated",
            ]);
            for v in &list {
                let a = &v.assessment;
                table.row(vec![
                    a.key.clone(),
                    format!("{} {}", a.system, output::clip(&v.system_name, 30)),
                    a.version.to_string(),
                    status_word(v),
                    a.author.clone(),
                    opt(a.signed_by.as_deref()),
                    output::when(&a.updated_at),
                ]);
            }
            table.print("no impact assessments")?;
            print_range(total, page, per_page, list.len())
        }
        ImpactCmd::Show { key, out } => {
            let d = app.impact_get(actor, &key).await?;
            if out.json {
                return output::json(&d);
            }
            print_detail(&d)
        }
        ImpactCmd::Update { key, flags } => {
            let v = app.impact_update(actor, &key, &flags.input(None)?).await?;
            outln!("updated {} ({})", v.assessment.key, v.assessment.status)
        }
        ImpactCmd::Sign { key, note } => {
            let v = app.impact_sign(actor, &key, &SignInput { note }).await?;
            outln!(
                "signed {} off as {}",
                v.assessment.key,
                opt(v.assessment.signed_by.as_deref())
            )
        }
    }
}

fn print_detail(d: &ImpactDetail) -> Result<()> {
    let v = &d.view;
    let a = &v.assessment;
    let f = &a.fields;
    let mut rows = vec![
        ("key", a.key.clone()),
        ("system", format!("{} {}", a.system, v.system_name)),
        ("version", a.version.to_string()),
        ("status", status_word(v)),
    ];
    if !v.reassessment_reasons.is_empty() {
        rows.push(("system changed", v.reassessment_reasons.join("\n")));
    }
    rows.extend([
        ("author", a.author.clone()),
        ("contributors", output::join(a.contributors.iter())),
        (
            "signed off",
            match &a.signed_by {
                Some(by) => format!(
                    "{by} at {}{}",
                    output::when(a.signed_at.as_deref().unwrap_or_default()),
                    a.sign_note
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                ),
                None => String::new(),
            },
        ),
        ("method", format!("MTH-{}", a.methodology_version)),
        ("intended use", f.intended_use.clone()),
        ("misuse", opt(f.foreseeable_misuse.as_deref())),
        ("affected", f.affected_groups.join(", ")),
        ("vulnerable", f.vulnerable_groups.join(", ")),
    ]);
    let harms: Vec<String> = HarmArea::ALL
        .iter()
        .map(|area| match f.harms.get(area) {
            Some(h) => format!(
                "{area}: severity {} x likelihood {} = {} — {}",
                h.severity,
                h.likelihood,
                h.level.map_or("-", |l| l.as_str()),
                h.description
            ),
            None => format!("{area}: not assessed"),
        })
        .collect();
    rows.push(("harms", harms.join("\n")));
    rows.push(("benefits", opt(f.benefits.as_deref())));
    let mitigations: Vec<String> = f
        .mitigations
        .iter()
        .map(|m| {
            format!(
                "{} [risks: {}; controls: {}]",
                m.description,
                output::join(m.risks.iter()),
                output::join(m.controls.iter())
            )
        })
        .collect();
    rows.push(("mitigations", mitigations.join("\n")));
    rows.push(("residual", opt(f.residual_assessment.as_deref())));
    rows.push((
        "fria required",
        if v.fria_required { "yes" } else { "no" }.to_owned(),
    ));
    if let Some(fria) = &f.fria {
        let lines: Vec<String> = fria
            .fields()
            .iter()
            .map(|(k, val)| format!("{k}: {}", val.unwrap_or("-")))
            .collect();
        rows.push(("fria", lines.join("\n")));
    }
    let versions: Vec<String> = d
        .versions
        .iter()
        .map(|x| {
            format!(
                "{} version {}: {}",
                x.assessment.key,
                x.assessment.version,
                status_word(x)
            )
        })
        .collect();
    rows.push(("versions", versions.join("\n")));
    output::fields(&rows)
}
