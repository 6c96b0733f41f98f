// The monthly report's collection rate per season is taken over the ADJUSTED charge (issue 8): a
// no-heat household owes the ratio, a reduction lowers the receivable, a back-charge raises it, the
// subsidy share stays receivable and counts as collected when the finance office pays it. The
// figures are checked against an oracle derived from the raw event rows and the master charges.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentTenths } from '@heating-cashier/core/fees';
import { noHeatChargeFen } from '@heating-cashier/core/heating-rules';
import { seasonAccounts } from '../../../src-main/features/households/accounts.store';
import { insertClerk } from '../../../src-main/features/session/clerks.store';
import { hashPin } from '../../../src-main/features/session/auth';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

const S1 = { supervisorCode: '9001', supervisorPin: '888888' };
const S2 = { supervisorCode: '9002', supervisorPin: '777777' };
const SEASON = 'S2026';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;

beforeAll(async () => {
  dir = tempDir('cashier-monthly-adj-');
  // 10 October 2026, 10:00 in Asia/Shanghai: before the no-heat deadline
  t = openTestTerminal(join(dir.dir, 'ledger.db'), {
    households: 40,
    clock: () => new Date('2026-10-10T02:00:00.000Z'),
  });
  insertClerk(t.ctx.db, {
    id: 'C9002',
    code: '9002',
    name: '赵经理',
    role: 'supervisor',
    pin_hash: hashPin('777777'),
  });
  session = await t.login();
});
afterAll(() => {
  t?.close();
  dir?.cleanup();
});

/** Oracle: per season, from master charges + raw events only (no projection, no service code). */
function oracle(seasonId: string) {
  const charges = t.ctx.db
    .prepare('SELECT household_id, charge_fen, paid_elsewhere_fen FROM charges WHERE season_id = ?')
    .all(seasonId) as { household_id: string; charge_fen: number; paid_elsewhere_fen: number }[];
  const events = (
    t.ctx.db.prepare('SELECT type, payload FROM events ORDER BY seq').all() as {
      type: string;
      payload: string;
    }[]
  ).map((e) => ({ type: e.type, p: JSON.parse(e.payload) as Record<string, unknown> }));
  const adj = new Map<string, number>();
  const add = (hh: unknown, fen: number) =>
    adj.set(hh as string, (adj.get(hh as string) ?? 0) + fen);
  let subsidyReceived = 0;
  for (const { type, p } of events) {
    if (p.seasonId !== seasonId) continue;
    if (type === 'noheat.applied' || type === 'noheat.resumed')
      add(p.householdId, p.adjustmentFen as number);
    if (type === 'relief.granted') add(p.householdId, -(p.amountFen as number));
    if (type === 'inspection.recorded') add(p.householdId, p.backChargeFen as number);
    if (type === 'subsidy.received') subsidyReceived += p.amountFen as number;
  }
  const voided = new Set(
    events.filter((e) => e.type === 'receipt.voided').map((e) => e.p.receiptId as string),
  );
  let counter = 0;
  for (const { type, p } of events) {
    if (type !== 'receipt.issued' || voided.has(p.receiptId as string)) continue;
    if ((p.tenders as { kind: string }[]).some((x) => x.kind === 'cheque')) continue;
    for (const l of p.lines as { seasonId: string; amountFen: number }[])
      if (l.seasonId === seasonId) counter += l.amountFen;
  }
  const raw = charges.reduce((s, c) => s + c.charge_fen, 0);
  const receivable = charges.reduce(
    (s, c) => s + Math.max(0, c.charge_fen + (adj.get(c.household_id) ?? 0)),
    0,
  );
  const collected =
    charges.reduce((s, c) => s + c.paid_elsewhere_fen, 0) + counter + subsidyReceived;
  return { raw, receivable, collected };
}

describe('monthly report over adjusted charges', () => {
  it('a no-heat household, a reduction, a back-charge and a subsidy change the receivable and the rate exactly', async () => {
    await t.must('rules.settings.set', {
      session,
      reliefApprovals: 2,
      noHeatRequiresArrearsCleared: false,
      advancePayment: false,
      ...S1,
    });
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const open = (
      t.ctx.db
        .prepare(
          `SELECT household_id AS id FROM charges WHERE season_id = ? AND paid_elsewhere_fen = 0
           AND charge_fen > 50000 ORDER BY household_id LIMIT 4`,
        )
        .all(SEASON) as { id: string }[]
    ).map((r) => r.id);
    const [noHeat, reduced, subsidised, inspected] = open as [string, string, string, string];
    const chargeOf = (h: string) =>
      (
        t.ctx.db
          .prepare('SELECT charge_fen FROM charges WHERE household_id = ? AND season_id = ?')
          .get(h, SEASON) as { charge_fen: number }
      ).charge_fen;
    const before = oracle(SEASON);
    const month = '2026-10';
    const report0 = await t.must('report.monthly', { session, month });
    const row0 = report0.seasons.find((s) => s.seasonCode === '2026-2027')!;
    expect(row0.receivableFen).toBe(before.raw); // nothing adjusted yet

    const nh = await t.must('noheat.apply', {
      session,
      householdId: noHeat,
      seasonId: SEASON,
      reason: '房屋空置',
    });
    expect(nh.onTime).toBe(true);
    expect(nh.noHeatChargeFen).toBe(noHeatChargeFen(chargeOf(noHeat), 50));
    await t.must('relief.grant', {
      session,
      householdId: reduced,
      seasonId: SEASON,
      kind: 'reduction',
      amountFen: 20_000,
      reason: '低保户',
      approvals: [S1, S2],
    });
    await t.must('inspection.record', {
      session,
      householdId: inspected,
      seasonId: SEASON,
      finding: '停供户私开阀门',
      drawingHeat: true,
      backChargeFen: 3_000,
      ...S1,
    });
    await t.must('subsidy.assign', {
      session,
      householdId: subsidised,
      seasonId: SEASON,
      shareFen: 10_000,
      reason: '财政补贴',
      ...S1,
    });
    await t.must('subsidy.receive', {
      session,
      householdId: subsidised,
      seasonId: SEASON,
      amountFen: 4_000,
      reference: 'CZ-2026-001',
    });
    // the no-heat household pays its (halved) season at the counter; another pays part by cash
    const nhOwed = seasonAccounts(t.ctx.db, noHeat).reduce((s, a) => s + a.balanceFen, 0);
    for (const [h, fen] of [
      [noHeat, nhOwed],
      [reduced, 15_000],
    ] as const)
      await t.must('payment.take', {
        session,
        requestId: randomUUID(),
        householdId: h,
        amountFen: fen,
        tenders: [{ kind: 'cash', amountFen: fen, tenderedFen: fen }],
      });

    const o = oracle(SEASON);
    // the receivable moved by exactly the adjustments (subsidy share stays receivable)
    expect(o.receivable).toBe(
      before.raw - (chargeOf(noHeat) - noHeatChargeFen(chargeOf(noHeat), 50)) - 20_000 + 3_000,
    );
    const report = await t.must('report.monthly', { session, month });
    const row = report.seasons.find((s) => s.seasonCode === '2026-2027')!;
    expect(row.receivableFen).toBe(o.receivable);
    expect(row.collectedFen).toBe(o.collected);
    expect(row.outstandingFen).toBe(Math.max(0, o.receivable - o.collected));
    const rate = percentTenths(Math.min(o.collected, o.receivable), o.receivable);
    expect(row.collectionRateTenths).toBe(rate);
    // …and it is not the rate over the raw charges
    const rawRate = percentTenths(Math.min(o.collected, o.raw), o.raw);
    expect(rate).not.toBe(rawRate);
    expect(rate).toBeGreaterThan(rawRate);
    // the other seasons are untouched by these adjustments
    const older = oracle('S2025');
    expect(report.seasons.find((s) => s.seasonCode === '2025-2026')!.receivableFen).toBe(
      older.receivable,
    );
  });
});
