//! Measurements: verify throughput in process; latency, start time and RSS of a real `aims serve`.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use aims_app::{Actor, App};
use anyhow::{bail, Context, Result};
use serde_json::json;

pub struct Verify {
    pub events: i64,
    pub seconds: f64,
}

pub async fn verify(app: &App) -> Result<Verify> {
    // The median of three runs.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let report = app.ledger_verify(&Actor::system(), None).await?;
        if !report.intact {
            bail!("ledger not intact: {}", report.message);
        }
        runs.push((report.seconds, report.events));
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (seconds, events) = runs[1];
    println!("ledger verify: {events} events in {seconds:.3} s (median of 3)");
    Ok(Verify { events, seconds })
}

pub struct Served {
    pub list_p50_ms: f64,
    pub list_p95_ms: f64,
    pub page_p95_ms: f64,
    pub start_ms: f64,
    pub idle_rss_mib: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn serve(aims: &Path, url: &str, requests: usize) -> Result<Served> {
    let port = free_port()?;
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let health = format!("http://127.0.0.1:{port}/api/v1/health");
    let started = Instant::now();
    let mut child = tokio::process::Command::new(aims)
        .args([
            "--database-url",
            url,
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting aims serve")?;
    loop {
        if client
            .get(&health)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            bail!("aims serve did not answer within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let start_ms = started.elapsed().as_secs_f64() * 1000.0;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_rss_mib = child.id().map(rss_mib).transpose()?.unwrap_or(0.0);

    let base = format!("http://127.0.0.1:{port}");
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": "bench-admin-password"}))
        .send()
        .await?;
    if !login.status().is_success() {
        bail!("login failed: {}", login.status());
    }
    let mut list = Vec::with_capacity(requests);
    for i in 0..requests {
        let page = 1 + i % 20;
        let t = Instant::now();
        let res = client
            .get(format!(
                "{base}/api/v1/systems?stage=deployed&per_page=50&page={page}"
            ))
            .send()
            .await?;
        let body = res.bytes().await?;
        list.push(t.elapsed().as_secs_f64() * 1000.0);
        if body.len() < 1000 {
            bail!("unexpected list answer: {}", String::from_utf8_lossy(&body));
        }
    }
    let mut page_times = Vec::with_capacity(requests);
    for i in 0..requests {
        let t = Instant::now();
        let res = client
            .get(format!("{base}/systems/SYS-{}", 1 + (i * 37) % 10_000))
            .send()
            .await?;
        let status = res.status();
        let _ = res.bytes().await?;
        page_times.push(t.elapsed().as_secs_f64() * 1000.0);
        if !status.is_success() {
            bail!("system page answered {status}");
        }
    }
    let _ = child.kill().await;
    list.sort_by(f64::total_cmp);
    page_times.sort_by(f64::total_cmp);
    Ok(Served {
        list_p50_ms: percentile(&list, 0.5),
        list_p95_ms: percentile(&list, 0.95),
        page_p95_ms: percentile(&page_times, 0.95),
        start_ms,
        idle_rss_mib,
    })
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn rss_mib(pid: u32) -> Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    Ok(kb / 1024.0)
}
