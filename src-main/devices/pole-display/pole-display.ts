/**
 * The pole display (客显) driver: keeps the serial line open and puts on the LED what it is told,
 * without ever making the caller wait. `show()` only records the wanted content (one slot: the
 * latest content wins, older ones not yet sent are dropped) and returns; one writer sends it.
 *
 * The display never answers (the command set has no status query), so what can be known is: the
 * port could not be opened (`absent`: no such port, unplugged USB adapter), the line hung up
 * (`absent`), or a write did not complete within `writeTimeoutMs` (`error`: nothing is taking the
 * bytes, e.g. a flow-controlled or stuck line). A display that is switched off but whose cable is
 * in takes the bytes like a working one; nobody can tell. Every fault is logged once when the state
 * changes, and the next content tries again (the line is reopened).
 */
import type { ByteChannel } from '../card-terminal/link';
import { openSerialChannel } from '../card-terminal/serial-channel';
import { encodeContent, encodeInit, sameContent, type PoleContent } from './commands';

export type PoleDisplayState = 'connecting' | 'ready' | 'absent' | 'error';

export interface PoleDisplayStatus {
  state: PoleDisplayState;
  /** The last fault in plain words (English; the service translates the state). */
  problem: string | null;
  /** What was last written whole to the line (null before the first write). */
  shown: PoleContent | null;
}

export interface PoleSerialSettings {
  path: string;
  baudRate: number;
}

type Log = (level: 'info' | 'warn', message: string, data?: Record<string, unknown>) => void;

export interface PoleDisplayOptions {
  open: () => Promise<ByteChannel>;
  /** How long one write (a dozen bytes) may take before the line counts as stuck. */
  writeTimeoutMs?: number;
  /** How long opening the port may take. */
  openTimeoutMs?: number;
  log?: Log;
}

export const POLE_WRITE_TIMEOUT_MS = 2000;

/** Opens the display's serial port: 8 data bits, no parity, 1 stop bit (LED8N manual). */
export function openPoleSerial(settings: PoleSerialSettings): Promise<ByteChannel> {
  return openSerialChannel({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: 8,
    stopBits: 1,
    parity: 'none',
  });
}

/**
 * Opens the port, initialises the display (ESC @) and closes again: the settings screen's check
 * that a port is there before it is saved. Throws with the OS's reason.
 */
export async function probePoleSerial(
  settings: PoleSerialSettings,
  timeoutMs = 3000,
): Promise<void> {
  const channel = await withTimeout(openPoleSerial(settings), timeoutMs, 'opening the port');
  try {
    await withTimeout(channel.write(encodeInit()), timeoutMs, 'a write');
  } finally {
    await withTimeout(channel.close(), 1000, 'closing the port').catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

class TimeoutError extends Error {}

function isMissingPort(e: unknown): boolean {
  const m = e instanceof Error ? e.message : String(e);
  return /ENOENT|No such file|cannot find|File not found|not exist/i.test(m);
}

export class PoleDisplay {
  private channel: ByteChannel | null = null;
  private wanted: PoleContent | null = null;
  private inFlight: PoleContent | null = null;
  private running: Promise<void> | null = null;
  private current: PoleDisplayStatus = { state: 'connecting', problem: null, shown: null };
  private closed = false;
  private readonly writeTimeoutMs: number;
  private readonly openTimeoutMs: number;

  constructor(private readonly options: PoleDisplayOptions) {
    this.writeTimeoutMs = options.writeTimeoutMs ?? POLE_WRITE_TIMEOUT_MS;
    this.openTimeoutMs = options.openTimeoutMs ?? 5000;
  }

  get status(): PoleDisplayStatus {
    return { ...this.current };
  }

  /**
   * Puts `content` on the LED as soon as the line allows; returns at once, never throws. The same
   * content as the one on its way (or shown, while the line is ready) is not sent again unless
   * `force` (the test button).
   */
  show(content: PoleContent, force = false): void {
    if (this.closed) return;
    const last =
      this.wanted ?? this.inFlight ?? (this.current.state === 'ready' ? this.current.shown : null);
    if (!force && sameContent(last, content)) return;
    this.wanted = content;
    this.running ??= this.pump().finally(() => (this.running = null));
  }

  /** Resolves when everything asked for has been written or has failed (tests, the test button). */
  async settled(): Promise<PoleDisplayStatus> {
    while (this.running) await this.running;
    return this.status;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wanted = null;
    const ch = this.channel;
    this.channel = null;
    if (ch) await withTimeout(ch.close(), 1000, 'closing the port').catch(() => undefined);
  }

  private setState(state: PoleDisplayState, problem: string | null): void {
    const before = this.current.state;
    this.current = { ...this.current, state, problem };
    if (state !== before)
      this.options.log?.(
        state === 'ready' ? 'info' : 'warn',
        `pole display ${state}`,
        problem ? { problem } : {},
      );
  }

  private async pump(): Promise<void> {
    while (this.wanted && !this.closed) {
      const content = this.wanted;
      this.wanted = null;
      this.inFlight = content;
      try {
        const channel = await this.line();
        await withTimeout(channel.write(encodeContent(content)), this.writeTimeoutMs, 'a write');
        this.current = { ...this.current, shown: content };
        this.setState('ready', null);
      } catch (e) {
        this.fail(e);
      } finally {
        this.inFlight = null;
      }
    }
  }

  private async line(): Promise<ByteChannel> {
    if (this.channel?.isOpen) return this.channel;
    this.channel = null;
    let channel: ByteChannel;
    try {
      channel = await withTimeout(this.options.open(), this.openTimeoutMs, 'opening the port');
    } catch (e) {
      throw new OpenError(e);
    }
    channel.onClose((e) => {
      if (this.channel !== channel) return;
      this.channel = null;
      if (!this.closed)
        this.setState('absent', e ? e.message : 'the serial line closed (cable pulled?)');
    });
    this.channel = channel;
    await withTimeout(channel.write(encodeInit()), this.writeTimeoutMs, 'a write');
    return channel;
  }

  private fail(e: unknown): void {
    const cause = e instanceof OpenError ? e.cause : e;
    const message = cause instanceof Error ? cause.message : String(cause);
    if (e instanceof OpenError) {
      this.setState(isMissingPort(cause) ? 'absent' : 'error', `cannot open the port: ${message}`);
      return;
    }
    // a write that hung or failed: drop the line, the next content reopens it
    const ch = this.channel;
    this.channel = null;
    if (ch) void withTimeout(ch.close(), 1000, 'closing the port').catch(() => undefined);
    this.setState(
      e instanceof TimeoutError ? 'error' : 'absent',
      e instanceof TimeoutError ? `the display is not taking data: ${message}` : message,
    );
  }
}

class OpenError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}
