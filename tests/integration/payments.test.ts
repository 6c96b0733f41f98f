import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { appendEvent } from '../../src-main/ledger/event-log';
import { projectionSnapshot } from '../../src-main/ledger/projector';
import { rebuildProjections } from '../../src-main/ledger/rebuild';
import {
  closeShiftExactly,
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

beforeEach(async () => {
  dir = tempDir();
  t = openTestTerminal(join(dir.dir, 'ledger.db'));
  session = await t.login();
  await t.must('shift.open', { session, openingFloatFen: 20000 });
});
afterEach(() => {
  t.close();
  dir.cleanup();
});

const cash = (amountFen: number, tenderedFen = amountFen) => [
  { kind: 'cash', amountFen, tenderedFen },
];

async function pay(householdId: string, amountFen: number, extra: Record<string, unknown> = {}) {
  return t.call('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen,
    tenders: cash(amountFen),
    ...extra,
  });
}

describe('taking payments', () => {
  it('issues consecutive receipt numbers from the clerk’s book and moves the balance by exactly the amount', async () => {
    const [a, b] = householdsOwing(t, 10_000);
    const before = await t.must('household.account', { session, householdId: a });
    const r1 = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: a,
      amountFen: 10_000,
      tenders: cash(10_000, 20_000),
    });
    const r2 = await pay(b!, 123);
    expect(r1.receiptLabel).toBe('A000001');
    expect(r1.changeFen).toBe(10_000);
    expect(r2.ok && r2.value.receiptLabel).toBe('A000002');
    const after = await t.must('household.account', { session, householdId: a });
    expect(after.owedFen).toBe(before.owedFen - 10_000);
    expect(after.receipts.map((r) => r.receiptLabel)).toEqual(['A000001']);
    expect(r1.lines.reduce((s, l) => s + l.amountFen, 0)).toBe(10_000);
  });

  it('allocates oldest season first, with the percentage of each season’s charge', async () => {
    const [id] = householdsOwing(t, 1);
    const seasons = seasonAccounts(t.ctx.db, id!).filter((s) => s.balanceFen > 0);
    const oldest = seasons[0]!;
    const amount = oldest.balanceFen + (seasons[1] ? 1 : 0);
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: amount,
      tenders: cash(amount),
    });
    expect(receipt.lines[0]).toMatchObject({
      seasonId: oldest.seasonId,
      amountFen: oldest.balanceFen,
      balanceAfterFen: 0,
    });
    expect(receipt.lines[0]!.pctTenths).toBe(
      Math.floor((oldest.balanceFen * 1000 * 2 + oldest.chargeFen) / (2 * oldest.chargeFen)),
    );
    if (seasons[1])
      expect(receipt.lines[1]).toMatchObject({ seasonId: seasons[1].seasonId, amountFen: 1 });
  });

  it('honours an explicit allocation override and refuses an invalid one', async () => {
    const id = householdsOwing(t, 1, 500).find(
      (h) => seasonAccounts(t.ctx.db, h).filter((s) => s.balanceFen > 100).length === 2,
    )!;
    const [older, newer] = seasonAccounts(t.ctx.db, id);
    const ok = await pay(id, 150, {
      allocation: [
        { seasonId: newer!.seasonId, amountFen: 100 },
        { seasonId: older!.seasonId, amountFen: 50 },
      ],
      tenders: cash(150),
    });
    expect(ok.ok && ok.value.lines.map((l) => [l.seasonId, l.amountFen])).toEqual([
      [older!.seasonId, 50],
      [newer!.seasonId, 100],
    ]);
    const bad = await pay(id, 150, { allocation: [{ seasonId: newer!.seasonId, amountFen: 100 }] });
    expect(!bad.ok && bad.error.code).toBe('ALLOCATION_INVALID');
  });

  it('refuses to take more than is owed, and a household that owes nothing', async () => {
    const [id] = householdsOwing(t, 1);
    const owed = (await t.must('household.account', { session, householdId: id })).owedFen;
    const over = await pay(id!, owed + 1);
    expect(!over.ok && over.error.code).toBe('OVERPAY');
    expect(!over.ok && over.error.message['zh-CN']).toContain('超过应缴总额');
    expect((await pay(id!, owed)).ok).toBe(true);
    const nothing = await pay(id!, 1);
    expect(!nothing.ok && nothing.error.code).toBe('NOTHING_OWED');
  });

  it('is idempotent by requestId: a retried request returns the same receipt and moves no money', async () => {
    const [id] = householdsOwing(t, 1000);
    const input = {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 1000,
      tenders: cash(1000),
    };
    const first = await t.must('payment.take', input);
    const again = await t.must('payment.take', input);
    expect(again).toMatchObject({ id: first.id, receiptLabel: first.receiptLabel, replayed: true });
    expect(t.ctx.db.prepare('SELECT count(*) AS n FROM receipts').get()).toEqual({ n: 1 });
    const reused = await t.call('payment.take', { ...input, amountFen: 999, tenders: cash(999) });
    expect(!reused.ok && reused.error.code).toBe('REQUEST_REUSED');
  });

  it('takes split tenders (cash + card + cheque + QR) and checks they add up', async () => {
    const [id] = householdsOwing(t, 4000);
    const tenders = [
      { kind: 'cash', amountFen: 1000, tenderedFen: 1500 },
      {
        kind: 'card',
        amountFen: 1000,
        terminalRef: 'T0001',
        authCode: '123456',
        maskedPan: '6222****1234',
      },
      { kind: 'cheque', amountFen: 1000, chequeNo: 'CH-1', bank: '工商银行' },
      { kind: 'qr', amountFen: 1000, channel: 'wechat', reference: 'WX20261126' },
    ];
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 4000,
      tenders,
    });
    expect(r.changeFen).toBe(500);
    expect(r.tenders.map((x) => x.kind)).toEqual(['cash', 'card', 'cheque', 'qr']);
    expect(r.tenders[2]!.detail).toMatchObject({ status: 'pending' });

    const mismatch = await pay(id!, 4000, { tenders: tenders.slice(1) });
    expect(!mismatch.ok && mismatch.error.code).toBe('TENDERS_MISMATCH');
    const low = await pay(id!, 1000, {
      tenders: [{ kind: 'cash', amountFen: 1000, tenderedFen: 999 }],
    });
    expect(!low.ok && low.error.code).toBe('TENDERED_TOO_LOW');
  });

  it('asks for a new book when the clerk’s book is used up, and continues from the new book', async () => {
    t.ctx.db.prepare("UPDATE receipt_books SET next_no = last_no WHERE clerk_id = 'C1001'").run();
    const ids = householdsOwing(t, 100, 3);
    const last = await pay(ids[0]!, 10);
    expect(last.ok && last.value.receiptLabel).toBe('A000500');
    const exhausted = await pay(ids[1]!, 10);
    expect(!exhausted.ok && exhausted.error.code).toBe('BOOK_EXHAUSTED');
    expect(!exhausted.ok && exhausted.error.message['zh-CN']).toContain('领用新的票据本');
    const book = await t.must('book.issue', {
      session,
      series: 'C',
      firstNo: 1001,
      lastNo: 1050,
      clerkCode: '1001',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(book).toMatchObject({ nextNo: 1001, remaining: 50 });
    const next = await pay(ids[1]!, 10);
    expect(next.ok && next.value.receiptLabel).toBe('C001001');
    const overlap = await t.call('book.issue', {
      session,
      series: 'C',
      firstNo: 1040,
      lastNo: 1100,
      clerkCode: '1002',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(!overlap.ok && overlap.error.code).toBe('BOOK_OVERLAP');
  });

  it('refuses payments without an open shift, and from a clerk who does not own the open shift', async () => {
    const other = await t.login('1002', '123456');
    const [id] = householdsOwing(t, 100);
    const r = await t.call('payment.take', {
      session: other,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 10,
      tenders: cash(10),
    });
    expect(!r.ok && r.error.code).toBe('SHIFT_OF_OTHER_CLERK');
    await closeShiftExactly(t, session);
    const closed = await pay(id!, 10);
    expect(!closed.ok && closed.error.code).toBe('NO_OPEN_SHIFT');
  });
});

describe('voids and reprints', () => {
  it('voids a receipt of the current shift with a supervisor PIN and gives the money back to the balance', async () => {
    const [id] = householdsOwing(t, 5000);
    const before = (await t.must('household.account', { session, householdId: id })).owedFen;
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 5000,
      tenders: cash(5000),
    });
    const wrongPin = await t.call('receipt.void', {
      session,
      receiptId: r.id,
      reason: '金额录错',
      supervisorCode: '9001',
      supervisorPin: '000000',
    });
    expect(!wrongPin.ok && wrongPin.error.code).toBe('BAD_CREDENTIALS');
    const notSupervisor = await t.call('receipt.void', {
      session,
      receiptId: r.id,
      reason: '金额录错',
      supervisorCode: '1002',
      supervisorPin: '123456',
    });
    expect(!notSupervisor.ok && notSupervisor.error.code).toBe('NOT_SUPERVISOR');
    const voided = await t.must('receipt.void', {
      session,
      receiptId: r.id,
      reason: '金额录错',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(voided).toMatchObject({ voided: true, voidReason: '金额录错' });
    expect((await t.must('household.account', { session, householdId: id })).owedFen).toBe(before);
    const twice = await t.call('receipt.void', {
      session,
      receiptId: r.id,
      reason: 'x',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(!twice.ok && twice.error.code).toBe('RECEIPT_ALREADY_VOID');
    const found = await t.must('receipt.find', {
      session,
      receiptLabel: r.receiptLabel.toLowerCase(),
    });
    expect(found).toMatchObject({ id: r.id, voided: true });
    const types = (
      t.ctx.db.prepare('SELECT type FROM events ORDER BY seq DESC LIMIT 2').all() as {
        type: string;
      }[]
    ).map((e) => e.type);
    expect(types).toEqual(['receipt.voided', 'approval.given']);
  });

  it('refuses to void a receipt of an earlier shift', async () => {
    const [id] = householdsOwing(t, 100);
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 100,
      tenders: cash(100),
    });
    await closeShiftExactly(t, session);
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const v = await t.call('receipt.void', {
      session,
      receiptId: r.id,
      reason: '重复收费',
      supervisorCode: '9001',
      supervisorPin: '888888',
    });
    expect(!v.ok && v.error.code).toBe('VOID_OTHER_SHIFT');
  });

  it('counts reprints', async () => {
    const [id] = householdsOwing(t, 100);
    const r = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 100,
      tenders: cash(100),
    });
    await t.must('receipt.reprint', { session, receiptId: r.id });
    expect(await t.must('receipt.reprint', { session, receiptId: r.id })).toMatchObject({
      reprintCount: 2,
    });
  });
});

describe('projections', () => {
  it('rebuilt from the event log equal the live ones after a busy shift', async () => {
    const ids = householdsOwing(t, 3000, 30);
    const receipts: string[] = [];
    for (const [i, id] of ids.entries()) {
      const r = await t.must('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: id,
        amountFen: 1000 + i,
        tenders: cash(1000 + i, 5000),
      });
      receipts.push(r.id);
    }
    for (const id of receipts.slice(0, 5)) {
      await t.must('receipt.void', {
        session,
        receiptId: id,
        reason: '测试作废',
        supervisorCode: '9001',
        supervisorPin: '888888',
      });
    }
    await t.must('receipt.reprint', { session, receiptId: receipts[7]! });
    const closed = await closeShiftExactly(t, session);
    expect(closed).toMatchObject({ receiptCount: 30, voidCount: 5 });
    expect(closed.collectedFen).toBe(ids.slice(5).reduce((s, _id, i) => s + 1000 + i + 5, 0));
    const live = projectionSnapshot(t.ctx.db);
    expect(live.receipts).toHaveLength(30);
    expect(rebuildProjections(t.ctx.db)).toBeGreaterThan(30);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
    expect(await t.must('ledger.verify', { session })).toMatchObject({
      ok: true,
      firstBadSeq: null,
    });
  });
});

describe('projection of tender details', () => {
  it('stores details canonically, so a replay of the log gives identical rows whatever the key order', async () => {
    const [id] = householdsOwing(t, 100);
    const current = await t.must('shift.current', { session });
    const book = current.book!;
    const season = seasonAccounts(t.ctx.db, id!).find((x) => x.balanceFen >= 100)!;
    const now = new Date();
    t.ctx.db.transaction(() =>
      appendEvent(
        { db: t.ctx.db, terminalId: t.ctx.terminal.id, now, businessDate: '2026-11-26' },
        'receipt.issued',
        {
          receiptId: 'R-unsorted',
          requestId: randomUUID(),
          bookId: book.id,
          receiptNo: book.nextNo,
          receiptLabel: `A${book.nextNo}`,
          householdId: id!,
          accountNo: id!.slice(1),
          shiftId: current.shift!.id,
          totalFen: 100,
          changeFen: 0,
          lines: [
            {
              seasonId: season.seasonId,
              seasonCode: season.seasonCode,
              amountFen: 100,
              chargeFen: season.chargeFen,
              pctTenths: 0,
              balanceAfterFen: season.balanceFen - 100,
            },
          ],
          tenders: [
            { kind: 'card', amountFen: 100, reference: 'T', detail: { trace: '9', authCode: '1' } },
          ],
        },
        'C1001',
      ),
    )();
    const live = projectionSnapshot(t.ctx.db);
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
  });
});

describe('sessions and clock', () => {
  it('locks a clerk after five wrong PINs', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await t.call('session.login', { clerkCode: '1002', pin: '999999' });
      expect(!r.ok && r.error).toMatchObject({
        code: 'BAD_CREDENTIALS',
        details: { attemptsLeft: 4 - i },
      });
    }
    const locked = await t.call('session.login', { clerkCode: '1002', pin: '999999' });
    expect(!locked.ok && locked.error.code).toBe('CLERK_LOCKED');
    const evenRight = await t.call('session.login', { clerkCode: '1002', pin: '123456' });
    expect(!evenRight.ok && evenRight.error.code).toBe('CLERK_LOCKED');
  });

  it('ends a session at logout', async () => {
    await t.must('session.logout', { session });
    const r = await t.call('shift.current', { session });
    expect(!r.ok && r.error.code).toBe('NOT_LOGGED_IN');
  });

  it('refuses new events when the PC clock jumps back, and says so', async () => {
    const [id] = householdsOwing(t, 100);
    const base = t.ctx.clock;
    t.ctx.clock = () => new Date(base().getTime() - 60 * 60 * 1000);
    const r = await pay(id!, 100);
    expect(!r.ok && r.error.code).toBe('CLOCK_BACKWARDS');
    expect(!r.ok && r.error.message['zh-CN']).toContain('请校正系统时间');
    t.ctx.clock = base;
    expect((await pay(id!, 100)).ok).toBe(true);
  });
});
