-- The last counter edit of each household field (phone, owner name, area, category, subsidy,
-- blacklist / legal-action flags). A master-data import from the billing system must not silently
-- undo what a clerk corrected at the counter: an imported value that differs from a counter edit
-- is kept back (the counter's value stays) and reported, until a file carries the same value (the
-- billing system has caught up: the record is dropped) or the operator imports with
-- overwriteCounterEdits.
CREATE TABLE ho_household_counter_edits (
  household_id text NOT NULL,
  field        text NOT NULL,              -- wire field name: phone, name, areaHundredths, …
  value        text NOT NULL,              -- JSON of the wire value the counter set
  terminal_id  text NOT NULL,
  event_id     text NOT NULL,
  edited_at    text NOT NULL,              -- the event's occurredAt
  PRIMARY KEY (household_id, field)
);
