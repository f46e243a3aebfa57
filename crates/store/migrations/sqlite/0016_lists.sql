-- What the incident, nonconformity, control and action lists filter and sort on: a `search`
-- column (key and words, lower-cased by aims when a record is written) and an incident's title.
-- Rows written before this migration are folded here by SQLite's lower(), which folds ASCII
-- only; the next write of a record folds it fully.
ALTER TABLE incidents ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE nonconformities ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE controls ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN search TEXT NOT NULL DEFAULT '';

UPDATE incidents SET
    title = json_extract(content, '$.title'),
    search = lower(key || ' ' || json_extract(content, '$.title') || ' ' || json_extract(content, '$.description'));
UPDATE nonconformities SET
    search = lower(key || ' ' || COALESCE(json_extract(content, '$.requirement'), '') || ' ' || json_extract(content, '$.description'));
UPDATE controls SET search = lower(key || ' ' || name || ' ' || description);
UPDATE actions SET search = lower(key || ' ' || title || ' ' || COALESCE(description, ''));
