-- Core terminal ledger: master data, the append-only event log and its projections.
-- Money: integer fen. Area: integer hundredths of m². Times: UTC ISO-8601 text.

CREATE TABLE terminal (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  terminal_id TEXT NOT NULL,
  name        TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  is_demo     INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
  created_at  TEXT NOT NULL
);

-- Master data (maintained by head office; pulled by the sync worker).
CREATE TABLE clerks (
  id         TEXT PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
  pin_hash   TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failed_pin_count INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT
);

CREATE TABLE seasons (
  id               TEXT PRIMARY KEY,
  code             TEXT NOT NULL UNIQUE,        -- '2026-2027'; sorts oldest first
  starts_on        TEXT NOT NULL,
  ends_on          TEXT NOT NULL,
  no_heat_deadline TEXT,
  no_heat_ratio_pct INTEGER NOT NULL DEFAULT 50 CHECK (no_heat_ratio_pct BETWEEN 0 AND 100)
);

CREATE TABLE rates (
  season_id       TEXT NOT NULL REFERENCES seasons(id),
  category        TEXT NOT NULL CHECK (category IN ('residential', 'commercial', 'public')),
  rate_fen_per_m2 INTEGER NOT NULL CHECK (rate_fen_per_m2 >= 0),
  PRIMARY KEY (season_id, category)
) WITHOUT ROWID;

CREATE TABLE households (
  num             INTEGER PRIMARY KEY,          -- stable integer key shared with household_search.rowid
  id              TEXT NOT NULL UNIQUE,
  account_no      TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  phone           TEXT NOT NULL DEFAULT '',
  community       TEXT NOT NULL,
  building        TEXT NOT NULL,
  unit            TEXT NOT NULL,
  room            TEXT NOT NULL,
  area_hundredths INTEGER NOT NULL CHECK (area_hundredths > 0),
  category        TEXT NOT NULL CHECK (category IN ('residential', 'commercial', 'public')),
  subsidised      INTEGER NOT NULL DEFAULT 0 CHECK (subsidised IN (0, 1)),
  no_heat         INTEGER NOT NULL DEFAULT 0 CHECK (no_heat IN (0, 1)),
  blacklisted     INTEGER NOT NULL DEFAULT 0 CHECK (blacklisted IN (0, 1)),
  legal_action    INTEGER NOT NULL DEFAULT 0 CHECK (legal_action IN (0, 1)),
  is_demo         INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1))
);

CREATE INDEX households_name ON households(name);

-- 应收: the charge per household per season, and what was paid before this ledger / elsewhere.
CREATE TABLE charges (
  household_id       TEXT NOT NULL REFERENCES households(id),
  season_id          TEXT NOT NULL REFERENCES seasons(id),
  charge_fen         INTEGER NOT NULL CHECK (charge_fen >= 0),
  paid_elsewhere_fen INTEGER NOT NULL DEFAULT 0 CHECK (paid_elsewhere_fen >= 0),
  PRIMARY KEY (household_id, season_id)
) WITHOUT ROWID;

-- Search index over households (kept in step by the ledger's household repository).
CREATE VIRTUAL TABLE household_search USING fts5(
  acct, name, py, addr, phone4,
  content = '',
  contentless_delete = 1,
  tokenize = "unicode61 remove_diacritics 0 tokenchars '-'",
  prefix = '1 2 3'
);

-- The append-only event log. seq is gap-free per terminal; hash chains every row.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  terminal_id   TEXT NOT NULL,
  type          TEXT NOT NULL,
  occurred_at   TEXT NOT NULL,
  business_date TEXT NOT NULL,
  clerk_id      TEXT,
  payload       TEXT NOT NULL,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL UNIQUE
);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: UPDATE refused'); END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: DELETE refused'); END;

CREATE TRIGGER events_chain_link BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM events)
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM events ORDER BY seq DESC LIMIT 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'ledger events must extend the chain: wrong seq or prev_hash'); END;

-- Projections: rebuilt from events by the ledger's projector; updated in the event's transaction.
CREATE TABLE receipt_books (
  id         TEXT PRIMARY KEY,
  series     TEXT NOT NULL,
  first_no   INTEGER NOT NULL CHECK (first_no > 0),
  last_no    INTEGER NOT NULL,
  next_no    INTEGER NOT NULL,
  clerk_id   TEXT NOT NULL REFERENCES clerks(id),
  issued_seq INTEGER NOT NULL REFERENCES events(seq),
  CHECK (last_no >= first_no),
  CHECK (next_no BETWEEN first_no AND last_no + 1)
);
CREATE INDEX receipt_books_clerk ON receipt_books(clerk_id, next_no);

CREATE TABLE shifts (
  id                TEXT PRIMARY KEY,
  clerk_id          TEXT NOT NULL REFERENCES clerks(id),
  business_date     TEXT NOT NULL,
  opening_float_fen INTEGER NOT NULL CHECK (opening_float_fen >= 0),
  opened_at         TEXT NOT NULL,
  opened_seq        INTEGER NOT NULL REFERENCES events(seq),
  closed_at         TEXT,
  closed_seq        INTEGER REFERENCES events(seq)
);
-- One open shift per terminal: the cash drawer belongs to the counter.
CREATE UNIQUE INDEX shifts_one_open ON shifts((1)) WHERE closed_seq IS NULL;

CREATE TABLE receipts (
  id            TEXT PRIMARY KEY,
  request_id    TEXT NOT NULL UNIQUE,
  book_id       TEXT NOT NULL REFERENCES receipt_books(id),
  receipt_no    INTEGER NOT NULL,
  receipt_label TEXT NOT NULL UNIQUE,
  household_id  TEXT NOT NULL REFERENCES households(id),
  shift_id      TEXT NOT NULL REFERENCES shifts(id),
  clerk_id      TEXT NOT NULL REFERENCES clerks(id),
  total_fen     INTEGER NOT NULL CHECK (total_fen > 0),
  change_fen    INTEGER NOT NULL CHECK (change_fen >= 0),
  issued_at     TEXT NOT NULL,
  issued_seq    INTEGER NOT NULL REFERENCES events(seq),
  voided_seq    INTEGER REFERENCES events(seq),
  void_reason   TEXT,
  reprint_count INTEGER NOT NULL DEFAULT 0,
  UNIQUE (book_id, receipt_no)
);
CREATE INDEX receipts_household ON receipts(household_id, issued_seq);
CREATE INDEX receipts_shift ON receipts(shift_id);

CREATE TABLE receipt_lines (
  receipt_id  TEXT NOT NULL REFERENCES receipts(id),
  season_id   TEXT NOT NULL REFERENCES seasons(id),
  amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
  charge_fen  INTEGER NOT NULL,
  pct_tenths  INTEGER NOT NULL,
  balance_after_fen INTEGER NOT NULL,
  PRIMARY KEY (receipt_id, season_id)
) WITHOUT ROWID;

CREATE TABLE receipt_tenders (
  receipt_id   TEXT NOT NULL REFERENCES receipts(id),
  position     INTEGER NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'cheque', 'qr')),
  amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
  tendered_fen INTEGER,
  reference    TEXT,
  detail       TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (receipt_id, position)
) WITHOUT ROWID;

-- Paid here per household and season (balance = charge - paid_elsewhere - paid_here).
CREATE TABLE season_payments (
  household_id TEXT NOT NULL REFERENCES households(id),
  season_id    TEXT NOT NULL REFERENCES seasons(id),
  paid_fen     INTEGER NOT NULL CHECK (paid_fen >= 0),
  PRIMARY KEY (household_id, season_id)
) WITHOUT ROWID;

-- Clerk sessions (operational state, not ledger): one token per login.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  clerk_id   TEXT NOT NULL REFERENCES clerks(id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
