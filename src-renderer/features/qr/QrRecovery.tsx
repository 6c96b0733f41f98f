// The recovery dialog for QR sales without a known outcome (app killed, head office or the line
// down, the provider late): shown at login / shift open and when the payment screen met an open
// outcome, like the card terminal's (same trigger: app/recovery-signal). F5 asks again through
// head office (qr.resolve), F6 cancels (qr.cancel: head office queries first, a paid sale still
// becomes its receipt), Esc leaves it for later. Never guesses: only the provider's answer closes one.
import { Alert, Button, Modal } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import { formatFen } from '@heating-cashier/core/money';
import type { ApiClient, ClientError, ConnectionState } from '../../api/client';
import { DataTable, type Column } from '../../app/DataTable';
import { ErrorBox } from '../../app/messages';
import { onRecoveryCheck } from '../../app/recovery-signal';
import type { Receipt, Session } from '../../app/types';
import { formatTime } from '../../format/time';
import { currentLanguage } from '../../i18n';
import { FactsGrid } from '../card/FactsGrid';
import { QR_CALL_TIMEOUT_MS } from './QrRun';

type Pending = CommandOutput<'qr.pending'>['payments'][number];
type Action = 'resolve' | 'cancel';
const ACTION_KEYS: Record<Action, 'F5' | 'F6'> = { resolve: 'F5', cancel: 'F6' };

interface Done {
  state: Pending['state'];
  label: string | null;
  message: Pending['message'];
}

export function QrRecovery({
  client,
  session,
  connection,
  setBusy,
  refresh,
  sessionLost,
  onReceipt,
  waiting = false,
}: {
  client: ApiClient;
  session: Session;
  connection: ConnectionState;
  setBusy(busy: boolean): void;
  refresh(): void;
  sessionLost(): void;
  /** A sale resolved as paid: its receipt (the shell shows it if that household is on screen). */
  onReceipt?(receipt: Receipt): void;
  /**
   * Another recovery dialog (the card terminal's) is showing: this one stays hidden and takes no
   * keys until it closes, so F5/F6/Esc act on one dialog only.
   */
  waiting?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState<Pending[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [working, setWorking] = useState<Action | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const ownShift = session.shift !== null && session.shift.clerkId === session.clerk.id;
  const token = session.token;
  const workingRef = useRef(false);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selected;

  const load = useCallback(async (): Promise<Pending[] | null> => {
    const r = await client.invoke('qr.pending', { session: token });
    if (r.ok) return r.value.payments.filter((p) => p.state === 'intent');
    if (r.error.code === 'NOT_LOGGED_IN') sessionLost();
    return null;
  }, [client, token, sessionLost]);

  const check = useCallback(async () => {
    if (!ownShift || workingRef.current) return;
    const list = await load();
    if (!list) return;
    setPending(list);
    if (list.length === 0) return;
    setOpen(true);
    setDone(null);
    const cur = selectedRef.current;
    if (!cur || !list.some((p) => p.intentId === cur)) setSelected(list[0]!.intentId);
  }, [ownShift, load]);

  // At login / shift open, when the host connection comes back, and when the payment screen met an
  // open outcome (the same signal as the card terminal's recovery).
  useEffect(() => {
    if (connection === 'open') void check();
  }, [connection, check]);
  useEffect(() => onRecoveryCheck(() => void check()), [check]);

  useEffect(() => {
    if (!open || waiting) return;
    setBusy(true);
    return () => setBusy(false);
  }, [open, waiting, setBusy]);

  const act = useCallback(
    async (action: Action) => {
      const intentId = selectedRef.current;
      if (!intentId || workingRef.current) return;
      workingRef.current = true;
      setWorking(action);
      setError(null);
      setDone(null);
      const r = await client.invoke(
        action === 'resolve' ? 'qr.resolve' : 'qr.cancel',
        { session: token, intentId },
        { timeoutMs: QR_CALL_TIMEOUT_MS },
      );
      workingRef.current = false;
      setWorking(null);
      if (!r.ok) {
        if (r.error.code === 'NOT_LOGGED_IN') return sessionLost();
        setError(r.error);
        return;
      }
      const { payment, receipt } = r.value;
      setDone({
        state: payment.state,
        label: receipt?.receiptLabel ?? payment.receiptId,
        message: payment.message,
      });
      if (payment.state !== 'intent') refresh();
      if (receipt) onReceipt?.(receipt);
      const list = (await load()) ?? [];
      setPending(list);
      const stillThere = list.some((p) => p.intentId === intentId);
      setSelected(stillThere ? intentId : (list[0]?.intentId ?? null));
    },
    [client, token, refresh, load, sessionLost, onReceipt],
  );

  const close = useCallback(() => {
    if (workingRef.current) return;
    setOpen(false);
    setDone(null);
    setSelected(null);
    setError(null);
  }, []);

  const move = useCallback(
    (by: number) => {
      if (workingRef.current || pending.length === 0) return;
      const i = pending.findIndex((p) => p.intentId === selectedRef.current);
      const next = pending[Math.min(pending.length - 1, Math.max(0, i + by))];
      if (next) {
        setSelected(next.intentId);
        setDone(null);
        setError(null);
      }
    },
    [pending],
  );

  // The dialog's own keys (the shell's are blocked while it is open).
  useEffect(() => {
    if (!open || waiting) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat) return;
      const action = (Object.keys(ACTION_KEYS) as Action[]).find((a) => ACTION_KEYS[a] === e.key);
      if (action && pending.length > 0) {
        e.preventDefault();
        void act(action);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        move(e.key === 'ArrowDown' ? 1 : -1);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        close();
      } else if (e.key === 'Enter' && pending.length === 0) {
        e.preventDefault();
        close();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open, waiting, act, move, close, pending.length]);

  if (!open || waiting) return null;
  const current = pending.find((p) => p.intentId === selected) ?? null;
  const provider = (p: Pending) => t(`qr.providers.${p.provider}`);
  const columns: Column<Pending>[] = [
    { title: t('qr.recovery.time'), cell: (p) => formatTime(p.createdAt) },
    { title: t('qr.recovery.amount'), num: true, cell: (p) => formatFen(p.amountFen) },
    { title: t('qr.recovery.provider'), cell: provider },
    { title: t('qr.recovery.code'), className: 'mono', cell: (p) => p.maskedCode },
    { title: t('qr.recovery.state'), cell: () => t('qr.recovery.unknownState') },
  ];
  return (
    <Modal
      open
      title={t('qr.recovery.heading')}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      footer={null}
      width={960}
      centered
    >
      <div className="qr-recovery" data-testid="qr-recovery" role="dialog">
        <p>{t('qr.recovery.intro')}</p>
        {done && (
          <Alert
            type={done.state === 'intent' ? 'warning' : 'success'}
            showIcon
            data-testid="qr-recovery-done"
            data-state={done.state}
            title={t(`qr.recovery.done.${done.state}`, { label: done.label ?? '' })}
            description={done.message?.[lang]}
          />
        )}
        {pending.length > 0 && (
          <DataTable
            className="grid"
            data-testid="qr-recovery-list"
            columns={columns}
            rows={pending}
            rowKey={(p) => p.intentId}
            rowProps={(p) => ({ className: p.intentId === selected ? 'selected' : '' })}
          />
        )}
        {current && (
          <div data-testid="qr-recovery-facts">
            <FactsGrid
              rows={[
                [t('qr.recovery.provider'), provider(current)],
                [t('qr.recovery.amount'), formatFen(current.amountFen)],
                [t('qr.recovery.outTradeNo'), current.outTradeNo],
                [t('qr.recovery.code'), current.maskedCode],
                [t('qr.recovery.time'), formatTime(current.createdAt)],
              ]}
            />
            {current.message && !done && (
              <Alert type="info" showIcon title={current.message[lang]} />
            )}
          </div>
        )}
        {working && (
          <p role="status" data-testid="qr-recovery-working">
            {t('qr.recovery.working')}
          </p>
        )}
        {error && <ErrorBox error={error} />}
        {pending.length === 0 ? (
          <Button
            type="primary"
            size="large"
            onClick={close}
            data-testid="qr-recovery-close"
            autoFocus
          >
            Enter {t('qr.recovery.close')}
          </Button>
        ) : (
          <div className="qr-recovery-actions">
            {(['resolve', 'cancel'] as const).map((a) => (
              <Button
                key={a}
                type={a === 'resolve' ? 'primary' : 'default'}
                danger={a === 'cancel'}
                size="large"
                disabled={!current || working !== null}
                loading={working === a}
                onClick={() => void act(a)}
                data-testid={`qr-recovery-${a}`}
              >
                {ACTION_KEYS[a]} {t(a === 'resolve' ? 'qr.recovery.requery' : 'qr.recovery.cancel')}
              </Button>
            ))}
            <Button
              size="large"
              disabled={working !== null}
              onClick={close}
              data-testid="qr-recovery-close"
            >
              Esc {t('qr.recovery.later')}
            </Button>
            {pending.length > 1 && <span className="hint">{t('qr.recovery.select')}</span>}
          </div>
        )}
        <p className="hint">{t('qr.recovery.hint')}</p>
      </div>
    </Modal>
  );
}
