-- Foundation: users, sessions, tokens, inventory, context, scope, the change ledger.
CREATE TABLE counters (kind TEXT PRIMARY KEY, next BIGINT NOT NULL);

CREATE TABLE users (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES users (username),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_username ON sessions (username);

CREATE TABLE api_tokens (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES users (username),
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX api_tokens_owner ON api_tokens (owner);

CREATE TABLE ai_systems (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    intended_use TEXT,
    owner TEXT NOT NULL REFERENCES users (username),
    business_unit TEXT,
    stage TEXT NOT NULL,
    technique TEXT NOT NULL,
    ai_roles TEXT NOT NULL,
    supplier TEXT,
    data_categories TEXT NOT NULL,
    stakeholders TEXT NOT NULL,
    regions TEXT NOT NULL,
    eu_class TEXT NOT NULL,
    eu_rationale TEXT,
    criticality TEXT NOT NULL,
    status TEXT NOT NULL,
    retired_reason TEXT,
    in_scope BIGINT NOT NULL DEFAULT 0,
    -- key, name and purpose lower-cased by aims (Unicode-aware on both engines), for search.
    search TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ai_systems_stage ON ai_systems (stage, n);
CREATE INDEX ai_systems_owner ON ai_systems (owner, n);
CREATE INDEX ai_systems_unit ON ai_systems (business_unit, n);
CREATE INDEX ai_systems_eu_class ON ai_systems (eu_class, n);
CREATE INDEX ai_systems_scope ON ai_systems (in_scope, n);

CREATE TABLE context_issues (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    title TEXT NOT NULL UNIQUE,
    side TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    effect TEXT,
    review_date TEXT,
    archived BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE parties (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    party_type TEXT NOT NULL,
    description TEXT,
    requirements TEXT NOT NULL,
    archived BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE scope_versions (
    key TEXT PRIMARY KEY,
    version BIGINT NOT NULL UNIQUE,
    statement TEXT NOT NULL,
    boundaries TEXT,
    units TEXT NOT NULL,
    coverage TEXT NOT NULL,
    systems TEXT NOT NULL,
    exclusions TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT
);

CREATE TABLE ledger (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    action TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX ledger_key ON ledger (key, seq);
