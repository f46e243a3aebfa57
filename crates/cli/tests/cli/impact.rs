//! `aims impact ...`: a draft added, refused with exit 2 naming the field, updated, signed off by
//! a reviewer (not its author), due for re-assessment after a system change, and a new version.

use crate::harness::{on_postgres, path, Aims, PASSWORD};

const AREAS: [&str; 8] = [
    "fairness_and_discrimination",
    "privacy",
    "safety",
    "human_rights",
    "transparency_and_explainability",
    "accountability",
    "environment",
    "economic",
];

#[test]
fn an_assessment_is_added_refused_signed_and_falls_due() {
    flow(&Aims::initialised());
}

/// The same on PostgreSQL, when `AIMS_TEST_POSTGRES_URL` names a server (needs psql).
#[test]
fn an_assessment_is_added_refused_signed_and_falls_due_on_postgres() {
    on_postgres("impact", flow);
}

fn flow(aims: &Aims) {
    aims.add_system("Credit scoring");
    let before = aims.events();

    let err = aims.fails(
        2,
        &[
            "impact",
            "add",
            "--system",
            "SYS-1",
            "--intended-use",
            "Scoring",
            "--harm",
            "privacy:6:2:Leak",
        ],
    );
    assert!(err.contains("harms[privacy].severity"), "{err}");
    let err = aims.fails(
        2,
        &[
            "impact",
            "add",
            "--system",
            "SYS-1",
            "--intended-use",
            "Scoring",
            "--harm",
            "privacy:x:2:Leak",
        ],
    );
    assert!(err.contains("harms[privacy].severity"), "{err}");
    let err = aims.fails(
        2,
        &[
            "impact",
            "add",
            "--system",
            "SYS-7",
            "--intended-use",
            "Scoring",
        ],
    );
    assert!(err.contains("system"), "{err}");
    let err = aims.fails(
        2,
        &[
            "impact",
            "add",
            "--system",
            "SYS-1",
            "--intended-use",
            "Scoring",
            "--mitigation",
            "Review | RSK-3 | CTL-1",
        ],
    );
    assert!(err.contains("mitigations[0].risks"), "{err}");
    assert_eq!(aims.events(), before, "refused input wrote to the ledger");

    let harms: Vec<String> = AREAS
        .iter()
        .map(|a| format!("{a}:2:3:Possible harm to {a}"))
        .collect();
    let mut add = vec![
        "impact",
        "add",
        "--system",
        "sys-1",
        "--intended-use",
        "Advises credit officers",
        "--misuse",
        "Automated declines",
        "--affected",
        "Applicants",
        "--vulnerable",
        "Young adults",
        "--residual",
        "Acceptable with review",
    ];
    for h in &harms {
        add.push("--harm");
        add.push(h);
    }
    let out = aims.ok(&add);
    assert!(
        out.contains("added AIA-1 (version 1 of SYS-1's assessment, draft)"),
        "{out}"
    );
    let out = aims.ok(&[
        "impact",
        "update",
        "aia-1",
        "--benefits",
        "Faster decisions",
    ]);
    assert!(out.contains("updated AIA-1 (draft)"), "{out}");

    // The author may not sign; a risk owner may; a contributor may not write at all.
    let err = aims.fails(2, &["impact", "sign", "AIA-1"]);
    assert!(err.contains("author"), "{err}");
    let pw = aims.file("pw", &format!("{PASSWORD}\n"));
    for (user, role) in [("rosa", "risk_owner"), ("alan", "contributor")] {
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
    let err = aims.fails(1, &["--as", "alan", "impact", "sign", "AIA-1"]);
    assert!(err.contains("contributor"), "{err}");
    let out = aims.ok(&[
        "--as", "rosa", "impact", "sign", "AIA-1", "--note", "Checked",
    ]);
    assert!(out.contains("signed AIA-1 off as rosa"), "{out}");
    let err = aims.fails(2, &["impact", "update", "AIA-1", "--benefits", "x"]);
    assert!(err.contains("status"), "{err}");

    let shown = aims.json(&["impact", "show", "AIA-1"]);
    assert_eq!(shown["status"], "signed");
    assert_eq!(shown["benefits"], "Faster decisions");
    assert_eq!(shown["harms"]["privacy"]["level"], "medium");
    let out = aims.ok(&["impact", "show", "AIA-1"]);
    assert!(
        out.contains("privacy: severity 2 x likelihood 3 = medium"),
        "{out}"
    );

    // The system's technique changes: the signed assessment is due for re-assessment.
    aims.ok(&["system", "update", "SYS-1", "--technique", "generative"]);
    let due = aims.json(&["impact", "list", "--status", "reassessment_due"]);
    assert_eq!(due.as_array().map(Vec::len), Some(1), "{due}");
    assert_eq!(due[0]["key"], "AIA-1");
    assert_eq!(
        due[0]["reassessment_reasons"][0],
        "technique: other → generative"
    );
    let out = aims.ok(&["impact", "list"]);
    assert!(out.contains("reassessment_due"), "{out}");
    let err = aims.fails(2, &["impact", "list", "--status", "late"]);
    assert!(err.contains("status"), "{err}");

    // A new version starts from the old one; once signed it supersedes it.
    let out = aims.ok(&["--as", "rosa", "impact", "add", "--system", "SYS-1"]);
    assert!(out.contains("added AIA-2 (version 2"), "{out}");
    aims.ok(&["impact", "sign", "AIA-2"]);
    let out = aims.ok(&["impact", "list", "--system", "SYS-1"]);
    assert!(out.contains("signed (superseded by AIA-2)"), "{out}");
    let verify = aims.ok(&["ledger", "verify"]);
    assert!(verify.contains("ledger intact"), "{verify}");
}
