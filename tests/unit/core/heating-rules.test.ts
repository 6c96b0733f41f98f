import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateOldestFirst, totalOwed } from '@heating-cashier/core/allocation';
import {
  checkApprovals,
  checkNoHeatDeadline,
  daysBetween,
  earlyDiscountFen,
  lateFeeFen,
  noHeatChargeFen,
  noHeatCorrectionFen,
  planCreditTransfers,
  rerateAdjustmentFen,
  seasonPosition,
  verifyApprovals,
} from '@heating-cashier/core/heating-rules';

const TZ = 'Asia/Shanghai';
const fenArb = fc.integer({ min: 0, max: 10_000_000_000 });

describe('no-heat deadline (local time of the counter)', () => {
  it('23:59 local on the deadline day is on time, 00:00 the next day is late', () => {
    // Asia/Shanghai is UTC+8: 2026-10-15 23:59:59.999 local = 15:59:59.999Z
    expect(checkNoHeatDeadline(new Date('2026-10-15T15:59:00.000Z'), '2026-10-15', TZ).onTime).toBe(
      true,
    );
    expect(checkNoHeatDeadline(new Date('2026-10-15T15:59:59.999Z'), '2026-10-15', TZ).onTime).toBe(
      true,
    );
    const late = checkNoHeatDeadline(new Date('2026-10-15T16:00:00.000Z'), '2026-10-15', TZ);
    expect(late).toEqual({ onTime: false, localDate: '2026-10-16', deadline: '2026-10-15' });
    // 00:00 local on the deadline day itself is on time (still the 15th)
    expect(checkNoHeatDeadline(new Date('2026-10-14T16:00:00.000Z'), '2026-10-15', TZ).onTime).toBe(
      true,
    );
  });

  it('uses the counter zone, not UTC: 2026-10-15T20:00Z is already the 16th in Shanghai but the 15th in New York', () => {
    const t = new Date('2026-10-15T20:00:00.000Z');
    expect(checkNoHeatDeadline(t, '2026-10-15', TZ).onTime).toBe(false);
    expect(checkNoHeatDeadline(t, '2026-10-15', 'America/New_York').onTime).toBe(true);
  });

  it('no deadline configured: always on time', () => {
    expect(checkNoHeatDeadline(new Date('2030-01-01T00:00:00Z'), null, TZ).onTime).toBe(true);
  });

  it('property: on time ⇔ local date ≤ deadline, for any instant around the deadline', () => {
    fc.assert(
      fc.property(fc.integer({ min: -3 * 86_400_000, max: 3 * 86_400_000 }), (offset) => {
        const t = new Date(Date.parse('2026-10-15T16:00:00.000Z') + offset);
        const r = checkNoHeatDeadline(t, '2026-10-15', TZ);
        expect(r.onTime).toBe(offset < 0);
      }),
    );
  });
});

describe('no-heat ratio rounding (half up to the fen, integers only)', () => {
  it.each([
    [123457, 50, 61729], // 61728.5 → 61729
    [123456, 50, 61728],
    [1, 50, 1], // 0.5 → 1
    [3, 33, 1], // 0.99 → 1
    [100, 0, 0],
    [100, 100, 100],
    [10_000_000_000, 50, 5_000_000_000],
    [225_860, 50, 112_930],
  ])('%i fen × %i %% = %i fen', (charge, pct, expected) => {
    expect(noHeatChargeFen(charge, pct)).toBe(expected);
  });

  it('property: equals a BigInt reference and stays within [0, charge]', () => {
    fc.assert(
      fc.property(fenArb, fc.integer({ min: 0, max: 100 }), (charge, pct) => {
        const got = noHeatChargeFen(charge, pct);
        const exact = BigInt(charge) * BigInt(pct);
        const ref = Number((exact * 2n + 100n) / 200n); // floor(x/100 + 1/2)
        expect(got).toBe(ref);
        expect(got).toBeGreaterThanOrEqual(0);
        expect(got).toBeLessThanOrEqual(charge);
      }),
    );
  });

  it('refuses non-integers and out-of-range ratios', () => {
    expect(() => noHeatChargeFen(1.5, 50)).toThrow(RangeError);
    expect(() => noHeatChargeFen(100, 101)).toThrow(RangeError);
    expect(() => noHeatChargeFen(-1, 50)).toThrow(RangeError);
  });

  it('re-rate on no-heat: base delta + no-heat correction = ratio × new − ratio × old', () => {
    fc.assert(
      fc.property(fenArb, fenArb, fc.integer({ min: 0, max: 100 }), (a, b, pct) => {
        expect(b - a + noHeatCorrectionFen(a, b, pct)).toBe(rerateAdjustmentFen(a, b, pct));
        expect(rerateAdjustmentFen(a, b, null)).toBe(b - a);
      }),
    );
  });
});

describe('late fee (daily rate after a date, capped)', () => {
  const rule = { startsAfter: '2026-12-31', dailyPermyriad: 5, capPct: 10 };
  it('nothing on or before the start date, then balance × 0.05 % × days', () => {
    expect(lateFeeFen(100_000, rule, '2026-12-31')).toBe(0);
    expect(lateFeeFen(100_000, rule, '2026-12-01')).toBe(0);
    expect(lateFeeFen(100_000, rule, '2027-01-01')).toBe(50);
    expect(lateFeeFen(100_000, rule, '2027-01-10')).toBe(500);
    expect(lateFeeFen(33_333, rule, '2027-01-01')).toBe(17); // 16.6665 → 17
  });
  it('is capped at capPct of the balance', () => {
    // 200 days × 0.05 % = 10 %: exactly the cap; after that it stays there
    expect(lateFeeFen(100_000, rule, daysAfter('2026-12-31', 200))).toBe(10_000);
    expect(lateFeeFen(100_000, rule, daysAfter('2026-12-31', 400))).toBe(10_000);
    expect(lateFeeFen(0, rule, '2030-01-01')).toBe(0);
  });
  it('property: never above the cap, never negative, monotone in days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: -10, max: 2000 }),
        (balance, permyriad, capPct, days) => {
          const r = { startsAfter: '2026-12-31', dailyPermyriad: permyriad, capPct };
          const fee = lateFeeFen(balance, r, daysAfter('2026-12-31', days));
          const next = lateFeeFen(balance, r, daysAfter('2026-12-31', days + 1));
          const cap = Number((BigInt(balance) * BigInt(capPct) * 2n + 100n) / 200n);
          expect(fee).toBeGreaterThanOrEqual(0);
          expect(fee).toBeLessThanOrEqual(cap);
          expect(next).toBeGreaterThanOrEqual(fee);
          expect(Number.isSafeInteger(fee)).toBe(true);
        },
      ),
    );
  });
});

function daysAfter(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('dates and early discount', () => {
  it('daysBetween counts calendar days across month and year ends and leap days', () => {
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-03-01', '2027-02-28')).toBe(-1);
  });
  it('early discount: pct of the charge until the date (inclusive), 0 after', () => {
    const rule = { until: '2026-11-30', pct: 5 };
    expect(earlyDiscountFen(225_860, rule, '2026-11-30')).toBe(11_293);
    expect(earlyDiscountFen(225_861, rule, '2026-11-01')).toBe(11_293); // 11293.05
    expect(earlyDiscountFen(225_860, rule, '2026-12-01')).toBe(0);
  });
});

describe('approvals: N distinct supervisors', () => {
  it('default 2: one is not enough, the same one twice is refused, two distinct pass', () => {
    expect(checkApprovals(['S1'], 2)).toMatchObject({
      ok: false,
      reason: 'NOT_ENOUGH',
      distinct: 1,
    });
    expect(checkApprovals(['S1', 'S1'], 2)).toMatchObject({ ok: false, reason: 'DUPLICATE' });
    expect(checkApprovals(['S2', 'S1'], 2)).toEqual({ ok: true, approvers: ['S1', 'S2'] });
    expect(checkApprovals(['S1'], 1).ok).toBe(true);
  });
  it('property: ok ⇔ all distinct and at least N', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('A', 'B', 'C', 'D'), { maxLength: 6 }),
        fc.integer({ min: 1, max: 5 }),
        (ids, n) => {
          const ok = new Set(ids).size === ids.length && ids.length >= n;
          expect(checkApprovals(ids, n).ok).toBe(ok);
        },
      ),
    );
  });
});

describe('head office re-verifies approvals against its clerks master data', () => {
  const master = new Map([
    ['A', { role: 'supervisor', active: true }],
    ['B', { role: 'supervisor', active: true }],
    ['C', { role: 'supervisor', active: false }],
    ['K', { role: 'clerk', active: true }],
  ]);
  const dir = (id: string) => master.get(id);
  it('two distinct active supervisors pass; order does not matter', () => {
    expect(verifyApprovals(['B', 'A'], 2, dir)).toEqual({ ok: true, problems: [] });
  });
  it('names each approver that does not count, then the shortfall', () => {
    expect(verifyApprovals(['A', 'C'], 2, dir).problems).toEqual([
      { code: 'INACTIVE', approverId: 'C' },
      { code: 'NOT_ENOUGH', distinct: 1, required: 2 },
    ]);
    expect(verifyApprovals(['K', 'X'], 2, dir).problems).toEqual([
      { code: 'NOT_SUPERVISOR', approverId: 'K' },
      { code: 'UNKNOWN_APPROVER', approverId: 'X' },
      { code: 'NOT_ENOUGH', distinct: 0, required: 2 },
    ]);
  });
  it('the same supervisor twice is one approval and is flagged', () => {
    expect(verifyApprovals(['A', 'A'], 2, dir).problems).toEqual([
      { code: 'DUPLICATE' },
      { code: 'NOT_ENOUGH', distinct: 1, required: 2 },
    ]);
  });
  it('property: ok exactly when the distinct valid supervisors reach the requirement, no duplicates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('A', 'B', 'C', 'K', 'X'), { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (ids, required) => {
          const valid = new Set<string>(ids.filter((i) => i === 'A' || i === 'B'));
          const expected =
            new Set(ids).size === ids.length &&
            valid.size >= required &&
            ids.every((i) => valid.has(i));
          expect(verifyApprovals(ids, required, dir).ok).toBe(expected);
        },
      ),
    );
  });
});

describe('allocation with reductions and credit', () => {
  const seasonArb = fc.record({
    code: fc.integer({ min: 2015, max: 2030 }),
    charge: fc.integer({ min: 0, max: 5_000_000 }),
    adjustment: fc.integer({ min: -5_000_000, max: 1_000_000 }),
    paidElsewhere: fc.integer({ min: 0, max: 5_000_000 }),
    paidHere: fc.integer({ min: 0, max: 5_000_000 }),
  });
  const accountArb = fc.uniqueArray(seasonArb, { selector: (s) => s.code, maxLength: 6 });

  it('a reduction lowers the balance; a reduction after full payment becomes credit', () => {
    expect(
      seasonPosition({
        chargeFen: 100_000,
        adjustmentFen: -30_000,
        paidElsewhereFen: 0,
        paidHereFen: 0,
      }),
    ).toEqual({
      effectiveChargeFen: 70_000,
      balanceFen: 70_000,
      creditFen: 0,
    });
    expect(
      seasonPosition({
        chargeFen: 100_000,
        adjustmentFen: -50_000,
        paidElsewhereFen: 0,
        paidHereFen: 100_000,
      }),
    ).toEqual({
      effectiveChargeFen: 50_000,
      balanceFen: 0,
      creditFen: 50_000,
    });
    // a write-off can never make the charge negative
    expect(
      seasonPosition({ chargeFen: 100, adjustmentFen: -500, paidElsewhereFen: 0, paidHereFen: 0 })
        .effectiveChargeFen,
    ).toBe(0);
  });

  it('property: balance − credit = adjusted charge − paid; allocation over adjusted balances never pays a season past its adjusted charge', () => {
    fc.assert(
      fc.property(accountArb, fc.integer({ min: 1, max: 30_000_000 }), (seasons, amount) => {
        const balances = seasons.map((s) => {
          const pos = seasonPosition({
            chargeFen: s.charge,
            adjustmentFen: s.adjustment,
            paidElsewhereFen: s.paidElsewhere,
            paidHereFen: s.paidHere,
          });
          expect(pos.balanceFen - pos.creditFen).toBe(
            pos.effectiveChargeFen - s.paidElsewhere - s.paidHere,
          );
          expect(Math.min(pos.balanceFen, pos.creditFen)).toBe(0);
          return {
            seasonId: `S${s.code}`,
            seasonCode: `${s.code}-${s.code + 1}`,
            chargeFen: pos.effectiveChargeFen,
            balanceFen: pos.balanceFen,
          };
        });
        const owed = totalOwed(balances);
        const result = allocateOldestFirst(balances, amount);
        if (owed === 0 || amount > owed) {
          expect(result.ok).toBe(false);
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value.reduce((s, l) => s + l.amountFen, 0)).toBe(amount);
        for (const l of result.value) {
          const b = balances.find((x) => x.seasonId === l.seasonId)!;
          expect(l.amountFen).toBeLessThanOrEqual(b.balanceFen);
          expect(l.balanceAfterFen).toBe(b.balanceFen - l.amountFen);
        }
      }),
    );
  });

  it('property: credit transfers move at most what each side holds, and conserve the total', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            code: fc.integer({ min: 2015, max: 2030 }),
            balance: fc.integer({ min: 0, max: 1_000_000 }),
            credit: fc.integer({ min: 0, max: 1_000_000 }),
          }),
          { selector: (s) => s.code, maxLength: 6 },
        ),
        (raw) => {
          const seasons = raw.map((s) => ({
            seasonId: `S${s.code}`,
            seasonCode: String(s.code),
            balanceFen: s.credit > 0 ? 0 : s.balance,
            creditFen: s.credit,
          }));
          const transfers = planCreditTransfers(seasons);
          const totalCredit = seasons.reduce((a, s) => a + s.creditFen, 0);
          const totalDebt = seasons.reduce((a, s) => a + s.balanceFen, 0);
          const moved = transfers.reduce((a, t) => a + t.amountFen, 0);
          expect(moved).toBe(Math.min(totalCredit, totalDebt));
          for (const s of seasons) {
            const out = transfers
              .filter((t) => t.fromSeasonId === s.seasonId)
              .reduce((a, t) => a + t.amountFen, 0);
            const inn = transfers
              .filter((t) => t.toSeasonId === s.seasonId)
              .reduce((a, t) => a + t.amountFen, 0);
            expect(out).toBeLessThanOrEqual(s.creditFen);
            expect(inn).toBeLessThanOrEqual(s.balanceFen);
          }
          for (const t of transfers) expect(t.amountFen).toBeGreaterThan(0);
        },
      ),
    );
  });
});
