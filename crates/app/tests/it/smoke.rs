use aims_core::inventory::SystemInput;

use crate::harness::{backends, fresh, root};

#[tokio::test]
async fn system_round_trip_and_ledger_verifies() {
    for b in backends() {
        let t = fresh(b).await;
        let input = SystemInput {
            name: Some("Credit scoring".into()),
            purpose: Some("Scores loans".into()),
            owner: Some("root".into()),
            ai_roles: Some(vec!["provider".into()]),
            ..Default::default()
        };
        let s = t
            .app
            .system_add(&root(), &input)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(s.system.key, "SYS-1");
        let got = t
            .app
            .system_get(&root(), "sys-1")
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert_eq!(got.system, s.system);
        let report = t
            .app
            .ledger_verify(&root(), None)
            .await
            .unwrap_or_else(|e| panic!("{b}: {e}"));
        assert!(report.intact, "{b}: {}", report.message);
        assert_eq!(report.events, 2, "{b}");
    }
}
