import { readFileSync } from 'node:fs';
import { cardTerminalSettings } from '@heating-cashier/core/contract/card-commands';
import type { z } from 'zod';
import type { Localized } from '../../devices/card-terminal/port';
import { CardTerminalError } from '../../devices/card-terminal/port';
import { listSerialPorts, openSerialChannel } from '../../devices/card-terminal/serial-channel';
import { ZvtCardTerminal } from '../../devices/card-terminal/zvt-driver';
import {
  attachCardTerminal,
  cardTerminalStatus,
  connectCardTerminal,
  detachCardTerminal,
  whileCardTerminalIdle,
} from './card-payments';
import { ServiceError, type ServiceContext } from '../../services/context';
import type { Db } from '../../ledger/db';

/**
 * Card-terminal settings (the schema lives in the contract: the settings screen sends it). Where
 * they come from, first match wins (resolveCardTerminal):
 *   1. the settings saved on screen (F9 → 刷卡机设置; the ledger's `settings` row `cardTerminal`,
 *      JSON of the object, or `off` = no terminal, manual card entry only);
 *   2. what the shell passes (`openTerminal({ cardTerminal })`, the host's `--card-terminal`);
 *   3. `CASHIER_CARD_TERMINAL_CONFIG=/path/card-terminal.json` holding the object;
 *   4. `CASHIER_CARD_TERMINAL=/dev/ttyUSB0` (+ `CASHIER_CARD_TERMINAL_BAUD`; ZVT defaults: 9600 8N2,
 *      password 000000, CNY; `none` = no terminal).
 * Without any, no terminal is attached (status "unavailable"; manual mode still works). 2–4 are for
 * tests and IT; a clerk's PC uses what the supervisor saved on screen.
 */
export { cardTerminalSettings };
export type CardTerminalSettings = z.infer<typeof cardTerminalSettings>;
export type CardTerminalSource = 'screen' | 'option' | 'file' | 'env' | 'none';

export function cardTerminalSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CardTerminalSettings | null {
  return fromEnv(env).settings;
}

function fromEnv(env: Record<string, string | undefined>): {
  settings: CardTerminalSettings | null;
  source: CardTerminalSource;
} {
  const file = env.CASHIER_CARD_TERMINAL_CONFIG;
  if (file) {
    const parsed = cardTerminalSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`card terminal settings in ${file} are invalid: ${parsed.error.message}`);
    return { settings: parsed.data, source: 'file' };
  }
  const path = env.CASHIER_CARD_TERMINAL;
  if (!path) return { settings: null, source: 'none' };
  if (path === 'none' || path === 'manual') return { settings: null, source: 'env' };
  return {
    settings: cardTerminalSettings.parse({
      path,
      ...(env.CASHIER_CARD_TERMINAL_BAUD
        ? { baudRate: Number(env.CASHIER_CARD_TERMINAL_BAUD) }
        : {}),
    }),
    source: 'env',
  };
}

/** The settings row `cardTerminal` (JSON of the object above, or `off`), written by the settings screen. */
export const CARD_TERMINAL_SETTING = 'cardTerminal';
const OFF = 'off';

/** What the settings screen saved: settings, 'off' (manual entry only), or null (nothing saved). */
export function savedCardTerminal(db: Db): CardTerminalSettings | 'off' | null {
  let row: { value: string } | undefined;
  try {
    row = db.prepare('SELECT value FROM settings WHERE key = ?').get(CARD_TERMINAL_SETTING) as
      { value: string } | undefined;
  } catch {
    return null; // a ledger from before the settings table
  }
  if (!row || row.value === '' || row.value === 'null') return null;
  if (row.value === OFF) return OFF;
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    throw new Error(`card terminal setting "${CARD_TERMINAL_SETTING}" is not JSON: ${row.value}`);
  }
  const parsed = cardTerminalSettings.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `card terminal setting "${CARD_TERMINAL_SETTING}" is invalid: ${parsed.error.message}`,
    );
  return parsed.data;
}

export function cardTerminalSettingsFromDb(db: Db): CardTerminalSettings | null {
  const saved = savedCardTerminal(db);
  return saved === OFF ? null : saved;
}

/**
 * The card terminal to use and where that came from (see the module comment for the order).
 * `option`: what the shell passes (undefined = nothing; null = none).
 */
export function resolveCardTerminal(
  db: Db,
  env: Record<string, string | undefined> = process.env,
  option?: CardTerminalSettings | null,
): { settings: CardTerminalSettings | null; source: CardTerminalSource } {
  const saved = savedCardTerminal(db);
  if (saved !== null) return { settings: saved === OFF ? null : saved, source: 'screen' };
  if (option !== undefined) return { settings: option, source: 'option' };
  return fromEnv(env);
}

export function resolveCardTerminalSettings(
  db: Db,
  env: Record<string, string | undefined> = process.env,
): CardTerminalSettings | null {
  return resolveCardTerminal(db, env).settings;
}

/** The ZVT driver for these settings on a serial port (not connected). */
function zvtDriver(settings: CardTerminalSettings): ZvtCardTerminal {
  return new ZvtCardTerminal({
    open: () =>
      openSerialChannel({
        path: settings.path,
        baudRate: settings.baudRate,
        dataBits: settings.dataBits,
        stopBits: settings.stopBits,
        parity: settings.parity,
      }),
    password: settings.password,
    currency: settings.currency,
    timing: { t3Ms: settings.t3Ms, t4Ms: settings.t4Ms },
  });
}

/** Attaches the ZVT terminal to `ctx` and connects in the background (recovery is then offered). */
export function configureCardTerminal(
  ctx: ServiceContext,
  settings: CardTerminalSettings,
  source: CardTerminalSource = 'option',
): ZvtCardTerminal {
  const driver = zvtDriver(settings);
  attachZvt(ctx, driver, settings, source);
  void connectCardTerminal(ctx);
  return driver;
}

function attachZvt(
  ctx: ServiceContext,
  driver: ZvtCardTerminal,
  settings: CardTerminalSettings,
  source: CardTerminalSource,
): void {
  attachCardTerminal(ctx, driver, {
    currency: settings.currency,
    heartbeatMs: settings.heartbeatMs,
  });
  ctx.runtime.card.settings = settings;
  ctx.runtime.card.source = source;
}

/** Records how the terminal in use was configured when nothing is attached (none, manual only). */
export function noCardTerminal(ctx: ServiceContext, source: CardTerminalSource): void {
  ctx.runtime.card.settings = null;
  ctx.runtime.card.source = source;
}

// ---------------------------------------------------------------------------------------------
// the settings screen

const T = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

export async function cardPorts() {
  return { ports: await listSerialPorts() };
}

/** The env var or flag a terminal would come from if nothing were saved on screen (for the screen's note). */
function envFallback(env: Record<string, string | undefined>): string | null {
  if (env.CASHIER_CARD_TERMINAL_CONFIG)
    return `CASHIER_CARD_TERMINAL_CONFIG=${env.CASHIER_CARD_TERMINAL_CONFIG}`;
  if (env.CASHIER_CARD_TERMINAL) return `CASHIER_CARD_TERMINAL=${env.CASHIER_CARD_TERMINAL}`;
  return null;
}

export function cardSettingsView(
  ctx: ServiceContext,
  env: Record<string, string | undefined> = process.env,
) {
  const slot = ctx.runtime.card;
  const status = cardTerminalStatus(ctx);
  return {
    settings: slot.attached ? slot.settings : null,
    source: slot.source,
    status: { state: status.state, detail: status.detail ?? null },
    envFallback: slot.source === 'option' ? 'flag' : envFallback(env),
  };
}

/** A failed open or registration in the supervisor's words (ServiceError with what to check). */
function trialError(e: unknown, settings: CardTerminalSettings): ServiceError {
  if (e instanceof ServiceError) return e;
  if (e instanceof CardTerminalError) {
    if (e.code === 'REFUSED')
      return new ServiceError('CARD_TEST_REFUSED', { reason: e.message.slice(0, 160) });
    return new ServiceError('CARD_TEST_NO_ANSWER', {
      path: settings.path,
      baudRate: settings.baudRate,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new ServiceError('CARD_PORT_UNAVAILABLE', {
    path: settings.path,
    problem: message.slice(0, 160),
  });
}

/**
 * Opens the port of `settings` and registers (06 00). Only while no card transaction is open; a
 * terminal in use on the same port is closed for the trial and opened again after a failed one.
 * `keep`: on success the new driver replaces the one in use (returned attached); otherwise it is
 * closed again. On failure nothing changes.
 */
async function trial(
  ctx: ServiceContext,
  settings: CardTerminalSettings,
  keep: false | { commit(): void },
): Promise<{ terminalId: string | null; reopenOld: boolean }> {
  return whileCardTerminalIdle(ctx, async (current) => {
    const samePort = current !== null && ctx.runtime.card.settings?.path === settings.path;
    if (samePort) await current.close();
    const driver = zvtDriver(settings);
    let terminalId: string | null;
    try {
      ({ terminalId } = await driver.connect());
    } catch (e) {
      await driver.close().catch(() => undefined);
      throw Object.assign(trialError(e, settings), { reopenOld: samePort });
    }
    if (!keep) {
      await driver.close().catch(() => undefined);
      return { terminalId, reopenOld: samePort };
    }
    try {
      keep.commit(); // saved before the swap: a failed write leaves the terminal in use as it was
    } catch (e) {
      await driver.close().catch(() => undefined);
      throw Object.assign(e as Error, { reopenOld: samePort });
    }
    const old = detachCardTerminal(ctx);
    if (old && !samePort) await old.close().catch(() => undefined);
    attachZvt(ctx, driver, settings, 'screen');
    return { terminalId, reopenOld: false };
  });
}

/** Runs a trial; a terminal in use that was closed for it is connected again afterwards. */
async function runTrial(
  ctx: ServiceContext,
  settings: CardTerminalSettings,
  keep: false | { commit(): void },
) {
  try {
    const r = await trial(ctx, settings, keep);
    if (r.reopenOld) await connectCardTerminal(ctx).catch(() => undefined);
    return r.terminalId;
  } catch (e) {
    if ((e as { reopenOld?: boolean }).reopenOld)
      await connectCardTerminal(ctx).catch(() => undefined);
    throw e;
  }
}

function registered(terminalId: string | null): Localized {
  return terminalId
    ? T(
        `刷卡机已应答，签到成功（终端号 ${terminalId}）。`,
        `The card terminal answered and registered (terminal ID ${terminalId}).`,
      )
    : T('刷卡机已应答，签到成功。', 'The card terminal answered and registered.');
}

/** The screen's test button: registration with these settings, nothing saved or replaced. */
export async function testCardTerminal(ctx: ServiceContext, settings: CardTerminalSettings) {
  const terminalId = await runTrial(ctx, settings, false);
  return { terminalId, message: registered(terminalId) };
}

/**
 * Saves the screen's settings: a terminal must register first, then replaces the one in use
 * without a restart; `enabled: false` detaches the terminal (manual card entry only). Refused
 * while a card transaction is open; a port that fails changes nothing.
 */
export async function saveCardTerminal(
  ctx: ServiceContext,
  input: { enabled: boolean; settings?: CardTerminalSettings | undefined },
) {
  if (!input.enabled || !input.settings) {
    await whileCardTerminalIdle(ctx, async () => {
      const old = detachCardTerminal(ctx);
      await old?.close().catch(() => undefined);
      writeSetting(ctx.db, OFF);
      noCardTerminal(ctx, 'screen');
    });
    return {
      ...cardSettingsView(ctx),
      terminalId: null,
      message: T(
        '已保存：不使用联机刷卡机，银行卡收款用“手工刷卡登记”。',
        'Saved: no card terminal; card payments are entered manually.',
      ),
    };
  }
  const settings = input.settings;
  const terminalId = await runTrial(ctx, settings, {
    commit: () => writeSetting(ctx.db, JSON.stringify(settings)),
  });
  return { ...cardSettingsView(ctx), terminalId, message: registered(terminalId) };
}

function writeSetting(db: Db, value: string): void {
  db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(
    CARD_TERMINAL_SETTING,
    value,
  );
}
