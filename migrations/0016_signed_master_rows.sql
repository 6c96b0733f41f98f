-- Issue 17, signed master rows (docs/trust.md "Master rows on the terminal"): clerks (with their
-- PIN verifier), seasons, rates, charges and payments elsewhere carry the Ed25519 signature over
-- core masterRecordMessage(kind, record) and who made it: head office (pulled changes, verified
-- under the pinned head-office key before they are applied) or this terminal (demo district,
-- counter import, local clerks, season configuration, advance charges).
ALTER TABLE clerks ADD COLUMN sig TEXT;
ALTER TABLE clerks ADD COLUMN signed_by TEXT CHECK (signed_by IN ('head-office', 'terminal'));
ALTER TABLE seasons ADD COLUMN sig TEXT;
ALTER TABLE seasons ADD COLUMN signed_by TEXT CHECK (signed_by IN ('head-office', 'terminal'));
ALTER TABLE rates ADD COLUMN sig TEXT;
ALTER TABLE rates ADD COLUMN signed_by TEXT CHECK (signed_by IN ('head-office', 'terminal'));
ALTER TABLE charges ADD COLUMN sig TEXT;
ALTER TABLE charges ADD COLUMN signed_by TEXT CHECK (signed_by IN ('head-office', 'terminal'));
ALTER TABLE payments_elsewhere ADD COLUMN sig TEXT;
ALTER TABLE payments_elsewhere ADD COLUMN signed_by TEXT CHECK (signed_by IN ('head-office', 'terminal'));

-- Writing a signature (or paid_before_fen) does not change what a household owes: the owed-amount
-- trigger of 0007 now fires only when an amount or the household changes.
DROP TRIGGER owed_after_charge_update;
CREATE TRIGGER owed_after_charge_update
AFTER UPDATE OF household_id, season_id, charge_fen, paid_elsewhere_fen ON charges
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances b
                                    WHERE b.household_id = households.id)
  WHERE id IN (OLD.household_id, NEW.household_id);
END;

-- Head office's own figure of what was paid before/outside any recorded payment (the signed charge
-- record is {householdId, seasonId, chargeFen, paidBeforeFen}); paid_elsewhere_fen stays what the
-- balance reads and must equal paid_before_fen + the payments_elsewhere rows of that household and
-- season. On upgrade it is recovered from that rule.
ALTER TABLE charges ADD COLUMN paid_before_fen INTEGER NOT NULL DEFAULT 0 CHECK (paid_before_fen >= 0);
UPDATE charges SET paid_before_fen = max(0, paid_elsewhere_fen - coalesce(
  (SELECT sum(p.amount_fen) FROM payments_elsewhere p
   WHERE p.household_id = charges.household_id AND p.season_id = charges.season_id), 0));

-- The rows above exist unsigned; the terminal signs them (signed_by 'terminal') at this first start
-- after the upgrade, once its key is loaded (src-main/features/sync/master-rows.ts). The marker is
-- a TEMP table: it lives only on the connection that ran this migration, so nobody can set it in a
-- file to have altered rows signed at a later start.
CREATE TEMP TABLE master_rows_upgrade (pending INTEGER NOT NULL);
INSERT INTO temp.master_rows_upgrade VALUES (1);
