-- What the incident, nonconformity, control and action lists filter and sort on: a `search`
-- column (key and words, lower-cased by aims when a record is written) and an incident's title.
-- Rows written before this migration are folded here by lower().
ALTER TABLE incidents ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE nonconformities ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE controls ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN search TEXT NOT NULL DEFAULT '';

UPDATE incidents SET
    title = content::jsonb ->> 'title',
    search = lower(key || ' ' || (content::jsonb ->> 'title') || ' ' || (content::jsonb ->> 'description'));
UPDATE nonconformities SET
    search = lower(key || ' ' || COALESCE(content::jsonb ->> 'requirement', '') || ' ' || (content::jsonb ->> 'description'));
UPDATE controls SET search = lower(key || ' ' || name || ' ' || description);
UPDATE actions SET search = lower(key || ' ' || title || ' ' || COALESCE(description, ''));
