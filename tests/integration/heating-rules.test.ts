// Heating-fee rules on a real SQLite ledger file, through dispatch, with the terminal's injectable
// clock: no-heat before/after the deadline, reductions with N distinct supervisors, payments over
// adjusted charges, credit, household maintenance with re-rating, inspections, subsidies, advance
// payment, late fees; then rebuild == live and the chain verifies.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeChargeFen } from '@heating-cashier/core/fees';
import { noHeatChargeFen } from '@heating-cashier/core/heating-rules';
import { seasonAccounts } from '../../src-main/features/households/accounts.store';
import { insertClerk } from '../../src-main/features/session/clerks.store';
import { projectionSnapshot } from '../../src-main/ledger/projector';
import { rebuildProjections } from '../../src-main/ledger/rebuild';
import { configureSync } from '../../src-main/features/sync/sync-state.store';
import { hashPin } from '../../src-main/features/session/auth';
import { openTestTerminal, tempDir, type TestTerminal } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let t: TestTerminal;
let session: string;
let supSession: string;
let now = new Date('2026-10-15T15:59:00.000Z'); // 23:59 on 15 October in Asia/Shanghai
const S1 = { supervisorCode: '9001', supervisorPin: '888888' };
const S2 = { supervisorCode: '9002', supervisorPin: '777777' };

function at(iso: string) {
  now = new Date(iso);
}

interface Row {
  id: string;
}
/** Demo households by situation: no arrears on 2025-2026 and a 2026-2027 charge, or with arrears. */
function households(arrears: boolean, limit: number): string[] {
  return (
    t.ctx.db
      .prepare(
        `SELECT h.id FROM households h
         JOIN charges c1 ON c1.household_id = h.id AND c1.season_id = 'S2025'
         JOIN charges c2 ON c2.household_id = h.id AND c2.season_id = 'S2026'
         WHERE c2.paid_elsewhere_fen = 0 AND c2.charge_fen > 1000
           AND (c1.charge_fen - c1.paid_elsewhere_fen > 0) = ?
         ORDER BY h.id LIMIT ?`,
      )
      .all(arrears ? 1 : 0, limit) as Row[]
  ).map((r) => r.id);
}

const season = (householdId: string, seasonId: string) =>
  seasonAccounts(t.ctx.db, householdId).find((s) => s.seasonId === seasonId)!;
const owedRow = (householdId: string) =>
  (
    t.ctx.db.prepare('SELECT owed_fen FROM households WHERE id = ?').get(householdId) as {
      owed_fen: number;
    }
  ).owed_fen;

beforeAll(async () => {
  dir = tempDir('cashier-rules-');
  t = openTestTerminal(join(dir.dir, 'ledger.db'), { households: 300, clock: () => now });
  insertClerk(t.ctx.db, {
    id: 'C9002',
    code: '9002',
    name: '赵经理',
    role: 'supervisor',
    pin_hash: hashPin('777777'),
  });
  session = await t.login();
  supSession = await t.login('9001', '888888');
});
afterAll(() => {
  t.close();
  dir.cleanup();
});

describe('no-heat application (停供申请)', () => {
  let onTime: string;
  it('filed at 23:59 local on the deadline day: the season charge becomes 50 %, rounded half up', async () => {
    [onTime] = households(false, 1) as [string];
    const before = season(onTime, 'S2026');
    const r = await t.must('noheat.apply', {
      session,
      householdId: onTime,
      reason: '房屋空置',
      valveKey: 'K-0815',
    });
    expect(r).toMatchObject({
      seasonId: 'S2026',
      onTime: true,
      ratioPct: 50,
      lateApprovedBy: null,
    });
    expect(r.noHeatChargeFen).toBe(noHeatChargeFen(before.chargeFen, 50));
    const after = season(onTime, 'S2026');
    expect(after.chargeFen).toBe(r.noHeatChargeFen);
    expect(after.balanceFen).toBe(before.balanceFen - (before.chargeFen - r.noHeatChargeFen));
    expect(owedRow(onTime)).toBe(
      seasonAccounts(t.ctx.db, onTime).reduce((s, a) => s + a.balanceFen, 0),
    );
    const account = await t.must('household.account', { session, householdId: onTime });
    expect(account.household.flags.noHeat).toBe(true);
    // the valve lock is recorded in the service log: who, when, which key
    const valve = t.ctx.db
      .prepare("SELECT * FROM valve_operations WHERE household_id = ? AND action = 'lock'")
      .get(onTime) as { key_no: string; operator: string };
    expect(valve).toMatchObject({ key_no: 'K-0815', operator: '张丽' });
    const twice = await t.call('noheat.apply', { session, householdId: onTime, reason: '重复' });
    expect(twice.ok || twice.error.code).toBe('NO_HEAT_ALREADY');
  });

  it('at 00:00 local the next day it is refused with the deadline, unless a supervisor approves', async () => {
    at('2026-10-15T16:00:00.000Z');
    const [late] = households(false, 2).slice(1) as [string];
    const refused = await t.call('noheat.apply', {
      session,
      householdId: late,
      reason: '外出务工',
    });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('NO_HEAT_AFTER_DEADLINE');
    expect(refused.error.details).toMatchObject({ deadline: '2026-10-15', today: '2026-10-16' });
    expect(refused.error.message['zh-CN']).toContain('主管');
    const wrongPin = await t.call('noheat.apply', {
      session,
      householdId: late,
      reason: '外出务工',
      supervisorCode: '9001',
      supervisorPin: '000000',
    });
    expect(wrongPin.ok || wrongPin.error.code).toBe('BAD_CREDENTIALS');
    const approved = await t.must('noheat.apply', {
      session,
      householdId: late,
      reason: '外出务工',
      ...S1,
    });
    expect(approved).toMatchObject({ onTime: false, lateApprovedBy: '李主管' });
  });

  it('old arrears must be cleared first (configurable)', async () => {
    const [withArrears] = households(true, 1) as [string];
    const refused = await t.call('noheat.apply', {
      session,
      householdId: withArrears,
      reason: '空置',
      ...S1,
    });
    expect(refused.ok || refused.error.code).toBe('NO_HEAT_ARREARS_FIRST');
    await t.must('rules.settings.set', {
      session,
      reliefApprovals: 2,
      noHeatRequiresArrearsCleared: false,
      advancePayment: false,
      ...S1,
    });
    await t.must('noheat.apply', { session, householdId: withArrears, reason: '空置', ...S1 });
  });

  it('resume heating (恢复供热) restores the full charge and records the valve unlock', async () => {
    const [h] = households(false, 1) as [string];
    const r = await t.must('noheat.resume', {
      session,
      householdId: h,
      reason: '恢复入住',
      valveKey: 'K-0815',
    });
    const s = season(h, 'S2026');
    expect(s.chargeFen).toBe(s.baseChargeFen);
    expect(s.adjustmentFen).toBe(0);
    expect(r.chargeFen).toBe(s.baseChargeFen);
    expect(
      (await t.must('household.account', { session, householdId: h })).household.flags.noHeat,
    ).toBe(false);
    const again = await t.call('noheat.resume', { session, householdId: h, reason: 'x' });
    expect(again.ok || again.error.code).toBe('NO_HEAT_NOT_ACTIVE');
  });
});

describe('reductions (减免) and write-offs (核销) with distinct supervisors', () => {
  it('needs 2 distinct supervisors by default; works offline; then a payment of the rest settles the season', async () => {
    const [h] = households(true, 3).slice(2) as [string];
    const before = season(h, 'S2026');
    const base = {
      session,
      householdId: h,
      seasonId: 'S2026',
      kind: 'reduction',
      amountFen: 10_000,
      reason: '低保户',
    };
    const one = await t.call('relief.grant', { ...base, approvals: [S1] });
    expect(one.ok || one.error.code).toBe('APPROVALS_REQUIRED');
    const same = await t.call('relief.grant', { ...base, approvals: [S1, S1] });
    expect(same.ok || same.error.code).toBe('APPROVER_DUPLICATE');
    const clerkAsApprover = await t.call('relief.grant', {
      ...base,
      approvals: [S1, { supervisorCode: '1002', supervisorPin: '123456' }],
    });
    expect(clerkAsApprover.ok || clerkAsApprover.error.code).toBe('NOT_SUPERVISOR');
    const tooMuch = await t.call('relief.grant', {
      ...base,
      amountFen: before.balanceFen + 1,
      approvals: [S1, S2],
    });
    expect(tooMuch.ok || tooMuch.error.code).toBe('RELIEF_OVER_BALANCE');
    const ok = await t.must('relief.grant', { ...base, approvals: [S2, S1] });
    expect(ok.approvers.map((a) => a.name).sort()).toEqual(['李主管', '赵经理'].sort());
    expect(season(h, 'S2026').balanceFen).toBe(before.balanceFen - 10_000);
    // the event carries both approvers and the rule it was checked against (for head office)
    const ev = t.ctx.db
      .prepare("SELECT payload FROM events WHERE type = 'relief.granted' ORDER BY seq DESC LIMIT 1")
      .get() as { payload: string };
    expect(JSON.parse(ev.payload)).toMatchObject({
      approvers: ['C9001', 'C9002'],
      requiredApprovals: 2,
    });

    // write-off of the old season's arrears
    const old = season(h, 'S2025');
    await t.must('relief.grant', {
      session,
      householdId: h,
      seasonId: 'S2025',
      kind: 'write_off',
      amountFen: old.balanceFen,
      reason: '户主去世，无法追缴',
      approvals: [S1, S2],
    });
    expect(season(h, 'S2025').balanceFen).toBe(0);

    // paying what is left: allocation over the adjusted balances, % of the adjusted charge
    await t.must('shift.open', { session, openingFloatFen: 0 });
    const owed = (await t.must('household.account', { session, householdId: h })).owedFen;
    expect(owed).toBe(season(h, 'S2026').balanceFen);
    const receipt = await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: h,
      amountFen: owed,
      tenders: [{ kind: 'cash', amountFen: owed, tenderedFen: owed }],
    });
    expect(receipt.lines).toHaveLength(1);
    expect(receipt.lines[0]).toMatchObject({
      seasonId: 'S2026',
      amountFen: owed,
      chargeFen: before.chargeFen - 10_000,
    });
    expect(owedRow(h)).toBe(0);

    const rules = await t.must('household.rules', { session, householdId: h });
    expect(rules.adjustments.map((a) => [a.kind, a.amountFen])).toEqual([
      ['reduction', -10_000],
      ['write_off', -old.balanceFen],
    ]);
    const report = await t.must('report.relief', { session, from: '2026-10-01', to: '2026-10-31' });
    expect(report.totals.reduction).toBe(-10_000);
    expect(report.rows.find((r) => r.kind === 'write_off')?.approvedBy).toHaveLength(2);
  });

  it('the number of approvers is a setting (1 here)', async () => {
    await t.must('rules.settings.set', {
      session,
      reliefApprovals: 1,
      noHeatRequiresArrearsCleared: false,
      advancePayment: false,
      ...S1,
    });
    const [h] = households(false, 4).slice(3) as [string];
    await t.must('relief.grant', {
      session,
      householdId: h,
      seasonId: 'S2026',
      kind: 'reduction',
      amountFen: 1,
      reason: '尾差',
      approvals: [S1],
    });
  });
});

describe('credit from overpayment and no-heat after payment', () => {
  it('a no-heat application after a full payment leaves credit; credit.apply moves it to the arrears', async () => {
    const [h] = households(true, 6).slice(5) as [string];
    const s26 = season(h, 'S2026');
    const s25 = season(h, 'S2025');
    await t.must('payment.take', {
      session,
      requestId: randomUUID(),
      householdId: h,
      amountFen: s26.balanceFen,
      allocation: [{ seasonId: 'S2026', amountFen: s26.balanceFen }],
      tenders: [{ kind: 'cash', amountFen: s26.balanceFen, tenderedFen: s26.balanceFen }],
    });
    const nh = await t.must('noheat.apply', { session, householdId: h, reason: '空置', ...S1 });
    expect(nh.creditFen).toBe(s26.chargeFen - nh.noHeatChargeFen);
    const rules = await t.must('household.rules', { session, householdId: h });
    expect(rules.creditFen).toBe(nh.creditFen);
    const applied = await t.must('credit.apply', { session, householdId: h });
    const moved = Math.min(nh.creditFen, s25.balanceFen);
    expect(applied.transfers).toEqual([
      { fromSeasonId: 'S2026', toSeasonId: 'S2025', amountFen: moved },
    ]);
    expect(season(h, 'S2025').balanceFen).toBe(s25.balanceFen - moved);
    expect(season(h, 'S2026').creditFen).toBe(nh.creditFen - moved);
    const none = await t.call('credit.apply', { session, householdId: h });
    expect(none.ok || none.error.code).toBe('NO_CREDIT');
  });
});

describe('household maintenance at the counter', () => {
  it('phone by the clerk; owner change, area and personal fields need a supervisor; area re-rates open charges', async () => {
    const [h] = households(true, 8).slice(7) as [string];
    const phone = await t.must('household.update', {
      session,
      householdId: h,
      phone: '13800001234',
      reason: '户主来电更新',
    });
    expect(phone.changed).toEqual(['phone']);
    const same = await t.call('household.update', {
      session,
      householdId: h,
      phone: '13800001234',
      reason: 'x',
    });
    expect(same.ok || same.error.code).toBe('NOTHING_TO_CHANGE');
    const area = await t.call('household.update', {
      session,
      householdId: h,
      areaHundredths: 10_000,
      reason: '实测面积',
    });
    expect(area.ok || area.error.code).toBe('NOT_SUPERVISOR');
    const before25 = season(h, 'S2025');
    const current = (
      t.ctx.db.prepare('SELECT category FROM households WHERE id = ?').get(h) as {
        category: string;
      }
    ).category;
    const target = current === 'commercial' ? 'public' : 'commercial';
    const r = await t.must('household.update', {
      session,
      householdId: h,
      name: '新户主',
      areaHundredths: 10_000,
      category: target,
      occupation: '教师',
      workUnit: '第三中学',
      economicSituation: '一般',
      subsidyEligible: true,
      reason: '过户并实测面积',
      ...S1,
    });
    expect(r.changed.sort()).toEqual(
      [
        'areaHundredths',
        'category',
        'economicSituation',
        'name',
        'occupation',
        'subsidyEligible',
        'workUnit',
      ].sort(),
    );
    const rate26 = (
      t.ctx.db
        .prepare(
          "SELECT rate_fen_per_m2 AS r FROM rates WHERE season_id = 'S2026' AND category = ?",
        )
        .get(target) as { r: number }
    ).r;
    expect(season(h, 'S2026').chargeFen).toBe(computeChargeFen(10_000, rate26));
    if (before25.balanceFen > 0) {
      const rate25 = (
        t.ctx.db
          .prepare(
            "SELECT rate_fen_per_m2 AS r FROM rates WHERE season_id = 'S2025' AND category = ?",
          )
          .get(target) as { r: number }
      ).r;
      expect(season(h, 'S2025').chargeFen).toBe(computeChargeFen(10_000, rate25));
    }
    const found = await t.must('household.search', { session, query: '新户主' });
    expect(found.results.map((x) => x.id)).toContain(h);
    const asClerk = await t.must('household.rules', { session, householdId: h });
    expect(asClerk.personal).toBeNull();
    expect(asClerk.changes.map((c) => c.fields.length)).toEqual([1, 7]);
    const asSupervisor = await t.must('household.rules', { session: supSession, householdId: h });
    expect(asSupervisor.personal).toEqual({
      occupation: '教师',
      workUnit: '第三中学',
      economicSituation: '一般',
      subsidyEligible: true,
    });
  });

  it('re-rating a season on no-heat keeps it at ratio × the new base', async () => {
    const [h] = households(false, 1) as [string]; // resumed above; apply again (late, approved)
    await t.must('noheat.apply', { session, householdId: h, reason: '再次空置', ...S1 });
    await t.must('household.update', {
      session,
      householdId: h,
      areaHundredths: 12_345,
      reason: '实测',
      ...S1,
    });
    const cat = (
      t.ctx.db.prepare('SELECT category FROM households WHERE id = ?').get(h) as {
        category: string;
      }
    ).category;
    const rate = (
      t.ctx.db
        .prepare(
          "SELECT rate_fen_per_m2 AS r FROM rates WHERE season_id = 'S2026' AND category = ?",
        )
        .get(cat) as { r: number }
    ).r;
    const s = season(h, 'S2026');
    const rerated = t.ctx.db
      .prepare(
        "SELECT coalesce(sum(amount_fen), 0) FROM charge_adjustments WHERE household_id = ? AND season_id = 'S2026' AND kind = 'rerate'",
      )
      .pluck()
      .get(h) as number;
    expect(s.baseChargeFen + rerated).toBe(computeChargeFen(12_345, rate));
    expect(s.chargeFen).toBe(noHeatChargeFen(computeChargeFen(12_345, rate), 50));
  });
});

describe('inspection (稽查) and subsidies (财政补贴)', () => {
  it('an inspection is recorded by the clerk; the back-charge needs a supervisor', async () => {
    const [h] = households(false, 2).slice(1) as [string]; // on no-heat (late, approved)
    const before = season(h, 'S2026').balanceFen;
    const noApproval = await t.call('inspection.record', {
      session,
      householdId: h,
      finding: '私自开阀用热',
      drawingHeat: true,
      backChargeFen: 5000,
    });
    expect(noApproval.ok || noApproval.error.code).toBe('NOT_SUPERVISOR');
    await t.must('inspection.record', {
      session,
      householdId: h,
      finding: '入户检查，阀门完好',
      drawingHeat: false,
    });
    const r = await t.must('inspection.record', {
      session,
      householdId: h,
      finding: '私自开阀用热',
      drawingHeat: true,
      backChargeFen: 5000,
      ...S1,
    });
    expect(r.balanceFen).toBe(before + 5000);
    const rules = await t.must('household.rules', { session, householdId: h });
    expect(rules.inspections.map((i) => i.backChargeFen)).toEqual([0, 5000]);
  });

  it('the subsidy share is owed by the finance office, not the household, until it arrives', async () => {
    const [h] = households(false, 5).slice(4) as [string];
    const before = season(h, 'S2026');
    const share = Math.floor(before.chargeFen * 0.3);
    const a = await t.must('subsidy.assign', {
      session,
      householdId: h,
      seasonId: 'S2026',
      shareFen: share,
      reason: '低保补贴',
      ...S1,
    });
    expect(a.householdBalanceFen).toBe(before.balanceFen - share);
    const over = await t.call('subsidy.assign', {
      session,
      householdId: h,
      seasonId: 'S2026',
      shareFen: before.chargeFen + 1,
      reason: 'x',
      ...S1,
    });
    expect(over.ok || over.error.code).toBe('SUBSIDY_OVER_CHARGE');
    let report = await t.must('report.subsidy', { session });
    expect(report.rows.find((r) => r.householdId === h)).toMatchObject({
      shareFen: share,
      receivedFen: 0,
      outstandingFen: share,
    });
    const part = await t.must('subsidy.receive', {
      session,
      householdId: h,
      seasonId: 'S2026',
      amountFen: 1000,
      reference: '财拨2026-01',
    });
    expect(part.outstandingFen).toBe(share - 1000);
    const tooMuch = await t.call('subsidy.receive', {
      session,
      householdId: h,
      seasonId: 'S2026',
      amountFen: share,
      reference: 'x',
    });
    expect(tooMuch.ok || tooMuch.error.code).toBe('SUBSIDY_OVER_OUTSTANDING');
    await t.must('subsidy.receive', {
      session,
      householdId: h,
      seasonId: 'S2026',
      amountFen: share - 1000,
      reference: '财拨2026-02',
    });
    report = await t.must('report.subsidy', { session });
    expect(report.rows.find((r) => r.householdId === h)).toBeUndefined();
    expect(report.receivedInPeriod).toEqual([{ businessDate: '2026-10-16', amountFen: share }]);
    // the household's own balance is unchanged by the subsidy arriving
    expect(season(h, 'S2026').balanceFen).toBe(before.balanceFen - share);
    const lower = await t.call('subsidy.assign', {
      session,
      householdId: h,
      seasonId: 'S2026',
      shareFen: 1,
      reason: 'x',
      ...S1,
    });
    expect(lower.ok || lower.error.code).toBe('SUBSIDY_BELOW_RECEIVED');
  });
});

describe('seasons and rates, advance payment, late fee', () => {
  it('a supervisor sets up the next season; advance payment when enabled; then it is paid', async () => {
    const [h] = households(false, 7).slice(6) as [string];
    const off = await t.call('charge.assessAdvance', { session, householdId: h });
    expect(off.ok || off.error.code).toBe('ADVANCE_DISABLED');
    await t.must('rules.settings.set', {
      session,
      reliefApprovals: 2,
      noHeatRequiresArrearsCleared: true,
      advancePayment: true,
      ...S1,
    });
    // before 2026-2027 starts, it is the next season and its charge is already there
    const already = await t.call('charge.assessAdvance', { session, householdId: h });
    expect(already.ok || already.error.code).toBe('ADVANCE_ALREADY_ASSESSED');
    // after it ended (2027-04-01) no next season is set up yet
    at('2027-04-01T02:00:00.000Z');
    session = await t.login(); // a session lasts 12 hours
    const none = await t.call('charge.assessAdvance', { session, householdId: h });
    expect(none.ok || none.error.code).toBe('NO_NEXT_SEASON');
    const noPin = await t.call('rules.season.set', {
      session,
      seasonId: 'S2027',
      code: '2027-2028',
      startsOn: '2027-11-15',
      endsOn: '2028-03-15',
      rates: { residential: 2650, commercial: 3800, public: 3200 },
      supervisorCode: '9001',
      supervisorPin: '111111',
    });
    expect(noPin.ok || noPin.error.code).toBe('BAD_CREDENTIALS');
    const season27 = await t.must('rules.season.set', {
      session,
      seasonId: 'S2027',
      code: '2027-2028',
      startsOn: '2027-11-15',
      endsOn: '2028-03-15',
      noHeatDeadline: '2027-10-15',
      rates: { residential: 2650, commercial: 3800, public: 3200 },
      ...S1,
    });
    expect(season27).toMatchObject({
      noHeatRatioPct: 50,
      rules: { lateFee: null, earlyDiscount: null },
    });
    const assessed = await t.must('charge.assessAdvance', { session, householdId: h });
    const hh = t.ctx.db
      .prepare('SELECT area_hundredths AS a, category AS c FROM households WHERE id = ?')
      .get(h) as { a: number; c: 'residential' | 'commercial' | 'public' };
    expect(assessed).toMatchObject({
      seasonId: 'S2027',
      chargeFen: computeChargeFen(
        hh.a,
        { residential: 2650, commercial: 3800, public: 3200 }[hh.c],
      ),
    });
    const again = await t.call('charge.assessAdvance', { session, householdId: h });
    expect(again.ok || again.error.code).toBe('ADVANCE_ALREADY_ASSESSED');
    const rules = await t.must('rules.get', { session });
    expect(rules.seasons.map((s) => s.code)).toEqual(['2025-2026', '2026-2027', '2027-2028']);
  });

  it('late fee: off by default; once configured it accrues daily, capped, and can be booked once', async () => {
    const [h] = households(true, 12).slice(11) as [string];
    const off = await t.call('fee.assess', {
      session,
      householdId: h,
      seasonId: 'S2025',
      kind: 'late_fee',
    });
    expect(off.ok || off.error.code).toBe('FEE_RULE_OFF');
    await t.must('rules.season.set', {
      session,
      seasonId: 'S2025',
      code: '2025-2026',
      startsOn: '2025-11-15',
      endsOn: '2026-03-15',
      noHeatDeadline: '2025-10-15',
      rates: { residential: 2500, commercial: 3600, public: 3000 },
      lateFee: { startsAfter: '2026-03-15', dailyPermyriad: 5, capPct: 10 },
      ...S1,
    });
    const balance = season(h, 'S2025').balanceFen;
    const view = await t.must('household.rules', { session, householdId: h });
    // 2026-03-15 → 2027-04-01: 382 days × 0.05 % = 19.1 % > cap 10 %
    expect(view.lateFees.find((l) => l.seasonId === 'S2025')?.accruedFen).toBe(
      Math.round(balance / 10),
    );
    const r = await t.must('fee.assess', {
      session,
      householdId: h,
      seasonId: 'S2025',
      kind: 'late_fee',
    });
    expect(r.balanceFen).toBe(balance + Math.round(balance / 10));
    const twice = await t.call('fee.assess', {
      session,
      householdId: h,
      seasonId: 'S2025',
      kind: 'late_fee',
    });
    expect(twice.ok || twice.error.code).toBe('FEE_NOTHING_DUE');
  });

  it('when head office manages master data the counter cannot change seasons', async () => {
    configureSync(t.ctx.db, 'http://127.0.0.1:9', `hot_${'x'.repeat(40)}`);
    const r = await t.call('rules.season.set', {
      session,
      seasonId: 'S2027',
      code: '2027-2028',
      startsOn: '2027-11-15',
      endsOn: '2028-03-15',
      rates: { residential: 1, commercial: 1, public: 1 },
      ...S1,
    });
    expect(r.ok || r.error.code).toBe('MANAGED_BY_HEAD_OFFICE');
    expect((await t.must('rules.get', { session })).managedByHeadOffice).toBe(true);
  });
});

describe('ledger integrity', () => {
  it('every owed_fen equals the adjusted season balances; rebuild == live; the chain verifies', async () => {
    const mismatches = (
      t.ctx.db.prepare('SELECT id, owed_fen FROM households').all() as {
        id: string;
        owed_fen: number;
      }[]
    ).filter(
      (h) => h.owed_fen !== seasonAccounts(t.ctx.db, h.id).reduce((s, a) => s + a.balanceFen, 0),
    );
    expect(mismatches).toEqual([]);
    const live = projectionSnapshot(t.ctx.db);
    const owedLive = t.ctx.db
      .prepare('SELECT id, owed_fen, no_heat FROM households ORDER BY id')
      .all();
    rebuildProjections(t.ctx.db);
    expect(projectionSnapshot(t.ctx.db)).toEqual(live);
    expect(
      t.ctx.db.prepare('SELECT id, owed_fen, no_heat FROM households ORDER BY id').all(),
    ).toEqual(owedLive);
    expect(live.charge_adjustments!.length).toBeGreaterThan(10);
    const verify = await t.must('ledger.verify', { session });
    expect(verify).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it('an edited adjustment projection is caught by verify', async () => {
    t.ctx.db
      .prepare(
        `UPDATE season_adjustments SET adjust_fen = adjust_fen - 1
       WHERE (household_id, season_id) = (SELECT household_id, season_id FROM season_adjustments LIMIT 1)`,
      )
      .run();
    const verify = await t.must('ledger.verify', { session });
    expect(verify.ok).toBe(false);
    expect(verify.problem).toContain('season_adjustments');
  });
});
