import type { ErrorCode } from '@heating-cashier/core/contract/errors';
import type { LogFn } from '../features/terminal/logs';
import { businessDate, checkClock } from '@heating-cashier/core/time';
import type { Db } from '../ledger/db';
import { chainHead, withHandedChainHead, type AppendContext } from '../ledger/event-log';

export interface TerminalIdentity {
  id: string;
  name: string;
  timeZone: string;
  isDemo: boolean;
}

/** What a device or the sync worker reports for the status bar; `detail` is for the clerk (zh-CN/en). */
export interface ComponentStatus {
  state:
    | 'unavailable'
    | 'ready'
    | 'busy'
    | 'offline'
    | 'error'
    | 'paper_out'
    | 'paper_near_end'
    | 'cover_open';
  detail: { 'zh-CN': string; en: string } | null;
}

export interface SyncStatus extends ComponentStatus {
  pendingEvents: number;
  lastSuccessAt: string | null;
  /** The sync worker's last request reached head office (connectivity is a real request). */
  online?: boolean;
}

/**
 * Status providers the composition root registers when a device or the sync worker is configured;
 * a missing provider is reported as `unavailable`, never as working.
 */
export interface StatusProviders {
  printer?: () => ComponentStatus;
  cardTerminal?: () => ComponentStatus;
  sync?: () => SyncStatus;
}

/** What every use case gets: the one writer connection, who this terminal is, and the clock. */
export interface ServiceContext {
  db: Db;
  terminal: TerminalIdentity;
  clock: () => Date;
  status?: StatusProviders;
  /** The runtime's log (rotating file in the data folder) for work done after a reply has gone. */
  log?: LogFn;
}

/** A refusal the clerk can act on; api/dispatch turns it into a translated CommandError. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = 'ServiceError';
  }
}

/** A clock that jumps back further than this is refused for new events. */
export const CLOCK_TOLERANCE_MS = 2 * 60 * 1000;

export function today(ctx: ServiceContext, now = ctx.clock()): string {
  return businessDate(now, ctx.terminal.timeZone);
}

/**
 * Runs `fn` in one IMMEDIATE transaction with an append context: the events it appends and their
 * projections commit together, or nothing does. Refuses to write when the PC clock went backwards.
 */
export function writeTransaction<T>(ctx: ServiceContext, fn: (append: AppendContext) => T): T {
  return ctx.db
    .transaction(() => {
      const now = ctx.clock();
      const head = chainHead(ctx.db);
      const clock = checkClock(now.toISOString(), head.occurredAt, CLOCK_TOLERANCE_MS);
      if (!clock.ok) throw new ServiceError('CLOCK_BACKWARDS', clock.detail ?? {});
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
