// 0011_lean_payment_path: events, receipts and print_jobs rebuilt without their redundant
// structures, on a ledger that already holds payments, a void and print jobs.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../../src-main/api/dispatch';
import { openTerminal, type OpenTerminal } from '../../../src-main/app/open-terminal';
import type { CommandName, CommandOutput } from '@heating-cashier/core/contract/commands';
import { DEFAULT_MIGRATIONS_DIR } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import { queueCommittedReceipts } from '../../../src-main/features/printing/print-queue';
import { tempFolders } from '../../support/temp-files';
import { householdsOwing } from '../../support/terminal';

const { dir: fresh } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'lean_payment_path');

/** A migrations folder holding 0001 … up to (not including) 0011. */
function migrationsBefore(): string {
  const dir = join(fresh(), 'migrations');
  mkdirSync(dir);
  for (const m of all.slice(0, index)) {
    const name = `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
    copyFileSync(join(DEFAULT_MIGRATIONS_DIR, name), join(dir, name));
  }
  return dir;
}

/**
 * Today's code queues receipt paper through 0012's cursor table. To take payments on a ledger
 * still before 0011, that table is put in beside it for the set-up and taken out before upgrading.
 */
const CURSOR_SHIM = `CREATE TABLE receipt_print_cursor (singleton INTEGER PRIMARY KEY, through_seq INTEGER NOT NULL);
  INSERT INTO receipt_print_cursor VALUES (1, 0);`;

function ledgerBefore0011(file: string, migrationsDir: string): void {
  const db = new Database(file);
  migrate(db, loadMigrations(migrationsDir));
  db.exec(CURSOR_SHIM);
  db.close();
}

function dropCursorShim(file: string): void {
  const db = new Database(file);
  db.exec('DROP TABLE receipt_print_cursor');
  db.close();
}

async function must<N extends CommandName>(
  t: OpenTerminal,
  name: N,
  input: Record<string, unknown>,
): Promise<CommandOutput<N>> {
  const r = await dispatch(t.ctx, name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message.en}`);
  return r.value as CommandOutput<N>;
}

async function pay(t: OpenTerminal, session: string, householdId: string) {
  const owed = (
    t.ctx.db.prepare('SELECT owed_fen FROM households WHERE id = ?').get(householdId) as {
      owed_fen: number;
    }
  ).owed_fen;
  return must(t, 'payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen: owed,
    tenders: [{ kind: 'cash', amountFen: owed, tenderedFen: owed }],
  });
}

const dump = (db: Database.Database, table: string, order: string) =>
  db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();

const indexColumns = (db: Database.Database, name: string) =>
  (db.prepare(`PRAGMA index_info(${name})`).all() as { name: string }[]).map((c) => c.name);

describe('0011_lean_payment_path', () => {
  it('keeps every row of a ledger with payments, a void and print jobs; the chain still verifies', async () => {
    expect(index).toBeGreaterThan(0);
    const file = join(fresh(), 'ledger.db');
    const before0011 = migrationsBefore();
    ledgerBefore0011(file, before0011);
    const old = openTerminal({
      dbFile: file,
      migrationsDir: before0011,
      demoIfEmpty: true,
      demoHouseholds: 40,
      timeZone: 'Asia/Shanghai',
    });
    expect(schemaVersion(old.ctx.db)).toBe(index);
    const session = (await must(old, 'session.login', { clerkCode: '1001', pin: '123456' }))
      .session;
    await must(old, 'shift.open', { session, openingFloatFen: 10_000 });
    const payers = householdsOwing(old, 1, 4);
    const receipts = [];
    for (const id of payers) receipts.push(await pay(old, session, id));
    await must(old, 'receipt.void', {
      session,
      receiptId: receipts[1]!.id,
      reason: '收错户',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    const before = {
      events: dump(old.ctx.db, 'events', 'seq'),
      receipts: dump(old.ctx.db, 'receipts', 'id'),
      print_jobs: dump(old.ctx.db, 'print_jobs', 'num'),
      receipt_books: dump(old.ctx.db, 'receipt_books', 'id'),
    };
    expect(before.print_jobs.length).toBeGreaterThanOrEqual(receipts.length);
    old.close();
    dropCursorShim(file);

    const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
    const db = t.ctx.db;
    expect(schemaVersion(db)).toBe(all.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(dump(db, 'events', 'seq')).toEqual(before.events);
    expect(dump(db, 'receipts', 'id')).toEqual(before.receipts);
    expect(dump(db, 'print_jobs', 'num')).toEqual(before.print_jobs);
    expect(dump(db, 'receipt_books', 'id')).toEqual(before.receipt_books);
    const session2 = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' })).session;
    expect(await must(t, 'ledger.verify', { session: session2 })).toMatchObject({
      ok: true,
      firstBadSeq: null,
    });

    // What went: the hash index, the (book, number) pair, AUTOINCREMENT; what the clerk index is on.
    const eventIndexes = (db.prepare('PRAGMA index_list(events)').all() as { name: string }[]).map(
      (i) => indexColumns(db, i.name),
    );
    expect(eventIndexes).toEqual([['id']]);
    const receiptUniques = (
      db.prepare('PRAGMA index_list(receipts)').all() as { name: string; unique: number }[]
    )
      .filter((i) => i.unique === 1)
      .map((i) => indexColumns(db, i.name))
      .sort();
    expect(receiptUniques).toEqual([['id'], ['receipt_label'], ['request_id']]);
    expect(indexColumns(db, 'receipt_books_clerk')).toEqual(['clerk_id', 'issued_seq']);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_sequence WHERE name = 'print_jobs'").get(),
    ).toEqual({ n: 0 });
    expect(
      (
        db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'print_jobs'").get() as {
          sql: string;
        }
      ).sql,
    ).not.toMatch(/AUTOINCREMENT/);

    // Still guarded: append-only events, kept print jobs, one use per receipt number.
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE events SET hash = 'x' WHERE seq = 1").run()).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM print_jobs').run()).toThrow(/DELETE refused/);
    const r0 = before.receipts[0] as Record<string, unknown>;
    expect(() =>
      db
        .prepare(
          'INSERT INTO receipts SELECT ?, ?, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id, total_fen, change_fen, issued_at, issued_seq, NULL, NULL, 0, business_date FROM receipts WHERE id = ?',
        )
        .run(randomUUID(), randomUUID(), r0.id),
    ).toThrow(/UNIQUE constraint failed: receipts.receipt_label/);

    // And the counter carries on: the next payment takes the next number and prints after the old jobs.
    const maxNum = (db.prepare('SELECT max(num) AS n FROM print_jobs').get() as { n: number }).n;
    const last = receipts[receipts.length - 1]!;
    const next = await pay(t, session2, householdsOwing(t, 1, 1)[0]!);
    expect(next.receiptLabel > last.receiptLabel).toBe(true);
    expect(queueCommittedReceipts(t.ctx)).toBe(1);
    const jobs = db
      .prepare('SELECT num FROM print_jobs WHERE subject_id = ? ORDER BY num')
      .all(next.id) as { num: number }[];
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs[0]!.num).toBe(maxNum + 1);
    expect(await must(t, 'ledger.verify', { session: session2 })).toMatchObject({ ok: true });
    t.close();
  });

  it('a migration that leaves a broken reference is refused and nothing of it stays', () => {
    const file = join(fresh(), 'l.db');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, all);
    const breaking = {
      version: all.length + 1,
      name: 'breaks_a_reference',
      sql: `CREATE TABLE marks (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL REFERENCES events(seq));
            INSERT INTO marks (seq) VALUES (42);`,
    };
    expect(() => migrate(db, [...all, breaking])).toThrow(/broken reference.*marks -> events/);
    expect(schemaVersion(db)).toBe(all.length);
    expect(
      db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'marks'").get(),
    ).toEqual({ n: 0 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
