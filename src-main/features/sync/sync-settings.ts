import {
  configureSync,
  oldestPendingAt,
  pendingCount,
  syncState,
  unsyncedEvents,
  updateSyncState,
} from './sync-state.store';
import { stmt } from '../../ledger/statements';
import type { SyncContext } from './worker';

/**
 * How fresh the balances are: they include payments made elsewhere up to the last successful pull.
 * `balanceStale` once that is older than the configured threshold (sync_state.balance_stale_minutes,
 * 24 h unless a supervisor sets it with sync.configure) or when head office was never reached.
 */
export function syncFreshness(ctx: SyncContext) {
  const s = syncState(ctx.db);
  const live = ctx.status?.sync?.();
  const lastSuccessAt =
    [s.last_push_at, s.last_pull_at]
      .filter((x): x is string => x !== null)
      .sort()
      .pop() ?? null;
  return {
    online: live?.online ?? false,
    pendingEvents: pendingCount(ctx.db),
    oldestPendingAt: oldestPendingAt(ctx.db),
    lastSuccessAt,
    lastError: s.last_error,
    lastErrorAt: s.last_error_at,
    balanceAsOf: s.last_pull_at,
    balanceStale:
      s.last_pull_at === null ||
      ctx.clock().getTime() - Date.parse(s.last_pull_at) > s.balance_stale_minutes * 60_000,
    staleAfterMinutes: s.balance_stale_minutes,
  };
}

/** The sync view for the status bar / settings screen: the worker's status when it runs, else the ledger's. */
export function syncView(ctx: SyncContext) {
  const s = syncState(ctx.db);
  const live = ctx.status?.sync?.();
  const configured = Boolean(s.head_office_url && s.terminal_token);
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
    lastPushAt: s.last_push_at,
    ...syncFreshness(ctx),
    rejectedChanges: stmt(ctx.db, 'SELECT count(*) AS n FROM sync_rejects').pluck().get() as number,
  };
}

/** Head office's address and this terminal's token; the caller checked the supervisor. */
export function configureSyncSettings(
  ctx: SyncContext,
  input: { url: string; token: string; balanceStaleMinutes?: number | undefined },
) {
  configureSync(ctx.db, input.url, input.token);
  if (input.balanceStaleMinutes !== undefined)
    updateSyncState(ctx.db, { balance_stale_minutes: input.balanceStaleMinutes });
  return syncView(ctx);
}

export function unsyncedList(ctx: SyncContext) {
  return { total: pendingCount(ctx.db), events: unsyncedEvents(ctx.db, 200) };
}
