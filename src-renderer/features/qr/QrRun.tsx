// A QR (payment code) sale as the payment screen shows it: the waiting state while head office and
// the provider settle it, then the outcome in the provider's words with the next step.
import { Alert } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { formatFen } from '@heating-cashier/core/money';
import { maskPaymentCode, paymentCodeProvider } from '@heating-cashier/core/payment-code';
import { isTransportError, type ApiClient, type ClientError } from '../../api/client';
import { ErrorBox } from '../../app/messages';
import { requestRecoveryCheck } from '../../app/recovery-signal';
import type { Receipt } from '../../app/types';
import { currentLanguage } from '../../i18n';

/**
 * A sale waits for the customer (password on the phone) while head office queries the provider,
 * up to about 60 s before it cancels: wait well beyond that before calling the outcome open.
 */
export const QR_CALL_TIMEOUT_MS = 120_000;

type Payment = CommandOutput<'qr.sale'>['payment'];
type Localized = NonNullable<Payment['message']>;
type Provider = Payment['provider'];

export type QrPhase =
  'idle' | 'running' | 'declined' | 'cancelled' | 'failed' | 'offline' | 'unknown';

export interface QrRunState {
  phase: QrPhase;
  amountFen: number;
  provider: Provider | null;
  maskedCode: string;
  /** The provider's (or head office's) words on a refused or cancelled sale. */
  message: Localized | null;
  error: ClientError | null;
}

export type QrSaleOutcome =
  | { kind: 'receipt'; receipt: Receipt }
  | { kind: 'declined' | 'cancelled' | 'failed' | 'offline' | 'unknown' | 'transport' }
  | { kind: 'sessionLost' };

export interface QrSaleRequest {
  requestId: string;
  householdId: string;
  amountFen: number;
  allocation?: { seasonId: string; amountFen: number }[];
  code: string;
  source: 'scanner' | 'keyboard';
}

const IDLE: QrRunState = {
  phase: 'idle',
  amountFen: 0,
  provider: null,
  maskedCode: '',
  message: null,
  error: null,
};

/** The sale's outcome is open: the recovery dialog takes over (query, cancel). */
const UNKNOWN_CODES = new Set(['QR_OUTCOME_UNKNOWN', 'QR_RECOVERY_PENDING']);

export function useQrRun(client: ApiClient, session: string) {
  const [state, setState] = useState<QrRunState>(IDLE);
  const runningRef = useRef(false);

  const sale = useCallback(
    async (req: QrSaleRequest): Promise<QrSaleOutcome> => {
      runningRef.current = true;
      setState({
        ...IDLE,
        phase: 'running',
        amountFen: req.amountFen,
        provider: paymentCodeProvider(req.code),
        maskedCode: maskPaymentCode(req.code),
      });
      const result = await client.invoke(
        'qr.sale',
        { session, ...req },
        { timeoutMs: QR_CALL_TIMEOUT_MS },
      );
      runningRef.current = false;
      if (result.ok) {
        const { payment, receipt } = result.value;
        if (payment.state === 'completed' && receipt) {
          setState(IDLE);
          return { kind: 'receipt', receipt };
        }
        if (payment.state === 'failed' || payment.state === 'cancelled') {
          const kind = payment.state === 'failed' ? 'declined' : 'cancelled';
          setState((s) => ({ ...s, phase: kind, message: payment.message }));
          return { kind };
        }
        setState((s) => ({ ...s, phase: 'unknown', message: payment.message }));
        requestRecoveryCheck();
        return { kind: 'unknown' };
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
      if (error.code === 'QR_OFFLINE') {
        setState((s) => ({ ...s, phase: 'offline', error }));
        return { kind: 'offline' };
      }
      setState((s) => ({ ...s, phase: 'failed', error }));
      return { kind: 'failed' };
    },
    [client, session],
  );

  const clear = useCallback(() => {
    if (!runningRef.current) setState(IDLE);
  }, []);

  return { ...state, running: state.phase === 'running', runningRef, sale, clear };
}

export type QrRun = ReturnType<typeof useQrRun>;

const BOX = {
  marginTop: 12,
  border: '3px solid #1a5fb4',
  borderRadius: 8,
  padding: '8px 16px',
  background: '#eef4fc',
} as const;

/** Waiting for the customer while it runs; afterwards what happened and what to do next. */
export function QrRunPanel({ run }: { run: QrRun }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  if (run.phase === 'idle') return null;
  const provider = run.provider ? t(`qr.providers.${run.provider}`) : t('qr.facts.heading');
  if (run.phase === 'running') {
    return (
      <div className="qr-run" role="status" aria-live="polite" data-testid="qr-run" style={BOX}>
        <h3 style={{ margin: 0 }}>
          {t('qr.running.heading', { amount: formatFen(run.amountFen), provider })}
        </h3>
        <p
          data-testid="qr-waiting"
          style={{ fontSize: 30, fontWeight: 700, color: '#1a5fb4', margin: '4px 0' }}
        >
          {t('qr.running.waiting')}
        </p>
        <p className="mono" style={{ margin: 0 }}>
          {t('qr.running.code', { code: run.maskedCode })}
        </p>
        <p className="hint">{t('qr.running.hint')}</p>
      </div>
    );
  }
  const phase = run.phase;
  return (
    <div
      style={{ marginTop: 12 }}
      className={`qr-result qr-${phase}`}
      data-testid="qr-result"
      data-phase={phase}
    >
      <Alert
        type={phase === 'unknown' || phase === 'offline' ? 'warning' : 'error'}
        showIcon
        role="alert"
        title={t(`qr.${phase}.heading`)}
        description={
          <>
            {run.message && (
              <p data-testid="qr-provider-message" style={{ fontSize: 20, fontWeight: 600 }}>
                {run.message[lang]}
              </p>
            )}
            {phase !== 'failed' && <p data-testid="qr-next">{t(`qr.${phase}.next`)}</p>}
            {phase === 'offline' && (
              <p data-testid="qr-offline-keys" style={{ fontWeight: 600 }}>
                {t('qr.offline.keys')}
              </p>
            )}
          </>
        }
      />
      {/* Command errors carry their own next step (QR_CODE_INVALID, QR_PROVIDER_UNAVAILABLE, …). */}
      {run.error && phase !== 'offline' && <ErrorBox error={run.error} />}
      {phase === 'failed' && <p className="hint">{t('qr.failed.next')}</p>}
    </div>
  );
}
