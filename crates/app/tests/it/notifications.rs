//! Notifications per person, the role dashboards, e-mail addresses, and digests sent to a real
//! local SMTP server (Python's aiosmtpd).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use aims_app::mail::SmtpSettings;
use aims_app::users::UserUpdate;
use aims_core::action::ActionInput;
use aims_core::inventory::SystemInput;
use aims_core::notification::Area;
use aims_core::Role;

use crate::harness::{
    actor, add_user, assert_forbidden, assert_invalid, backends, fresh, ok, root, TempDir,
};

fn keys(n: &aims_app::notifications::Notifications) -> Vec<(String, Area, bool)> {
    n.items
        .iter()
        .map(|i| (i.key.clone(), i.area, i.overdue))
        .collect()
}

fn action(title: &str, owner: &str, due: &str) -> ActionInput {
    ActionInput {
        title: Some(title.into()),
        owner: Some(owner.into()),
        start_date: Some("2020-01-01".into()),
        due_date: Some(due.into()),
        effort: Some(1),
        ..Default::default()
    }
}

#[tokio::test]
async fn each_person_sees_what_is_due_for_them() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.seed_demo(&root()).await);
        let rosa = actor("rosa", Role::RiskOwner);
        let n = ok(b, app.notifications(&rosa).await);
        let k = keys(&n);
        // RSK-4's review fell due in 2025; SYS-4's weekly run is late.
        assert!(
            k.contains(&("RSK-4".into(), Area::RiskReview, true)),
            "{b}: {k:?}"
        );
        assert!(
            k.iter()
                .any(|(key, a, _)| key == "SYS-4" && *a == Area::MonitoringRun),
            "{b}: {k:?}"
        );
        assert_eq!(n.overdue, k.iter().filter(|i| i.2).count(), "{b}");
        assert!(k.first().is_some_and(|i| i.2), "{b}: overdue first");
        let rsk = n.items.iter().find(|i| i.key == "RSK-4");
        assert_eq!(rsk.map(|i| i.link.as_str()), Some("/risks/RSK-4"), "{b}");

        // The governance lead gets every serious-incident deadline; the auditor nothing.
        let grace = ok(
            b,
            app.notifications(&actor("grace", Role::GovernanceLead))
                .await,
        );
        assert!(
            keys(&grace).contains(&("INC-2".into(), Area::IncidentReport, false)),
            "{b}: {:?}",
            keys(&grace)
        );
        let ida = ok(b, app.notifications(&actor("ida", Role::Auditor)).await);
        assert!(ida.items.is_empty(), "{b}: {:?}", keys(&ida));

        // A new action of the auditor's, overdue; once done it is gone.
        let a = ok(
            b,
            app.action_add(&root(), &action("Check logs", "ida", "2021-03-01"))
                .await,
        );
        let ida = ok(b, app.notifications_of(&root(), "ida").await);
        assert_eq!(keys(&ida), vec![(a.key.clone(), Area::Action, true)], "{b}");
        assert_eq!(ida.items[0].date, "2021-03-01", "{b}");
        assert_eq!(
            ok(
                b,
                app.notification_count(&actor("ida", Role::Auditor)).await
            ),
            1,
            "{b}"
        );
        let done = ActionInput {
            status: Some("done".into()),
            ..Default::default()
        };
        ok(b, app.action_update(&root(), &a.key, &done).await);
        assert!(
            ok(b, app.notifications_of(&root(), "ida").await)
                .items
                .is_empty(),
            "{b}"
        );
        // An action far ahead is not due yet.
        ok(
            b,
            app.action_add(&root(), &action("Later", "ida", "2099-01-01"))
                .await,
        );
        assert!(
            ok(b, app.notifications_of(&root(), "ida").await)
                .items
                .is_empty(),
            "{b}"
        );

        assert_invalid(b, app.notifications_of(&root(), "nobody").await, "user");
    }
}

#[tokio::test]
async fn dashboards_follow_the_role() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.seed_demo(&root()).await);
        let grace = actor("grace", Role::GovernanceLead);
        let d = ok(b, app.role_dashboard(&grace, None).await);
        assert_eq!(d.view.as_str(), "governance", "{b}");
        let g = d.governance.as_ref().map(|g| {
            (
                g.top_risks.len(),
                g.readiness.steps,
                g.overdue.iter().map(|o| o.count).sum::<i64>() > 0,
                g.incident_reports.iter().any(|n| n.key == "INC-2"),
            )
        });
        assert_eq!(
            g,
            Some((g.map_or(0, |g| g.0).min(10), 8, true, true)),
            "{b}"
        );
        let top = d
            .governance
            .as_ref()
            .map(|g| g.top_risks.clone())
            .unwrap_or_default();
        assert!(!top.is_empty(), "{b}");
        assert!(
            top.windows(2).all(|w| w[0].score >= w[1].score),
            "{b}: highest score first"
        );

        let rosa = actor("rosa", Role::RiskOwner);
        let d = ok(b, app.role_dashboard(&rosa, None).await);
        let o = d.risk_owner.as_ref().map(|o| {
            (
                o.risks.iter().all(|r| r.owner == "rosa"),
                o.risks_total > 0,
                o.reviews_due.iter().any(|n| n.key == "RSK-4"),
            )
        });
        assert_eq!(o, Some((true, true, true)), "{b}");
        assert_invalid(b, app.role_dashboard(&rosa, Some("governance")).await, "as");
        assert!(
            ok(b, app.role_dashboard(&rosa, Some("summary")).await)
                .summary
                .is_some(),
            "{b}"
        );

        let alan = actor("alan", Role::Contributor);
        let c = ok(b, app.role_dashboard(&alan, None).await).contributor;
        let sys4 = c
            .as_ref()
            .and_then(|c| c.systems.iter().find(|s| s.key == "SYS-4").cloned());
        assert_eq!(
            sys4.as_ref().map(|s| (s.schedule.as_deref(), s.overdue)),
            Some((Some("weekly"), true)),
            "{b}"
        );

        let ida = actor("ida", Role::Auditor);
        let a = ok(b, app.role_dashboard(&ida, None).await).auditor;
        let head = ok(b, app.ledger_checkpoint(&ida).await);
        assert_eq!(a.as_ref().map(|a| a.checkpoint.seq), Some(head.seq), "{b}");
        assert_eq!(a.as_ref().map(|a| a.recent.len()), Some(10), "{b}");

        let vera = actor("vera", Role::Viewer);
        let s = ok(b, app.role_dashboard(&vera, None).await).summary;
        let systems = s.as_ref().and_then(|s| {
            s.areas
                .iter()
                .find(|c| c.word == "systems")
                .map(|c| c.count)
        });
        assert_eq!(systems, Some(12), "{b}");
        assert_invalid(b, app.role_dashboard(&vera, Some("boss")).await, "as");

        // Dashboards are kept until the ledger moves: the same again without a write, the
        // write seen at once after one.
        let summary_systems = |d: &aims_app::role_dashboard::RoleDashboard| {
            d.summary.as_ref().and_then(|s| {
                s.areas
                    .iter()
                    .find(|c| c.word == "systems")
                    .map(|c| c.count)
            })
        };
        let again = ok(b, app.role_dashboard(&vera, None).await);
        assert_eq!(summary_systems(&again), Some(12), "{b}");
        let input = SystemInput {
            name: Some("Chat assistant".into()),
            purpose: Some("Answers customers".into()),
            owner: Some("root".into()),
            ..Default::default()
        };
        ok(b, app.system_add(&root(), &input).await);
        let after = ok(b, app.role_dashboard(&vera, None).await);
        assert_eq!(summary_systems(&after), Some(13), "{b}");
        let a = ok(b, app.role_dashboard(&ida, None).await).auditor;
        let head = ok(b, app.ledger_checkpoint(&ida).await);
        assert_eq!(a.map(|a| a.checkpoint.seq), Some(head.seq), "{b}");
    }
}

#[tokio::test]
async fn email_addresses_are_validated_and_recorded() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let ann = add_user(app, "ann", Role::Contributor).await;
        let set = |e: &str| UserUpdate {
            email: Some(e.into()),
        };
        assert_invalid(
            b,
            app.user_update(&root(), "ann", &set("ann@")).await,
            "email",
        );
        assert_invalid(
            b,
            app.user_update(&root(), "ann", &UserUpdate::default())
                .await,
            "email",
        );
        assert_forbidden(
            b,
            app.user_update(&ann, "root", &set("r@example.org")).await,
        );
        let u = ok(
            b,
            app.user_update(&ann, "ann", &set("Ann@Example.ORG")).await,
        );
        assert_eq!(u.email.as_deref(), Some("Ann@example.org"), "{b}");
        let listed = ok(b, app.user_list(&root()).await);
        let email = listed
            .iter()
            .find(|u| u.username == "ann")
            .and_then(|u| u.email.clone());
        assert_eq!(email.as_deref(), Some("Ann@example.org"), "{b}");
        // A user without an address keeps the state shape recorded before addresses existed.
        let events = ok(
            b,
            app.ledger_log(&root(), Some("USR-1"), None, Some(10)).await,
        );
        assert!(events.iter().all(|e| !e.data.contains("email")), "{b}");
        let events = ok(
            b,
            app.ledger_log(&root(), Some(&u.key), None, Some(10)).await,
        );
        assert!(events[0].data.contains("Ann@example.org"), "{b}");
        let u = ok(b, app.user_update(&root(), "ann", &set("")).await);
        assert_eq!(u.email, None, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
    }
}

/// A free local port.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// The SMTP sink, ended when dropped.
struct Sink(Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the sink, or says why it cannot (aiosmtpd missing).
fn start_sink(port: u16, dir: &Path) -> Option<Sink> {
    let importable = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !importable {
        let required = std::env::var("AIMS_TEST_REQUIRE_SMTP").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "aiosmtpd is not importable; pip install aiosmtpd"
        );
        eprintln!("skipped: python3 cannot import aiosmtpd (pip install aiosmtpd)");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/smtp_sink.py");
    let child = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(dir)
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start the SMTP sink: {e}"));
    let sink = Sink(child);
    for _ in 0..100 {
        if dir.join("ready").exists() {
            return Some(sink);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the SMTP sink did not start");
}

fn messages(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in 1.. {
        let eml = dir.join(format!("{n}.eml"));
        if !eml.exists() {
            break;
        }
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        out.push((read(&dir.join(format!("{n}.rcpt"))), read(&eml)));
    }
    out
}

#[tokio::test]
async fn digests_go_to_a_real_smtp_server_once_per_due_date() {
    for b in backends() {
        let dir = TempDir::new();
        let port = free_port();
        let Some(_sink) = start_sink(port, &dir.0) else {
            return;
        };
        let t = fresh(b).await;
        let app = &t.app;
        ok(b, app.seed_demo(&root()).await);
        let set = |e: &str| UserUpdate {
            email: Some(e.into()),
        };
        ok(
            b,
            app.user_update(&root(), "rosa", &set("rosa@example.org"))
                .await,
        );
        ok(
            b,
            app.user_update(&root(), "ida", &set("ida@example.org"))
                .await,
        );
        let smtp = SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            from: "aims <aims@example.org>".into(),
            username: None,
            password: None,
            starttls: false,
            base_url: Some("https://aims.example.org".into()),
        };
        // Only admins send; a dry run sends nothing.
        assert_forbidden(
            b,
            app.notifications_send(&actor("rosa", Role::RiskOwner), Some(&smtp), false)
                .await,
        );
        let dry = ok(b, app.notifications_send(&root(), Some(&smtp), true).await);
        assert_eq!(dry.digests.len(), 1, "{b}");
        assert_eq!(dry.digests[0].status, "would_send", "{b}");
        assert!(messages(&dir.0).is_empty(), "{b}");

        let sent = ok(b, app.notifications_send(&root(), Some(&smtp), false).await);
        assert_eq!(sent.users, 2, "{b}");
        // Ida has nothing due: only Rosa gets a digest.
        assert_eq!(sent.digests.len(), 1, "{b}");
        assert_eq!(
            sent.digests[0].status, "sent",
            "{b}: {:?}",
            sent.digests[0].error
        );
        let got = messages(&dir.0);
        assert_eq!(got.len(), 1, "{b}");
        let (rcpt, body) = &got[0];
        assert_eq!(rcpt.trim(), "rosa@example.org", "{b}");
        let overdue = sent.digests[0].items.len();
        assert!(body.contains("Subject: aims: "), "{b}: {body}");
        assert!(
            body.contains(&format!("aims: {overdue} items due")),
            "{b}: {body}"
        );
        assert!(
            body.contains("RSK-4") && body.contains("SYS-4"),
            "{b}: {body}"
        );
        assert!(
            body.contains("https://aims.example.org/risks/RSK-4"),
            "{b}: {body}"
        );

        // Nothing new: nothing sent. A new item: only it is sent.
        let again = ok(b, app.notifications_send(&root(), Some(&smtp), false).await);
        assert!(again.digests.is_empty(), "{b}: {:?}", again.digests);
        assert_eq!(messages(&dir.0).len(), 1, "{b}");
        let a = ok(
            b,
            app.action_add(&root(), &action("Rotate keys", "rosa", "2022-05-01"))
                .await,
        );
        let third = ok(b, app.notifications_send(&root(), Some(&smtp), false).await);
        assert_eq!(
            third
                .digests
                .iter()
                .map(|d| d.items.clone())
                .collect::<Vec<_>>(),
            vec![vec![a.key.clone()]],
            "{b}"
        );
        let got = messages(&dir.0);
        assert_eq!(got.len(), 2, "{b}");
        assert!(
            got[1].1.contains(&a.key) && !got[1].1.contains("RSK-4"),
            "{b}"
        );

        // A server that is not there fails the digest and logs nothing as sent.
        let down = SmtpSettings {
            port: free_port(),
            ..smtp.clone()
        };
        ok(
            b,
            app.action_add(&root(), &action("Another", "rosa", "2022-06-01"))
                .await,
        );
        let failed = ok(b, app.notifications_send(&root(), Some(&down), false).await);
        assert_eq!(
            failed.digests.first().map(|d| d.status.as_str()),
            Some("failed"),
            "{b}"
        );
        let retry = ok(b, app.notifications_send(&root(), Some(&smtp), false).await);
        assert_eq!(
            retry.digests.first().map(|d| d.status.as_str()),
            Some("sent"),
            "{b}"
        );

        // Settings are checked and name the setting.
        let bad = SmtpSettings {
            from: "not an address".into(),
            ..smtp.clone()
        };
        assert_invalid(
            b,
            app.notifications_send(&root(), Some(&bad), false).await,
            "smtp_from",
        );
        assert_invalid(
            b,
            app.notifications_send(&root(), None, false).await,
            "smtp_host",
        );
    }
}
