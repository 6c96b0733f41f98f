import { createRequire } from 'node:module';
import type { ThermalPrinter } from 'node-thermal-printer';
import type * as SerialPortModule from 'serialport';
import { thermalPrinter } from './render';
import {
  dleEot,
  isStatusByte,
  parsePaperSensor,
  parseStatusBytes,
  UNREACHABLE,
  type PrinterStatus,
} from './escpos';

const requirePackage = createRequire(import.meta.url);
let serialportModule: typeof SerialPortModule | null = null;
/** serialport (its native binding), loaded when a serial printer is first used. */
const serialport = () =>
  (serialportModule ??= requirePackage('serialport') as typeof SerialPortModule);

/**
 * The Printer port: what the print queue needs from a receipt printer. The real adapter talks
 * ESC/POS through node-thermal-printer's interfaces (TCP, device path, or a custom interface
 * object — serial ports are wrapped as one); the virtual printer answers the same bytes on TCP.
 */
export interface PrinterPort {
  readonly description: string;
  /** DLE EOT 1..4. Never throws: an unreachable printer is `reachable: false`. */
  status(): Promise<PrinterStatus>;
  /** Sends one complete job (ending in GS r 1) and waits for the printer's acknowledgement. */
  print(job: Buffer): Promise<PrintOutcome>;
}

export type PrintOutcome =
  | { kind: 'printed'; paperNearEnd: boolean }
  /** Nothing reached the printer (connection refused / no route): retry as the original. */
  | { kind: 'not_sent'; reason: string }
  /** Some or all bytes may have printed: never retried silently, reprinted as 补打. */
  | { kind: 'unknown'; reason: string };

/** What node-thermal-printer calls an interface (its `interface` option accepts such an object). */
export interface ByteInterface {
  execute(buffer: Buffer, options?: { waitForResponse?: boolean }): Promise<unknown>;
  isPrinterConnected(): Promise<boolean>;
}

export interface PrinterConnection {
  /** `tcp://host:port`, a device path (`/dev/usb/lp0`), or `serial:/dev/ttyUSB0?baud=9600`. */
  interface: string;
  timeoutMs?: number;
}

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'ENOENT',
  'EACCES',
]);

function errorCode(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string')
    return e.code;
  return e instanceof Error ? e.message : String(e);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Object.assign(new Error(`${what} timed out`), { code: 'ETIMEDOUT' })),
      ms,
    );
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A serial printer as a node-thermal-printer custom interface (one open per job). */
export function serialInterface(path: string, baudRate: number, timeoutMs: number): ByteInterface {
  return {
    isPrinterConnected: async () => true,
    execute: (buffer, options = {}) =>
      new Promise((resolve, reject) => {
        const port = new (serialport().SerialPort)({ path, baudRate, autoOpen: false });
        const done = (err: Error | null, value?: Buffer) => {
          clearTimeout(timer);
          port.removeAllListeners('data');
          if (port.isOpen) port.close(() => {});
          if (err) reject(err);
          else resolve(value);
        };
        const timer = setTimeout(
          () => done(Object.assign(new Error('serial timeout'), { code: 'ETIMEDOUT' })),
          timeoutMs,
        );
        port.open((err) => {
          if (err) return done(Object.assign(err, { code: 'ENOENT' }));
          if (options.waitForResponse) port.once('data', (d: Buffer) => done(null, d));
          port.write(buffer, (werr) => {
            if (werr) return done(werr);
            port.drain(() => {
              if (!options.waitForResponse) done(null);
            });
          });
        });
      }),
  };
}

function interfaceFor(connection: PrinterConnection): string | ByteInterface {
  const serial = /^serial:([^?]+)(?:\?baud=(\d+))?$/.exec(connection.interface);
  if (serial) {
    return serialInterface(serial[1]!, Number(serial[2] ?? 9600), connection.timeoutMs ?? 5000);
  }
  return connection.interface;
}

/** The real adapter: ESC/POS over node-thermal-printer's transport. */
export class EscPosPrinter implements PrinterPort {
  readonly description: string;
  private readonly timeoutMs: number;
  private readonly canReply: boolean;
  private readonly iface: string | ByteInterface;

  constructor(private readonly connection: PrinterConnection) {
    this.description = connection.interface;
    this.timeoutMs = connection.timeoutMs ?? 5000;
    this.iface = interfaceFor(connection);
    this.canReply = typeof this.iface !== 'string' || this.iface.startsWith('tcp://');
  }

  private transport(): ThermalPrinter {
    const { ThermalPrinter, PrinterTypes } = thermalPrinter();
    return new ThermalPrinter({
      type: PrinterTypes.EPSON,
      interface: this.iface as string,
      options: { timeout: this.timeoutMs },
    });
  }

  private async send(bytes: Buffer, reply: boolean, timeoutMs: number): Promise<Buffer | null> {
    const printer = this.transport();
    printer.setBuffer(bytes);
    const result = await withTimeout(
      printer.execute({ waitForResponse: reply } as Parameters<ThermalPrinter['execute']>[0]),
      timeoutMs,
      'printer',
    );
    return Buffer.isBuffer(result) ? result : null;
  }

  async status(): Promise<PrinterStatus> {
    if (!this.canReply) {
      // A device file cannot be read back: report reachable when it exists.
      const ok = await this.transport()
        .isPrinterConnected()
        .catch(() => false);
      return ok ? parseStatusBytes([]) : UNREACHABLE;
    }
    const bytes: number[] = [];
    for (const n of [1, 2, 3, 4] as const) {
      try {
        const reply = await this.send(dleEot(n), true, this.timeoutMs);
        const b = reply?.[0];
        if (b === undefined || !isStatusByte(b)) return UNREACHABLE;
        bytes.push(b);
      } catch {
        return UNREACHABLE;
      }
    }
    return parseStatusBytes(bytes);
  }

  async print(job: Buffer): Promise<PrintOutcome> {
    try {
      // A generous deadline: a long job on a slow serial line still finishes.
      const reply = await this.send(job, this.canReply, this.timeoutMs + job.length / 2);
      if (!this.canReply) return { kind: 'printed', paperNearEnd: false };
      const b = reply?.[0];
      if (b === undefined) return { kind: 'unknown', reason: 'no_ack' };
      const paper = parsePaperSensor(b);
      if (paper.paperEnd) return { kind: 'unknown', reason: 'paper_out' };
      return { kind: 'printed', paperNearEnd: paper.paperNearEnd };
    } catch (e) {
      const code = errorCode(e);
      if (NOT_SENT_CODES.has(code)) return { kind: 'not_sent', reason: 'offline' };
      return {
        kind: 'unknown',
        reason: code === 'ECONNRESET' || code === 'EPIPE' ? 'connection_dropped' : 'timeout',
      };
    }
  }
}
