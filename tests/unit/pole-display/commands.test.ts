// The pole display's (客显) command set, byte for byte (sources in src-main/devices/pole-display/
// commands.ts): ESC @ = 1B 40, CLR = 0C, ESC s n = 1B 73 '0'–'4', ESC Q A <digits> CR.
import { describe, expect, it } from 'vitest';
import {
  amountText,
  encodeAmount,
  encodeBlank,
  encodeContent,
  encodeInit,
  POLE_OVERFLOW,
} from '../../../src-main/devices/pole-display/commands';
import { PoleDisplaySimulator } from '../../../src-main/devices/pole-display/simulator';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(..)/g, '$1 ').trim();

describe('pole display commands', () => {
  it('initialise is ESC @', () => {
    expect(hex(encodeInit())).toBe('1b 40');
  });

  it('blank is CLR and ESC s "0" (every lamp out)', () => {
    expect(hex(encodeBlank())).toBe('0c 1b 73 30');
    expect(hex(encodeContent({ lamp: 'off' }))).toBe('0c 1b 73 30');
  });

  it('total ¥1,500.00 under 总计: CLR, ESC s "2", ESC Q A "1500.00" CR', () => {
    expect(hex(encodeAmount('total', 150_000))).toBe(
      '0c 1b 73 32 1b 51 41 31 35 30 30 2e 30 30 0d',
    );
  });

  it('tendered ¥2,000.00 under 收款 (ESC s "3") and change ¥12.50 under 找零 (ESC s "4")', () => {
    expect(hex(encodeAmount('collect', 200_000))).toBe(
      '0c 1b 73 33 1b 51 41 32 30 30 30 2e 30 30 0d',
    );
    expect(hex(encodeAmount('change', 1250))).toBe('0c 1b 73 34 1b 51 41 31 32 2e 35 30 0d');
  });

  it('price lamp is ESC s "1"', () => {
    expect(hex(encodeAmount('price', 5))).toBe('0c 1b 73 31 1b 51 41 30 2e 30 35 0d');
  });

  it('formats whole fen exactly, two decimals, no grouping', () => {
    expect(amountText(0)).toBe('0.00');
    expect(amountText(1)).toBe('0.01');
    expect(amountText(10)).toBe('0.10');
    expect(amountText(100)).toBe('1.00');
    expect(amountText(123_456)).toBe('1234.56');
    expect(amountText(99_999_999)).toBe('999999.99'); // 8 digits: the largest the LED shows
  });

  it('an amount longer than 8 digits shows eight dashes, never a cut number', () => {
    expect(amountText(100_000_000)).toBe(POLE_OVERFLOW);
    expect(POLE_OVERFLOW).toBe('--------');
    expect(hex(encodeAmount('total', 123_456_789))).toBe(
      '0c 1b 73 32 1b 51 41 2d 2d 2d 2d 2d 2d 2d 2d 0d',
    );
  });

  it('refuses what is not whole fen ≥ 0', () => {
    expect(() => amountText(-1)).toThrow(RangeError);
    expect(() => amountText(1.5)).toThrow(RangeError);
    expect(() => amountText(Number.NaN)).toThrow(RangeError);
  });
});

describe('pole display simulator', () => {
  it('keeps the lamp and the number our bytes put on the LED', () => {
    const sim = new PoleDisplaySimulator();
    sim.feed(encodeInit());
    expect(sim.shown).toBe('(blank)');
    sim.feed(encodeAmount('total', 150_000));
    expect(sim.state).toEqual({ lamp: 'total', text: '1500.00' });
    expect(sim.shown).toBe('总计 1500.00');
    sim.feed(encodeAmount('change', 1250));
    expect(sim.shown).toBe('找零 12.50');
    sim.feed(encodeBlank());
    expect(sim.state).toEqual({ lamp: 'off', text: '' });
    expect(sim.errors).toEqual([]);
    expect(sim.commands.map((c) => c.kind)).toEqual([
      'init',
      ...['clear', 'lamp', 'number'],
      ...['clear', 'lamp', 'number'],
      ...['clear', 'lamp'],
    ]);
  });

  it('reports bytes outside the command set clearly and goes on', () => {
    const sim = new PoleDisplaySimulator();
    sim.feed(Uint8Array.of(0x41, 0x1b, 0x73, 0x04, 0x1b, 0x51, 0x41, 0x31, 0x2c, 0x1b, 0x21, 0x00));
    expect(sim.errors).toEqual([
      'byte 0x41 outside a command (offset 0)',
      "ESC s 0x04: the lamp must be '0'–'4' (0x30–0x34)",
      "ESC Q A: byte 0x2C is not a digit, '.' or '-'",
      'ESC 0x21 is no command of this display',
      'byte 0x00 outside a command (offset 11)',
    ]);
    sim.feed(encodeAmount('collect', 100));
    expect(sim.shown).toBe('收款 1.00');
  });

  it('refuses a number with more than 8 digits', () => {
    const sim = new PoleDisplaySimulator();
    sim.feed(Uint8Array.of(0x1b, 0x51, 0x41, ...Buffer.from('123456789'), 0x0d));
    expect(sim.errors).toEqual(['ESC Q A "123456789": 9 digits, the display has 8']);
  });
});
