import { chainHead } from '../../ledger/event-log';
import { syncFreshness } from '../sync/sync-settings';
import type { ServiceContext } from '../../services/context';
import type { ComponentStatus } from '@heating-cashier/core/contract/commands';
import { CLOCK_TOLERANCE_MS } from '../../ledger/transaction';
import { poleComponentStatus } from '../pole/pole-display';
import { updateNotice } from '../updates/updates';

const UNAVAILABLE: ComponentStatus = {
  state: 'unavailable',
  detail: { 'zh-CN': '未配置或未连接', en: 'Not configured or not connected' },
};

/** What the status bar shows; a component without a registered provider is `unavailable`. */
export function terminalStatus(ctx: ServiceContext) {
  const now = ctx.clock();
  const lastEventAt = chainHead(ctx.db).occurredAt;
  const sync = {
    ...(ctx.status?.sync?.() ?? UNAVAILABLE),
    ...syncFreshness(ctx), // pending, oldest pending, last success/error, balance as of
  };
  const pole = poleComponentStatus(ctx);
  return {
    printer: ctx.status?.printer?.() ?? UNAVAILABLE,
    cardTerminal: ctx.status?.cardTerminal?.() ?? UNAVAILABLE,
    ...(pole ? { poleDisplay: pole } : {}),
    sync,
    clock: {
      ok: lastEventAt === null || now.getTime() >= Date.parse(lastEventAt) - CLOCK_TOLERANCE_MS,
      now: now.toISOString(),
      lastEventAt,
    },
    // The ledger's verified state: `alarm` stops payments (LEDGER_ALARM) until head office's IT
    // has looked at it.
    integrity: ctx.runtime.integrity.view(),
    // a counter update downloading, waiting for a moment between customers, or refused
    update: updateNotice(ctx),
  };
}
