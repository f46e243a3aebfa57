-- AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5): one row per version of a system's
-- assessment; the whole assessment as JSON, and what lists filter on as columns.
CREATE TABLE impact_assessments (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    system_key TEXT NOT NULL REFERENCES ai_systems (key),
    version BIGINT NOT NULL,
    status TEXT NOT NULL,
    author TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (system_key, version)
);
CREATE INDEX impact_assessments_status ON impact_assessments (status, n);
