-- Issue 17, the trusted ledger: every event carries its Ed25519 signature (over its hash), and the
-- keys that signed them are a projection of the terminal.keyed / terminal.enrolled events.
-- Events written before this migration stay unsigned: the first signed event after them covers
-- them through the hash chain.
ALTER TABLE events ADD COLUMN signature TEXT;

CREATE TABLE terminal_keys (
  key_no          INTEGER PRIMARY KEY,
  public_key      TEXT NOT NULL UNIQUE,
  from_seq        INTEGER NOT NULL UNIQUE,     -- the terminal.keyed event: the first it signs
  reason          TEXT NOT NULL CHECK (reason IN ('first', 'replaced')),
  certified_seq   INTEGER,                     -- the terminal.enrolled event certifying it, if any
  certificate     TEXT,                        -- head office's signature (core/signing keyCertificateMessage)
  issued_at       TEXT,
  head_office_key TEXT                         -- head office's public key named by that enrollment
);

-- The terminal's signed checkpoints (src-main/ledger/checkpoints.ts): every 5,000 events, at every
-- push and at a clean close, the chain head (seq, hash) and a digest of the money projections,
-- signed by the key in force (core/signing checkpointMessage). Start-up verifies from the newest
-- one; the newest is also kept in the sidecar file `<ledger>.checkpoint`, so deleting rows here
-- does not hide a truncated log. Rows are never changed or removed.
CREATE TABLE ledger_checkpoints (
  seq               INTEGER PRIMARY KEY,         -- the chain head it vouches for
  hash              TEXT NOT NULL,               -- that event's hash
  at                TEXT NOT NULL,               -- when it was written (ISO)
  projection_digest TEXT NOT NULL,               -- SHA-256 hex over the money projections at seq
  key_no            INTEGER NOT NULL,            -- the terminal key that signed it
  signature         TEXT NOT NULL
);
CREATE TRIGGER ledger_checkpoints_no_update BEFORE UPDATE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are append-only: UPDATE refused'); END;
CREATE TRIGGER ledger_checkpoints_no_delete BEFORE DELETE ON ledger_checkpoints
BEGIN SELECT RAISE(ABORT, 'ledger checkpoints are append-only: DELETE refused'); END;

-- The events that say which key signs (read by every verify, at start-up too): a partial index, so
-- the payment path's inserts (other types) do not maintain it.
CREATE INDEX events_trust ON events(seq) WHERE type IN ('terminal.keyed', 'terminal.enrolled');
