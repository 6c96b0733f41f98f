-- Heating-fee domain rules (issue 8): season rules, charge adjustments (no-heat, reductions,
-- write-offs, subsidy share, back-charges, re-rates, credit transfers, late fees, early discounts),
-- subsidy receivables, inspections, household change log, personal fields, rule
-- settings. All of these are projections of ledger events (rebuilt by replaying the log).

-- Late-fee and early-discount rules per season (off unless configured).
CREATE TABLE season_rules (
  season_id              TEXT PRIMARY KEY REFERENCES seasons(id),
  late_fee_starts_after  TEXT,
  late_fee_daily_permyriad INTEGER CHECK (late_fee_daily_permyriad >= 0),
  late_fee_cap_pct       INTEGER CHECK (late_fee_cap_pct BETWEEN 0 AND 100),
  early_discount_until   TEXT,
  early_discount_pct     INTEGER CHECK (early_discount_pct BETWEEN 0 AND 100),
  seq                    INTEGER NOT NULL REFERENCES events(seq)
) WITHOUT ROWID;

-- Counter rule settings set by a supervisor (ledger events, so they sync): key -> JSON value.
CREATE TABLE rule_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  seq   INTEGER NOT NULL REFERENCES events(seq)
) WITHOUT ROWID;

-- Every adjustment of a charge; amount is signed (negative lowers what the household owes).
CREATE TABLE charge_adjustments (
  id           TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  season_id    TEXT NOT NULL REFERENCES seasons(id),
  kind         TEXT NOT NULL CHECK (kind IN ('no_heat', 'resume', 'reduction', 'write_off', 'subsidy',
                                              'back_charge', 'rerate', 'credit_out', 'credit_in',
                                              'late_fee', 'early_discount')),
  amount_fen   INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  approved_by  TEXT NOT NULL DEFAULT '[]',       -- JSON array of supervisor ids
  business_date TEXT NOT NULL,
  clerk_id     TEXT,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX charge_adjustments_household ON charge_adjustments(household_id, season_id);
CREATE INDEX charge_adjustments_date ON charge_adjustments(business_date, kind);

-- Sum of the adjustments per household and season (kept with charge_adjustments by the projector).
CREATE TABLE season_adjustments (
  household_id TEXT NOT NULL REFERENCES households(id),
  season_id    TEXT NOT NULL REFERENCES seasons(id),
  adjust_fen   INTEGER NOT NULL,
  PRIMARY KEY (household_id, season_id)
) WITHOUT ROWID;

-- No-heat status per household and season (停供 / 恢复供热).
CREATE TABLE no_heat_status (
  household_id   TEXT NOT NULL REFERENCES households(id),
  season_id      TEXT NOT NULL REFERENCES seasons(id),
  application_id TEXT NOT NULL,
  ratio_pct      INTEGER NOT NULL,
  active         INTEGER NOT NULL CHECK (active IN (0, 1)),
  late_approved_by TEXT,
  applied_seq    INTEGER NOT NULL REFERENCES events(seq),
  resumed_seq    INTEGER REFERENCES events(seq),
  PRIMARY KEY (household_id, season_id)
) WITHOUT ROWID;

-- 稽查 inspections.
CREATE TABLE inspections (
  id              TEXT PRIMARY KEY,
  household_id    TEXT NOT NULL REFERENCES households(id),
  season_id       TEXT NOT NULL REFERENCES seasons(id),
  finding         TEXT NOT NULL,
  drawing_heat    INTEGER NOT NULL CHECK (drawing_heat IN (0, 1)),
  back_charge_fen INTEGER NOT NULL DEFAULT 0 CHECK (back_charge_fen >= 0),
  approved_by     TEXT,
  inspected_on    TEXT NOT NULL,
  clerk_id        TEXT,
  seq             INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX inspections_household ON inspections(household_id, seq);

-- 财政补贴 subsidy share per household and season, and what the finance office has paid of it.
CREATE TABLE subsidy_receivables (
  household_id TEXT NOT NULL REFERENCES households(id),
  season_id    TEXT NOT NULL REFERENCES seasons(id),
  share_fen    INTEGER NOT NULL CHECK (share_fen >= 0),
  received_fen INTEGER NOT NULL DEFAULT 0 CHECK (received_fen >= 0),
  assigned_seq INTEGER NOT NULL REFERENCES events(seq),
  PRIMARY KEY (household_id, season_id),
  CHECK (received_fen <= share_fen)
) WITHOUT ROWID;

CREATE TABLE subsidy_receipts (
  id           TEXT PRIMARY KEY,
  household_id TEXT NOT NULL REFERENCES households(id),
  season_id    TEXT NOT NULL REFERENCES seasons(id),
  amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
  reference    TEXT NOT NULL,
  business_date TEXT NOT NULL,
  clerk_id     TEXT,
  seq          INTEGER NOT NULL REFERENCES events(seq)
);
CREATE INDEX subsidy_receipts_date ON subsidy_receipts(business_date);

-- Audited household changes (contact, 过户 owner change, area, category, personal fields).
CREATE TABLE household_changes (
  seq          INTEGER PRIMARY KEY REFERENCES events(seq),
  household_id TEXT NOT NULL REFERENCES households(id),
  changes      TEXT NOT NULL,                      -- JSON {field: {from, to}}
  reason       TEXT NOT NULL,
  approved_by  TEXT,
  clerk_id     TEXT,
  at           TEXT NOT NULL
);
CREATE INDEX household_changes_household ON household_changes(household_id, seq);

-- Personal fields the seed's collector keeps (shown to supervisors only).
CREATE TABLE household_personal (
  household_id       TEXT PRIMARY KEY REFERENCES households(id),
  occupation         TEXT NOT NULL DEFAULT '',
  work_unit          TEXT NOT NULL DEFAULT '',
  economic_situation TEXT NOT NULL DEFAULT '',
  subsidy_eligible   INTEGER NOT NULL DEFAULT 0 CHECK (subsidy_eligible IN (0, 1))
) WITHOUT ROWID;

-- What each household owes now counts the adjustments: per season
-- max(0, charge + adjustments − paid elsewhere − paid here), summed. Replaces the 0006 triggers.
CREATE VIEW household_season_balances AS
  SELECT c.household_id AS household_id, c.season_id AS season_id,
         max(0, max(0, c.charge_fen + coalesce(a.adjust_fen, 0)) - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0)) AS balance_fen
  FROM charges c
  LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
  LEFT JOIN season_adjustments a ON a.household_id = c.household_id AND a.season_id = c.season_id;

DROP TRIGGER owed_after_charge_insert;
DROP TRIGGER owed_after_charge_update;
DROP TRIGGER owed_after_charge_delete;
DROP TRIGGER owed_after_payment_insert;
DROP TRIGGER owed_after_payment_update;
DROP TRIGGER owed_after_payment_delete;

CREATE TRIGGER owed_after_charge_insert AFTER INSERT ON charges
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances
                                    WHERE household_id = NEW.household_id)
  WHERE id = NEW.household_id;
END;

CREATE TRIGGER owed_after_charge_update AFTER UPDATE ON charges
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances b
                                    WHERE b.household_id = households.id)
  WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER owed_after_charge_delete AFTER DELETE ON charges
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances
                                    WHERE household_id = OLD.household_id)
  WHERE id = OLD.household_id;
END;

CREATE TRIGGER owed_after_payment_insert AFTER INSERT ON season_payments
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances
                                    WHERE household_id = NEW.household_id)
  WHERE id = NEW.household_id;
END;

CREATE TRIGGER owed_after_payment_update AFTER UPDATE ON season_payments
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances b
                                    WHERE b.household_id = households.id)
  WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER owed_after_payment_delete AFTER DELETE ON season_payments
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances
                                    WHERE household_id = OLD.household_id)
  WHERE id = OLD.household_id;
END;

CREATE TRIGGER owed_after_adjustment_insert AFTER INSERT ON season_adjustments
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances
                                    WHERE household_id = NEW.household_id)
  WHERE id = NEW.household_id;
END;

CREATE TRIGGER owed_after_adjustment_update AFTER UPDATE ON season_adjustments
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances b
                                    WHERE b.household_id = households.id)
  WHERE id IN (OLD.household_id, NEW.household_id);
END;

CREATE TRIGGER owed_after_adjustment_delete AFTER DELETE ON season_adjustments
BEGIN
  UPDATE households SET owed_fen = (SELECT coalesce(sum(balance_fen), 0) FROM household_season_balances
                                    WHERE household_id = OLD.household_id)
  WHERE id = OLD.household_id;
END;
