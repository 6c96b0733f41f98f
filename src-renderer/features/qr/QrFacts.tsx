// What head office and the provider confirmed for a QR receipt (channel, trade no., 已确认), or the
// hand-entered reference marked 未确认: shown on the success screen next to the receipt.
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../app/types';
import { FactsGrid } from '../card/FactsGrid';

type Tender = Receipt['tenders'][number];
const PROVIDERS = ['alipay', 'wechat', 'unionpay'] as const;

/** A QR tender settled through head office (qr.sale) carries `confirmation: 'confirmed'`. */
export const qrConfirmed = (x: Tender): boolean =>
  x.kind === 'qr' && x.detail.confirmation === 'confirmed';

/** The provider of a QR tender (支付宝 / 微信支付 / 云闪付), if it is one of theirs. */
export const qrProviderOf = (x: Tender) =>
  PROVIDERS.find((p) => p === (x.detail.provider ?? x.detail.channel)) ?? null;

export function QrFacts({ receipt }: { receipt: Receipt }) {
  const { t } = useTranslation();
  const qrs = receipt.tenders.filter((x) => x.kind === 'qr');
  if (qrs.length === 0) return null;
  return (
    <>
      {qrs.map((x, i) => {
        const confirmed = qrConfirmed(x);
        const provider = qrProviderOf(x);
        const channel = provider
          ? t(`qr.providers.${provider}`)
          : x.detail.channel
            ? t(`payment.channels.${x.detail.channel}`)
            : undefined;
        const rows: [string, string | undefined][] = confirmed
          ? [
              [t('qr.facts.channel'), channel],
              [t('qr.facts.tradeNo'), x.detail.tradeNo ?? x.reference],
              [t('qr.facts.outTradeNo'), x.detail.outTradeNo],
              [t('qr.facts.buyer'), x.detail.buyer],
            ]
          : [
              [t('qr.facts.channel'), channel],
              [t('qr.facts.reference'), x.reference],
            ];
        return (
          <section
            key={i}
            className="qr-facts-box"
            data-testid="qr-facts"
            data-confirmed={confirmed ? 'yes' : 'no'}
          >
            <h3 style={{ margin: '4px 0 0' }}>
              {t('qr.facts.heading')} ·{' '}
              <strong
                data-testid="qr-confirmation"
                style={{ color: confirmed ? '#1b7a2f' : '#b3261e' }}
              >
                {confirmed ? t('qr.facts.confirmed') : t('qr.facts.unconfirmed')}
              </strong>
            </h3>
            <FactsGrid rows={rows} testId="qr-facts-grid" />
          </section>
        );
      })}
    </>
  );
}
