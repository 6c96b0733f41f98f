-- Issue 18, the console's daily and monthly reports: valid receipts' totals per business day,
-- counter and clerk, by tender class, kept by statement-level triggers on ho_receipts in the
-- pushing transaction (one grouped upsert per push, not one per row). A void moves a receipt from
-- the valid totals to `voided`. The monthly company report and its 12-month trend read these
-- (a month of 200 counters is ~12,000 rows, not ~160,000 receipts); cheques count as collected on
-- the day they clear (ho_cheques.value_date), read through the partial index below.

CREATE TABLE ho_day_totals (
  business_date  text   NOT NULL,
  terminal_id    text   NOT NULL,
  clerk_id       text   NOT NULL,              -- '' for a receipt whose event had no clerk
  receipts       bigint NOT NULL DEFAULT 0,    -- valid (not voided)
  voided         bigint NOT NULL DEFAULT 0,
  total_fen      bigint NOT NULL DEFAULT 0,    -- of the valid receipts, and below by tender class
  cash_fen       bigint NOT NULL DEFAULT 0,
  electronic_fen bigint NOT NULL DEFAULT 0,
  pending_fen    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, terminal_id, clerk_id)
);

-- One function for the three triggers: the rows a statement added count +1, those it took away -1,
-- grouped per day, counter and clerk, then upserted. (Transition tables are visible to EXECUTE.)
CREATE FUNCTION ho_day_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM new_rows n'
    WHEN 'UPDATE' THEN 'SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1, o.* FROM old_rows o'
    ELSE 'SELECT -1 AS sign, o.* FROM old_rows o' END;
BEGIN
  EXECUTE format($q$
    INSERT INTO ho_day_totals AS d (business_date, terminal_id, clerk_id, receipts, voided, total_fen, cash_fen,
                                    electronic_fen, pending_fen)
    SELECT r.business_date, r.terminal_id, coalesce(r.clerk_id, ''),
           coalesce(sum(r.sign) FILTER (WHERE r.voided_seq IS NULL), 0),
           coalesce(sum(r.sign) FILTER (WHERE r.voided_seq IS NOT NULL), 0),
           coalesce(sum(r.sign * r.total_fen) FILTER (WHERE r.voided_seq IS NULL), 0),
           coalesce(sum(r.sign * r.cash_fen) FILTER (WHERE r.voided_seq IS NULL), 0),
           coalesce(sum(r.sign * r.electronic_fen) FILTER (WHERE r.voided_seq IS NULL), 0),
           coalesce(sum(r.sign * r.pending_fen) FILTER (WHERE r.voided_seq IS NULL), 0)
    FROM (%s) r
    GROUP BY 1, 2, 3
    ON CONFLICT (business_date, terminal_id, clerk_id) DO UPDATE SET
      receipts = d.receipts + excluded.receipts, voided = d.voided + excluded.voided,
      total_fen = d.total_fen + excluded.total_fen, cash_fen = d.cash_fen + excluded.cash_fen,
      electronic_fen = d.electronic_fen + excluded.electronic_fen,
      pending_fen = d.pending_fen + excluded.pending_fen
  $q$, src);
  RETURN NULL;
END $$;

CREATE TRIGGER ho_day_totals_on_insert AFTER INSERT ON ho_receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_day_totals_keep();
CREATE TRIGGER ho_day_totals_on_update AFTER UPDATE ON ho_receipts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_day_totals_keep();
CREATE TRIGGER ho_day_totals_on_delete AFTER DELETE ON ho_receipts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_day_totals_keep();

-- The receipts already pushed.
INSERT INTO ho_day_totals (business_date, terminal_id, clerk_id, receipts, voided, total_fen, cash_fen,
                           electronic_fen, pending_fen)
SELECT business_date, terminal_id, coalesce(clerk_id, ''),
       count(*) FILTER (WHERE voided_seq IS NULL), count(*) FILTER (WHERE voided_seq IS NOT NULL),
       coalesce(sum(total_fen) FILTER (WHERE voided_seq IS NULL), 0),
       coalesce(sum(cash_fen) FILTER (WHERE voided_seq IS NULL), 0),
       coalesce(sum(electronic_fen) FILTER (WHERE voided_seq IS NULL), 0),
       coalesce(sum(pending_fen) FILTER (WHERE voided_seq IS NULL), 0)
FROM ho_receipts GROUP BY 1, 2, 3;

-- Cheques count as collected on the day they clear.
CREATE INDEX ho_cheques_cleared ON ho_cheques (value_date, terminal_id) WHERE status = 'cleared';
