import { describe, expect, it } from 'vitest';
import { randomToken, uuidv7 } from '../../../src-main/ledger/ids';

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7, variant 10, the Unix ms in the first 48 bits', () => {
    const ms = Date.UTC(2026, 10, 26, 8, 30);
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms);
  });

  it('sorts in creation order, also within one millisecond and when the clock steps back', () => {
    const ms = Date.now() + 10_000;
    const ids = [uuidv7(ms), uuidv7(ms), uuidv7(ms), uuidv7(ms - 5), uuidv7(ms + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('counts up within one millisecond: 10 000 ids of the same ms keep their order and its timestamp', () => {
    const ms = Date.now() + 15_000;
    const ids = Array.from({ length: 10_000 }, () => uuidv7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((id) => parseInt(id.replace(/-/g, '').slice(0, 12), 16)))).toEqual(
      new Set([ms]),
    );
  });

  it('draws fresh random bits for every new millisecond, across refills of the random pool', () => {
    const base = Date.now() + 20_000;
    const tails = Array.from({ length: 2000 }, (_, i) => uuidv7(base + i).slice(15));
    expect(new Set(tails).size).toBe(tails.length);
    const zeroTails = tails.filter((t) => /^[0-9a-f]-?[89ab]0{3}-0{12}$/.test(t));
    expect(zeroTails).toEqual([]);
  });

  it('session tokens are 256-bit url-safe random strings', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });
});
