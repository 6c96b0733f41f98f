// A receipt's copies are queued for printing in the payment's own commit, and migration 0012's
// cursor moves past it in that commit. Each committed receipt is queued exactly once: with its
// payment, after a crash, across two connections, and when a ledger left by a build that queued
// the paper in a second commit still has receipts without copies; a rolled-back payment never is.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clerkByCode } from '../../src-main/features/session/clerks.store';
import { withConnectionCache, type Db } from '../../src-main/ledger/db';
import { chainHead } from '../../src-main/ledger/event-log';
import { printJobsOf, receiptPrintCursor } from '../../src-main/features/printing/print-jobs.store';
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import { takePayment } from '../../src-main/features/payments/payments';
import {
  queueCommittedReceipts,
  receiptPrintData,
  receiptsAwaitingQueue,
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

const pay = (on: TestTerminal = t, householdId = payers.shift()!) =>
  payCash(on, session, householdId, 3_000, 5_000);

const copiesIn = (db: Db, receiptId: string) =>
  printJobsOf(db, receiptId).filter((j) => j.template === 'receipt');
const copiesOf = (on: TestTerminal, receiptId: string) => copiesIn(on.ctx.db, receiptId);

const issuedSeqOf = (db: Db, receiptId: string) =>
  (
    db.prepare('SELECT issued_seq FROM receipts WHERE id = ?').get(receiptId) as {
      issued_seq: number;
    }
  ).issued_seq;

/**
 * The file as a build that queued the paper in a second commit left it when it was killed between
 * the two: these receipts committed, their copies not queued, the cursor before the first of them.
 * (Print jobs are append-only: the delete guard is lifted for this on a raw connection only.)
 */
function asLeftBySecondCommitBuild(file: string, receiptIds: string[]) {
  const raw = new Database(file);
  try {
    const guard = (
      raw
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
        .get('print_jobs_no_delete') as { sql: string }
    ).sql;
    raw.transaction(() => {
      raw.exec('DROP TRIGGER print_jobs_no_delete');
      const seqs = receiptIds.map((id) => {
        raw.prepare('DELETE FROM print_jobs WHERE subject_id = ?').run(id);
        return (
          raw.prepare('SELECT issued_seq FROM receipts WHERE id = ?').get(id) as {
            issued_seq: number;
          }
        ).issued_seq;
      });
      raw.prepare('UPDATE receipt_print_cursor SET through_seq = ?').run(Math.min(...seqs) - 1);
      raw.exec(guard);
    })();
  } finally {
    raw.close();
  }
}

describe("receipt copies are queued in the payment's own commit", () => {
  it('with the payment, before the reply: customer copy, stub, accounting copy; the cursor past it', async () => {
    const r = await pay();
    // no turn of the event loop in between: the reply comes after the one commit
    const copies = copiesOf(t, r.id);
    expect(copies.map((j) => j.label)).toEqual([
      `${r.receiptLabel} 客户联`,
      `${r.receiptLabel} 存根联`,
      `${r.receiptLabel} 记账联`,
    ]);
    expect(copies.map((j) => j.drawer_kick)).toEqual([1, 0, 0]);
    const issuedSeq = issuedSeqOf(t.ctx.db, r.id);
    expect(copies.map((j) => j.event_seq)).toEqual([issuedSeq, issuedSeq, issuedSeq]);
    expect(receiptPrintCursor(t.ctx.db)).toBe(chainHead(t.ctx.db).seq);
    expect(receiptsAwaitingQueue(t.ctx)).toBe(0);
    expect(queueCommittedReceipts(t.ctx)).toBe(0);
    expect(copiesOf(t, r.id)).toHaveLength(3);
    // the copies hold what the ledger says, read back
    expect(JSON.parse(copies[0]!.data)).toEqual(receiptPrintData(t.ctx, r.id, 'customer'));
  });

  it('a kill right after the payment: its copies are on disk with it, and no start queues them again', async () => {
    const r = await pay();
    t.ctx.db.close(); // as a kill would: no catch-up at close
    const raw = withConnectionCache(new Database(t.dbFile, { readonly: true }));
    try {
      expect(copiesIn(raw, r.id)).toHaveLength(3);
      expect(receiptPrintCursor(raw)).toBe(issuedSeqOf(raw, r.id));
    } finally {
      raw.close();
    }
    for (let start = 0; start < 2; start++) {
      const again = openTestTerminal(t.dbFile);
      try {
        const copies = copiesOf(again, r.id);
        expect(copies).toHaveLength(3);
        expect(JSON.parse(copies[1]!.data)).toEqual(receiptPrintData(again.ctx, r.id, 'stub'));
        expect(JSON.parse(copies[2]!.data)).toEqual(
          receiptPrintData(again.ctx, r.id, 'accounting'),
        );
      } finally {
        again.close();
      }
    }
  });

  it('a payment rolled back by its caller leaves no paper and no cursor move; the next one prints its own receipt', async () => {
    const clerk = clerkByCode(t.ctx.db, '1001')!;
    const householdId = payers.shift()!;
    const cursorBefore = receiptPrintCursor(t.ctx.db);
    const jobsBefore = (
      t.ctx.db.prepare('SELECT count(*) AS n FROM print_jobs').get() as { n: number }
    ).n;
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
        expect(copiesOf(t, rolledBack)).toHaveLength(3); // queued inside, with the payment
        throw new Error('the caller gives up');
      })(),
    ).toThrow('the caller gives up');
    expect(copiesOf(t, rolledBack)).toEqual([]);
    expect(receiptPrintCursor(t.ctx.db)).toBe(cursorBefore);
    expect(
      (t.ctx.db.prepare('SELECT count(*) AS n FROM print_jobs').get() as { n: number }).n,
    ).toBe(jobsBefore);
    const next = await pay(t, householdId); // same household, and the same event seq as the rolled-back one
    const copies = copiesOf(t, next.id);
    expect(copies).toHaveLength(3);
    expect(JSON.parse(copies[0]!.data)).toMatchObject({
      receiptId: next.id,
      receiptLabel: next.receiptLabel,
      totalFen: 3_000,
    });
  });

  it('two connections on one file (a CLI call beside the terminal): each queues its own receipt once', async () => {
    const other = openTestTerminal(t.dbFile);
    try {
      const mine = await pay();
      const theirs = await pay(other);
      expect(queueCommittedReceipts(t.ctx)).toBe(0);
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

  it('receipts a second-commit build left without copies: the start queues them from the ledger, once', async () => {
    const a = await pay();
    const b = await pay();
    t.close();
    asLeftBySecondCommitBuild(t.dbFile, [a.id, b.id]);
    for (let start = 0; start < 2; start++) {
      const again = openTestTerminal(t.dbFile);
      try {
        expect(receiptsAwaitingQueue(again.ctx)).toBe(0);
        for (const r of [a, b]) {
          const copies = copiesOf(again, r.id);
          expect(copies.map((j) => j.label)).toEqual([
            `${r.receiptLabel} 客户联`,
            `${r.receiptLabel} 存根联`,
            `${r.receiptLabel} 记账联`,
          ]);
          expect(JSON.parse(copies[0]!.data)).toEqual(
            receiptPrintData(again.ctx, r.id, 'customer'),
          );
        }
      } finally {
        again.close();
      }
    }
  });

  it('and a payment on a connection that finds such receipts queues them first, in ledger order, in its commit', async () => {
    const a = await pay();
    asLeftBySecondCommitBuild(t.dbFile, [a.id]); // e.g. left by another process on this file
    expect(receiptsAwaitingQueue(t.ctx)).toBe(1); // the update waits for it ('print')
    const next = await pay();
    expect(receiptsAwaitingQueue(t.ctx)).toBe(0);
    const nums = [...copiesOf(t, a.id), ...copiesOf(t, next.id)].map((j) => j.num);
    expect(nums).toHaveLength(6);
    expect(nums).toEqual([...nums].sort((x, y) => x - y));
    expect(JSON.parse(copiesOf(t, a.id)[0]!.data)).toEqual(
      receiptPrintData(t.ctx, a.id, 'customer'),
    );
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

  it('another process holding the write lock: the payment is refused whole, neither receipt nor paper', async () => {
    const householdId = payers.shift()!;
    const other = new Database(t.dbFile);
    other.exec('BEGIN IMMEDIATE'); // e.g. a CLI import writing beside the terminal
    t.ctx.db.pragma('busy_timeout = 0');
    const jobsBefore = (
      t.ctx.db.prepare('SELECT count(*) AS n FROM print_jobs').get() as { n: number }
    ).n;
    try {
      await expect(pay(t, householdId)).rejects.toThrow();
    } finally {
      other.exec('ROLLBACK');
      other.close();
      t.ctx.db.pragma('busy_timeout = 5000');
    }
    expect(
      (t.ctx.db.prepare('SELECT count(*) AS n FROM print_jobs').get() as { n: number }).n,
    ).toBe(jobsBefore);
    expect(receiptsAwaitingQueue(t.ctx)).toBe(0);
    const r = await pay(t, householdId); // once the lock is gone the same payment goes through
    expect(copiesOf(t, r.id)).toHaveLength(3);
  });
});
