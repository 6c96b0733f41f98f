import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seasonAccounts } from '../../../src-main/ledger/accounts';
import { openDatabase } from '../../../src-main/ledger/db';
import { insertHousehold } from '../../../src-main/ledger/households';
import { tempDir } from '../../support/terminal';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function ledger() {
  const d = tempDir();
  dirs.push(d);
  const db = openDatabase(join(d.dir, 'l.db'));
  db.exec(`INSERT INTO seasons (id, code, starts_on, ends_on) VALUES ('S1', '2025-2026', '2025-11-15', '2026-03-15'),
                                                              ('S2', '2026-2027', '2026-11-15', '2027-03-15')`);
  insertHousehold(db, {
    id: 'H1',
    accountNo: '1',
    name: '王伟',
    phone: '',
    community: '幸福里',
    building: '1',
    unit: '1',
    room: '101',
    areaHundredths: 8000,
    category: 'residential',
    subsidised: false,
    noHeat: false,
    blacklisted: false,
    legalAction: false,
    isDemo: false,
  });
  return db;
}

const owed = (db: ReturnType<typeof ledger>) =>
  (db.prepare("SELECT owed_fen FROM households WHERE id = 'H1'").get() as { owed_fen: number })
    .owed_fen;
const computed = (db: ReturnType<typeof ledger>) =>
  seasonAccounts(db, 'H1').reduce((s, a) => s + a.balanceFen, 0);

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
