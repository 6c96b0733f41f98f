-- 0019_paper_rules: the seed's paper rules (issue 21).
--   printer_settings.receipt_parts: receipts are written in triplicate (一式三联): 第一联 客户联,
--     第二联 存根联, 第三联 记账联; the counter prints the first n parts (default 3). A terminal
--     that printed no stub (print_stub = 0) keeps printing the customer copy only; one that printed
--     the stub now prints all three parts. print_stub stays, kept in step (parts >= 2).
--   print_jobs.template: two new papers, 'void-statement' (the written statement on a voided or
--     spoiled receipt, 一式四份) and 'book-return' (the list of every number of a returned book).
--     SQLite cannot change a CHECK in place: the table is rebuilt, rows copied unchanged.
ALTER TABLE printer_settings
  ADD COLUMN receipt_parts INTEGER NOT NULL DEFAULT 3 CHECK (receipt_parts BETWEEN 1 AND 3);
UPDATE printer_settings SET receipt_parts = 1 WHERE print_stub = 0;

CREATE TABLE print_jobs_rebuilt (
  num            INTEGER PRIMARY KEY,                 -- print order
  id             TEXT NOT NULL UNIQUE,
  template       TEXT NOT NULL CHECK (template IN ('receipt', 'void-notice', 'void-statement',
                   'book-return', 'hand-in-slip', 'x-report', 'z-report', 'dunning-notice',
                   'test-page')),
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
