// Edge cases of the service KPIs (issue 22): no ratings is no score (not 0), exactly 10 minutes is
// within the limit, exactly 24 h is a response in time, halves round up, targets on exact fractions.
import { describe, expect, it } from 'vitest';
import {
  complaintsOf,
  errorRateOf,
  medianSeconds,
  roundHalfUp,
  satisfactionOf,
  serviceTimeOf,
} from '../../../src-main/features/service/kpis';
import { isOverdue, respondedInTime } from '../../../src-main/features/service/complaints';
import { ServiceClock } from '../../../src-main/features/service/service-clock';

const T0 = '2026-12-01T01:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

describe('satisfaction', () => {
  it('no ratings: no score and no verdict, never 0', () => {
    expect(satisfactionOf(new Map())).toEqual({
      ratings: 0,
      pointsTenths: null,
      targetPoints: 90,
      meetsTarget: null,
    });
  });
  it('mean on the 100-point scale in tenths, half up; the target on the exact mean', () => {
    // 5,5,4 → (100+100+80)/3 = 93.33… → 933
    expect(
      satisfactionOf(
        new Map([
          [5, 2],
          [4, 1],
        ]),
      ),
    ).toMatchObject({ pointsTenths: 933, meetsTarget: true });
    // 5,4 → 90.0 exactly: meets ≥ 90
    expect(
      satisfactionOf(
        new Map([
          [5, 1],
          [4, 1],
        ]),
      ),
    ).toMatchObject({ pointsTenths: 900, meetsTarget: true });
    // 5×3,4×3,3×1 → 600/7 = 85.714… → 857, not met
    expect(
      satisfactionOf(
        new Map([
          [5, 3],
          [4, 3],
          [3, 1],
        ]),
      ),
    ).toMatchObject({ pointsTenths: 857, meetsTarget: false });
  });
});

describe('service time', () => {
  it('exactly 10 minutes is within the limit, one millisecond more is not', () => {
    const k = serviceTimeOf([
      { startedAt: T0, issuedAt: at(600_000), ratedAt: null },
      { startedAt: T0, issuedAt: at(600_001), ratedAt: null },
    ]);
    expect(k).toMatchObject({ measured: 2, withinLimit: 1, shareTenths: 500, meetsTarget: false });
    expect(k.medianSeconds).toBe(600); // (600000 + 600001) / 2 ms = 600.0005 s → 600
  });
  it('nothing measured: no share, no median, no verdict', () => {
    expect(serviceTimeOf([])).toMatchObject({
      measured: 0,
      shareTenths: null,
      meetsTarget: null,
      medianSeconds: null,
      visits: 0,
      visitMedianSeconds: null,
    });
  });
  it('95 % exactly meets the target; the visit ends with the rating', () => {
    const spans = Array.from({ length: 20 }, (_, i) => ({
      startedAt: T0,
      issuedAt: at(i === 0 ? 700_000 : 60_000),
      ratedAt: i === 1 ? at(90_000) : null,
    }));
    expect(serviceTimeOf(spans)).toMatchObject({
      withinLimit: 19,
      shareTenths: 950,
      meetsTarget: true,
      medianSeconds: 60,
      visits: 1,
      visitMedianSeconds: 90,
    });
  });
  it('median: odd count takes the middle, even the mean of the two, in seconds half up', () => {
    expect(medianSeconds([3000, 1000, 2000])).toBe(2);
    expect(medianSeconds([1000, 2000])).toBe(2); // 1.5 s → 2
    expect(medianSeconds([1000, 1998])).toBe(1); // 1.499 s → 1
    expect(medianSeconds([])).toBeNull();
  });
});

describe('error rate', () => {
  it('basis points half up; < 0.5 % exactly is the target', () => {
    expect(errorRateOf({ receipts: 200, voids: 1, spoiled: 0, reprints: 0 })).toMatchObject({
      rateBp: 50,
      meetsTarget: false, // exactly 0.5 % is not below it
    });
    expect(errorRateOf({ receipts: 201, voids: 0, spoiled: 1, reprints: 0 })).toMatchObject({
      rateBp: 50, // 49.75 → 50 once rounded, but the exact rate is below 0.5 %
      meetsTarget: true,
    });
    expect(errorRateOf({ receipts: 0, voids: 0, spoiled: 2, reprints: 0 })).toMatchObject({
      rateBp: null,
      meetsTarget: null,
    });
  });
  it('roundHalfUp is exact for large integers', () => {
    expect(roundHalfUp(5, 10)).toBe(1);
    expect(roundHalfUp(4, 10)).toBe(0);
    expect(roundHalfUp(2 ** 52 + 1, 2)).toBe(2 ** 51 + 1);
  });
});

describe('complaints: the 24-hour response', () => {
  const DAY = 24 * 60 * 60 * 1000;
  it('a response at exactly 24 h is in time; 1 ms later is late', () => {
    expect(respondedInTime(T0, at(DAY))).toBe(true);
    expect(respondedInTime(T0, at(DAY + 1))).toBe(false);
  });
  it('unanswered: overdue only after 24 h', () => {
    expect(isOverdue(T0, null, new Date(Date.parse(T0) + DAY))).toBe(false);
    expect(isOverdue(T0, null, new Date(Date.parse(T0) + DAY + 1))).toBe(true);
    expect(isOverdue(T0, at(DAY + 1), new Date(Date.parse(T0) + DAY))).toBe(true);
  });
  it('counts, rates per 1,000 households in tenths of ‰, ≤ 2 ‰ meets', () => {
    const now = new Date(Date.parse(T0) + 2 * DAY);
    const k = complaintsOf(
      [
        { community: '幸福里', openedAt: T0, firstUpdateAt: at(DAY) },
        { community: '幸福里', openedAt: T0, firstUpdateAt: at(DAY + 1) },
        { community: '阳光苑', openedAt: T0, firstUpdateAt: null },
        { community: '阳光苑', openedAt: at(DAY + 60_000), firstUpdateAt: null },
      ],
      now,
      2000,
      (c) => (c === '幸福里' ? 1000 : 3000),
    );
    expect(k).toMatchObject({
      opened: 4,
      answeredInTime: 1,
      answeredLate: 1,
      overdue: 1,
      waiting: 1,
      ratePerMilleTenths: 20,
      meetsTarget: true, // 4 / 2000 = 2 ‰ exactly
    });
    expect(k.areas).toEqual([
      {
        community: '幸福里',
        households: 1000,
        complaints: 2,
        ratePerMilleTenths: 20,
        meetsTarget: true,
      },
      {
        community: '阳光苑',
        households: 3000,
        complaints: 2,
        ratePerMilleTenths: 7,
        meetsTarget: true,
      },
    ]);
  });
});

describe('the service clock', () => {
  it('starts at the account, keeps running on a reload, restarts for another household, stops at the receipt', () => {
    const c = new ServiceClock();
    c.open('K1', 'H1', new Date(T0));
    c.open('K1', 'H1', new Date(at(60_000)));
    expect(c.startOf('K1', 'H1')).toBe(T0);
    expect(c.startOf('K1', 'H2')).toBeUndefined();
    expect(c.startOf('K2', 'H1')).toBeUndefined();
    c.open('K1', 'H2', new Date(at(120_000)));
    expect(c.startOf('K1', 'H1')).toBeUndefined();
    expect(c.startOf('K1', 'H2')).toBe(at(120_000));
    c.stop('K1');
    expect(c.startOf('K1', 'H2')).toBeUndefined();
  });
});
