-- Issue 17, the trusted ledger at head office (docs/trust.md): head office's own Ed25519 key, the
-- terminal keys it certified at enrollment, one-time enrollment codes, every event's signature,
-- every pulled master change signed, and the anomalies (forged or mismatching paper receipts).

-- Head office's signing key (one row, generated in JS at the first start: SQL cannot make Ed25519).
CREATE TABLE ho_signing_key (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  private_pem text NOT NULL,                 -- PKCS#8 PEM; the database is head office's vault
  public_key  text NOT NULL,                 -- base64url raw key, what /v1/health shows
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Terminal keys head office certified: key `key_no` signs for `terminal_id` from seq `from_seq` on
-- (until a later key's from_seq). A re-enrollment adds a key; stored events are never touched.
CREATE TABLE ho_terminal_keys (
  terminal_id text NOT NULL,
  key_no      int NOT NULL CHECK (key_no >= 1),
  public_key  text NOT NULL,
  from_seq    bigint NOT NULL CHECK (from_seq >= 1),
  certificate text NOT NULL,                 -- head office's signature (core keyCertificateMessage)
  issued_at   text NOT NULL,                 -- ISO time inside the certificate
  PRIMARY KEY (terminal_id, key_no),
  UNIQUE (terminal_id, from_seq),
  UNIQUE (public_key)
);

-- One-time enrollment codes: only the SHA-256 of the normalised code is kept.
CREATE TABLE ho_enrollment_codes (
  code_hash        text PRIMARY KEY,
  name             text NOT NULL,
  terminal_id      text,                     -- set: a re-enrollment code for exactly this terminal
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz,
  used_by_terminal text,
  CHECK ((used_at IS NULL) = (used_by_terminal IS NULL))
);

-- Every stored event keeps the signature it arrived with (null before the terminal's first key).
ALTER TABLE ho_events ADD COLUMN signature text;
-- The signed chain head of the last push (the external anchor) and which key signed it.
ALTER TABLE ho_terminals ADD COLUMN reported_signature text;
ALTER TABLE ho_terminals ADD COLUMN reported_key_no int;
ALTER TABLE ho_terminals ADD COLUMN enrolled_at timestamptz;

-- Head office's signature over masterRecordMessage(kind, data) (data as the kind's schema parses it);
-- filled in JS where rows are appended, and for older rows at the first start after this migration.
ALTER TABLE ho_changes ADD COLUMN sig text;
CREATE INDEX ho_changes_unsigned ON ho_changes (seq) WHERE sig IS NULL;

-- Refused pushes now also name signature problems.
ALTER TABLE ho_quarantine DROP CONSTRAINT ho_quarantine_kind_check;
ALTER TABLE ho_quarantine ADD CONSTRAINT ho_quarantine_kind_check CHECK (kind IN (
  'conflict', 'gap', 'bad_hash', 'bad_link',
  'bad_signature',      -- an event's or the head's signature does not verify under the key in force
  'missing_signature',  -- an event after the terminal's first certified key carries none
  'unknown_key'         -- a key head office never certified (a terminal.keyed or the head's key)
));

-- Anomalies for the operator: paper receipts that are forged or differ from the ledger, approvals
-- naming a verifier head office never issued. Kept, never dropped; resolved like the other lists.
CREATE TABLE ho_flags (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('paper_forged', 'paper_mismatch', 'approval_verifier')),
  terminal_id   text,
  seq           bigint,
  receipt_label text,
  detail        text NOT NULL,
  qr            text,                        -- the scanned text of a paper check
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz,
  resolved_by   text,
  resolution    text,
  UNIQUE (kind, qr)                          -- the same paper scanned twice is one flag
);
CREATE INDEX ho_flags_terminal ON ho_flags (terminal_id, seq);

-- Tokens that were never bound to a terminal id can no longer be used (no path binds an id on a
-- first push any more): enrollment binds the id, so they are dropped; they hold no events.
DELETE FROM ho_terminals WHERE terminal_id IS NULL;
