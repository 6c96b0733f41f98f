// The recovery dialog: card payments left without a confirmed outcome (app killed, line dropped,
// timeout) are shown at login / shift open / reconnect with the facts the terminal reports, and
// only the choices those facts allow (record as paid, reverse on the terminal, mark failed).
import { Alert, Button, Modal } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ApiClient, ClientError, ConnectionState } from '../../api/client';
import { DataTable, type Column } from '../../app/DataTable';
import { ErrorBox } from '../../app/messages';
import type { Session } from '../../app/types';
import { currentLanguage } from '../../i18n';
import { formatFen } from '@heating-cashier/core/money';
import { formatTime } from '../../format/time';
import { CARD_CALL_TIMEOUT_MS } from './CardRun';
import { onRecoveryCheck } from '../../app/recovery-signal';
import { FactsGrid } from './FactsGrid';

type Pending = CommandOutput<'card.pending'>['payments'][number];
type Facts = CommandOutput<'card.inspect'>;
type Action = Facts['allowed'][number];

const ACTION_KEYS: Record<Action, 'F5' | 'F6' | 'F8'> = { record: 'F5', reverse: 'F6', fail: 'F8' };

interface Done {
  state: 'completed' | 'reversed' | 'failed';
  label: string | null;
}

export function CardRecovery({
  client,
  session,
  connection,
  setBusy,
  refresh,
  sessionLost,
  onOpenChange,
}: {
  client: ApiClient;
  session: Session;
  connection: ConnectionState;
  setBusy(busy: boolean): void;
  refresh(): void;
  sessionLost(): void;
  /** Whether the dialog is showing (the QR recovery dialog waits while it is). */
  onOpenChange?(open: boolean): void;
}) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [open, setOpen] = useState(false);
  useEffect(() => onOpenChange?.(open), [open, onOpenChange]);
  const [pending, setPending] = useState<Pending[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [facts, setFacts] = useState<Facts | null>(null);
  const [working, setWorking] = useState<'inspect' | Action | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const ownShift = session.shift !== null && session.shift.clerkId === session.clerk.id;
  const token = session.token;
  const workingRef = useRef(false);
  const selectedRef = useRef<string | null>(null);
  selectedRef.current = selected;

  const inspect = useCallback(
    async (intentId: string) => {
      workingRef.current = true;
      setWorking('inspect');
      setFacts(null);
      setError(null);
      const r = await client.invoke(
        'card.inspect',
        { session: token, intentId },
        { timeoutMs: CARD_CALL_TIMEOUT_MS },
      );
      workingRef.current = false;
      setWorking(null);
      if (r.ok) setFacts(r.value);
      else if (r.error.code === 'NOT_LOGGED_IN') sessionLost();
      else setError(r.error);
    },
    [client, token, sessionLost],
  );

  const check = useCallback(async () => {
    if (!ownShift || workingRef.current) return;
    const r = await client.invoke('card.pending', { session: token });
    if (!r.ok) {
      // No terminal configured, or not logged in any more: nothing to recover here.
      if (r.error.code === 'NOT_LOGGED_IN') sessionLost();
      return;
    }
    const list = r.value.payments.filter((p) => p.mode === 'terminal');
    setPending(list);
    if (list.length === 0) return;
    setOpen(true);
    setDone(null);
    const cur = selectedRef.current;
    if (cur && list.some((p) => p.intentId === cur)) return;
    const first = list[0]!;
    selectedRef.current = first.intentId;
    setSelected(first.intentId);
    void inspect(first.intentId);
  }, [client, token, ownShift, inspect, sessionLost]);

  // At login / shift open, when the host connection comes back, when the terminal (re)connects,
  // and when the payment screen met an unknown outcome.
  useEffect(() => {
    if (connection === 'open') void check();
  }, [connection, check]);
  useEffect(() => onRecoveryCheck(() => void check()), [check]);
  useEffect(
    () =>
      client.on('card.text', (e) => {
        if (e.kind === 'connection' && e.intentId === null) void check();
      }),
    [client, check],
  );

  useEffect(() => {
    if (!open) return;
    setBusy(true);
    return () => setBusy(false);
  }, [open, setBusy]);

  const resolve = useCallback(
    async (action: Action) => {
      if (!selected || workingRef.current || !facts?.allowed.includes(action)) return;
      workingRef.current = true;
      setWorking(action);
      setError(null);
      const r = await client.invoke(
        'card.resolve',
        { session: token, intentId: selected, action },
        { timeoutMs: CARD_CALL_TIMEOUT_MS },
      );
      workingRef.current = false;
      setWorking(null);
      if (!r.ok) {
        if (r.error.code === 'NOT_LOGGED_IN') return sessionLost();
        setError(r.error);
        return;
      }
      const state = r.value.payment.state;
      setDone({
        state: state === 'completed' ? 'completed' : state === 'reversed' ? 'reversed' : 'failed',
        label: r.value.receipt?.receiptLabel ?? null,
      });
      setFacts(null);
      setSelected(null);
      refresh();
      const left = await client.invoke('card.pending', { session: token });
      const list = left.ok ? left.value.payments.filter((p) => p.mode === 'terminal') : [];
      setPending(list);
      const next = list[0];
      if (next) {
        setSelected(next.intentId);
        void inspect(next.intentId);
      }
    },
    [client, token, selected, facts, refresh, inspect, sessionLost],
  );

  const close = useCallback(() => {
    if (workingRef.current) return;
    setOpen(false);
    setDone(null);
    setFacts(null);
    setSelected(null);
    setError(null);
  }, []);

  // The dialog's own keys (the shell's are blocked while it is open).
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.repeat) return;
      const action = (Object.keys(ACTION_KEYS) as Action[]).find((a) => ACTION_KEYS[a] === e.key);
      if (action) {
        e.preventDefault();
        void resolve(action);
      } else if (e.key === 'F7') {
        e.preventDefault();
        if (selected && !workingRef.current) void inspect(selected);
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
  }, [open, resolve, inspect, close, selected, pending.length]);

  if (!open) return null;
  const current = pending.find((p) => p.intentId === selected) ?? null;
  const tx = facts?.lastTransaction ?? null;
  const columns: Column<Pending>[] = [
    { title: t('card.recovery.time'), cell: (p) => formatTime(p.createdAt) },
    { title: t('card.recovery.amount'), num: true, cell: (p) => formatFen(p.amountFen) },
    {
      title: t('card.recovery.state'),
      cell: (p) => t(`card.recovery.states.${p.state === 'approved' ? 'approved' : 'intent'}`),
    },
    {
      title: t('card.facts.terminalReceiptNo'),
      className: 'mono',
      cell: (p) => p.terminalReceiptNo ?? '—',
    },
  ];
  return (
    <Modal
      open
      title={t('card.recovery.heading')}
      closable={false}
      keyboard={false}
      mask={{ closable: false }}
      footer={null}
      width={960}
      centered
    >
      <div className="card-recovery" data-testid="card-recovery" role="dialog">
        <p>{t('card.recovery.intro')}</p>
        {done && (
          <Alert
            type="success"
            showIcon
            data-testid="card-recovery-done"
            data-state={done.state}
            title={t(`card.recovery.done.${done.state}`, { label: done.label ?? '' })}
          />
        )}
        {pending.length > 0 && (
          <DataTable
            className="grid"
            data-testid="card-recovery-list"
            columns={columns}
            rows={pending}
            rowKey={(p) => p.intentId}
            rowProps={(p) => ({ className: p.intentId === selected ? 'selected' : '' })}
          />
        )}
        {current && working === 'inspect' && (
          <p role="status" data-testid="card-recovery-querying">
            {t('card.recovery.querying')}
          </p>
        )}
        {current && facts && (
          <div className="card-recovery-facts" data-testid="card-recovery-facts">
            <Alert
              type={facts.allowed.length === 0 ? 'error' : 'info'}
              showIcon
              title={facts.message[lang]}
            />
            <h4>{t('card.recovery.terminalSays')}</h4>
            {tx ? (
              <FactsGrid
                testId="card-recovery-terminal"
                rows={[
                  [
                    t('card.recovery.amount'),
                    tx.amountMinor !== null ? formatFen(tx.amountMinor) : null,
                  ],
                  [t('card.facts.maskedPan'), tx.maskedPan],
                  [t('card.facts.terminalReceiptNo'), tx.receiptNo],
                  [t('card.facts.traceNo'), tx.traceNo],
                  [t('card.facts.authCode'), tx.authCode],
                  [t('card.facts.terminalId'), tx.terminalId],
                ]}
              />
            ) : (
              <p>
                {facts.terminalReachable === false
                  ? t('card.recovery.unreachable')
                  : facts.payment.state === 'approved'
                    ? `${t('card.facts.terminalReceiptNo')} ${facts.payment.terminalReceiptNo ?? '—'} · ${facts.payment.maskedPan ?? ''}`
                    : t('card.recovery.noTransaction')}
              </p>
            )}
          </div>
        )}
        {error && <ErrorBox error={error} />}
        {pending.length === 0 ? (
          <Button
            type="primary"
            size="large"
            onClick={close}
            data-testid="card-recovery-close"
            autoFocus
          >
            Enter {t('card.recovery.close')}
          </Button>
        ) : (
          <div className="card-recovery-actions">
            {(['record', 'reverse', 'fail'] as const).map((a) => (
              <Button
                key={a}
                type={a === 'record' ? 'primary' : 'default'}
                danger={a !== 'record'}
                size="large"
                disabled={!facts?.allowed.includes(a) || working !== null}
                loading={working === a}
                onClick={() => void resolve(a)}
                data-testid={`card-recovery-${a}`}
              >
                {ACTION_KEYS[a]} {t(`card.recovery.${a}`)}
              </Button>
            ))}
            <Button
              size="large"
              disabled={!current || working !== null}
              onClick={() => current && void inspect(current.intentId)}
            >
              F7 {t('card.recovery.requery')}
            </Button>
            <Button
              size="large"
              disabled={working !== null}
              onClick={close}
              data-testid="card-recovery-close"
            >
              Esc {t('card.recovery.later')}
            </Button>
          </div>
        )}
        <p className="hint">{t('card.recovery.supervisorNote')}</p>
      </div>
    </Modal>
  );
}
