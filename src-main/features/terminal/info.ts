import type { ServiceContext } from '../../services/context';
import { chainHead } from '../../ledger/event-log';
import { schemaVersion } from '../../ledger/migrate';
import { today } from '../../ledger/transaction';
import { verifyLedger } from '../../ledger/verify';

/** Who this terminal is, its schema version, its event count and the business date now. */
export function terminalInfo(ctx: ServiceContext) {
  const now = ctx.clock();
  return {
    terminalId: ctx.terminal.id,
    name: ctx.terminal.name,
    timeZone: ctx.terminal.timeZone,
    isDemo: ctx.terminal.isDemo,
    schemaVersion: schemaVersion(ctx.db),
    eventCount: chainHead(ctx.db).seq,
    businessDate: today(ctx, now),
    now: now.toISOString(),
  };
}

/** Recomputes this terminal's hash chain and projections; names the first bad seq. */
export function verifyTerminalLedger(ctx: ServiceContext) {
  return verifyLedger(ctx.db, ctx.terminal.id);
}
