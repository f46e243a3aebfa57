-- Monitoring of deployed AI systems (ISO/IEC 42001 9.1, A.6.2.6): one plan per system, runs with
-- the observations they judged, alerts raised by warnings, and the outbound webhook deliveries.
CREATE TABLE monitoring_plans (
    system_key TEXT PRIMARY KEY REFERENCES ai_systems (key),
    schema_toml TEXT NOT NULL,
    rules TEXT NOT NULL,
    window_kind TEXT NOT NULL,
    schedule TEXT NOT NULL,
    owner TEXT NOT NULL,
    webhook_url TEXT,
    webhook_secret TEXT,
    version BIGINT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE monitoring_runs (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    system_key TEXT NOT NULL REFERENCES ai_systems (key),
    source TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    rows_reference BIGINT NOT NULL,
    rows_current BIGINT NOT NULL,
    current_sha256 TEXT,
    reference_sha256 TEXT,
    report_sha256 TEXT,
    label TEXT,
    outcome TEXT NOT NULL,
    unmatched TEXT NOT NULL,
    plan_version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    report TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX monitoring_runs_system ON monitoring_runs (system_key, n);

-- The watched values of each run, for trends: one row per run and metric.
CREATE TABLE monitoring_observations (
    run_key TEXT NOT NULL REFERENCES monitoring_runs (key),
    position BIGINT NOT NULL,
    system_key TEXT NOT NULL,
    metric TEXT NOT NULL,
    value REAL NOT NULL,
    level TEXT NOT NULL,
    limit_value REAL,
    rule TEXT NOT NULL,
    direction TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    PRIMARY KEY (run_key, position)
);
CREATE INDEX monitoring_observations_trend ON monitoring_observations (system_key, metric, observed_at);

CREATE TABLE monitoring_alerts (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    system_key TEXT NOT NULL REFERENCES ai_systems (key),
    metric TEXT NOT NULL,
    first_run TEXT NOT NULL,
    last_run TEXT NOT NULL,
    value REAL NOT NULL,
    limit_value REAL NOT NULL,
    occurrences BIGINT NOT NULL,
    status TEXT NOT NULL,
    acknowledged_by TEXT,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX monitoring_alerts_open ON monitoring_alerts (system_key, metric, status);

-- Operational log of webhook posts (not governance records, so outside the ledger).
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    system_key TEXT NOT NULL,
    event TEXT NOT NULL,
    subject TEXT NOT NULL,
    url TEXT NOT NULL,
    status_code BIGINT,
    error TEXT,
    delivered_at TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_system ON webhook_deliveries (system_key, id);
