import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventHashFromText } from '../../../head-office/src/store';
import { parseHundredths } from '../../../head-office/src/import';
import { canonicalJson } from '@heating-cashier/core/canonical-json';
import { eventHash } from '@heating-cashier/core/hash-chain';
import { fullJitterDelay, seededRandom } from '../../../src-main/features/sync/backoff';

describe('head office hashes exactly like the terminal', () => {
  it('eventHashFromText == eventHash for arbitrary events', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 20 });
    fc.assert(
      fc.property(
        fc.record({
          seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          id: text,
          terminalId: text,
          type: text,
          occurredAt: text,
          businessDate: text,
          clerkId: fc.option(text, { nil: null }),
          prevHash: text,
          payload: fc.dictionary(
            text,
            fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)),
          ),
        }),
        (e) => {
          expect(eventHashFromText(canonicalJson(e.payload), e)).toBe(eventHash(e));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('full-jitter backoff', () => {
  it('stays within [0, min(cap, base·2^attempt)) and spreads', () => {
    const r = seededRandom(1);
    for (let attempt = 0; attempt < 40; attempt++) {
      const d = fullJitterDelay(attempt, 100, 60_000, r);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(60_000, 100 * 2 ** attempt));
    }
    const many = Array.from({ length: 1000 }, () => fullJitterDelay(10, 100, 60_000, r));
    expect(Math.min(...many)).toBeLessThan(6_000);
    expect(Math.max(...many)).toBeGreaterThan(54_000);
  });

  it('a seeded generator replays the same sequence', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});

describe('import amounts', () => {
  it('parses yuan and m² to hundredths without floating point', () => {
    expect(parseHundredths('85.23')).toBe(8523);
    expect(parseHundredths('1,234.5')).toBe(123450);
    expect(parseHundredths('￥0.07')).toBe(7);
    expect(parseHundredths('90')).toBe(9000);
    for (const bad of ['', '1.234', '-5', '1e3', 'abc', '85.2x'])
      expect(parseHundredths(bad)).toBeNull();
  });
});
