// The status bar's update part (README "Updates / 更新"): shown while an update downloads, waits for
// a moment between customers ("更新已下载，下一位顾客之前安装"), installs, or was refused.
import { useTranslation } from 'react-i18next';
import type { TerminalStatus } from '../../app/types';

type Notice = NonNullable<TerminalStatus['update']>;

const STATE_CLASS = {
  downloading: 'busy',
  waiting: 'busy',
  installing: 'busy',
  refused: 'error',
} as const;

export function UpdateNotice({ update }: { update: Notice }) {
  const { t } = useTranslation();
  if (!(update.phase in STATE_CLASS)) return null;
  const phase = update.phase as keyof typeof STATE_CLASS;
  const version = update.version ?? '';
  const text =
    phase === 'waiting' && update.waitingFor.length > 0
      ? t('updates.bar.waitingFor', {
          version,
          what: update.waitingFor.map((w) => t(`updates.busy.${w}`)).join(t('updates.and')),
        })
      : t(`updates.bar.${phase}`, { version });
  return (
    <span
      className={`status-part state-${STATE_CLASS[phase]}`}
      data-testid="status-update"
      data-state={phase}
      role={phase === 'refused' ? 'alert' : undefined}
    >
      <span className="status-label">{t('updates.status')}</span>
      <span className="status-value">{text}</span>
    </span>
  );
}
