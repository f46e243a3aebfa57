-- Frameworks and crosswalks an organisation imported (its own, CISO Assistant libraries, or its
-- licensed text of a built-in standard). Re-importing an ID replaces the row with the next version.
CREATE TABLE imported_frameworks (
    id TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- id is SOURCE:TARGET (ISO42001:SCF).
CREATE TABLE imported_crosswalks (
    id TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
