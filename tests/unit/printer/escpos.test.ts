import { describe, expect, it } from 'vitest';
import {
  canPrint,
  parseDrawerKick,
  parsePaperSensor,
  parseStatusBytes,
  printerState,
  UNREACHABLE,
} from '../../../src-main/devices/printer/escpos';

describe('DLE EOT status', () => {
  it.each([
    ['all clear', [0x12, 0x12, 0x12, 0x12], 'ready'],
    ['paper near end', [0x12, 0x12, 0x12, 0x1e], 'paper_near_end'],
    ['paper end', [0x1a, 0x32, 0x12, 0x72], 'paper_out'],
    ['cover open', [0x1a, 0x16, 0x12, 0x12], 'cover_open'],
    ['cover open and paper end: cover first', [0x1a, 0x36, 0x12, 0x72], 'cover_open'],
    ['cutter error', [0x1a, 0x52, 0x1a, 0x12], 'error'],
    ['offline without a cause', [0x1a, 0x12, 0x12, 0x12], 'offline'],
  ] as const)('%s', (_label, bytes, state) => {
    const status = parseStatusBytes(bytes);
    expect(printerState(status)).toBe(state);
  });

  it('an unreachable printer is offline and cannot print; near end still prints', () => {
    expect(printerState(UNREACHABLE)).toBe('offline');
    expect(canPrint('offline')).toBe(false);
    expect(canPrint('paper_near_end')).toBe(true);
    expect(canPrint('paper_out')).toBe(false);
  });

  it('GS r 1 paper sensor', () => {
    expect(parsePaperSensor(0x00)).toEqual({ paperEnd: false, paperNearEnd: false });
    expect(parsePaperSensor(0x03)).toEqual({ paperEnd: false, paperNearEnd: true });
    expect(parsePaperSensor(0x0c)).toEqual({ paperEnd: true, paperNearEnd: false });
  });
});

describe('drawer kick setting', () => {
  it('accepts ESC p and DLE DC4 pulses, refuses anything else', () => {
    expect(parseDrawerKick('1b 70 00 19 fa')).toEqual(Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]));
    expect(parseDrawerKick('1B:70:01:32:C8')?.[2]).toBe(1);
    expect(parseDrawerKick('10 14 01 00 05')).not.toBeNull();
    // node-thermal-printer's malformed `1b 70 00 1b 70 01` is refused
    expect(parseDrawerKick('1b 70 00 1b 70 01')).toBeNull();
    expect(parseDrawerKick('1d 56 00 00 00')).toBeNull();
    expect(parseDrawerKick('zz')).toBeNull();
  });
});
