-- 0013_household_counter_edits: the last edit made at this counter of each master field of a
-- household (household.updated: name, phone, area, category, subsidised), so the next households
-- file (import.start) cannot silently undo it. A file whose value differs keeps the counter's and
-- reports it; a file that carries the counter's value settles the edit (the file rules that field
-- again); `overwriteCounterEdits` lets the file win. Projection of household.updated and of
-- master.imported (which lists the edits it settled); value is the JSON of the edit's new value.
CREATE TABLE household_counter_edits (
  household_id TEXT NOT NULL REFERENCES households(id),
  field        TEXT NOT NULL CHECK (field IN ('name', 'phone', 'areaHundredths', 'category', 'subsidised')),
  value        TEXT NOT NULL CHECK (json_valid(value)),
  edited_seq   INTEGER NOT NULL REFERENCES events(seq),
  edited_at    TEXT NOT NULL,
  PRIMARY KEY (household_id, field)
) WITHOUT ROWID;

-- Edits since the last households file still stand (an import before this build overwrote the
-- ones before it); the latest edit of a field wins.
INSERT OR REPLACE INTO household_counter_edits (household_id, field, value, edited_seq, edited_at)
SELECT e.payload ->> '$.householdId', c.key, c.value -> '$.to', e.seq, e.occurred_at
FROM events e, json_each(e.payload, '$.changes') c
WHERE e.type = 'household.updated'
  AND c.key IN ('name', 'phone', 'areaHundredths', 'category', 'subsidised')
  AND e.seq > coalesce((SELECT max(seq) FROM events
                        WHERE type = 'master.imported' AND payload ->> '$.kind' = 'households'), 0)
  AND EXISTS (SELECT 1 FROM households h WHERE h.id = e.payload ->> '$.householdId')
ORDER BY e.seq;
