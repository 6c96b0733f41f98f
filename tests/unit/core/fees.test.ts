import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { computeChargeFen, formatPercentTenths, percentTenths } from '@heating-cashier/core/fees';

function referenceCharge(area: number, rate: number): number {
  return Number((BigInt(area) * BigInt(rate) + 50n) / 100n);
}

function referencePercentTenths(part: number, whole: number): number {
  return Number((BigInt(part) * 2000n + BigInt(whole)) / (2n * BigInt(whole)));
}

describe('computeChargeFen', () => {
  it.each([
    [8_523, 2_650, 225_860], // 85.23 m² × ¥26.50 = ¥2,258.595 -> ¥2,258.60
    [10_000, 2_500, 250_000],
    [0, 2_500, 0],
    [8_523, 0, 0],
    [1, 49, 0], // 0.49 fen
    [1, 50, 1], // exactly 0.5 fen rounds up, not to even
    [1, 150, 2], // 1.5 -> 2
    [1, 250, 3], // 2.5 -> 3 (banker's rounding would give 2)
    [3, 50, 2], // 1.5 -> 2
    [1, 51, 1],
    [Number.MAX_SAFE_INTEGER, 1, 90_071_992_547_410],
  ])('area %s × rate %s -> %s fen', (area, rate, fen) => {
    expect(computeChargeFen(area, rate)).toBe(fen);
  });

  it('matches a BigInt reference for everyday areas and rates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (a, r) => {
          expect(computeChargeFen(a, r)).toBe(referenceCharge(a, r));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('matches a BigInt reference for products up to 2^52', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 26 }),
        fc.integer({ min: 0, max: 2 ** 26 }),
        (a, r) => {
          expect(computeChargeFen(a, r)).toBe(referenceCharge(a, r));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('rounds every exact .5 fen up, even where a float division would be inexact', () => {
    const maxQuotient = Math.floor((Number.MAX_SAFE_INTEGER - 50) / 100);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: maxQuotient }), (q) => {
        const area = q * 100 + 50;
        expect(computeChargeFen(area, 1)).toBe(q + 1);
        expect(computeChargeFen(area, 1)).toBe(referenceCharge(area, 1));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the reference just below the safe-integer ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MAX_SAFE_INTEGER - 1_000_000, max: Number.MAX_SAFE_INTEGER }),
        (a) => {
          expect(computeChargeFen(a, 1)).toBe(referenceCharge(a, 1));
        },
      ),
    );
  });

  it.each([
    [-1, 100],
    [100, -1],
    [0.5, 100],
    [100, 2.5],
    [Number.NaN, 1],
    [1, Infinity],
    [2 ** 27, 2 ** 27], // product 2^54 is not a safe integer
    [Number.MAX_SAFE_INTEGER, 2],
  ])('throws RangeError for area %s, rate %s', (a, r) => {
    expect(() => computeChargeFen(a, r)).toThrow(RangeError);
  });
});

describe('percentTenths', () => {
  it.each([
    [1, 3, 333],
    [2, 3, 667],
    [1, 1, 1000],
    [0, 5, 0],
    [0, 0, 0],
    [1, 2000, 1], // 0.05 % is exactly half a tenth: up
    [1, 2001, 0],
    [1, 8, 125], // 12.5 %
    [1, 16, 63], // 6.25 % -> 6.3 %
    [113_000, 225_860, 500], // 50.03 % -> 50.0 %
    [3, 2, 1500],
  ])('%s / %s -> %s tenths', (part, whole, tenths) => {
    expect(percentTenths(part, whole)).toBe(tenths);
  });

  it('matches a BigInt reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000_000 }),
        (p, w) => {
          expect(percentTenths(p, w)).toBe(referencePercentTenths(p, w));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it.each([
    [1, 0],
    [-1, 3],
    [1, -3],
    [0.5, 3],
  ])('throws RangeError for %s / %s', (p, w) => {
    expect(() => percentTenths(p, w)).toThrow(RangeError);
  });
});

describe('formatPercentTenths', () => {
  it.each([
    [333, '33.3%'],
    [667, '66.7%'],
    [453, '45.3%'],
    [1000, '100.0%'],
    [5, '0.5%'],
    [0, '0.0%'],
    [1500, '150.0%'],
    [-5, '-0.5%'],
  ])('%s -> %s', (t, text) => {
    expect(formatPercentTenths(t)).toBe(text);
  });

  it('prints 1/3 and 2/3 of a charge as 33.3% and 66.7%', () => {
    expect(formatPercentTenths(percentTenths(1, 3))).toBe('33.3%');
    expect(formatPercentTenths(percentTenths(2, 3))).toBe('66.7%');
  });

  it('throws on non-integers', () => {
    expect(() => formatPercentTenths(33.3)).toThrow(RangeError);
  });
});
