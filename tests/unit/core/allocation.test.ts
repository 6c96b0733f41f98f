import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { allocateExplicit, allocateOldestFirst, totalOwed } from '@heating-cashier/core/allocation';
import type { AllocationLine, SeasonBalance } from '@heating-cashier/core/allocation';
import { percentTenths } from '@heating-cashier/core/fees';
import { MAX_FEN } from '@heating-cashier/core/money';

function season(startYear: number, chargeFen: number, balanceFen: number): SeasonBalance {
  return {
    seasonId: `id-${(startYear * 7919) % 1000}`, // ids deliberately not in code order
    seasonCode: `${startYear}-${startYear + 1}`,
    chargeFen,
    balanceFen,
  };
}

const S2023 = season(2023, 200_000, 50_000);
const S2024 = season(2024, 210_000, 0);
const S2025 = season(2025, 225_860, 225_860);
const BALANCES = [S2025, S2023, S2024];

/** Seasons in random order, some fully paid, some with balance above charge (late fees). */
const balancesArb: fc.Arbitrary<SeasonBalance[]> = fc
  .uniqueArray(fc.integer({ min: 2000, max: 2040 }), { maxLength: 8 })
  .chain((years) =>
    fc.tuple(
      ...years.map((y) =>
        fc
          .tuple(
            fc.integer({ min: 0, max: 50_000_000 }),
            fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 50_000_000 })),
          )
          .map(([charge, balance]) => season(y, charge, balance)),
      ),
    ),
  );

function codeOf(id: string, balances: readonly SeasonBalance[]): SeasonBalance {
  const found = balances.find((b) => b.seasonId === id);
  if (found === undefined) throw new Error(`no season ${id}`);
  return found;
}

/** Invariants shared by both modes. */
function expectSoundAllocation(
  balances: readonly SeasonBalance[],
  lines: readonly AllocationLine[],
  amountFen: number,
): void {
  expect(lines.reduce((sum, l) => sum + l.amountFen, 0)).toBe(amountFen);
  expect(new Set(lines.map((l) => l.seasonId)).size).toBe(lines.length);
  for (const line of lines) {
    const s = codeOf(line.seasonId, balances);
    expect(s.balanceFen).toBeGreaterThan(0); // never touches a zero-balance season
    expect(line.amountFen).toBeGreaterThan(0);
    expect(line.amountFen).toBeLessThanOrEqual(s.balanceFen); // never over-allocates
    expect(line.seasonCode).toBe(s.seasonCode);
    expect(line.chargeFen).toBe(s.chargeFen);
    expect(line.balanceBeforeFen).toBe(s.balanceFen);
    expect(line.balanceAfterFen).toBe(s.balanceFen - line.amountFen);
    expect(line.partial).toBe(line.balanceAfterFen > 0);
    expect(line.pctTenths).toBe(s.chargeFen === 0 ? 0 : percentTenths(line.amountFen, s.chargeFen));
  }
  const codes = lines.map((l) => l.seasonCode);
  expect(codes).toEqual([...codes].sort());
}

describe('totalOwed', () => {
  it('sums balances', () => {
    expect(totalOwed(BALANCES)).toBe(275_860);
    expect(totalOwed([])).toBe(0);
  });

  it('throws on malformed balances (a caller bug, not clerk input)', () => {
    expect(() => totalOwed([season(2025, 100, -1)])).toThrow(RangeError);
    expect(() => totalOwed([season(2025, 100, 0.5)])).toThrow(RangeError);
    expect(() => totalOwed([S2025, S2025])).toThrow(RangeError);
  });
});

describe('allocateOldestFirst', () => {
  it('clears the oldest arrears first and reports the partial season', () => {
    const result = allocateOldestFirst(BALANCES, 163_000);
    expect(result).toEqual({
      ok: true,
      value: [
        {
          seasonId: S2023.seasonId,
          seasonCode: '2023-2024',
          amountFen: 50_000,
          chargeFen: 200_000,
          balanceBeforeFen: 50_000,
          balanceAfterFen: 0,
          partial: false,
          pctTenths: 250,
        },
        {
          seasonId: S2025.seasonId,
          seasonCode: '2025-2026',
          amountFen: 113_000,
          chargeFen: 225_860,
          balanceBeforeFen: 225_860,
          balanceAfterFen: 112_860,
          partial: true,
          pctTenths: 500,
        },
      ],
    });
  });

  it('stops inside the oldest season when the amount is small', () => {
    const result = allocateOldestFirst(BALANCES, 100);
    expect(result.ok && result.value.map((l) => [l.seasonCode, l.amountFen])).toEqual([
      ['2023-2024', 100],
    ]);
  });

  it('pays everything owed', () => {
    const result = allocateOldestFirst(BALANCES, 275_860);
    expect(result.ok && result.value.every((l) => !l.partial)).toBe(true);
  });

  it.each([
    [0, 'NOT_POSITIVE'],
    [-1, 'NOT_POSITIVE'],
    [0.5, 'NOT_INTEGER'],
    [Number.NaN, 'NOT_INTEGER'],
    [MAX_FEN + 1, 'TOO_LARGE'],
  ])('refuses amount %s with %s', (amount, code) => {
    const result = allocateOldestFirst(BALANCES, amount);
    expect(result.ok ? null : result.code).toBe(code);
  });

  it('refuses an overpayment and says how much is owed', () => {
    expect(allocateOldestFirst(BALANCES, 275_861)).toEqual({
      ok: false,
      code: 'OVERPAY',
      detail: { owedFen: 275_860 },
    });
  });

  it('refuses when nothing is owed', () => {
    expect(allocateOldestFirst([S2024], 100)).toEqual({ ok: false, code: 'NOTHING_OWED' });
    expect(allocateOldestFirst([], 100)).toEqual({ ok: false, code: 'NOTHING_OWED' });
  });

  it('property: sound, exact, and fills older seasons fully before newer ones', () => {
    fc.assert(
      fc.property(balancesArb, fc.double({ min: 0, max: 1, noNaN: true }), (balances, fraction) => {
        const owed = totalOwed(balances);
        fc.pre(owed > 0);
        const amount = Math.max(1, Math.min(owed, Math.ceil(owed * fraction)));
        const result = allocateOldestFirst(balances, amount);
        if (!result.ok) throw new Error(`unexpected ${result.code}`);
        const lines = result.value;
        expectSoundAllocation(balances, lines, amount);

        const last = lines[lines.length - 1];
        if (last === undefined) throw new Error('no lines for a positive amount');
        // every line but the last clears its season
        for (const line of lines.slice(0, -1)) expect(line.balanceAfterFen).toBe(0);
        // every owing season older than the last one touched is in the allocation
        const touched = new Set(lines.map((l) => l.seasonId));
        for (const b of balances) {
          if (b.balanceFen > 0 && b.seasonCode < last.seasonCode)
            expect(touched.has(b.seasonId)).toBe(true);
          if (b.seasonCode > last.seasonCode) expect(touched.has(b.seasonId)).toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('property: anything above the total owed is an overpayment', () => {
    fc.assert(
      fc.property(balancesArb, fc.integer({ min: 1, max: 1_000_000 }), (balances, extra) => {
        const owed = totalOwed(balances);
        const result = allocateOldestFirst(balances, owed + extra);
        expect(result).toEqual(
          owed === 0
            ? { ok: false, code: 'NOTHING_OWED' }
            : { ok: false, code: 'OVERPAY', detail: { owedFen: owed } },
        );
      }),
    );
  });

  it('does not depend on the order the seasons come in', () => {
    fc.assert(
      fc.property(balancesArb, fc.integer({ min: 1, max: 400_000_000 }), (balances, amount) => {
        const a = allocateOldestFirst(balances, amount);
        const b = allocateOldestFirst([...balances].reverse(), amount);
        expect(b).toEqual(a);
      }),
    );
  });
});

describe('allocateExplicit', () => {
  it('takes the clerk’s split and returns it oldest first', () => {
    const result = allocateExplicit(
      BALANCES,
      [
        { seasonId: S2025.seasonId, amountFen: 225_860 },
        { seasonId: S2023.seasonId, amountFen: 10_000 },
      ],
      235_860,
    );
    expect(
      result.ok && result.value.map((l) => [l.seasonCode, l.amountFen, l.partial, l.pctTenths]),
    ).toEqual([
      ['2023-2024', 10_000, true, 50],
      ['2025-2026', 225_860, false, 1000],
    ]);
  });

  const cases: [string, { seasonId: string; amountFen: number }[], number, string][] = [
    ['unknown season', [{ seasonId: 'nope', amountFen: 100 }], 100, 'UNKNOWN_SEASON'],
    [
      'duplicate season',
      [
        { seasonId: S2025.seasonId, amountFen: 100 },
        { seasonId: S2025.seasonId, amountFen: 100 },
      ],
      200,
      'DUPLICATE_SEASON',
    ],
    [
      'over a season balance',
      [{ seasonId: S2023.seasonId, amountFen: 50_001 }],
      50_001,
      'OVER_SEASON_BALANCE',
    ],
    [
      'a zero-balance season',
      [{ seasonId: S2024.seasonId, amountFen: 1 }],
      1,
      'OVER_SEASON_BALANCE',
    ],
    ['a zero line', [{ seasonId: S2023.seasonId, amountFen: 0 }], 100, 'NOT_POSITIVE'],
    ['a negative line', [{ seasonId: S2023.seasonId, amountFen: -5 }], 100, 'NOT_POSITIVE'],
    ['a fractional line', [{ seasonId: S2023.seasonId, amountFen: 1.5 }], 100, 'NOT_INTEGER'],
    [
      'lines short of the amount',
      [{ seasonId: S2023.seasonId, amountFen: 100 }],
      200,
      'ALLOCATION_SUM_MISMATCH',
    ],
    [
      'lines above the amount',
      [{ seasonId: S2023.seasonId, amountFen: 300 }],
      200,
      'ALLOCATION_SUM_MISMATCH',
    ],
    ['no lines', [], 200, 'ALLOCATION_SUM_MISMATCH'],
    [
      'a total above what is owed',
      [{ seasonId: S2023.seasonId, amountFen: 100 }],
      275_861,
      'OVERPAY',
    ],
    ['a zero amount', [], 0, 'NOT_POSITIVE'],
  ];
  it.each(cases)('refuses %s', (_name, lines, amount, code) => {
    const result = allocateExplicit(BALANCES, lines, amount);
    expect(result.ok ? null : result.code).toBe(code);
  });

  it('names the offending season', () => {
    expect(
      allocateExplicit(BALANCES, [{ seasonId: S2023.seasonId, amountFen: 50_001 }], 50_001),
    ).toEqual({
      ok: false,
      code: 'OVER_SEASON_BALANCE',
      detail: {
        index: 0,
        seasonId: S2023.seasonId,
        seasonCode: '2023-2024',
        balanceFen: 50_000,
        amountFen: 50_001,
      },
    });
    expect(allocateExplicit(BALANCES, [{ seasonId: S2023.seasonId, amountFen: 100 }], 200)).toEqual(
      {
        ok: false,
        code: 'ALLOCATION_SUM_MISMATCH',
        detail: { expectedFen: 200, actualFen: 100 },
      },
    );
  });

  it('refuses when nothing is owed', () => {
    expect(allocateExplicit([S2024], [], 100)).toEqual({ ok: false, code: 'NOTHING_OWED' });
  });

  it('property: any valid split is accepted exactly as given, sound and oldest first', () => {
    fc.assert(
      fc.property(
        balancesArb,
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (balances, picks, order) => {
          const lines = balances
            .map((b, i) => ({
              seasonId: b.seasonId,
              amountFen: (picks[i] ?? 0) % (b.balanceFen + 1),
              key: order[i] ?? 0,
            }))
            .filter((l) => l.amountFen > 0)
            .sort((x, y) => x.key - y.key)
            .map(({ seasonId, amountFen }) => ({ seasonId, amountFen }));
          const amount = lines.reduce((sum, l) => sum + l.amountFen, 0);
          fc.pre(amount > 0);
          const result = allocateExplicit(balances, lines, amount);
          if (!result.ok) throw new Error(`unexpected ${result.code}`);
          expectSoundAllocation(balances, result.value, amount);
          const asGiven = new Map(lines.map((l) => [l.seasonId, l.amountFen]));
          expect(new Map(result.value.map((l) => [l.seasonId, l.amountFen]))).toEqual(asGiven);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: a line above its season balance is always refused', () => {
    fc.assert(
      fc.property(
        balancesArb,
        fc.nat(),
        fc.integer({ min: 1, max: 1_000 }),
        (balances, pick, excess) => {
          fc.pre(balances.length > 0 && totalOwed(balances) > 0);
          const target = balances[pick % balances.length];
          if (target === undefined) return;
          const line = { seasonId: target.seasonId, amountFen: target.balanceFen + excess };
          const result = allocateExplicit(balances, [line], line.amountFen);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(['OVER_SEASON_BALANCE', 'OVERPAY']).toContain(result.code);
        },
      ),
    );
  });
});
