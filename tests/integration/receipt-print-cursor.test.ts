// A receipt's copies are queued for printing right after its payment commits, in a transaction of
// their own (migration 0012's cursor). Each committed receipt is queued exactly once: after the
// commit, after a crash in between, across two connections; a rolled-back payment never is.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clerkByCode } from '../../src-main/features/session/clerks.store';
import { withConnectionCache } from '../../src-main/ledger/db';
import { chainHead } from '../../src-main/ledger/event-log';
import { printJobsOf, receiptPrintCursor } from '../../src-main/features/printing/print-jobs.store';
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import { takePayment } from '../../src-main/features/payments/payments';
import {
  queueCommittedReceipts,
  receiptPrintData,
} from '../../src-main/features/printing/print-queue';
import {
  householdsOwing,
  openTestTerminal,
  payCash,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let payers: string[];

beforeEach(async () => {
  dir = tempDir('print-cursor-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 60 });
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 10_000 });
  payers = householdsOwing(t, 3_000, 10);
});
afterEach(() => {
  if (t.ctx.db.open) t.close();
  dir.cleanup();
});

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

const pay = (on: TestTerminal = t, householdId = payers.shift()!) =>
  payCash(on, session, householdId, 3_000, 5_000);

const copiesOf = (on: TestTerminal, receiptId: string) =>
  printJobsOf(on.ctx.db, receiptId).filter((j) => j.template === 'receipt');

describe('receipt copies are queued after the payment commits', () => {
  it('not inside the payment; on the next turn of the event loop, customer copy, stub, accounting copy', async () => {
    const r = await pay();
    expect(copiesOf(t, r.id)).toEqual([]);
    expect(receiptPrintCursor(t.ctx.db)).toBeLessThan(chainHead(t.ctx.db).seq);
    await nextTurn();
    const copies = copiesOf(t, r.id);
    expect(copies.map((j) => j.label)).toEqual([
      `${r.receiptLabel} 客户联`,
      `${r.receiptLabel} 存根联`,
      `${r.receiptLabel} 记账联`,
    ]);
    expect(copies.map((j) => j.drawer_kick)).toEqual([1, 0, 0]);
    const issuedSeq = (
      t.ctx.db.prepare('SELECT issued_seq FROM receipts WHERE id = ?').get(r.id) as {
        issued_seq: number;
      }
    ).issued_seq;
    expect(copies.map((j) => j.event_seq)).toEqual([issuedSeq, issuedSeq, issuedSeq]);
    expect(receiptPrintCursor(t.ctx.db)).toBe(chainHead(t.ctx.db).seq);
    expect(queueCommittedReceipts(t.ctx)).toBe(0);
    expect(copiesOf(t, r.id)).toHaveLength(3);
  });

  it('a crash between the two commits: the next start queues the receipt from the ledger, once', async () => {
    const r = await pay();
    t.ctx.db.close(); // as a kill would: the payment is on disk, what it held in memory is gone
    await nextTurn(); // the scheduled queueing finds the file closed and does nothing
    for (let start = 0; start < 2; start++) {
      const again = openTestTerminal(t.dbFile);
      try {
        const copies = copiesOf(again, r.id);
        expect(copies).toHaveLength(3);
        expect(JSON.parse(copies[0]!.data)).toEqual(receiptPrintData(again.ctx, r.id, 'customer'));
        expect(JSON.parse(copies[1]!.data)).toEqual(receiptPrintData(again.ctx, r.id, 'stub'));
        expect(JSON.parse(copies[2]!.data)).toEqual(
          receiptPrintData(again.ctx, r.id, 'accounting'),
        );
      } finally {
        again.close();
      }
    }
  });

  it('a payment rolled back by its caller queues nothing; the next one prints its own receipt', async () => {
    const clerk = clerkByCode(t.ctx.db, '1001')!;
    const householdId = payers.shift()!;
    let rolledBack = '';
    expect(() =>
      t.ctx.db.transaction(() => {
        rolledBack = takePayment(t.ctx, clerk, {
          session,
          requestId: randomUUID(),
          householdId,
          amountFen: 3_000,
          tenders: [{ kind: 'cash', amountFen: 3_000, tenderedFen: 3_000 }],
        } as ParsedInput<'payment.take'>).id;
        throw new Error('the caller gives up');
      })(),
    ).toThrow('the caller gives up');
    const next = await pay(t, householdId); // same household, and the same event seq as the rolled-back one
    await nextTurn();
    expect(copiesOf(t, rolledBack)).toEqual([]);
    const copies = copiesOf(t, next.id);
    expect(copies).toHaveLength(3);
    expect(JSON.parse(copies[0]!.data)).toMatchObject({
      receiptId: next.id,
      receiptLabel: next.receiptLabel,
      totalFen: 3_000,
    });
  });

  it('two connections on one file (a CLI call beside the terminal): each receipt queued once', async () => {
    const other = openTestTerminal(t.dbFile);
    try {
      const mine = await pay();
      const theirs = await pay(other);
      // This connection catches up first: its own receipt from memory, the other's from the ledger.
      expect(queueCommittedReceipts(t.ctx)).toBe(2);
      await nextTurn(); // both scheduled catch-ups run and find nothing left
      expect(queueCommittedReceipts(other.ctx)).toBe(0);
      expect(copiesOf(t, mine.id)).toHaveLength(3);
      expect(copiesOf(t, theirs.id)).toHaveLength(3);
      expect(JSON.parse(copiesOf(t, theirs.id)[0]!.data)).toEqual(
        receiptPrintData(t.ctx, theirs.id, 'customer'),
      );
    } finally {
      other.close();
    }
  });

  it('paper keeps ledger order: a void statement queued in the same turn comes after the copies', async () => {
    const r = await pay();
    await t.must('receipt.void', {
      session,
      receiptId: r.id,
      reason: '收错户',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    const jobs = printJobsOf(t.ctx.db, r.id);
    expect(jobs.map((j) => j.template)).toEqual([
      ...['receipt', 'receipt', 'receipt'],
      ...['void-statement', 'void-statement', 'void-statement', 'void-statement'],
    ]);
    expect(jobs.map((j) => j.num)).toEqual([...jobs.map((j) => j.num)].sort((a, b) => a - b));
  });

  it('closing the terminal queues what is still waiting', async () => {
    const r = await pay();
    t.close();
    const raw = withConnectionCache(new Database(t.dbFile, { readonly: true }));
    try {
      const head = raw.prepare('SELECT max(seq) AS seq FROM events').get() as { seq: number };
      expect(receiptPrintCursor(raw)).toBe(head.seq);
      expect(printJobsOf(raw, r.id)).toHaveLength(3);
    } finally {
      raw.close();
    }
  });
  it('another process holding the write lock right after the commit: logged, nothing lost, queued once later', async () => {
    const lines: { level: string; message: string; data?: Record<string, unknown> }[] = [];
    t.ctx.log = (level, message, data) => lines.push({ level, message, ...(data ? { data } : {}) });
    const r = await pay();
    const other = new Database(t.dbFile);
    other.exec('BEGIN IMMEDIATE'); // e.g. a CLI import writing beside the terminal
    t.ctx.db.pragma('busy_timeout = 0');
    try {
      await nextTurn();
      expect(copiesOf(t, r.id)).toEqual([]);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'warn', data: { receiptIds: [r.id] } });
      expect(String(lines[0]!.data!.error)).toMatch(/locked|busy/i);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      t.ctx.db.pragma('busy_timeout = 5000');
    }
    expect(queueCommittedReceipts(t.ctx)).toBe(1); // e.g. the print queue's next pass
    expect(copiesOf(t, r.id)).toHaveLength(3);
    expect(queueCommittedReceipts(t.ctx)).toBe(0);
  });
});
