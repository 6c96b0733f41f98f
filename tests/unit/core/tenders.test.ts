import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addTenderTotals,
  COLLECTED_KINDS,
  collectedFen,
  drawerFen,
  electronicFen,
  emptyTenderTotals,
  inDrawer,
  isPending,
  isTenderKind,
  pendingFen,
  PENDING_KINDS,
  printLabels,
  REPORT_ORDER,
  sumByKind,
  tenderClass,
  tenderRecordOf,
  TENDER_KINDS,
  TENDERS,
  tenderTotalsOf,
  type TenderTotals,
} from '@heating-cashier/core/tenders';
import { tenderRecord, tenderTotals } from '@heating-cashier/core/contract/events';
import { tenderInput } from '@heating-cashier/core/contract/schemas';

const totals = (cash: number, card: number, cheque: number, qr: number): TenderTotals => ({
  cash,
  card,
  cheque,
  qr,
});
const fenArb = fc.integer({ min: 0, max: 10_000_000_000 });

describe('the tender table', () => {
  it('lists the kinds in the ledger order and classifies them', () => {
    expect(TENDER_KINDS).toEqual(['cash', 'card', 'cheque', 'qr']);
    expect(TENDER_KINDS.map(tenderClass)).toEqual(['cash', 'electronic', 'pending', 'electronic']);
    expect(COLLECTED_KINDS).toEqual(['cash', 'card', 'qr']);
    expect(PENDING_KINDS).toEqual(['cheque']);
    expect(REPORT_ORDER).toEqual(['cash', 'card', 'qr', 'cheque']);
    expect(TENDER_KINDS.filter(inDrawer)).toEqual(['cash']);
    expect(TENDER_KINDS.filter(isPending)).toEqual(['cheque']);
  });

  it('knows its kinds and nothing else', () => {
    for (const k of TENDER_KINDS) expect(isTenderKind(k)).toBe(true);
    for (const x of ['no-such-kind', 'Cash', '', 'toString', 'constructor', null, 1])
      expect(isTenderKind(x)).toBe(false);
  });

  it('prints the Chinese names', () => {
    expect(printLabels(COLLECTED_KINDS)).toBe('现金 + 银行卡 + 扫码/转账');
    expect(printLabels(PENDING_KINDS, '/')).toBe('支票');
  });

  it('is what the contract schemas are made of', () => {
    expect(tenderRecord.shape.kind.options).toEqual(TENDER_KINDS);
    expect(Object.keys(tenderTotals.shape)).toEqual(TENDER_KINDS);
    expect(tenderInput.options.map((o) => o.shape.kind.value).sort()).toEqual(
      [...TENDER_KINDS].sort(),
    );
  });

  it("names only fields each kind's input schema has", () => {
    for (const o of tenderInput.options) {
      const facts = TENDERS[o.shape.kind.value];
      const fields = Object.keys(o.shape);
      if (facts.reference !== null) expect(fields).toContain(facts.reference);
      for (const f of facts.detail) expect(fields).toContain(f);
      expect(fields.includes('tenderedFen')).toBe(facts.class === 'cash');
    }
  });
});

describe('collectedFen and the other sums', () => {
  it('collected = cash + card + QR; cheques are pending', () => {
    const t = totals(100, 20, 5000, 3);
    expect(collectedFen(t)).toBe(123);
    expect(pendingFen(t)).toBe(5000);
    expect(electronicFen(t)).toBe(23);
    expect(drawerFen(t)).toBe(100);
  });

  it('collected + pending is everything taken, for any amounts', () => {
    fc.assert(
      fc.property(fenArb, fenArb, fenArb, fenArb, (a, b, c, d) => {
        const t = totals(a, b, c, d);
        expect(collectedFen(t) + pendingFen(t)).toBe(a + b + c + d);
        expect(collectedFen(t)).toBe(drawerFen(t) + electronicFen(t));
      }),
    );
  });

  it('sums tenders by kind, adds totals, picks the kinds of a row', () => {
    expect(emptyTenderTotals()).toEqual(totals(0, 0, 0, 0));
    const t = sumByKind([
      { kind: 'card', amountFen: 5 },
      { kind: 'cash', amountFen: 7 },
      { kind: 'card', amountFen: 1 },
    ]);
    expect(t).toEqual(totals(7, 6, 0, 0));
    expect(addTenderTotals(t, totals(1, 1, 1, 1))).toEqual(totals(8, 7, 1, 1));
    expect(tenderTotalsOf({ ...totals(1, 2, 3, 4), receipts: 9 } as TenderTotals)).toEqual(
      totals(1, 2, 3, 4),
    );
    // the order of the keys is the ledger's (the wire and the reports show it)
    expect(Object.keys(tenderTotalsOf(totals(1, 2, 3, 4)))).toEqual(TENDER_KINDS);
  });
});

describe('tenderRecordOf', () => {
  it('cash keeps what was tendered and nothing else', () => {
    expect(tenderRecordOf({ kind: 'cash', amountFen: 900, tenderedFen: 1000 })).toEqual({
      kind: 'cash',
      amountFen: 900,
      tenderedFen: 1000,
      detail: {},
    });
  });

  it('card: the terminal reference, the codes given, then the extra detail', () => {
    const r = tenderRecordOf(
      { kind: 'card', amountFen: 5, terminalRef: 'T1', authCode: '', maskedPan: '6222****1234' },
      { mode: 'manual' },
    );
    expect(r).toEqual({
      kind: 'card',
      amountFen: 5,
      reference: 'T1',
      detail: { maskedPan: '6222****1234', mode: 'manual' },
    });
    expect(Object.keys(r.detail)).toEqual(['maskedPan', 'mode']);
  });

  it('cheque: the cheque number, the bank and status pending', () => {
    expect(tenderRecordOf({ kind: 'cheque', amountFen: 5, chequeNo: 'C9', bank: 'ICBC' })).toEqual({
      kind: 'cheque',
      amountFen: 5,
      reference: 'C9',
      detail: { bank: 'ICBC', status: 'pending' },
    });
  });

  it('qr: the reference and the channel; a tenderedFen on a non-cash kind is dropped', () => {
    expect(
      tenderRecordOf({
        kind: 'qr',
        amountFen: 5,
        channel: 'alipay',
        reference: 'R1',
        tenderedFen: 9,
      }),
    ).toEqual({ kind: 'qr', amountFen: 5, reference: 'R1', detail: { channel: 'alipay' } });
  });

  it('every record it makes is a valid ledger tender', () => {
    for (const t of [
      { kind: 'cash', amountFen: 1, tenderedFen: 1 },
      { kind: 'card', amountFen: 1, terminalRef: 'x' },
      { kind: 'cheque', amountFen: 1, chequeNo: 'x', bank: 'y' },
      { kind: 'qr', amountFen: 1, channel: 'wechat', reference: 'x' },
    ] as const) {
      const input = tenderInput.parse(t);
      expect(tenderRecord.parse(tenderRecordOf(input))).toEqual(tenderRecordOf(input));
    }
  });
});
