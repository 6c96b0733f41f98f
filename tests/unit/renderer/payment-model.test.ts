import { describe, expect, it } from 'vitest';
import {
  newTender,
  planPayment,
  type PaymentDraft,
} from '../../../src-renderer/features/payment/payment-model';

const seasons = [
  { seasonId: 'S2025', seasonCode: '2025-2026', balanceFen: 100_000 },
  { seasonId: 'S2026', seasonCode: '2026-2027', balanceFen: 250_000 },
];

function draft(over: Partial<PaymentDraft> = {}): PaymentDraft {
  return {
    owedFen: 350_000,
    seasons,
    amountText: '3500.00',
    manual: null,
    tenders: [newTender('cash')],
    ...over,
  };
}

const keys = (d: PaymentDraft) => planPayment(d).problems.map((p) => p.key);

describe('payment form rules', () => {
  it('full cash payment, tendered empty = exact', () => {
    const { plan } = planPayment(draft());
    expect(plan).toMatchObject({
      amountFen: 350_000,
      changeFen: 0,
      tenders: [{ kind: 'cash', amountFen: 350_000, tenderedFen: 350_000 }],
    });
    expect(plan?.allocation).toBeUndefined();
  });

  it('cash tendered gives the change', () => {
    const cash = { ...newTender('cash'), tenderedText: '4000' };
    const { plan } = planPayment(draft({ tenders: [cash] }));
    expect(plan?.changeFen).toBe(50_000);
    expect(plan?.tenders).toEqual([{ kind: 'cash', amountFen: 350_000, tenderedFen: 400_000 }]);
  });

  it.each([
    ['abc', 'payment.errors.amountFormat'],
    ['12a', 'payment.errors.amountFormat'],
    ['-5', 'payment.errors.amountFormat'],
    ['1.234', 'payment.errors.amountFormat'],
    ['0', 'payment.errors.amountZero'],
    ['3500.01', 'payment.errors.amountOver'],
  ])('amount %j -> %s, no plan', (amountText, key) => {
    const result = planPayment(draft({ amountText }));
    expect(result.plan).toBeNull();
    expect(result.problems.map((p) => p.key)).toContain(key);
  });

  it('tendered: letters and too little are refused', () => {
    expect(keys(draft({ tenders: [{ ...newTender('cash'), tenderedText: '12O' }] }))).toEqual([
      'payment.errors.tenderedFormat',
    ]);
    expect(keys(draft({ tenders: [{ ...newTender('cash'), tenderedText: '3000' }] }))).toEqual([
      'payment.errors.tenderedLow',
    ]);
  });

  it('split: card + cash remainder, card needs its reference', () => {
    const card = { ...newTender('card'), amountText: '1000' };
    expect(keys(draft({ tenders: [newTender('cash'), card] }))).toEqual([
      'payment.errors.refMissing',
    ]);
    const { plan } = planPayment(
      draft({ tenders: [newTender('cash'), { ...card, terminalRef: ' R1 ' }] }),
    );
    expect(plan?.tenders).toEqual([
      { kind: 'cash', amountFen: 250_000, tenderedFen: 250_000 },
      { kind: 'card', amountFen: 100_000, terminalRef: 'R1' },
    ]);
  });

  it('a card covering everything: the empty cash row drops out', () => {
    const card = { ...newTender('card'), amountText: '3500', terminalRef: 'R9' };
    const { plan, problems } = planPayment(draft({ tenders: [newTender('cash'), card] }));
    expect(problems).toEqual([]);
    expect(plan?.tenders).toEqual([{ kind: 'card', amountFen: 350_000, terminalRef: 'R9' }]);
  });

  it('non-cash only must add up; more than the amount is refused', () => {
    const qr = { ...newTender('qr'), amountText: '3000', reference: 'WX1' };
    expect(keys(draft({ tenders: [qr] }))).toEqual(['payment.errors.tendersShort']);
    expect(keys(draft({ tenders: [{ ...qr, amountText: '3600' }] }))).toEqual([
      'payment.errors.tendersOver',
    ]);
    const cheque = { ...newTender('cheque'), amountText: '500', chequeNo: 'C1', bank: '工行' };
    const { plan } = planPayment(draft({ tenders: [qr, cheque] }));
    expect(plan?.tenders.map((t) => t.kind)).toEqual(['qr', 'cheque']);
  });

  it('manual split: the amount is the sum; a season above its balance is refused', () => {
    const { plan } = planPayment(draft({ manual: { S2025: '', S2026: '1000' } }));
    expect(plan?.amountFen).toBe(100_000);
    expect(plan?.allocation).toEqual([{ seasonId: 'S2026', amountFen: 100_000 }]);
    expect(keys(draft({ manual: { S2025: '1000.01', S2026: '' } }))).toEqual([
      'payment.errors.seasonOver',
    ]);
    expect(keys(draft({ manual: { S2025: '', S2026: '' } }))).toEqual([
      'payment.errors.allocationEmpty',
    ]);
  });
});
