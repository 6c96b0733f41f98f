// How the payment form sends a QR tender: the payment code (扫码支付) as a qr.sale for the whole
// amount, the hand-entered reference (unconfirmed) as before through payment.take.
import { describe, expect, it } from 'vitest';
import {
  newTender,
  planPayment,
  type PaymentDraft,
} from '../../../src-renderer/features/payment/payment-model';

const CODE = '286498003621849257';
const seasons = [{ seasonId: 'S2025', seasonCode: '2025-2026', balanceFen: 100_000 }];
const draft = (over: Partial<PaymentDraft> = {}): PaymentDraft => ({
  owedFen: 100_000,
  seasons,
  amountText: '1000.00',
  manual: null,
  tenders: [newTender('cash')],
  ...over,
});
const qr = (over: Partial<ReturnType<typeof newTender>> = {}) => ({
  ...newTender('qr'),
  amountText: '1000',
  ...over,
});
const keys = (d: PaymentDraft) => planPayment(d).problems.map((p) => p.key);

describe('QR tender routes', () => {
  it('a new QR tender is the hand-entered reference (unconfirmed), sent with payment.take', () => {
    const { plan, problems } = planPayment(draft({ tenders: [qr({ reference: 'WX1' })] }));
    expect(problems).toEqual([]);
    expect(plan?.route).toEqual({ kind: 'take' });
    expect(plan?.tenders).toEqual([
      { kind: 'qr', amountFen: 100_000, channel: 'wechat', reference: 'WX1' },
    ]);
  });

  it('a payment code for the whole amount goes to qr.sale (the cash row drops out)', () => {
    const { plan, problems } = planPayment(
      draft({ tenders: [newTender('cash'), qr({ qrMode: 'code', qrCode: ` ${CODE} ` })] }),
    );
    expect(problems).toEqual([]);
    expect(plan?.route).toEqual({ kind: 'qrSale', code: CODE });
    expect(plan?.amountFen).toBe(100_000);
  });

  it('no code, a code no provider issues, or a code beside another tender: refused on the screen', () => {
    expect(keys(draft({ tenders: [qr({ qrMode: 'code' })] }))).toEqual([
      'payment.errors.refMissing',
    ]);
    expect(keys(draft({ tenders: [qr({ qrMode: 'code', qrCode: '99887766' })] }))).toEqual([
      'qr.errors.codeInvalid',
    ]);
    const split = planPayment(
      draft({
        tenders: [
          { ...newTender('cash'), tenderedText: '500' },
          qr({ qrMode: 'code', qrCode: CODE, amountText: '500' }),
        ],
      }),
    );
    expect(split.plan).toBeNull();
    expect(split.problems.map((p) => p.key)).toEqual(['qr.errors.split']);
  });
});
