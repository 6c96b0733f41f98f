import { Button, type InputRef } from 'antd';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommand } from '../../app/command';
import { TextField } from '../../app/fields';
import { FormMessages, SuccessAlert } from '../../app/messages';
import { isClerkCode, SupervisorFields, useSupervisor } from '../../app/SupervisorFields';
import { useScreenKeys } from '../../app/keys';
import type { Receipt, Screen, ScreenProps } from '../../app/types';
import { ReceiptPreview } from './ReceiptPreview';

/** Receipt lookup by number; void (reason + supervisor PIN) and reprint (marked copy). */
export function ReceiptPage(
  props: ScreenProps & { receiptId?: string; back: Screen; setBusy(busy: boolean): void },
) {
  const { client, session, status, go, refresh, receiptId, back, setBusy } = props;
  const { t } = useTranslation();
  const [label, setLabel] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [copyNo, setCopyNo] = useState<number | undefined>(undefined);
  const { error, setError, fail, busy: working, run } = useCommand(props.sessionLost);
  const [problem, setProblem] = useState<string | null>(null);
  // Kept as keys, not text: F10 re-renders it in the other language.
  const [done, setDone] = useState<
    { key: string; params: Record<string, string | number> }[] | null
  >(null);
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');
  const sup = useSupervisor();
  const lookupRef = useRef<InputRef>(null);
  const reasonRef = useRef<InputRef>(null);
  const supCodeRef = useRef<InputRef>(null);
  const supPinRef = useRef<InputRef>(null);

  const load = useCallback(
    async (by: { receiptId: string } | { receiptLabel: string }) => {
      const result = await client.invoke('receipt.find', { session: session.token, ...by });
      if (result.ok) {
        setReceipt(result.value);
        setLabel(result.value.receiptLabel);
        setError(null);
      } else {
        setReceipt(null);
        fail(result.error);
      }
    },
    [client, session.token, fail],
  );

  useEffect(() => {
    if (receiptId) void load({ receiptId });
    lookupRef.current?.focus({ cursor: 'all' });
  }, [receiptId, load]);

  async function find(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    setCopyNo(undefined);
    // Another receipt: a void begun for the shown one (reason, approval) does not carry over.
    setVoiding(false);
    setReason('');
    sup.clear();
    const l = label.trim();
    if (l === '') {
      setProblem('receipt.notFound');
      return;
    }
    setProblem(null);
    await load({ receiptLabel: l });
    lookupRef.current?.focus({ cursor: 'all' });
  }

  function startVoid() {
    if (!receipt) return;
    if (receipt.voided) {
      setProblem('receipt.alreadyVoid');
      return;
    }
    setDone(null);
    setProblem(null);
    setError(null);
    setVoiding(true);
    setTimeout(() => reasonRef.current?.focus(), 0);
  }

  function cancelVoid() {
    setVoiding(false);
    setReason('');
    sup.clear();
    setProblem(null);
    setTimeout(() => lookupRef.current?.focus({ cursor: 'all' }), 0);
  }

  async function confirmVoid(e: FormEvent) {
    e.preventDefault();
    if (!receipt || working) return;
    if (reason.trim() === '') {
      setProblem('receipt.reasonMissing');
      reasonRef.current?.focus();
      return;
    }
    const approval = sup.credentials();
    if (!approval) {
      setProblem('receipt.supervisorMissing');
      (isClerkCode(sup.code.trim()) ? supPinRef : supCodeRef).current?.focus();
      return;
    }
    setProblem(null);
    setBusy(true);
    const voided = await run(() =>
      client.invoke('receipt.void', {
        session: session.token,
        receiptId: receipt.id,
        reason: reason.trim(),
        ...approval,
      }),
    );
    setBusy(false);
    sup.setPin('');
    if (!voided) return supPinRef.current?.focus();
    setVoiding(false);
    setReason('');
    sup.clear();
    setDone([{ key: 'receipt.voidDone', params: { label: receipt.receiptLabel } }]);
    await load({ receiptId: receipt.id });
    refresh();
    lookupRef.current?.focus({ cursor: 'all' });
  }

  async function reprint() {
    if (!receipt || working) return;
    setDone(null);
    const receiptId = receipt.id;
    const copy = await run(() =>
      client.invoke('receipt.reprint', { session: session.token, receiptId }),
    );
    if (!copy) return;
    setReceipt(copy);
    setCopyNo(copy.reprintCount);
    setDone([
      { key: 'receipt.reprintDone', params: { n: copy.reprintCount } },
      ...(status?.printer.state === 'ready'
        ? []
        : [{ key: 'receipt.reprintNoPrinter', params: {} }]),
    ]);
    setError(null);
    refresh();
  }

  /** The written statement of a voided receipt (一式四份), printed again. */
  async function printStatement() {
    if (!receipt?.voided || working) return;
    setDone(null);
    const receiptLabel = receipt.receiptLabel;
    const printed = await run(() =>
      client.invoke('receipt.statement', { session: session.token, receiptLabel }),
    );
    if (!printed) return;
    setDone([
      { key: 'receipt.statementDone', params: { n: printed.jobs.length } },
      ...(status?.printer.state === 'ready'
        ? []
        : [{ key: 'receipt.statementNoPrinter', params: {} }]),
    ]);
    refresh();
  }

  useScreenKeys(
    voiding
      ? [
          { key: 'Enter', label: t('receipt.voidConfirm') },
          { key: 'Escape', label: t('common.cancel'), run: cancelVoid, disabled: working },
        ]
      : [
          { key: 'Enter', label: t('receipt.find') },
          {
            key: 'F8',
            label: t('keys.void'),
            run: startVoid,
            disabled: !receipt || receipt.voided,
          },
          {
            key: 'F7',
            label: t('keys.statement'),
            run: () => void printStatement(),
            disabled: !receipt?.voided || working,
          },
          {
            key: 'F9',
            label: t('keys.reprint'),
            run: () => void reprint(),
            disabled: !receipt || working,
          },
          { key: 'Escape', label: t('keys.esc'), run: () => go(back) },
        ],
  );

  return (
    <section
      className="panel receipt-panel"
      aria-labelledby="receipt-heading"
      data-testid="receipts"
    >
      <div className="receipt-left">
        <h2 id="receipt-heading">{t('receipt.heading')}</h2>
        <form onSubmit={(e) => void find(e)} noValidate className="inline-form">
          <TextField
            ref={lookupRef}
            label={t('receipt.lookup')}
            name="receiptLabel"
            size="large"
            placeholder={t('receipt.lookupPlaceholder')}
            disabled={voiding}
            autoComplete="off"
            value={label}
            onValue={setLabel}
          />
          <Button size="large" htmlType="submit" disabled={voiding}>
            {t('receipt.find')} (Enter)
          </Button>
        </form>
        {voiding && receipt && (
          <form
            onSubmit={(e) => void confirmVoid(e)}
            noValidate
            className="void-form"
            data-testid="void-form"
          >
            <h3>
              {t('receipt.voidHeading')} <span className="mono">{receipt.receiptLabel}</span>
            </h3>
            <TextField
              ref={reasonRef}
              label={t('receipt.reason')}
              name="reason"
              maxLength={200}
              value={reason}
              onValue={setReason}
            />
            <div className="two-col">
              <SupervisorFields {...sup.fields} firstFieldRef={supCodeRef} pinRef={supPinRef} />
            </div>
            <Button type="primary" danger size="large" htmlType="submit" loading={working} block>
              {t('receipt.voidConfirm')} (Enter)
            </Button>
            <p className="hint">{t('receipt.voidHint')}</p>
          </form>
        )}
        <FormMessages problem={problem && t(problem)} error={error} />
        {done && (
          <SuccessAlert
            title={done.map((d) => t(d.key, d.params)).join(' ')}
            testId="receipt-done"
          />
        )}
      </div>
      <div className="receipt-right">
        {receipt && <ReceiptPreview receipt={receipt} copyNo={copyNo} />}
      </div>
    </section>
  );
}
