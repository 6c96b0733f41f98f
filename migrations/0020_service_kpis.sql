-- 0020_service_kpis: the seed's service KPIs (issue 22).
--   service_ratings: the customer's satisfaction rating (1–5, event service.rated), one per receipt,
--     tied to the receipt and to the receipt's clerk; business_date is the rating's business day.
--     A projection: rebuilt from the events like the others.
--   receipts.service_started_at: when the counter opened the household's account for this
--     customer (receipt.issued's optional serviceStartedAt, main's clock). NULL on receipts issued
--     before this migration and on receipts whose account was not opened first on that session:
--     those count in no service-time figure.
CREATE TABLE service_ratings (
  id            TEXT PRIMARY KEY,                               -- the rating id (UUIDv7)
  receipt_id    TEXT NOT NULL UNIQUE REFERENCES receipts(id),   -- one rating per receipt
  receipt_label TEXT NOT NULL,
  clerk_id      TEXT NOT NULL REFERENCES clerks(id),            -- the receipt's clerk
  business_date TEXT NOT NULL,
  score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  source        TEXT NOT NULL CHECK (source IN ('display', 'keypad')),
  rated_at      TEXT NOT NULL,
  seq           INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX service_ratings_date ON service_ratings(business_date, clerk_id);

ALTER TABLE receipts ADD COLUMN service_started_at TEXT;
-- The reports read only the receipts they need, never a month of them: the timed ones, the reprinted
-- ones (issued and voided counts come from daily_clerk_totals).
CREATE INDEX receipts_timed ON receipts(business_date) WHERE service_started_at IS NOT NULL;
CREATE INDEX receipts_reprinted ON receipts(business_date) WHERE reprint_count > 0;

-- The complaints' 24-hour deadline is read by opening time (overdue list, monthly figures).
CREATE INDEX complaints_opened ON complaints(opened_at);
CREATE INDEX complaint_updates_complaint ON complaint_updates(complaint_id, seq);
-- The complaint rate per area (community, 小区) counts the area's households.
CREATE INDEX households_community ON households(community);
