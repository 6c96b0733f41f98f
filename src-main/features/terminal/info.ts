import type { ServiceContext } from '../../services/context';
import { chainHead } from '../../ledger/event-log';
import { schemaVersion } from '../../ledger/migrate';
import { today } from '../../ledger/transaction';
import { sidecarPathOf } from '../../ledger/checkpoints';
import { verifyLedger } from '../../ledger/verify';
import { startBackgroundVerify } from './integrity';

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

/**
 * The full verify now (hash chain, signatures, checkpoints, ack, projection replay, master rows);
 * names the first bad seq. Its result is the terminal's integrity state from here on: an alarm
 * stops payments, a pass ends an earlier alarm. A ledger file is verified on a copy in steps (the
 * background verify), so the counter keeps answering during the minutes a season's ledger takes;
 * an in-memory ledger is verified in place.
 */
export async function verifyTerminalLedger(ctx: ServiceContext) {
  if (sidecarPathOf(ctx.db) !== null) {
    const report = await startBackgroundVerify(ctx).done;
    if (report) return report;
  }
  const integrity = ctx.runtime.integrity;
  integrity.beginFull();
  try {
    const report = verifyLedger(ctx.db, ctx.terminal.id);
    integrity.recordFull(ctx.db, report, ctx.clock());
    return report;
  } catch (e) {
    integrity.fullFailed(e);
    throw e;
  }
}
