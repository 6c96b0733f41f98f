import { afterEach, describe, expect, it } from 'vitest';
import {
  balancesOf as computed,
  oneHouseholdLedger,
  owedOf as owed,
} from '../../support/one-household-ledger';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
const ledger = () => oneHouseholdLedger(dirs);

describe('0007_domain_rules', () => {
  it('creates the rule tables and the balance view', () => {
    const db = ledger();
    const names = (
      db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    for (const t of [
      'season_rules',
      'rule_settings',
      'charge_adjustments',
      'season_adjustments',
      'no_heat_status',
      'inspections',
      'subsidy_receivables',
      'subsidy_receipts',
      'household_changes',
      'household_personal',
      'household_season_balances',
    ])
      expect(names, t).toContain(t);
    db.close();
  });

  it('owed_fen counts adjustments (no-heat, reductions, back-charges) and never goes below 0 per season', () => {
    const db = ledger();
    const steps = [
      "INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES ('H1', 'S1', 10000, 2500)",
      "INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES ('H1', 'S2', 20000, 0)",
      "INSERT INTO season_adjustments (household_id, season_id, adjust_fen) VALUES ('H1', 'S2', -10000)", // no-heat 50 %
      "INSERT INTO season_payments (household_id, season_id, paid_fen) VALUES ('H1', 'S2', 4000)",
      "UPDATE season_adjustments SET adjust_fen = adjust_fen - 7000 WHERE season_id = 'S2'", // reduction beyond: credit
      "UPDATE season_adjustments SET adjust_fen = adjust_fen + 8000 WHERE season_id = 'S2'", // back-charge
      "UPDATE charges SET paid_elsewhere_fen = 0 WHERE season_id = 'S1'",
      "DELETE FROM season_adjustments WHERE household_id = 'H1'",
    ];
    const seen: number[] = [];
    for (const sql of steps) {
      db.exec(sql);
      expect(owed(db), sql).toBe(computed(db));
      seen.push(owed(db));
    }
    expect(seen).toEqual([7500, 27500, 17500, 13500, 7500, 14500, 17000, 26000]);
    db.close();
  });

  it('checks amounts: a subsidy can never be received beyond its share', () => {
    const db = ledger();
    db.exec(
      "INSERT INTO events (seq, id, terminal_id, type, occurred_at, business_date, payload, prev_hash, hash) VALUES (1, 'e1', 'T', 'x', '2026-01-01T00:00:00Z', '2026-01-01', '{}', '0000000000000000000000000000000000000000000000000000000000000000', 'h1')",
    );
    db.exec(
      "INSERT INTO subsidy_receivables (household_id, season_id, share_fen, received_fen, assigned_seq) VALUES ('H1', 'S2', 100, 0, 1)",
    );
    expect(() =>
      db.exec("UPDATE subsidy_receivables SET received_fen = 101 WHERE household_id = 'H1'"),
    ).toThrow(/CHECK/);
    db.close();
  });
});
