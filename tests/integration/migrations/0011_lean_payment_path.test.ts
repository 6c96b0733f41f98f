// 0011_lean_payment_path: events, receipts and print_jobs rebuilt without their redundant
// structures, on a ledger that already holds payments, a void and print jobs.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
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

/**
 * A ledger the build before 0011 wrote (tests/fixtures/ledger/README.md): schema version 10, no
 * terminal key, the demo district with payments, a void and print jobs. Today's code signs events
 * and master rows into columns later migrations add, so it can no longer write such a ledger itself.
 */
const FIXTURE = fileURLToPath(
  new URL('../../fixtures/ledger/before-0011.sqlite.gz', import.meta.url),
);

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

const columnsOf = (db: Database.Database, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

/** The rows as the old build had them: its columns only (later migrations add some). */
const dump = (db: Database.Database, table: string, order: string, columns: string[]) =>
  db.prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`).all();

const indexColumns = (db: Database.Database, name: string) =>
  (db.prepare(`PRAGMA index_info(${name})`).all() as { name: string }[]).map((c) => c.name);

describe('0011_lean_payment_path', () => {
  it('keeps every row of a ledger with payments, a void and print jobs; the chain still verifies', async () => {
    expect(index).toBeGreaterThan(0);
    const file = join(fresh(), 'ledger.db');
    writeFileSync(file, gunzipSync(readFileSync(FIXTURE)));
    const old = new Database(file);
    expect(schemaVersion(old)).toBe(index);
    const tables = {
      events: 'seq',
      receipts: 'id',
      print_jobs: 'num',
      receipt_books: 'id',
    } as const;
    const columns = Object.fromEntries(
      Object.keys(tables).map((t) => [t, columnsOf(old, t)]),
    ) as Record<keyof typeof tables, string[]>;
    const before = Object.fromEntries(
      Object.entries(tables).map(([t, order]) => [
        t,
        dump(old, t, order, columns[t as keyof typeof tables]),
      ]),
    ) as Record<keyof typeof tables, Record<string, unknown>[]>;
    const receipts = (
      before.receipts as { id: string; receipt_label: string; issued_seq: number }[]
    )
      .slice()
      .sort((a, b) => a.issued_seq - b.issued_seq);
    expect(receipts).toHaveLength(4);
    expect(before.receipts.filter((r) => r.voided_seq !== null)).toHaveLength(1);
    expect(before.print_jobs.length).toBeGreaterThanOrEqual(receipts.length);
    const oldHead = before.events.length;
    old.close();

    const t = openTerminal({ dbFile: file, timeZone: 'Asia/Shanghai' });
    const db = t.ctx.db;
    expect(schemaVersion(db)).toBe(all.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(t.ctx.runtime.integrity.state).toBe('ok');
    for (const [table, order] of Object.entries(tables) as [keyof typeof tables, string][]) {
      const now = dump(db, table, order, columns[table]);
      expect(table === 'events' ? now.slice(0, oldHead) : now).toEqual(before[table]);
    }
    // The upgrade's first start introduced the terminal key after the old, unsigned events.
    expect(
      db.prepare('SELECT seq, type FROM events WHERE seq > ? ORDER BY seq').all(oldHead),
    ).toEqual([{ seq: oldHead + 1, type: 'terminal.keyed' }]);
    const session2 = (await must(t, 'session.login', { clerkCode: '1001', pin: '123456' })).session;
    expect(await must(t, 'ledger.verify', { session: session2 })).toMatchObject({
      ok: true,
      firstBadSeq: null,
    });

    // What went: the hash index, the (book, number) pair, AUTOINCREMENT; what the clerk index is on.
    const eventIndexes = (db.prepare('PRAGMA index_list(events)').all() as { name: string }[]).map(
      (i) => indexColumns(db, i.name),
    );
    // (0014 adds a partial index over the trust events' seq: no entry for any other event.)
    expect(eventIndexes.sort()).toEqual([['id'], ['seq']]);
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
    const r0 = before.receipts[0]!;
    expect(() =>
      db
        .prepare(
          // the columns named: later migrations add columns (0020: service_started_at)
          'INSERT INTO receipts (id, request_id, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id, total_fen, change_fen, issued_at, issued_seq, voided_seq, void_reason, reprint_count, business_date) SELECT ?, ?, book_id, receipt_no, receipt_label, household_id, shift_id, clerk_id, total_fen, change_fen, issued_at, issued_seq, NULL, NULL, 0, business_date FROM receipts WHERE id = ?',
        )
        .run(randomUUID(), randomUUID(), r0.id),
    ).toThrow(/UNIQUE constraint failed: receipts.receipt_label/);

    // And the counter carries on: the next payment takes the next number and prints after the old jobs.
    const maxNum = (db.prepare('SELECT max(num) AS n FROM print_jobs').get() as { n: number }).n;
    const last = receipts[receipts.length - 1]!;
    const next = await pay(t, session2, householdsOwing(t, 1, 1)[0]!);
    expect(next.receiptLabel > last.receipt_label).toBe(true);
    expect(queueCommittedReceipts(t.ctx)).toBe(0); // its paper was queued in its own commit
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
