import { Button, type InputRef } from 'antd';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { DataTable, type Column } from '../../app/DataTable';
import { useScreenKeys } from '../../app/keys';
import { FormMessages, useWords } from '../../app/messages';
import type { ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { COLLECTED_KINDS } from '@heating-cashier/core/tenders';
import { DunningField } from './layout';
import './dunning.css';
import { ServiceKpisView } from '../service/ServiceKpisView';

type Report = CommandOutput<'report.collector'>;
/** One line of the report: a clerk's, or the total. */
type Line = Report['total'] & { key: string; label: string };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** 收费员业绩: collected per clerk by payment date; cheques pending and subsidy receipts apart. */
export function CollectorPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [report, setReport] = useState<Report | null>(null);
  const { error, take } = useCommand(sessionLost);
  const [problem, setProblem] = useWords();
  const fromRef = useRef<InputRef>(null);

  const show = async (f: string, tt: string) => {
    if (!DATE.test(f) || !DATE.test(tt) || f > tt)
      return setProblem((t) => t('dunning.collector.badRange'));
    setProblem(null);
    take(
      await client.invoke('report.collector', { session: session.token, from: f, to: tt }),
      setReport,
    );
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

  const fen = (title: string, amount: (l: Line) => number): Column<Line> => ({
    title,
    num: true,
    cell: (l) => formatFen(amount(l)),
  });
  const columns: Column<Line>[] = [
    { title: t('dunning.collector.clerk'), className: 'data', cell: (l) => l.label },
    { title: t('dunning.collector.receipts'), num: true, cell: (l) => l.receiptCount },
    { title: t('dunning.collector.voids'), num: true, cell: (l) => l.voidCount },
    { ...fen(t('dunning.collector.collected'), (l) => l.collectedFen), className: 'strong' },
    ...COLLECTED_KINDS.map((k) => fen(t(`cash.tenders.${k}`), (l) => l.byTender[k])),
    fen(t('dunning.collector.cheque'), (l) => l.chequePendingFen),
    fen(t('dunning.collector.chequeCleared'), (l) => l.chequeClearedFen),
    fen(t('dunning.collector.subsidy'), (l) => l.subsidyReceivedFen),
  ];
  const lines = (r: Report): Line[] => [
    ...r.clerks.map((c) => ({ ...c, key: c.clerkId, label: `${c.clerkName}（${c.clerkCode}）` })),
    { ...r.total, key: 'total', label: t('dunning.collector.total') },
  ];

  return (
    <section className="dunning-page" data-testid="collector">
      <h2>{t('dunning.collector.heading')}</h2>
      <form className="dunning-filters" onSubmit={submit}>
        <DunningField
          ref={fromRef}
          label={t('dunning.collector.from')}
          name="from"
          value={from}
          onValue={setFrom}
        />
        <DunningField label={t('dunning.collector.to')} name="to" value={to} onValue={setTo} />
        <Button htmlType="submit" type="primary">
          {t('dunning.collector.show')}
        </Button>
      </form>
      <FormMessages problem={problem} error={error} />
      {report && (
        <DataTable
          whenEmpty={<p>{t('dunning.collector.empty')}</p>}
          className="dunning-table"
          data-testid="collector-rows"
          columns={columns}
          rows={report.clerks.length === 0 ? [] : lines(report)}
          rowKey={(l) => l.key}
        />
      )}
      {report && !report.subsidy.tracked && (
        <p className="small">{t('dunning.collector.subsidyNotTracked')}</p>
      )}
      {report && <ServiceKpisView kpis={report.serviceKpis} testId="collector-kpis" />}
    </section>
  );
}
