-- 0023_service_spans (issue 20): the service-time KPIs of the monthly, daily and collector reports
-- read one small row per timed receipt through a covering index, instead of every timed receipt
-- with its rating and two ISO times to parse (17,333 receipts in a month of the season ledger).
--   service_spans: one row per valid receipt (not void) that carries its service start and a
--     business date; service_ms = issued_at − service_started_at, visit_ms = the rating's rated_at −
--     service_started_at (NULL while unrated), both in whole milliseconds and never negative (as
--     kpis.ts spanMs). Kept by triggers in the same transaction as the receipt, its void and its
--     rating, so a rebuild (replaying receipts and ratings) makes the same rows.
-- Medians need every duration of the range, so this is a compact projection, not a day aggregate.
CREATE TABLE service_spans (
  receipt_id    TEXT PRIMARY KEY,
  business_date TEXT NOT NULL,
  clerk_id      TEXT NOT NULL,
  service_ms    INTEGER NOT NULL,
  visit_ms      INTEGER
) WITHOUT ROWID;
CREATE INDEX service_spans_date ON service_spans(business_date, clerk_id, service_ms, visit_ms);

CREATE TRIGGER service_spans_receipt_insert AFTER INSERT ON receipts
WHEN NEW.service_started_at IS NOT NULL AND NEW.business_date IS NOT NULL AND NEW.voided_seq IS NULL
BEGIN
  INSERT INTO service_spans (receipt_id, business_date, clerk_id, service_ms, visit_ms)
  VALUES (NEW.id, NEW.business_date, NEW.clerk_id,
    coalesce(max(0, CAST(round((julianday(NEW.issued_at) - julianday(NEW.service_started_at)) * 86400000.0) AS INTEGER)), 0),
    (SELECT max(0, CAST(round((julianday(g.rated_at) - julianday(NEW.service_started_at)) * 86400000.0) AS INTEGER))
     FROM service_ratings g WHERE g.receipt_id = NEW.id));
END;

CREATE TRIGGER service_spans_receipt_update
AFTER UPDATE OF id, business_date, clerk_id, issued_at, voided_seq, service_started_at ON receipts
BEGIN
  DELETE FROM service_spans WHERE receipt_id = OLD.id;
  INSERT INTO service_spans (receipt_id, business_date, clerk_id, service_ms, visit_ms)
  SELECT NEW.id, NEW.business_date, NEW.clerk_id,
    coalesce(max(0, CAST(round((julianday(NEW.issued_at) - julianday(NEW.service_started_at)) * 86400000.0) AS INTEGER)), 0),
    (SELECT max(0, CAST(round((julianday(g.rated_at) - julianday(NEW.service_started_at)) * 86400000.0) AS INTEGER))
     FROM service_ratings g WHERE g.receipt_id = NEW.id)
  WHERE NEW.service_started_at IS NOT NULL AND NEW.business_date IS NOT NULL AND NEW.voided_seq IS NULL;
END;

CREATE TRIGGER service_spans_receipt_delete AFTER DELETE ON receipts
BEGIN
  DELETE FROM service_spans WHERE receipt_id = OLD.id;
END;

CREATE TRIGGER service_spans_rating_insert AFTER INSERT ON service_ratings
BEGIN
  UPDATE service_spans SET visit_ms = (
    SELECT max(0, CAST(round((julianday(NEW.rated_at) - julianday(r.service_started_at)) * 86400000.0) AS INTEGER))
    FROM receipts r WHERE r.id = NEW.receipt_id)
  WHERE receipt_id = NEW.receipt_id;
END;

CREATE TRIGGER service_spans_rating_update AFTER UPDATE OF receipt_id, rated_at ON service_ratings
BEGIN
  UPDATE service_spans SET visit_ms = NULL WHERE receipt_id = OLD.receipt_id;
  UPDATE service_spans SET visit_ms = (
    SELECT max(0, CAST(round((julianday(NEW.rated_at) - julianday(r.service_started_at)) * 86400000.0) AS INTEGER))
    FROM receipts r WHERE r.id = NEW.receipt_id)
  WHERE receipt_id = NEW.receipt_id;
END;

CREATE TRIGGER service_spans_rating_delete AFTER DELETE ON service_ratings
BEGIN
  UPDATE service_spans SET visit_ms = NULL WHERE receipt_id = OLD.receipt_id;
END;

-- Backfill: the timed receipts an existing ledger already has.
INSERT INTO service_spans (receipt_id, business_date, clerk_id, service_ms, visit_ms)
SELECT r.id, r.business_date, r.clerk_id,
  coalesce(max(0, CAST(round((julianday(r.issued_at) - julianday(r.service_started_at)) * 86400000.0) AS INTEGER)), 0),
  max(0, CAST(round((julianday(g.rated_at) - julianday(r.service_started_at)) * 86400000.0) AS INTEGER))
FROM receipts r LEFT JOIN service_ratings g ON g.receipt_id = r.id
WHERE r.service_started_at IS NOT NULL AND r.business_date IS NOT NULL AND r.voided_seq IS NULL;
