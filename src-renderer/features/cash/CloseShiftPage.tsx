import { Alert, Button, Input, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  cashVarianceFen,
  handInFen,
  varianceNeedsApproval,
} from '@heating-cashier/core/cash-count';
import { useCommand } from '../../app/command';
import { Facts } from '../../app/Facts';
import { TextField } from '../../app/fields';
import { useScreenKeys } from '../../app/keys';
import { KeyTabs, tabKeys, type KeyTab } from '../../app/KeyTabs';
import { ErrorBox, ProblemText, SuccessAlert } from '../../app/messages';
import { SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import type { ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { inDrawer, isPending, REPORT_ORDER, type TenderKind } from '@heating-cashier/core/tenders';
import { formatTime } from '../../format/time';
import { openFile, saveFile } from './download';
import {
  countedFen,
  DENOMINATIONS,
  denominationsInput,
  EMPTY_COUNTS,
  parsePieces,
  SlipImage,
  type ClosedShift,
  type Counts,
  type PrintJob,
  type XReport,
} from './shared';
import './cash.css';

type Step = 'count' | 'review' | 'done';
type Copy = 'finance' | 'clerk';

type CardEod = { terminalTotalFen: number; ledgerTerminalFen: number; matches: boolean };

/**
 * F8: the close-shift wizard. 1 count by denomination (running totals; expected vs counted per
 * tender), 2 variance explained and — above the limit — reason + supervisor, 3 the hand-in slip:
 * printed twice through the print queue, thermal preview, A4 PDF. Keyboard first.
 */
export function CloseShiftPage({ client, session, status, go, refresh, sessionLost }: ScreenProps) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('count');
  const [x, setX] = useState<XReport | null>(null);
  const [counts, setCounts] = useState<Counts>(EMPTY_COUNTS);
  const [reason, setReason] = useState('');
  const sup = useSupervisor();
  const [problem, setProblem] = useState<string | null>(null);
  const { error, setError, fail, take, busy: working, run } = useCommand(sessionLost);
  const [closed, setClosed] = useState<ClosedShift | null>(null);
  const [copy, setCopy] = useState<Copy>('finance');
  const [preview, setPreview] = useState<string | null>(null);
  const [jobs, setJobs] = useState<PrintJob[]>([]);
  const [eod, setEod] = useState<CardEod | null>(null);
  const inputs = useRef<(InputRef | null)[]>([]);
  const reasonRef = useRef<InputRef>(null);
  const finishRef = useRef<HTMLButtonElement>(null);

  const loadX = useCallback(
    async () => take(await client.invoke('shift.xReport', { session: session.token }), setX),
    [client, session.token, take],
  );

  useEffect(() => {
    void loadX();
  }, [loadX]);

  const counted = countedFen(counts);
  const expected = x?.cash.expectedFen ?? 0;
  const variance = counted === null ? null : cashVarianceFen(counted, expected);
  const limit = x?.varianceThresholdFen ?? 0;
  const needsApproval = variance !== null && varianceNeedsApproval(variance, limit);

  function toReview() {
    if (counted === null) {
      setProblem('cash.close.countBad');
      return;
    }
    setProblem(null);
    setError(null);
    setStep('review');
  }

  // Review: the reason when the variance needs approval (again if a reload changes that), else submit.
  useEffect(() => {
    if (step !== 'review') return;
    if (needsApproval) reasonRef.current?.focus();
    else document.querySelector<HTMLButtonElement>('[data-testid="close-submit"]')?.focus();
  }, [step, needsApproval]);
  // Count and done: focus on entering the step only (the count once the X figures are shown). While
  // counting, the variance crossing the limit must not move the cursor: it sent the next count into
  // another denomination's row.
  const loaded = x !== null;
  useEffect(() => {
    if (step === 'done') finishRef.current?.focus();
    if (step === 'count' && loaded) inputs.current[0]?.focus();
  }, [step, loaded]);

  async function runEod() {
    const r = await run(() => client.invoke('card.endOfDay', { session: session.token }));
    if (r) setEod(r);
  }

  async function close(e?: FormEvent) {
    e?.preventDefault();
    if (working || counted === null) return;
    const approval = sup.credentials();
    if (needsApproval && (!reason.trim() || !approval)) {
      setProblem('cash.close.needApproval');
      return;
    }
    setProblem(null);
    const r = await run(
      () =>
        client.invoke('shift.close', {
          session: session.token,
          denominations: denominationsInput(counts) ?? {},
          ...(needsApproval ? { varianceReason: reason.trim(), ...approval } : {}),
        }),
      // the limit or the expected cash changed meanwhile: show the figures the host used
      (e) => e.code === 'VARIANCE_NEEDS_APPROVAL' && void loadX(),
    );
    sup.setPin('');
    if (!r) return;
    setClosed(r);
    setError(null);
    setStep('done');
    refresh();
  }

  // Done: the thermal preview of the chosen copy and the two print jobs' states (polled).
  useEffect(() => {
    if (!closed) return;
    let stop = false;
    void client
      .invoke('shift.slipPreview', { session: session.token, shiftId: closed.shiftId, copy })
      .then((r) => !stop && (r.ok ? setPreview(r.value.svg) : fail(r.error)));
    return () => {
      stop = true;
    };
  }, [client, session.token, closed, copy, fail]);

  useEffect(() => {
    if (!closed) return;
    const poll = async () => {
      const r = await client.invoke('printer.jobs', {
        session: session.token,
        openOnly: false,
        limit: 50,
      });
      if (r.ok)
        setJobs(
          r.value.jobs.filter(
            (j) => j.subjectId === closed.shiftId && j.template === 'hand-in-slip',
          ),
        );
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => clearInterval(timer);
  }, [client, session.token, closed]);

  async function pdf(open: boolean) {
    if (!closed) return;
    const { shiftId } = closed;
    const file = await run(() =>
      client.invoke('report.export', {
        session: session.token,
        report: 'handInSlip',
        shiftId,
        copy,
        format: 'pdf',
      }),
    );
    if (file) (open ? openFile : saveFile)(file);
  }

  const finish = () => {
    refresh();
    go({ name: 'openShift' });
  };
  const copyTabs: KeyTab<Copy>[] = [
    {
      id: 'finance',
      key: 'F5',
      text: t('cash.close.copyFinance'),
      keyLabel: t('cash.keys.finance'),
    },
    { id: 'clerk', key: 'F6', text: t('cash.close.copyClerk'), keyLabel: t('cash.keys.clerkCopy') },
  ];

  useScreenKeys(
    step === 'count'
      ? [
          { key: 'Enter', label: t('cash.keys.next') },
          { key: 'F5', label: t('cash.keys.review'), run: toReview, disabled: !x },
          ...(status && status.cardTerminal.state !== 'unavailable'
            ? [{ key: 'F6' as const, label: t('cash.keys.eod'), run: () => void runEod() }]
            : []),
          { key: 'Escape', label: t('keys.esc'), run: () => go({ name: 'search' }) },
        ]
      : step === 'review'
        ? [
            { key: 'Enter', label: t('cash.keys.close') },
            { key: 'Escape', label: t('cash.close.back'), run: () => setStep('count') },
          ]
        : [
            { key: 'Enter', label: t('cash.keys.finish') },
            ...tabKeys(copyTabs, setCopy),
            { key: 'F7', label: t('cash.keys.pdf'), run: () => void pdf(false) },
            { key: 'Escape', label: t('cash.keys.finish'), run: finish },
          ],
  );

  if (!x && !closed) {
    return (
      <section className="panel cash-panel" data-testid="close-shift">
        <h2>{t('cash.close.heading')}</h2>
        {error ? <ErrorBox error={error} /> : <p>{t('app.loading')}</p>}
      </section>
    );
  }

  const onCountKey = (i: number) => (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    if (i < DENOMINATIONS.length - 1) inputs.current[i + 1]?.focus({ cursor: 'all' });
    else toReview();
  };

  return (
    <section className="panel cash-panel" data-testid="close-shift" data-step={step}>
      <header className="cash-head">
        <h2>{t('cash.close.heading')}</h2>
        <ol className="cash-steps">
          {(['count', 'review', 'done'] as const).map((s) => (
            <li key={s} className={s === step ? 'current' : ''}>
              {t(`cash.close.steps.${s}`)}
            </li>
          ))}
        </ol>
      </header>
      {step === 'count' && x && (
        <div className="cash-columns">
          <div>
            <p className="hint">{t('cash.close.countIntro')}</p>
            <table className="count-table" data-testid="count-table">
              <thead>
                <tr>
                  <th>{t('cash.close.face')}</th>
                  <th>{t('cash.close.pieces')}</th>
                  <th className="num">{t('cash.close.subtotal')}</th>
                </tr>
              </thead>
              <tbody>
                {DENOMINATIONS.map(([face, label], i) => {
                  const n = parsePieces(counts[face]);
                  return (
                    <tr key={face}>
                      <th className="mono">{label}</th>
                      <td>
                        <Input
                          ref={(el) => {
                            inputs.current[i] = el;
                          }}
                          name={`count-${face}`}
                          inputMode="numeric"
                          autoComplete="off"
                          value={counts[face]}
                          status={n === null ? 'error' : undefined}
                          onChange={(e) => setCounts((c) => ({ ...c, [face]: e.target.value }))}
                          onKeyDown={onCountKey(i)}
                          onFocus={(e) => e.target.select()}
                        />
                      </td>
                      <td className="num" data-testid={`subtotal-${face}`}>
                        {n === null ? '—' : formatFen(n * face)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th colSpan={2}>{t('cash.close.counted')}</th>
                  <td className="num strong" data-testid="counted-total">
                    {counted === null ? '—' : formatFen(counted)}
                  </td>
                </tr>
              </tfoot>
            </table>
            {problem && <ProblemText text={t(problem)} />}
          </div>
          <TenderCheck
            x={x}
            counted={counted}
            eod={eod}
            status={status}
            onEod={() => void runEod()}
          />
        </div>
      )}
      {step === 'review' && x && counted !== null && variance !== null && (
        <form className="cash-review" onSubmit={(e) => void close(e)} noValidate>
          <CashFacts
            expected={formatFen(expected)}
            counted={formatFen(counted)}
            variance={formatFen(variance)}
            warn={variance !== 0}
            testIds={['review-expected', 'review-counted', 'review-variance']}
          />
          <p className="formula" data-testid="variance-formula">
            {t('cash.close.formula', {
              float: formatFen(x.cash.openingFloatFen),
              cash: formatFen(x.cash.cashReceiptsFen),
              cashIn: formatFen(x.cash.cashInFen),
              cashOut: formatFen(x.cash.cashOutFen),
              drop: formatFen(x.cash.safeDropFen),
            })}
          </p>
          <Alert
            type={variance === 0 ? 'success' : needsApproval ? 'warning' : 'info'}
            showIcon
            data-testid="variance-explained"
            title={
              variance > 0
                ? t('cash.close.over', { amount: formatFen(variance) })
                : variance < 0
                  ? t('cash.close.short', { amount: formatFen(-variance) })
                  : t('cash.close.even')
            }
            description={
              variance === 0
                ? undefined
                : needsApproval
                  ? t('cash.close.aboveLimit', { limit: formatFen(limit) })
                  : t('cash.close.withinLimit', { limit: formatFen(limit) })
            }
          />
          {needsApproval && (
            <div className="approval">
              <TextField
                ref={reasonRef}
                label={t('cash.close.reason')}
                name="varianceReason"
                maxLength={200}
                value={reason}
                onValue={setReason}
              />
              <SupervisorFields {...sup.fields} />
            </div>
          )}
          <p className="hint">{t('cash.close.confirm')}</p>
          <div className="actions">
            <Button onClick={() => setStep('count')}>Esc {t('cash.close.back')}</Button>
            <Button
              type="primary"
              htmlType="submit"
              size="large"
              loading={working}
              data-testid="close-submit"
            >
              {t('cash.close.submit')} (Enter)
            </Button>
          </div>
          {problem && <ProblemText text={t(problem)} />}
        </form>
      )}
      {step === 'done' && closed && (
        <div className="cash-columns">
          <div>
            <SuccessAlert
              testId="closed"
              title={t('cash.close.closedTitle')}
              description={t('cash.close.closedSummary', {
                receipts: closed.receiptCount,
                voids: closed.voidCount,
                total: formatFen(closed.collectedFen),
                counted: formatFen(closed.cash.countedFen ?? 0),
                variance: formatFen(closed.cash.varianceFen ?? 0),
              })}
            />
            <p className="big-fact" data-testid="hand-in">
              {t('cash.close.handIn', {
                amount: formatFen(
                  handInFen(closed.cash.countedFen ?? 0, closed.cash.openingFloatFen),
                ),
              })}
            </p>
            <h3>{t('cash.close.jobs')}</h3>
            <ul className="job-list" data-testid="slip-jobs">
              {jobs.map((j) => (
                <li key={j.id} data-state={j.state}>
                  <span className="data">{j.label}</span> · {t(`cash.close.jobStates.${j.state}`)}
                  {j.reason ? ` (${j.reason})` : ''} · {formatTime(j.createdAt)}
                </li>
              ))}
            </ul>
            <div className="actions">
              <Button onClick={() => void pdf(true)} loading={working} data-testid="pdf-open">
                {t('cash.close.pdfOpen')}
              </Button>
              <Button onClick={() => void pdf(false)} loading={working} data-testid="pdf-save">
                F7 {t('cash.close.pdfSave')}
              </Button>
              <Button ref={finishRef} type="primary" onClick={finish} data-testid="close-finish">
                {t('cash.close.finish')} (Enter)
              </Button>
            </div>
          </div>
          <div className="slip-box">
            <KeyTabs tabs={copyTabs} selected={copy} onPick={setCopy} />
            {preview && <SlipImage svg={preview} label={t('cash.close.preview')} />}
          </div>
        </div>
      )}
      {error && <ErrorBox error={error} />}
    </section>
  );
}

function TenderCheck({
  x,
  counted,
  eod,
  status,
  onEod,
}: {
  x: XReport;
  counted: number | null;
  eod: CardEod | null;
  status: ScreenProps['status'];
  onEod(): void;
}) {
  const { t } = useTranslation();
  const terminal = status && status.cardTerminal.state !== 'unavailable';
  /** How each kind is checked: the drawer count, the card terminal's totals, the pending cheques, a note. */
  const check = (k: TenderKind): ReactNode => {
    if (inDrawer(k))
      return (
        <>
          {counted === null ? '—' : formatFen(counted)}
          {counted !== null && (
            <span className={counted === x.cash.expectedFen ? 'ok' : 'warn'}>
              {' '}
              ({t('cash.close.variance')} {formatFen(cashVarianceFen(counted, x.cash.expectedFen))})
            </span>
          )}
        </>
      );
    if (k === 'card')
      return eod ? (
        <span className={eod.matches ? 'ok' : 'warn'}>
          {t('cash.close.cardTerminal', {
            amount: formatFen(eod.terminalTotalFen),
            ledger: formatFen(eod.ledgerTerminalFen),
          })}{' '}
          {eod.matches ? t('cash.close.cardMatch') : t('cash.close.cardMismatch')}
        </span>
      ) : terminal ? (
        <Button size="small" onClick={onEod}>
          F6 {t('cash.close.cardEod')}
        </Button>
      ) : (
        t('cash.close.cardNoTerminal')
      );
    if (isPending(k))
      return x.chequesPending.length === 0
        ? t('cash.close.noCheques')
        : t('cash.close.chequesPending', { count: x.chequesPending.length });
    return t(`cash.close.${k}Note`);
  };
  return (
    <div className="tender-check" data-testid="tender-check">
      <h3>{t('cash.close.perTender')}</h3>
      <table>
        <thead>
          <tr>
            <th />
            <th className="num">{t('cash.close.tenderExpected')}</th>
            <th>{t('cash.close.tenderCounted')}</th>
          </tr>
        </thead>
        <tbody>
          {REPORT_ORDER.map((k) => (
            <tr key={k} data-testid={`tender-${k}`}>
              <th>{t(`cash.tenders.${k}`)}</th>
              <td className="num">{formatFen(inDrawer(k) ? x.cash.expectedFen : x.byTender[k])}</td>
              <td>{check(k)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {x.chequesPending.length > 0 && (
        <ul className="cheque-list">
          {x.chequesPending.map((c) => (
            <li key={c.receiptLabel + c.chequeNo}>
              <span className="data">
                {t('cash.close.chequeLine', {
                  label: c.receiptLabel,
                  bank: c.bank,
                  no: c.chequeNo,
                  amount: formatFen(c.amountFen),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <CashFacts
        expected={formatFen(x.cash.expectedFen)}
        counted={counted === null ? '—' : formatFen(counted)}
        variance={counted === null ? '—' : formatFen(cashVarianceFen(counted, x.cash.expectedFen))}
        testIds={['expected-cash', undefined, 'running-variance']}
      />
    </div>
  );
}

/** Expected cash, counted cash and their variance (长短款), while counting and at the review. */
function CashFacts(props: {
  expected: string;
  counted: string;
  variance: string;
  warn?: boolean;
  testIds: [string, string | undefined, string];
}) {
  const { t } = useTranslation();
  const [expected, counted, variance] = props.testIds;
  return (
    <Facts
      className="facts-grid"
      items={[
        { label: t('cash.close.expected'), value: props.expected, testId: expected },
        { label: t('cash.close.counted'), value: props.counted, testId: counted },
        {
          label: t('cash.close.variance'),
          value: props.variance,
          testId: variance,
          className: props.warn ? 'warn' : undefined,
        },
      ]}
    />
  );
}
