-- What each household still owes, kept on the household row by triggers on every table it depends on
-- (charges from head office or the demo, payments here via the projector, rebuilds), so that search
-- results show it without a per-row aggregate. Same rule as the ledger: per season max(0, charge −
-- paid elsewhere − paid here), summed.

ALTER TABLE households ADD COLUMN owed_fen INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER owed_after_charge_insert AFTER INSERT ON charges
BEGIN
  UPDATE households SET owed_fen = (
    SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
    FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
    WHERE c.household_id = NEW.household_id)
  WHERE id = NEW.household_id;
END;

CREATE TRIGGER owed_after_charge_update AFTER UPDATE ON charges
BEGIN
  UPDATE households SET owed_fen = (
    SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
    FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
    WHERE c.household_id = households.id)
  WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER owed_after_charge_delete AFTER DELETE ON charges
BEGIN
  UPDATE households SET owed_fen = (
    SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
    FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
    WHERE c.household_id = OLD.household_id)
  WHERE id = OLD.household_id;
END;

CREATE TRIGGER owed_after_payment_insert AFTER INSERT ON season_payments
BEGIN
  UPDATE households SET owed_fen = (
    SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
    FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
    WHERE c.household_id = NEW.household_id)
  WHERE id = NEW.household_id;
END;

CREATE TRIGGER owed_after_payment_update AFTER UPDATE ON season_payments
BEGIN
  UPDATE households SET owed_fen = (
    SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
    FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
    WHERE c.household_id = households.id)
  WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER owed_after_payment_delete AFTER DELETE ON season_payments
BEGIN
  UPDATE households SET owed_fen = (
    SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
    FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
    WHERE c.household_id = OLD.household_id)
  WHERE id = OLD.household_id;
END;

UPDATE households SET owed_fen = (
  SELECT coalesce(sum(max(0, c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0))), 0)
  FROM charges c LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
  WHERE c.household_id = households.id);
