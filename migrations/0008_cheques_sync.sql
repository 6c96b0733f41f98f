-- Cheques (支票) and sync freshness (issue 7/8). A cheque tender (receipt_tenders.kind = 'cheque') is
-- pending until a decision event (cheque.cleared / cheque.bounced) lands here. Projections: rebuilt
-- from the events by the projector like every other projection.

-- One decision per cheque tender; a cheque without a row is pending.
CREATE TABLE cheque_decisions (
  receipt_id    TEXT NOT NULL REFERENCES receipts(id),
  position      INTEGER NOT NULL,                      -- the tender's index on the receipt
  status        TEXT NOT NULL CHECK (status IN ('cleared', 'bounced')),
  decision_id   TEXT NOT NULL UNIQUE,                  -- same id at head office and on the terminal
  value_date    TEXT NOT NULL,                         -- the bank's date (cleared on / bounced on)
  decided_by    TEXT NOT NULL,                         -- supervisor's clerk id or 'head-office'
  source        TEXT NOT NULL CHECK (source IN ('counter', 'head-office')),
  reason        TEXT,                                  -- why it bounced
  amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
  business_date TEXT NOT NULL,                         -- the counter's day the decision was recorded: report date
  seq           INTEGER NOT NULL REFERENCES events(seq),
  PRIMARY KEY (receipt_id, position)
) WITHOUT ROWID;
CREATE INDEX cheque_decisions_day ON cheque_decisions(business_date, status);

-- What a bounce gave back to the household, per season (season_payments.paid_fen was lowered by it).
CREATE TABLE cheque_restorations (
  receipt_id TEXT NOT NULL REFERENCES receipts(id),
  position   INTEGER NOT NULL,
  season_id  TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (receipt_id, position, season_id)
) WITHOUT ROWID;

-- Decisions are final: a cheque is cleared or bounced once.
CREATE TRIGGER cheque_decisions_final BEFORE UPDATE ON cheque_decisions
BEGIN SELECT RAISE(ABORT, 'a cheque decision is final: UPDATE refused'); END;

-- "Balance as of": the account screen warns when the last successful pull is older than this.
ALTER TABLE sync_state ADD COLUMN balance_stale_minutes INTEGER NOT NULL DEFAULT 1440
  CHECK (balance_stale_minutes BETWEEN 1 AND 525600);
