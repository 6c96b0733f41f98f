-- Write-ahead card payment intents (card terminal issue). One row per card payment attempt,
-- committed BEFORE the sale is sent to the terminal; the receipt (ledger event) references it.
-- This is operational state, not a ledger fact: the money fact is the receipt.issued event.
-- Only masked PAN (first 6 / last 4), brand, auth code, trace, terminal id and terminal receipt no.
-- are stored: never a full PAN, track data or PIN data.
CREATE TABLE card_payments (
  id              TEXT PRIMARY KEY,                        -- UUIDv7
  request_id      TEXT NOT NULL UNIQUE,                    -- payment.take requestId of the receipt
  mode            TEXT NOT NULL CHECK (mode IN ('terminal', 'manual')),
  household_id    TEXT NOT NULL,
  shift_id        TEXT NOT NULL,
  clerk_id        TEXT NOT NULL,
  amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
  currency        INTEGER NOT NULL DEFAULT 156,
  allocation      TEXT,                                    -- JSON explicit allocation or NULL
  state           TEXT NOT NULL CHECK (state IN
                    ('intent', 'approved', 'completed', 'declined', 'failed', 'reversed')),
  result_code     INTEGER,
  message         TEXT,                                    -- last clerk-facing text (JSON zh-CN/en)
  terminal_id     TEXT,
  trace_no        TEXT,
  terminal_receipt_no TEXT,
  auth_code       TEXT,
  masked_pan      TEXT CHECK (masked_pan IS NULL OR masked_pan GLOB '[0-9*]*'
                    AND length(replace(masked_pan, '*', '')) <= 10),
  card_name       TEXT,
  print_lines     TEXT NOT NULL DEFAULT '[]',              -- JSON array from 06 D1 / 06 D3
  receipt_id      TEXT UNIQUE,
  resolution      TEXT,                                    -- how recovery ended it (record/reverse/fail)
  resolved_by     TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK (state <> 'completed' OR receipt_id IS NOT NULL),
  CHECK (state NOT IN ('approved', 'completed', 'reversed') OR mode = 'manual'
         OR terminal_receipt_no IS NOT NULL OR trace_no IS NOT NULL)
);
-- At most one unresolved terminal intent: no second sale while one is uncertain.
CREATE UNIQUE INDEX card_payments_one_open ON card_payments (mode)
  WHERE state IN ('intent', 'approved') AND mode = 'terminal';
CREATE INDEX card_payments_state ON card_payments (state);
-- One terminal transaction can settle one intent only.
CREATE UNIQUE INDEX card_payments_terminal_txn ON card_payments (terminal_id, terminal_receipt_no, trace_no)
  WHERE terminal_receipt_no IS NOT NULL AND state IN ('approved', 'completed', 'reversed');
