import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeShiftExactly,
  denominationsFor,
  householdsOwing,
  openTestTerminal,
  tempDir,
  type TestTerminal,
} from '../../support/terminal';
import { renderText } from '../../../src-main/devices/printer/render';
import { oracleForShift } from './oracle';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.cleanup());

const SUPERVISOR = { supervisorCode: '9001', supervisorPin: '888888' };
let dbCounter = 0;
async function freshShift(floatFen = 20_000) {
  const t = openTestTerminal(join(dir.dir, `c${dbCounter++}.db`), { households: 40 });
  const session = await t.login();
  const shift = await t.must('shift.open', { session, openingFloatFen: floatFen });
  return { t, session, shiftId: shift.id };
}

function cash(amountFen: number, tenderedFen = amountFen) {
  return [{ kind: 'cash', amountFen, tenderedFen }];
}

async function pay(
  t: TestTerminal,
  session: string,
  householdId: string,
  amountFen: number,
  tenders: unknown[],
) {
  return t.call('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen,
    tenders,
  });
}

type Op =
  | {
      op: 'pay';
      household: number;
      amount: number;
      split: 'cash' | 'card' | 'cheque' | 'qr' | 'cash+card' | 'cash+cheque';
      extraTendered: number;
    }
  | { op: 'void'; which: number }
  | { op: 'move'; kind: 'cash_in' | 'cash_out' | 'safe_drop'; amount: number }
  | { op: 'spoil' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('pay' as const),
      household: fc.nat(30),
      amount: fc.integer({ min: 1, max: 300_000 }),
      split: fc.constantFrom('cash', 'card', 'cheque', 'qr', 'cash+card', 'cash+cheque'),
      extraTendered: fc.integer({ min: 0, max: 10_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), which: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('move' as const),
      kind: fc.constantFrom('cash_in', 'cash_out', 'safe_drop'),
      amount: fc.integer({ min: 1, max: 50_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'spoil' as const }) },
);

function tendersFor(split: string, amount: number, extra: number): unknown[] {
  const half = Math.floor(amount / 2);
  switch (split) {
    case 'cash':
      return cash(amount, amount + extra);
    case 'card':
      return [{ kind: 'card', amountFen: amount, terminalRef: 'T1' }];
    case 'cheque':
      return [{ kind: 'cheque', amountFen: amount, chequeNo: 'C1', bank: '建设银行' }];
    case 'qr':
      return [{ kind: 'qr', amountFen: amount, channel: 'alipay', reference: 'AP1' }];
    case 'cash+card':
      return half === 0
        ? cash(amount)
        : [
            ...cash(half, half + extra),
            { kind: 'card', amountFen: amount - half, terminalRef: 'T2' },
          ];
    default:
      return half === 0
        ? cash(amount)
        : [
            ...cash(half, half + extra),
            { kind: 'cheque', amountFen: amount - half, chequeNo: 'C2', bank: '工商银行' },
          ];
  }
}

describe('hand-in slip against an independent oracle', () => {
  it('equals the oracle to the fen for random shifts, and the close agrees', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 100_000 }),
        async (ops, floatFen) => {
          const { t, session, shiftId } = await freshShift(floatFen);
          try {
            const households = householdsOwing(t, 1, 31);
            const receipts: string[] = [];
            for (const o of ops) {
              if (o.op === 'pay') {
                const id = households[o.household % households.length]!;
                const owed = (await t.must('household.account', { session, householdId: id }))
                  .owedFen;
                if (owed === 0) continue;
                const amount = Math.min(o.amount, owed);
                const r = await pay(
                  t,
                  session,
                  id,
                  amount,
                  tendersFor(o.split, amount, o.extraTendered),
                );
                if (!r.ok) throw new Error(`payment refused: ${r.error.code}`);
                receipts.push(r.value.id);
              } else if (o.op === 'void' && receipts.length > 0) {
                await t.call('receipt.void', {
                  session,
                  receiptId: receipts[o.which % receipts.length],
                  reason: '录入错误',
                  ...SUPERVISOR,
                });
              } else if (o.op === 'move') {
                await t.must('cash.move', {
                  session,
                  kind: o.kind,
                  amountFen: o.amount,
                  reason: '测试',
                  ...SUPERVISOR,
                });
              } else if (o.op === 'spoil') {
                await t.must('receipt.spoil', { session, reason: '打印卡纸' });
              }
            }
            const x = await t.must('shift.xReport', { session });
            const oracle = oracleForShift(t.ctx.db, shiftId);
            expect(x).toMatchObject({
              receiptCount: oracle.receiptCount,
              voidCount: oracle.voidCount,
              spoiledCount: oracle.spoiledCount,
              byTender: oracle.byTender,
              cardSplit: oracle.cardSplit,
              collectedFen: oracle.collectedFen,
            });
            expect(x.cardSplit.terminalFen + x.cardSplit.manualFen).toBe(x.byTender.card);
            expect(x.cash.expectedFen).toBe(oracle.expectedCashFen);
            expect(x.chequesPending.reduce((s, c) => s + c.amountFen, 0)).toBe(
              oracle.chequesPendingFen,
            );
            for (const book of x.books) {
              expect(book.gaps).toEqual([]);
              const numbers = oracle.numbersByBook.get(book.bookId)!.sort((a, b) => a - b);
              expect(book.ranges).toEqual([[numbers[0], numbers[numbers.length - 1]]]);
              expect(book.issued + book.spoiled).toBe(numbers.length);
            }
            if (oracle.expectedCashFen >= 0) {
              const closed = await closeShiftExactly(t, session);
              expect(closed.cash.expectedFen).toBe(oracle.expectedCashFen);
              expect(closed.collectedFen).toBe(oracle.collectedFen);
              const slip = await t.must('shift.handInSlip', { session, shiftId });
              expect(slip.cash.countedFen).toBe(closed.cash.countedFen);
              expect(slip.cash.varianceFen).toBe(
                (closed.cash.countedFen ?? 0) - oracle.expectedCashFen,
              );
            }
          } finally {
            t.close();
          }
        },
      ),
      { numRuns: 20 },
    );
  }, 180_000);
});

describe('cash-closing bugs of other POS systems, as regressions', () => {
  it('does not count change given back as cash collected', async () => {
    const { t, session, shiftId } = await freshShift(10_000);
    const [id] = householdsOwing(t, 12_345);
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 12_345,
      tenders: cash(12_345, 20_000),
    });
    const x = await t.must('shift.xReport', { session });
    expect(x.byTender.cash).toBe(12_345);
    expect(x.cash.expectedFen).toBe(10_000 + 12_345);
    expect(oracleForShift(t.ctx.db, shiftId).changeGivenFen).toBe(7_655);
    t.close();
  });

  it('cannot close a shift twice', async () => {
    const { t, session } = await freshShift(0);
    await closeShiftExactly(t, session);
    const again = await t.call('shift.close', { session, denominations: {} });
    expect(!again.ok && again.error.code).toBe('NO_OPEN_SHIFT');
    expect(
      t.ctx.db.prepare("SELECT count(*) AS n FROM events WHERE type = 'shift.closed'").get(),
    ).toEqual({ n: 1 });
    t.close();
  });

  it('accepts a count that differs from expected: within the limit as is, above it with reason + supervisor', async () => {
    const { t, session } = await freshShift(10_000);
    const small = await t.must('shift.close', {
      session,
      denominations: denominationsFor(10_000 - 500),
    });
    expect(small.cash).toMatchObject({ expectedFen: 10_000, countedFen: 9_500, varianceFen: -500 });

    const second = await freshShift(10_000);
    const refused = await second.t.call('shift.close', {
      session: second.session,
      denominations: { '5000': 1 },
    });
    expect(!refused.ok && refused.error.code).toBe('VARIANCE_NEEDS_APPROVAL');
    expect(!refused.ok && refused.error.message['zh-CN']).toContain('请重新点钞');
    const wrongPin = await second.t.call('shift.close', {
      session: second.session,
      denominations: { '5000': 1 },
      varianceReason: '少收',
      supervisorCode: '9001',
      supervisorPin: '000000',
    });
    expect(!wrongPin.ok && wrongPin.error.code).toBe('BAD_CREDENTIALS');
    const approved = await second.t.must('shift.close', {
      session: second.session,
      denominations: { '5000': 1 },
      varianceReason: '少收 ¥50，已报告',
      ...SUPERVISOR,
    });
    expect(approved.cash).toMatchObject({
      countedFen: 5_000,
      varianceFen: -5_000,
      varianceReason: '少收 ¥50，已报告',
    });
    const slip = await second.t.must('shift.handInSlip', {
      session: second.session,
      shiftId: approved.id,
    });
    expect(slip.approvals).toEqual([
      expect.objectContaining({ action: 'shift.variance', approverName: '李主管' }),
    ]);
    t.close();
    second.t.close();
  });
});

describe('receipt books at close', () => {
  it('accounts for every number: issued, voided or spoiled, with no gaps; a returned book gives no more numbers', async () => {
    const { t, session } = await freshShift(0);
    const ids = householdsOwing(t, 100, 3);
    await pay(t, session, ids[0]!, 100, cash(100));
    await t.must('receipt.spoil', { session, reason: '打印机卡纸' });
    const r = await pay(t, session, ids[1]!, 100, cash(100));
    if (!r.ok) throw new Error(r.error.code);
    await t.must('receipt.void', {
      session,
      receiptId: r.value.id,
      reason: '户号错',
      ...SUPERVISOR,
    });
    const x = await t.must('shift.xReport', { session });
    expect(x.books).toEqual([
      expect.objectContaining({
        series: 'A',
        ranges: [[1, 3]],
        issued: 2,
        voided: 1,
        spoiled: 1,
        gaps: [],
      }),
    ]);
    expect(x.spoiled).toEqual([{ receiptLabel: 'A000002', reason: '打印机卡纸' }]);
    expect(x.voids).toEqual([{ receiptLabel: 'A000003', reason: '户号错' }]);

    const book = (await t.must('shift.current', { session })).book!;
    const returned = await t.must('book.return', { session, bookId: book.id, ...SUPERVISOR });
    expect(returned).toMatchObject({ usedUpTo: 3, unusedFrom: 4 });
    const after = await pay(t, session, ids[2]!, 100, cash(100));
    expect(!after.ok && after.error.code).toBe('BOOK_EXHAUSTED');
    t.close();
  });
});

describe('day closure (Z)', () => {
  it('records period and perpetual totals that voids cannot net away, once per day, only with shifts closed', async () => {
    const { t, session } = await freshShift(0);
    const ids = householdsOwing(t, 5000, 2);
    const a = await pay(t, session, ids[0]!, 3000, cash(3000));
    await pay(t, session, ids[1]!, 2000, [{ kind: 'card', amountFen: 2000, terminalRef: 'T9' }]);
    if (!a.ok) throw new Error(a.error.code);
    await t.must('receipt.void', {
      session,
      receiptId: a.value.id,
      reason: '重复收费',
      ...SUPERVISOR,
    });
    const day = (await t.must('terminal.info', {})).businessDate;
    const early = await t.call('day.close', { session, businessDate: day, ...SUPERVISOR });
    expect(!early.ok && early.error.code).toBe('DAY_HAS_OPEN_SHIFT');
    await closeShiftExactly(t, session);
    const z = await t.must('day.close', { session, businessDate: day, ...SUPERVISOR });
    expect(z).toMatchObject({
      closureNo: 1,
      receiptCount: 2,
      voidCount: 1,
      collectedFen: 2000,
      perpetualTotalFen: 2000,
      perpetualAbsoluteFen: 3000 + 2000 + 3000,
    });
    expect(z.byTender).toEqual({ cash: 0, card: 2000, cheque: 0, qr: 0 });
    const twice = await t.call('day.close', { session, businessDate: day, ...SUPERVISOR });
    expect(!twice.ok && twice.error.code).toBe('DAY_ALREADY_CLOSED');
    const earlier = await t.call('day.close', {
      session,
      businessDate: '2020-01-01',
      ...SUPERVISOR,
    });
    expect(!earlier.ok && earlier.error.code).toBe('DAY_OUT_OF_ORDER');
    expect(await t.must('ledger.verify', { session })).toMatchObject({ ok: true });
    t.close();
  });
});

describe('reports', () => {
  it('daily by clerk and monthly totals, e-payment share and collection rates, cheques excluded', async () => {
    const { t, session } = await freshShift(0);
    const ids = householdsOwing(t, 10_000, 3);
    await pay(t, session, ids[0]!, 6000, cash(6000));
    await pay(t, session, ids[1]!, 4000, [
      { kind: 'qr', amountFen: 4000, channel: 'wechat', reference: 'WX1' },
    ]);
    await pay(t, session, ids[2]!, 5000, [
      { kind: 'cheque', amountFen: 5000, chequeNo: 'Q', bank: '农业银行' },
    ]);
    const info = await t.must('terminal.info', {});
    const daily = await t.must('report.daily', { session, businessDate: info.businessDate });
    expect(daily.total).toMatchObject({
      receiptCount: 3,
      collectedFen: 10_000,
      byTender: { cash: 6000, qr: 4000, cheque: 5000, card: 0 },
    });
    expect(daily.clerks).toEqual([
      expect.objectContaining({ clerkName: '张丽', collectedFen: 10_000 }),
    ]);
    const monthly = await t.must('report.monthly', {
      session,
      month: info.businessDate.slice(0, 7),
    });
    // a QR reference the clerk typed is not confirmed (issue 23): it is listed apart for finance
    // and enters the e-payment share only when settled through head office (qr.sale)
    expect(daily.qrSplit).toEqual({
      confirmedCount: 0,
      confirmedFen: 0,
      unconfirmedCount: 1,
      unconfirmedFen: 4000,
    });
    expect(daily.ePaymentShareTenths).toBe(0);
    expect(monthly.ePaymentShareTenths).toBe(0);
    expect(monthly.total.collectedFen).toBe(10_000);
    expect(monthly.communities.reduce((s, c) => s + c.collectedFen, 0)).toBe(10_000);
    for (const s of monthly.seasons) {
      expect(s.collectedFen + s.outstandingFen).toBeGreaterThanOrEqual(s.receivableFen);
      expect(s.collectionRateTenths).toBeLessThanOrEqual(1000);
    }
    t.close();
  });
});

describe('hand-in slip on paper', () => {
  it('queues the slip twice (finance and clerk copies) with the close, and it renders the counted figures', async () => {
    const { t, session, shiftId } = await freshShift(10_000);
    const [id] = householdsOwing(t, 12_300);
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: id,
      amountFen: 12_300,
      tenders: cash(12_300, 15_000),
    });
    await t.must('shift.close', { session, denominations: { '10000': 2, '2000': 1, '100': 3 } });
    const jobs = t.ctx.db
      .prepare(
        "SELECT label, data FROM print_jobs WHERE template = 'hand-in-slip' AND subject_id = ? ORDER BY created_at, label",
      )
      .all(shiftId) as { label: string; data: string }[];
    expect(jobs.map((j) => j.label.split(' ').at(-1)).sort()).toEqual(['收费员联', '财务联']);
    const data = JSON.parse(jobs[0]!.data) as Record<string, unknown>;
    expect(data).toMatchObject({
      receiptCount: 1,
      openingFloatFen: 10_000,
      expectedCashFen: 22_300,
      countedCashFen: 22_300,
      varianceFen: 0,
      handInFen: 12_300,
    });
    const text = renderText('hand-in-slip', data, { width: 48 });
    expect(text).toMatch(/交\s*款\s*单/);
    expect(text).toContain('123.00');
    t.close();
  });
});
