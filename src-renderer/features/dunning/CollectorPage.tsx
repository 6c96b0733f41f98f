import { Button, Input, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ClientError } from '../../api/client';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { COLLECTED_KINDS } from '@heating-cashier/core/tenders';
import { isSessionLost } from '../cash/shared';
import './dunning.css';

type Report = CommandOutput<'report.collector'>;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 收费员业绩: collected per clerk by payment date; cheques pending and subsidy receipts apart. */
export function CollectorPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const fromRef = useRef<InputRef>(null);

  const show = async (f: string, tt: string) => {
    if (!DATE.test(f) || !DATE.test(tt) || f > tt)
      return setProblem(t('dunning.collector.badRange'));
    setProblem(null);
    const r = await client.invoke('report.collector', { session: session.token, from: f, to: tt });
    if (!r.ok) return isSessionLost(r.error) ? sessionLost() : setError(r.error);
    setError(null);
    setReport(r.value);
  };

  useEffect(() => {
    void client.invoke('terminal.info', {}).then((r) => {
      if (!r.ok) return;
      const d = r.value.businessDate;
      setFrom(`${d.slice(0, 7)}-01`);
      setTo(d);
      void show(`${d.slice(0, 7)}-01`, d);
    });
    fromRef.current?.focus();
  }, []);

  useScreenKeys([
    { key: 'Enter', label: t('dunning.keys.search') },
    { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
  ]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void show(from.trim(), to.trim());
  };

  const line = (l: Report['total'], label: string, key: string) => (
    <tr key={key}>
      <td className="data">{label}</td>
      <td className="num">{l.receiptCount}</td>
      <td className="num">{l.voidCount}</td>
      <td className="num strong">{formatFen(l.collectedFen)}</td>
      {COLLECTED_KINDS.map((k) => (
        <td key={k} className="num">
          {formatFen(l.byTender[k])}
        </td>
      ))}
      <td className="num">{formatFen(l.chequePendingFen)}</td>
      <td className="num">{formatFen(l.chequeClearedFen)}</td>
      <td className="num">{formatFen(l.subsidyReceivedFen)}</td>
    </tr>
  );

  return (
    <section className="dunning-page" data-testid="collector">
      <h2>{t('dunning.collector.heading')}</h2>
      <form className="dunning-filters" onSubmit={submit}>
        <label>
          {t('dunning.collector.from')}
          <Input ref={fromRef} name="from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          {t('dunning.collector.to')}
          <Input name="to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <Button htmlType="submit" type="primary">
          {t('dunning.collector.show')}
        </Button>
      </form>
      {problem && <ProblemText text={problem} />}
      {error && <ErrorBox error={error} />}
      {report &&
        (report.clerks.length === 0 ? (
          <p>{t('dunning.collector.empty')}</p>
        ) : (
          <table className="dunning-table" data-testid="collector-rows">
            <thead>
              <tr>
                <th>{t('dunning.collector.clerk')}</th>
                <th className="num">{t('dunning.collector.receipts')}</th>
                <th className="num">{t('dunning.collector.voids')}</th>
                <th className="num">{t('dunning.collector.collected')}</th>
                {COLLECTED_KINDS.map((k) => (
                  <th key={k} className="num">
                    {t(`cash.tenders.${k}`)}
                  </th>
                ))}
                <th className="num">{t('dunning.collector.cheque')}</th>
                <th className="num">{t('dunning.collector.chequeCleared')}</th>
                <th className="num">{t('dunning.collector.subsidy')}</th>
              </tr>
            </thead>
            <tbody>
              {report.clerks.map((c) => line(c, `${c.clerkName}（${c.clerkCode}）`, c.clerkId))}
              {line(report.total, t('dunning.collector.total'), 'total')}
            </tbody>
          </table>
        ))}
      {report && !report.subsidy.tracked && (
        <p className="small">{t('dunning.collector.subsidyNotTracked')}</p>
      )}
    </section>
  );
}
