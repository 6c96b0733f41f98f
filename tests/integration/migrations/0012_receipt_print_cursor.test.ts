// 0012_receipt_print_cursor: the cursor starts at the chain head, so an upgraded ledger never
// queues its old receipts a second time; a new ledger starts at 0.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, withConnectionCache } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { receiptPrintCursor } from '../../../src-main/features/printing/print-jobs.store';
import { tempFolders } from '../../support/temp-files';
import { householdsOwing, openTestTerminal, payCash } from '../../support/terminal';

const { file } = tempFolders();
const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'receipt_print_cursor');

const receiptCopies = (db: Database.Database) =>
  db
    .prepare("SELECT subject_id, label FROM print_jobs WHERE template = 'receipt' ORDER BY num")
    .all();

describe('0012_receipt_print_cursor', () => {
  it('a new ledger starts at 0; only one cursor row, never negative', () => {
    expect(index).toBeGreaterThan(0);
    const db = withConnectionCache(new Database(file()));
    migrate(db, all);
    expect(receiptPrintCursor(db)).toBe(0);
    expect(() =>
      db.prepare('INSERT INTO receipt_print_cursor (singleton, through_seq) VALUES (2, 0)').run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE receipt_print_cursor SET through_seq = -1').run()).toThrow(
      /CHECK/,
    );
    db.close();
  });

  it('upgrading a ledger with receipts: the cursor is the chain head and nothing is queued again', async () => {
    const ledger = file();
    const t = openTestTerminal(ledger, { households: 30 });
    const session = await t.login();
    await t.must('shift.open', { session, openingFloatFen: 0 });
    for (const householdId of householdsOwing(t, 1_000, 3))
      await payCash(t, session, householdId, 1_000);
    t.close();
    // The same ledger as a build before 0012 left it: every receipt's copies queued, no cursor.
    // The later migrations' structures stay (0012 reads none of them), so once 0012 has run again
    // the version goes back to where it was.
    const raw = withConnectionCache(new Database(ledger));
    const latest = schemaVersion(raw);
    const copies = receiptCopies(raw);
    expect(copies).toHaveLength(9); // three receipts, three parts each (一式三联)
    raw.exec('DROP TABLE receipt_print_cursor');
    raw.pragma(`user_version = ${index}`);
    const head = (raw.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number }).seq;
    migrate(raw, all.slice(0, index + 1));
    expect(schemaVersion(raw)).toBe(all[index]!.version);
    expect(receiptPrintCursor(raw)).toBe(head);
    raw.pragma(`user_version = ${latest}`);
    raw.close();

    const again = openTestTerminal(ledger);
    expect(receiptCopies(again.ctx.db)).toEqual(copies);
    again.close();
  });
});
