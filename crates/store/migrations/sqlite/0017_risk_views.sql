-- What the register's views count after each write, read from indexes alone: open risks per
-- owner with their current level, and untreated risks by inherent level (`treatment_option` is
-- set exactly when a treatment is).
CREATE INDEX risks_owner_tally ON risks (owner, status, current_level);
CREATE INDEX risks_untreated ON risks (inherent_level, treatment_option, status);
