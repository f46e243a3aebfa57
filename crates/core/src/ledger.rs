//! The change ledger's rules: how an event is written down canonically and chained by SHA-256.
//!
//! `hash(n) = SHA-256(hash(n-1) as lower-case hex || canonical(event n))`, with 64 zeros before
//! the first event. The event's canonical text embeds the entity's state, which is itself stored
//! as canonical JSON, so verification hashes the stored bytes without re-parsing them.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::canonical::write_str;

/// The hash that precedes the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened to an entity.
pub mod actions {
    pub const CREATE: &str = "create";
    pub const UPDATE: &str = "update";
    pub const ARCHIVE: &str = "archive";
    pub const RETIRE: &str = "retire";
    pub const APPROVE: &str = "approve";
    pub const DISABLE: &str = "disable";
    pub const REVOKE: &str = "revoke";
    pub const UNLOCK: &str = "unlock";
    pub const SET_PASSWORD: &str = "set_password";
    pub const LINK: &str = "link";
}

/// One ledger event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub key: String,
    pub action: String,
    /// The entity's new state, canonical JSON.
    pub data: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The fields that the hash covers, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct EventBody<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor: &'a str,
    pub kind: &'a str,
    pub key: &'a str,
    pub action: &'a str,
    pub data: &'a str,
}

impl EventBody<'_> {
    /// Canonical JSON of the event: keys in byte order, `data` embedded as stored.
    pub fn canonical(&self, out: &mut String) {
        out.clear();
        out.push_str("{\"action\":");
        write_str(self.action, out);
        out.push_str(",\"actor\":");
        write_str(self.actor, out);
        out.push_str(",\"at\":");
        write_str(self.at, out);
        out.push_str(",\"data\":");
        out.push_str(self.data);
        out.push_str(",\"key\":");
        write_str(self.key, out);
        out.push_str(",\"kind\":");
        write_str(self.kind, out);
        out.push_str(",\"seq\":");
        out.push_str(&self.seq.to_string());
        out.push('}');
    }

    /// The event's chained hash after `prev_hash`.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut buf = String::with_capacity(256 + self.data.len());
        self.canonical(&mut buf);
        chain(prev_hash, &buf)
    }
}

impl Event {
    pub fn body(&self) -> EventBody<'_> {
        EventBody {
            seq: self.seq,
            at: &self.at,
            actor: &self.actor,
            kind: &self.kind,
            key: &self.key,
            action: &self.action,
            data: &self.data,
        }
    }
}

/// `SHA-256(prev_hash || canonical)` in lower-case hex.
pub fn chain(prev_hash: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// The head of the chain at one point: what an auditor keeps to prove nothing before it changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

/// Why the chain is broken, naming the first place it breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Break {
    /// A sequence number is missing or out of order (an event was deleted or inserted).
    Gap { expected_seq: i64, found_seq: i64 },
    /// The event does not link to the hash of the one before it.
    PrevHash { seq: i64 },
    /// The event's content no longer gives its recorded hash (it was edited).
    Hash { seq: i64 },
    /// The checkpoint's event is missing or has another hash.
    Checkpoint { seq: i64 },
    /// An entity's current row differs from the state its last event recorded.
    EntityMismatch {
        kind: String,
        key: String,
        last_seq: i64,
    },
    /// An entity row exists that no event ever recorded.
    EntityUnrecorded { kind: String, key: String },
    /// An entity that events recorded has no row any more (deleted outside aims).
    EntityMissing {
        kind: String,
        key: String,
        last_seq: i64,
    },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Gap { expected_seq, found_seq } => {
                write!(f, "sequence broken at {expected_seq}: found event {found_seq} (an event was deleted or moved)")
            }
            Break::PrevHash { seq } => write!(f, "event {seq} does not link to the hash of event {}", seq - 1),
            Break::Hash { seq } => write!(f, "event {seq} was altered: its content no longer matches its hash"),
            Break::Checkpoint { seq } => write!(f, "checkpoint at event {seq} does not match: history up to it was rewritten"),
            Break::EntityMismatch { kind, key, last_seq } => write!(
                f,
                "{kind} {key} was changed outside aims: its row differs from the state recorded by event {last_seq}"
            ),
            Break::EntityMissing { kind, key, last_seq } => {
                write!(f, "{kind} {key} recorded by event {last_seq} no longer exists (deleted outside aims)")
            }
            Break::EntityUnrecorded { kind, key } => {
                write!(f, "{kind} {key} exists but no ledger event records it (inserted outside aims)")
            }
        }
    }
}

/// Whether `hash` is `SHA-256(prev_hash || canonical)`, without allocating.
fn chain_matches(prev_hash: &str, canonical: &str, hash: &str) -> bool {
    let mut expected = [0u8; 32];
    if hex::decode_to_slice(hash, &mut expected).is_err() {
        return false;
    }
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical.as_bytes());
    h.finalize().as_slice() == expected
}

/// Checks one contiguous stretch of the chain, `from..=to`, one event at a time, keeping only
/// the running head. The whole chain is one stretch from 1; several stretches checked in
/// parallel are joined with [`join_segments`], which gives the same first break.
#[derive(Debug)]
pub struct ChainVerifier {
    from: i64,
    expected_seq: i64,
    /// The hash the next event must link to; unknown at the start of a later stretch.
    prev_hash: Option<String>,
    /// The stored link of the stretch's first event, checked when stretches are joined.
    first_prev: Option<String>,
    buf: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::from_seq(1)
    }
}

impl ChainVerifier {
    /// A verifier for the stretch that starts at `seq` (1 for the whole chain).
    pub fn from_seq(seq: i64) -> Self {
        Self {
            from: seq,
            expected_seq: seq,
            prev_hash: (seq <= 1).then(|| GENESIS.to_owned()),
            first_prev: None,
            buf: String::with_capacity(1024),
        }
    }

    /// Checks the next event; the first problem found is returned.
    pub fn check(&mut self, body: EventBody<'_>, prev_hash: &str, hash: &str) -> Result<(), Break> {
        if body.seq != self.expected_seq {
            return Err(Break::Gap {
                expected_seq: self.expected_seq,
                found_seq: body.seq,
            });
        }
        match &self.prev_hash {
            Some(expected) if expected != prev_hash => {
                return Err(Break::PrevHash { seq: body.seq })
            }
            Some(_) => {}
            None => self.first_prev = Some(prev_hash.to_owned()),
        }
        body.canonical(&mut self.buf);
        if !chain_matches(prev_hash, &self.buf, hash) {
            return Err(Break::Hash { seq: body.seq });
        }
        let head = self.prev_hash.get_or_insert_with(String::new);
        head.clear();
        head.push_str(hash);
        self.expected_seq += 1;
        Ok(())
    }

    /// Checks that the stretch reached `to`: events missing at its end are a gap.
    pub fn finish(&self, to: i64) -> Result<(), Break> {
        if self.expected_seq <= to {
            return Err(Break::Gap {
                expected_seq: self.expected_seq,
                found_seq: to + 1,
            });
        }
        Ok(())
    }

    /// Events checked so far in this stretch.
    pub fn count(&self) -> i64 {
        self.expected_seq - self.from
    }

    /// The head after the events checked so far.
    pub fn head(&self) -> Checkpoint {
        Checkpoint {
            seq: self.expected_seq - 1,
            hash: self.prev_hash.clone().unwrap_or_else(|| GENESIS.to_owned()),
        }
    }
}

/// Joins stretches checked separately, in chain order, each with the outcome of its own check.
/// Returns the first break of the whole chain, as a single sequential pass would find it.
pub fn join_segments(segments: &[(ChainVerifier, Result<(), Break>)]) -> Result<(), Break> {
    for (i, (verifier, outcome)) in segments.iter().enumerate() {
        if i > 0 {
            let (before, _) = &segments[i - 1];
            if let Some(first_prev) = &verifier.first_prev {
                if before.prev_hash.as_deref() != Some(first_prev.as_str()) {
                    return Err(Break::PrevHash { seq: verifier.from });
                }
            }
        }
        outcome.clone()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, prev: &str, data: &str) -> Event {
        let mut e = Event {
            seq,
            at: "2026-01-01T00:00:00.000000Z".into(),
            actor: "alice".into(),
            kind: "ai_system".into(),
            key: "SYS-1".into(),
            action: "create".into(),
            data: data.into(),
            prev_hash: prev.into(),
            hash: String::new(),
        };
        e.hash = e.body().hash(prev);
        e
    }

    fn chain_of(n: i64) -> Vec<Event> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|i| {
                let e = event(i, &prev, &format!("{{\"n\":{i}}}"));
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(events: &[Event]) -> Result<(), Break> {
        let mut v = ChainVerifier::default();
        events
            .iter()
            .try_for_each(|e| v.check(e.body(), &e.prev_hash, &e.hash))
    }

    /// Verifies in stretches of `size` events, as the parallel verification does.
    fn verify_in_segments(events: &[Event], size: usize) -> Result<(), Break> {
        let last = events.last().map_or(0, |e| e.seq);
        let mut segments = Vec::new();
        let mut from = 1;
        while from <= last {
            let to = (from + size as i64 - 1).min(last);
            let mut v = ChainVerifier::from_seq(from);
            let outcome = events
                .iter()
                .filter(|e| e.seq >= from && e.seq <= to)
                .try_for_each(|e| v.check(e.body(), &e.prev_hash, &e.hash))
                .and_then(|()| v.finish(to));
            segments.push((v, outcome));
            from = to + 1;
        }
        join_segments(&segments)
    }

    fn first_seq(b: Break) -> i64 {
        match b {
            Break::Hash { seq } | Break::PrevHash { seq } => seq,
            Break::Gap { expected_seq, .. } => expected_seq,
            _ => -1,
        }
    }

    #[test]
    fn segments_find_the_same_first_break() {
        let intact = chain_of(12);
        for size in [1, 3, 5, 12] {
            assert_eq!(verify_in_segments(&intact, size), Ok(()), "size {size}");
        }
        let mut edited = chain_of(12);
        edited[6].data = "{\"n\":0}".into();
        let mut relinked = chain_of(12);
        relinked[6].prev_hash = "f".repeat(64);
        let mut gap = chain_of(12);
        gap.remove(5);
        for (name, events) in [("edited", edited), ("relinked", relinked), ("gap", gap)] {
            let expected = verify(&events).map_err(first_seq);
            assert!(expected.is_err(), "{name}");
            for size in [2, 3, 4, 6] {
                assert_eq!(
                    verify_in_segments(&events, size).map_err(first_seq),
                    expected,
                    "{name}, size {size}"
                );
            }
        }
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain_of(5)), Ok(()));
    }

    #[test]
    fn edited_data_is_named() {
        let mut events = chain_of(5);
        events[2].data = "{\"n\":99}".into();
        assert_eq!(verify(&events), Err(Break::Hash { seq: 3 }));
    }

    #[test]
    fn deleted_event_is_a_gap() {
        let mut events = chain_of(5);
        events.remove(1);
        assert_eq!(
            verify(&events),
            Err(Break::Gap {
                expected_seq: 2,
                found_seq: 3
            })
        );
    }

    #[test]
    fn swapped_contents_break_the_link() {
        let mut events = chain_of(5);
        let (a, b) = (events[1].clone(), events[2].clone());
        events[1] = Event { seq: 2, ..b };
        events[2] = Event { seq: 3, ..a };
        assert_eq!(verify(&events), Err(Break::PrevHash { seq: 2 }));
    }

    #[test]
    fn canonical_event_is_stable() {
        let e = event(1, GENESIS, "{}");
        let mut buf = String::new();
        e.body().canonical(&mut buf);
        assert_eq!(
            buf,
            r#"{"action":"create","actor":"alice","at":"2026-01-01T00:00:00.000000Z","data":{},"key":"SYS-1","kind":"ai_system","seq":1}"#
        );
        let value: serde_json::Value = serde_json::from_str(&buf).unwrap_or_default();
        assert_eq!(crate::canonical::to_string(&value), buf);
    }
}
