-- QR (payment code, 付款码) sales through head office (issue 23). One row per scanned sale, committed
-- BEFORE the sale goes to head office (write-ahead intent); the receipt (ledger event) references it.
-- Operational state like card_payments, not a ledger fact: the money fact is the receipt.issued event,
-- whose QR tender carries detail.confirmation = 'confirmed', provider, tradeNo, outTradeNo, qrIntentId.
-- The customer's payment code is a bearer token: only its masked form (first 4, last 4) is kept.
CREATE TABLE qr_payments (
  id                TEXT PRIMARY KEY,                      -- UUIDv7 (the intent id)
  request_id        TEXT NOT NULL UNIQUE,                  -- payment.take requestId of the receipt
  out_trade_no      TEXT NOT NULL UNIQUE                   -- 商户订单号: terminal id + intent id
                      CHECK (length(out_trade_no) BETWEEN 8 AND 64
                             AND out_trade_no NOT GLOB '*[^A-Za-z0-9_]*'),
  provider          TEXT NOT NULL CHECK (provider IN ('alipay', 'wechat', 'unionpay')),
  masked_code       TEXT NOT NULL CHECK (masked_code NOT GLOB '*[^0-9*]*'
                      AND instr(masked_code, '*') > 0
                      AND length(replace(masked_code, '*', '')) <= 8),
  source            TEXT NOT NULL DEFAULT 'keyboard' CHECK (source IN ('scanner', 'keyboard')),
  household_id      TEXT NOT NULL,
  shift_id          TEXT NOT NULL,
  clerk_id          TEXT NOT NULL,
  amount_fen        INTEGER NOT NULL CHECK (amount_fen > 0),
  allocation        TEXT,                                  -- JSON explicit allocation or NULL
  state             TEXT NOT NULL CHECK (state IN ('intent', 'completed', 'failed', 'cancelled')),
  trade_no          TEXT,                                  -- the provider's trade number
  buyer             TEXT,                                  -- masked buyer logon id, if given
  paid_at           TEXT,
  provider_code     TEXT,
  provider_sub_code TEXT,
  message           TEXT,                                  -- last clerk-facing text (JSON zh-CN/en)
  receipt_id        TEXT UNIQUE,
  resolution        TEXT,                                  -- how it ended: sale, query, cancel, auto, not_sent
  resolved_by       TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  CHECK (state <> 'completed' OR (receipt_id IS NOT NULL AND trade_no IS NOT NULL)),
  CHECK (state = 'completed' OR receipt_id IS NULL)
);
-- At most one QR sale with an unknown outcome: no second sale while one is uncertain.
CREATE UNIQUE INDEX qr_payments_one_open ON qr_payments (state) WHERE state = 'intent';
-- One provider trade settles one sale only.
CREATE UNIQUE INDEX qr_payments_trade ON qr_payments (provider, trade_no) WHERE trade_no IS NOT NULL;

-- The e-payment share counts card + CONFIRMED QR (settled through head office); a QR reference the
-- clerk typed (未确认) is reconciled by finance first. Kept by the day-totals projector with qr_fen.
ALTER TABLE daily_clerk_totals ADD COLUMN qr_confirmed_fen INTEGER NOT NULL DEFAULT 0;
