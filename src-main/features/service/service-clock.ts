import type { ServiceContext } from '../../services/context';

/** Beyond this many open clocks (one per clerk), the oldest is dropped. */
const MAX_CLOCKS = 1_000;

interface OpenService {
  householdId: string;
  startedAt: string;
}

/**
 * The service time's start (issue 22, README "服务指标 / Service KPIs"), kept main-side with main's
 * clock (never the client's): per clerk (a clerk serves one customer at a time; keyed by clerk rather
 * than session so a card sale, completed later by the terminal's answer, keeps its start), the
 * household whose account was opened and when.
 *
 * - `household.account` for household H by clerk C starts C's clock for H, unless C's clock already
 *   runs for H (reloading the same account does not restart it); another household restarts it.
 * - A receipt issued by C for H takes the start (`receipt.issued.serviceStartedAt`) and stops the
 *   clock; a receipt for a household other than the one C opened gets no start.
 *
 * In-process state (runtime record): lost on restart, when receipts simply carry no start.
 */
export class ServiceClock {
  readonly #byClerk = new Map<string, OpenService>();

  open(clerkId: string, householdId: string, now: Date): void {
    const open = this.#byClerk.get(clerkId);
    if (open?.householdId === householdId) return;
    this.#byClerk.delete(clerkId);
    if (this.#byClerk.size >= MAX_CLOCKS) {
      const oldest = this.#byClerk.keys().next();
      if (!oldest.done) this.#byClerk.delete(oldest.value);
    }
    this.#byClerk.set(clerkId, { householdId, startedAt: now.toISOString() });
  }

  /** The start for a receipt of `householdId` by `clerkId`, or undefined; does not stop the clock. */
  startOf(clerkId: string, householdId: string): string | undefined {
    const open = this.#byClerk.get(clerkId);
    return open?.householdId === householdId ? open.startedAt : undefined;
  }

  /** How many clerks serve a customer whose account they opened at or after `since` (updates wait). */
  openSince(since: Date): number {
    const at = since.toISOString();
    let n = 0;
    for (const o of this.#byClerk.values()) if (o.startedAt >= at) n++;
    return n;
  }

  /** Stops the clerk's clock (its receipt is issued). */
  stop(clerkId: string): void {
    this.#byClerk.delete(clerkId);
  }
}

/** Clerk `clerkId` opened household `householdId` (`household.account`): the service time starts. */
export function startService(ctx: ServiceContext, clerkId: string, householdId: string): void {
  ctx.runtime.service.open(clerkId, householdId, ctx.clock());
}
