//! `aims notifications list|send` and e-mail addresses of users.

use crate::harness::{path, Aims, PASSWORD};

#[test]
fn notifications_are_listed_and_digests_composed() {
    let aims = Aims::initialised();
    let pw = aims.file("pw", &format!("{PASSWORD}\n"));
    aims.ok(&[
        "user",
        "add",
        "--username",
        "ann",
        "--role",
        "risk_owner",
        "--password-file",
        path(&pw),
        "--email",
        "ann@example.org",
    ]);
    let err = aims.fails(2, &["user", "update", "ann", "--email", "ann@"]);
    assert!(err.contains("error: email:"), "{err}");
    let out = aims.ok(&["user", "update", "ann", "--email", "Ann@Example.org"]);
    assert!(out.contains("e-mail Ann@example.org"), "{out}");
    assert_eq!(aims.json(&["user", "list"])[1]["email"], "Ann@example.org");

    let none = aims.json(&["notifications", "list", "--user", "ann"]);
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
    aims.ok(&[
        "action",
        "add",
        "--title",
        "Write the AI policy",
        "--owner",
        "ann",
        "--start",
        "2020-01-01",
        "--due",
        "2020-02-01",
        "--effort",
        "3",
    ]);
    let list = aims.json(&["notifications", "list", "--user", "ann"]);
    assert_eq!(list["items"][0]["key"], "ACT-1");
    assert_eq!(list["items"][0]["area"], "action");
    assert_eq!(list["items"][0]["overdue"], true);
    let table = aims.ok(&["--as", "ann", "notifications", "list"]);
    assert!(
        table.contains("ACT-1") && table.contains("overdue"),
        "{table}"
    );
    let err = aims.fails(2, &["notifications", "list", "--user", "nobody"]);
    assert!(err.contains("error: user:"), "{err}");

    // Without a server, a dry run still composes; a real send names the missing setting.
    let dry = aims.json(&["notifications", "send", "--dry-run"]);
    assert_eq!(dry["digests"][0]["username"], "ann");
    assert_eq!(dry["digests"][0]["items"][0], "ACT-1");
    assert_eq!(dry["digests"][0]["status"], "would_send");
    let err = aims.fails(2, &["notifications", "send"]);
    assert!(err.contains("error: smtp_host:"), "{err}");
    let err = aims.fails(
        2,
        &[
            "notifications",
            "send",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-starttls",
            "maybe",
        ],
    );
    assert!(err.contains("error: smtp_starttls:"), "{err}");
    let err = aims.fails(1, &["--as", "ann", "notifications", "send", "--dry-run"]);
    assert!(err.contains("manage users"), "{err}");
    // aims.toml supplies settings the flags leave out.
    std::fs::write(
        aims.data_dir().join("aims.toml"),
        "[smtp]\nhost = \"127.0.0.1\"\nfrom = \"not an address\"\n",
    )
    .unwrap_or_else(|e| panic!("aims.toml: {e}"));
    let err = aims.fails(2, &["notifications", "send"]);
    assert!(err.contains("error: smtp_from:"), "{err}");
    let out = aims.ok(&["ledger", "verify"]);
    assert!(out.contains("ledger intact"), "{out}");
}
