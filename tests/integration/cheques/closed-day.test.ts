// A cheque decided on a business day already closed by Z (issue 21, defect 1 follow-up): a clearance
// or bounce recorded at the counter, or pulled from head office, after the day's Z must not change
// that day's figures. It is counted on the next business day still open, and nothing is refused or
// lost. Real SQLite ledger, real enrollment and pulls over HTTP to a PGlite head office.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectionSnapshot } from '../../../src-main/ledger/projector';
import { rebuildProjections } from '../../../src-main/ledger/rebuild';
import type { TestHeadOffice } from '../../support/head-office';
import { syncSuite } from '../../support/sync-suite';
import { closeShiftExactly, householdsOwing, type TestTerminal } from '../../support/terminal';

const SUP = { code: '9001', pin: '888888' };
const Z_SUP = { supervisorCode: SUP.code, supervisorPin: SUP.pin };

/** What a business date holds in every day aggregate (reports, Z, monthly and collector reports). */
function dayRows(t: TestTerminal, date: string) {
  const rows = (table: string, order: string) =>
    t.ctx.db.prepare(`SELECT * FROM ${table} WHERE business_date = ? ORDER BY ${order}`).all(date);
  return {
    clerks: rows('daily_clerk_totals', 'clerk_id'),
    seasons: rows('daily_season_totals', 'season_id'),
    communities: rows('daily_community_totals', 'community'),
    decisions: rows('cheque_decisions', 'receipt_id, position'),
  };
}

describe('a cheque decided on a day closed by Z (pglite)', () => {
  const suite = syncSuite('pglite', 40);
  let ho: TestHeadOffice;
  beforeAll(() => {
    ho = suite.ho;
  });

  it('clearances and bounces at the counter and from head office leave the closed day as its Z says; the next open day counts them', async () => {
    // 10:00 in Shanghai on 2026-12-01; the clock moves on by hand.
    let now = new Date('2026-12-01T02:00:00.000Z');
    const t = suite.terminal(() => now);
    await ho.enrol(t);
    const date = (await t.must('terminal.info', {})).businessDate;
    expect(date).toBe('2026-12-01');
    const clerk = await t.login();
    const shift = await t.must('shift.open', { session: clerk, openingFloatFen: 0 });
    const [h1, h2, h3, h4] = householdsOwing(t, 100_00, 4);
    const pay = (hh: string, cashFen: number, chequeFen: number, no: string) =>
      t.must('payment.take', {
        session: clerk,
        requestId: randomUUID(),
        householdId: hh,
        amountFen: cashFen + chequeFen,
        tenders: [
          ...(cashFen > 0 ? [{ kind: 'cash', amountFen: cashFen, tenderedFen: cashFen }] : []),
          { kind: 'cheque', amountFen: chequeFen, chequeNo: no, bank: '工商银行' },
        ],
      });
    const counterClear = await pay(h1!, 10_00, 40_00, 'CHQ-1');
    const counterBounce = await pay(h2!, 8_00, 30_00, 'CHQ-2');
    const hoClear = await pay(h3!, 5_00, 60_00, 'CHQ-3');
    const hoBounce = await pay(h4!, 20_00, 70_01, 'CHQ-4');
    await suite.sync(t);
    await closeShiftExactly(t, clerk);
    const slip = async () => {
      const { unsyncedEvents: _u, ...figures } = await t.must('shift.handInSlip', {
        session: clerk,
        shiftId: shift.id,
      });
      return figures;
    };
    const slipAtZ = await slip();
    const z = await t.must('day.close', { session: clerk, ...Z_SUP });
    expect(z).toMatchObject({ closureNo: 1, businessDate: date, receiptCount: 4 });
    expect(z.collectedFen).toBe(43_00); // the cash; every cheque is still pending
    const reportAtZ = await t.must('report.daily', { session: clerk, businessDate: date });
    const rowsAtZ = dayRows(t, date);
    expect(reportAtZ.total).toMatchObject({
      receiptCount: z.receiptCount,
      collectedFen: z.collectedFen,
      byTender: z.byTender,
    });

    // 15:00 the same day: finance clears one cheque and bounces another at the counter ...
    now = new Date('2026-12-01T07:00:00.000Z');
    const sup = await t.login(SUP.code, SUP.pin);
    const cleared = await t.must('cheque.clear', {
      session: sup,
      receiptId: counterClear.id,
      position: 1,
    });
    const bounced = await t.must('cheque.bounce', {
      session: sup,
      receiptId: counterBounce.id,
      position: 1,
      reason: '余额不足',
    });
    // ... and head office decides the other two, pulled the same afternoon.
    const decided = await ho.admin('/v1/cheques/decisions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { receiptId: hoClear.id, position: 1, outcome: 'cleared', valueDate: date },
        {
          receiptId: hoBounce.id,
          position: 1,
          outcome: 'bounced',
          valueDate: date,
          reason: '印鉴不符',
        },
      ]),
    });
    expect(decided.status).toBe(200);
    now = new Date('2026-12-01T07:30:00.000Z');
    await suite.sync(t);

    // The closed day is exactly as its Z left it: report, aggregates and the shift's hand-in slip.
    // (Clearances would add to its collected total, bounces the cash of their receipts to its
    // season and community collection.)
    expect({
      report: await t.must('report.daily', { session: clerk, businessDate: date }),
      rows: dayRows(t, date),
      slip: await slip(),
    }).toEqual({ report: reportAtZ, rows: rowsAtZ, slip: slipAtZ });

    // Every decision applied (none refused or left in sync_rejects), the bank's date kept, each
    // counted on the next business day still open.
    expect(t.ctx.db.prepare('SELECT * FROM sync_rejects').all()).toEqual([]);
    const list = await t.must('cheque.list', { session: clerk, status: 'all', limit: 50 });
    expect(
      list.cheques.map((c) => [c.receiptLabel, c.status, c.source, c.valueDate, c.decidedDate]),
    ).toEqual([
      [counterClear.receiptLabel, 'cleared', 'counter', date, '2026-12-02'],
      [counterBounce.receiptLabel, 'bounced', 'counter', date, '2026-12-02'],
      [hoClear.receiptLabel, 'cleared', 'head-office', date, '2026-12-02'],
      [hoBounce.receiptLabel, 'bounced', 'head-office', date, '2026-12-02'],
    ]);
    expect(cleared).toMatchObject({ status: 'cleared', decidedDate: '2026-12-02' });
    expect(bounced).toMatchObject({ status: 'bounced', decidedDate: '2026-12-02' });

    // The next business day counts the two clearances, and its Z says so; the month adds up to
    // the two Zs to the fen, and the collector report agrees.
    now = new Date('2026-12-02T02:00:00.000Z');
    const morning = await t.login();
    const next = await t.must('report.daily', { session: morning, businessDate: '2026-12-02' });
    expect(next.total.collectedFen).toBe(40_00 + 60_00);
    // the clerk who took the cheques is listed though they took nothing that day: clerks add up
    expect(next.clerks.map((c) => [c.clerkName, c.receiptCount, c.collectedFen])).toEqual([
      [reportAtZ.clerks[0]!.clerkName, 0, 40_00 + 60_00],
    ]);
    const z2 = await t.must('day.close', { session: morning, ...Z_SUP });
    expect(z2).toMatchObject({ closureNo: 2, businessDate: '2026-12-02', receiptCount: 0 });
    expect(z2.collectedFen).toBe(40_00 + 60_00);
    const month = await t.must('report.monthly', { session: morning, month: '2026-12' });
    expect(month.total.collectedFen).toBe(z.collectedFen + z2.collectedFen);
    // season collection: the receipts whose cheque cleared in full, the others' cash only
    const seasons = t.ctx.db
      .prepare(
        'SELECT coalesce(sum(amount_fen), 0) AS fen FROM daily_season_totals WHERE business_date = ?',
      )
      .get('2026-12-02') as { fen: number };
    expect(seasons.fen).toBe(counterClear.totalFen + hoClear.totalFen + 8_00 + 20_00);
    const collector = await t.must('report.collector', {
      session: morning,
      from: date,
      to: '2026-12-02',
    });
    expect(collector.total.collectedFen).toBe(month.total.collectedFen);

    // head office has the counter's decisions too, with no conflict; chains verify; rebuild == live
    await suite.sync(t);
    const hoReport = (await (await ho.admin('/v1/reports/cheques')).json()) as {
      rows: { receipt_id: string; status: string }[];
      conflicts: unknown[];
    };
    expect(hoReport.conflicts).toEqual([]);
    expect(
      Object.fromEntries(
        hoReport.rows
          .filter((r) =>
            [counterClear, counterBounce, hoClear, hoBounce].some((x) => x.id === r.receipt_id),
          )
          .map((r) => [r.receipt_id, r.status]),
      ),
    ).toEqual({
      [counterClear.id]: 'cleared',
      [counterBounce.id]: 'bounced',
      [hoClear.id]: 'cleared',
      [hoBounce.id]: 'bounced',
    });
    expect(await t.must('ledger.verify', { session: morning })).toMatchObject({ ok: true });
    const live = projectionSnapshot(t.ctx.db);
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
  });
});
