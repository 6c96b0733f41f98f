import { Alert, Spin, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { Facts } from '../../app/Facts';
import { ErrorBox } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { Account, ScreenProps } from '../../app/types';
import { formatArea, formatFen } from '@heating-cashier/core/money';
import { formatTime } from '../../format/time';
import { FlagBanners, FlagTags } from '../search/SearchPage';
import { AccountRules } from '../rules/AccountRules';
import { BalanceFreshness } from '../sync/freshness';

/** Identity, flags, seasons (charge, paid, balance; arrears highlighted), receipts. Enter/F3 pays. */
export function AccountPage({
  client,
  session,
  status,
  go,
  sessionLost,
  householdId,
}: ScreenProps & { householdId: string }) {
  const { t } = useTranslation();
  const [account, setAccount] = useState<Account | null>(null);
  const { error, setError, fail } = useCommand(sessionLost);
  const [notice, setNotice] = useState<string | null>(null);
  const payRef = useRef<HTMLButtonElement>(null);

  const load = useCallback(async () => {
    const result = await client.invoke('household.account', {
      session: session.token,
      householdId,
    });
    if (result.ok) {
      setAccount(result.value);
      setError(null);
    } else fail(result.error);
  }, [client, session.token, householdId, fail]);

  useEffect(() => {
    void load();
  }, [load]);
  // A key pressed while the account is still loading is not lost: it pays once the account is here.
  const pendingPay = useRef(false);
  useEffect(() => {
    if (!account) return;
    payRef.current?.focus();
    if (pendingPay.current) {
      pendingPay.current = false;
      pay();
    }
  }, [account]);
  const mountedAt = useRef(performance.now());
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // The Enter that opened this screen is still travelling up to window: not ours.
      if (e.timeStamp < mountedAt.current) return;
      const idle = document.activeElement === null || document.activeElement === document.body;
      if (e.key === 'Enter' && idle && !e.repeat) {
        e.preventDefault();
        pay();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  function pay() {
    if (!account) {
      pendingPay.current = true;
      return;
    }
    if (account.owedFen === 0) {
      setNotice('account.nothingOwed');
      return;
    }
    go({ name: 'payment', account });
  }

  useScreenKeys([
    { key: 'Enter', label: t('keys.pay') },
    { key: 'F3', label: t('keys.pay'), run: pay, disabled: account?.owedFen === 0 },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'search' }) },
  ]);

  if (error) return <ErrorBox error={error} />;
  if (!account) return <Spin size="large" />;
  const h = account.household;
  const openReceipt = (receiptId: string) =>
    go({ name: 'receipt', receiptId, back: { name: 'account', householdId } });
  const seasonColumns: Column<Account['seasons'][number]>[] = [
    { title: t('account.col.season'), className: 'mono', cell: (s) => s.seasonCode },
    { title: t('account.col.rate'), num: true, cell: (s) => formatFen(s.rateFenPerM2, '') },
    { title: t('account.col.charge'), num: true, cell: (s) => formatFen(s.chargeFen) },
    {
      title: t('account.col.paidElsewhere'),
      num: true,
      cell: (s) => formatFen(s.paidElsewhereFen),
    },
    { title: t('account.col.paidHere'), num: true, cell: (s) => formatFen(s.paidHereFen) },
    {
      title: t('account.col.balance'),
      num: true,
      className: 'strong',
      cell: (s) => formatFen(s.balanceFen),
    },
    {
      title: t('account.col.status'),
      cell: (s) =>
        s.inArrears ? (
          <Tag color="#a8071a">{t('account.inArrears')}</Tag>
        ) : s.balanceFen > 0 ? (
          <Tag color="orange">{t('account.due')}</Tag>
        ) : (
          <Tag color="green">{t('account.paid')}</Tag>
        ),
    },
  ];
  const receiptColumns: Column<Account['receipts'][number]>[] = [
    { title: t('account.rcol.label'), className: 'mono', cell: (r) => r.receiptLabel },
    { title: t('account.rcol.time'), cell: (r) => formatTime(r.issuedAt) },
    { title: t('account.rcol.total'), num: true, cell: (r) => formatFen(r.totalFen) },
    {
      title: t('account.rcol.state'),
      cell: (r) => (
        <>
          {r.voided ? (
            <Tag color="#a8071a">{t('account.voided')}</Tag>
          ) : (
            <Tag>{t('account.valid')}</Tag>
          )}
          {r.reprintCount > 0 && (
            <Tag color="purple">{t('account.reprinted', { count: r.reprintCount })}</Tag>
          )}
        </>
      ),
    },
  ];

  return (
    <section
      className="panel account-panel"
      aria-labelledby="account-heading"
      data-testid="account"
    >
      <FlagBanners flags={h.flags} />
      <div className="account-head">
        <h2 id="account-heading">
          <span className="data" data-testid="household-name">
            {h.name}
          </span>
          <span className="mono account-no">{h.accountNo}</span>
          <FlagTags flags={h.flags} />
        </h2>
        <div className="owed-box">
          <div className="owed-label">{t('account.owed')}</div>
          <div className={`owed-value ${account.owedFen === 0 ? 'zero' : ''}`} data-testid="owed">
            {formatFen(account.owedFen)}
          </div>
          {account.arrearsFen > 0 && (
            <div className="arrears-line">
              {t('account.arrears')} <strong>{formatFen(account.arrearsFen)}</strong>
            </div>
          )}
        </div>
      </div>
      <Facts
        className="identity"
        items={[
          { label: t('account.address'), value: h.address, className: 'data' },
          { label: t('account.phone'), value: h.phone, className: 'mono' },
          { label: t('account.area'), value: formatArea(h.areaHundredths) },
          { label: t('account.category'), value: t(`category.${h.category}`) },
        ]}
      />

      <BalanceFreshness client={client} session={session} status={status} />

      <AccountRules client={client} session={session} householdId={householdId} />

      <div className="account-body">
        <div className="seasons">
          <h3>{t('account.seasons')}</h3>
          <DataTable
            className="grid"
            data-testid="seasons"
            columns={seasonColumns}
            rows={account.seasons}
            rowKey={(s) => s.seasonId}
            rowProps={(s) => ({
              className: s.inArrears ? 'arrears' : undefined,
              'data-season': s.seasonCode,
            })}
          />
          <button
            ref={payRef}
            type="button"
            className="primary-action"
            onClick={pay}
            data-testid="pay"
          >
            {t('keys.pay')} (Enter / F3)
          </button>
          {notice && <Alert type="info" showIcon title={t(notice)} />}
        </div>
        <div className="receipts">
          <h3>{t('account.receipts')}</h3>
          <DataTable
            whenEmpty={<p className="empty">{t('account.noReceipts')}</p>}
            className="grid"
            data-testid="receipt-history"
            columns={receiptColumns}
            rows={account.receipts}
            rowProps={(r) => ({
              tabIndex: 0,
              className: r.voided ? 'voided' : undefined,
              onKeyDown: (e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  e.stopPropagation();
                  openReceipt(r.id);
                }
              },
              onClick: () => openReceipt(r.id),
            })}
          />
        </div>
      </div>
    </section>
  );
}
