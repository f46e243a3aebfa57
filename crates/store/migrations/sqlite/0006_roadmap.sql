-- The implementation roadmap: actions, certification bodies and leadership briefings.
CREATE TABLE actions (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT,
    owner TEXT NOT NULL REFERENCES users (username),
    start_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL,
    effort BIGINT NOT NULL,
    depends_on TEXT NOT NULL,
    gap TEXT,
    requirements TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX actions_status ON actions (status, n);
CREATE INDEX actions_owner ON actions (owner, n);
CREATE INDEX actions_due ON actions (due_date);

CREATE TABLE certification_bodies (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    accreditation TEXT,
    sectors TEXT NOT NULL,
    ai_experience TEXT,
    notes TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE briefings (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    audience TEXT NOT NULL,
    summary TEXT NOT NULL,
    decisions TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX briefings_kind ON briefings (kind, date);
