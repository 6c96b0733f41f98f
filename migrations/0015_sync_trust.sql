-- Issue 17, the trusted ledger: head office's newest signed acknowledgement of a push (core/signing
-- ackMessage, head office's key pinned at enrollment). Start-up verification checks that the
-- event at ack_seq still has ack_hash: history head office already holds cannot be rewritten.
ALTER TABLE sync_state ADD COLUMN ack_seq INTEGER CHECK (ack_seq IS NULL OR ack_seq >= 0);
ALTER TABLE sync_state ADD COLUMN ack_hash TEXT;
ALTER TABLE sync_state ADD COLUMN ack_at TEXT;
ALTER TABLE sync_state ADD COLUMN ack_signature TEXT;
