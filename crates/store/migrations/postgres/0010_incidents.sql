-- Incidents and nonconformities (ISO/IEC 42001 10.1, 10.2, A.8.4). Each record is kept whole as
-- JSON (timeline, root cause, checks included); what lists and lookups filter on is a column.
CREATE TABLE incidents (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    severity BIGINT NOT NULL,
    incident_type TEXT NOT NULL,
    source TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES users (username),
    serious_basis TEXT,
    -- The monitoring metric a monitoring incident was opened for: one open incident per pair.
    monitor_system TEXT,
    monitor_metric TEXT,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incidents_status ON incidents (status, n);
CREATE INDEX incidents_monitor ON incidents (monitor_system, monitor_metric, status);

CREATE TABLE incident_systems (
    incident_key TEXT NOT NULL REFERENCES incidents (key),
    system_key TEXT NOT NULL REFERENCES ai_systems (key),
    PRIMARY KEY (incident_key, system_key)
);
CREATE INDEX incident_systems_system ON incident_systems (system_key);

CREATE TABLE nonconformities (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    source TEXT NOT NULL,
    source_ref TEXT,
    owner TEXT NOT NULL REFERENCES users (username),
    due_date TEXT,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX nonconformities_status ON nonconformities (status, n);

-- Corrective actions of a nonconformity: roadmap actions.
CREATE TABLE nc_actions (
    nc_key TEXT NOT NULL REFERENCES nonconformities (key),
    action_key TEXT NOT NULL REFERENCES actions (key),
    PRIMARY KEY (nc_key, action_key)
);
CREATE INDEX nc_actions_action ON nc_actions (action_key);
