-- Issue 18, the console's receipt search and monthly report: every receipt of every counter
-- findable by number, household, clerk, date and amount, and what it was paid with by class
-- (core/tenders.ts: cash, electronic = card and QR, pending = cheques) for the e-payment share.
-- Kept at ingest from the receipt.issued event (head-office/src/store.ts writeBatch) and checked
-- against the events by verifyReceiptProjections; receipts pushed before this migration are filled
-- from their events here.

ALTER TABLE ho_receipts
  ADD COLUMN clerk_id       text,
  ADD COLUMN cash_fen       bigint NOT NULL DEFAULT 0 CHECK (cash_fen >= 0),
  ADD COLUMN electronic_fen bigint NOT NULL DEFAULT 0 CHECK (electronic_fen >= 0),
  ADD COLUMN pending_fen    bigint NOT NULL DEFAULT 0 CHECK (pending_fen >= 0);

UPDATE ho_receipts r
SET clerk_id = e.clerk_id,
    cash_fen = t.cash, electronic_fen = t.electronic, pending_fen = t.pending
FROM ho_events e,
  LATERAL (
    SELECT coalesce(sum((x->>'amountFen')::bigint) FILTER (WHERE x->>'kind' = 'cash'), 0) AS cash,
           coalesce(sum((x->>'amountFen')::bigint) FILTER (WHERE x->>'kind' IN ('card', 'qr')), 0) AS electronic,
           coalesce(sum((x->>'amountFen')::bigint) FILTER (WHERE x->>'kind' = 'cheque'), 0) AS pending
    FROM jsonb_array_elements(e.payload::jsonb->'tenders') x) t
WHERE e.terminal_id = r.terminal_id AND e.seq = r.issued_seq;

-- The searches: by number (any counter), household, clerk, amount or day; each newest first, in the
-- order the keyset pages follow (business_date, receipt_id descending).
CREATE INDEX ho_receipts_label ON ho_receipts (receipt_label);
CREATE INDEX ho_receipts_household ON ho_receipts (household_id, business_date DESC, receipt_id DESC);
CREATE INDEX ho_receipts_clerk ON ho_receipts (clerk_id, business_date DESC, receipt_id DESC);
CREATE INDEX ho_receipts_amount ON ho_receipts (total_fen, business_date DESC, receipt_id DESC);
CREATE INDEX ho_receipts_day ON ho_receipts (business_date DESC, receipt_id DESC);
