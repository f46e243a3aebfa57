-- Implementations of other management-system standards the organisation already runs (ISO/IEC
-- 27001, ISO 9001), imported from their own registers: one row per control or clause.
CREATE TABLE external_imports (
    framework TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    imported_by TEXT NOT NULL REFERENCES users (username),
    imported_at TEXT NOT NULL
);

CREATE TABLE external_implementations (
    framework TEXT NOT NULL REFERENCES external_imports (framework),
    item_id TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (framework, item_id)
);
