//! Monitoring: plans refused field by field with nothing written, runs over a prediction log
//! whose metrics are known by hand, warnings to alerts (one open per system and metric), breaches
//! to incidents, pushed values, the signed webhook against a local receiver, roles and the ledger.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use aims_app::monitoring::{rules_from_toml, LogRun};
use aims_app::AppError;
use aims_core::ledger::Break;
use aims_core::monitoring::{AlertStatus, Direction, Level, PlanInput, PushInput, Rule, RunSource};
use aims_core::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{
    add_system, add_user, assert_conflict, assert_forbidden, backends, fresh, invalid_fields, ok,
    raw, root, snapshot, system_input, TempDir,
};

pub const SCHEMA: &str = r#"
task = "binary"
timestamp = "ts"
label = "label"
prediction = "prediction"
score = "score"
sensitive = ["group"]
numeric = ["x"]
"#;

/// A log of `n` rows, one an hour from 2026-01-01: labels alternate; the prediction is wrong on
/// every row `i % 4 == 3`, and also on `i % 4 == 1` when `worse`; group A on even rows.
/// Accuracy is therefore exactly 0.75, or 0.5 when `worse`.
pub fn write_log(dir: &Path, name: &str, n: usize, worse: bool) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    writeln!(f, "ts,label,prediction,score,group,x").unwrap_or_else(|e| panic!("{e}"));
    for i in 0..n {
        let label = i % 2;
        let wrong = i % 4 == 3 || (worse && i % 4 == 1);
        let pred = if wrong { 1 - label } else { label };
        let score = if pred == 1 { 0.8 } else { 0.2 };
        let group = if i % 2 == 0 { "A" } else { "B" };
        writeln!(
            f,
            "2026-01-{:02}T{:02}:00:00Z,{label},{pred},{score},{group},{}",
            1 + i / 24,
            i % 24,
            i % 10
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    path
}

pub fn accuracy_rule() -> Rule {
    Rule {
        metric: "performance.current.accuracy".into(),
        warn: Some(0.8),
        breach: Some(0.6),
        direction: Direction::Below,
    }
}

pub fn plan(owner: &str) -> PlanInput {
    PlanInput {
        schema: Some(SCHEMA.into()),
        rules: Some(vec![accuracy_rule()]),
        schedule: Some("weekly".into()),
        owner: Some(owner.into()),
        ..Default::default()
    }
}

fn log(path: &Path) -> LogRun {
    LogRun {
        current: path.to_path_buf(),
        observed_at: Some("2026-01-05T00:00:00Z".into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_plan_is_refused_field_by_field_and_nothing_is_written() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let before = snapshot(app).await;
        let bad = PlanInput {
            schema: Some("task = \"ternary\"".into()),
            rules: Some(vec![Rule {
                metric: "drift.numeric.*.psi".into(),
                warn: Some(0.3),
                breach: Some(0.2),
                direction: Direction::Above,
            }]),
            window: Some("fortnight".into()),
            schedule: Some("hourly".into()),
            owner: Some("nobody".into()),
            webhook_url: Some("ftp://x".into()),
            webhook_secret: Some("short".into()),
        };
        let fields = invalid_fields(b, app.monitor_plan_set(&root(), &sys, &bad).await);
        assert_eq!(
            fields,
            vec![
                "owner",
                "schema",
                "rules[1].warn",
                "window",
                "schedule",
                "webhook_url",
                "webhook_secret"
            ],
            "{b}"
        );
        // A window needs a timestamp; a webhook needs a secret.
        let no_ts = PlanInput {
            schema: Some("task = \"binary\"\nlabel = \"l\"\nprediction = \"p\"".into()),
            window: Some("day".into()),
            webhook_url: Some("http://127.0.0.1:9/hook".into()),
            ..plan("root")
        };
        let fields = invalid_fields(b, app.monitor_plan_set(&root(), &sys, &no_ts).await);
        assert_eq!(fields, vec!["window", "webhook_secret"], "{b}");
        assert!(matches!(
            app.monitor_plan_set(&root(), "SYS-99", &plan("root")).await,
            Err(AppError::NotFound { .. })
        ));
        assert_eq!(snapshot(app).await, before, "{b}");

        let p = ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        assert_eq!((p.version, p.rules.len()), (1, 1), "{b}");
        // The same plan again records nothing; a change makes version 2.
        let head = snapshot(app).await;
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        assert_eq!(snapshot(app).await, head, "{b}");
        let daily = PlanInput {
            schedule: Some("daily".into()),
            ..Default::default()
        };
        let p = ok(b, app.monitor_plan_set(&root(), &sys, &daily).await);
        assert_eq!((p.version, p.schedule.as_str()), (2, "daily"), "{b}");
        assert_eq!(p.schema, SCHEMA, "{b}: omitted fields are kept");
    }
}

#[tokio::test]
async fn thresholds_files_read_into_rules() {
    let rules = rules_from_toml(
        "thresholds",
        "[[threshold]]\nmetric = \"fairness.current.*.disparate_impact_ratio\"\nbreach = 0.8\ndirection = \"below\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rules[0].direction, Direction::Below);
    assert_eq!(rules[0].breach, Some(0.8));
    let with_accuracy = [rules.clone(), vec![accuracy_rule()]].concat();
    let text = aims_app::monitoring::rules_to_toml(&with_accuracy);
    assert_eq!(
        rules_from_toml("rules", &text).unwrap_or_else(|e| panic!("{e}")),
        with_accuracy
    );
    let e = rules_from_toml("thresholds", "[[threshold]]\nmetrik = \"x\"\n");
    assert!(matches!(e, Err(AppError::Invalid(v)) if v.0[0].field == "thresholds"));
}

#[tokio::test]
async fn a_run_judges_its_log_raises_alerts_and_a_breach_opens_an_incident() {
    let dir = TempDir::new();
    let good = write_log(&dir.0, "good.csv", 96, false);
    let worse = write_log(&dir.0, "worse.csv", 96, true);
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);

        // Accuracy 0.75: below the warn limit 0.8, above the breach limit 0.6.
        let first = ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        let o = &first.run.observations;
        assert_eq!(o.len(), 1, "{b}");
        assert_eq!(
            (o[0].value, o[0].level, o[0].limit),
            (0.75, Level::Warn, Some(0.8))
        );
        assert_eq!(first.run.outcome, Level::Warn, "{b}");
        assert_eq!(first.run.rows_current, 96, "{b}");
        assert_eq!(first.run.source, RunSource::File, "{b}");
        assert_eq!(first.run.label.as_deref(), Some("good.csv"), "{b}");
        let sha = first.run.current_sha256.clone().unwrap_or_default();
        assert_eq!(sha.len(), 64, "{b}");
        assert_eq!(first.alerts, vec!["ALR-1"], "{b}");
        assert!(first.incidents.is_empty(), "{b}");

        // The same warning again adds to the open alert.
        let second = ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        assert_eq!(second.alerts, vec!["ALR-1"], "{b}");
        let alerts = ok(b, app.monitor_alerts(&root(), Some(&sys), true).await);
        assert_eq!((alerts.len(), alerts[0].occurrences), (1, 2), "{b}");
        assert_eq!(alerts[0].last_run, second.run.key, "{b}");

        // Acknowledged, it stays closed; the next warning raises a new alert.
        let acked = ok(
            b,
            app.monitor_alert_ack(&root(), "alr-1", Some("Retraining"))
                .await,
        );
        assert_eq!(acked.status, AlertStatus::Acknowledged, "{b}");
        assert_conflict(
            b,
            app.monitor_alert_ack(&root(), "ALR-1", None).await,
            "status",
        );
        let third = ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        assert_eq!(third.alerts, vec!["ALR-2"], "{b}");

        // Accuracy 0.5: a breach, which opens an incident; the next breach adds to it.
        let breach = ok(b, app.monitor_run(&root(), &sys, &log(&worse)).await);
        assert_eq!(breach.run.outcome, Level::Breach, "{b}");
        assert!(breach.alerts.is_empty(), "{b}");
        assert_eq!(breach.incidents.len(), 1, "{b}");
        let again = ok(b, app.monitor_run(&root(), &sys, &log(&worse)).await);
        assert_eq!(
            again.incidents, breach.incidents,
            "{b}: one open incident per metric"
        );
        let inc = ok(b, app.incident_get(&root(), &breach.incidents[0]).await);
        assert_eq!(inc.source.as_str(), "monitoring", "{b}");
        assert_eq!(inc.incident_type.as_str(), "performance", "{b}");
        assert_eq!(inc.systems, vec![sys.clone()], "{b}");
        let monitor = inc
            .monitor
            .clone()
            .unwrap_or_else(|| panic!("{b}: no monitor ref"));
        assert_eq!(monitor.metric, "performance.current.accuracy", "{b}");
        let breaches: Vec<&str> = inc
            .timeline
            .iter()
            .filter(|e| e.kind.as_str() == "breach")
            .map(|e| e.text.as_str())
            .collect();
        assert_eq!(breaches.len(), 2, "{b}: {breaches:?}");
        assert!(
            breaches[0].contains(&breach.run.key),
            "{b}: {}",
            breaches[0]
        );
        assert!(breaches[1].contains(&again.run.key), "{b}: {}", breaches[1]);

        // The full report is kept with the run, and trends list each run's value.
        let (run, report) = ok(b, app.monitor_run_get(&root(), &first.run.key).await);
        assert_eq!(run, first.run, "{b}");
        let report = report.unwrap_or_default();
        assert_eq!(report["performance"]["current"]["accuracy"], 0.75, "{b}");
        assert!(report["fairness"]["current"]["group"].is_object(), "{b}");
        let view = ok(b, app.monitor_view(&root(), &sys).await);
        let trend: Vec<f64> = view.trends["performance.current.accuracy"]
            .iter()
            .map(|p| p.value)
            .collect();
        assert_eq!(trend, vec![0.75, 0.75, 0.75, 0.5, 0.5], "{b}");
        assert_eq!(view.runs.len(), 5, "{b}");
        let v = ok(b, app.ledger_verify(&root(), None).await);
        assert!(v.intact, "{b}: {}", v.message);
    }
}

#[tokio::test]
async fn a_log_that_cannot_be_read_stores_nothing() {
    let dir = TempDir::new();
    let missing_column = dir.0.join("bad.csv");
    std::fs::write(
        &missing_column,
        "ts,label,prediction\n2026-01-01T00:00:00Z,1,1\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let bad_label = dir.0.join("label.csv");
    std::fs::write(
        &bad_label,
        "ts,label,prediction,score,group,x\n2026-01-01T00:00:00Z,2,1,0.5,A,1\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        // No plan yet.
        let good = write_log(&dir.0, "g.csv", 8, false);
        assert_eq!(
            invalid_fields(b, app.monitor_run(&root(), &sys, &log(&good)).await),
            vec!["system"]
        );
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        let before = snapshot(app).await;
        for (file, words) in [
            (&missing_column, "score"),
            (&bad_label, "label"),
            (&dir.0.join("absent.csv"), "absent.csv"),
        ] {
            match app.monitor_run(&root(), &sys, &log(file)).await {
                Err(AppError::Invalid(e)) => assert!(
                    e.0[0].reason.contains(words),
                    "{b}: {} does not name {words}",
                    e.0[0].reason
                ),
                other => panic!("{b}: expected Invalid, got {other:?}"),
            }
        }
        let both = LogRun {
            reference: Some(good.clone()),
            split_at: Some("2026-01-01T00:00:00Z".into()),
            ..log(&good)
        };
        assert_eq!(
            invalid_fields(b, app.monitor_run(&root(), &sys, &both).await),
            vec!["split_at"]
        );
        assert_eq!(snapshot(app).await, before, "{b}");
    }
}

#[tokio::test]
async fn pipelines_push_values_judged_under_the_plan() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        let ml = add_user(app, "mia", Role::Contributor).await;
        let viewer = add_user(app, "vic", Role::Viewer).await;
        let mut push = PushInput {
            metrics: BTreeMap::from([
                ("performance.current.accuracy".to_string(), 0.91),
                ("custom.latency_ms".to_string(), 120.0),
            ]),
            observed_at: Some("2026-02-01T00:00:00Z".into()),
            label: Some("nightly-eval #42".into()),
        };
        let out = ok(b, app.monitor_push(&ml, &sys, &push).await);
        assert_eq!(out.run.source, RunSource::Push, "{b}");
        assert_eq!(out.run.outcome, Level::Ok, "{b}");
        assert_eq!(
            out.run.observations.len(),
            1,
            "{b}: only watched values are judged"
        );
        assert_eq!(out.run.observed_at, "2026-02-01T00:00:00.000000Z", "{b}");
        assert_eq!(out.run.recorded_by, "mia", "{b}");
        assert_forbidden(b, app.monitor_push(&viewer, &sys, &push).await);
        assert_forbidden(b, app.monitor_plan_set(&ml, &sys, &plan("root")).await);
        push.metrics.insert("drift.*.psi".into(), 0.1);
        push.observed_at = Some("yesterday".into());
        assert_eq!(
            invalid_fields(b, app.monitor_push(&ml, &sys, &push).await),
            vec!["metrics.drift.*.psi"]
        );
        push.metrics.remove("drift.*.psi");
        assert_eq!(
            invalid_fields(b, app.monitor_push(&ml, &sys, &push).await),
            vec!["observed_at"]
        );
    }
}

/// A one-shot HTTP receiver: answers 204 to each post and hands back the headers and body.
async fn receiver() -> (String, tokio::sync::mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let (send, recv) = tokio::sync::mpsc::channel(16);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body) = loop {
                let n = sock.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), Vec::new());
                }
                buf.extend_from_slice(&chunk[..n]);
                let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                    continue;
                };
                let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while buf.len() < end + 4 + len {
                    let n = sock.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                break (head, buf[end + 4..].to_vec());
            };
            let _ = sock
                .write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n")
                .await;
            let _ = send.send((head, body)).await;
        }
    });
    (format!("http://{addr}/hooks/aims"), recv)
}

#[tokio::test]
async fn alerts_and_breaches_are_posted_signed_to_the_webhook() {
    let dir = TempDir::new();
    let good = write_log(&dir.0, "good.csv", 48, false);
    let worse = write_log(&dir.0, "worse.csv", 48, true);
    let secret = "s3cret-for-the-hook";
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        let (url, mut posts) = receiver().await;
        let with_hook = PlanInput {
            webhook_url: Some(url.clone()),
            webhook_secret: Some(secret.into()),
            ..plan("root")
        };
        let p = ok(b, app.monitor_plan_set(&root(), &sys, &with_hook).await);
        assert!(p.webhook_secret_set, "{b}");
        let ledger = ok(
            b,
            app.ledger_log(&root(), Some(&format!("MON:{sys}")), None, None)
                .await,
        );
        assert!(
            !ledger[0].data.contains(secret),
            "{b}: the secret stays out of the ledger"
        );

        let out = ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        assert_eq!(out.deliveries.len(), 1, "{b}");
        assert_eq!(out.deliveries[0].status_code, Some(204), "{b}");
        let (head, body) = posts.recv().await.unwrap_or_default();
        assert!(
            head.contains("x-aims-event: monitoring.alert"),
            "{b}: {head}"
        );
        let sig = head
            .lines()
            .find_map(|l| l.strip_prefix("x-aims-signature:"))
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        assert!(aims_app::webhook::verify(secret, &sig, &body), "{b}: {sig}");
        assert!(!aims_app::webhook::verify(
            "another-secret-123",
            &sig,
            &body
        ));
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(json["subject"], "ALR-1", "{b}");
        assert_eq!(json["value"], 0.75, "{b}");

        let out = ok(b, app.monitor_run(&root(), &sys, &log(&worse)).await);
        let (head, body) = posts.recv().await.unwrap_or_default();
        assert!(
            head.contains("x-aims-event: monitoring.breach"),
            "{b}: {head}"
        );
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(json["subject"], out.incidents[0].as_str(), "{b}");
        assert_eq!(json["opened"], true, "{b}");

        // A receiver that is down does not undo the run; the failure is logged.
        let down = PlanInput {
            webhook_url: Some("http://127.0.0.1:9/closed".into()),
            ..Default::default()
        };
        ok(b, app.monitor_plan_set(&root(), &sys, &down).await);
        let out = ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        assert!(out.deliveries[0].error.is_some(), "{b}");
        let view = ok(b, app.monitor_view(&root(), &sys).await);
        assert_eq!(view.deliveries.len(), 3, "{b}");
        assert_eq!(view.runs[0].key, out.run.key, "{b}");
    }
}

#[tokio::test]
async fn the_ledger_covers_plans_runs_reports_and_alerts() {
    let dir = TempDir::new();
    let good = write_log(&dir.0, "good.csv", 24, false);
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        let out = ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        assert!(ok(b, app.ledger_verify(&root(), None).await).intact, "{b}");
        raw(
            app,
            &format!(
                "UPDATE monitoring_runs SET report = '{{}}' WHERE key = '{}'",
                out.run.key
            ),
        )
        .await;
        let v = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&v.problem, Some(Break::EntityMismatch { key, .. }) if key == &out.run.key),
            "{b}: {:?}",
            v.problem
        );
        raw(app, "UPDATE monitoring_runs SET report = NULL").await;
        raw(app, "UPDATE monitoring_observations SET value = 0.99").await;
        let v = ok(b, app.ledger_verify(&root(), None).await);
        assert!(
            matches!(&v.problem, Some(Break::EntityMismatch { key, .. }) if key == &out.run.key),
            "{b}: {:?}",
            v.problem
        );
    }
}

#[tokio::test]
async fn auditors_read_monitoring_but_change_nothing() {
    let dir = TempDir::new();
    let good = write_log(&dir.0, "good.csv", 24, false);
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        ok(b, app.monitor_run(&root(), &sys, &log(&good)).await);
        let auditor = add_user(app, "aud", Role::Auditor).await;
        assert_forbidden(b, app.monitor_run(&auditor, &sys, &log(&good)).await);
        assert_forbidden(b, app.monitor_alert_ack(&auditor, "ALR-1", None).await);
        let overview = ok(b, app.monitor_overview(&auditor).await);
        assert_eq!(overview.len(), 1, "{b}");
        assert_eq!(overview[0].open_alerts, 1, "{b}");
        assert_eq!(
            overview[0].last_observed.as_deref(),
            Some("2026-01-05T00:00:00.000000Z"),
            "{b}"
        );
        assert_eq!(overview[0].next_due.as_deref(), Some("2026-01-12"), "{b}");
        assert!(overview[0].overdue, "{b}");
    }
}

#[tokio::test]
async fn a_run_tells_its_progress_from_fingerprint_to_storage() {
    use aims_app::monitoring::RunStage;
    use std::sync::{Arc, Mutex};

    let dir = TempDir::new();
    let good = write_log(&dir.0, "good.csv", 96, false);
    let size = std::fs::metadata(&good).map_or(0, |m| m.len());
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let sys = add_system(app, &system_input("Scoring")).await;
        ok(b, app.monitor_plan_set(&root(), &sys, &plan("root")).await);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let progress: aims_app::monitoring::RunProgress = Arc::new(move |stage| {
            if let Ok(mut s) = sink.lock() {
                s.push(stage);
            }
        });
        let out = app
            .monitor_run_with_progress(&root(), &sys, &log(&good), Some(progress))
            .await;
        ok(b, out);
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        // The file is read once for its fingerprint, then the core group and the one numeric
        // feature are computed, then the run is stored.
        assert_eq!(
            seen,
            vec![
                RunStage::Hashing {
                    done: 0,
                    total: size
                },
                RunStage::Hashing {
                    done: size,
                    total: size
                },
                RunStage::Computing { done: 1, total: 2 },
                RunStage::Computing { done: 2, total: 2 },
                RunStage::Storing,
            ],
            "{b}"
        );
    }
}
