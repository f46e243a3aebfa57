-- AI risk (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): method versions, the register and the score history.
CREATE TABLE risk_methodologies (
    key TEXT PRIMARY KEY,
    version BIGINT NOT NULL UNIQUE,
    content TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE risks (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    cause TEXT NOT NULL,
    event TEXT NOT NULL,
    consequence TEXT NOT NULL,
    category TEXT NOT NULL,
    sub_category TEXT,
    systems TEXT NOT NULL,
    risk_sources TEXT NOT NULL,
    objectives TEXT NOT NULL,
    owner TEXT NOT NULL REFERENCES users (username),
    inherent TEXT,
    treatment TEXT,
    treatment_option TEXT,
    residual TEXT,
    residual_reason TEXT,
    methodology_version BIGINT NOT NULL,
    inherent_likelihood BIGINT,
    inherent_impact BIGINT,
    inherent_level TEXT,
    inherent_low TEXT,
    inherent_high TEXT,
    residual_likelihood BIGINT,
    residual_impact BIGINT,
    residual_level TEXT,
    current_level TEXT,
    status TEXT NOT NULL,
    acceptances TEXT NOT NULL,
    reviews TEXT NOT NULL,
    next_review TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX risks_status ON risks (status, n);
CREATE INDEX risks_owner ON risks (owner, n);
CREATE INDEX risks_current_level ON risks (current_level, n);
CREATE INDEX risks_next_review ON risks (next_review);
-- Cells of the heat maps: counted from the index alone, listed in key order.
CREATE INDEX risks_inherent_cell ON risks (inherent_likelihood, inherent_impact, n, status);
CREATE INDEX risks_residual_cell ON risks (residual_likelihood, residual_impact, n, status);

CREATE TABLE risk_systems (
    risk_key TEXT NOT NULL REFERENCES risks (key),
    system_key TEXT NOT NULL REFERENCES ai_systems (key),
    PRIMARY KEY (risk_key, system_key)
);
CREATE INDEX risk_systems_system ON risk_systems (system_key);

-- The scores of each risk under each method version it was scored with (the last score per version).
CREATE TABLE risk_scores (
    risk_key TEXT NOT NULL REFERENCES risks (key),
    methodology_version BIGINT NOT NULL,
    inherent_likelihood BIGINT,
    inherent_impact BIGINT,
    inherent_level TEXT,
    inherent_low TEXT,
    inherent_high TEXT,
    residual_likelihood BIGINT,
    residual_impact BIGINT,
    residual_level TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (risk_key, methodology_version)
);
