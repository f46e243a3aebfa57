-- Notifications (what is due or overdue for whom) and their e-mail digests.
-- Users may give an address for the digests; old users keep none.
ALTER TABLE users ADD COLUMN email TEXT;

-- Operational log of digest e-mails (outside the ledger): one row per item sent to a user for one
-- due date, so an item is mailed again only when its date moves.
CREATE TABLE notifications_sent (
    username TEXT NOT NULL REFERENCES users (username),
    area TEXT NOT NULL,
    item_key TEXT NOT NULL,
    due_date TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (username, area, item_key, due_date)
);

-- What each person owns and when it falls due: one index range per user and area.
CREATE INDEX risks_owner_review ON risks (owner, next_review, status);
CREATE INDEX actions_owner_due ON actions (owner, due_date, status);
CREATE INDEX nonconformities_owner_due ON nonconformities (owner, due_date, status);
CREATE INDEX incidents_owner_status ON incidents (owner, status);
CREATE INDEX incidents_serious ON incidents (serious_basis, status);
CREATE INDEX monitoring_plans_owner ON monitoring_plans (owner);
-- Everyone's overdue items, counted from the indexes alone.
CREATE INDEX risks_review_status ON risks (next_review, status);
CREATE INDEX actions_due_status ON actions (due_date, status);
CREATE INDEX nonconformities_due_status ON nonconformities (due_date, status);
CREATE INDEX incidents_status_severity ON incidents (status, severity);
-- The top risks: the residual score where estimated, else the inherent one.
CREATE INDEX risks_top_score ON risks ((COALESCE(residual_likelihood * residual_impact, inherent_likelihood * inherent_impact)), n);
CREATE INDEX risks_owner_score ON risks (owner, (COALESCE(residual_likelihood * residual_impact, inherent_likelihood * inherent_impact)), n);
