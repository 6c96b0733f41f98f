-- Issue 20: every start checks that no projection row names a seq beyond the log's head
-- (ledger/verify.ts projectionsBeyondHead: the log was cut after the rows were written). It reads
-- max(issued_seq) and max(voided_seq) of receipts; without an index each was a scan of every receipt
-- (~0.17 s of each start on a season's 300,000). Shifts and receipt books stay small.
CREATE INDEX receipts_issued_seq ON receipts(issued_seq);
CREATE INDEX receipts_voided_seq ON receipts(voided_seq) WHERE voided_seq IS NOT NULL;
