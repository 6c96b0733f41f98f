-- Print queue: every paper document (receipt copies, void notices, reprints, hand-in slips,
-- reports, dunning notices, test pages) is a row here, written in the same transaction as the
-- business event it belongs to, and printed after commit. This is operational state, not ledger:
-- rows change state (queued -> sending -> done | unknown) and are never deleted.

CREATE TABLE print_jobs (
  num            INTEGER PRIMARY KEY AUTOINCREMENT,   -- print order
  id             TEXT NOT NULL UNIQUE,
  template       TEXT NOT NULL CHECK (template IN ('receipt', 'void-notice', 'hand-in-slip',
                   'x-report', 'z-report', 'dunning-notice', 'test-page')),
  -- receipt id, shift id, household id … the thing this paper is about (for lookups and reprints)
  subject_id     TEXT,
  label          TEXT NOT NULL,                       -- what the clerk sees: 'A000123 客户联'
  data           TEXT NOT NULL CHECK (json_valid(data)),  -- the template's typed input (JSON)
  drawer_kick    INTEGER NOT NULL DEFAULT 0 CHECK (drawer_kick IN (0, 1)),
  state          TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'sending', 'done', 'unknown', 'superseded')),
  attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  reason         TEXT,                                -- last fault: paper_out, cover_open, offline, connection_dropped …
  reason_at      TEXT,
  created_at     TEXT NOT NULL,
  sent_at        TEXT,
  done_at        TEXT,
  -- a reprint (补打) of a job whose outcome was unknown, or a clerk's reprint
  replaces_id    TEXT REFERENCES print_jobs(id),
  event_seq      INTEGER REFERENCES events(seq)       -- the ledger event that caused it, if any
);
CREATE INDEX print_jobs_open ON print_jobs(state, num) WHERE state IN ('queued', 'sending', 'unknown');
CREATE INDEX print_jobs_subject ON print_jobs(subject_id);

CREATE TRIGGER print_jobs_no_delete BEFORE DELETE ON print_jobs
BEGIN SELECT RAISE(ABORT, 'print jobs are kept: DELETE refused'); END;

-- A finished job stays finished: done/superseded never go back to queued.
CREATE TRIGGER print_jobs_final BEFORE UPDATE OF state ON print_jobs
WHEN OLD.state IN ('done', 'superseded') AND NEW.state <> OLD.state
BEGIN SELECT RAISE(ABORT, 'a finished print job cannot change state'); END;

-- Printer settings (supervisor screen); the env var CASHIER_PRINTER overrides the interface.
CREATE TABLE printer_settings (
  singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
  interface    TEXT NOT NULL,          -- 'none', 'tcp://host:9100', '/dev/usb/lp0', 'serial:/dev/ttyUSB0?baud=9600'
  width        INTEGER NOT NULL DEFAULT 48 CHECK (width IN (32, 48)),
  encoding     TEXT NOT NULL DEFAULT 'gb18030' CHECK (encoding IN ('gb18030', 'cp936')),
  company_name TEXT NOT NULL DEFAULT '供热公司',
  drawer_kick  TEXT NOT NULL DEFAULT '1b 70 00 19 fa',
  print_stub   INTEGER NOT NULL DEFAULT 1 CHECK (print_stub IN (0, 1)),
  updated_at   TEXT NOT NULL,
  updated_by   TEXT
);
