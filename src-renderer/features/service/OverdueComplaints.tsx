// The complaints nobody has answered within 24 hours (issue 22), on the counter's start screen
// (search): a compact list read once when the screen opens, each line a button (Tab reaches it)
// that opens the household. Nothing is shown when there is none or the list cannot be read.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ApiClient } from '../../api/client';
import { formatTime } from '../../format/time';
import './service.css';

type Overdue = CommandOutput<'service.overdueComplaints'>;
const SHOWN = 3;

export function OverdueComplaints({
  client,
  session,
  hidden,
  onOpen,
}: {
  client: ApiClient;
  session: string;
  /** While the clerk types a search the list stands aside (it is read once, not per keystroke). */
  hidden: boolean;
  onOpen(householdId: string): void;
}) {
  const { t } = useTranslation();
  const [overdue, setOverdue] = useState<Overdue | null>(null);
  useEffect(() => {
    let live = true;
    void client.invoke('service.overdueComplaints', { session, limit: SHOWN }).then((r) => {
      if (live && r.ok) setOverdue(r.value);
    });
    return () => {
      live = false;
    };
  }, [client, session]);
  if (hidden || !overdue || overdue.total === 0) return null;
  return (
    <aside className="overdue-complaints banner banner-warn" data-testid="overdue-complaints">
      <strong>{t('kpi.overdueHeading', { count: overdue.total })}</strong>
      <ul>
        {overdue.items.map((c) => (
          <li key={c.complaintId}>
            <button
              type="button"
              className="link-button"
              data-testid="overdue-complaint"
              title={t('kpi.overdueOpen')}
              onClick={() => onOpen(c.householdId)}
            >
              {t('kpi.overdueLine', {
                account: c.accountNo,
                name: c.householdName,
                community: c.community,
                opened: formatTime(c.openedAt).slice(0, 16),
                hours: c.hoursOverdue,
              })}
            </button>
          </li>
        ))}
      </ul>
      {overdue.total > overdue.items.length && (
        <span className="hint">
          {t('kpi.overdueMore', { count: overdue.total - overdue.items.length })}
        </span>
      )}
    </aside>
  );
}
