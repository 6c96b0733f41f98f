// The payment model (src-renderer/features/payment/payment-model.ts) as the tender editor uses it:
// a kind changed with the keyboard, and what the form then sends.
import { describe, expect, it } from 'vitest';
import {
  newTender,
  planPayment,
  withKind,
  type PaymentDraft,
} from '../../src-renderer/features/payment/payment-model';

const draft = (tenders: PaymentDraft['tenders'], amountText = '1234.56'): PaymentDraft => ({
  owedFen: 123_456,
  seasons: [{ seasonId: 's1', seasonCode: '2025-2026', balanceFen: 123_456 }],
  amountText,
  manual: null,
  tenders,
});

describe('withKind', () => {
  it('cash turned into card takes the cash due as its amount; the plan is then card only', () => {
    const cash = newTender('cash');
    const due = planPayment(draft([cash])).cashDueFen;
    expect(due).toBe(123_456);
    const card = withKind(cash, 'card', due);
    expect(card).toMatchObject({ key: cash.key, kind: 'card', amountText: '1234.56' });
    const { plan, problems } = planPayment(draft([{ ...card, terminalRef: 'POS1' }]));
    expect(problems).toEqual([]);
    expect(plan?.tenders).toEqual([{ kind: 'card', amountFen: 123_456, terminalRef: 'POS1' }]);
    expect(plan?.route).toEqual({ kind: 'take' });
  });

  it('keeps an amount already typed, and takes nothing when no cash is due', () => {
    const typed = { ...newTender('cash'), amountText: '100' };
    expect(withKind(typed, 'cheque', 5_000).amountText).toBe('100');
    expect(withKind(newTender('cash'), 'qr', 0).amountText).toBe('');
    expect(withKind(newTender('cash'), 'qr', null).amountText).toBe('');
  });

  it('a card turned back into cash keeps its fields; the cash row takes what is left', () => {
    const cash = newTender('cash');
    const card = { ...newTender('card', '34.56'), terminalRef: 'POS2' };
    const back = withKind(card, 'cash', 0);
    expect(back).toMatchObject({ kind: 'cash', amountText: '34.56', terminalRef: 'POS2' });
    // cash + card: the card's amount first, the cash due is the rest
    const split = planPayment(draft([cash, card]));
    expect(split.cashDueFen).toBe(120_000);
    expect(split.plan?.tenders).toEqual([
      { kind: 'cash', amountFen: 120_000, tenderedFen: 120_000 },
      { kind: 'card', amountFen: 3_456, terminalRef: 'POS2' },
    ]);
  });
});
