-- Cheques (支票) at head office: every cheque tender pushed by a terminal, pending until finance (here)
-- or a supervisor at the counter records it cleared or bounced. The first decision wins; a contrary
-- one made elsewhere meanwhile is kept in ho_cheque_conflicts for the operator, never dropped.
CREATE TABLE ho_cheques (
  receipt_id      text NOT NULL REFERENCES ho_receipts (receipt_id),
  position        int NOT NULL,
  terminal_id     text NOT NULL,
  receipt_label   text NOT NULL,
  household_id    text NOT NULL,
  cheque_no       text NOT NULL,
  bank            text NOT NULL,
  amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
  issued_date     text NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'cleared', 'bounced')),
  decision_id     text UNIQUE,
  decision_source text CHECK (decision_source IN ('head-office', 'counter')),
  value_date      text,
  decided_by      text,
  reason          text,
  restored        text,                        -- JSON [{seasonId, amountFen}] of a bounce
  decided_at      timestamptz,
  PRIMARY KEY (receipt_id, position)
);
CREATE INDEX ho_cheques_status ON ho_cheques (status, terminal_id);

CREATE TABLE ho_cheque_conflicts (
  id          bigserial PRIMARY KEY,
  receipt_id  text NOT NULL,
  position    int NOT NULL,
  decision_id text NOT NULL,
  outcome     text NOT NULL,
  source      text NOT NULL,
  detail      text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- What bounced cheques gave back per receipt line: the line's payment elsewhere becomes amount − this.
ALTER TABLE ho_receipt_lines ADD COLUMN bounced_fen bigint NOT NULL DEFAULT 0;
