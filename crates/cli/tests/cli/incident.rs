//! `aims incident` and `aims nc`: an incident through its workflow to closed, a serious
//! incident's countdown, a nonconformity whose corrective action closes only after an effective
//! check, refusals naming the field (exit 2) and roles (exit 1).

use crate::harness::{path, Aims, PASSWORD};

fn report(aims: &Aims, sys: &str, occurred: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "incident",
        "add",
        "--title",
        "Wrong refusals",
        "--description",
        "Older applicants refused",
        "--source",
        "user_report",
        "--type",
        "bias_fairness",
        "--severity",
        "2",
        "--system",
        sys,
        "--occurred",
        occurred,
        "--owner",
        "admin",
    ];
    args.extend_from_slice(extra);
    aims.ok(&args)
}

#[test]
fn an_incident_is_worked_to_closed_and_a_nonconformity_verified() {
    let aims = Aims::initialised();
    let sys = aims.add_system("Scoring");
    let sys = sys.split_whitespace().nth(1).unwrap_or("SYS-1").to_owned();
    assert!(report(&aims, &sys, "2026-03-01", &[]).contains("added INC-1 'Wrong refusals'"));
    let err = aims.fails(2, &["incident", "move", "INC-1", "contained"]);
    assert!(
        err.contains("error: status: cannot move from reported to contained"),
        "{err}"
    );
    for s in ["triaged", "investigating", "contained"] {
        assert!(aims
            .ok(&["incident", "move", "INC-1", s])
            .contains(&format!("INC-1 is {s}")));
    }
    let err = aims.fails(2, &["incident", "move", "INC-1", "resolved"]);
    assert!(err.contains("error: root_cause:"), "{err}");
    aims.ok(&["incident", "note", "INC-1", "Rolled back"]);
    let out = aims.ok(&[
        "incident",
        "rca",
        "INC-1",
        "--why",
        "Model refused older people",
        "--why",
        "Training data lacked them",
        "--category",
        "data",
    ]);
    assert!(out.contains("2 why(s), category data"), "{out}");
    aims.ok(&["incident", "move", "INC-1", "resolved"]);
    let err = aims.fails(2, &["incident", "move", "INC-1", "closed"]);
    assert!(err.contains("error: lessons_learned:"), "{err}");
    aims.ok(&[
        "incident",
        "rca",
        "INC-1",
        "--lessons",
        "Test every age group",
    ]);
    aims.ok(&["incident", "move", "INC-1", "closed"]);
    let shown = aims.json(&["incident", "show", "INC-1"]);
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["root_cause"]["category"], "data");
    assert_eq!(shown["timeline"].as_array().map(Vec::len), Some(9));
    let text = aims.ok(&["incident", "show", "INC-1"]);
    assert!(
        text.contains("Rolled back") && text.contains("moved from resolved to closed"),
        "{text}"
    );

    // A serious incident detected today: widespread gives two days.
    let today = chrono::Utc::now().date_naive();
    let due = today + chrono::Days::new(2);
    let out = report(
        &aims,
        &sys,
        &today.to_string(),
        &["--detected", &today.to_string()],
    );
    assert!(out.contains("INC-2"), "{out}");
    let out = aims.ok(&["incident", "serious", "INC-2", "--basis", "widespread"]);
    assert!(
        out.contains(&format!("deadline {due}, 2 days left")),
        "{out}"
    );
    let listed = aims.json(&["incident", "list", "--serious"]);
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["countdown"]["days_left"], 2);
    let out = aims.ok(&[
        "incident",
        "serious",
        "INC-2",
        "--reported-at",
        &today.to_string(),
    ]);
    assert!(out.contains("reported to the authority"), "{out}");

    // A nonconformity raised from the incident, with a corrective action.
    let out = aims.ok(&[
        "nc",
        "add",
        "--source",
        "incident",
        "--source-ref",
        "INC-1",
        "--requirement",
        "ISO42001:8.4",
        "--description",
        "Impact assessment skipped age",
        "--owner",
        "admin",
    ]);
    assert!(out.contains("added NC-1"), "{out}");
    let out = aims.ok(&[
        "nc",
        "action",
        "NC-1",
        "--title",
        "Add an age check",
        "--owner",
        "admin",
        "--due",
        "2026-12-31",
    ]);
    assert!(
        out.contains("ACT-1 is a corrective action of NC-1 (action_planned)"),
        "{out}"
    );
    let err = aims.fails(2, &["action", "update", "ACT-1", "--status", "done"]);
    assert!(
        err.contains("error: status: ACT-1 is a corrective action of NC-1"),
        "{err}"
    );
    let err = aims.fails(2, &["nc", "close", "NC-1"]);
    assert!(
        err.contains("error: status: every corrective action must pass"),
        "{err}"
    );
    let out = aims.ok(&[
        "nc",
        "verify",
        "NC-1",
        "--action",
        "ACT-1",
        "--result",
        "not_effective",
        "--note",
        "Still missing",
    ]);
    assert!(out.contains("ACT-1 is in_progress"), "{out}");
    aims.ok(&[
        "nc",
        "verify",
        "NC-1",
        "--action",
        "ACT-1",
        "--result",
        "effective",
        "--note",
        "Checked ten",
        "--checked-at",
        &today.to_string(),
    ]);
    assert_eq!(aims.json(&["action", "show", "ACT-1"])["status"], "done");
    assert!(aims.ok(&["nc", "close", "NC-1"]).contains("NC-1 is closed"));
    let nc = aims.json(&["nc", "show", "NC-1"]);
    assert_eq!(nc["checks"].as_array().map(Vec::len), Some(2));
    assert!(aims.ok(&["ledger", "verify"]).contains("ledger intact"));
}

#[test]
fn readers_are_refused_and_bad_input_names_the_field() {
    let aims = Aims::initialised();
    aims.add_system("Scoring");
    let err = aims.fails(2, &["incident", "add", "--title", "x", "--severity", "9"]);
    assert!(err.contains("error: severity:"), "{err}");
    let err = aims.fails(
        2,
        &[
            "nc",
            "add",
            "--source",
            "incident",
            "--source-ref",
            "INC-9",
            "--description",
            "d",
            "--owner",
            "admin",
        ],
    );
    assert!(
        err.contains("error: source_ref: no incident INC-9"),
        "{err}"
    );
    let pw = aims.file("pw", PASSWORD);
    for (name, role) in [("ann", "auditor"), ("vera", "viewer")] {
        aims.ok(&[
            "user",
            "add",
            "--username",
            name,
            "--role",
            role,
            "--password-file",
            path(&pw),
        ]);
        let err = aims.fails(1, &["--as", name, "incident", "note", "INC-1", "x"]);
        assert!(
            err.starts_with(&format!(
                "error: the {role} role may not report or change incidents"
            )),
            "{err}"
        );
        let err = aims.fails(1, &["--as", name, "nc", "close", "NC-1"]);
        assert!(err.contains("may not record nonconformities"), "{err}");
        aims.ok(&["--as", name, "incident", "list"]);
    }
}

/// The lists take the text filter, sort and page their pages and the API take.
#[test]
fn lists_sort_filter_and_page_from_the_command_line() {
    let aims = Aims::initialised();
    let sys = aims.add_system("Scoring");
    let sys = sys.split_whitespace().nth(1).unwrap_or("SYS-1").to_owned();
    for (title, severity) in [
        ("Alpha drift", "3"),
        ("Bravo bias", "1"),
        ("Charlie leak", "2"),
    ] {
        aims.ok(&[
            "incident",
            "add",
            "--title",
            title,
            "--description",
            "Seen in production",
            "--source",
            "user_report",
            "--type",
            "safety",
            "--severity",
            severity,
            "--system",
            &sys,
            "--occurred",
            "2026-03-01",
            "--owner",
            "admin",
        ]);
    }
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| i["key"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let page = aims.json(&[
        "incident",
        "list",
        "--sort",
        "-severity",
        "--per-page",
        "2",
        "--page",
        "1",
    ]);
    assert_eq!(keys(&page), vec!["INC-1", "INC-3"]);
    assert_eq!((&page["total"], &page["per_page"]), (&3.into(), &2.into()));
    let text = aims.ok(&["incident", "list", "--sort", "title", "--per-page", "2"]);
    assert!(text.contains("1-2 of 3 (--page 2 for more)"), "{text}");
    assert!(
        text.find("Alpha drift") < text.find("Bravo bias") && !text.contains("Charlie leak"),
        "{text}"
    );
    let found = aims.json(&["incident", "list", "--q", "BRAVO", "--owner", "admin"]);
    assert_eq!(keys(&found), vec!["INC-2"]);
    assert_eq!(
        keys(&aims.json(&["incident", "list", "--type", "privacy"])),
        Vec::<String>::new()
    );
    let err = aims.fails(2, &["incident", "list", "--sort", "size"]);
    assert!(
        err.contains("error: sort: unknown value 'size'; expected one of: key, title"),
        "{err}"
    );
    let err = aims.fails(2, &["nc", "list", "--per-page", "0"]);
    assert!(
        err.contains("error: per_page: must be between 1 and 500"),
        "{err}"
    );
}
