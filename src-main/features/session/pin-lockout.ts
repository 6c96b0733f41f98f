/**
 * Wrong PINs, counted per clerk AND connection (docs/trust.md "PIN lockout"): a connection is one
 * WebSocket client or one Electron window (the transports name it, api/dispatch passes it on).
 * Five wrong PINs lock that clerk on that connection for the lockout period; the same clerk can
 * still log in from the other connections, so a mistyping colleague or a hostile tab cannot lock a
 * clerk out of the whole counter.
 *
 * Opening more connections does not buy more guesses without bound: every wrong PIN also counts on
 * the clerk's row (clerks.failed_pin_count, kept across restarts), and GLOBAL_MAX_PIN_ATTEMPTS of
 * them, from any connections, lock the clerk everywhere for the lockout period. With 20 guesses per
 * 5 minutes a 6-digit PIN takes months to find by trying; a correct PIN resets both counts.
 *
 * In-process state (lost on restart, where the row's count remains): one record per clerk and
 * connection with failures, dropped on success, on expiry, and when the connection closes.
 */
export const MAX_PIN_ATTEMPTS = 5;
export const GLOBAL_MAX_PIN_ATTEMPTS = 20;
export const LOCKOUT_MS = 5 * 60 * 1000;
/** Beyond this many records, expired and unlocked ones are dropped first (the global count stays). */
const MAX_RECORDS = 10_000;

/** A caller's connection when the transport names none (CLI, tests, in-process calls). */
export const LOCAL_CONNECTION = 'local';

interface Failures {
  failures: number;
  lockedUntil: number | null;
}

export class PinLockout {
  readonly #byClerkAndConnection = new Map<string, Failures>();

  #key(clerkId: string, connection: string): string {
    return `${clerkId}\n${connection}`;
  }

  /** When this clerk's lock on this connection ends (ISO), or null when not locked. */
  lockedUntil(clerkId: string, connection: string, now: Date): string | null {
    const key = this.#key(clerkId, connection);
    const f = this.#byClerkAndConnection.get(key);
    if (!f?.lockedUntil) return null;
    if (f.lockedUntil > now.getTime()) return new Date(f.lockedUntil).toISOString();
    this.#byClerkAndConnection.delete(key); // expired: a fresh count
    return null;
  }

  /** Counts a wrong PIN; returns the attempts left on this connection and the lock, if it now locks. */
  fail(
    clerkId: string,
    connection: string,
    now: Date,
  ): { attemptsLeft: number; lockedUntil: string | null } {
    const key = this.#key(clerkId, connection);
    const f = this.#byClerkAndConnection.get(key) ?? { failures: 0, lockedUntil: null };
    f.failures++;
    if (f.failures >= MAX_PIN_ATTEMPTS) f.lockedUntil = now.getTime() + LOCKOUT_MS;
    this.#byClerkAndConnection.delete(key);
    this.#byClerkAndConnection.set(key, f); // newest last, for pruning
    this.#prune(now);
    return {
      attemptsLeft: Math.max(0, MAX_PIN_ATTEMPTS - f.failures),
      lockedUntil: f.lockedUntil ? new Date(f.lockedUntil).toISOString() : null,
    };
  }

  succeed(clerkId: string, connection: string): void {
    this.#byClerkAndConnection.delete(this.#key(clerkId, connection));
  }

  /** A connection closed: its counts go (its locks too, as a new connection would start afresh). */
  forgetConnection(connection: string): void {
    for (const key of this.#byClerkAndConnection.keys())
      if (key.endsWith(`\n${connection}`)) this.#byClerkAndConnection.delete(key);
  }

  #prune(now: Date): void {
    if (this.#byClerkAndConnection.size <= MAX_RECORDS) return;
    for (const [key, f] of this.#byClerkAndConnection) {
      if (this.#byClerkAndConnection.size <= MAX_RECORDS / 2) break;
      if (!f.lockedUntil || f.lockedUntil <= now.getTime()) this.#byClerkAndConnection.delete(key);
    }
  }
}
