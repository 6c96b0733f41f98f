import { Alert } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiClient } from '../../api/client';
import type { Session, TerminalStatus } from '../../app/types';
import { formatTime } from '../../format/time';

type Sync = TerminalStatus['sync'];
type Freshness = Pick<Sync, 'balanceAsOf' | 'balanceStale' | 'staleAfterMinutes'>;

/** "3 小时" / "2 天": a duration for the clerk, rounded down. */
export function formatAge(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return t('sync.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t('sync.hours', { count: hours });
  return t('sync.days', { count: Math.floor(hours / 24) });
}

/**
 * The account screen's "balance as of": the time of the last successful pull from head office
 * (payments made elsewhere are in the balance up to then), read when the account is opened, and a
 * warning when that is older than the configured threshold or head office was never reached.
 */
export function BalanceFreshness({
  client,
  session,
  status,
}: {
  client: ApiClient;
  session: Session;
  status: TerminalStatus | null;
}) {
  const { t } = useTranslation();
  const [view, setView] = useState<Freshness | null>(null);
  useEffect(() => {
    let live = true;
    void client.invoke('sync.status', { session: session.token }).then((r) => {
      if (live && r.ok) setView(r.value);
    });
    return () => {
      live = false;
    };
  }, [client, session.token]);
  const sync: Freshness | null = view ?? (status?.sync as Freshness | undefined) ?? null;
  const asOf = sync?.balanceAsOf ?? null;
  const now = status ? Date.parse(status.clock.now) : Date.now();
  if (!sync) return null;
  if (!asOf)
    return (
      <Alert
        className="as-of"
        data-testid="as-of"
        data-stale="never"
        type="warning"
        showIcon
        title={t('sync.never')}
      />
    );
  if (sync.balanceStale)
    return (
      <Alert
        className="as-of"
        data-testid="as-of"
        data-stale="old"
        type="warning"
        showIcon
        title={t('sync.asOf', { time: formatTime(asOf) })}
        description={t('sync.stale', {
          age: formatAge(t, now - Date.parse(asOf)),
          limit: formatAge(t, (sync.staleAfterMinutes ?? 1440) * 60_000),
        })}
      />
    );
  return (
    <p className="as-of" data-testid="as-of" data-stale="fresh">
      {t('sync.asOf', { time: formatTime(asOf) })}
    </p>
  );
}

/** The status bar's sync details: online/offline, pending, oldest pending age, last success, last error. */
export function syncStatusExtra(t: TFunction, sync: Sync, nowIso: string): string {
  const now = Date.parse(nowIso);
  const parts = [
    sync.online ? t('sync.status.online') : t('sync.status.offline'),
    t('status.pending', { count: sync.pendingEvents }),
  ];
  if (sync.oldestPendingAt)
    parts.push(
      t('sync.status.oldest', { age: formatAge(t, now - Date.parse(sync.oldestPendingAt)) }),
    );
  parts.push(
    sync.lastSuccessAt
      ? t('status.lastSync', { time: formatTime(sync.lastSuccessAt) })
      : t('status.neverSynced'),
  );
  if (sync.lastError) parts.push(t('sync.status.lastError', { text: sync.lastError.slice(0, 60) }));
  return parts.join(' · ');
}
