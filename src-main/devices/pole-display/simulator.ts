/**
 * A pole display (客显) in software: it reads the bytes a cashier program sends, keeps the lamp and
 * the number the LED would show, and reports every byte outside the command set of commands.ts
 * (ESC @, CLR, CAN, CR, ESC s '0'–'4', ESC Q A <digits . -> CR) instead of guessing. It runs on one
 * end of a pty pair (sim-main.ts, `npm run sim:pole`) or is fed bytes directly (tests).
 */
import type { ByteChannel } from '../card-terminal/link';
import {
  CLR,
  CR,
  ESC,
  INIT_AT,
  LAMP_CODE,
  LAMP_S,
  POLE_DIGITS,
  POLE_LAMPS,
  SHOW_A,
  SHOW_Q,
  type PoleLamp,
} from './commands';

const CAN = 0x18;
/** LED8N manual: up to 15 characters with the decimal points. */
const MAX_NUMBER_CHARS = 15;

export const LAMP_NAMES: Readonly<Record<PoleLamp, string>> = {
  off: '',
  price: '单价',
  total: '总计',
  collect: '收款',
  change: '找零',
};

/** One command understood, in the order received. */
export type PoleCommand =
  | { kind: 'init' }
  | { kind: 'clear' }
  | { kind: 'lamp'; lamp: PoleLamp }
  | { kind: 'number'; text: string };

export interface PoleSimState {
  lamp: PoleLamp;
  /** The number on the LED ('' when blank). */
  text: string;
}

type Parse =
  { s: 'idle' } | { s: 'esc' } | { s: 'lamp' } | { s: 'q' } | { s: 'number'; chars: number[] };

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0').toUpperCase()}`;
}

export class PoleDisplaySimulator {
  readonly commands: PoleCommand[] = [];
  readonly errors: string[] = [];
  /** Every byte received, in order. */
  readonly received: number[] = [];
  private parse: Parse = { s: 'idle' };
  private current: PoleSimState = { lamp: 'off', text: '' };
  private waiters: { test: () => boolean; resolve: () => void }[] = [];
  /** Called after every command and every rejected byte. */
  log: (line: string) => void = () => undefined;

  get state(): PoleSimState {
    return { ...this.current };
  }

  /** What the LED shows, as one line: `总计 1500.00`, `(blank)`. */
  get shown(): string {
    const { lamp, text } = this.current;
    if (lamp === 'off' && text === '') return '(blank)';
    return `${lamp === 'off' ? '(no lamp)' : LAMP_NAMES[lamp]} ${text === '' ? '(blank)' : text}`;
  }

  feed(bytes: Uint8Array): void {
    for (const b of bytes) {
      this.received.push(b);
      this.byte(b);
    }
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves once `test` holds (checked after each chunk of bytes); rejects after `timeoutMs`. */
  until(test: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`pole simulator: still showing "${this.shown}" after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  /** Serves one end of a line until it closes. */
  attach(channel: ByteChannel): Promise<void> {
    channel.onData((bytes) => this.feed(bytes));
    return new Promise((resolve) => channel.onClose(() => resolve()));
  }

  private command(c: PoleCommand): void {
    this.commands.push(c);
    switch (c.kind) {
      case 'init':
      case 'clear':
        this.current = { lamp: c.kind === 'init' ? 'off' : this.current.lamp, text: '' };
        break;
      case 'lamp':
        this.current = { ...this.current, lamp: c.lamp };
        break;
      case 'number':
        this.current = { ...this.current, text: c.text };
        break;
    }
    this.log(this.shown);
  }

  private reject(message: string): void {
    this.errors.push(message);
    this.log(`UNKNOWN ${message}`);
  }

  private byte(b: number): void {
    const p = this.parse;
    switch (p.s) {
      case 'idle':
        if (b === ESC) this.parse = { s: 'esc' };
        else if (b === CLR) this.command({ kind: 'clear' });
        else if (b === CAN) this.command({ kind: 'clear' });
        else if (b === CR)
          return; // cursor to the left end: nothing changes on the LED
        else this.reject(`byte ${hex(b)} outside a command (offset ${this.received.length - 1})`);
        return;
      case 'esc':
        this.parse = { s: 'idle' };
        if (b === INIT_AT) this.command({ kind: 'init' });
        else if (b === LAMP_S) this.parse = { s: 'lamp' };
        else if (b === SHOW_Q) this.parse = { s: 'q' };
        else this.reject(`ESC ${hex(b)} is no command of this display`);
        return;
      case 'lamp': {
        this.parse = { s: 'idle' };
        const lamp = POLE_LAMPS.find((l) => LAMP_CODE[l] === b);
        if (lamp) this.command({ kind: 'lamp', lamp });
        else this.reject(`ESC s ${hex(b)}: the lamp must be '0'–'4' (0x30–0x34)`);
        return;
      }
      case 'q':
        if (b === SHOW_A) this.parse = { s: 'number', chars: [] };
        else {
          this.parse = { s: 'idle' };
          this.reject(`ESC Q ${hex(b)}: only ESC Q A (0x41) is known`);
        }
        return;
      case 'number': {
        if (b === CR) {
          this.parse = { s: 'idle' };
          const text = String.fromCharCode(...p.chars);
          const digits = text.replace(/\./g, '').length;
          if (digits > POLE_DIGITS)
            this.reject(`ESC Q A "${text}": ${digits} digits, the display has ${POLE_DIGITS}`);
          else this.command({ kind: 'number', text });
          return;
        }
        const ok = (b >= 0x30 && b <= 0x39) || b === 0x2e || b === 0x2d;
        if (!ok || p.chars.length >= MAX_NUMBER_CHARS) {
          this.parse = { s: 'idle' };
          this.reject(
            ok
              ? `ESC Q A: more than ${MAX_NUMBER_CHARS} characters without CR`
              : `ESC Q A: byte ${hex(b)} is not a digit, '.' or '-'`,
          );
          return;
        }
        p.chars.push(b);
        return;
      }
    }
  }
}
