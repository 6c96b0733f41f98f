-- Issue 20: the monthly report, the subsidy report and the dunning list answer from aggregates kept
-- in the same transaction as what they sum (triggers, like owed_fen of 0006/0007), instead of
-- scanning every charge of every season (2.5 million on a five-season 500k-household ledger).

-- Per season: the charges, what was paid elsewhere, the receivable the monthly report shows
-- (Σ per household max(0, charge + adjustments + subsidy share): the subsidy share stays receivable,
-- owed by the finance office), the subsidy shares assigned and received (subsidy_receivables) and
-- the subsidy receipts (subsidy_receipts). Each trigger takes out what a row contributed before the
-- change and adds what it contributes after; a contribution to the receivable needs the charge row.
CREATE TABLE season_totals (
  season_id            TEXT PRIMARY KEY,
  charge_fen           INTEGER NOT NULL DEFAULT 0,
  paid_elsewhere_fen   INTEGER NOT NULL DEFAULT 0,
  receivable_fen       INTEGER NOT NULL DEFAULT 0,
  subsidy_share_fen    INTEGER NOT NULL DEFAULT 0,
  subsidy_received_fen INTEGER NOT NULL DEFAULT 0,
  subsidy_receipts_fen INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER season_totals_charge_insert AFTER INSERT ON charges
BEGIN
  INSERT INTO season_totals (season_id, charge_fen, paid_elsewhere_fen, receivable_fen)
  VALUES (NEW.season_id, NEW.charge_fen, NEW.paid_elsewhere_fen,
          max(0, NEW.charge_fen
                 + coalesce((SELECT adjust_fen FROM season_adjustments WHERE household_id = NEW.household_id AND season_id = NEW.season_id), 0)
                 + coalesce((SELECT share_fen FROM subsidy_receivables WHERE household_id = NEW.household_id AND season_id = NEW.season_id), 0)))
  ON CONFLICT (season_id) DO UPDATE SET charge_fen = charge_fen + excluded.charge_fen,
    paid_elsewhere_fen = paid_elsewhere_fen + excluded.paid_elsewhere_fen,
    receivable_fen = receivable_fen + excluded.receivable_fen;
END;

CREATE TRIGGER season_totals_charge_update
AFTER UPDATE OF household_id, season_id, charge_fen, paid_elsewhere_fen ON charges
BEGIN
  UPDATE season_totals SET charge_fen = charge_fen - OLD.charge_fen,
    paid_elsewhere_fen = paid_elsewhere_fen - OLD.paid_elsewhere_fen,
    receivable_fen = receivable_fen - max(0, OLD.charge_fen
      + coalesce((SELECT adjust_fen FROM season_adjustments WHERE household_id = OLD.household_id AND season_id = OLD.season_id), 0)
      + coalesce((SELECT share_fen FROM subsidy_receivables WHERE household_id = OLD.household_id AND season_id = OLD.season_id), 0))
  WHERE season_id = OLD.season_id;
  INSERT INTO season_totals (season_id, charge_fen, paid_elsewhere_fen, receivable_fen)
  VALUES (NEW.season_id, NEW.charge_fen, NEW.paid_elsewhere_fen,
          max(0, NEW.charge_fen
                 + coalesce((SELECT adjust_fen FROM season_adjustments WHERE household_id = NEW.household_id AND season_id = NEW.season_id), 0)
                 + coalesce((SELECT share_fen FROM subsidy_receivables WHERE household_id = NEW.household_id AND season_id = NEW.season_id), 0)))
  ON CONFLICT (season_id) DO UPDATE SET charge_fen = charge_fen + excluded.charge_fen,
    paid_elsewhere_fen = paid_elsewhere_fen + excluded.paid_elsewhere_fen,
    receivable_fen = receivable_fen + excluded.receivable_fen;
END;

CREATE TRIGGER season_totals_charge_delete AFTER DELETE ON charges
BEGIN
  UPDATE season_totals SET charge_fen = charge_fen - OLD.charge_fen,
    paid_elsewhere_fen = paid_elsewhere_fen - OLD.paid_elsewhere_fen,
    receivable_fen = receivable_fen - max(0, OLD.charge_fen
      + coalesce((SELECT adjust_fen FROM season_adjustments WHERE household_id = OLD.household_id AND season_id = OLD.season_id), 0)
      + coalesce((SELECT share_fen FROM subsidy_receivables WHERE household_id = OLD.household_id AND season_id = OLD.season_id), 0))
  WHERE season_id = OLD.season_id;
END;

-- An adjustment row (its sum per household and season) changes the receivable by
-- max(0, charge + new + share) − max(0, charge + old + share); no charge row, no contribution.
CREATE TRIGGER season_totals_adjustment_insert AFTER INSERT ON season_adjustments
BEGIN
  UPDATE season_totals SET receivable_fen = receivable_fen + (
    SELECT max(0, c.charge_fen + NEW.adjust_fen + coalesce(r.share_fen, 0)) - max(0, c.charge_fen + coalesce(r.share_fen, 0))
    FROM charges c LEFT JOIN subsidy_receivables r ON r.household_id = c.household_id AND r.season_id = c.season_id
    WHERE c.household_id = NEW.household_id AND c.season_id = NEW.season_id)
  WHERE season_id = NEW.season_id
    AND EXISTS (SELECT 1 FROM charges WHERE household_id = NEW.household_id AND season_id = NEW.season_id);
END;

CREATE TRIGGER season_totals_adjustment_update AFTER UPDATE ON season_adjustments
BEGIN
  UPDATE season_totals SET receivable_fen = receivable_fen + (
    SELECT max(0, c.charge_fen + coalesce(r.share_fen, 0)) - max(0, c.charge_fen + OLD.adjust_fen + coalesce(r.share_fen, 0))
    FROM charges c LEFT JOIN subsidy_receivables r ON r.household_id = c.household_id AND r.season_id = c.season_id
    WHERE c.household_id = OLD.household_id AND c.season_id = OLD.season_id)
  WHERE season_id = OLD.season_id
    AND EXISTS (SELECT 1 FROM charges WHERE household_id = OLD.household_id AND season_id = OLD.season_id);
  UPDATE season_totals SET receivable_fen = receivable_fen + (
    SELECT max(0, c.charge_fen + NEW.adjust_fen + coalesce(r.share_fen, 0)) - max(0, c.charge_fen + coalesce(r.share_fen, 0))
    FROM charges c LEFT JOIN subsidy_receivables r ON r.household_id = c.household_id AND r.season_id = c.season_id
    WHERE c.household_id = NEW.household_id AND c.season_id = NEW.season_id)
  WHERE season_id = NEW.season_id
    AND EXISTS (SELECT 1 FROM charges WHERE household_id = NEW.household_id AND season_id = NEW.season_id);
END;

CREATE TRIGGER season_totals_adjustment_delete AFTER DELETE ON season_adjustments
BEGIN
  UPDATE season_totals SET receivable_fen = receivable_fen + (
    SELECT max(0, c.charge_fen + coalesce(r.share_fen, 0)) - max(0, c.charge_fen + OLD.adjust_fen + coalesce(r.share_fen, 0))
    FROM charges c LEFT JOIN subsidy_receivables r ON r.household_id = c.household_id AND r.season_id = c.season_id
    WHERE c.household_id = OLD.household_id AND c.season_id = OLD.season_id)
  WHERE season_id = OLD.season_id
    AND EXISTS (SELECT 1 FROM charges WHERE household_id = OLD.household_id AND season_id = OLD.season_id);
END;

-- A subsidy share: the same for the receivable, plus the shares and what was received of them.
CREATE TRIGGER season_totals_subsidy_insert AFTER INSERT ON subsidy_receivables
BEGIN
  INSERT INTO season_totals (season_id, subsidy_share_fen, subsidy_received_fen, receivable_fen)
  VALUES (NEW.season_id, NEW.share_fen, NEW.received_fen, coalesce((
    SELECT max(0, c.charge_fen + coalesce(a.adjust_fen, 0) + NEW.share_fen) - max(0, c.charge_fen + coalesce(a.adjust_fen, 0))
    FROM charges c LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
    WHERE c.household_id = NEW.household_id AND c.season_id = NEW.season_id), 0))
  ON CONFLICT (season_id) DO UPDATE SET subsidy_share_fen = subsidy_share_fen + excluded.subsidy_share_fen,
    subsidy_received_fen = subsidy_received_fen + excluded.subsidy_received_fen,
    receivable_fen = receivable_fen + excluded.receivable_fen;
END;

CREATE TRIGGER season_totals_subsidy_update AFTER UPDATE ON subsidy_receivables
BEGIN
  UPDATE season_totals SET subsidy_share_fen = subsidy_share_fen - OLD.share_fen,
    subsidy_received_fen = subsidy_received_fen - OLD.received_fen,
    receivable_fen = receivable_fen + coalesce((
      SELECT max(0, c.charge_fen + coalesce(a.adjust_fen, 0)) - max(0, c.charge_fen + coalesce(a.adjust_fen, 0) + OLD.share_fen)
      FROM charges c LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
      WHERE c.household_id = OLD.household_id AND c.season_id = OLD.season_id), 0)
  WHERE season_id = OLD.season_id;
  INSERT INTO season_totals (season_id, subsidy_share_fen, subsidy_received_fen, receivable_fen)
  VALUES (NEW.season_id, NEW.share_fen, NEW.received_fen, coalesce((
    SELECT max(0, c.charge_fen + coalesce(a.adjust_fen, 0) + NEW.share_fen) - max(0, c.charge_fen + coalesce(a.adjust_fen, 0))
    FROM charges c LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
    WHERE c.household_id = NEW.household_id AND c.season_id = NEW.season_id), 0))
  ON CONFLICT (season_id) DO UPDATE SET subsidy_share_fen = subsidy_share_fen + excluded.subsidy_share_fen,
    subsidy_received_fen = subsidy_received_fen + excluded.subsidy_received_fen,
    receivable_fen = receivable_fen + excluded.receivable_fen;
END;

CREATE TRIGGER season_totals_subsidy_delete AFTER DELETE ON subsidy_receivables
BEGIN
  UPDATE season_totals SET subsidy_share_fen = subsidy_share_fen - OLD.share_fen,
    subsidy_received_fen = subsidy_received_fen - OLD.received_fen,
    receivable_fen = receivable_fen + coalesce((
      SELECT max(0, c.charge_fen + coalesce(a.adjust_fen, 0)) - max(0, c.charge_fen + coalesce(a.adjust_fen, 0) + OLD.share_fen)
      FROM charges c LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
      WHERE c.household_id = OLD.household_id AND c.season_id = OLD.season_id), 0)
  WHERE season_id = OLD.season_id;
END;

CREATE TRIGGER season_totals_subsidy_receipt_insert AFTER INSERT ON subsidy_receipts
BEGIN
  INSERT INTO season_totals (season_id, subsidy_receipts_fen) VALUES (NEW.season_id, NEW.amount_fen)
  ON CONFLICT (season_id) DO UPDATE SET subsidy_receipts_fen = subsidy_receipts_fen + excluded.subsidy_receipts_fen;
END;

CREATE TRIGGER season_totals_subsidy_receipt_delete AFTER DELETE ON subsidy_receipts
BEGIN
  UPDATE season_totals SET subsidy_receipts_fen = subsidy_receipts_fen - OLD.amount_fen
  WHERE season_id = OLD.season_id;
END;

INSERT INTO season_totals (season_id, charge_fen, paid_elsewhere_fen, receivable_fen, subsidy_share_fen,
                           subsidy_received_fen, subsidy_receipts_fen)
SELECT s.id,
       (SELECT coalesce(sum(charge_fen), 0) FROM charges WHERE season_id = s.id),
       (SELECT coalesce(sum(paid_elsewhere_fen), 0) FROM charges WHERE season_id = s.id),
       (SELECT coalesce(sum(max(0, c.charge_fen + coalesce(a.adjust_fen, 0) + coalesce(r.share_fen, 0))), 0)
        FROM charges c
        LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id
        LEFT JOIN subsidy_receivables r ON r.household_id = c.household_id AND r.season_id = c.season_id
        WHERE c.season_id = s.id),
       (SELECT coalesce(sum(share_fen), 0) FROM subsidy_receivables WHERE season_id = s.id),
       (SELECT coalesce(sum(received_fen), 0) FROM subsidy_receivables WHERE season_id = s.id),
       (SELECT coalesce(sum(amount_fen), 0) FROM subsidy_receipts WHERE season_id = s.id)
FROM seasons s;

-- Per household, the seasons overdue and their arrears (balance > 0) among the seasons before the
-- newest one (the dunning list's "past seasons" once the newest season has started), kept whenever
-- owed_fen is (every change of a charge, payment or adjustment runs the 0007 triggers) — so the list
-- opened right after a payment reads an index instead of rebuilding an overdue set.
ALTER TABLE households ADD COLUMN overdue_seasons INTEGER NOT NULL DEFAULT 0;
ALTER TABLE households ADD COLUMN overdue_fen INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER overdue_after_owed AFTER UPDATE OF owed_fen ON households
BEGIN
  UPDATE households SET (overdue_seasons, overdue_fen) = (
    SELECT count(*), coalesce(sum(b.balance_fen), 0)
    FROM household_season_balances b JOIN seasons s ON s.id = b.season_id
    WHERE b.household_id = NEW.id AND b.balance_fen > 0 AND s.code < (SELECT max(code) FROM seasons))
  WHERE num = NEW.num;
END;

-- A new newest season makes the one before it past: its debtors gain an overdue season.
CREATE TRIGGER overdue_after_season_insert AFTER INSERT ON seasons
WHEN NEW.code = (SELECT max(code) FROM seasons)
BEGIN
  UPDATE households SET (overdue_seasons, overdue_fen) = (
    SELECT count(*), coalesce(sum(b.balance_fen), 0)
    FROM household_season_balances b JOIN seasons s ON s.id = b.season_id
    WHERE b.household_id = households.id AND b.balance_fen > 0 AND s.code < NEW.code)
  WHERE owed_fen > 0;
END;

CREATE TRIGGER overdue_after_season_code AFTER UPDATE OF code ON seasons
WHEN OLD.code IS NOT NEW.code
BEGIN
  UPDATE households SET (overdue_seasons, overdue_fen) = (
    SELECT count(*), coalesce(sum(b.balance_fen), 0)
    FROM household_season_balances b JOIN seasons s ON s.id = b.season_id
    WHERE b.household_id = households.id AND b.balance_fen > 0 AND s.code < (SELECT max(code) FROM seasons))
  WHERE owed_fen > 0 OR overdue_seasons > 0;
END;

CREATE TRIGGER overdue_after_season_delete AFTER DELETE ON seasons
BEGIN
  UPDATE households SET (overdue_seasons, overdue_fen) = (
    SELECT count(*), coalesce(sum(b.balance_fen), 0)
    FROM household_season_balances b JOIN seasons s ON s.id = b.season_id
    WHERE b.household_id = households.id AND b.balance_fen > 0 AND s.code < (SELECT max(code) FROM seasons))
  WHERE owed_fen > 0 OR overdue_seasons > 0;
END;

-- Backfill: one pass over the charges of the past seasons, grouped by household.
UPDATE households SET (overdue_seasons, overdue_fen) = (o.n, o.arrears)
FROM (SELECT b.household_id AS hid, count(*) AS n, sum(b.balance_fen) AS arrears
      FROM household_season_balances b JOIN seasons s ON s.id = b.season_id
      WHERE b.balance_fen > 0 AND s.code < (SELECT max(code) FROM seasons)
      GROUP BY b.household_id) o
WHERE households.id = o.hid;

-- The dunning list with a seasons filter: biggest amount owed first, ties by account no.
CREATE INDEX households_overdue ON households(owed_fen DESC, account_no, overdue_seasons, overdue_fen)
  WHERE overdue_seasons > 0;

-- The dunning list's totals (how many households, what they owe) per community and seasons
-- overdue, over the households owing anything: kept with every change of owed_fen, overdue_seasons
-- or community, so the totals of the whole district or a community are a few rows, not a count
-- over every debtor.
CREATE TABLE arrears_totals (
  community       TEXT NOT NULL,
  overdue_seasons INTEGER NOT NULL,
  households      INTEGER NOT NULL,
  owed_fen        INTEGER NOT NULL,
  PRIMARY KEY (community, overdue_seasons)
) WITHOUT ROWID;

CREATE TRIGGER arrears_totals_update AFTER UPDATE OF owed_fen, overdue_seasons, community ON households
WHEN OLD.owed_fen > 0 OR NEW.owed_fen > 0
BEGIN
  UPDATE arrears_totals SET households = households - 1, owed_fen = owed_fen - OLD.owed_fen
  WHERE OLD.owed_fen > 0 AND community = OLD.community AND overdue_seasons = OLD.overdue_seasons;
  INSERT INTO arrears_totals (community, overdue_seasons, households, owed_fen)
  SELECT NEW.community, NEW.overdue_seasons, 1, NEW.owed_fen WHERE NEW.owed_fen > 0
  ON CONFLICT (community, overdue_seasons) DO UPDATE SET households = households + 1,
    owed_fen = owed_fen + excluded.owed_fen;
END;

CREATE TRIGGER arrears_totals_insert AFTER INSERT ON households
WHEN NEW.owed_fen > 0
BEGIN
  INSERT INTO arrears_totals (community, overdue_seasons, households, owed_fen)
  VALUES (NEW.community, NEW.overdue_seasons, 1, NEW.owed_fen)
  ON CONFLICT (community, overdue_seasons) DO UPDATE SET households = households + 1,
    owed_fen = owed_fen + excluded.owed_fen;
END;

CREATE TRIGGER arrears_totals_delete AFTER DELETE ON households
WHEN OLD.owed_fen > 0
BEGIN
  UPDATE arrears_totals SET households = households - 1, owed_fen = owed_fen - OLD.owed_fen
  WHERE community = OLD.community AND overdue_seasons = OLD.overdue_seasons;
END;

INSERT INTO arrears_totals (community, overdue_seasons, households, owed_fen)
SELECT community, overdue_seasons, count(*), sum(owed_fen) FROM households WHERE owed_fen > 0
GROUP BY community, overdue_seasons;

-- The subsidy report: the shares still outstanding of a season, and the receipts of a season by date.
CREATE INDEX subsidy_receivables_outstanding ON subsidy_receivables(season_id, household_id)
  WHERE received_fen < share_fen;
CREATE INDEX subsidy_receipts_season ON subsidy_receipts(season_id, business_date, amount_fen);
