-- Indexes for lists and dashboard counts over a large inventory: the active systems in key
-- order (the default inventory page and its count), and counts of active systems per stage, per
-- EU AI Act class and in or out of scope, each answered from the index alone.
CREATE INDEX ai_systems_status_n ON ai_systems (status, n);
CREATE INDEX ai_systems_status_stage ON ai_systems (status, stage);
CREATE INDEX ai_systems_status_eu_class ON ai_systems (status, eu_class);
CREATE INDEX ai_systems_scope_status ON ai_systems (in_scope, status);
