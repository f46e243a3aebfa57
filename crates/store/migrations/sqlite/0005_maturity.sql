-- Maturity assessments of the AI management system: one answer per sub-clause of clauses 4 to 10.
CREATE TABLE maturity_assessments (
    key TEXT PRIMARY KEY,
    n BIGINT NOT NULL UNIQUE,
    assessed_on TEXT NOT NULL,
    assessor TEXT NOT NULL REFERENCES users (username),
    note TEXT NOT NULL,
    default_target BIGINT NOT NULL,
    answers TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX maturity_assessments_assessed_on ON maturity_assessments (assessed_on, n);
