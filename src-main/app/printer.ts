import type { ServiceContext } from '../services/context';
import { disablePrinting, enablePrinting } from '../features/printing/print-queue';

/**
 * Starts the print queue when a printer is configured — and follows settings changes without a
 * restart: the settings row (supervisor screen, `printer.settings.set`), which wins, or while
 * nothing is saved the env var CASHIER_PRINTER (tcp://host:9100, /dev/usb/lp0,
 * serial:/dev/ttyUSB0?baud=9600). Registers `ctx.status.printer` for the status bar.
 * Long-running shells (host, Electron) get this through startRuntime; one-shot CLI calls leave
 * jobs queued.
 */
export function startPrinting(
  ctx: ServiceContext,
  log: (message: string, data?: Record<string, unknown>) => void = () => {},
): { description: string | null; stop(): Promise<void> } {
  // With no printer yet, a later `printer.settings.set` (supervisor screen) starts printing.
  const description = enablePrinting(ctx, { log });
  return { description, stop: () => disablePrinting(ctx) };
}
