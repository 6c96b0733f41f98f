import { Alert, Button, type InputRef } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { useCommand } from '../../app/command';
import { Cells, DataTable, type Column } from '../../app/DataTable';
import { Facts } from '../../app/Facts';
import { TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { KeyTabs, tabKeys, type KeyTab } from '../../app/KeyTabs';
import { DoneNote, FormMessages, SuccessAlert } from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import {
  COLLECTED_KINDS,
  collectedFen,
  isPending,
  pendingFen,
  REPORT_ORDER,
} from '@heating-cashier/core/tenders';
import { Chart, type ChartOption } from './Chart';
import { saveFile } from './download';
import { ServiceKpisView } from '../service/ServiceKpisView';
import './cash.css';

type Daily = CommandOutput<'report.daily'>;
type Monthly = CommandOutput<'report.monthly'>;
type ZResult = CommandOutput<'day.close'>;
type Tab = 'daily' | 'monthly';
const TAB_KEY = { daily: 'F5', monthly: 'F6' } as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const COLORS = ['#1a5fb4', '#26a269', '#c64600', '#813d9c', '#986a44'];

const yuan = (fen: number) => Math.round(fen) / 100;

/** Supervisor: daily report by clerk, monthly report with charts, Excel/PDF export, day closure (Z). */
export function ReportsPage({ client, session, go, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('daily');
  const [date, setDate] = useState('');
  const [month, setMonth] = useState('');
  const [daily, setDaily] = useState<Daily | null>(null);
  const [monthly, setMonthly] = useState<Monthly | null>(null);
  const { error, setError, fail, take, busy: working, run } = useCommand(sessionLost);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [zOpen, setZOpen] = useState(false);
  const [zDone, setZDone] = useState<ZResult | null>(null);
  const sup = useSupervisor(session.clerk.code);
  const dateRef = useRef<InputRef>(null);
  const pinRef = useRef<InputRef>(null);

  const showDaily = useCallback(
    async (d: string) => {
      if (!DATE.test(d)) return setProblem('cash.reports.needDate');
      setProblem(null);
      take(
        await client.invoke('report.daily', { session: session.token, businessDate: d }),
        setDaily,
      );
    },
    [client, session.token, take],
  );
  const showMonthly = useCallback(
    async (m: string) => {
      if (!MONTH.test(m)) return setProblem('cash.reports.needMonth');
      setProblem(null);
      take(await client.invoke('report.monthly', { session: session.token, month: m }), setMonthly);
    },
    [client, session.token, take],
  );

  useEffect(() => {
    void client.invoke('terminal.info', {}).then((r) => {
      if (!r.ok) return fail(r.error);
      setDate(r.value.businessDate);
      setMonth(r.value.businessDate.slice(0, 7));
      void showDaily(r.value.businessDate);
      void showMonthly(r.value.businessDate.slice(0, 7));
    });
    dateRef.current?.focus();
  }, [client, fail, showDaily, showMonthly]);

  useEffect(() => {
    dateRef.current?.focus({ cursor: 'all' });
  }, [tab]);
  useEffect(() => {
    if (zOpen) pinRef.current?.focus();
  }, [zOpen]);

  async function exportAs(format: 'xlsx' | 'pdf') {
    setNote(null);
    const report = { session: session.token, format };
    const file = await run(() =>
      tab === 'daily'
        ? client.invoke('report.export', { ...report, report: 'daily', businessDate: date })
        : client.invoke('report.export', { ...report, report: 'monthly', month }),
    );
    if (!file) return;
    saveFile(file);
    setNote(file.fileName);
  }

  async function closeDay(e: FormEvent) {
    e.preventDefault();
    const approval = sup.credentials();
    if (!approval) return setProblem('cash.tools.needSupervisor');
    setProblem(null);
    const r = await run(() =>
      client.invoke('day.close', { session: session.token, businessDate: date, ...approval }),
    );
    sup.setPin('');
    if (!r) return;
    setZDone(r);
    setZOpen(false);
    setError(null);
  }

  const tabs: KeyTab<Tab>[] = (Object.keys(TAB_KEY) as Tab[]).map((id) => ({
    id,
    key: TAB_KEY[id],
    text: t(`cash.reports.${id}`),
    keyLabel: t(`cash.keys.${id}`),
    testId: `tab-${id}`,
  }));
  useScreenKeys(
    zOpen
      ? [
          { key: 'Enter', label: t('cash.reports.zSubmit') },
          { key: 'Escape', label: t('common.cancel'), run: () => setZOpen(false) },
        ]
      : [
          { key: 'Enter', label: t('cash.reports.show') },
          ...tabKeys(tabs, setTab),
          { key: 'F7', label: t('cash.keys.excel'), run: () => void exportAs('xlsx') },
          { key: 'F11', label: t('cash.keys.pdfExport'), run: () => void exportAs('pdf') },
          ...(tab === 'daily'
            ? [{ key: 'F3' as const, label: t('cash.keys.z'), run: () => setZOpen(true) }]
            : []),
          { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'menu' }) },
        ],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (tab === 'daily') void showDaily(date.trim());
    else void showMonthly(month.trim());
  };

  return (
    <section className="panel cash-panel reports" data-testid="reports" data-tab={tab}>
      <header className="cash-head">
        <h2>{t('cash.reports.heading')}</h2>
        <KeyTabs tabs={tabs} selected={tab} onPick={setTab} />
        <div className="actions">
          <Button onClick={() => void exportAs('xlsx')} loading={working} data-testid="export-xlsx">
            F7 {t('cash.reports.excel')}
          </Button>
          <Button onClick={() => void exportAs('pdf')} loading={working} data-testid="export-pdf">
            F11 {t('cash.reports.pdf')}
          </Button>
          {tab === 'daily' && (
            <Button danger onClick={() => setZOpen(true)} data-testid="z-open">
              F3 {t('cash.reports.zClose')}
            </Button>
          )}
        </div>
      </header>
      <form className="report-query" onSubmit={submit} noValidate>
        <TextField
          ref={dateRef}
          fieldClass="field inline"
          label={tab === 'daily' ? t('cash.reports.date') : t('cash.reports.month')}
          name={tab === 'daily' ? 'businessDate' : 'month'}
          value={tab === 'daily' ? date : month}
          onValue={tab === 'daily' ? setDate : setMonth}
        />
        <Button htmlType="submit">{t('cash.reports.show')} (Enter)</Button>
        <span className="hint">{t('cash.reports.chequeNote')}</span>
      </form>
      <FormMessages problem={problem && t(problem)} error={error} />
      {note && <DoneNote testId="export-note">{t('cash.reports.saved', { file: note })}</DoneNote>}
      {zOpen && (
        <form
          className="z-confirm"
          onSubmit={(e) => void closeDay(e)}
          data-testid="z-confirm"
          noValidate
        >
          <Alert type="warning" showIcon title={t('cash.reports.zConfirm', { date })} />
          <SupervisorFields
            {...sup.fields}
            pinRef={pinRef}
            names={{ code: 'zSupervisorCode', pin: 'zSupervisorPin' }}
            fieldClass="field inline"
          />
          <Button danger type="primary" htmlType="submit" loading={working} data-testid="z-submit">
            {t('cash.reports.zSubmit')} (Enter)
          </Button>
          <Button onClick={() => setZOpen(false)}>Esc {t('common.cancel')}</Button>
        </form>
      )}
      {zDone && (
        <SuccessAlert
          testId="z-done"
          title={t('cash.reports.zDone', {
            no: zDone.closureNo,
            date: zDone.businessDate,
            total: formatFen(zDone.collectedFen),
            perpetual: formatFen(zDone.perpetualTotalFen),
            absolute: formatFen(zDone.perpetualAbsoluteFen),
          })}
        />
      )}
      {tab === 'daily' && daily && <DailyView daily={daily} />}
      {tab === 'monthly' && monthly && <MonthlyView monthly={monthly} />}
    </section>
  );
}

function DailyView({ daily }: { daily: Daily }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      color: COLORS,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 70, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: daily.clerks.map((c) => c.clerkName) },
      yAxis: { type: 'value', name: '¥' },
      series: COLLECTED_KINDS.map((k) => ({
        type: 'bar' as const,
        stack: 'collected',
        name: t(`cash.tenders.${k}`),
        data: daily.clerks.map((c) => yuan(c.byTender[k])),
      })),
    }),
    [daily, t],
  );
  const amounts: Column<Daily['total']>[] = [
    { title: t('cash.reports.receipts'), num: true, cell: (x) => x.receiptCount },
    { title: t('cash.reports.voids'), num: true, cell: (x) => x.voidCount },
    ...REPORT_ORDER.map((k) => ({
      title: isPending(k) ? t(`cash.reports.${k}Pending`) : t(`cash.tenders.${k}`),
      num: true,
      cell: (x: Daily['total']) => formatFen(x.byTender[k]),
    })),
    // cleared cheques are what collected holds beyond cash + card + QR (counted on clearance)
    {
      title: t('cash.reports.chequeCleared'),
      num: true,
      cell: (x) => formatFen(x.collectedFen - collectedFen(x.byTender)),
    },
    {
      title: t('cash.reports.collected'),
      num: true,
      className: 'strong',
      cell: (x) => formatFen(x.collectedFen),
    },
  ];
  const clerk: Column<Daily['clerks'][number]> = {
    title: t('cash.reports.clerk'),
    rowHeader: true,
    className: 'data',
    cell: (c) => c.clerkName,
  };
  return (
    <div className="report-body" data-testid="daily-report">
      <DataTable
        className="plain-table wide"
        columns={[clerk, ...amounts]}
        rows={daily.clerks}
        rowKey={(c) => c.clerkId}
        emptyRow={t('cash.reports.empty')}
        foot={
          <tr data-testid="daily-total">
            <th>{t('cash.reports.total')}</th>
            <Cells columns={amounts} row={daily.total} />
          </tr>
        }
      />
      <h3>{t('cash.reports.byClerk')}</h3>
      <Chart option={option} testId="chart-daily" height={220} />
      <ServiceKpisView kpis={daily.serviceKpis} testId="daily-kpis" />
    </div>
  );
}

function MonthlyView({ monthly }: { monthly: Monthly }) {
  const { t } = useTranslation();
  const total = monthly.total;
  const tenders = useMemo<ChartOption>(
    () => ({
      color: COLORS,
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          label: { formatter: '{b}\n{d}%' },
          data: COLLECTED_KINDS.map((k) => ({
            name: t(`cash.tenders.${k}`),
            value: yuan(total.byTender[k]),
          })),
        },
      ],
    }),
    [total, t],
  );
  const seasons = useMemo<ChartOption>(
    () => ({
      color: COLORS,
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 16, top: 16, bottom: 28 },
      xAxis: { type: 'category', data: monthly.seasons.map((s) => s.seasonCode) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          type: 'bar',
          name: t('cash.reports.rate'),
          data: monthly.seasons.map((s) => s.collectionRateTenths / 10),
          label: { show: true, position: 'top', formatter: '{c}%' },
        },
      ],
    }),
    [monthly, t],
  );
  const top = monthly.communities.slice(0, 12);
  const communities = useMemo<ChartOption>(
    () => ({
      color: ['#26a269'],
      tooltip: { trigger: 'axis' },
      grid: { left: 110, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', name: '¥' },
      yAxis: { type: 'category', inverse: true, data: top.map((c) => c.community) },
      series: [
        {
          type: 'bar',
          name: t('cash.reports.collected'),
          data: top.map((c) => yuan(c.collectedFen)),
        },
      ],
    }),
    [top, t],
  );
  const seasonColumns: Column<Monthly['seasons'][number]>[] = [
    {
      title: t('cash.reports.season'),
      rowHeader: true,
      className: 'mono',
      cell: (s) => s.seasonCode,
    },
    { title: t('cash.reports.receivable'), num: true, cell: (s) => formatFen(s.receivableFen) },
    { title: t('cash.reports.seasonCollected'), num: true, cell: (s) => formatFen(s.collectedFen) },
    {
      title: t('cash.reports.rate'),
      num: true,
      cell: (s) => formatPercentTenths(s.collectionRateTenths),
    },
    { title: t('cash.reports.outstanding'), num: true, cell: (s) => formatFen(s.outstandingFen) },
  ];
  return (
    <div className="report-body" data-testid="monthly-report">
      <Facts
        className="facts-grid"
        items={[
          {
            label: t('cash.reports.collected'),
            value: formatFen(total.collectedFen),
            testId: 'monthly-collected',
          },
          { label: t('cash.reports.receipts'), value: total.receiptCount },
          {
            label: t('cash.reports.ePayShare'),
            value: formatPercentTenths(monthly.ePaymentShareTenths),
            testId: 'monthly-epay',
          },
          {
            label: t('cash.reports.arrearsRate'),
            value: formatPercentTenths(monthly.arrearsRateTenths),
            testId: 'monthly-arrears',
          },
          { label: t('cash.reports.chequePending'), value: formatFen(pendingFen(total.byTender)) },
        ]}
      />
      <div className="chart-row">
        <div>
          <h3>{t('cash.reports.byTender')}</h3>
          <Chart option={tenders} testId="chart-tenders" height={220} />
        </div>
        <div>
          <h3>{t('cash.reports.bySeason')}</h3>
          <Chart option={seasons} testId="chart-seasons" height={220} />
        </div>
        <div>
          <h3>{t('cash.reports.byCommunity')}</h3>
          <Chart option={communities} testId="chart-communities" height={220} />
        </div>
      </div>
      <DataTable
        className="plain-table wide"
        columns={seasonColumns}
        rows={monthly.seasons}
        rowKey={(s) => s.seasonCode}
      />
      <ServiceKpisView kpis={monthly.serviceKpis} testId="monthly-kpis" />
    </div>
  );
}
