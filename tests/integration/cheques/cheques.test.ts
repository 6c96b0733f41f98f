import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { allocateOldestFirst } from '@heating-cashier/core/allocation';
import { seasonAccounts } from '../../../src-main/features/households/accounts.store';
import { projectionSnapshot } from '../../../src-main/ledger/projector';
import { rebuildProjections } from '../../../src-main/ledger/rebuild';
import { verifyLedger } from '../../../src-main/ledger/verify';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

const SUP = { code: '9001', pin: '888888' };
const dirs: { cleanup(): void }[] = [];
const terminals: TestTerminal[] = [];
afterEach(() => {
  terminals.splice(0).forEach((t) => t.close());
  dirs.splice(0).forEach((d) => d.cleanup());
});

/** A terminal with a movable clock (Asia/Shanghai business days). */
function setup() {
  const d = tempDir();
  dirs.push(d);
  const clock = { now: Date.parse('2026-12-01T02:00:00Z') };
  const t = openTestTerminal(join(d.dir, 'ledger.db'), {
    households: 60,
    clock: () => new Date(clock.now),
  });
  terminals.push(t);
  return { t, clock };
}

/** Households owing in at least two seasons (multi-season arrears). */
function multiSeasonHouseholds(t: TestTerminal): string[] {
  return (
    t.ctx.db
      .prepare(
        `SELECT c.household_id AS id FROM charges c
         LEFT JOIN season_payments p ON p.household_id = c.household_id AND p.season_id = c.season_id
         WHERE c.charge_fen - c.paid_elsewhere_fen - coalesce(p.paid_fen, 0) > 0
         GROUP BY c.household_id HAVING count(*) >= 2 ORDER BY c.household_id`,
      )
      .all() as { id: string }[]
  ).map((r) => r.id);
}

const balances = (t: TestTerminal, hh: string) =>
  seasonAccounts(t.ctx.db, hh).map((s) => ({
    seasonId: s.seasonId,
    seasonCode: s.seasonCode,
    chargeFen: s.chargeFen,
    balanceFen: s.balanceFen,
  }));

async function start(t: TestTerminal) {
  const clerk = await t.login();
  await t.must('shift.open', { session: clerk, openingFloatFen: 0 });
  const sup = await t.login(SUP.code, SUP.pin);
  return { clerk, sup };
}

async function pay(
  t: TestTerminal,
  session: string,
  householdId: string,
  cashFen: number,
  cheques: number[],
) {
  const tenders = [
    ...(cashFen > 0 ? [{ kind: 'cash', amountFen: cashFen, tenderedFen: cashFen }] : []),
    ...cheques.map((c, i) => ({
      kind: 'cheque',
      amountFen: c,
      chequeNo: `CHK${i}${householdId}`,
      bank: '建设银行',
    })),
  ];
  return t.must('payment.take', {
    session,
    requestId: randomUUID(),
    householdId,
    amountFen: cashFen + cheques.reduce((s, c) => s + c, 0),
    tenders,
  });
}

describe('cheques at the counter', () => {
  it('pending never counts; bounce restores the exact multi-season arrears, marks the receipt and is listed; clearance counts on its day', async () => {
    const { t, clock } = setup();
    const started = await start(t);
    let clerk = started.clerk;
    let sup: string;
    const [hh, hh2] = multiSeasonHouseholds(t);
    expect(hh && hh2).toBeTruthy();
    const before = balances(t, hh!);
    const owed = before.reduce((s, b) => s + b.balanceFen, 0);
    const receipt = await pay(t, clerk, hh!, 0, [owed]);
    expect(receipt.lines.length).toBeGreaterThanOrEqual(2);
    expect(balances(t, hh!).every((b) => b.balanceFen === 0)).toBe(true);

    // pending: listed, not collected in any total
    const pending = await t.must('cheque.list', { session: clerk });
    expect(pending.cheques).toHaveLength(1);
    expect(pending.cheques[0]).toMatchObject({
      receiptLabel: receipt.receiptLabel,
      status: 'pending',
      amountFen: owed,
      bank: '建设银行',
    });
    const day1 = await t.must('report.daily', { session: clerk, businessDate: '2026-12-01' });
    expect(day1.total.collectedFen).toBe(0);
    expect(day1.total.byTender.cheque).toBe(owed);

    // a clerk may not decide
    const denied = await t.call('cheque.bounce', {
      session: clerk,
      receiptId: receipt.id,
      position: 0,
      reason: '余额不足',
    });
    expect(denied.ok ? 'ok' : denied.error.code).toBe('NOT_SUPERVISOR');

    // bounce, two days later: the household owes again exactly what it owed before
    clock.now += 2 * 86_400_000;
    clerk = await t.login();
    sup = await t.login(SUP.code, SUP.pin);
    const bounced = await t.must('cheque.bounce', {
      session: sup,
      receiptId: receipt.id,
      position: 0,
      reason: '余额不足',
    });
    expect(bounced).toMatchObject({
      status: 'bounced',
      reason: '余额不足',
      valueDate: '2026-12-03',
      decidedDate: '2026-12-03',
      source: 'counter',
      decidedBy: 'C9001',
    });
    expect(bounced.restored.reduce((s, r) => s + r.amountFen, 0)).toBe(owed);
    expect(balances(t, hh!)).toEqual(before);
    const detail = await t.must('receipt.find', { session: clerk, receiptId: receipt.id });
    expect(detail.tenders[0]!.detail.status).toBe('bounced');
    const listed = await t.must('cheque.list', { session: clerk, status: 'bounced' });
    expect(listed.cheques.map((c) => c.receiptLabel)).toEqual([receipt.receiptLabel]);
    // no second decision, no void of a receipt whose cheque bounced
    const again = await t.call('cheque.clear', {
      session: sup,
      receiptId: receipt.id,
      position: 0,
    });
    expect(again.ok ? 'ok' : again.error.code).toBe('CHEQUE_ALREADY_DECIDED');
    const voided = await t.call('receipt.void', {
      session: clerk,
      receiptId: receipt.id,
      reason: '测试',
      supervisorCode: SUP.code,
      supervisorPin: SUP.pin,
    });
    expect(voided.ok ? 'ok' : voided.error.code).toBe('RECEIPT_CHEQUE_DECIDED');

    // clearance: counted as collected on the business day it is recorded, not on the payment day
    const r2 = await pay(t, clerk, hh2!, 10_00, [20_00]);
    const future = await t.call('cheque.clear', {
      session: sup,
      receiptId: r2.id,
      position: 1,
      clearedOn: '2026-12-09',
    });
    expect(future.ok ? 'ok' : future.error.code).toBe('CHEQUE_DATE_INVALID');
    clock.now += 86_400_000;
    clerk = await t.login();
    sup = await t.login(SUP.code, SUP.pin);
    const cleared = await t.must('cheque.clear', { session: sup, receiptId: r2.id, position: 1 });
    expect(cleared).toMatchObject({ status: 'cleared', decidedDate: '2026-12-04' });
    const payDay = await t.must('report.daily', { session: clerk, businessDate: '2026-12-03' });
    const clearDay = await t.must('report.daily', { session: clerk, businessDate: '2026-12-04' });
    expect(payDay.total.collectedFen).toBe(10_00);
    expect(clearDay.total.collectedFen).toBe(20_00);
    const month = await t.must('report.monthly', { session: clerk, month: '2026-12' });
    expect(month.total.collectedFen).toBe(30_00);
    // The collector report (提成 basis) agrees day by day: the cheque counts on its clearance day,
    // for the clerk who took it; the bounced one never does.
    const collector = async (from: string, to: string) =>
      (await t.must('report.collector', { session: clerk, from, to })).total;
    for (const [from, to] of [
      ['2026-12-03', '2026-12-03'],
      ['2026-12-04', '2026-12-04'],
      ['2026-12-01', '2026-12-31'],
    ] as const) {
      let daily = 0;
      for (let d = Number(from.slice(8)); d <= Number(to.slice(8)); d++) {
        const businessDate = `2026-12-${String(d).padStart(2, '0')}`;
        daily += (await t.must('report.daily', { session: clerk, businessDate })).total
          .collectedFen;
      }
      expect((await collector(from, to)).collectedFen).toBe(daily);
    }
    expect(await collector('2026-12-04', '2026-12-04')).toMatchObject({
      collectedFen: 20_00,
      chequeClearedFen: 20_00,
      chequePendingFen: 0,
    });
    expect(await collector('2026-12-03', '2026-12-03')).toMatchObject({
      chequeClearedFen: 0,
      chequePendingFen: 20_00,
    });
    expect((await t.must('cheque.list', { session: clerk })).cheques).toHaveLength(0);

    // projections rebuilt from the events equal the live ones; the chain verifies
    const live = projectionSnapshot(t.ctx.db);
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
    expect(verifyLedger(t.ctx.db, t.ctx.terminal.id)).toMatchObject({ ok: true, problem: null });
  });

  it('property: bouncing any subset of a receipt’s cheques restores exactly the arrears they paid (multi-season, mixed tenders)', async () => {
    const { t } = setup();
    const { clerk, sup } = await start(t);
    const pool = multiSeasonHouseholds(t);
    let next = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        async (permyriad, cashWeight, chequeWeights, bounce) => {
          const hh = pool[next++ % pool.length]!;
          const before = balances(t, hh);
          const owed = before.reduce((s, b) => s + b.balanceFen, 0);
          if (owed < 100) return;
          const amount = Math.max(
            chequeWeights.length + 1,
            Math.floor((owed * permyriad) / 10_000),
          );
          const weights = [cashWeight, ...chequeWeights];
          const sum = weights.reduce((s, w) => s + w, 0);
          const parts = weights.map((w) => Math.floor((amount * w) / sum));
          parts[parts.length - 1]! += amount - parts.reduce((s, p) => s + p, 0);
          const cheques = parts.slice(1);
          if (cheques.some((c) => c <= 0)) return;
          const receipt = await pay(t, clerk, hh, parts[0]!, cheques);
          const chequePos = receipt.tenders
            .map((x, i) => (x.kind === 'cheque' ? i : -1))
            .filter((i) => i >= 0);
          let bouncedFen = 0;
          for (const [k, pos] of chequePos.entries()) {
            if (bounce[k]) {
              await t.must('cheque.bounce', {
                session: sup,
                receiptId: receipt.id,
                position: pos,
                reason: '退票',
              });
              bouncedFen += receipt.tenders[pos]!.amountFen;
            } else {
              await t.must('cheque.clear', { session: sup, receiptId: receipt.id, position: pos });
            }
          }
          // oracle: the household is where an oldest-first payment of (amount − bounced) leaves it
          const kept = amount - bouncedFen;
          const expected =
            kept === 0
              ? before
              : (() => {
                  const a = allocateOldestFirst(before, kept);
                  if (!a.ok) throw new Error(a.code);
                  return before.map((b) => ({
                    ...b,
                    balanceFen:
                      b.balanceFen -
                      (a.value.find((l) => l.seasonId === b.seasonId)?.amountFen ?? 0),
                  }));
                })();
          expect(balances(t, hh)).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
    const live = projectionSnapshot(t.ctx.db);
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
  });
});
