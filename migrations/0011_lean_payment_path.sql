-- 0011_lean_payment_path: fewer B-tree pages written by every payment (each dirty page is a WAL
-- frame the commit writes and fsyncs). Rows are copied unchanged; only redundant structures go.
--   events:        the UNIQUE index on hash. The chain makes hashes distinct (each covers its seq
--                  and the previous hash) and nothing looks an event up by hash.
--   receipts:      UNIQUE (book_id, receipt_no). receipt_label is UNIQUE and is the book's series
--                  plus the number at the book's fixed width, so it already forbids a number used
--                  twice in a book; nothing queries by (book_id, receipt_no).
--   print_jobs:    AUTOINCREMENT (a sqlite_sequence write per job; rows are never deleted, so plain
--                  rowids never repeat) and the json_valid CHECK (the data is JSON.stringify output).
--   receipt_books: the clerk index no longer carries next_no, which every payment moves; it
--                  carries issued_seq, the order the current book is chosen in.
-- The migration runner turns foreign-key enforcement off around the rebuilds and runs
-- foreign_key_check before commit.

CREATE TABLE events_rebuilt (
  seq           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  terminal_id   TEXT NOT NULL,
  type          TEXT NOT NULL,
  occurred_at   TEXT NOT NULL,
  business_date TEXT NOT NULL,
  clerk_id      TEXT,
  payload       TEXT NOT NULL,
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
);
INSERT INTO events_rebuilt (seq, id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash)
  SELECT seq, id, terminal_id, type, occurred_at, business_date, clerk_id, payload, prev_hash, hash
  FROM events ORDER BY seq;
DROP TABLE events;
ALTER TABLE events_rebuilt RENAME TO events;

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: UPDATE refused'); END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'ledger events are append-only: DELETE refused'); END;

CREATE TRIGGER events_chain_link BEFORE INSERT ON events
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM events)
  OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM events ORDER BY seq DESC LIMIT 1),
                                   '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN SELECT RAISE(ABORT, 'ledger events must extend the chain: wrong seq or prev_hash'); END;

CREATE TABLE receipts_rebuilt (
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
  business_date TEXT
);
INSERT INTO receipts_rebuilt
  SELECT id, request_id, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id,
         total_fen, change_fen, issued_at, issued_seq, voided_seq, void_reason, reprint_count, business_date
  FROM receipts ORDER BY rowid;
DROP TABLE receipts;
ALTER TABLE receipts_rebuilt RENAME TO receipts;
CREATE INDEX receipts_household ON receipts(household_id, issued_seq);
CREATE INDEX receipts_shift ON receipts(shift_id);
CREATE INDEX receipts_business_date ON receipts(business_date);

CREATE TABLE print_jobs_rebuilt (
  num            INTEGER PRIMARY KEY,                 -- print order
  id             TEXT NOT NULL UNIQUE,
  template       TEXT NOT NULL CHECK (template IN ('receipt', 'void-notice', 'hand-in-slip',
                   'x-report', 'z-report', 'dunning-notice', 'test-page')),
  -- receipt id, shift id, household id … the thing this paper is about (for lookups and reprints)
  subject_id     TEXT,
  label          TEXT NOT NULL,                       -- what the clerk sees: 'A000123 客户联'
  data           TEXT NOT NULL,                       -- the template's typed input (JSON)
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
INSERT INTO print_jobs_rebuilt
  SELECT num, id, template, subject_id, label, data, drawer_kick, state, attempts, reason, reason_at,
         created_at, sent_at, done_at, replaces_id, event_seq
  FROM print_jobs ORDER BY num;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_rebuilt RENAME TO print_jobs;
CREATE INDEX print_jobs_open ON print_jobs(state, num) WHERE state IN ('queued', 'sending', 'unknown');
CREATE INDEX print_jobs_subject ON print_jobs(subject_id);

CREATE TRIGGER print_jobs_no_delete BEFORE DELETE ON print_jobs
BEGIN SELECT RAISE(ABORT, 'print jobs are kept: DELETE refused'); END;

CREATE TRIGGER print_jobs_final BEFORE UPDATE OF state ON print_jobs
WHEN OLD.state IN ('done', 'superseded') AND NEW.state <> OLD.state
BEGIN SELECT RAISE(ABORT, 'a finished print job cannot change state'); END;

DROP INDEX receipt_books_clerk;
CREATE INDEX receipt_books_clerk ON receipt_books(clerk_id, issued_seq);
