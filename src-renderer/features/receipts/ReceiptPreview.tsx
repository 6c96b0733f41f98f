import { useTranslation } from 'react-i18next';
import { Facts } from '../../app/Facts';
import type { Receipt } from '../../app/types';
import { formatFen } from '@heating-cashier/core/money';
import { formatPercentTenths } from '@heating-cashier/core/fees';
import { formatTime } from '../../format/time';
import { inDrawer, isPending } from '@heating-cashier/core/tenders';
import { qrConfirmed, qrProviderOf } from '../qr/QrFacts';

type Translate = ReturnType<typeof useTranslation>['t'];

/**
 * The note beside a season line, as the printed receipt words it (src-main/devices/printer/fillers.ts):
 * 部分缴费 with the share while the season still owes after this payment, otherwise 结清 (with
 * this payment's share when earlier payments covered the rest).
 */
function seasonNote(l: Receipt['lines'][number], t: Translate): string {
  const pct = formatPercentTenths(l.pctTenths);
  if (l.balanceAfterFen > 0) return t('receipt.partial', { pct });
  return l.pctTenths < 1000 ? t('receipt.settledShare', { pct }) : t('receipt.settled');
}

const QR_CHANNELS = ['wechat', 'alipay', 'unionpay', 'transfer'] as const;

/**
 * A tender's name; a QR/transfer tender by its channel (微信, 银行转账…) as on the paper; one settled
 * through head office by its provider (支付宝, 微信支付, 云闪付).
 */
function tenderName(x: Receipt['tenders'][number], t: Translate): string {
  const provider = qrConfirmed(x) ? qrProviderOf(x) : null;
  if (provider) return t(`qr.providers.${provider}`);
  const channel = QR_CHANNELS.find((c) => c === x.detail.channel);
  return x.kind === 'qr' && channel
    ? `${t(`payment.kinds.qr`)} · ${t(`payment.channels.${channel}`)}`
    : t(`payment.kinds.${x.kind}`);
}

/** The receipt as it will print (on-screen preview): lines per season with % of charge, tenders, marks. */
export function ReceiptPreview({
  receipt,
  clerkName,
  copyNo,
}: {
  receipt: Receipt;
  clerkName?: string;
  copyNo?: number;
}) {
  const { t } = useTranslation();
  const h = receipt.household;
  const tendered = receipt.tenders.find((x) => inDrawer(x.kind))?.tenderedFen;
  return (
    <article
      className={`receipt-preview ${receipt.voided ? 'is-void' : ''}`}
      data-testid="receipt-preview"
      data-label={receipt.receiptLabel}
    >
      {receipt.voided && <div className="void-stamp">{t('receipt.voidStamp')}</div>}
      <header>
        <div className="receipt-title">{t('receipt.title')}</div>
        <div className="receipt-no mono" data-testid="receipt-label">
          No. {receipt.receiptLabel}
        </div>
        {copyNo !== undefined && copyNo > 0 && (
          <div className="copy-mark" data-testid="copy-mark">
            {t('receipt.copy', { n: copyNo })}
          </div>
        )}
      </header>
      <Facts
        items={[
          { label: t('receipt.accountNo'), value: h.accountNo, className: 'mono' },
          { label: t('receipt.household'), value: h.name, className: 'data' },
          { label: t('receipt.address'), value: h.address, className: 'data' },
          { label: t('receipt.time'), value: formatTime(receipt.issuedAt) },
          clerkName ? { label: t('receipt.clerk'), value: clerkName, className: 'data' } : null,
        ]}
      />
      <table className="receipt-lines">
        <tbody>
          {receipt.lines.map((l) => (
            <tr key={l.seasonId}>
              <td className="mono">{l.seasonCode}</td>
              <td className="num">{formatFen(l.amountFen)}</td>
              <td className="pct" data-testid="receipt-line-note">
                {seasonNote(l, t)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>{t('receipt.total')}</td>
            <td className="num strong" data-testid="receipt-total">
              {formatFen(receipt.totalFen)}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
      <div className="receipt-tenders">
        {receipt.tenders.map((x, i) => (
          <div key={i}>
            {tenderName(x, t)} {formatFen(x.amountFen)}
            {inDrawer(x.kind) &&
              tendered !== undefined &&
              ` · ${t('receipt.tendered', { amount: formatFen(tendered) })}`}
            {x.reference &&
              ` · ${qrConfirmed(x) ? `${t('qr.facts.tradeNo')} ${x.reference}` : t('receipt.ref', { ref: x.reference })}`}
            {x.kind === 'card' && x.detail.maskedPan && ` · ${x.detail.maskedPan}`}
            {x.kind === 'card' && x.detail.authCode && ` · ${x.detail.authCode}`}
            {/* same rule as the printed receipt and the reports: only `mode: terminal` is online */}
            {x.kind === 'card' && x.detail.mode !== 'terminal' && ` · ${t('card.manualMark')}`}
            {isPending(x.kind) && ` · ${t('receipt.pending')}`}
            {x.kind === 'qr' && (
              <span data-testid="receipt-qr-confirmation">
                {` · ${qrConfirmed(x) ? t('qr.facts.confirmed') : t('qr.facts.unconfirmedMark')}`}
              </span>
            )}
          </div>
        ))}
        {receipt.changeFen > 0 && (
          <div>
            {t('receipt.change')} {formatFen(receipt.changeFen)}
          </div>
        )}
      </div>
      {receipt.voided && receipt.voidReason && (
        <p className="void-reason">
          {t('receipt.voidReason')} <span className="data">{receipt.voidReason}</span>
        </p>
      )}
      <footer className="mono receipt-hash">
        {t('receipt.hash')} {receipt.eventHash.slice(0, 16)}
      </footer>
    </article>
  );
}
