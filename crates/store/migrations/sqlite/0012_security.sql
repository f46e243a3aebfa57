-- The security audit trail: sign-ins, lockouts, token use, refusals. Append-only; the triggers
-- refuse any change or removal of a recorded event.
CREATE TABLE security_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    username TEXT,
    token_key TEXT,
    client TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX security_events_kind ON security_events (kind, seq);
CREATE INDEX security_events_user ON security_events (username, seq);

CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security events are append-only');
END;

CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security events are append-only');
END;

-- Failed sign-ins per username within the current window, and the lock they led to. Kept in
-- the database so that every `aims serve` sharing it applies the same lockout.
CREATE TABLE login_failures (
    username TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_started_at TEXT NOT NULL,
    locked_until TEXT
);
