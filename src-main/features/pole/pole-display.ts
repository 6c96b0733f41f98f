// The pole display (客显) at the counter: follows the `customer.view` push event (the same view the
// customer display shows) and puts the amount under the right lamp — 总计 the payment's total,
// 收款 the cash tendered, 找零 the change — and clears when the counter is idle. It never stands in
// a payment's way: the bus hands it the view and returns, the driver writes on its own (one slot,
// latest view wins, write timeout), and a missing or stuck display is a state on its settings
// screen and a line in the log, never an error of the payment.
import { z } from 'zod';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import { poleBaudRate } from '@heating-cashier/core/contract/pole-commands';
import type { ComponentStatus, ParsedInput } from '@heating-cashier/core/contract/commands';
import {
  BLANK,
  contentText,
  POLE_DEFAULT_BAUD,
  type PoleContent,
} from '../../devices/pole-display/commands';
import { listSerialPorts } from '../../devices/card-terminal/serial-channel';
import {
  openPoleSerial,
  PoleDisplay,
  probePoleSerial,
  type PoleDisplayState,
} from '../../devices/pole-display/pole-display';
import { ServiceError, type ServiceContext } from '../../services/context';
import type { ClerkRow } from '../session/clerks.store';
import { readPoleSetting, writePoleSetting } from './pole.store';

export const poleSettings = z
  .object({
    enabled: z.boolean(),
    path: z.string().max(200),
    baudRate: poleBaudRate,
  })
  .strict();
export type PoleSettings = z.infer<typeof poleSettings>;

export const POLE_OFF: PoleSettings = { enabled: false, path: '', baudRate: POLE_DEFAULT_BAUD };

/** What the test button shows (总计 8888.88) before the display goes back to the counter's view. */
export const POLE_TEST_FEN = 888_888;

/**
 * The runtime's pole display: its settings in effect, the driver when enabled, and the content the
 * counter's views want now (the test button returns to it).
 */
export class PoleDisplaySlot {
  settings: PoleSettings = POLE_OFF;
  display: PoleDisplay | null = null;
  /** What the latest view asks for (BLANK before any). */
  wanted: PoleContent = BLANK;
  lastVersion = -1;
  /** How long the test amount stays before the display returns to the counter's view. */
  testHoldMs = 3000;
  /** Write timeout handed to the driver (tests shorten it). */
  writeTimeoutMs: number | undefined;
  private unsubscribe: (() => void) | null = null;
  private testTimer: NodeJS.Timeout | null = null;

  listen(unsubscribe: () => void): void {
    this.unsubscribe = unsubscribe;
  }

  holdTest(restore: () => void): void {
    if (this.testTimer) clearTimeout(this.testTimer);
    this.testTimer = setTimeout(() => {
      this.testTimer = null;
      restore();
    }, this.testHoldMs);
    this.testTimer.unref();
  }

  /** Stops following the views and lets go of the port. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.testTimer) clearTimeout(this.testTimer);
    this.testTimer = null;
    const display = this.display;
    this.display = null;
    await display?.close();
  }
}

/**
 * The counter's view → the LED: `paid` with change → 找零; an amount with cash tendered → 收款;
 * an amount (`account` / `payment` / `paid` without change) → 总计; otherwise (idle, an account
 * with no amount yet) blank.
 */
export function viewToContent(view: CustomerView): PoleContent {
  if (view.phase === 'idle') return BLANK;
  if (view.phase === 'paid' && view.changeFen !== null)
    return { lamp: 'change', amountFen: view.changeFen };
  if (view.phase !== 'paid' && view.amountFen !== null && view.tenderedFen !== null)
    return { lamp: 'collect', amountFen: view.tenderedFen };
  if (view.amountFen !== null) return { lamp: 'total', amountFen: view.amountFen };
  return BLANK;
}

/** The stored settings; none saved (or an unreadable row, logged) is "off". */
export function poleSettingsFromDb(ctx: ServiceContext): PoleSettings {
  const raw = readPoleSetting(ctx.db);
  if (raw === null) return POLE_OFF;
  try {
    const parsed = poleSettings.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // falls through
  }
  ctx.log?.('warn', 'pole display setting unreadable; display off', { value: raw });
  return POLE_OFF;
}

/** (Re)starts the pole display with `settings`: follows the push bus while enabled. */
export async function configurePole(ctx: ServiceContext, settings: PoleSettings): Promise<void> {
  const slot = ctx.runtime.pole;
  await slot.stop();
  slot.settings = settings;
  const display =
    settings.enabled && settings.path !== ''
      ? new PoleDisplay({
          open: () => openPoleSerial(settings),
          ...(slot.writeTimeoutMs !== undefined ? { writeTimeoutMs: slot.writeTimeoutMs } : {}),
          log: (level, message, data) =>
            ctx.log?.(level, message, { ...data, port: settings.path }),
        })
      : null;
  slot.display = display;
  // followed even while off, so a display switched on shows the counter's view at once
  slot.listen(
    ctx.runtime.push.subscribe((event, data) => {
      if (event !== 'customer.view') return;
      const view = data as CustomerView;
      if (view.version < slot.lastVersion) return; // an older view overtaken by a newer one
      slot.lastVersion = view.version;
      slot.wanted = viewToContent(view);
      display?.show(slot.wanted);
    }),
  );
  display?.show(slot.wanted, true);
}

const DETAIL = {
  absent: (p: string) => ({
    'zh-CN': `客显未连接（${p}）。请检查客显的串口线或 USB 转串口线和电源，然后点“测试”；收费不受影响。`,
    en: `The pole display is not connected (${p}). Check its cable or USB adapter and power, then press Test; payments go on.`,
  }),
  error: (p: string) => ({
    'zh-CN': `客显不接收数据（${p}）。请检查串口线和波特率（客显出厂一般为 2400），然后点“测试”；收费不受影响。`,
    en: `The pole display does not take data (${p}). Check the cable and the baud rate (usually 2400), then press Test; payments go on.`,
  }),
};

/**
 * The status bar's part (only while a display is switched on): working, not connected (offline)
 * or fault (error), with what to check.
 */
export function poleComponentStatus(ctx: ServiceContext): ComponentStatus | undefined {
  const status = ctx.runtime.pole.display?.status;
  if (!ctx.runtime.pole.settings.enabled || !status) return undefined;
  if (status.state === 'absent')
    return { state: 'offline', detail: DETAIL.absent(status.problem ?? '') };
  if (status.state === 'error')
    return { state: 'error', detail: DETAIL.error(status.problem ?? '') };
  return { state: 'ready', detail: null };
}

export async function poleView(ctx: ServiceContext) {
  const slot = ctx.runtime.pole;
  const status = slot.display?.status ?? null;
  const state: PoleDisplayState | 'off' = !slot.settings.enabled || !status ? 'off' : status.state;
  const problem = status?.problem ?? '';
  return {
    enabled: slot.settings.enabled,
    path: slot.settings.path,
    baudRate: slot.settings.baudRate,
    state,
    detail: state === 'absent' || state === 'error' ? DETAIL[state](problem) : null,
    shown:
      state === 'off' || !status?.shown
        ? null
        : {
            lamp: status.shown.lamp,
            amountFen: status.shown.lamp === 'off' ? null : status.shown.amountFen,
            text: contentText(status.shown),
          },
    ports: await listSerialPorts(),
  };
}

/**
 * Saves new settings. An enabled port is opened (and the display initialised) first; a port that
 * cannot be opened is refused with the OS's reason and the display keeps its old settings.
 */
export async function changePoleSettings(
  ctx: ServiceContext,
  supervisor: ClerkRow,
  input: ParsedInput<'pole.settings.set'>,
) {
  const next: PoleSettings = {
    enabled: input.enabled,
    path: input.path,
    baudRate: input.baudRate,
  };
  const previous = ctx.runtime.pole.settings;
  const running = ctx.runtime.pole.display;
  if (!next.enabled && running) {
    running.show(BLANK, true); // switched off: the LED does not keep the last amount
    await running.settled();
  }
  if (next.enabled) {
    await ctx.runtime.pole.stop(); // the running display holds the port (locked)
    try {
      await probePoleSerial(next);
    } catch (e) {
      await configurePole(ctx, previous);
      throw new ServiceError('POLE_PORT_UNAVAILABLE', {
        path: next.path,
        problem: e instanceof Error ? e.message : String(e),
      });
    }
  }
  writePoleSetting(ctx.db, JSON.stringify(next));
  ctx.log?.('info', 'pole display settings changed', { ...next, by: supervisor.code });
  await configurePole(ctx, next);
  await ctx.runtime.pole.display?.settled();
  return poleView(ctx);
}

/**
 * The test button: 总计 8888.88 now, the counter's view again after `testHoldMs`. Answers the
 * state after the write (`off` when no display is enabled: the screen says to save one first).
 */
export async function testPole(ctx: ServiceContext) {
  const slot = ctx.runtime.pole;
  const display = slot.display;
  if (!display) return poleView(ctx);
  display.show({ lamp: 'total', amountFen: POLE_TEST_FEN }, true);
  await display.settled();
  const view = await poleView(ctx);
  slot.holdTest(() => {
    if (slot.display === display) display.show(slot.wanted, true);
  });
  return view;
}
