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
