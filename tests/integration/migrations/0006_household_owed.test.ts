import { afterEach, describe, expect, it } from 'vitest';
import {
  balancesOf as computed,
  oneHouseholdLedger,
  owedOf as owed,
} from '../../support/one-household-ledger';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
const ledger = () => oneHouseholdLedger(dirs);

describe('0006_household_owed', () => {
  it('keeps owed_fen equal to the per-season balances through every change of charges and payments', () => {
    const db = ledger();
    expect(owed(db)).toBe(0);
    const steps = [
      "INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES ('H1', 'S1', 10000, 2500)",
      "INSERT INTO charges (household_id, season_id, charge_fen, paid_elsewhere_fen) VALUES ('H1', 'S2', 20000, 0)",
      "INSERT INTO season_payments (household_id, season_id, paid_fen) VALUES ('H1', 'S1', 7000)",
      "UPDATE season_payments SET paid_fen = paid_fen + 1000 WHERE household_id = 'H1'", // overpaid season: clamps at 0
      "UPDATE charges SET paid_elsewhere_fen = 5000 WHERE household_id = 'H1' AND season_id = 'S2'",
      "DELETE FROM season_payments WHERE household_id = 'H1'",
      "DELETE FROM charges WHERE season_id = 'S1'",
    ];
    const seen: number[] = [];
    for (const sql of steps) {
      db.exec(sql);
      expect(owed(db), sql).toBe(computed(db));
      seen.push(owed(db));
    }
    expect(seen).toEqual([7500, 27500, 20500, 20000, 15000, 22500, 15000]);
    db.close();
  });
});
