import type { ClerkRow } from '../ledger/clerks';
import {
  configureSync,
  oldestPendingAt,
  pendingCount,
  syncState,
  unsyncedEvents,
} from '../ledger/sync-state';
import { stmt } from '../ledger/statements';
import { requireSupervisor } from './auth';
import type { ServiceContext } from './context';

const STALE_MS = 30 * 60_000;

/** The sync view for the status bar / settings screen: the worker's status when it runs, else the ledger's. */
export function syncView(ctx: ServiceContext) {
  const s = syncState(ctx.db);
  const live = ctx.status?.sync?.();
  const configured = Boolean(s.head_office_url && s.terminal_token);
  const lastSuccessAt =
    [s.last_push_at, s.last_pull_at]
      .filter((x): x is string => x !== null)
      .sort()
      .pop() ?? null;
  const stale =
    s.last_pull_at === null || ctx.clock().getTime() - Date.parse(s.last_pull_at) > STALE_MS;
  const state = live?.state ?? 'unavailable';
  return {
    state: (['unavailable', 'ready', 'busy', 'offline', 'error'] as const).includes(
      state as 'ready',
    )
      ? (state as 'unavailable' | 'ready' | 'busy' | 'offline' | 'error')
      : 'error',
    detail: live?.detail ?? {
      'zh-CN': configured ? '同步程序未运行' : '未配置总部地址或终端令牌',
      en: configured ? 'Sync worker not running' : 'Head-office URL or terminal token not set',
    },
    configured,
    headOfficeUrl: s.head_office_url,
    online: live?.online ?? false,
    pendingEvents: pendingCount(ctx.db),
    oldestPendingAt: oldestPendingAt(ctx.db),
    lastSuccessAt,
    lastError: s.last_error,
    balanceAsOf: s.last_pull_at,
    balanceStale: stale,
    rejectedChanges: stmt(ctx.db, 'SELECT count(*) AS n FROM sync_rejects').pluck().get() as number,
  };
}

export function configureSyncSettings(
  ctx: ServiceContext,
  _actor: ClerkRow,
  input: { url: string; token: string; supervisorCode: string; supervisorPin: string },
) {
  requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  configureSync(ctx.db, input.url, input.token);
  return syncView(ctx);
}

export function unsyncedList(ctx: ServiceContext) {
  return { total: pendingCount(ctx.db), events: unsyncedEvents(ctx.db, 200) };
}
