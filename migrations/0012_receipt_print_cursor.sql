-- 0012_receipt_print_cursor: a receipt's print jobs are created right after its payment commits,
-- in a transaction of their own, instead of inside the payment. The payment commit then writes
-- only ledger rows and projections (about 22 pages instead of 28, see README "Payment cost").
-- This row remembers how far in the event log receipts have been queued for printing, so a crash
-- between the two commits is caught up on at the next start: every committed receipt.issued event
-- after through_seq gets its copies queued, exactly once (the cursor moves in the same transaction
-- as the jobs it stands for).
CREATE TABLE receipt_print_cursor (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  through_seq INTEGER NOT NULL CHECK (through_seq >= 0)
);
-- Every receipt already in the ledger had its jobs queued in its own payment transaction.
INSERT INTO receipt_print_cursor (singleton, through_seq) SELECT 1, coalesce(max(seq), 0) FROM events;
