//! The ledger commands, the demo organisation and the server.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{path, Aims};

#[test]
fn checkpoints_verify_and_a_wrong_one_fails() {
    let aims = Aims::initialised();
    aims.add_system("Scoring");
    let head = aims.ok(&["ledger", "checkpoint"]);
    let cp: serde_json::Value = serde_json::from_str(head.trim()).unwrap_or_default();
    assert_eq!(cp["seq"], 2, "{head}");
    assert_eq!(cp["hash"].as_str().map(str::len), Some(64));
    let file = aims.file("cp.json", &head);
    aims.add_system("Fraud");
    let out = aims.ok(&["ledger", "verify", "--checkpoint", path(&file)]);
    assert!(out.contains("ledger intact: 3 events"), "{out}");
    let report = aims.json(&["ledger", "verify"]);
    assert_eq!(report["intact"], true);

    let bad = aims.file(
        "bad.json",
        &format!("{{\"seq\":2,\"hash\":\"{}\"}}", "0".repeat(64)),
    );
    let err = aims.fails(1, &["ledger", "verify", "--checkpoint", path(&bad)]);
    assert!(err.contains("event 2"), "{err}");
    let garbage = aims.file("garbage.json", "not json");
    let err = aims.fails(2, &["ledger", "verify", "--checkpoint", path(&garbage)]);
    assert!(err.contains("error: checkpoint:"), "{err}");

    let log = aims.json(&["ledger", "log", "--entity", "sys-2"]);
    assert_eq!(log.as_array().map(Vec::len), Some(1));
    assert_eq!(log[0]["action"], "create");
    assert!(aims
        .ok(&["ledger", "log", "--limit", "1"])
        .contains("SYS-2"));
}

#[test]
fn the_log_filters_sorts_and_pages() {
    let aims = Aims::initialised();
    for name in ["Scoring", "Fraud", "Chatbot"] {
        aims.add_system(name);
    }
    let log = aims.json(&[
        "ledger",
        "log",
        "--kind",
        "ai_system",
        "--sort",
        "seq",
        "--limit",
        "2",
        "--page",
        "2",
    ]);
    let keys: Vec<&str> = log
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["key"].as_str())
        .collect();
    assert_eq!(keys, vec!["SYS-3"], "{log}");
    let out = aims.ok(&["ledger", "log", "--kind", "ai_system", "--limit", "2"]);
    assert!(out.contains("1-2 of 3 (--page 2 for more)"), "{out}");
    let seqs: Vec<&str> = out
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.parse::<i64>().is_ok())
        .collect();
    assert_eq!(seqs, vec!["4", "3"], "newest first: {out}");
    assert_eq!(
        aims.json(&["ledger", "log", "--action", "create", "--to", "2000-01-01"]),
        serde_json::json!([])
    );
    let err = aims.fails(2, &["ledger", "log", "--kind", "planet", "--from", "soon"]);
    assert!(err.contains("kind: unknown value 'planet'"), "{err}");
    assert!(err.contains("from: 'soon' is not a date"), "{err}");
}

#[test]
fn demo_seeds_twelve_systems() {
    let aims = Aims::new();
    let out = aims.ok(&["demo"]);
    assert!(out.contains("admin-demo-pass"), "{out}");
    assert!(out.contains("grace-demo-pass"), "{out}");
    let page = aims.json(&["system", "list", "--status", "all"]);
    assert_eq!(page["total"], 12);
    assert!(aims.ok(&["ledger", "verify"]).contains("ledger intact"));
    let err = aims.fails(2, &["demo"]);
    assert!(err.contains("error: demo:"), "{err}");
}

#[test]
fn serve_demo_listens_and_stops_on_sigint() {
    let aims = Aims::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aims"))
        .args([
            "--data-dir",
            path(&aims.data_dir()),
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
        ])
        .env_remove("AIMS_DATABASE_URL")
        .env_remove("AIMS_USER")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn aims serve: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut addr = None;
    let mut seen = String::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        seen.push_str(&line);
        seen.push('\n');
        if let Some(a) = line.strip_prefix("aims listening on http://") {
            addr = Some(a.to_owned());
            break;
        }
    }
    let connected = addr.as_deref().map(std::net::TcpStream::connect);
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            _ if Instant::now() > deadline => {
                let _ = child.kill();
                break None;
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    assert!(seen.contains("vera-demo-pass"), "{seen}");
    assert!(connected.is_some_and(|c| c.is_ok()), "{seen}");
    assert!(
        status.is_some_and(|s| s.success()),
        "serve did not stop cleanly: {status:?}"
    );
    assert_eq!(aims.json(&["system", "list"])["total"], 12);
}
