//! `aims init` and the inventory: add, list, show, update, retire, export.

use crate::harness::{path, Aims};

#[test]
fn init_is_idempotent() {
    let aims = Aims::new();
    assert!(aims.init().contains("created admin 'admin'"));
    assert!(aims.data_dir().join("aims.db").exists());
    assert!(aims.init().contains("up to date"));
    let users = aims.json(&["user", "list"]);
    assert_eq!(users.as_array().map(Vec::len), Some(1));
    assert_eq!(users[0]["role"], "admin");
}

#[test]
fn commands_before_init_point_to_init() {
    let aims = Aims::new();
    let err = aims.fails(1, &["system", "list"]);
    assert!(err.contains("aims init"), "{err}");
    assert!(!aims.data_dir().join("aims.db").exists());
}

#[test]
fn system_add_then_list_shows_every_field() {
    let aims = Aims::initialised();
    let out = aims.ok(&[
        "system",
        "add",
        "--name",
        "Credit scoring",
        "--purpose",
        "Scores loan applications",
        "--intended-use",
        "Decision support",
        "--owner",
        "admin",
        "--unit",
        "Lending",
        "--stage",
        "deployed",
        "--technique",
        "classical_ml",
        "--ai-roles",
        "deployer, provider",
        "--supplier",
        "In house",
        "--data-categories",
        "personal,financial",
        "--stakeholders",
        "Applicants, Credit officers",
        "--regions",
        "EU,UK",
        "--eu-class",
        "high_risk",
        "--eu-rationale",
        "Annex III 5(b)",
        "--criticality",
        "critical",
    ]);
    assert!(out.contains("SYS-1"), "{out}");
    let page = aims.json(&["system", "list"]);
    assert_eq!(page["total"], 1);
    let s = &page["items"][0];
    assert_eq!(s["key"], "SYS-1");
    assert_eq!(s["name"], "Credit scoring");
    assert_eq!(s["intended_use"], "Decision support");
    assert_eq!(s["business_unit"], "Lending");
    assert_eq!(s["stage"], "deployed");
    assert_eq!(s["technique"], "classical_ml");
    assert_eq!(s["ai_roles"], serde_json::json!(["provider", "deployer"]));
    assert_eq!(
        s["data_categories"],
        serde_json::json!(["personal", "financial"])
    );
    assert_eq!(
        s["stakeholders"],
        serde_json::json!(["Applicants", "Credit officers"])
    );
    assert_eq!(s["regions"], serde_json::json!(["EU", "UK"]));
    assert_eq!(s["eu_class"], "high_risk");
    assert_eq!(s["criticality"], "critical");
    assert_eq!(s["in_scope"], false);
    let table = aims.ok(&["system", "list"]);
    assert!(table.starts_with("KEY"), "{table}");
    assert!(table.contains("Credit scoring"), "{table}");
}

#[test]
fn update_retire_filter_and_export() {
    let aims = Aims::initialised();
    aims.add_system("Fraud detection");
    aims.add_system("Chat assistant");
    aims.ok(&[
        "system",
        "update",
        "sys-1",
        "--stage",
        "monitored",
        "--regions",
        "EU",
    ]);
    let s = aims.json(&["system", "show", "SYS-1"]);
    assert_eq!(
        (s["stage"].as_str(), s["purpose"].as_str()),
        (Some("monitored"), Some("Tested"))
    );
    assert_eq!(s["regions"], serde_json::json!(["EU"]));
    let found = aims.json(&["system", "list", "--stage", "monitored"]);
    assert_eq!(found["total"], 1);
    let sorted = aims.json(&["system", "list", "--sort", "-name"]);
    assert_eq!(sorted["items"][0]["name"], "Fraud detection");

    let err = aims.fails(2, &["system", "retire", "SYS-2"]);
    assert!(err.contains("error: reason:"), "{err}");
    aims.ok(&["system", "retire", "SYS-2", "--reason", "Replaced"]);
    assert_eq!(aims.json(&["system", "list"])["total"], 1);
    let all = aims.json(&["system", "list", "--status", "all"]);
    assert_eq!(all["items"][1]["status"], "retired");

    let csv_path = aims.tmp.0.join("inventory.csv");
    aims.ok(&[
        "system",
        "export",
        "--status",
        "all",
        "--output",
        path(&csv_path),
    ]);
    let csv = std::fs::read_to_string(&csv_path).unwrap_or_default();
    assert!(csv.starts_with("key,name,purpose"), "{csv}");
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let stdout = aims.ok(&["system", "export"]);
    assert!(stdout.contains("SYS-1,Fraud detection"), "{stdout}");
    assert!(aims.ok(&["ledger", "verify"]).contains("ledger intact"));
}
