//! The outbound monitoring webhook: a JSON post per alert or breach, signed with HMAC-SHA256.
//!
//! Each post carries `X-Aims-Event` (`monitoring.alert` or `monitoring.breach`) and
//! `X-Aims-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>`.
//! A receiver recomputes the HMAC over the timestamp and the raw body, compares in constant time
//! and rejects old timestamps, so a captured post cannot be replayed later.

use std::time::Duration;

use aims_core::monitoring::{Alert, Delivery, Run};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::record::now;

/// How long one post may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// One event to announce.
#[derive(Debug, Clone, Serialize)]
pub struct Announcement {
    /// `monitoring.alert` or `monitoring.breach`.
    pub event: &'static str,
    /// The alert (`ALR-n`) or incident (`INC-n`).
    pub subject: String,
    /// Whether this run opened it (false: added to one already open).
    pub opened: bool,
    pub system: String,
    pub metric: String,
    pub run: String,
    pub observed_at: String,
    pub value: Option<f64>,
    pub limit: Option<f64>,
}

impl Announcement {
    pub fn alert(a: &Alert, run: &Run) -> Announcement {
        Announcement {
            event: "monitoring.alert",
            subject: a.key.clone(),
            opened: a.occurrences == 1,
            system: a.system.clone(),
            metric: a.metric.clone(),
            run: run.key.clone(),
            observed_at: run.observed_at.clone(),
            value: Some(a.value),
            limit: Some(a.limit),
        }
    }

    pub fn breach(incident: &str, opened: bool, metric: &str, run: &Run) -> Announcement {
        let o = run.observations.iter().find(|o| o.metric == metric);
        Announcement {
            event: "monitoring.breach",
            subject: incident.to_string(),
            opened,
            system: run.system.clone(),
            metric: metric.to_string(),
            run: run.key.clone(),
            observed_at: run.observed_at.clone(),
            value: o.map(|o| o.value),
            limit: o.and_then(|o| o.limit),
        }
    }
}

/// The signature header value for `body` sent at `timestamp` (unix seconds).
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac(secret, timestamp, body))
    )
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length.
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return Vec::new();
    };
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.finalize().into_bytes().to_vec()
}

/// Whether `header` is a valid signature of `body` under `secret` (constant-time comparison).
pub fn verify(secret: &str, header: &str, body: &[u8]) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1 = hex::decode(x).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m.verify_slice(&v1).is_ok()
}

/// Posts one announcement; the outcome (status or error) is returned, never raised: a receiver
/// that is down must not undo a stored run.
pub async fn deliver(url: &str, secret: &str, a: &Announcement) -> Delivery {
    let body = serde_json::to_vec(a).unwrap_or_default();
    let timestamp = chrono::Utc::now().timestamp();
    let mut d = Delivery {
        system: a.system.clone(),
        event: a.event.to_string(),
        subject: a.subject.clone(),
        url: url.to_string(),
        status_code: None,
        error: None,
        delivered_at: now(),
    };
    let client = match reqwest::Client::builder().timeout(TIMEOUT).build() {
        Ok(c) => c,
        Err(e) => {
            d.error = Some(e.to_string());
            return d;
        }
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("x-aims-event", a.event)
        .header("x-aims-signature", signature(secret, timestamp, &body))
        .body(body)
        .send()
        .await;
    match sent {
        Ok(resp) => {
            d.status_code = Some(i64::from(resp.status().as_u16()));
            if !resp.status().is_success() {
                d.error = Some(format!("the receiver answered {}", resp.status()));
            }
        }
        Err(e) => d.error = Some(e.to_string()),
    }
    tracing::info!(url, event = a.event, subject = %a.subject, status = ?d.status_code, "webhook");
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_secret_time_and_body() {
        let sig = signature("0123456789abcdef", 1_700_000_000, b"{\"a\":1}");
        assert!(sig.starts_with("t=1700000000,v1="));
        assert!(verify("0123456789abcdef", &sig, b"{\"a\":1}"));
        assert!(!verify("0123456789abcdeX", &sig, b"{\"a\":1}"));
        assert!(!verify("0123456789abcdef", &sig, b"{\"a\":2}"));
        let moved = sig.replace("t=1700000000", "t=1700000001");
        assert!(!verify("0123456789abcdef", &moved, b"{\"a\":1}"));
        assert!(!verify("0123456789abcdef", "v1=00", b"{\"a\":1}"));
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body() {
        // Computed independently: printf '1.x' | openssl dgst -sha256 -hmac key
        assert_eq!(
            signature("key", 1, b"x"),
            "t=1,v1=fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec"
        );
    }
}
