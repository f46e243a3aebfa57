//! The security audit trail: what happened at the door (sign-ins, lockouts, token use, refusals).

use serde::Serialize;

crate::vocabulary!(
    /// What a security event records.
    SecurityEventKind {
        LoginSucceeded => ("login_succeeded", "Sign-in succeeded"),
        LoginFailed => ("login_failed", "Sign-in failed"),
        AccountLocked => ("account_locked", "Account locked"),
        LoginRefusedLocked => ("login_refused_locked", "Sign-in refused: account locked"),
        AccountUnlocked => ("account_unlocked", "Account unlocked"),
        Logout => ("logout", "Signed out"),
        TokenUsed => ("token_used", "API token used"),
        PermissionDenied => ("permission_denied", "Permission denied"),
        CsrfRejected => ("csrf_rejected", "Form rejected (CSRF)"),
        SessionExpired => ("session_expired", "Session expired"),
        PasswordChanged => ("password_changed", "Password changed"),
        RateLimited => ("rate_limited", "Sign-in attempts throttled"),
    }
);

/// One recorded event, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityEvent {
    pub seq: i64,
    /// UTC, RFC 3339.
    pub at: String,
    pub kind: SecurityEventKind,
    pub username: Option<String>,
    pub token_key: Option<String>,
    /// The client's address, as the server saw it.
    pub client: Option<String>,
    pub detail: String,
}

/// A login lockout rule: `max_failures` failed sign-ins within `window_secs` lock the account for
/// `lock_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutRule {
    pub max_failures: i64,
    pub window_secs: i64,
    pub lock_secs: i64,
}

/// The failures counted for one username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureCount {
    pub failures: i64,
    /// Seconds since the epoch when the current window began.
    pub window_started: i64,
    /// Seconds since the epoch until which the account is locked.
    pub locked_until: Option<i64>,
}

impl LockoutRule {
    /// Whether the account is locked at `now` (seconds since the epoch).
    pub fn is_locked(&self, count: Option<&FailureCount>, now: i64) -> bool {
        count.and_then(|c| c.locked_until).is_some_and(|t| now < t)
    }

    /// The count after one more failure at `now`: a window that has passed (or a lock that has
    /// ended) starts afresh; reaching `max_failures` sets the lock.
    pub fn after_failure(&self, count: Option<&FailureCount>, now: i64) -> FailureCount {
        let fresh = match count {
            None => true,
            Some(c) => {
                now - c.window_started >= self.window_secs
                    || c.locked_until.is_some_and(|t| now >= t)
            }
        };
        let (failures, window_started) = match count {
            Some(c) if !fresh => (c.failures + 1, c.window_started),
            _ => (1, now),
        };
        let locked_until = (failures >= self.max_failures).then_some(now + self.lock_secs);
        FailureCount {
            failures,
            window_started,
            locked_until,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: LockoutRule = LockoutRule {
        max_failures: 3,
        window_secs: 60,
        lock_secs: 300,
    };

    #[test]
    fn the_third_failure_in_the_window_locks() {
        let one = RULE.after_failure(None, 1000);
        assert_eq!((one.failures, one.locked_until), (1, None));
        let two = RULE.after_failure(Some(&one), 1010);
        assert_eq!((two.failures, two.locked_until), (2, None));
        let three = RULE.after_failure(Some(&two), 1020);
        assert_eq!((three.failures, three.locked_until), (3, Some(1320)));
        assert!(RULE.is_locked(Some(&three), 1319));
        assert!(!RULE.is_locked(Some(&three), 1320));
    }

    #[test]
    fn failures_outside_the_window_start_afresh() {
        let one = RULE.after_failure(None, 1000);
        let two = RULE.after_failure(Some(&one), 1059);
        assert_eq!(two.failures, 2);
        let again = RULE.after_failure(Some(&two), 1060);
        assert_eq!((again.failures, again.window_started), (1, 1060));
    }

    #[test]
    fn a_failure_after_the_lock_ended_starts_a_new_window() {
        let locked = FailureCount {
            failures: 3,
            window_started: 0,
            locked_until: Some(100),
        };
        let next = RULE.after_failure(Some(&locked), 100);
        assert_eq!((next.failures, next.locked_until), (1, None));
    }
}
