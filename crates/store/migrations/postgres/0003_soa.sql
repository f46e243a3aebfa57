-- The Statement of Applicability (ISO/IEC 42001 6.1.3 d): decisions per Annex A control, and versions.
CREATE TABLE soa_entries (
    control_id TEXT PRIMARY KEY,
    applicable BIGINT NOT NULL,
    justification TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE soa_versions (
    key TEXT PRIMARY KEY,
    version BIGINT NOT NULL UNIQUE,
    content TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    approved_by TEXT,
    approved_at TEXT
);
