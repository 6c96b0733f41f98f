import { Button, Input, Tag, type InputRef } from 'antd';
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AllocationLineOut } from '@heating-cashier/core/contract';
import { isTransportError, type ClientError } from '../../api/client';
import { AMOUNT, SelectField, TextField } from '../../app/fields';
import { ErrorBox, ProblemText } from '../../app/messages';
import { useScreenKeys } from '../../app/keys';
import type { Account, Receipt, ScreenProps } from '../../app/types';
import { fenToInput, formatFen, parseYuanToFen } from '@heating-cashier/core/money';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import { FlagTags } from '../search/SearchPage';
import { CARD_CALL_TIMEOUT_MS, CardRunPanel, useCardRun } from '../card/CardRun';
import { QrRunPanel, useQrRun, type QrSaleOutcome } from '../qr/QrRun';
import type { ScannerOptions } from '../qr/scanner';
import { usePaymentCodeScanner, type Scan } from '../qr/useScanner';
import { paymentScreen, useCustomerPublisher } from '../customer/publisher';
import { useFocusRequest } from './focus-request';
import {
  MAX_TENDERS,
  QR_CHANNELS,
  cardModeOf,
  TENDER_KINDS,
  manualAllocation,
  newTender,
  paymentAmount,
  planPayment,
  withKind,
  type PaymentDraft,
  type PaymentField,
  type Problem,
  type CardMode,
  type TenderDraft,
  type TenderKind,
} from './payment-model';

function newRequestId(): string {
  return crypto.randomUUID();
}

/**
 * The payment form. The amount defaults to the full balance and the cursor waits in "cash tendered",
 * so a full cash payment is: type the cash, Enter. Esc goes back without charging (blocked while the
 * payment commits). A payment code scanned anywhere on the screen pays the amount on screen by QR
 * (`qr.sale`, through head office); the scanner's digits never stay in the field that had the cursor.
 */
export function PaymentPage({
  client,
  session,
  status,
  go,
  refresh,
  sessionLost,
  account,
  setBusy,
  scanner,
}: ScreenProps & {
  account: Account;
  setBusy(busy: boolean): void;
  /** The scanner detector's timing (tests on a loaded machine; a slow scanner model). */
  scanner?: ScannerOptions;
}) {
  const { t } = useTranslation();
  const seasons = useMemo(
    () =>
      account.seasons
        .filter((s) => s.balanceFen > 0)
        .map((s) => ({
          seasonId: s.seasonId,
          seasonCode: s.seasonCode,
          balanceFen: s.balanceFen,
          chargeFen: s.chargeFen,
        })),
    [account],
  );
  const [draft, setDraft] = useState<PaymentDraft>(() => ({
    owedFen: account.owedFen,
    seasons,
    amountText: fenToInput(account.owedFen),
    manual: null,
    tenders: [newTender('cash')],
  }));
  const [preview, setPreview] = useState<AllocationLineOut[]>([]);
  const [attempted, setAttempted] = useState(false);
  const [committing, setCommitting] = useState(false);
  const [error, setError] = useState<ClientError | null>(null);
  /** A payment code was scanned while the amount on screen was not a valid payment. */
  const [scanRefused, setScanRefused] = useState(false);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const requestId = useRef(newRequestId());
  const inFlight = useRef(false);
  const fields = useRef(new Map<string, InputRef | HTMLSelectElement | null>());
  // Focus requested by an action (F6, F7, a kind change, a problem).
  const cursor = useFocusRequest(fields);

  const cardTerminal = (status?.cardTerminal.state ?? 'unavailable') !== 'unavailable';
  const evaluation = useMemo(() => planPayment(draft, { cardTerminal }), [draft, cardTerminal]);
  const cardRun = useCardRun(client, session.token);
  const qrRun = useQrRun(client, session.token);
  const cash = draft.tenders.find((t) => t.kind === 'cash');
  // The customer display shows the amount, its allocation and the cash tendered as they change.
  const publisher = useCustomerPublisher();
  const householdId = account.household.id;
  const cashDueFen = evaluation.cashDueFen;
  useEffect(() => {
    publisher?.show(session.token, paymentScreen(householdId, draft, cashDueFen));
  }, [publisher, session.token, householdId, draft, cashDueFen]);

  // First focus: cash tendered, unless a key pressed right after mount already asked for a field.
  useEffect(() => {
    const first = draft.tenders[0];
    if (first && !cursor.requested) fields.current.get(`tender:${first.key}:tendered`)?.focus();
  }, []);

  // Allocation preview from the command table (oldest season first, or the manual split).
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      const manual = draft.manual;
      let input;
      if (manual === null) {
        const fen = parseYuanToFen(draft.amountText);
        if (fen === null || fen === 0 || fen > draft.owedFen) {
          setPreview([]);
          return;
        }
        input = { session: session.token, householdId: account.household.id, amountFen: fen };
      } else {
        const allocation = draft.seasons
          .map((s) => ({
            seasonId: s.seasonId,
            amountFen: parseYuanToFen(manual[s.seasonId] ?? '') ?? -1,
          }))
          .filter((a) => a.amountFen > 0);
        if (
          allocation.length === 0 ||
          evaluation.problems.some((p) => p.field.startsWith('season:'))
        ) {
          setPreview([]);
          return;
        }
        input = { session: session.token, householdId: account.household.id, allocation };
      }
      const result = await client.invoke('payment.preview', input);
      if (cancelled) return;
      if (result.ok) setPreview(result.value.lines);
      else if (result.error.code === 'NOT_LOGGED_IN') sessionLost();
      else setPreview([]);
    }, 60);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [client, session.token, account.household.id, draft, evaluation.problems, sessionLost]);

  function update(change: (d: PaymentDraft) => PaymentDraft) {
    setDraft((d) => change(d));
  }
  function setTender(key: number, change: Partial<TenderDraft>) {
    // A cash row's kind sits after "cash tendered", the others' in the legend: changing the kind
    // moves the select, so the cursor follows it (arrow presses go on changing the kind).
    const { kind } = change;
    if (kind) cursor.focus(`tender:${key}:kind`);
    const due = evaluation.cashDueFen;
    update((d) => ({
      ...d,
      tenders: d.tenders.map((x) =>
        x.key !== key
          ? x
          : kind
            ? withKind({ ...x, ...change, kind: x.kind }, kind, due)
            : { ...x, ...change },
      ),
    }));
  }

  function toggleManual() {
    update((d) => {
      if (d.manual !== null) {
        const sum = evaluation.plan?.amountFen ?? parseYuanToFen(d.amountText) ?? d.owedFen;
        return { ...d, manual: null, amountText: fenToInput(sum) };
      }
      const manual: Record<string, string> = {};
      for (const s of d.seasons) {
        const line = preview.find((l) => l.seasonId === s.seasonId);
        manual[s.seasonId] = line ? fenToInput(line.amountFen) : '';
      }
      return { ...d, manual };
    });
    const first = seasons[0];
    cursor.focus(draft.manual === null && first ? `season:${first.seasonId}` : 'amount');
  }

  function addTender() {
    if (draft.tenders.length >= MAX_TENDERS) return;
    const hasCash = draft.tenders.some((x) => x.kind === 'cash');
    const tender = newTender(hasCash ? 'card' : 'cash');
    update((d) => ({ ...d, tenders: [...d.tenders, tender] }));
    cursor.focus(hasCash ? `tender:${tender.key}:amount` : `tender:${tender.key}:tendered`);
  }

  function removeTender() {
    if (draft.tenders.length <= 1) return;
    const last = draft.tenders[draft.tenders.length - 1]!;
    update((d) => ({ ...d, tenders: d.tenders.filter((x) => x.key !== last.key) }));
    const first = draft.tenders[0]!;
    cursor.focus(
      first.kind === 'cash' ? `tender:${first.key}:tendered` : `tender:${first.key}:amount`,
    );
  }

  function back() {
    if (committing || cardRun.running || qrRun.running) return;
    go({ name: 'account', householdId: account.household.id });
  }

  useScreenKeys([
    { key: 'Enter', label: t('payment.confirm') },
    {
      key: 'F6',
      label: t('keys.allocate'),
      run: toggleManual,
      disabled: committing || seasons.length < 2,
    },
    {
      key: 'F7',
      label: t('keys.addTender'),
      run: addTender,
      disabled: committing || draft.tenders.length >= MAX_TENDERS,
    },
    {
      key: 'F8',
      label: t('keys.removeTender'),
      run: removeTender,
      disabled: committing || draft.tenders.length <= 1,
    },
    ...(cardTerminal
      ? [
          {
            key: 'F5' as const,
            label: t('card.reconnect'),
            run: () => void cardRun.reconnect().then(refresh),
            disabled: committing,
          },
        ]
      : []),
    { key: 'Escape', label: t('keys.esc'), run: back, disabled: committing },
  ]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return; // a second Enter before the re-render
    setAttempted(true);
    const { plan, problems } = evaluation;
    if (!plan) {
      const first = problems[0];
      if (first) fields.current.get(first.field)?.focus();
      return;
    }
    if (plan.route.kind === 'qrSale') {
      await qrSale({
        amountFen: plan.amountFen,
        ...(plan.allocation ? { allocation: plan.allocation } : {}),
        code: plan.route.code,
        source: 'keyboard',
      });
      return;
    }
    inFlight.current = true;
    setCommitting(true);
    setBusy(true);
    setError(null);
    if (plan.route.kind === 'cardSale') {
      // The terminal charges the customer: live texts on screen, Esc asks the terminal to abort.
      const outcome = await cardRun.sale({
        requestId: requestId.current,
        householdId: account.household.id,
        amountFen: plan.amountFen,
        ...(plan.allocation ? { allocation: plan.allocation } : {}),
      });
      inFlight.current = false;
      setBusy(false);
      setCommitting(false);
      if (outcome.kind === 'receipt') {
        refresh();
        go({ name: 'success', receipt: outcome.receipt, changeFen: 0 });
        return;
      }
      if (outcome.kind === 'sessionLost') return sessionLost();
      // Declined, not sent, or unknown (recovery takes over): a retry is a new request. A
      // transport error leaves the outcome open: the same id replays, never charges twice.
      if (outcome.kind !== 'transport') requestId.current = newRequestId();
      refresh();
      return;
    }
    const result =
      plan.route.kind === 'cardManual'
        ? await client.invoke(
            'card.manual',
            {
              session: session.token,
              requestId: requestId.current,
              householdId: account.household.id,
              amountFen: plan.amountFen,
              ...(plan.allocation ? { allocation: plan.allocation } : {}),
              terminalRef: plan.route.terminalRef,
              authCode: plan.route.authCode,
            },
            { timeoutMs: CARD_CALL_TIMEOUT_MS },
          )
        : await client.invoke('payment.take', {
            session: session.token,
            requestId: requestId.current,
            householdId: account.household.id,
            amountFen: plan.amountFen,
            ...(plan.allocation ? { allocation: plan.allocation } : {}),
            tenders: plan.tenders,
          });
    inFlight.current = false;
    setBusy(false);
    setCommitting(false);
    if (result.ok) {
      refresh();
      if ('payment' in result.value) {
        const receipt = result.value.receipt;
        if (receipt) go({ name: 'success', receipt, changeFen: 0 });
        return;
      }
      const receipt: Receipt = result.value;
      go({ name: 'success', receipt, changeFen: result.value.changeFen });
      return;
    }
    if (result.error.code === 'NOT_LOGGED_IN') {
      sessionLost();
      return;
    }
    // A command error means nothing was written: the next attempt is a new request.
    // A transport error leaves the outcome open: keep the id so a retry cannot charge twice.
    if (!isTransportError(result.error)) requestId.current = newRequestId();
    setError(result.error);
  }

  /** One QR sale (typed code or scanner): waits for the customer, then the outcome's next step. */
  async function qrSale(req: {
    amountFen: number;
    allocation?: { seasonId: string; amountFen: number }[];
    code: string;
    source: 'scanner' | 'keyboard';
  }): Promise<QrSaleOutcome['kind'] | null> {
    if (inFlight.current) return null;
    inFlight.current = true;
    setCommitting(true);
    setBusy(true);
    setError(null);
    setScanRefused(false);
    const outcome = await qrRun.sale({
      requestId: requestId.current,
      householdId: account.household.id,
      ...req,
    });
    inFlight.current = false;
    setBusy(false);
    setCommitting(false);
    if (outcome.kind === 'receipt') {
      refresh();
      go({ name: 'success', receipt: outcome.receipt, changeFen: 0 });
      return outcome.kind;
    }
    if (outcome.kind === 'sessionLost') {
      sessionLost();
      return outcome.kind;
    }
    // Refused, cancelled, not sent or open (recovery takes over): a new scan is a new request. A
    // transport error leaves the outcome open: the same id replays, never charges twice.
    if (outcome.kind !== 'transport') requestId.current = newRequestId();
    if (outcome.kind === 'offline') {
      // The advice names the tender kinds: the cursor waits on the first one's kind (↑↓).
      const first = draftRef.current.tenders[0];
      if (first) cursor.focus(`tender:${first.key}:kind`);
    }
    refresh();
    return outcome.kind;
  }

  // A payment code scanned anywhere on the screen: undo what the burst typed into the focused field
  // and pay the amount on screen (the clerk's split if there is one) by QR.
  usePaymentCodeScanner<PaymentDraft>({
    snapshot: () => draftRef.current,
    options: scanner,
    onScan: (scan: Scan<PaymentDraft>) => {
      if (inFlight.current) return;
      const before = scan.before;
      setDraft(before);
      const amount = paymentAmount(before);
      if (amount.fen === null || amount.problems.length > 0) {
        setAttempted(true);
        setScanRefused(true);
        cursor.focus(before.manual === null ? 'amount' : (amount.problems[0]?.field ?? 'amount'));
        return;
      }
      const allocation = before.manual !== null ? manualAllocation(before) : null;
      void qrSale({
        amountFen: amount.fen,
        ...(allocation ? { allocation } : {}),
        code: scan.code,
        source: 'scanner',
      });
    },
  });

  const problemsFor = (field: PaymentField) =>
    evaluation.problems.filter(
      (p) =>
        p.field === field &&
        (attempted ||
          p.key === 'payment.errors.amountFormat' ||
          p.key === 'payment.errors.amountOver' ||
          p.key === 'payment.errors.tenderedFormat' ||
          p.key === 'payment.errors.tenderFormat'),
    );
  const showProblems = (field: PaymentField) =>
    problemsFor(field).map((p, i) => <ProblemText key={i} text={text(p)} />);
  function text(p: Problem): string {
    const params = { ...p.params };
    if (typeof params.field === 'string') params.field = t(params.field);
    return t(p.key, params);
  }
  const register = (name: string) => (el: InputRef | HTMLSelectElement | null) => {
    fields.current.set(name, el);
  };

  const h = account.household;
  return (
    <section
      className="panel payment-panel"
      aria-labelledby="payment-heading"
      data-testid="payment"
    >
      <div className="payment-head">
        <h2 id="payment-heading">
          {t('payment.heading')} · <span className="data">{h.name}</span>{' '}
          <span className="mono">{h.accountNo}</span>
          <FlagTags flags={h.flags} />
        </h2>
        <span className="owed-inline">
          {t('payment.owed', { owed: formatFen(account.owedFen) })}
        </span>
      </div>
      <form onSubmit={(e) => void submit(e)} noValidate className="payment-form">
        <div className="payment-left">
          <TextField
            ref={register('amount')}
            label={t('payment.amount')}
            name="amount"
            size="large"
            {...AMOUNT}
            value={
              draft.manual === null
                ? draft.amountText
                : evaluation.plan
                  ? fenToInput(evaluation.plan.amountFen)
                  : ''
            }
            readOnly={draft.manual !== null}
            onValue={(amountText) => update((d) => ({ ...d, amountText }))}
            status={problemsFor('amount').length ? 'error' : undefined}
            className="amount-input"
          />
          {showProblems('amount')}
          {scanRefused && (
            <div data-testid="qr-scan-refused">
              <ProblemText text={t('qr.errors.amountFirst')} />
            </div>
          )}

          <h3>{draft.manual === null ? t('payment.allocation') : t('payment.allocationManual')}</h3>
          <table className="grid allocation" data-testid="allocation">
            <thead>
              <tr>
                <th>{t('payment.col.season')}</th>
                <th className="num">{t('payment.col.charge')}</th>
                <th className="num">{t('payment.col.before')}</th>
                <th className="num">{t('payment.col.amount')}</th>
                <th className="num">{t('payment.col.pct')}</th>
                <th className="num">{t('payment.col.after')}</th>
              </tr>
            </thead>
            <tbody>
              {seasons.map((s) => {
                const line = preview.find((l) => l.seasonId === s.seasonId);
                return (
                  <tr key={s.seasonId} data-season={s.seasonCode}>
                    <td className="mono">{s.seasonCode}</td>
                    <td className="num">{formatFen(s.chargeFen)}</td>
                    <td className="num">{formatFen(s.balanceFen)}</td>
                    <td className="num">
                      {draft.manual !== null ? (
                        <Input
                          ref={register(`season:${s.seasonId}`)}
                          name={`season-${s.seasonCode}`}
                          size="middle"
                          inputMode="decimal"
                          value={draft.manual[s.seasonId] ?? ''}
                          onChange={(e) => {
                            const v = e.target.value;
                            update((d) => ({
                              ...d,
                              manual: { ...(d.manual ?? {}), [s.seasonId]: v },
                            }));
                          }}
                          status={problemsFor(`season:${s.seasonId}`).length ? 'error' : undefined}
                          className="season-input"
                        />
                      ) : line ? (
                        formatFen(line.amountFen)
                      ) : (
                        formatFen(0)
                      )}
                    </td>
                    <td className="num pct" data-testid={`pct-${s.seasonCode}`}>
                      {line ? (
                        <>
                          {formatPercentTenths(line.pctTenths)}{' '}
                          <Tag color={line.partial ? 'orange' : 'green'}>
                            {line.partial ? t('payment.partial') : t('payment.full')}
                          </Tag>
                        </>
                      ) : (
                        ''
                      )}
                    </td>
                    <td className="num">
                      {line ? formatFen(line.balanceAfterFen) : formatFen(s.balanceFen)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {seasons.map((s) => (
            <div key={s.seasonId}>{showProblems(`season:${s.seasonId}`)}</div>
          ))}
          <p className="hint" data-testid="qr-scan-anywhere">
            {t('qr.scanAnywhere')}
          </p>
          {/* The card terminal's live texts / outcome: where the clerk and customer can see it. */}
          <CardRunPanel run={cardRun} />
          {/* The QR sale: waiting for the customer's phone, then the provider's words. */}
          <QrRunPanel run={qrRun} />
        </div>

        <div className="payment-right">
          <h3>{t('payment.tenders')}</h3>
          <div className="tender-list">
            {draft.tenders.map((tender, i) => (
              <TenderRow
                key={tender.key}
                n={i + 1}
                tender={tender}
                cashDueFen={tender.kind === 'cash' ? evaluation.cashDueFen : null}
                cardTerminalState={status?.cardTerminal.state ?? 'unavailable'}
                cardMode={cardModeOf(tender, { cardTerminal })}
                canBeCash={tender.kind === 'cash' || !draft.tenders.some((x) => x.kind === 'cash')}
                register={register}
                onChange={(change) => setTender(tender.key, change)}
                problems={(f) => showProblems(f)}
              />
            ))}
          </div>
          {showProblems('tenders')}
          {cash && evaluation.changeFen !== null && (
            <div className="change-box">
              {draft.tenders.length > 1 && evaluation.cashDueFen !== null && (
                <span className="cash-summary">
                  {t('payment.remainder')} {formatFen(evaluation.cashDueFen)}
                </span>
              )}
              <span className="change-value" data-testid="change">
                <span>{t('payment.change')}</span>{' '}
                <strong>{formatFen(evaluation.changeFen)}</strong>
              </span>
            </div>
          )}
          <Button
            type="primary"
            size="large"
            htmlType="submit"
            block
            loading={committing}
            className="confirm-button"
          >
            {committing ? t('payment.committing') : `${t('payment.confirm')} (Enter)`}
          </Button>
          <p className="hint">{t('payment.confirmHint')}</p>
          {error && (
            <ErrorBox
              error={error}
              extra={isTransportError(error) ? t('payment.retryHint') : undefined}
            />
          )}
        </div>
      </form>
    </section>
  );
}

const CARD_MODES: readonly CardMode[] = ['terminal', 'manual'];
/** The text fields of the non-cash tenders; the first of each kind's takes its `ref` problems. */
type RefField = 'terminalRef' | 'authCode' | 'chequeNo' | 'bank' | 'reference' | 'qrCode';
const REF_FIRST: ReadonlySet<RefField> = new Set([
  'terminalRef',
  'chequeNo',
  'reference',
  'qrCode',
]);
/**
 * The kind select's options: the tender kinds, with QR twice: the hand-entered reference (value
 * 'qr', unconfirmed, where it always was) and the payment code through head office ('qrCode').
 */
type KindOption = TenderKind | 'qrCode';
const kindOptionOf = (t: TenderDraft): KindOption =>
  t.kind === 'qr' && t.qrMode === 'code' ? 'qrCode' : t.kind;
const KIND_OPTION_TEXT: Partial<Record<KindOption, string>> = {
  qr: 'qr.kinds.manual',
  qrCode: 'qr.kinds.code',
};

function TenderRow({
  n,
  tender,
  cashDueFen,
  cardTerminalState,
  cardMode,
  canBeCash,
  register,
  onChange,
  problems,
}: {
  n: number;
  tender: TenderDraft;
  cashDueFen: number | null;
  cardTerminalState: string;
  cardMode: CardMode;
  canBeCash: boolean;
  register(name: string): (el: InputRef | HTMLSelectElement | null) => void;
  onChange(change: Partial<TenderDraft>): void;
  problems(field: PaymentField): ReactNode;
}) {
  const { t } = useTranslation();
  const k = tender.key;
  const kindSelect = (
    <select
      ref={register(`tender:${k}:kind`)}
      name={`tender-${n}-kind`}
      value={kindOptionOf(tender)}
      onChange={(e) => {
        const option = e.target.value as KindOption;
        onChange(
          option === 'qrCode'
            ? { kind: 'qr', qrMode: 'code' }
            : option === 'qr'
              ? { kind: 'qr', qrMode: 'manual' }
              : { kind: option },
        );
      }}
      aria-label={t('payment.kind')}
    >
      {[...TENDER_KINDS, 'qrCode' as const]
        .filter((kind) => kind !== 'cash' || canBeCash)
        .map((kind) => (
          <option key={kind} value={kind}>
            {t(KIND_OPTION_TEXT[kind] ?? `payment.kinds.${kind}`)}
          </option>
        ))}
    </select>
  );
  /** A reference field of the tender (the first one is where its `ref` problems take the cursor). */
  const refField = (field: RefField, name: string, label: string, maxLength: number) => (
    <TextField
      ref={REF_FIRST.has(field) ? register(`tender:${k}:ref`) : undefined}
      label={label}
      name={`tender-${n}-${name}`}
      maxLength={maxLength}
      value={tender[field]}
      onValue={(v) => onChange({ [field]: v })}
    />
  );
  return (
    <fieldset className={`tender tender-${tender.kind}`} data-testid={`tender-${n}`}>
      <legend>
        {n}. {tender.kind === 'cash' ? t('payment.kinds.cash') : kindSelect}
        {tender.kind === 'cash' && (
          <span className="cash-due">
            {t('payment.remainder')}{' '}
            <strong data-testid="cash-due">
              {cashDueFen !== null ? formatFen(cashDueFen) : '—'}
            </strong>
          </span>
        )}
      </legend>
      {tender.kind === 'cash' ? (
        <>
          {/* The cash row's kind comes after "cash tendered": Tab from the cash reaches it (↑↓ change
              it), while Shift+Tab from the cash still goes straight back to the amount. */}
          <div className="cash-tender-row">
            <TextField
              ref={register(`tender:${k}:tendered`)}
              label={
                <>
                  {t('payment.tendered')} <small>{t('payment.tenderedHint')}</small>
                </>
              }
              name={`tender-${n}-tendered`}
              size="large"
              {...AMOUNT}
              className="amount-input"
              value={tender.tenderedText}
              onValue={(v) => onChange({ tenderedText: v })}
            />
            {kindSelect}
          </div>
          {problems(`tender:${k}:tendered`)}
        </>
      ) : (
        <div className="tender-grid">
          <TextField
            ref={register(`tender:${k}:amount`)}
            label={t('payment.tenderAmount')}
            name={`tender-${n}-amount`}
            size="large"
            {...AMOUNT}
            value={tender.amountText}
            onValue={(v) => onChange({ amountText: v })}
          />
          {problems(`tender:${k}:amount`)}
          {tender.kind === 'card' && cardTerminalState !== 'unavailable' && (
            <SelectField
              plain
              label={t('card.mode')}
              name={`tender-${n}-cardmode`}
              value={cardMode}
              options={CARD_MODES}
              optionText={(m) => t(`card.modes.${m}`)}
              onValue={(m) => onChange({ cardMode: m })}
            />
          )}
          {tender.kind === 'card' && cardMode === 'terminal' && (
            <p className="hint wide" data-testid="card-on-terminal">
              {t('card.onTerminal')}
            </p>
          )}
          {tender.kind === 'card' && cardMode === 'manual' && (
            <>
              {refField('terminalRef', 'ref', t('payment.terminalRef'), 24)}
              {refField(
                'authCode',
                'auth',
                cardTerminalState === 'unavailable' ? t('payment.authCode') : t('card.authCode'),
                12,
              )}
              <p className="hint wide">
                {cardTerminalState === 'unavailable'
                  ? t('payment.cardManual')
                  : t('card.manualHint')}
              </p>
            </>
          )}
          {tender.kind === 'cheque' && (
            <>
              {refField('chequeNo', 'cheque', t('payment.chequeNo'), 32)}
              {refField('bank', 'bank', t('payment.bank'), 40)}
              <p className="hint wide">{t('payment.chequePending')}</p>
            </>
          )}
          {tender.kind === 'qr' && tender.qrMode === 'code' && (
            <>
              {refField('qrCode', 'qrcode', t('qr.code'), 40)}
              <p className="hint wide" data-testid="qr-code-hint">
                {t('qr.codeHint')}
              </p>
            </>
          )}
          {tender.kind === 'qr' && tender.qrMode === 'manual' && (
            <>
              <SelectField
                plain
                label={t('payment.channel')}
                name={`tender-${n}-channel`}
                value={tender.channel}
                options={QR_CHANNELS}
                optionText={(c) => t(`payment.channels.${c}`)}
                onValue={(channel) => onChange({ channel })}
              />
              {refField('reference', 'reference', t('payment.reference'), 64)}
              <p className="hint wide" data-testid="qr-manual-hint">
                {t('qr.manualHint')}
              </p>
            </>
          )}
          {problems(`tender:${k}:ref`)}
        </div>
      )}
    </fieldset>
  );
}
