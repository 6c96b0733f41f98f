// What the terminal reported for a card receipt (masked PAN, auth code, trace, terminal receipt
// no.), or the manual mark: shown on the success screen next to the receipt.
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../app/types';
import { FactsGrid } from './FactsGrid';

export function CardFacts({ receipt }: { receipt: Receipt }) {
  const { t } = useTranslation();
  const cards = receipt.tenders.filter((x) => x.kind === 'card');
  if (cards.length === 0) return null;
  return (
    <>
      {cards.map((card, i) => {
        const d = card.detail;
        const manual = d.mode !== 'terminal';
        const rows: [string, string | undefined][] = [
          [
            t('card.facts.mode'),
            manual ? t('card.facts.modeManual') : t('card.facts.modeTerminal'),
          ],
          [t('card.facts.maskedPan'), d.maskedPan],
          [t('card.facts.brand'), d.brand],
          [t('card.facts.authCode'), d.authCode],
          [t('card.facts.traceNo'), d.traceNo],
          [
            t('card.facts.terminalReceiptNo'),
            d.terminalReceiptNo ?? (manual ? card.reference : undefined),
          ],
          [t('card.facts.terminalId'), d.terminalId],
        ];
        return (
          <section
            key={i}
            className="card-facts-box"
            data-testid="card-facts"
            data-mode={manual ? 'manual' : 'terminal'}
          >
            <h3 style={{ margin: '4px 0 0' }}>{t('card.facts.heading')}</h3>
            <FactsGrid rows={rows} />
          </section>
        );
      })}
    </>
  );
}
