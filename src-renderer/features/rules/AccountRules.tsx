import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ApiClient } from '../../api/client';
import { DataTable, type Column } from '../../app/DataTable';
import type { Session } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';

type Rules = CommandOutput<'household.rules'>;

/** On the account screen: credit, no-heat status, reductions/write-offs with approvers, subsidy. */
export function AccountRules({
  client,
  session,
  householdId,
}: {
  client: ApiClient;
  session: Session;
  householdId: string;
}) {
  const { t } = useTranslation();
  const [rules, setRules] = useState<Rules | null>(null);
  useEffect(() => {
    let live = true;
    void client.invoke('household.rules', { session: session.token, householdId }).then((r) => {
      if (live && r.ok) setRules(r.value);
    });
    return () => {
      live = false;
    };
  }, [client, session.token, householdId]);
  if (!rules) return null;
  const columns: Column<Rules['adjustments'][number]>[] = [
    { title: t('rules.season'), className: 'mono', cell: (a) => a.seasonCode },
    { title: t('rules.kind'), cell: (a) => t(`rules.kinds.${a.kind}`) },
    { title: t('rules.amount'), num: true, className: 'mono', cell: (a) => formatFen(a.amountFen) },
    { title: t('rules.reason'), className: 'data', cell: (a) => a.reason },
    {
      title: t('rules.account.approvedBy'),
      className: 'data',
      cell: (a) => a.approvedBy.map((x) => x.name).join('、') || t('rules.account.none'),
    },
  ];
  const active = rules.noHeat.filter((n) => n.active);
  const shown = rules.adjustments.filter((a) => a.kind !== 'credit_out' && a.kind !== 'credit_in');
  if (
    !active.length &&
    !shown.length &&
    rules.creditFen === 0 &&
    !rules.subsidy.length &&
    !rules.lateFees.length
  )
    return null;
  return (
    <div className="account-rules" data-testid="account-rules">
      <h3>{t('rules.account.title')}</h3>
      <div className="account-rules-tags">
        {active.map((n) => (
          <Tag key={n.seasonId} color="blue" data-testid="noheat-tag">
            {t('rules.account.noHeatActive', { season: n.seasonCode, pct: n.ratioPct })}
            {n.lateApprovedBy
              ? ` · ${t('rules.account.noHeatLate', { name: n.lateApprovedBy })}`
              : ''}
          </Tag>
        ))}
        {rules.creditFen > 0 && (
          <Tag color="green" data-testid="credit-tag">
            {t('rules.account.credit')} {formatFen(rules.creditFen)}
          </Tag>
        )}
        {rules.lateFees.map((l) => (
          <Tag key={l.seasonId} color="red">
            {t('rules.account.lateFee', { amount: formatFen(l.accruedFen) })}
          </Tag>
        ))}
        {rules.subsidy.map((s) => (
          <Tag key={s.seasonId} color="purple">
            {t('rules.account.subsidy', {
              season: s.seasonCode,
              share: formatFen(s.shareFen),
              received: formatFen(s.receivedFen),
            })}
          </Tag>
        ))}
      </div>
      {shown.length > 0 && (
        <DataTable
          className="plain-table adjustments"
          data-testid="adjustments"
          columns={columns}
          rows={shown}
          rowProps={(a) => ({ 'data-kind': a.kind })}
        />
      )}
    </div>
  );
}
