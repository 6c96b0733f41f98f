import { ACK, encodeFrame, FrameParser, NAK, type LineItem } from './zvt/frame';
import { CardTerminalError } from './port';

/** A duplex byte stream: a serial port, or one end of a pty pair. */
export interface ByteChannel {
  readonly isOpen: boolean;
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): void;
  onClose(listener: (error: Error | null) => void): void;
  close(): Promise<void>;
}

/**
 * Timing of the ZVT serial transport (PA00P016 "Transport-Protocol" §3). The values are the ones
 * the open-source ecrterm quotes in transmission/signals.py (TIMEOUT_T1 = 0.2, TIMEOUT_T2 = 15,
 * TIMEOUT_T3 = 5, TIMEOUT_T4 = 180 s); the spec text itself could not be read here (README):
 *   T1 = 200 ms between bytes inside a frame — we allow interCharMs = 1 s instead, deliberately:
 *        USB-serial adapters deliver in bursts and a busy event loop must not cut a good frame;
 *   T2 = 15 s for the answer (80 00 00 / 84 xx) to a command the other side acknowledged;
 *   T3 = 5 s for ACK/NAK after a frame; a frame is sent at most maxAttempts = 3 times on NAK or T3
 *        (not verified against the spec: ecrterm's serial transport says "receive a message up to
 *        three times" and has a commented-out `tries < 3` resend);
 *   T4 = 180 s for the terminal's next message in a running transaction, restarted by every
 *        intermediate status.
 */
export interface LinkTiming {
  t2Ms: number;
  t3Ms: number;
  t4Ms: number;
  maxAttempts: number;
  interCharMs: number;
}

export const ZVT_TIMING: LinkTiming = {
  t2Ms: 15_000,
  t3Ms: 5000,
  t4Ms: 180_000,
  maxAttempts: 3,
  interCharMs: 1000,
};

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

/**
 * The link layer both the driver and the simulator use: frames out with ACK/NAK and retransmission,
 * frames in with CRC check, ACK/NAK back, and a queue of received APDUs. Line errors are reported,
 * never thrown at the reader.
 */
export class ZvtLink {
  private parser = new FrameParser();
  private inbox: Uint8Array[] = [];
  private receivers: Waiter<Uint8Array>[] = [];
  private ackWaiter: Waiter<'ack' | 'nak'> | null = null;
  private sendChain: Promise<unknown> = Promise.resolve();
  private interCharTimer: NodeJS.Timeout | null = null;
  private closedError: CardTerminalError | null = null;
  private lineListeners: ((item: Extract<LineItem, { type: 'error' }>) => void)[] = [];
  /** Test/simulator hooks: NAK the next n good frames; corrupt the CRC of the next n sent frames. */
  nakNext = 0;
  corruptNext = 0;
  suppressAck = false;

  constructor(
    private readonly channel: ByteChannel,
    readonly timing: LinkTiming = ZVT_TIMING,
  ) {
    channel.onData((bytes) => this.onBytes(bytes));
    channel.onClose((error) => this.onClosed(error));
  }

  get closed(): boolean {
    return this.closedError !== null || !this.channel.isOpen;
  }

  onLineError(listener: (item: Extract<LineItem, { type: 'error' }>) => void): void {
    this.lineListeners.push(listener);
  }

  /** Writes bytes outside any frame (the simulator's garbage fault). */
  async writeRaw(bytes: Uint8Array): Promise<void> {
    await this.channel.write(bytes);
  }

  /** Removes and returns the first queued APDU matching `pred` (the simulator looks for 06 B0). */
  takeFromInbox(pred: (apdu: Uint8Array) => boolean): Uint8Array | undefined {
    const i = this.inbox.findIndex(pred);
    return i >= 0 ? this.inbox.splice(i, 1)[0] : undefined;
  }

  /** Drops APDUs received but not read (before a new command starts). */
  clearInbox(): void {
    this.inbox = [];
  }

  /**
   * Sends one APDU; resolves on ACK, retransmits on NAK/T3, throws after `attempts` (default
   * maxAttempts) transmissions. Serialised.
   */
  sendApdu(
    apdu: Uint8Array,
    options: { duplicate?: boolean; attempts?: number } = {},
  ): Promise<void> {
    const run = this.sendChain.then(() => this.sendNow(apdu, options));
    this.sendChain = run.catch(() => undefined);
    return run;
  }

  private async sendNow(
    apdu: Uint8Array,
    options: { duplicate?: boolean; attempts?: number },
  ): Promise<void> {
    const frame = encodeFrame(apdu);
    const attempts = options.attempts ?? this.timing.maxAttempts;
    let naks = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.closedError) throw this.closedError;
      let bytes = frame;
      if (this.corruptNext > 0) {
        this.corruptNext--;
        bytes = Uint8Array.from(frame);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
      }
      const answer = this.waitAck();
      answer.catch(() => undefined); // a write error below is what the caller hears about
      await this.channel.write(bytes);
      const got = await answer;
      if (got === 'ack') {
        if (options.duplicate) {
          // the same frame once more, as a sender does whose ACK got lost
          const again = this.waitAck();
          again.catch(() => undefined);
          await this.channel.write(frame);
          await again;
        }
        return;
      }
      if (got === 'nak') naks++;
    }
    if (naks === attempts)
      throw new CardTerminalError(
        'NAK_LIMIT',
        `every one of ${naks} transmissions was refused with NAK`,
        false,
      );
    throw new CardTerminalError(
      'NO_ACK',
      `no acknowledgement within ${this.timing.t3Ms} ms after ${attempts} transmission(s)`,
      true,
    );
  }

  /** Resolves 'ack' | 'nak', or 'timeout' (as a value) after T3. */
  private waitAck(): Promise<'ack' | 'nak' | 'timeout'> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.ackWaiter = null;
        resolve('timeout');
      }, this.timing.t3Ms);
      this.ackWaiter = {
        resolve: (v) => {
          clearTimeout(timer);
          this.ackWaiter = null;
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          this.ackWaiter = null;
          reject(e);
        },
      };
    });
  }

  /** The next APDU the other side sent, or TIMEOUT / LINE_CLOSED. */
  nextApdu(timeoutMs: number): Promise<Uint8Array> {
    const queued = this.inbox.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<Uint8Array> = {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      const timer = setTimeout(() => {
        this.receivers = this.receivers.filter((w) => w !== waiter);
        reject(
          new CardTerminalError(
            'TIMEOUT',
            `no answer from the other side within ${timeoutMs} ms`,
            true,
          ),
        );
      }, timeoutMs);
      this.receivers.push(waiter);
    });
  }

  private onBytes(bytes: Uint8Array): void {
    if (this.interCharTimer) clearTimeout(this.interCharTimer);
    this.interCharTimer = null;
    for (const item of this.parser.push(bytes)) this.handle(item);
    if (this.parser.inFrame) {
      this.interCharTimer = setTimeout(() => {
        for (const item of this.parser.reset()) this.handle(item);
      }, this.timing.interCharMs);
    }
  }

  private handle(item: LineItem): void {
    switch (item.type) {
      case 'ack':
      case 'nak':
        this.ackWaiter?.resolve(item.type);
        return;
      case 'frame':
        if (this.nakNext > 0) {
          this.nakNext--;
          void this.raw(NAK);
          return;
        }
        if (!this.suppressAck) void this.raw(ACK);
        {
          const receiver = this.receivers.shift();
          if (receiver) receiver.resolve(item.apdu);
          else this.inbox.push(item.apdu);
        }
        return;
      case 'error':
        for (const l of this.lineListeners) l(item);
        if (item.code !== 'GARBAGE') void this.raw(NAK);
        return;
    }
  }

  private async raw(byte: number): Promise<void> {
    if (this.closed) return;
    await this.channel.write(Uint8Array.of(byte)).catch(() => undefined);
  }

  private onClosed(error: Error | null): void {
    if (this.closedError) return;
    this.closedError = new CardTerminalError(
      'LINE_CLOSED',
      `the serial line closed${error ? `: ${error.message}` : ''}`,
      true,
    );
    if (this.interCharTimer) clearTimeout(this.interCharTimer);
    this.ackWaiter?.reject(this.closedError);
    for (const r of this.receivers.splice(0)) r.reject(this.closedError);
  }

  async close(): Promise<void> {
    this.onClosed(null);
    await this.channel.close();
  }
}
