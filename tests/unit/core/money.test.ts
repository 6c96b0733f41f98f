import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  fenToInput,
  formatArea,
  formatFen,
  isFen,
  MAX_FEN,
  parseYuanToFen,
} from '@heating-cashier/core/money';

describe('isFen', () => {
  it.each([0, 1, 123_456, MAX_FEN])('accepts %s', (n) => {
    expect(isFen(n)).toBe(true);
  });

  it.each([-1, 0.5, MAX_FEN + 1, Number.NaN, Infinity, '100', null, undefined, 10n])(
    'rejects %s',
    (n) => {
      expect(isFen(n)).toBe(false);
    },
  );
});

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [50, '¥0.50'],
    [100, '¥1.00'],
    [123_450, '¥1,234.50'],
    [99_999, '¥999.99'],
    [100_000, '¥1,000.00'],
    [123_456_789, '¥1,234,567.89'],
    [MAX_FEN, '¥100,000,000.00'],
    [-5, '-¥0.05'],
    [-123_450, '-¥1,234.50'],
  ])('%s fen -> %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('takes the full-width symbol for GBK printers, or none', () => {
    expect(formatFen(123_450, '￥')).toBe('￥1,234.50');
    expect(formatFen(123_450, '')).toBe('1,234.50');
    expect(formatFen(-5, '')).toBe('-0.05');
  });

  it.each([0.5, Number.NaN, Infinity, 2 ** 53])('throws on %s', (n) => {
    expect(() => formatFen(n)).toThrow(RangeError);
  });
});

describe('fenToInput and formatArea', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [123_450, '1234.50'],
    [MAX_FEN, '100000000.00'],
  ])('%s fen -> %j in an amount input', (fen, text) => {
    expect(fenToInput(fen)).toBe(text);
  });

  it('parses back to the same fen, for every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_FEN }), (fen) => {
        expect(parseYuanToFen(fenToInput(fen))).toBe(fen);
      }),
    );
  });

  it.each([
    [8523, '85.23 m²'],
    [5, '0.05 m²'],
    [123_456, '1,234.56 m²'],
  ])('%s hundredths of m² -> %s', (hundredths, text) => {
    expect(formatArea(hundredths)).toBe(text);
  });

  it('throws on a non-integer like formatFen', () => {
    expect(() => fenToInput(0.5)).toThrow(RangeError);
    expect(() => formatArea(0.5)).toThrow(RangeError);
  });
});

describe('parseYuanToFen', () => {
  it.each([
    ['12', 1200],
    ['12.3', 1230],
    ['12.34', 1234],
    ['0.05', 5],
    ['0', 0],
    ['007', 700],
    ['1,234.50', 123_450],
    ['1,234,567.89', 123_456_789],
    ['￥12.00', 1200],
    ['¥12', 1200],
    ['¥ 12', 1200],
    ['  12.5  ', 1250],
    ['\u300012\u3000', 1200],
    ['１２．３４', 1234],
    ['￥１,２３４．５０', 123_450],
    ['100000000', MAX_FEN],
    ['100,000,000.00', MAX_FEN],
    ['0000000000012', 1200],
  ])('%j -> %s', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each([
    '',
    '   ',
    '¥',
    '12.345',
    '-12',
    '+12',
    '1e3',
    '1E3',
    '0x10',
    '12.',
    '.5',
    '1,23',
    '12,34.5',
    ',123',
    '1 234',
    '12..3',
    'abc',
    '12a',
    'NaN',
    'Infinity',
    '100000000.01',
    '100,000,001',
    '99999999999999999999',
    '¥¥12',
    '12¥',
  ])('rejects %j', (text) => {
    expect(parseYuanToFen(text)).toBeNull();
  });

  it('round-trips every formatted amount, with each symbol', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_FEN }),
        fc.constantFrom('¥' as const, '￥' as const, '' as const),
        (fen, symbol) => {
          expect(parseYuanToFen(formatFen(fen, symbol))).toBe(fen);
        },
      ),
    );
  });

  it('round-trips small amounts too (where most receipts live)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (fen) => {
        expect(parseYuanToFen(formatFen(fen))).toBe(fen);
      }),
    );
  });

  it('never returns anything but null or valid fen, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const fen = parseYuanToFen(text);
        expect(fen === null || isFen(fen)).toBe(true);
      }),
    );
  });
});
