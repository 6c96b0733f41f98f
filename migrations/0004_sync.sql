-- Sync with head office (DESIGN.md §6): push progress, pull cursor, settings, payments made elsewhere.

-- One row: how far head office has acknowledged our events and how far we pulled master data.
CREATE TABLE sync_state (
  singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
  head_office_url  TEXT,                               -- e.g. https://ho.example:5480
  terminal_token   TEXT,                               -- main process only; never sent to the renderer
  acked_seq        INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
  acked_hash       TEXT,
  pull_cursor      INTEGER NOT NULL DEFAULT 0 CHECK (pull_cursor >= 0),
  last_push_at     TEXT,
  last_pull_at     TEXT,                               -- balances are "as of" this time
  last_contact_at  TEXT,
  server_time      TEXT,                               -- last time head office told us
  last_error       TEXT,
  last_error_at    TEXT,
  conflict         TEXT                                -- set on 409 conflict / 401: pushing stops
);
INSERT INTO sync_state (singleton) VALUES (1);

-- Payments made elsewhere (other counters, bank withholding, online), as pulled from head office.
-- charges.paid_elsewhere_fen = paid before (head office's figure) + the sum of these rows.
CREATE TABLE payments_elsewhere (
  id                 TEXT PRIMARY KEY,
  household_id       TEXT NOT NULL,
  season_id          TEXT NOT NULL,
  amount_fen         INTEGER NOT NULL CHECK (amount_fen >= 0),
  source             TEXT NOT NULL CHECK (source IN ('counter', 'bank', 'online', 'cheque')),
  origin_terminal_id TEXT,
  reference          TEXT,
  paid_at            TEXT,
  change_seq         INTEGER NOT NULL
);
CREATE INDEX payments_elsewhere_household ON payments_elsewhere(household_id, season_id);

-- Receipt books allocated by head office that could not be applied (overlap, unknown clerk): shown, not lost.
CREATE TABLE sync_rejects (
  change_seq INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  data       TEXT NOT NULL,
  reason     TEXT NOT NULL,
  at         TEXT NOT NULL
);
