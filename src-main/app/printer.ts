import { EscPosPrinter } from '../devices/printer/printer';
import type { ServiceContext } from '../services/context';
import { attachPrintQueue, detachPrintQueue, printerSettings } from '../services/print-queue';

/**
 * Starts the print queue when a printer is configured: the settings row (supervisor screen,
 * `printer.settings.set`) or the env var CASHIER_PRINTER (tcp://host:9100, /dev/usb/lp0,
 * serial:/dev/ttyUSB0?baud=9600), which wins. Registers `ctx.status.printer` for the status bar.
 * Only long-running shells (host, Electron) call this; one-shot CLI calls leave jobs queued.
 */
export function startPrinting(
  ctx: ServiceContext,
  log: (message: string, data?: Record<string, unknown>) => void = () => {},
): { description: string | null; stop(): Promise<void> } {
  const settings = printerSettings(ctx.db);
  if (settings.interface === 'none') return { description: null, stop: async () => {} };
  attachPrintQueue(ctx, new EscPosPrinter({ interface: settings.interface }), { log });
  return { description: settings.interface, stop: () => detachPrintQueue(ctx) };
}
