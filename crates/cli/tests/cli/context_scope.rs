//! Context issues, interested parties and scope versions.

use crate::harness::Aims;

#[test]
fn issues_add_update_archive() {
    let aims = Aims::initialised();
    aims.ok(&[
        "context",
        "issue",
        "add",
        "--title",
        "EU AI Act",
        "--side",
        "external",
        "--category",
        "regulatory",
        "--description",
        "Obligations phase in",
        "--review-date",
        "2027-03-31",
    ]);
    aims.ok(&[
        "context",
        "issue",
        "update",
        "CTX-1",
        "--effect",
        "Conformity work",
    ]);
    let issue = aims.json(&["context", "issue", "show", "ctx-1"]);
    assert_eq!(issue["effect"], "Conformity work");
    assert_eq!(issue["review_date"], "2027-03-31");
    aims.ok(&["context", "issue", "archive", "CTX-1"]);
    assert_eq!(
        aims.json(&["context", "issue", "list"]),
        serde_json::json!([])
    );
    let all = aims.json(&["context", "issue", "list", "--all"]);
    assert_eq!(all[0]["archived"], true);
}

#[test]
fn parties_keep_their_requirements() {
    let aims = Aims::initialised();
    aims.ok(&[
        "party",
        "add",
        "--name",
        "Regulator",
        "--type",
        "regulator",
        "--requirement",
        "Register high-risk systems",
        "--addressed-requirement",
        "Report incidents=Incident procedure",
    ]);
    let p = aims.json(&["context", "party", "show", "IP-1"]);
    assert_eq!(p["requirements"][0]["addressed"], false);
    assert_eq!(p["requirements"][1]["how"], "Incident procedure");
    // Changing the description keeps the requirements; a requirement flag replaces them.
    aims.ok(&[
        "party",
        "update",
        "IP-1",
        "--description",
        "National authority",
    ]);
    let p = aims.json(&["party", "show", "IP-1"]);
    assert_eq!(p["requirements"].as_array().map(Vec::len), Some(2));
    aims.ok(&["party", "update", "IP-1", "--requirement", "Annual report"]);
    let p = aims.json(&["party", "show", "IP-1"]);
    assert_eq!(
        p["requirements"],
        serde_json::json!([{"text": "Annual report", "addressed": false, "how": null}])
    );
    let table = aims.ok(&["party", "list"]);
    assert!(table.contains("1 (0 addressed)"), "{table}");
}

#[test]
fn scope_versions_approve_and_diff() {
    let aims = Aims::initialised();
    aims.ok(&[
        "system",
        "add",
        "--name",
        "Scoring",
        "--purpose",
        "p",
        "--owner",
        "admin",
        "--unit",
        "Lending",
    ]);
    aims.ok(&[
        "system",
        "add",
        "--name",
        "Lab",
        "--purpose",
        "p",
        "--owner",
        "admin",
        "--unit",
        "Research",
    ]);
    aims.ok(&[
        "scope",
        "set",
        "--statement",
        "Lending systems",
        "--coverage",
        "units",
        "--units",
        "Lending",
    ]);
    let status = aims.json(&["scope", "show"]);
    assert!(status["approved"].is_null());
    assert_eq!(status["latest"]["version"], 1);
    assert!(aims
        .ok(&["scope", "approve", "1"])
        .contains("1 AI systems in scope, 1 out"));
    aims.ok(&[
        "scope",
        "set",
        "--statement",
        "Everything",
        "--boundaries",
        "UK",
        "--exclude",
        "SYS-2=Isolated lab",
        "--exclude",
        "Staff tools=Blocked by policy",
    ]);
    aims.ok(&["scope", "approve", "2"]);
    let status = aims.json(&["scope", "show"]);
    assert_eq!(status["approved"]["version"], 2);
    assert_eq!(status["approved"]["exclusions"][1]["item"], "Staff tools");
    assert_eq!(
        (
            status["systems_in_scope"].as_i64(),
            status["systems_out_of_scope"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let history = aims.json(&["scope", "history"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    let diff = aims.ok(&["scope", "diff", "1", "2"]);
    assert!(
        diff.contains("+ Excluded: SYS-2 (justification: Isolated lab)"),
        "{diff}"
    );
    assert!(diff.contains("- Lending systems"), "{diff}");
    let lines = aims.json(&["scope", "diff", "1", "2"]);
    assert!(lines
        .as_array()
        .is_some_and(|l| l.iter().any(|l| l["change"] == "added")));
    let human = aims.ok(&["scope", "show"]);
    assert!(human.contains("scope in force: version 2"), "{human}");
}
