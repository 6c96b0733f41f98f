import { describe, expect, it } from 'vitest';
import {
  cashVarianceFen,
  countTotalFen,
  DENOMINATIONS_FEN,
  handInFen,
  varianceNeedsApproval,
} from '@heating-cashier/core/cash-count';

describe('countTotalFen', () => {
  it('sums pieces × face; a missing face counts as zero', () => {
    expect(countTotalFen({ '10000': 3, '50': 1, '10': 2 })).toEqual({ ok: true, value: 30_070 });
    expect(countTotalFen({})).toEqual({ ok: true, value: 0 });
  });

  it('refuses unknown faces, fractions and negatives', () => {
    expect(countTotalFen({ '300': 1 } as never).ok).toBe(false);
    expect(countTotalFen({ '100': 1.5 }).ok).toBe(false);
    expect(countTotalFen({ '100': -1 }).ok).toBe(false);
  });

  it('knows the eleven faces from ¥100 down to the fen coin ¥0.01', () => {
    expect(DENOMINATIONS_FEN).toEqual([10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1]);
  });

  it('counts fen change exactly: ¥78.11 from notes, jiao and fen coins', () => {
    const count = { '5000': 1, '2000': 1, '500': 1, '100': 3, '10': 1, '1': 1 } as const;
    expect(countTotalFen(count)).toEqual({ ok: true, value: 7_811 });
    expect(countTotalFen({ '5': 1, '2': 2 })).toEqual({ ok: true, value: 9 });
  });
});

describe('variance and hand-in', () => {
  it('variance is counted minus expected; approval only above the threshold', () => {
    expect(cashVarianceFen(10_050, 10_000)).toBe(50);
    expect(cashVarianceFen(9_900, 10_000)).toBe(-100);
    expect(varianceNeedsApproval(-100, 100)).toBe(false);
    expect(varianceNeedsApproval(-101, 100)).toBe(true);
  });

  it.each([
    [150_000, 20_000, 130_000],
    [20_000, 20_000, 0],
    [5_000, 20_000, 0],
  ])('counted %s with a float of %s hands in %s', (counted, float, handIn) => {
    expect(handInFen(counted, float)).toBe(handIn);
  });
});
