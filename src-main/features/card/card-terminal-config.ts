import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { openSerialChannel } from '../../devices/card-terminal/serial-channel';
import { ZvtCardTerminal } from '../../devices/card-terminal/zvt-driver';
import { attachCardTerminal, connectCardTerminal } from './card-payments';
import type { ServiceContext } from '../../services/context';
import type { Db } from '../../ledger/db';

/**
 * Card-terminal settings. Either `CASHIER_CARD_TERMINAL=/dev/ttyUSB0` (ZVT defaults: 9600 8N2,
 * password 000000, CNY) or `CASHIER_CARD_TERMINAL_CONFIG=/path/card-terminal.json` holding this
 * object. Without either, no terminal is attached (status "unavailable"; manual mode still works).
 */
export const cardTerminalSettings = z
  .object({
    path: z.string().min(1).max(200),
    baudRate: z.number().int().min(1200).max(115_200).default(9600),
    dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
    stopBits: z.union([z.literal(1), z.literal(2)]).default(2),
    parity: z.enum(['none', 'even', 'odd']).default('none'),
    password: z
      .string()
      .regex(/^\d{6}$/)
      .default('000000'),
    currency: z.number().int().min(1).max(999).default(156),
    t3Ms: z.number().int().min(100).max(60_000).default(5000),
    t4Ms: z.number().int().min(1000).max(600_000).default(180_000),
    /** How often an idle terminal is registered again (06 00) to see it is still there; 0 = never. */
    heartbeatMs: z.number().int().min(0).max(3_600_000).default(30_000),
  })
  .strict();
export type CardTerminalSettings = z.infer<typeof cardTerminalSettings>;

export function cardTerminalSettingsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CardTerminalSettings | null {
  const file = env.CASHIER_CARD_TERMINAL_CONFIG;
  if (file) {
    const parsed = cardTerminalSettings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(`card terminal settings in ${file} are invalid: ${parsed.error.message}`);
    return parsed.data;
  }
  const path = env.CASHIER_CARD_TERMINAL;
  if (!path || path === 'none' || path === 'manual') return null;
  return cardTerminalSettings.parse({
    path,
    ...(env.CASHIER_CARD_TERMINAL_BAUD ? { baudRate: Number(env.CASHIER_CARD_TERMINAL_BAUD) } : {}),
  });
}

/** The settings row `cardTerminal` (JSON of the object above), written by the supervisor's setup. */
export const CARD_TERMINAL_SETTING = 'cardTerminal';

export function cardTerminalSettingsFromDb(db: Db): CardTerminalSettings | null {
  let row: { value: string } | undefined;
  try {
    row = db.prepare('SELECT value FROM settings WHERE key = ?').get(CARD_TERMINAL_SETTING) as
      { value: string } | undefined;
  } catch {
    return null; // a ledger from before the settings table
  }
  if (!row || row.value === '' || row.value === 'null') return null;
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

/**
 * Where the card terminal comes from, first match wins: CASHIER_CARD_TERMINAL_CONFIG (JSON file),
 * CASHIER_CARD_TERMINAL (+ CASHIER_CARD_TERMINAL_BAUD), then the ledger's `settings` row
 * `cardTerminal`. `CASHIER_CARD_TERMINAL=none` switches a configured terminal off (manual mode).
 */
export function resolveCardTerminalSettings(
  db: Db,
  env: Record<string, string | undefined> = process.env,
): CardTerminalSettings | null {
  if (env.CASHIER_CARD_TERMINAL === 'none' || env.CASHIER_CARD_TERMINAL === 'manual') return null;
  return cardTerminalSettingsFromEnv(env) ?? cardTerminalSettingsFromDb(db);
}

/** Attaches the ZVT terminal to `ctx` and connects in the background (recovery is then offered). */
export function configureCardTerminal(
  ctx: ServiceContext,
  settings: CardTerminalSettings,
): ZvtCardTerminal {
  const driver = new ZvtCardTerminal({
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
  attachCardTerminal(ctx, driver, {
    currency: settings.currency,
    heartbeatMs: settings.heartbeatMs,
  });
  void connectCardTerminal(ctx);
  return driver;
}
