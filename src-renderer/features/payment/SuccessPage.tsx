import { Alert } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useScreenKeys } from '../../app/keys';
import type { Receipt, ScreenProps } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { ReceiptPreview } from '../receipts/ReceiptPreview';
import { CardFacts } from '../card/CardFacts';
import { QrFacts } from '../qr/QrFacts';
import { useRatingPrompt } from '../service/RatingPrompt';

/** Receipt number, change to hand back, the on-screen receipt, and the printer's honest state. */
export function SuccessPage({
  client,
  session,
  status,
  go,
  sessionLost,
  receipt,
  changeFen,
}: ScreenProps & { receipt: Receipt; changeFen: number }) {
  const { t } = useTranslation();
  const nextRef = useRef<HTMLButtonElement>(null);
  const next = () => go({ name: 'search' });
  // F7: the customer rates this receipt 1–5 on the clerk's keypad (optional, never in the way).
  const rating = useRatingPrompt({
    client,
    session: session.token,
    receiptId: receipt.id,
    receiptLabel: receipt.receiptLabel,
    sessionLost,
  });
  useScreenKeys(
    rating.open
      ? rating.keys
      : [
          { key: 'Enter', label: t('keys.next') },
          ...rating.keys,
          { key: 'Escape', label: t('keys.next'), run: next },
        ],
  );
  useEffect(() => nextRef.current?.focus(), []);
  // The next customer's account number, typed or scanned here, starts the next search: no
  // keystroke is lost (Space and Enter still press "next").
  const typed = useRef('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.length !== 1 || e.key === ' ' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (rating.openRef.current) return; // the rating prompt takes the digits
      if (e.isComposing) return;
      // a field of something shown above this screen (the card recovery) keeps its typing
      const el = document.activeElement;
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return;
      if (el instanceof HTMLSelectElement) return;
      e.preventDefault();
      typed.current += e.key;
      go({ name: 'search', typed: typed.current });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [go, rating.openRef]);
  const printerReady = status?.printer.state === 'ready';
  return (
    <section
      className="panel success-panel"
      aria-labelledby="success-heading"
      data-testid="success"
    >
      <div className="success-left">
        <h2 id="success-heading" className="success-title">
          ✓ {t('success.heading')}
        </h2>
        <div className="big-fact">
          <span>{t('success.receiptNo')}</span>
          <strong className="mono" data-testid="success-receipt">
            {receipt.receiptLabel}
          </strong>
        </div>
        <div className="big-fact change">
          <span>{t('success.change')}</span>
          <strong data-testid="success-change">{formatFen(changeFen)}</strong>
        </div>
        <CardFacts receipt={receipt} />
        <QrFacts receipt={receipt} />
        <Alert
          type={printerReady ? 'success' : 'warning'}
          showIcon
          data-testid="printer-note"
          title={printerReady ? t('success.printerUp') : t('success.printerDown')}
        />
        <button ref={nextRef} type="button" className="primary-action" onClick={next}>
          {t('success.next')}
        </button>
        {rating.view}
      </div>
      <ReceiptPreview receipt={receipt} clerkName={session.clerk.name} />
    </section>
  );
}
