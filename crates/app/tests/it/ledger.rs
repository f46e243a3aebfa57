//! The change ledger: one event per write, through the demo seed and a long scripted run.

use aims_app::App;
use aims_core::context::{IssueInput, PartyInput};
use aims_core::inventory::SystemInput;

use crate::harness::{
    all_events, assert_conflict, backends, event_count, fresh, ok, root, snapshot, system_input,
};

/// Events the demo seed writes: 6 users, 12 systems, 7 issues, 6 parties, 2 scope versions and
/// their 2 approvals, 8 controls and their links, 38 SoA lines, an SoA version and its approval,
/// 2 maturity assessments, the imported ISO 27001 register.
const DEMO_EVENTS: i64 = 6
    + 12
    + 7
    + 6
    + 2
    + 2
    + 8 * 2
    + 38
    + 2
    + 2
    + 1
    + ROADMAP_EVENTS
    + RISK_EVENTS
    + IMPACT_EVENTS
    + INCIDENT_EVENTS
    + MONITORING_EVENTS;

/// Events (and entities) of the demo roadmap: 8 actions, 2 certification bodies, 1 briefing.
const ROADMAP_EVENTS: i64 = 8 + 2 + 1;
/// Incidents reported by people (4 + 8 + 4 events) and nonconformities with their corrective
/// actions (3 + 6).
const INCIDENT_EVENTS: i64 = 16 + 9;
/// Monitoring: 2 plans, 12 runs, 2 alerts raised and 1 repeated, and the breaches: 2 incidents
/// opened and 2 later breaches added to the credit one.
const MONITORING_EVENTS: i64 = 2 + 12 + 3 + 2 + 2;
/// The demo's risk method (1) and risks: 10 added, 8 treated, 4 accepted, 2 reviewed.
const RISK_EVENTS: i64 = 1 + 10 + 8 + 4 + 2;
/// The demo's impact assessments: 3 added, 2 signed, and the system change that makes one due
/// for re-assessment.
const IMPACT_EVENTS: i64 = 3 + 2 + 1;

pub fn issue(title: &str) -> IssueInput {
    IssueInput {
        title: Some(title.into()),
        side: Some("internal".into()),
        category: Some("resources".into()),
        description: Some(format!("About {title}")),
        ..Default::default()
    }
}

pub fn party(name: &str) -> PartyInput {
    PartyInput {
        name: Some(name.into()),
        party_type: Some("partner".into()),
        ..Default::default()
    }
}

/// A small deterministic generator, so the scripted run is the same on every backend.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// Makes `n` writes of every kind, each of which records exactly one event.
async fn scripted_writes(b: &str, app: &App, n: usize) {
    let keys = |prefix: &str, count: usize| -> Vec<String> {
        (1..=count).map(|i| format!("{prefix}-{i}")).collect()
    };
    let (mut systems, mut issues, mut parties) = (keys("SYS", 12), keys("CTX", 7), keys("IP", 6));
    let (mut next_sys, mut next_ctx, mut next_ip) = (13, 8, 7);
    let mut rng = Lcg(42);
    for i in 0..n {
        let pick = |rng: &mut Lcg, v: &[String]| v[rng.below(v.len())].clone();
        match rng.below(12) {
            0..=2 => {
                let s = ok(
                    b,
                    app.system_add(&root(), &system_input(&format!("Scripted {i}")))
                        .await,
                );
                assert_eq!(s.system.key, format!("SYS-{next_sys}"), "{b}");
                next_sys += 1;
                systems.push(s.system.key);
            }
            3 | 4 => {
                let patch = SystemInput {
                    purpose: Some(format!("Revision {i}")),
                    ..Default::default()
                };
                ok(
                    b,
                    app.system_update(&root(), &pick(&mut rng, &systems), &patch)
                        .await,
                );
            }
            5 if systems.len() > 5 => {
                let key = systems.remove(rng.below(systems.len()));
                ok(
                    b,
                    app.system_retire(&root(), &key, Some(&format!("Step {i}")))
                        .await,
                );
            }
            5 | 6 => {
                ok(
                    b,
                    app.issue_add(&root(), &issue(&format!("Scripted issue {i}")))
                        .await,
                );
                issues.push(format!("CTX-{next_ctx}"));
                next_ctx += 1;
            }
            7 => {
                let patch = IssueInput {
                    description: Some(format!("Revision {i}")),
                    ..Default::default()
                };
                ok(
                    b,
                    app.issue_update(&root(), &pick(&mut rng, &issues), &patch)
                        .await,
                );
            }
            8 => {
                ok(
                    b,
                    app.party_add(&root(), &party(&format!("Scripted party {i}")))
                        .await,
                );
                parties.push(format!("IP-{next_ip}"));
                next_ip += 1;
            }
            9 | 10 => {
                let patch = PartyInput {
                    description: Some(format!("Revision {i}")),
                    ..Default::default()
                };
                ok(
                    b,
                    app.party_update(&root(), &pick(&mut rng, &parties), &patch)
                        .await,
                );
            }
            _ if issues.len() >= parties.len() => {
                let key = issues.remove(rng.below(issues.len()));
                ok(b, app.issue_archive(&root(), &key).await);
            }
            _ => {
                let key = parties.remove(rng.below(parties.len()));
                ok(b, app.party_archive(&root(), &key).await);
            }
        }
    }
}

#[tokio::test]
async fn demo_seed_and_a_thousand_writes_verify() {
    for b in backends() {
        let t = fresh(b).await;
        let app = &t.app;
        let start = event_count(app).await;
        assert_eq!(start, 1, "{b}: the bootstrap admin");
        let logins = ok(b, app.seed_demo(&root()).await);
        assert_eq!(logins.len(), 6, "{b}");
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        assert_eq!(report.events, start + DEMO_EVENTS, "{b}");
        assert_eq!(
            report.entities as i64,
            1 + 6
                + 12
                + 7
                + 6
                + 2
                + 8
                + 38
                + 1
                + 2
                + 1
                + ROADMAP_EVENTS
                + 1
                + 10
                + 3
                + 5
                + 2
                + 2
                + 2
                + 12
                + 2,
            "{b}"
        );
        let snap = snapshot(app).await;
        assert_conflict(b, app.seed_demo(&root()).await, "demo");
        assert_eq!(
            snapshot(app).await,
            snap,
            "{b}: a second seed writes nothing"
        );
        let status = ok(b, app.scope_status(&root()).await);
        assert_eq!(status.approved.map(|v| v.version), Some(2), "{b}");

        scripted_writes(b, app, 1000).await;
        let report = ok(b, app.ledger_verify(&root(), None).await);
        assert!(report.intact, "{b}: {}", report.message);
        assert_eq!(report.events, start + DEMO_EVENTS + 1000, "{b}");
        assert_eq!(
            report.head,
            ok(b, app.ledger_checkpoint(&root()).await),
            "{b}"
        );
        let seqs: Vec<i64> = all_events(app).await.iter().map(|e| e.seq).collect();
        assert_eq!(
            seqs,
            (1..=start + DEMO_EVENTS + 1000).collect::<Vec<_>>(),
            "{b}"
        );
    }
}
