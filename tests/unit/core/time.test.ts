import { describe, it, expect } from 'vitest';
import { businessDate, checkClock } from '@heating-cashier/core/time';

describe('businessDate', () => {
  it.each([
    ['2025-01-15T15:59:59.999Z', 'Asia/Shanghai', '2025-01-15'],
    ['2025-01-15T16:00:00.000Z', 'Asia/Shanghai', '2025-01-16'],
    ['2025-12-31T16:30:00.000Z', 'Asia/Shanghai', '2026-01-01'],
    ['2025-01-15T16:00:00.000Z', 'UTC', '2025-01-15'],
    ['2025-03-01T04:59:59.000Z', 'America/New_York', '2025-02-28'],
    ['2024-02-29T12:00:00.000Z', 'Asia/Urumqi', '2024-02-29'],
  ])('%s in %s is %s', (iso, zone, date) => {
    expect(businessDate(new Date(iso), zone)).toBe(date);
  });

  it('throws on an invalid date or zone', () => {
    expect(() => businessDate(new Date('nope'), 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => businessDate(new Date(0), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('checkClock', () => {
  const last = '2025-11-20T08:00:00.000Z';

  it('accepts anything when no time has been seen yet', () => {
    expect(checkClock('2001-01-01T00:00:00.000Z', null, 0)).toEqual({ ok: true, value: undefined });
  });

  it('accepts a clock at or after the high-water mark', () => {
    expect(checkClock(last, last, 0).ok).toBe(true);
    expect(checkClock('2025-11-20T08:00:00.001Z', last, 0).ok).toBe(true);
  });

  it('tolerates a small step back, within the tolerance', () => {
    expect(checkClock('2025-11-20T07:59:30.000Z', last, 30_000).ok).toBe(true);
  });

  it('refuses a clock that went back beyond the tolerance', () => {
    expect(checkClock('2025-11-20T07:59:29.999Z', last, 30_000)).toEqual({
      ok: false,
      code: 'CLOCK_BACKWARDS',
      detail: { lastIso: last, nowIso: '2025-11-20T07:59:29.999Z' },
    });
    expect(checkClock('2024-11-20T08:00:00.000Z', last, 60_000).ok).toBe(false);
  });

  it('compares instants, not strings, across offsets', () => {
    expect(checkClock('2025-11-20T16:00:00+08:00', last, 0).ok).toBe(true);
    expect(checkClock('2025-11-20T15:00:00+08:00', last, 0).ok).toBe(false);
  });

  it('throws on ambiguous or malformed input', () => {
    expect(() => checkClock('2025-11-20T08:00:00', last, 0)).toThrow(RangeError); // no zone
    expect(() => checkClock('yesterday', last, 0)).toThrow(RangeError);
    expect(() => checkClock(last, 'not a time', 0)).toThrow(RangeError);
    expect(() => checkClock(last, last, -1)).toThrow(RangeError);
    expect(() => checkClock(last, last, Number.NaN)).toThrow(RangeError);
  });
});

describe('businessDate reuse within a minute', () => {
  it('still turns over exactly at local midnight, however the calls are ordered', () => {
    const before = new Date('2026-11-26T15:59:59.999Z'); // 23:59:59.999 in Shanghai
    const after = new Date('2026-11-26T16:00:00.000Z'); // 00:00 next day
    expect(businessDate(before, 'Asia/Shanghai')).toBe('2026-11-26');
    expect(businessDate(after, 'Asia/Shanghai')).toBe('2026-11-27');
    expect(businessDate(before, 'Asia/Shanghai')).toBe('2026-11-26');
    expect(businessDate(after, 'Asia/Kolkata')).toBe('2026-11-26'); // 21:30 there
    expect(businessDate(new Date('2026-11-26T18:30:00.000Z'), 'Asia/Kolkata')).toBe('2026-11-27');
  });
});
