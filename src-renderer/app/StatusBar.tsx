import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatTime } from '../format/time';
import type { Session, TerminalStatus } from './types';
import { syncStatusExtra } from '../features/sync/freshness';
import { UpdateNotice } from '../features/updates/UpdateNotice';

type Component = TerminalStatus['printer'];

function Part({
  label,
  part,
  extra,
  testId,
}: {
  label: string;
  part: Component;
  extra?: string;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const detail = part.detail?.[currentLanguage(i18n)];
  return (
    <span
      className={`status-part state-${part.state}`}
      data-testid={testId}
      data-state={part.state}
      title={detail}
    >
      <span className="status-label">{label}</span>
      <span className="status-value">{t(`status.states.${part.state}`)}</span>
      {extra && <span className="status-extra">{extra}</span>}
    </span>
  );
}

/** The ledger integrity part takes the look of the component states. */
const LEDGER_STATE_CLASS = { ok: 'ready', checking: 'busy', alarm: 'error' } as const;

/** Clerk, shift, business date, printer, card terminal, sync, ledger — as `terminal.status` reports them. */
export function StatusBar({
  session,
  businessDate,
  status,
}: {
  session: Session | null;
  businessDate: string | null;
  status: TerminalStatus | null;
}) {
  const { t } = useTranslation();
  const sync = status?.sync;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className="status-part" data-testid="status-clerk">
        <span className="status-label">{t('status.clerk')}</span>
        <span className="status-value data">
          {session ? `${session.clerk.name} (${session.clerk.code})` : '—'}
        </span>
      </span>
      <span className="status-part" data-testid="status-shift">
        <span className="status-label">{t('status.shift')}</span>
        <span className={`status-value ${session?.shift ? 'data' : ''}`}>
          {session?.shift
            ? `${session.shift.clerkName} ${formatTime(session.shift.openedAt).slice(11, 16)}`
            : t('status.noShift')}
        </span>
      </span>
      <span className="status-part" data-testid="status-date">
        <span className="status-label">{t('status.businessDate')}</span>
        <span className="status-value">{businessDate ?? '—'}</span>
      </span>
      {status && (
        <>
          <Part label={t('status.printer')} part={status.printer} testId="status-printer" />
          <Part label={t('status.cardTerminal')} part={status.cardTerminal} testId="status-card" />
          {status.poleDisplay && (
            <Part label={t('status.poleDisplay')} part={status.poleDisplay} testId="status-pole" />
          )}
          {sync && (
            <Part
              label={t('status.sync')}
              part={sync}
              testId="status-sync"
              extra={syncStatusExtra(t, sync, status.clock.now)}
            />
          )}
          <span
            className={`status-part state-${LEDGER_STATE_CLASS[status.integrity.state]}`}
            data-testid="status-ledger"
            data-state={status.integrity.state}
            title={status.integrity.warnings.join('\n') || undefined}
          >
            <span className="status-label">{t('status.ledger')}</span>
            <span className="status-value">
              {t(`status.ledgerStates.${status.integrity.state}`)}
            </span>
          </span>
          {status.update && <UpdateNotice update={status.update} />}
        </>
      )}
    </footer>
  );
}

/** The clock warning: shown above everything while the PC clock is behind the ledger. */
export function ClockWarning({ status }: { status: TerminalStatus | null }) {
  const { t } = useTranslation();
  if (!status || status.clock.ok) return null;
  return (
    <div className="clock-warning" role="alert" data-testid="clock-warning">
      {t('status.clockWrong', {
        now: formatTime(status.clock.now),
        last: formatTime(status.clock.lastEventAt),
      })}
    </div>
  );
}

/** The ledger alarm: shown above everything while the ledger failed its verify (payments stop). */
export function LedgerAlarm({ status }: { status: TerminalStatus | null }) {
  const { t } = useTranslation();
  const integrity = status?.integrity;
  if (!integrity || integrity.state !== 'alarm') return null;
  return (
    <div className="clock-warning ledger-alarm" role="alert" data-testid="ledger-alarm">
      {integrity.firstBadSeq !== null
        ? t('status.ledgerAlarm', { seq: integrity.firstBadSeq })
        : t('status.ledgerAlarmMaster', { problem: integrity.problem ?? '' })}
    </div>
  );
}
