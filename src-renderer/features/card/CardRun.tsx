// A card payment on the connected terminal, as the payment screen shows it: the terminal's texts
// live (pushed by the main side), Esc → abort on the terminal, and a clear next step when it fails.
import { Alert, Button } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushEventData } from '@heating-cashier/core/contract/push';
import { isTransportError, type ApiClient, type ClientError } from '../../api/client';
import { ErrorBox } from '../../app/messages';
import type { Receipt } from '../../app/types';
import { currentLanguage } from '../../i18n';
import { formatFen } from '@heating-cashier/core/money';
import { requestRecoveryCheck } from '../../app/recovery-signal';

/** A sale waits for the customer (card, PIN) up to the terminal's T4 = 180 s: wait a bit longer. */
export const CARD_CALL_TIMEOUT_MS = 200_000;

type Text = PushEventData<'card.text'>;
type Localized = Text['text'];

export type CardPhase = 'idle' | 'running' | 'declined' | 'failed' | 'unknown';

export interface CardRunState {
  phase: CardPhase;
  amountFen: number;
  texts: Text[];
  aborting: boolean;
  /** The terminal's own result text (declined: "PIN wrong", …). */
  message: Localized | null;
  error: ClientError | null;
  note: 'reconnected' | 'reconnectFailed' | null;
}

export type CardSaleOutcome =
  | { kind: 'receipt'; receipt: Receipt }
  | { kind: 'declined' | 'failed' | 'unknown' | 'transport' }
  | { kind: 'sessionLost' };

export interface CardSaleRequest {
  requestId: string;
  householdId: string;
  amountFen: number;
  allocation?: { seasonId: string; amountFen: number }[];
}

const IDLE: CardRunState = {
  phase: 'idle',
  amountFen: 0,
  texts: [],
  aborting: false,
  message: null,
  error: null,
  note: null,
};

const UNKNOWN_CODES = new Set(['CARD_OUTCOME_UNKNOWN', 'CARD_RECOVERY_PENDING']);

export function useCardRun(client: ApiClient, session: string) {
  const [state, setState] = useState<CardRunState>(IDLE);
  const running = state.phase === 'running';
  const runningRef = useRef(false);

  const abort = useCallback(() => {
    if (!runningRef.current) return;
    setState((s) => ({ ...s, aborting: true }));
    void client.invoke('card.abort', { session });
  }, [client, session]);

  // Esc while the terminal runs: the shell blocks its own keys during the payment, so listen here.
  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.repeat) return;
      e.preventDefault();
      abort();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [running, abort]);

  const sale = useCallback(
    async (req: CardSaleRequest): Promise<CardSaleOutcome> => {
      runningRef.current = true;
      setState({ ...IDLE, phase: 'running', amountFen: req.amountFen });
      const off = client.on('card.text', (text) => {
        setState((s) =>
          s.phase === 'running' ? { ...s, texts: [...s.texts, text].slice(-6) } : s,
        );
      });
      const result = await client.invoke(
        'card.sale',
        { session, ...req },
        { timeoutMs: CARD_CALL_TIMEOUT_MS },
      );
      off();
      runningRef.current = false;
      if (result.ok) {
        const { payment, receipt } = result.value;
        if (payment.state === 'completed' && receipt) {
          setState(IDLE);
          return { kind: 'receipt', receipt };
        }
        if (payment.state === 'intent' || payment.state === 'approved') {
          setState((s) => ({ ...s, phase: 'unknown', message: payment.message }));
          requestRecoveryCheck();
          return { kind: 'unknown' };
        }
        setState((s) => ({ ...s, phase: 'declined', message: payment.message }));
        return { kind: 'declined' };
      }
      const error = result.error;
      if (error.code === 'NOT_LOGGED_IN') {
        setState(IDLE);
        return { kind: 'sessionLost' };
      }
      if (isTransportError(error)) {
        setState((s) => ({ ...s, phase: 'unknown', error }));
        return { kind: 'transport' };
      }
      if (UNKNOWN_CODES.has(error.code)) {
        setState((s) => ({ ...s, phase: 'unknown', error }));
        requestRecoveryCheck();
        return { kind: 'unknown' };
      }
      setState((s) => ({ ...s, phase: 'failed', error }));
      return { kind: 'failed' };
    },
    [client, session],
  );

  const reconnect = useCallback(async () => {
    const r = await client.invoke(
      'card.reconnect',
      { session },
      { timeoutMs: CARD_CALL_TIMEOUT_MS },
    );
    const ok = r.ok && r.value.connected;
    setState((s) => ({ ...s, note: ok ? 'reconnected' : 'reconnectFailed' }));
    if (r.ok && r.value.pending.length > 0) requestRecoveryCheck();
  }, [client, session]);

  return { ...state, running, sale, abort, reconnect };
}

export type CardRun = ReturnType<typeof useCardRun>;

/** The terminal's live texts while it runs, or what went wrong and what to do next. */
export function CardRunPanel({ run }: { run: CardRun }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const note = run.note && (
    <Alert
      type={run.note === 'reconnected' ? 'success' : 'warning'}
      showIcon
      data-testid="card-reconnect-note"
      title={t(`card.${run.note}`)}
    />
  );
  if (run.phase === 'idle') return note || null;
  if (run.phase === 'running') {
    const latest = run.texts.at(-1);
    return (
      <div
        className="card-run"
        role="status"
        aria-live="polite"
        data-testid="card-run"
        style={{
          marginTop: 12,
          border: '3px solid #1a5fb4',
          borderRadius: 8,
          padding: '8px 16px',
          background: '#eef4fc',
        }}
      >
        <h3 style={{ margin: 0 }}>
          {t('card.running.heading', { amount: formatFen(run.amountFen) })}
        </h3>
        <p
          className="card-run-text"
          data-testid="card-live-text"
          style={{ fontSize: 30, fontWeight: 700, color: '#1a5fb4', margin: '4px 0' }}
        >
          {latest ? latest.text[lang] : t('card.running.waiting')}
        </p>
        <ol
          className="card-run-history"
          data-testid="card-live-history"
          style={{ margin: 0, color: '#555', fontSize: 16 }}
        >
          {run.texts.slice(0, -1).map((x, i) => (
            <li key={i}>{x.text[lang]}</li>
          ))}
        </ol>
        <p className="hint">
          {run.aborting ? t('card.running.aborting') : t('card.running.abortHint')}
        </p>
        <Button onClick={run.abort} disabled={run.aborting} data-testid="card-abort">
          {t('card.running.abort')} (Esc)
        </Button>
      </div>
    );
  }
  const outcome =
    run.phase === 'declined' ? 'declined' : run.phase === 'unknown' ? 'unknown' : 'failed';
  const heading = t(`card.${outcome}.heading`);
  const next = t(`card.${outcome}.next`);
  return (
    <div
      style={{ marginTop: 12 }}
      className={`card-result card-${run.phase}`}
      data-testid="card-result"
      data-phase={run.phase}
    >
      <Alert
        type={run.phase === 'unknown' ? 'warning' : 'error'}
        showIcon
        role="alert"
        title={heading}
        description={
          <>
            {run.message && <p data-testid="card-terminal-message">{run.message[lang]}</p>}
            <p>{next}</p>
          </>
        }
      />
      {run.error && <ErrorBox error={run.error} />}
      {note}
    </div>
  );
}
