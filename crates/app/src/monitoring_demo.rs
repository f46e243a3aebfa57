//! The demo organisation's monitoring: plans for two systems and six weekly prediction logs each,
//! generated deterministically. Card fraud detection drifts (transaction amounts grow week by
//! week until PSI breaches); consumer credit scoring drifts into unfairness (approvals of
//! applicants aged 50 and over fall until the disparate impact ratio breaches the four-fifths
//! rule). The logs are written to a temporary folder, computed through the ordinary run service
//! and removed: the runs keep their digests and reports.

use std::fmt::Write as _;
use std::path::Path;

use aims_core::monitoring::{Direction, PlanInput, Rule};
use chrono::{Duration, Utc};

use crate::monitoring::LogRun;
use crate::{Actor, App, AppError, Result};

/// A small deterministic generator (xorshift64*), so the demo is the same every time.
struct Draws(u64);

impl Draws {
    /// A generator whose state is the seed scrambled by splitmix64, so nearby seeds diverge.
    fn seeded(seed: u64) -> Draws {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Draws((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A standard normal draw (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = self.next().max(1e-12);
        let v = self.next();
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const ROWS: usize = 2_000;
const WEEKS: i64 = 6;

fn rule(metric: &str, warn: f64, breach: f64, direction: Direction) -> Rule {
    Rule {
        metric: metric.into(),
        warn: Some(warn),
        breach: Some(breach),
        direction,
    }
}

/// Week `w` of the credit log: approvals of the 50+ band fall by 6 points of ratio a week.
fn credit_log(w: i64, start: chrono::DateTime<Utc>) -> String {
    let mut d = Draws::seeded(0x5EED_0000 + w as u64);
    let mut out = String::from("ts,age_band,income,debt_ratio,score,prediction,label\n");
    let bands = ["18-29", "30-49", "50+"];
    for i in 0..ROWS {
        let band = bands[i % 3];
        let rate = if band == "50+" {
            0.45 * (1.0 - 0.06 * w as f64)
        } else {
            0.45
        };
        let approve = d.next() < rate;
        let score = if approve {
            0.5 + 0.5 * d.next()
        } else {
            0.5 * d.next()
        };
        // The outcome agrees with the model four times in five.
        let label = if d.next() < 0.8 { approve } else { !approve };
        let ts = start + Duration::seconds((i as i64) * 300);
        let _ = writeln!(
            out,
            "{},{band},{:.2},{:.3},{score:.4},{},{}",
            ts.format("%Y-%m-%dT%H:%M:%SZ"),
            42_000.0 + 9_000.0 * d.normal(),
            (0.35 + 0.1 * d.normal()).clamp(0.0, 1.0),
            u8::from(approve),
            u8::from(label)
        );
    }
    out
}

/// Week `w` of the fraud log: transaction amounts grow by 15% of week 1 a week from week 2.
fn fraud_log(w: i64, start: chrono::DateTime<Utc>) -> String {
    let mut d = Draws::seeded(0xF4A0_0000 + w as u64);
    let mut out = String::from("ts,amount,hour,merchant,score,prediction,label\n");
    let merchants = ["grocery", "travel", "online", "fuel"];
    let growth = 1.0 + 0.15 * (w - 1).max(0) as f64;
    for i in 0..ROWS {
        let fraud = d.next() < 0.03;
        let score = if fraud {
            0.55 + 0.45 * d.next()
        } else {
            0.6 * d.next().powi(3)
        };
        let predicted = score >= 0.5;
        let ts = start + Duration::seconds((i as i64) * 300);
        let _ = writeln!(
            out,
            "{},{:.2},{},{},{score:.4},{},{}",
            ts.format("%Y-%m-%dT%H:%M:%SZ"),
            (60.0 * growth * (0.8 * d.normal()).exp()).max(0.5),
            (d.next() * 24.0) as u32,
            merchants[(d.next() * 4.0) as usize % 4],
            u8::from(predicted),
            u8::from(fraud)
        );
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> Result<std::path::PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(path)
}

/// Which demo system to monitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DemoLog {
    Credit,
    Fraud,
}

/// Seeds the plan and six weekly runs of one demo system.
pub(crate) async fn seed_demo(
    app: &App,
    lead: &Actor,
    engineer: &Actor,
    which: DemoLog,
) -> Result<()> {
    let key_of = |name: &'static str| async move {
        aims_store::systems::key_by_name(&mut *app.read().await?, name)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo system {name} missing")))
    };
    let credit = key_of("Consumer credit scoring").await?;
    let fraud = key_of("Card fraud detection").await?;
    let credit_plan = PlanInput {
        schema: Some(
            "task = \"binary\"\ntimestamp = \"ts\"\nlabel = \"label\"\nprediction = \"prediction\"\n\
             score = \"score\"\nsensitive = [\"age_band\"]\nnumeric = [\"income\", \"debt_ratio\"]\n"
                .into(),
        ),
        rules: Some(vec![
            rule(
                "fairness.current.age_band.disparate_impact_ratio",
                0.9,
                0.8,
                Direction::Below,
            ),
            rule("performance.current.accuracy", 0.75, 0.65, Direction::Below),
            rule("drift.numeric.*.psi", 0.1, 0.25, Direction::Above),
        ]),
        schedule: Some("weekly".into()),
        owner: Some("rosa".into()),
        ..Default::default()
    };
    let fraud_plan = PlanInput {
        schema: Some(
            "task = \"binary\"\ntimestamp = \"ts\"\nlabel = \"label\"\nprediction = \"prediction\"\n\
             score = \"score\"\nnumeric = [\"amount\", \"hour\"]\ncategorical = [\"merchant\"]\n"
                .into(),
        ),
        rules: Some(vec![
            rule("drift.numeric.amount.psi", 0.1, 0.25, Direction::Above),
            rule("drift.categorical.merchant.psi", 0.1, 0.25, Direction::Above),
            rule("performance.current.recall", 0.5, 0.3, Direction::Below),
        ]),
        schedule: Some("weekly".into()),
        owner: Some("alan".into()),
        ..Default::default()
    };
    let (system, plan, log, last_days_ago, name) = match which {
        // Credit scoring was last run three days ago; the fraud model's run is overdue.
        DemoLog::Credit => (
            credit,
            credit_plan,
            credit_log as fn(i64, _) -> String,
            3,
            "credit",
        ),
        DemoLog::Fraud => (
            fraud,
            fraud_plan,
            fraud_log as fn(i64, _) -> String,
            10,
            "fraud",
        ),
    };
    app.monitor_plan_set(lead, &system, &plan).await?;

    let dir = std::env::temp_dir().join(format!(
        "aims-demo-logs-{}-{:x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).map_err(|e| AppError::Internal(e.to_string()))?;
    let result = async {
        let now = Utc::now();
        let first = now - Duration::days(last_days_ago + 7 * (WEEKS - 1));
        let reference = write(
            &dir,
            &format!("{name}-reference.csv"),
            &log(0, first - Duration::days(7)),
        )?;
        for w in 0..WEEKS {
            let at = first + Duration::days(7 * w);
            let current = write(
                &dir,
                &format!("{name}-week-{}.csv", w + 1),
                &log(w, at - Duration::days(7)),
            )?;
            let run = LogRun {
                current,
                reference: Some(reference.clone()),
                split_at: None,
                observed_at: Some(aims_core::time::format(at)),
                label: Some(format!("{name} predictions, week {}", w + 1)),
            };
            app.monitor_run(engineer, &system, &run).await?;
        }
        Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_logs_are_deterministic_and_shaped_as_described() {
        let start = Utc::now();
        let a = credit_log(4, start);
        assert_eq!(a, credit_log(4, start));
        assert_eq!(a.lines().count(), ROWS + 1);
        let approvals = |log: &str, band: &str| {
            let rows: Vec<&str> = log.lines().skip(1).filter(|l| l.contains(band)).collect();
            rows.iter()
                .filter(|l| l.split(',').nth(5) == Some("1"))
                .count() as f64
                / rows.len() as f64
        };
        // Week 5: the 50+ band is approved far less often than the 30-49 band.
        let ratio = approvals(&a, ",50+,") / approvals(&a, ",30-49,");
        assert!(ratio < 0.8, "{ratio}");
        let week1 = credit_log(0, start);
        let ratio = approvals(&week1, ",50+,") / approvals(&week1, ",30-49,");
        assert!(ratio > 0.9, "{ratio}");
        let mean_amount = |log: &str| {
            let v: Vec<f64> = log
                .lines()
                .skip(1)
                .filter_map(|l| l.split(',').nth(1)?.parse().ok())
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!(mean_amount(&fraud_log(5, start)) > 1.3 * mean_amount(&fraud_log(0, start)));
    }
}
