import { Alert, Button, Input, type InputRef } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ClientError } from '../../api/client';
import { useScreenKeys } from '../../app/keys';
import { ErrorBox, ProblemText } from '../../app/messages';
import { SupervisorFields } from '../../app/SupervisorFields';
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
import { isSessionLost } from './shared';
import './cash.css';

type Daily = CommandOutput<'report.daily'>;
type Monthly = CommandOutput<'report.monthly'>;
type ZResult = CommandOutput<'day.close'>;
type Tab = 'daily' | 'monthly';
const CODE = /^[A-Za-z0-9]{1,20}$/;
const PIN = /^\d{4,12}$/;
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
  const [error, setError] = useState<ClientError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const [zOpen, setZOpen] = useState(false);
  const [zDone, setZDone] = useState<ZResult | null>(null);
  const [supCode, setSupCode] = useState(session.clerk.code);
  const [supPin, setSupPin] = useState('');
  const dateRef = useRef<InputRef>(null);
  const pinRef = useRef<InputRef>(null);

  const fail = useCallback(
    (e: ClientError) => (isSessionLost(e) ? sessionLost() : setError(e)),
    [sessionLost],
  );

  const showDaily = useCallback(
    async (d: string) => {
      if (!DATE.test(d)) return setProblem('cash.reports.needDate');
      setProblem(null);
      const r = await client.invoke('report.daily', { session: session.token, businessDate: d });
      if (r.ok) {
        setDaily(r.value);
        setError(null);
      } else fail(r.error);
    },
    [client, session.token, fail],
  );
  const showMonthly = useCallback(
    async (m: string) => {
      if (!MONTH.test(m)) return setProblem('cash.reports.needMonth');
      setProblem(null);
      const r = await client.invoke('report.monthly', { session: session.token, month: m });
      if (r.ok) {
        setMonthly(r.value);
        setError(null);
      } else fail(r.error);
    },
    [client, session.token, fail],
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
    setWorking(true);
    setNote(null);
    const r =
      tab === 'daily'
        ? await client.invoke('report.export', {
            session: session.token,
            report: 'daily',
            businessDate: date,
            format,
          })
        : await client.invoke('report.export', {
            session: session.token,
            report: 'monthly',
            month,
            format,
          });
    setWorking(false);
    if (!r.ok) return fail(r.error);
    saveFile(r.value);
    setNote(r.value.fileName);
  }

  async function closeDay(e: FormEvent) {
    e.preventDefault();
    if (!CODE.test(supCode.trim()) || !PIN.test(supPin))
      return setProblem('cash.tools.needSupervisor');
    setProblem(null);
    setWorking(true);
    const r = await client.invoke('day.close', {
      session: session.token,
      businessDate: date,
      supervisorCode: supCode.trim(),
      supervisorPin: supPin,
    });
    setWorking(false);
    setSupPin('');
    if (r.ok) {
      setZDone(r.value);
      setZOpen(false);
      setError(null);
    } else fail(r.error);
  }

  useScreenKeys(
    zOpen
      ? [
          { key: 'Enter', label: t('cash.reports.zSubmit') },
          { key: 'Escape', label: t('common.cancel'), run: () => setZOpen(false) },
        ]
      : [
          { key: 'Enter', label: t('cash.reports.show') },
          { key: 'F5', label: t('cash.keys.daily'), run: () => setTab('daily') },
          { key: 'F6', label: t('cash.keys.monthly'), run: () => setTab('monthly') },
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
        <div className="slip-tabs">
          <button
            type="button"
            className={tab === 'daily' ? 'selected' : ''}
            onClick={() => setTab('daily')}
            data-testid="tab-daily"
          >
            F5 {t('cash.reports.daily')}
          </button>
          <button
            type="button"
            className={tab === 'monthly' ? 'selected' : ''}
            onClick={() => setTab('monthly')}
            data-testid="tab-monthly"
          >
            F6 {t('cash.reports.monthly')}
          </button>
        </div>
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
        <label className="field inline">
          <span>{tab === 'daily' ? t('cash.reports.date') : t('cash.reports.month')}</span>
          <Input
            ref={dateRef}
            name={tab === 'daily' ? 'businessDate' : 'month'}
            value={tab === 'daily' ? date : month}
            onChange={(e) => (tab === 'daily' ? setDate(e.target.value) : setMonth(e.target.value))}
          />
        </label>
        <Button htmlType="submit">{t('cash.reports.show')} (Enter)</Button>
        <span className="hint">{t('cash.reports.chequeNote')}</span>
      </form>
      {problem && <ProblemText text={t(problem)} />}
      {error && <ErrorBox error={error} />}
      {note && (
        <p className="done-note" role="status" data-testid="export-note">
          {t('cash.reports.saved', { file: note })}
        </p>
      )}
      {zOpen && (
        <form
          className="z-confirm"
          onSubmit={(e) => void closeDay(e)}
          data-testid="z-confirm"
          noValidate
        >
          <Alert type="warning" showIcon title={t('cash.reports.zConfirm', { date })} />
          <SupervisorFields
            code={supCode}
            pin={supPin}
            onCode={setSupCode}
            onPin={setSupPin}
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
        <Alert
          type="success"
          showIcon
          data-testid="z-done"
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
  const row = (x: Daily['total']) => (
    <>
      <td className="num">{x.receiptCount}</td>
      <td className="num">{x.voidCount}</td>
      {REPORT_ORDER.map((k) => (
        <td key={k} className="num">
          {formatFen(x.byTender[k])}
        </td>
      ))}
      {/* cleared cheques are what collected holds beyond cash + card + QR (counted on clearance) */}
      <td className="num">{formatFen(x.collectedFen - collectedFen(x.byTender))}</td>
      <td className="num strong">{formatFen(x.collectedFen)}</td>
    </>
  );
  return (
    <div className="report-body" data-testid="daily-report">
      <table className="plain-table wide">
        <thead>
          <tr>
            <th>{t('cash.reports.clerk')}</th>
            <th className="num">{t('cash.reports.receipts')}</th>
            <th className="num">{t('cash.reports.voids')}</th>
            {REPORT_ORDER.map((k) => (
              <th key={k} className="num">
                {isPending(k) ? t(`cash.reports.${k}Pending`) : t(`cash.tenders.${k}`)}
              </th>
            ))}
            <th className="num">{t('cash.reports.chequeCleared')}</th>
            <th className="num">{t('cash.reports.collected')}</th>
          </tr>
        </thead>
        <tbody>
          {daily.clerks.map((c) => (
            <tr key={c.clerkId}>
              <th className="data">{c.clerkName}</th>
              {row(c)}
            </tr>
          ))}
          {daily.clerks.length === 0 && (
            <tr>
              <td colSpan={REPORT_ORDER.length + 5}>{t('cash.reports.empty')}</td>
            </tr>
          )}
        </tbody>
        <tfoot>
          <tr data-testid="daily-total">
            <th>{t('cash.reports.total')}</th>
            {row(daily.total)}
          </tr>
        </tfoot>
      </table>
      <h3>{t('cash.reports.byClerk')}</h3>
      <Chart option={option} testId="chart-daily" height={220} />
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
  return (
    <div className="report-body" data-testid="monthly-report">
      <dl className="facts-grid">
        <div>
          <dt>{t('cash.reports.collected')}</dt>
          <dd data-testid="monthly-collected">{formatFen(total.collectedFen)}</dd>
        </div>
        <div>
          <dt>{t('cash.reports.receipts')}</dt>
          <dd>{total.receiptCount}</dd>
        </div>
        <div>
          <dt>{t('cash.reports.ePayShare')}</dt>
          <dd data-testid="monthly-epay">{formatPercentTenths(monthly.ePaymentShareTenths)}</dd>
        </div>
        <div>
          <dt>{t('cash.reports.arrearsRate')}</dt>
          <dd data-testid="monthly-arrears">{formatPercentTenths(monthly.arrearsRateTenths)}</dd>
        </div>
        <div>
          <dt>{t('cash.reports.chequePending')}</dt>
          <dd>{formatFen(pendingFen(total.byTender))}</dd>
        </div>
      </dl>
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
      <table className="plain-table wide">
        <thead>
          <tr>
            <th>{t('cash.reports.season')}</th>
            <th className="num">{t('cash.reports.receivable')}</th>
            <th className="num">{t('cash.reports.seasonCollected')}</th>
            <th className="num">{t('cash.reports.rate')}</th>
            <th className="num">{t('cash.reports.outstanding')}</th>
          </tr>
        </thead>
        <tbody>
          {monthly.seasons.map((s) => (
            <tr key={s.seasonCode}>
              <th className="mono">{s.seasonCode}</th>
              <td className="num">{formatFen(s.receivableFen)}</td>
              <td className="num">{formatFen(s.collectedFen)}</td>
              <td className="num">{formatPercentTenths(s.collectionRateTenths)}</td>
              <td className="num">{formatFen(s.outstandingFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
