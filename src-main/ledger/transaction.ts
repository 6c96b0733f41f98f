import type { ErrorCode } from '@heating-cashier/core/contract/errors';
import { businessDate, checkClock } from '@heating-cashier/core/time';
import type { Db } from './db';
import { chainHead, withHandedChainHead, type AppendContext } from './event-log';

/** What the ledger needs of the running terminal to write: the one writer connection and the clock. */
export interface LedgerContext {
  db: Db;
  terminal: { id: string; timeZone: string };
  clock: () => Date;
}

/**
 * A refusal the clerk can act on (an ErrorCode with details); api/dispatch turns it into a
 * translated CommandError. The services' ServiceError is one.
 */
export class LedgerError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'LedgerError';
  }
}

/** A clock that jumps back further than this is refused for new events. */
export const CLOCK_TOLERANCE_MS = 2 * 60 * 1000;

/** The business date at `now` in the terminal's time zone. */
export function today(ctx: LedgerContext, now = ctx.clock()): string {
  return businessDate(now, ctx.terminal.timeZone);
}

/**
 * Runs `fn` in one IMMEDIATE transaction with an append context: the events it appends and their
 * projections commit together, or nothing does. Refuses to write when the PC clock went backwards.
 */
export function writeTransaction<T>(ctx: LedgerContext, fn: (append: AppendContext) => T): T {
  return ctx.db
    .transaction(() => {
      const now = ctx.clock();
      const head = chainHead(ctx.db);
      const clock = checkClock(now.toISOString(), head.occurredAt, CLOCK_TOLERANCE_MS);
      if (!clock.ok) throw new LedgerError('CLOCK_BACKWARDS', clock.detail ?? {});
      const append = {
        db: ctx.db,
        terminalId: ctx.terminal.id,
        now,
        businessDate: today(ctx, now),
      };
      return withHandedChainHead(ctx.db, head, () => fn(append));
    })
    .immediate();
}
