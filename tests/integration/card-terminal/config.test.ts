import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  resolveCardTerminal,
  resolveCardTerminalSettings,
} from '../../../src-main/features/card/card-terminal-config';
import { openTestTerminal, tempDir, type TestTerminal } from '../../support/terminal';

/** Where the host's card terminal comes from: the row saved on screen, then the shell's option, env file, env path. */
let tmp: ReturnType<typeof tempDir>;
let t: TestTerminal;
const setRow = (value: string | null) =>
  value === null
    ? t.ctx.db.prepare("DELETE FROM settings WHERE key = 'cardTerminal'").run()
    : t.ctx.db
        .prepare("INSERT OR REPLACE INTO settings (key, value) VALUES ('cardTerminal', ?)")
        .run(value);

beforeAll(() => {
  tmp = tempDir('card-config-');
  t = openTestTerminal(join(tmp.dir, 'l.db'), { households: 5 });
});
afterAll(() => {
  t.close();
  tmp.cleanup();
});

describe('card terminal settings', () => {
  it('nothing configured → no terminal', () => {
    setRow(null);
    expect(resolveCardTerminalSettings(t.ctx.db, {})).toBeNull();
  });

  it('the settings row gives the port with ZVT defaults (9600 8N2, CNY)', () => {
    setRow('{"path":"/dev/ttyUSB0","baudRate":19200}');
    expect(resolveCardTerminalSettings(t.ctx.db, {})).toMatchObject({
      path: '/dev/ttyUSB0',
      baudRate: 19200,
      dataBits: 8,
      stopBits: 2,
      parity: 'none',
      currency: 156,
      heartbeatMs: 30_000, // an idle terminal is asked every 30 s whether it is still there
    });
    setRow('{"path":"/dev/ttyUSB0","heartbeatMs":0}');
    expect(resolveCardTerminalSettings(t.ctx.db, {})?.heartbeatMs).toBe(0); // 0 = never
  });

  it('the row saved on screen wins over the environment; without it the environment is used', () => {
    setRow('{"path":"/dev/ttyUSB0"}');
    expect(
      resolveCardTerminalSettings(t.ctx.db, {
        CASHIER_CARD_TERMINAL: 'COM3',
        CASHIER_CARD_TERMINAL_BAUD: '9600',
      })?.path,
    ).toBe('/dev/ttyUSB0');
    expect(resolveCardTerminalSettings(t.ctx.db, { CASHIER_CARD_TERMINAL: 'none' })?.path).toBe(
      '/dev/ttyUSB0',
    );
    setRow('off'); // switched off on screen: manual entry only, whatever the environment says
    expect(resolveCardTerminal(t.ctx.db, { CASHIER_CARD_TERMINAL: 'COM3' })).toEqual({
      settings: null,
      source: 'screen',
    });
    setRow(null);
    expect(
      resolveCardTerminal(t.ctx.db, {
        CASHIER_CARD_TERMINAL: 'COM3',
        CASHIER_CARD_TERMINAL_BAUD: '19200',
      }),
    ).toMatchObject({ source: 'env', settings: { path: 'COM3', baudRate: 19200 } });
    expect(resolveCardTerminalSettings(t.ctx.db, { CASHIER_CARD_TERMINAL: 'none' })).toBeNull();
    // the shell's option (the host's --card-terminal) comes before the environment
    expect(resolveCardTerminal(t.ctx.db, { CASHIER_CARD_TERMINAL: 'COM3' }, null)).toEqual({
      settings: null,
      source: 'option',
    });
  });

  it('a bad row is refused with a message naming the setting', () => {
    setRow('{"path":"/dev/ttyUSB0","baudRate":"fast"}');
    expect(() => resolveCardTerminalSettings(t.ctx.db, {})).toThrow(/cardTerminal/);
    setRow('{"path":"/dev/ttyUSB0","heartbeatMs":-5}');
    expect(() => resolveCardTerminalSettings(t.ctx.db, {})).toThrow(/heartbeatMs/);
    setRow(null);
  });
});
