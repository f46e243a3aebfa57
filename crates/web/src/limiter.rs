//! Sign-in attempts per client address: a sliding window held in this process. (The lockout of
//! an account lives in the database and holds across processes; this only slows one client.)

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Clients remembered before the idle ones are swept out.
const SWEEP_AT: usize = 10_000;

#[derive(Debug)]
pub struct LoginLimiter {
    max: usize,
    window: Duration,
    seen: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(max: u32, window: Duration) -> LoginLimiter {
        LoginLimiter {
            max: usize::try_from(max.max(1)).unwrap_or(usize::MAX),
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one attempt by `client`; refused with the seconds to wait when the client has
    /// used up its attempts in the window.
    pub fn attempt(&self, client: &str) -> Result<(), u64> {
        self.attempt_at(client, Instant::now())
    }

    fn attempt_at(&self, client: &str, now: Instant) -> Result<(), u64> {
        let Ok(mut seen) = self.seen.lock() else {
            return Ok(());
        };
        if seen.len() >= SWEEP_AT {
            let window = self.window;
            seen.retain(|_, times| times.back().is_some_and(|t| now - *t < window));
        }
        let times = seen.entry(client.to_owned()).or_default();
        while times.front().is_some_and(|t| now - *t >= self.window) {
            times.pop_front();
        }
        if times.len() >= self.max {
            let wait = times
                .front()
                .map_or(self.window, |t| self.window.saturating_sub(now - *t));
            return Err(wait.as_secs().max(1));
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_held_back_after_its_attempts_until_the_window_moves_on() {
        let l = LoginLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(l.attempt_at("10.0.0.1", t0), Ok(()));
        assert_eq!(
            l.attempt_at("10.0.0.1", t0 + Duration::from_secs(10)),
            Ok(())
        );
        assert_eq!(
            l.attempt_at("10.0.0.1", t0 + Duration::from_secs(20)),
            Err(40)
        );
        // Another client is not affected.
        assert_eq!(
            l.attempt_at("10.0.0.2", t0 + Duration::from_secs(20)),
            Ok(())
        );
        assert_eq!(
            l.attempt_at("10.0.0.1", t0 + Duration::from_secs(60)),
            Ok(())
        );
    }
}
