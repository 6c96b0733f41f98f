// 0024_start_check_indexes: the start-up check's max(issued_seq) / max(voided_seq) of receipts are
// answered from indexes (no scan of a season's receipts on every start), and give the same seqs.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withConnectionCache } from '../../../src-main/ledger/db';
import { tempFolders } from '../../support/temp-files';
import { householdsOwing, openTestTerminal, payCash } from '../../support/terminal';

const { file } = tempFolders();

const plan = (db: Database.Database, sql: string) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
    .map((r) => r.detail)
    .join(' | ');

describe('0024_start_check_indexes', () => {
  it('the newest issued and voided seqs come from the indexes and equal a scan', async () => {
    const ledger = file();
    const t = openTestTerminal(ledger, { households: 30 });
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    for (const householdId of householdsOwing(t, 1_000, 4))
      await payCash(t, session, householdId, 1_000);
    t.close();

    const db = withConnectionCache(new Database(ledger));
    const issued = 'SELECT max(issued_seq) AS s FROM receipts';
    const voided = 'SELECT max(voided_seq) AS s FROM receipts WHERE voided_seq IS NOT NULL';
    expect(plan(db, issued)).toMatch(/receipts_issued_seq/);
    expect(plan(db, voided)).toMatch(/receipts_voided_seq/);
    const scanned = db
      .prepare('SELECT max(issued_seq + 0) AS issued, max(voided_seq + 0) AS voided FROM receipts')
      .get() as { issued: number; voided: number | null };
    expect(scanned.issued).toBeGreaterThan(0);
    expect((db.prepare(issued).get() as { s: number }).s).toBe(scanned.issued);
    expect((db.prepare(voided).get() as { s: number | null }).s).toBe(scanned.voided);
    db.exec(
      'UPDATE receipts SET voided_seq = issued_seq + 1 WHERE rowid = (SELECT min(rowid) FROM receipts)',
    );
    const after = db.prepare('SELECT max(voided_seq + 0) AS v FROM receipts').get() as {
      v: number;
    };
    expect((db.prepare(voided).get() as { s: number }).s).toBe(after.v);
    db.close();
  });
});
