import { Alert, Spin, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClientError } from '../../api/client';
import { ErrorBox } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { Account, ScreenProps } from '../../app/types';
import { formatArea, formatFen } from '@heating-cashier/core/money';
import { formatTime } from '../../format/time';
import { FlagTags } from '../search/SearchPage';
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
  const [error, setError] = useState<ClientError | null>(null);
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
    } else if (result.error.code === 'NOT_LOGGED_IN') sessionLost();
    else setError(result.error);
  }, [client, session.token, householdId, sessionLost]);

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

  return (
    <section
      className="panel account-panel"
      aria-labelledby="account-heading"
      data-testid="account"
    >
      {h.flags.blacklisted && (
        <div className="banner banner-danger" role="alert" data-testid="blacklist-banner">
          {t('flags.blacklistBanner')}
        </div>
      )}
      {h.flags.legalAction && (
        <div className="banner banner-warn" role="alert">
          {t('flags.legalBanner')}
        </div>
      )}
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
      <dl className="identity">
        <div>
          <dt>{t('account.address')}</dt>
          <dd className="data">{h.address}</dd>
        </div>
        <div>
          <dt>{t('account.phone')}</dt>
          <dd className="mono">{h.phone}</dd>
        </div>
        <div>
          <dt>{t('account.area')}</dt>
          <dd>{formatArea(h.areaHundredths)}</dd>
        </div>
        <div>
          <dt>{t('account.category')}</dt>
          <dd>{t(`category.${h.category}`)}</dd>
        </div>
      </dl>

      <BalanceFreshness client={client} session={session} status={status} />

      <AccountRules client={client} session={session} householdId={householdId} />

      <div className="account-body">
        <div className="seasons">
          <h3>{t('account.seasons')}</h3>
          <table className="grid" data-testid="seasons">
            <thead>
              <tr>
                <th>{t('account.col.season')}</th>
                <th className="num">{t('account.col.rate')}</th>
                <th className="num">{t('account.col.charge')}</th>
                <th className="num">{t('account.col.paidElsewhere')}</th>
                <th className="num">{t('account.col.paidHere')}</th>
                <th className="num">{t('account.col.balance')}</th>
                <th>{t('account.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {account.seasons.map((s) => (
                <tr
                  key={s.seasonId}
                  className={s.inArrears ? 'arrears' : undefined}
                  data-season={s.seasonCode}
                >
                  <td className="mono">{s.seasonCode}</td>
                  <td className="num">{formatFen(s.rateFenPerM2, '')}</td>
                  <td className="num">{formatFen(s.chargeFen)}</td>
                  <td className="num">{formatFen(s.paidElsewhereFen)}</td>
                  <td className="num">{formatFen(s.paidHereFen)}</td>
                  <td className="num strong">{formatFen(s.balanceFen)}</td>
                  <td>
                    {s.inArrears ? (
                      <Tag color="#a8071a">{t('account.inArrears')}</Tag>
                    ) : s.balanceFen > 0 ? (
                      <Tag color="orange">{t('account.due')}</Tag>
                    ) : (
                      <Tag color="green">{t('account.paid')}</Tag>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
          {account.receipts.length === 0 ? (
            <p className="empty">{t('account.noReceipts')}</p>
          ) : (
            <table className="grid" data-testid="receipt-history">
              <thead>
                <tr>
                  <th>{t('account.rcol.label')}</th>
                  <th>{t('account.rcol.time')}</th>
                  <th className="num">{t('account.rcol.total')}</th>
                  <th>{t('account.rcol.state')}</th>
                </tr>
              </thead>
              <tbody>
                {account.receipts.map((r) => (
                  <tr
                    key={r.id}
                    tabIndex={0}
                    className={r.voided ? 'voided' : undefined}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        e.stopPropagation();
                        go({
                          name: 'receipt',
                          receiptId: r.id,
                          back: { name: 'account', householdId },
                        });
                      }
                    }}
                    onClick={() =>
                      go({
                        name: 'receipt',
                        receiptId: r.id,
                        back: { name: 'account', householdId },
                      })
                    }
                  >
                    <td className="mono">{r.receiptLabel}</td>
                    <td>{formatTime(r.issuedAt)}</td>
                    <td className="num">{formatFen(r.totalFen)}</td>
                    <td>
                      {r.voided ? (
                        <Tag color="#a8071a">{t('account.voided')}</Tag>
                      ) : (
                        <Tag>{t('account.valid')}</Tag>
                      )}
                      {r.reprintCount > 0 && (
                        <Tag color="purple">
                          {t('account.reprinted', { count: r.reprintCount })}
                        </Tag>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
