-- Dunning (催缴) and the household service log (测温 / 投诉 / 锁闭阀): projections of ledger events,
-- rebuilt from the log like every projection. Plus the indexes the arrears list needs.

-- 催缴 contact log: phone / SMS / visit, with the outcome and a note.
CREATE TABLE dunning_contacts (
  id           TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  channel      TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'visit')),
  outcome      TEXT NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'promised', 'refused', 'wrong_number', 'other')),
  promised_on  TEXT,
  note         TEXT NOT NULL DEFAULT '',
  clerk_id     TEXT,
  occurred_at  TEXT NOT NULL,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX dunning_contacts_household ON dunning_contacts(household_id, seq);

-- Printed dunning notices (thermal or A4), numbered per terminal.
CREATE TABLE dunning_notices (
  notice_no    TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  format       TEXT NOT NULL CHECK (format IN ('thermal', 'a4')),
  total_fen    INTEGER NOT NULL CHECK (total_fen >= 0),
  due_date     TEXT NOT NULL,
  clerk_id     TEXT,
  issued_at    TEXT NOT NULL,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX dunning_notices_household ON dunning_notices(household_id, seq);

-- Blacklist / legal-action changes (the current value lives on the household row).
CREATE TABLE household_flag_changes (
  seq          INTEGER PRIMARY KEY REFERENCES events(seq),
  household_id TEXT NOT NULL REFERENCES households(id),
  flag         TEXT NOT NULL CHECK (flag IN ('blacklisted', 'legalAction')),
  value        INTEGER NOT NULL CHECK (value IN (0, 1)),
  reason       TEXT NOT NULL,
  approved_by  TEXT NOT NULL,
  changed_at   TEXT NOT NULL
);
CREATE INDEX household_flag_changes_household ON household_flag_changes(household_id, seq);

-- 测温: room temperature in integer tenths of a degree Celsius (18.5 °C -> 185).
CREATE TABLE temperature_readings (
  id           TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  room         TEXT NOT NULL,
  tenths_c     INTEGER NOT NULL CHECK (tenths_c BETWEEN -500 AND 600),
  outdoor_tenths_c INTEGER CHECK (outdoor_tenths_c BETWEEN -600 AND 500),
  note         TEXT NOT NULL DEFAULT '',
  clerk_id     TEXT,
  measured_at  TEXT NOT NULL,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX temperature_readings_household ON temperature_readings(household_id, seq);

-- 投诉 with status open -> in_progress -> closed (updates kept one per event).
CREATE TABLE complaints (
  id           TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  category     TEXT NOT NULL CHECK (category IN ('not_warm', 'leak', 'noise', 'billing', 'service', 'other')),
  text         TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
  opened_at    TEXT NOT NULL,
  opened_by    TEXT,
  updated_at   TEXT NOT NULL,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX complaints_household ON complaints(household_id, seq);
CREATE INDEX complaints_open ON complaints(status) WHERE status <> 'closed';

CREATE TABLE complaint_updates (
  seq          INTEGER PRIMARY KEY REFERENCES events(seq),
  complaint_id TEXT NOT NULL REFERENCES complaints(id),
  status       TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
  note         TEXT NOT NULL,
  clerk_id     TEXT,
  updated_at   TEXT NOT NULL
);

-- 锁闭阀: who locked/unlocked the valve, when, with which key.
CREATE TABLE valve_operations (
  id           TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  action       TEXT NOT NULL CHECK (action IN ('lock', 'unlock')),
  key_no       TEXT NOT NULL,
  operator     TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  clerk_id     TEXT,
  occurred_at  TEXT NOT NULL,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX valve_operations_household ON valve_operations(household_id, seq);

-- Arrears list: biggest debtors first, optionally inside one community / building.
CREATE INDEX households_owed ON households(owed_fen) WHERE owed_fen > 0;
CREATE INDEX households_community_owed ON households(community, building, owed_fen) WHERE owed_fen > 0;
