-- Issue 23, QR payments (README "QR payments (扫码支付)"): one row per sale head office sends to a
-- payment provider for a terminal (head-office/src/qr/sales.ts). The row is written BEFORE the
-- provider is called; the instance whose INSERT made the row is the only one that ever sends the
-- `pay`; every later provider call is made by whichever instance holds the row's short lease
-- (lease_until), so several head-office processes on one database never call the provider twice
-- at once for one trade. The customer's payment code is a bearer token: only its mask and its
-- SHA-256 (to refuse a replay of the out-trade number with another code) are kept.

CREATE TABLE ho_qr_sales (
  terminal_id   text NOT NULL,
  out_trade_no  text NOT NULL UNIQUE,          -- the provider knows only this: one trade per number
  provider      text NOT NULL CHECK (provider IN ('alipay', 'wechat', 'unionpay')),
  masked_code   text NOT NULL,                 -- core/payment-code.ts maskPaymentCode
  code_sha256   text NOT NULL,
  amount_fen    bigint NOT NULL CHECK (amount_fen > 0),
  subject       text NOT NULL,
  household_id  text NOT NULL,
  -- paying/unknown: not final (query again); paid/failed/cancelled: final, never changed again
  state         text NOT NULL CHECK (state IN ('paying', 'unknown', 'paid', 'failed', 'cancelled')),
  trade_no      text,
  buyer         text,
  paid_at       text,                          -- ISO time of payment as the provider reports it
  paid_fen      bigint,                        -- what the provider reports as paid
  code          text,                          -- the provider's last code / sub-code / words
  sub_code      text,
  message       text,
  problem       text,                          -- e.g. amount_mismatch: kept out of paid for the operator
  lease_until   timestamptz,                   -- an instance is calling the provider for this sale
  next_step_at  timestamptz NOT NULL,          -- the next query is due (at most one per interval)
  created_at    timestamptz NOT NULL DEFAULT now(),
  deadline_at   timestamptz NOT NULL,          -- still unpaid then: query once more and cancel
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, out_trade_no),
  CHECK (state <> 'paid' OR (trade_no IS NOT NULL AND paid_fen = amount_fen))
);
CREATE INDEX ho_qr_sales_paid ON ho_qr_sales (provider, paid_at) WHERE state = 'paid';

-- Every provider call and its answer, and every notification received; never updated.
CREATE TABLE ho_qr_sale_log (
  id           bigserial PRIMARY KEY,
  terminal_id  text,                           -- NULL: a notification for a trade head office does not know
  out_trade_no text NOT NULL,
  call         text NOT NULL CHECK (call IN ('pay', 'query', 'cancel', 'notify')),
  state        text NOT NULL,                  -- the provider port's state (paid, paying, refused, ...)
  code         text,
  sub_code     text,
  detail       text,                           -- trade no., amount, problem, the notification's status
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ho_qr_sale_log_trade ON ho_qr_sale_log (out_trade_no, id);

CREATE FUNCTION ho_qr_sale_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ho_qr_sale_log is append-only'; END $$;
CREATE TRIGGER ho_qr_sale_log_no_change BEFORE UPDATE OR DELETE ON ho_qr_sale_log
  FOR EACH ROW EXECUTE FUNCTION ho_qr_sale_log_append_only();
