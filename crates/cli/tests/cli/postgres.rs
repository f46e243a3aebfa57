//! The same commands on PostgreSQL, when `AIMS_TEST_POSTGRES_URL` names a server.

use crate::harness::{random, Aims};

/// Runs SQL on the server with psql (which must be installed).
fn psql(base: &str, sql: &str) {
    let status = std::process::Command::new("psql")
        .args([base, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .status()
        .unwrap_or_else(|e| panic!("psql is needed for the PostgreSQL test: {e}"));
    assert!(status.success(), "psql -c {sql:?} failed");
}

#[test]
fn postgres_init_add_list_verify() {
    let Some(base) = std::env::var("AIMS_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return;
    };
    let name = format!("aims_cli_{:x}", random());
    psql(&base, &format!("CREATE DATABASE {name}"));
    let (prefix, _) = base.rsplit_once('/').unwrap_or((&base, ""));
    let aims = Aims::with_url(format!("{prefix}/{name}"));
    aims.init();
    assert!(
        !aims.data_dir().exists(),
        "a database URL needs no data directory"
    );
    aims.add_system("Scoring");
    let err = aims.fails(
        2,
        &[
            "system",
            "add",
            "--name",
            "X",
            "--purpose",
            "p",
            "--owner",
            "nobody",
        ],
    );
    assert!(err.contains("error: owner:"), "{err}");
    let page = aims.json(&["system", "list"]);
    assert_eq!(page["items"][0]["name"], "Scoring");
    assert!(aims
        .ok(&["ledger", "verify"])
        .contains("ledger intact: 2 events"));
    // An edit behind the application's back is found and named.
    let url = format!("{prefix}/{name}");
    psql(
        &url,
        "UPDATE ai_systems SET purpose = 'Edited' WHERE key = 'SYS-1'",
    );
    let err = aims.fails(1, &["ledger", "verify"]);
    assert!(err.contains("SYS-1"), "{err}");
    psql(&base, &format!("DROP DATABASE {name} WITH (FORCE)"));
}
