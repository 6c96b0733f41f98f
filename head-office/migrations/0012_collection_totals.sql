-- Issue 18, the console's daily and monthly reports: what each counter and clerk collected per
-- business day AND per month, by tender class, kept by statement-level triggers in the pushing (or
-- deciding) transaction: one grouped upsert per statement, not one per row.
-- - ho_receipts: valid receipts count on the day and month of their business date; a void moves a
--   receipt from the valid totals to `voided`.
-- - ho_cheques: a cheque counts as collected (cheques_cleared_fen) on the day and month of its value
--   date once cleared, under the counter and clerk of its receipt.
-- The monthly company report and its trend read the month rows (200 counters: ~400 rows a month).

CREATE TABLE ho_collection_totals (
  period              text   NOT NULL,         -- a business day YYYY-MM-DD or a month YYYY-MM
  terminal_id         text   NOT NULL,
  clerk_id            text   NOT NULL,         -- '' for a receipt whose event had no clerk
  receipts            bigint NOT NULL DEFAULT 0,  -- valid (not voided)
  voided              bigint NOT NULL DEFAULT 0,
  total_fen           bigint NOT NULL DEFAULT 0,  -- of the valid receipts, and below by tender class
  cash_fen            bigint NOT NULL DEFAULT 0,
  electronic_fen      bigint NOT NULL DEFAULT 0,
  pending_fen         bigint NOT NULL DEFAULT 0,  -- cheques taken
  cheques_cleared_fen bigint NOT NULL DEFAULT 0,  -- cheques whose value date falls in the period
  PRIMARY KEY (period, terminal_id, clerk_id)
);

-- The statement adding what `src` yields — (sign, day, terminal_id, clerk_id, receipts, voided, total,
-- cash, electronic, pending, cleared) rows — to each row's day and month. The trigger function runs
-- it itself: transition tables are visible only to its own EXECUTEs, not to a function it calls.
CREATE FUNCTION ho_collection_totals_upsert(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($q$
    INSERT INTO ho_collection_totals AS d (period, terminal_id, clerk_id, receipts, voided, total_fen, cash_fen,
                                           electronic_fen, pending_fen, cheques_cleared_fen)
    SELECT p.period, r.terminal_id, r.clerk_id, sum(r.sign * r.receipts), sum(r.sign * r.voided),
           sum(r.sign * r.total), sum(r.sign * r.cash), sum(r.sign * r.electronic), sum(r.sign * r.pending),
           sum(r.sign * r.cleared)
    FROM (%s) r CROSS JOIN LATERAL (VALUES (r.day), (substr(r.day, 1, 7))) AS p(period)
    GROUP BY 1, 2, 3
    ON CONFLICT (period, terminal_id, clerk_id) DO UPDATE SET
      receipts = d.receipts + excluded.receipts, voided = d.voided + excluded.voided,
      total_fen = d.total_fen + excluded.total_fen, cash_fen = d.cash_fen + excluded.cash_fen,
      electronic_fen = d.electronic_fen + excluded.electronic_fen,
      pending_fen = d.pending_fen + excluded.pending_fen,
      cheques_cleared_fen = d.cheques_cleared_fen + excluded.cheques_cleared_fen
  $q$, src)
$$;

-- What a receipt row contributes (0 or 1 valid / voided, its amounts when valid).
CREATE FUNCTION ho_receipt_contribution(t text, sign int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('SELECT %s AS sign, x.business_date AS day, x.terminal_id, coalesce(x.clerk_id, %L) AS clerk_id,
                        (x.voided_seq IS NULL)::int AS receipts, (x.voided_seq IS NOT NULL)::int AS voided,
                        CASE WHEN x.voided_seq IS NULL THEN x.total_fen ELSE 0 END AS total,
                        CASE WHEN x.voided_seq IS NULL THEN x.cash_fen ELSE 0 END AS cash,
                        CASE WHEN x.voided_seq IS NULL THEN x.electronic_fen ELSE 0 END AS electronic,
                        CASE WHEN x.voided_seq IS NULL THEN x.pending_fen ELSE 0 END AS pending,
                        0::bigint AS cleared
                 FROM %I x', sign, '', t)
$$;

-- What a cheque row contributes: its amount on its value date once cleared, under its receipt's clerk.
CREATE FUNCTION ho_cheque_contribution(t text, sign int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('SELECT %s AS sign, x.value_date AS day, x.terminal_id, coalesce(r.clerk_id, %L) AS clerk_id,
                        0 AS receipts, 0 AS voided, 0::bigint AS total, 0::bigint AS cash, 0::bigint AS electronic,
                        0::bigint AS pending, x.amount_fen AS cleared
                 FROM %I x LEFT JOIN ho_receipts r ON r.receipt_id = x.receipt_id
                 WHERE x.status = %L AND x.value_date IS NOT NULL', sign, '', t, 'cleared')
$$;

CREATE FUNCTION ho_collection_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  part text := CASE TG_TABLE_NAME WHEN 'ho_receipts' THEN 'ho_receipt_contribution' ELSE 'ho_cheque_contribution' END;
  plus text;
  minus text;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN EXECUTE format('SELECT %I($1, 1)', part) INTO plus USING 'new_rows'; END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN EXECUTE format('SELECT %I($1, -1)', part) INTO minus USING 'old_rows'; END IF;
  EXECUTE ho_collection_totals_upsert(concat_ws(' UNION ALL ', plus, minus));
  RETURN NULL;
END $$;

CREATE TRIGGER ho_collection_totals_on_insert AFTER INSERT ON ho_receipts
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_collection_totals_keep();
CREATE TRIGGER ho_collection_totals_on_update AFTER UPDATE ON ho_receipts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_collection_totals_keep();
CREATE TRIGGER ho_collection_totals_on_delete AFTER DELETE ON ho_receipts
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_collection_totals_keep();
CREATE TRIGGER ho_collection_totals_on_insert AFTER INSERT ON ho_cheques
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_collection_totals_keep();
CREATE TRIGGER ho_collection_totals_on_update AFTER UPDATE ON ho_cheques
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_collection_totals_keep();
CREATE TRIGGER ho_collection_totals_on_delete AFTER DELETE ON ho_cheques
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ho_collection_totals_keep();

-- What was pushed and decided before.
DO $$
BEGIN
  EXECUTE ho_collection_totals_upsert(ho_receipt_contribution('ho_receipts', 1));
  EXECUTE ho_collection_totals_upsert(ho_cheque_contribution('ho_cheques', 1));
END $$;
