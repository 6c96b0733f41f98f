-- Head-office schema (PostgreSQL 15+; the same file runs on PGlite). Money: bigint fen.

CREATE TABLE ho_terminals (
  reg_id       text PRIMARY KEY,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,          -- sha-256 of the token; the token is shown once
  terminal_id  text UNIQUE,                   -- the terminal's ledger id, bound on its first push
  head_seq     bigint NOT NULL DEFAULT 0,     -- highest contiguous seq stored
  head_hash    text NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  reported_seq bigint NOT NULL DEFAULT 0,     -- the terminal's own chain head at its last push
  reported_hash text,
  conflict     text,                          -- set when a push was quarantined: pushing stops
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_push_at timestamptz
);

-- Every event of every terminal, exactly once; never updated.
CREATE TABLE ho_events (
  terminal_id   text NOT NULL,
  seq           bigint NOT NULL,
  id            text NOT NULL UNIQUE,
  type          text NOT NULL,
  occurred_at   text NOT NULL,
  business_date text NOT NULL,
  clerk_id      text,
  payload       text NOT NULL,               -- canonical JSON, exactly as hashed
  prev_hash     text NOT NULL,
  hash          text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, seq)
);

CREATE FUNCTION ho_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ho_events is append-only'; END $$;
CREATE TRIGGER ho_events_no_change BEFORE UPDATE OR DELETE ON ho_events
  FOR EACH ROW EXECUTE FUNCTION ho_events_append_only();

-- Refused pushes (conflicts, gaps, tampered events), kept for the operator; never dropped.
CREATE TABLE ho_quarantine (
  id          bigserial PRIMARY KEY,
  reg_id      text NOT NULL,
  terminal_id text,
  kind        text NOT NULL CHECK (kind IN ('conflict', 'gap', 'bad_hash', 'bad_link')),
  seq         bigint,
  detail      text NOT NULL,
  body        text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Projections of pushed events, for reconciliation and overpayment detection.
CREATE TABLE ho_receipts (
  receipt_id    text PRIMARY KEY,
  terminal_id   text NOT NULL,
  book_id       text NOT NULL,
  receipt_label text NOT NULL,
  household_id  text NOT NULL,
  business_date text NOT NULL,
  total_fen     bigint NOT NULL,
  issued_seq    bigint NOT NULL,
  voided_seq    bigint
);
CREATE INDEX ho_receipts_recon ON ho_receipts (terminal_id, business_date, book_id);

CREATE TABLE ho_receipt_lines (
  receipt_id   text NOT NULL REFERENCES ho_receipts (receipt_id),
  household_id text NOT NULL,
  season_id    text NOT NULL,
  amount_fen   bigint NOT NULL,
  PRIMARY KEY (receipt_id, season_id)
);
CREATE INDEX ho_receipt_lines_hh ON ho_receipt_lines (household_id, season_id);

-- Master data. Every change is also appended to ho_changes, which terminals pull by cursor.
CREATE TABLE ho_households (id text PRIMARY KEY, account_no text NOT NULL UNIQUE, data text NOT NULL);
CREATE TABLE ho_seasons (id text PRIMARY KEY, code text NOT NULL UNIQUE, data text NOT NULL);
CREATE TABLE ho_rates (season_id text NOT NULL, category text NOT NULL, rate_fen_per_m2 bigint NOT NULL,
  PRIMARY KEY (season_id, category));
CREATE TABLE ho_charges (household_id text NOT NULL, season_id text NOT NULL, charge_fen bigint NOT NULL,
  paid_before_fen bigint NOT NULL DEFAULT 0, PRIMARY KEY (household_id, season_id));
CREATE TABLE ho_clerks (id text PRIMARY KEY, code text NOT NULL UNIQUE, data text NOT NULL);
CREATE TABLE ho_books (id text PRIMARY KEY, terminal_id text NOT NULL, series text NOT NULL,
  first_no bigint NOT NULL, last_no bigint NOT NULL, data text NOT NULL);
-- Payments made elsewhere (bank withholding, online, other counters' receipt lines).
CREATE TABLE ho_payments (
  id                 text PRIMARY KEY,
  household_id       text NOT NULL,
  season_id          text NOT NULL,
  amount_fen         bigint NOT NULL CHECK (amount_fen >= 0),
  source             text NOT NULL,
  origin_terminal_id text,
  reference          text,
  paid_at            text
);
CREATE INDEX ho_payments_hh ON ho_payments (household_id, season_id);

-- The change log terminals pull. seq is allocated under the ho_counter row lock, so commit order
-- equals seq order and a cursor never skips a change committed later with a smaller seq.
CREATE TABLE ho_counter (name text PRIMARY KEY, value bigint NOT NULL);
INSERT INTO ho_counter VALUES ('changes', 0);
CREATE TABLE ho_changes (
  seq                bigint PRIMARY KEY,
  kind               text NOT NULL,
  data               text NOT NULL,
  origin_terminal_id text,                     -- not sent back to the terminal it came from
  target_terminal_id text                      -- only sent to this terminal (receipt books)
);

-- Row-level import reports (nothing half-imported: rejected files leave no data, only this).
CREATE TABLE ho_imports (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL,
  file_name   text NOT NULL,
  accepted    boolean NOT NULL,
  rows        integer NOT NULL,
  report      text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);
