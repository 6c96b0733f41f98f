// The ledger schema holds every tender kind of the core table: the receipt_tenders CHECK accepts
// exactly those kinds and the day aggregates have a `<kind>_fen` column for each. A new kind that
// forgets its migration fails here.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { TENDER_KINDS } from '@heating-cashier/core/tenders';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate } from '../../../src-main/ledger/migrate';
import { dayTotalColumn } from '../../../src-main/features/cash/cash.store';

const db = new Database(':memory:');
migrate(db, loadMigrations(DEFAULT_MIGRATIONS_DIR));
db.pragma('foreign_keys = OFF'); // probe rows without a receipt
afterAll(() => db.close());

/** Whether receipt_tenders takes a row of this kind (the CHECK constraint decides). */
function accepts(kind: string): boolean {
  const probe = db.transaction(() => {
    db.prepare(
      `INSERT INTO receipt_tenders (receipt_id, position, kind, amount_fen) VALUES ('r', 0, ?, 1)`,
    ).run(kind);
    throw new Error('rollback');
  });
  try {
    probe();
  } catch (e) {
    if ((e as Error).message === 'rollback') return true;
    if (/CHECK constraint failed/.test((e as Error).message)) return false;
    throw e;
  }
  return true;
}

describe('tender kinds in the ledger schema', () => {
  it('receipt_tenders accepts every kind of the table and nothing else', () => {
    for (const k of TENDER_KINDS) expect(accepts(k), k).toBe(true);
    for (const k of ['no-such-kind', 'CASH', '']) expect(accepts(k), k).toBe(false);
  });

  it('daily_clerk_totals has a column per kind', () => {
    const columns = (db.pragma('table_info(daily_clerk_totals)') as { name: string }[]).map(
      (c) => c.name,
    );
    for (const k of TENDER_KINDS) expect(columns).toContain(dayTotalColumn(k));
  });
});
