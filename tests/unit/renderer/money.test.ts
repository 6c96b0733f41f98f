// The renderer's formatter mirrors the domain's (the renderer may not import src-main/domain):
// the same hand-written cases, and random amounts must format and parse identically in both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as domain from '@heating-cashier/core/money';
import * as ui from '../../../src-renderer/format/money';

describe('renderer formatFen = domain formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [50, '¥0.50'],
    [100, '¥1.00'],
    [123_450, '¥1,234.50'],
    [99_999, '¥999.99'],
    [100_000, '¥1,000.00'],
    [123_456_789, '¥1,234,567.89'],
    [domain.MAX_FEN, '¥100,000,000.00'],
    [-5, '-¥0.05'],
    [-123_450, '-¥1,234.50'],
  ])('%s fen -> %s in both', (fen, text) => {
    expect(ui.formatFen(fen)).toBe(text);
    expect(domain.formatFen(fen)).toBe(text);
  });

  it('symbols', () => {
    for (const symbol of ['¥', '￥', ''] as const) {
      expect(ui.formatFen(123_450, symbol)).toBe(domain.formatFen(123_450, symbol));
    }
  });

  it.each([0.5, Number.NaN, Infinity, 2 ** 53])('throws on %s like the domain', (n) => {
    expect(() => ui.formatFen(n)).toThrow(RangeError);
    expect(() => domain.formatFen(n)).toThrow(RangeError);
  });

  it('same MAX_FEN', () => {
    expect(ui.MAX_FEN).toBe(domain.MAX_FEN);
  });

  it('agrees on random amounts, every symbol', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -domain.MAX_FEN, max: domain.MAX_FEN }),
        fc.constantFrom('¥' as const, '￥' as const, '' as const),
        (fen, symbol) => {
          expect(ui.formatFen(fen, symbol)).toBe(domain.formatFen(fen, symbol));
        },
      ),
    );
  });
});

describe('renderer parseYuanToFen = domain parseYuanToFen', () => {
  it.each([
    '12',
    '12.3',
    '12.34',
    '0.05',
    '0',
    '007',
    '1,234.50',
    '￥12.00',
    '¥ 12',
    '  12.5  ',
    '\u300012\u3000',
    '１２．３４',
    '100000000',
    '',
    '¥',
    '12.345',
    '-12',
    '+12',
    '1e3',
    '12.',
    '.5',
    '1,23',
    'abc',
    '12a',
    '12O.5',
    'NaN',
    '100000000.01',
    '99999999999999999999',
  ])('%j', (text) => {
    expect(ui.parseYuanToFen(text)).toBe(domain.parseYuanToFen(text));
  });

  it('agrees on random strings and on every formatted amount', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(ui.parseYuanToFen(text)).toBe(domain.parseYuanToFen(text));
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: domain.MAX_FEN }), (fen) => {
        expect(ui.parseYuanToFen(ui.fenToInput(fen))).toBe(fen);
      }),
    );
  });
});

describe('percent and area', () => {
  it.each([
    [0, '0.0%'],
    [5, '0.5%'],
    [375, '37.5%'],
    [1000, '100.0%'],
  ])('%s tenths -> %s', (tenths, text) => {
    expect(ui.formatPctTenths(tenths)).toBe(text);
  });
  it('area', () => {
    expect(ui.formatArea(8523)).toBe('85.23 m²');
  });
});
