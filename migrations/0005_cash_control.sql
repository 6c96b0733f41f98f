-- Shift cash control, receipt-book accounting and day closures (Z). All projections of events.

-- Close of a shift: the count by denomination, expected vs counted, variance and its approval.
ALTER TABLE shifts ADD COLUMN counted_cash_fen INTEGER;
ALTER TABLE shifts ADD COLUMN expected_cash_fen INTEGER;
ALTER TABLE shifts ADD COLUMN variance_fen INTEGER;
ALTER TABLE shifts ADD COLUMN denominations TEXT;
ALTER TABLE shifts ADD COLUMN variance_reason TEXT;
ALTER TABLE shifts ADD COLUMN variance_approved_by TEXT REFERENCES clerks(id);

-- Cash in / cash out / safe drop during a shift.
CREATE TABLE cash_movements (
  id          TEXT PRIMARY KEY,
  shift_id    TEXT NOT NULL REFERENCES shifts(id),
  kind        TEXT NOT NULL CHECK (kind IN ('cash_in', 'cash_out', 'safe_drop')),
  amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
  reason      TEXT NOT NULL,
  approved_by TEXT REFERENCES clerks(id),
  seq         INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX cash_movements_shift ON cash_movements(shift_id);

-- Receipt paper that was damaged: the number is used up, with a reason.
CREATE TABLE spoiled_receipts (
  book_id       TEXT NOT NULL REFERENCES receipt_books(id),
  receipt_no    INTEGER NOT NULL,
  receipt_label TEXT NOT NULL UNIQUE,
  shift_id      TEXT NOT NULL REFERENCES shifts(id),
  reason        TEXT NOT NULL,
  seq           INTEGER NOT NULL REFERENCES events(seq),
  PRIMARY KEY (book_id, receipt_no)
) WITHOUT ROWID;

-- A returned book takes no more numbers; its unused tail goes back with the stubs.
ALTER TABLE receipt_books ADD COLUMN returned_seq INTEGER REFERENCES events(seq);

-- Receipts by business day for the day closure and the reports.
ALTER TABLE receipts ADD COLUMN business_date TEXT;
CREATE INDEX receipts_business_date ON receipts(business_date);

-- Day closures (Z), one per business date, numbered 1, 2, 3, ...
CREATE TABLE day_closures (
  closure_no             INTEGER PRIMARY KEY,
  business_date          TEXT NOT NULL UNIQUE,
  receipt_count          INTEGER NOT NULL,
  void_count             INTEGER NOT NULL,
  collected_fen          INTEGER NOT NULL,
  perpetual_total_fen    INTEGER NOT NULL,
  perpetual_absolute_fen INTEGER NOT NULL,
  seq                    INTEGER NOT NULL REFERENCES events(seq)
);

-- Counter settings (operational, not ledger): e.g. the cash variance that needs a supervisor.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('cash.varianceThresholdFen', '1000');

-- Day aggregates for the day closure and the reports, kept by the projector with each receipt
-- event, so a month over hundreds of thousands of receipts reads a few hundred rows.
CREATE TABLE daily_clerk_totals (
  business_date TEXT NOT NULL,
  clerk_id      TEXT NOT NULL,
  receipts      INTEGER NOT NULL DEFAULT 0,
  voids         INTEGER NOT NULL DEFAULT 0,
  issued_fen    INTEGER NOT NULL DEFAULT 0,   -- every receipt issued that day, voided or not
  voided_fen    INTEGER NOT NULL DEFAULT 0,   -- amounts of those receipts voided later
  cash_fen      INTEGER NOT NULL DEFAULT 0,   -- tender amounts of the valid receipts
  card_fen      INTEGER NOT NULL DEFAULT 0,
  cheque_fen    INTEGER NOT NULL DEFAULT 0,
  qr_fen        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, clerk_id)
) WITHOUT ROWID;

-- Collected per season and per community: valid receipts without a cheque tender (a cheque counts once cleared).
CREATE TABLE daily_season_totals (
  business_date TEXT NOT NULL,
  season_id     TEXT NOT NULL,
  amount_fen    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, season_id)
) WITHOUT ROWID;

CREATE TABLE daily_community_totals (
  business_date TEXT NOT NULL,
  community     TEXT NOT NULL,
  receipts      INTEGER NOT NULL DEFAULT 0,
  amount_fen    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, community)
) WITHOUT ROWID;

CREATE INDEX charges_season ON charges(season_id, charge_fen, paid_elsewhere_fen);
