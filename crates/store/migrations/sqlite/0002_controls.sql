-- The organisation's controls (ISO/IEC 42001 6.1.3, Annex A) and their links.
CREATE TABLE controls (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES users (username),
    status TEXT NOT NULL,
    implementation_date TEXT,
    effectiveness TEXT NOT NULL,
    review_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX controls_status ON controls (status, n);
CREATE INDEX controls_owner ON controls (owner, n);

CREATE TABLE control_requirements (
    control_key TEXT NOT NULL REFERENCES controls (key),
    requirement TEXT NOT NULL,
    PRIMARY KEY (control_key, requirement)
);
CREATE INDEX control_requirements_requirement ON control_requirements (requirement);

CREATE TABLE control_systems (
    control_key TEXT NOT NULL REFERENCES controls (key),
    system_key TEXT NOT NULL REFERENCES ai_systems (key),
    PRIMARY KEY (control_key, system_key)
);
CREATE INDEX control_systems_system ON control_systems (system_key);
