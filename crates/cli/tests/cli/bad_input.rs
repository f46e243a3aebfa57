//! Bad input exits 2, names the field on stderr and writes nothing; other failures exit 1.

use crate::harness::{Aims, PASSWORD};

/// Runs `args`, expecting exit 2 and `error: FIELD:` on stderr, with no new ledger event.
fn refused(aims: &Aims, field: &str, args: &[&str]) {
    let before = aims.events();
    let err = aims.fails(2, args);
    assert!(
        err.contains(&format!("error: {field}:")),
        "aims {args:?}: {err}"
    );
    assert_eq!(aims.events(), before, "aims {args:?} wrote to the ledger");
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let aims = Aims::initialised();
    aims.add_system("Credit scoring");
    let base = ["system", "add", "--purpose", "p", "--owner", "admin"];
    let with =
        |extra: &[&'static str]| -> Vec<&str> { base.iter().chain(extra).copied().collect() };
    refused(
        &aims,
        "stage",
        &with(&["--name", "X", "--stage", "launched"]),
    );
    refused(&aims, "name", &with(&[]));
    refused(&aims, "name", &with(&["--name", "Credit scoring"]));
    refused(
        &aims,
        "owner",
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
    refused(
        &aims,
        "eu_rationale",
        &with(&["--name", "X", "--eu-class", "limited"]),
    );
    refused(
        &aims,
        "exclusions[0].justification",
        &["scope", "set", "--statement", "All", "--exclude", "SYS-1"],
    );
    refused(
        &aims,
        "systems[0]",
        &[
            "scope",
            "set",
            "--statement",
            "S",
            "--coverage",
            "systems",
            "--systems",
            "SYS-9",
        ],
    );
    aims.ok(&[
        "scope",
        "set",
        "--statement",
        "All",
        "--exclude",
        "SYS-1=Laboratory only",
    ]);
    aims.ok(&["scope", "approve", "1"]);
    refused(&aims, "version", &["scope", "approve", "1"]);
    refused(
        &aims,
        "side",
        &[
            "context",
            "issue",
            "add",
            "--title",
            "T",
            "--side",
            "outside",
            "--category",
            "market",
            "--description",
            "d",
        ],
    );
    refused(
        &aims,
        "requirements[0].how",
        &[
            "party",
            "add",
            "--name",
            "P",
            "--type",
            "regulator",
            "--addressed-requirement",
            "Report",
        ],
    );
    refused(
        &aims,
        "role",
        &["token", "create", "--name", "ci", "--role", "boss"],
    );
    let pw = aims.file("short", "short\n");
    let pw = crate::harness::path(&pw);
    refused(
        &aims,
        "password",
        &[
            "user",
            "add",
            "--username",
            "bob",
            "--role",
            "viewer",
            "--password-file",
            pw,
        ],
    );
    assert!(aims.ok(&["ledger", "verify"]).contains("ledger intact"));
}

#[test]
fn other_failures_exit_1() {
    let aims = Aims::initialised();
    let err = aims.fails(1, &["system", "show", "SYS-99"]);
    assert!(err.contains("SYS-99 not found"), "{err}");
    let pw = aims.file("vera", PASSWORD);
    let pw = crate::harness::path(&pw);
    aims.ok(&[
        "user",
        "add",
        "--username",
        "vera",
        "--role",
        "viewer",
        "--password-file",
        pw,
    ]);
    let err = aims.fails(
        1,
        &[
            "--as",
            "vera",
            "system",
            "add",
            "--name",
            "X",
            "--purpose",
            "p",
            "--owner",
            "vera",
        ],
    );
    assert!(err.starts_with("error: the viewer role may not"), "{err}");
    let err = aims.fails(1, &["--as", "ghost", "system", "list"]);
    assert!(err.contains("ghost"), "{err}");
    // A usage error from the argument parser is bad input too.
    aims.fails(2, &["system", "add", "--colour", "blue"]);
}
