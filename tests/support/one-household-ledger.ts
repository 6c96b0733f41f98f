// A ledger on disk with two seasons and one household (H1), for the migration tests that follow
// the household's owed amount through raw changes of charges, payments and adjustments.
import { join } from 'node:path';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { openDatabase, type Db } from '../../src-main/ledger/db';
import { insertHousehold } from '../../src-main/features/households/households.store';
import { tempDir } from './terminal';

export function oneHouseholdLedger(dirs: { cleanup(): void }[]): Db {
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

/** H1's owed amount as the triggers keep it on the household row. */
export const owedOf = (db: Db) =>
  (db.prepare("SELECT owed_fen FROM households WHERE id = 'H1'").get() as { owed_fen: number })
    .owed_fen;

/** H1's owed amount computed from the per-season balances. */
export const balancesOf = (db: Db) =>
  seasonAccounts(db, 'H1').reduce((s, a) => s + a.balanceFen, 0);
