//! The inventory's text search.

use crate::harness::{add_system, backends, fresh, system_input};
use crate::inventory_list::{k, keys};

/// Adds systems with awkward names and returns the mismatches of `cases` (text, expected keys).
async fn search_mismatches(b: &str, cases: &[(&str, &[u8])]) -> Vec<String> {
    let t = fresh(b).await;
    let names = [
        "Émile triage",
        "Über risk model",
        "Margin 100% check",
        "plain_name",
        "plainXname",
        r"C:\models\x",
    ];
    for name in names {
        add_system(&t.app, &system_input(name)).await;
    }
    let mut wrong = Vec::new();
    for (text, expected) in cases {
        let got = keys(b, &t.app, &format!("q={text}")).await;
        if got != k(expected) {
            wrong.push(format!(
                "q={text:?} found {got:?}, expected {:?}",
                k(expected)
            ));
        }
    }
    wrong
}

#[tokio::test]
async fn text_search_is_literal() {
    for b in backends() {
        let cases: &[(&str, &[u8])] = &[
            // The text exactly as stored is always found, whatever its letters.
            ("Émile", &[1]),
            ("Über", &[2]),
            ("ÜBER", &[2]),
            // LIKE's wildcards and escape are ordinary characters to the person searching.
            ("100%", &[3]),
            ("%", &[3]),
            ("plain_", &[4]),
            ("_", &[4]),
            (r"\", &[6]),
            (r"C:\models", &[6]),
            ("PLAIN", &[4, 5]),
        ];
        let wrong = search_mismatches(b, cases).await;
        assert!(wrong.is_empty(), "{b}:\n{}", wrong.join("\n"));
    }
}

/// Known bug on SQLite: its LOWER() and LIKE fold ASCII letters only, so a search that differs
/// from the stored name in the case of a non-ASCII letter finds nothing there, while PostgreSQL
/// finds it.
#[tokio::test]
async fn text_search_folds_case_beyond_ascii() {
    for b in backends() {
        let cases: &[(&str, &[u8])] = &[("émile", &[1]), ("über", &[2]), ("ÉMILE", &[1])];
        let wrong = search_mismatches(b, cases).await;
        assert!(wrong.is_empty(), "{b}:\n{}", wrong.join("\n"));
    }
}
