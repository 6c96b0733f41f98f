import { randomInt } from 'node:crypto';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';

/** A pairing code lives this long; a successful pairing uses it up. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** Wrong codes one connection may send before it is refused for good (reload = new connection). */
export const PAIRING_ATTEMPTS_PER_CONNECTION = 5;
/** Wrong codes, over all connections, that burn the current code (the clerk shows a new one). */
export const PAIRING_ATTEMPTS_PER_CODE = 20;
/** A receipt shown for rating and not rated goes back to the welcome screen after this. */
export const RATING_WINDOW_MS = 2 * 60_000;

export type PairOutcome =
  { kind: 'paired' } | { kind: 'wrong'; attemptsLeft: number } | { kind: 'locked' };

interface PairingCode {
  code: string;
  expiresAt: number;
  wrong: number;
}

/**
 * The customer displays of this counter (`ctx.runtime.customer`): the last view published and its
 * version, the connections bound as displays (a paired `/customer` page, the Electron customer
 * window), and the pairing code with its wrong-attempt counts. In memory: a restart unpairs the web
 * pages (they pair again), the Electron shell binds its window again.
 */
export class CustomerDisplays {
  private version = 0;
  private last: { view: CustomerView; at: number } | null = null;
  private code: PairingCode | null = null;
  private readonly displays = new Set<string>();
  private readonly wrongByConnection = new Map<string, number>();

  constructor(private readonly random: () => string = defaultCode) {}

  nextVersion(): number {
    this.version += 1;
    return this.version;
  }

  /** Keeps the view a later display gets when it pairs. */
  remember(view: CustomerView, now: number): void {
    this.last = { view, at: now };
  }

  /** The last view, or null (idle) when none, or when a receipt waited for its rating too long. */
  lastView(now: number): CustomerView | null {
    if (!this.last) return null;
    if (this.last.view.phase === 'paid' && now - this.last.at > RATING_WINDOW_MS) return null;
    return this.last.view;
  }

  isDisplay(connection: string): boolean {
    return this.displays.has(connection);
  }

  displayCount(): number {
    return this.displays.size;
  }

  /** Binds a connection the shell itself opened as a customer display (Electron's second window). */
  bind(connection: string): void {
    this.displays.add(connection);
  }

  /** The connection closed (socket gone, window closed). */
  forget(connection: string): void {
    this.displays.delete(connection);
    this.wrongByConnection.delete(connection);
  }

  /** The current code, or a new one when there is none, it expired, or `renew`. */
  pairingCode(now: number, renew: boolean): { code: string; expiresAt: number } {
    if (renew || !this.code || this.code.expiresAt <= now) {
      this.code = { code: this.random(), expiresAt: now + PAIRING_CODE_TTL_MS, wrong: 0 };
    }
    return { code: this.code.code, expiresAt: this.code.expiresAt };
  }

  /** Checks a code a connection sent; a right one binds the connection and is used up. */
  pair(connection: string, code: string, now: number): PairOutcome {
    const wrongHere = this.wrongByConnection.get(connection) ?? 0;
    if (wrongHere >= PAIRING_ATTEMPTS_PER_CONNECTION) return { kind: 'locked' };
    const current = this.code && this.code.expiresAt > now ? this.code : null;
    if (current && current.code === code) {
      this.code = null;
      this.wrongByConnection.delete(connection);
      this.displays.add(connection);
      return { kind: 'paired' };
    }
    const wrong = wrongHere + 1;
    this.wrongByConnection.set(connection, wrong);
    if (current) {
      current.wrong += 1;
      if (current.wrong >= PAIRING_ATTEMPTS_PER_CODE) this.code = null;
    }
    if (wrong >= PAIRING_ATTEMPTS_PER_CONNECTION) return { kind: 'locked' };
    return { kind: 'wrong', attemptsLeft: PAIRING_ATTEMPTS_PER_CONNECTION - wrong };
  }
}

function defaultCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
