import { describe, it, expect } from 'vitest';
import { fail, ok } from '@heating-cashier/core/result';

describe('DomainResult helpers', () => {
  it('ok wraps a value', () => {
    expect(ok(42)).toEqual({ ok: true, value: 42 });
  });

  it('fail carries the code and, only when given, the detail', () => {
    expect(fail('OVERPAY')).toStrictEqual({ ok: false, code: 'OVERPAY' });
    expect(fail('OVERPAY', { owedFen: 100 })).toStrictEqual({
      ok: false,
      code: 'OVERPAY',
      detail: { owedFen: 100 },
    });
  });
});
