//! Users, acting as a user, and API tokens.

use crate::harness::{path, Aims, PASSWORD};

#[test]
fn tokens_show_their_secret_once() {
    let aims = Aims::initialised();
    let out = aims.run(&[
        "token",
        "create",
        "--name",
        "CI pipeline",
        "--role",
        "contributor",
        "--days",
        "30",
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let secret = stdout.lines().find(|l| l.starts_with("aims_"));
    assert!(secret.is_some_and(|s| s.len() > 20), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("only once"));
    let tokens = aims.json(&["token", "list"]);
    assert_eq!(tokens[0]["key"], "TOK-1");
    assert_eq!(tokens[0]["role"], "contributor");
    assert!(!tokens.to_string().contains(secret.unwrap_or("aims_")));
    aims.ok(&["token", "revoke", "tok-1"]);
    assert!(aims.json(&["token", "list"])[0]["revoked_at"].is_string());
    let err = aims.fails(2, &["token", "revoke", "TOK-1"]);
    assert!(err.contains("error: key:"), "{err}");
    let created = aims.json(&["token", "create", "--name", "script"]);
    assert!(created["secret"]
        .as_str()
        .is_some_and(|s| s.starts_with("aims_")));
}

#[test]
fn users_add_act_and_disable() {
    let aims = Aims::initialised();
    let pw = aims.file("pw", &format!("{PASSWORD}\r\n"));
    aims.ok(&[
        "user",
        "add",
        "--username",
        "grace",
        "--role",
        "governance_lead",
        "--display-name",
        "Grace Hopper",
        "--password-file",
        path(&pw),
    ]);
    let users = aims.json(&["user", "list"]);
    assert_eq!(users[1]["display_name"], "Grace Hopper");
    assert_eq!(users[1]["role"], "governance_lead");
    // Acting as grace: the ledger names her.
    aims.ok(&[
        "--as",
        "grace",
        "system",
        "add",
        "--name",
        "S",
        "--purpose",
        "p",
        "--owner",
        "grace",
    ]);
    let log = aims.json(&["ledger", "log", "--entity", "SYS-1"]);
    assert_eq!(log[0]["actor"], "grace");
    let err = aims.fails(1, &["--as", "grace", "user", "disable", "admin"]);
    assert!(err.contains("may not"), "{err}");
    aims.ok(&["user", "disable", "grace"]);
    assert_eq!(aims.json(&["user", "list"])[1]["disabled"], true);
    let disabled = aims.json(&["user", "list", "--disabled"]);
    assert_eq!(disabled.as_array().map(Vec::len), Some(1), "{disabled}");
    assert_eq!(disabled[0]["username"], "grace");
    let active = aims.json(&["user", "list", "--disabled=false", "--role", "admin"]);
    assert_eq!(active[0]["username"], "admin", "{active}");
    let out = aims.ok(&["user", "list", "--sort", "-username", "--per-page", "1"]);
    assert!(
        out.contains("grace") && out.contains("1-1 of 2 (--page 2 for more)"),
        "{out}"
    );
    let err = aims.fails(2, &["user", "list", "--role", "king"]);
    assert!(err.contains("error: role: unknown value 'king'"), "{err}");
    let err = aims.fails(1, &["--as", "grace", "system", "list"]);
    assert!(err.contains("disabled"), "{err}");
    let err = aims.fails(2, &["user", "disable", "admin"]);
    assert!(err.contains("error: username:"), "{err}");
}

#[test]
fn security_events_list_refusals_and_unlock_explains_itself() {
    let aims = Aims::initialised();
    let pw = aims.file("pw", &format!("{PASSWORD}\n"));
    for (user, role) in [("grace", "governance_lead"), ("ida", "auditor")] {
        aims.ok(&[
            "user",
            "add",
            "--username",
            user,
            "--role",
            role,
            "--password-file",
            path(&pw),
        ]);
    }
    let err = aims.fails(1, &["--as", "grace", "user", "disable", "admin"]);
    assert!(err.contains("may not"), "{err}");
    let err = aims.fails(1, &["--as", "grace", "security-events", "list"]);
    assert!(
        err.contains("may not read the security audit trail"),
        "{err}"
    );
    let found = aims.json(&[
        "--as",
        "ida",
        "security-events",
        "list",
        "--kind",
        "permission_denied",
    ]);
    let events = found["events"].as_array().cloned().unwrap_or_default();
    assert_eq!(events.len(), 2, "{found}");
    assert_eq!(events[1]["username"], "grace");
    assert_eq!(
        events[1]["detail"],
        "command line: the governance_lead role may not manage users"
    );
    assert_eq!(found["total"], 2, "{found}");
    let table = aims.ok(&["security-events", "list", "--user", "grace"]);
    assert!(table.contains("permission_denied"), "{table}");
    let oldest = aims.json(&[
        "security-events",
        "list",
        "--kind",
        "permission_denied",
        "--sort",
        "seq",
        "--limit",
        "1",
    ]);
    assert_eq!(oldest["events"][0]["seq"], events[1]["seq"], "{oldest}");
    assert_eq!(
        (&oldest["total"], &oldest["next_before"]),
        (&2.into(), &serde_json::Value::Null)
    );
    let err = aims.fails(2, &["security-events", "list", "--kind", "nonsense"]);
    assert!(err.contains("error: kind:"), "{err}");
    assert_eq!(aims.json(&["user", "locks"]), serde_json::json!([]));
    let err = aims.fails(2, &["user", "unlock", "grace"]);
    assert!(
        err.contains("error: username: 'grace' is not locked"),
        "{err}"
    );
    let err = aims.fails(1, &["--as", "grace", "user", "unlock", "ida"]);
    assert!(err.contains("may not"), "{err}");
}
