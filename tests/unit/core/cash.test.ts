import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { cashChangeFen } from '@heating-cashier/core/cash';
import { MAX_FEN } from '@heating-cashier/core/money';

describe('cashChangeFen', () => {
  it('returns the change', () => {
    expect(cashChangeFen(225_860, 230_000)).toEqual({ ok: true, value: 4_140 });
    expect(cashChangeFen(100, 100)).toEqual({ ok: true, value: 0 });
  });

  it('refuses a tender below the amount due', () => {
    expect(cashChangeFen(225_860, 200_000)).toEqual({
      ok: false,
      code: 'TENDERED_TOO_LOW',
      detail: { dueFen: 225_860, tenderedFen: 200_000, shortFen: 25_860 },
    });
  });

  it.each([
    [0.5, 100, 'NOT_INTEGER'],
    [100, Number.NaN, 'NOT_INTEGER'],
    [0, 100, 'NOT_POSITIVE'],
    [-100, 100, 'NOT_POSITIVE'],
    [100, 0, 'NOT_POSITIVE'],
    [100, MAX_FEN + 1, 'TOO_LARGE'],
  ])('due %s, tendered %s -> %s', (due, tendered, code) => {
    const result = cashChangeFen(due, tendered);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it('change + due = tendered', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_FEN }),
        fc.integer({ min: 1, max: MAX_FEN }),
        (due, tendered) => {
          const result = cashChangeFen(due, tendered);
          if (tendered < due) expect(result.ok).toBe(false);
          else expect(result).toEqual({ ok: true, value: tendered - due });
        },
      ),
    );
  });
});
