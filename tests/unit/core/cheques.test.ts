import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateOldestFirst, type SeasonBalance } from '@heating-cashier/core/allocation';
import { chequeRestoration } from '@heating-cashier/core/cheques';

const balancesArb = fc
  .array(fc.integer({ min: 0, max: 900_000 }), { minLength: 1, maxLength: 5 })
  .map((owed) =>
    owed.map((b, i): SeasonBalance => ({
      seasonId: `S${2020 + i}`,
      seasonCode: `${2020 + i}-${2021 + i}`,
      chargeFen: 900_000,
      balanceFen: b,
    })),
  )
  .filter((bs) => bs.some((b) => b.balanceFen > 0));

function after(balances: SeasonBalance[], lines: { seasonId: string; amountFen: number }[]) {
  return balances.map((b) => ({
    ...b,
    balanceFen:
      b.balanceFen -
      lines.filter((l) => l.seasonId === b.seasonId).reduce((s, l) => s + l.amountFen, 0),
  }));
}

describe('chequeRestoration', () => {
  it('takes back the newest seasons first and never more than a line paid', () => {
    const lines = [
      { seasonId: 'S2024', amountFen: 100_00 },
      { seasonId: 'S2025', amountFen: 300_00 },
    ];
    expect(chequeRestoration(lines, [], 350_00)).toEqual([
      { seasonId: 'S2025', amountFen: 300_00 },
      { seasonId: 'S2024', amountFen: 50_00 },
    ]);
    // a second cheque of the same receipt continues where the first stopped
    expect(chequeRestoration(lines, [{ seasonId: 'S2025', amountFen: 300_00 }], 100_00)).toEqual([
      { seasonId: 'S2024', amountFen: 100_00 },
    ]);
    expect(() => chequeRestoration(lines, [], 400_01)).toThrow(RangeError);
    expect(() => chequeRestoration(lines, [], 0)).toThrow(RangeError);
    expect(() => chequeRestoration(lines, [], 1.5)).toThrow(RangeError);
  });

  it('property: bouncing cheques leaves the household exactly where paying only the rest would have (multi-season)', () => {
    fc.assert(
      fc.property(
        balancesArb,
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 10_000 }),
        (balances, payPermyriad, chequeWeights, cashWeight) => {
          const owed = balances.reduce((s, b) => s + b.balanceFen, 0);
          const amount = Math.max(1, Math.floor((owed * payPermyriad) / 10_000));
          // split the amount into cash + cheques by weights, every cheque > 0
          const weights = [cashWeight, ...chequeWeights];
          const sumW = weights.reduce((s, w) => s + w, 0);
          const parts = weights.map((w) => Math.floor((amount * w) / sumW));
          parts[parts.length - 1]! += amount - parts.reduce((s, p) => s + p, 0);
          const cash = parts[0]!;
          const cheques = parts.slice(1).filter((p) => p > 0);
          if (cheques.length === 0) return;
          const alloc = allocateOldestFirst(balances, amount);
          if (!alloc.ok) throw new Error(alloc.code);
          const lines = alloc.value.map((l) => ({ seasonId: l.seasonId, amountFen: l.amountFen }));
          const paid = after(balances, lines);
          // bounce every cheque, in order, accumulating what earlier bounces took back
          const restored: { seasonId: string; amountFen: number }[] = [];
          for (const c of cheques) {
            const r = chequeRestoration(lines, restored, c);
            expect(r.reduce((s, x) => s + x.amountFen, 0)).toBe(c);
            restored.push(...r);
          }
          const bounced = paid.map((b) => ({
            ...b,
            balanceFen:
              b.balanceFen +
              restored
                .filter((r) => r.seasonId === b.seasonId)
                .reduce((s, r) => s + r.amountFen, 0),
          }));
          // oracle: an oldest-first payment of the cash part only
          const expected =
            cash === 0
              ? balances
              : (() => {
                  const a = allocateOldestFirst(balances, cash);
                  if (!a.ok) throw new Error(a.code);
                  return after(balances, a.value);
                })();
          expect(bounced.map((b) => b.balanceFen)).toEqual(expected.map((b) => b.balanceFen));
          // a cheque paying the whole receipt is undone to the fen
          if (cash === 0) expect(bounced).toEqual(balances);
        },
      ),
      { numRuns: 500 },
    );
  });
});
