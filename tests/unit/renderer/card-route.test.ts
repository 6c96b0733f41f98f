import { describe, expect, it } from 'vitest';
import {
  newTender,
  planPayment,
  type PaymentDraft,
} from '../../../src-renderer/features/payment/payment-model';

/** How the payment form sends a card: on the terminal, manual entry, or a plain tender. */
const seasons = [{ seasonId: 'S2025', seasonCode: '2025-2026', balanceFen: 100_000 }];
const draft = (over: Partial<PaymentDraft> = {}): PaymentDraft => ({
  owedFen: 100_000,
  seasons,
  amountText: '1000.00',
  manual: null,
  tenders: [newTender('cash')],
  ...over,
});
const card = (over: Partial<ReturnType<typeof newTender>> = {}) => ({
  ...newTender('card'),
  amountText: '1000',
  ...over,
});

describe('card tender routes', () => {
  it('terminal configured: a card for the whole amount (cash row dropped out) goes to card.sale, no reference needed', () => {
    const { plan, problems } = planPayment(draft({ tenders: [newTender('cash'), card()] }), {
      cardTerminal: true,
    });
    expect(problems).toEqual([]);
    expect(plan?.route).toEqual({ kind: 'cardSale' });
    expect(plan?.amountFen).toBe(100_000);
  });

  it('a card on the terminal cannot be part of a split', () => {
    const { plan, problems } = planPayment(
      draft({ tenders: [newTender('cash'), card({ amountText: '400' })] }),
      { cardTerminal: true },
    );
    expect(plan).toBeNull();
    expect(problems.map((p) => p.key)).toEqual(['card.errors.terminalSplit']);
  });

  it('manual entry with a terminal configured needs reference and auth code, then goes to card.manual', () => {
    const manual = card({ cardMode: 'manual' });
    expect(
      planPayment(draft({ tenders: [manual] }), { cardTerminal: true }).problems.map((p) => [
        p.key,
        p.params?.field,
      ]),
    ).toEqual([
      ['payment.errors.refMissing', 'payment.terminalRef'],
      ['payment.errors.refMissing', 'card.authCode'],
    ]);
    const { plan } = planPayment(
      draft({ tenders: [{ ...manual, terminalRef: ' R77 ', authCode: ' A1B2 ' }] }),
      { cardTerminal: true },
    );
    expect(plan?.route).toEqual({ kind: 'cardManual', terminalRef: 'R77', authCode: 'A1B2' });
  });

  it('no terminal: a card is always manual; without an auth code it is a plain card tender', () => {
    const onTerminal = card({ terminalRef: 'R1' }); // cardMode 'terminal' has no effect
    expect(planPayment(draft({ tenders: [onTerminal] })).plan?.route).toEqual({ kind: 'take' });
    expect(
      planPayment(draft({ tenders: [{ ...onTerminal, authCode: '123456' }] })).plan?.route,
    ).toEqual({ kind: 'cardManual', terminalRef: 'R1', authCode: '123456' });
    // split card + cash stays a plain payment
    const split = planPayment(
      draft({ tenders: [newTender('cash'), card({ amountText: '400', terminalRef: 'R2' })] }),
    );
    expect(split.plan?.route).toEqual({ kind: 'take' });
  });
});
