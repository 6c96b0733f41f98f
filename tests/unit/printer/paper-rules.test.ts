// Issue 21, printing: the receipt's season notes (部分缴费 only while a balance remains, 结清 when
// settled), every tender's channel on the paper, the three parts (一式三联), the written statement on
// a voided or spoiled receipt (一式四份) and the book return list.
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../src-main/devices/printer/escpos-decoder';
import { renderEscPos, renderText } from '../../../src-main/devices/printer/render';
import { fixture, normalizeLines } from '../../support/printer';

const receipt = fixture('receipt');
const line = {
  seasonCode: '2025-2026',
  amountFen: 106_538,
  chargeFen: 213_075,
  pctTenths: 500,
  rateFenPerM2: 2500,
  arrears: false,
};

/** The printed lines under the season line (its note), at 48 columns. */
function seasonNotes(lines: object[]): string[] {
  const text = renderText('receipt', { ...receipt, lines, outstanding: [] }, { width: 48 });
  return text
    .split('\n')
    .filter((l) => /^ {2}(部分缴费|结清)/.test(l))
    .map((l) => l.trim());
}

describe('receipt: a season line says 部分缴费 only while a balance remains', () => {
  it('the payment that settles a season after an earlier partial payment prints 结清', () => {
    expect(seasonNotes([{ ...line, balanceAfterFen: 0 }])).toEqual(['结清 本次占本季应收50.0%']);
  });

  it('a payment that leaves a balance prints 部分缴费 with the share (the seed: 注明相应百分比)', () => {
    expect(seasonNotes([{ ...line, balanceAfterFen: 106_537 }])).toEqual([
      '部分缴费 占本季应收50.0%',
    ]);
  });

  it('a full payment of the season prints 结清', () => {
    expect(
      seasonNotes([{ ...line, amountFen: 213_075, pctTenths: 1000, balanceAfterFen: 0 }]),
    ).toEqual(['结清']);
  });

  it('a job queued before the balance was kept falls back to the share of the charge', () => {
    expect(seasonNotes([line])).toEqual(['部分缴费 占本季应收50.0%']);
  });
});

describe('receipt: every tender names its channel', () => {
  const tenders = [
    { kind: 'cash', amountFen: 100_000, tenderedFen: 100_000, detail: {} },
    {
      kind: 'card',
      amountFen: 50_000,
      reference: 'T1',
      detail: { maskedPan: '6222****1234', mode: 'terminal' },
    },
    { kind: 'cheque', amountFen: 60_000, reference: 'CH778', detail: { bank: '工商银行' } },
    {
      kind: 'qr',
      amountFen: 50_000,
      reference: '4200001234',
      detail: { channel: 'wechat' },
    },
    { kind: 'qr', amountFen: 53_075, reference: 'TRX-778', detail: { channel: 'transfer' } },
  ];
  const text = renderText('receipt', { ...receipt, tenders, changeFen: 0 }, { width: 48 });
  const rows = text.split('\n');
  const row = (start: string) => rows.find((r) => r.startsWith(start)) ?? '';

  it('cash, card, cheque and QR/transfer by its channel, with its reference', () => {
    expect(row('现金')).toContain('￥1,000.00');
    expect(row('银行卡')).toContain('￥500.00');
    expect(row('支票')).toContain('￥600.00');
    expect(text).toContain('票号CH778 工商银行（待兑付）');
    expect(row('微信支付')).toContain('￥500.00');
    expect(text).toContain('交易号 4200001234');
    // typed by the clerk, not settled through head office: finance reconciles it
    expect(text).toContain('未确认（手工登记，待对账）');
    expect(text).not.toContain('已确认');
    expect(row('银行转账')).toContain('￥530.75');
    expect(text).toContain('交易号 TRX-778');
  });

  it('fits 58 mm paper too', () => {
    const narrow = renderText('receipt', { ...receipt, tenders, changeFen: 0 }, { width: 32 });
    expect(narrow.split('\n').find((l) => l.startsWith('银行转账'))).toContain('￥530.75');
  });
});

describe('receipt parts (一式三联)', () => {
  it('names each part: 第一联 客户联, 第二联 存根联, 第三联 记账联', () => {
    for (const [copy, name] of [
      ['customer', '第一联 客户联'],
      ['stub', '第二联 存根联'],
      ['accounting', '第三联 记账联'],
    ] as const) {
      const text = renderText('receipt', { ...receipt, copy }, { width: 48 });
      // at the head and the foot of the part
      expect(text.split('\n').filter((l) => l.trim() === name)).toHaveLength(2);
      // the customer is told to keep their copy; the stub and the accounting copy stay inside
      expect(text.includes('请妥善保管，此为缴费凭证')).toBe(copy === 'customer');
    }
  });

  it('a reprinted accounting part is marked 补打 with the counter', () => {
    const page = decodeEscPos(
      renderEscPos('receipt', { ...receipt, copy: 'accounting', reprintNo: 2 }, { width: 48 }),
    );
    const text = normalizeLines(page.lines).join('\n');
    expect(text).toContain('第三联 记账联');
    expect(text).toContain('补  打    C O P Y   第  2 次');
  });
});

describe('written statement on a voided or spoiled receipt (一式四份)', () => {
  const statement = fixture('void-statement');
  const holders = [
    ['clerk', '第一份 收费员自留'],
    ['finance', '第二份 报财务部'],
    ['ledger', '第三份 报供热台账'],
    ['leader', '第四份 报供热组长'],
  ] as const;

  it('each copy is named for its holder and carries number, household, amount, reason, approver, clerk, time, signatures', () => {
    for (const [copy, holder] of holders) {
      const text = renderText('void-statement', { ...statement, copy }, { width: 48 });
      expect(text.split('\n').filter((l) => l.trim() === holder)).toHaveLength(2);
      for (const part of [
        '收  据  作  废  书  面  说  明',
        '收据号     A000123',
        '户号       10000001',
        '户名       欧阳明',
        '金额       ￥3,130.75',
        '大写       叁仟壹佰叁拾元柒角伍分',
        '开具时间   2026-11-20 10:03:04',
        '作废时间   2026-11-20 10:13:00',
        '原因       金额输错 | 重开',
        '收费员     张丽（1001）',
        '审批主管   李主管',
        '收费员签字',
        '审批主管签字',
        '__________',
        '本说明一式四份：收费员自留一份，报财务部、供热台',
      ]) {
        expect(text, `${copy}: ${part}`).toContain(part);
      }
    }
  });

  it('a spoiled blank: no household or amount, the approver to sign', () => {
    const text = renderText(
      'void-statement',
      {
        ...statement,
        kind: 'spoil',
        accountNo: null,
        name: null,
        totalFen: null,
        issuedAt: null,
        approverName: null,
        reason: '卡纸',
        copy: 'leader',
      },
      { width: 48 },
    );
    expect(text).toContain('废  票  书  面  说  明');
    expect(text).toContain('空白票据损坏（废票），未开具');
    expect(text).toContain('户号       —');
    expect(text).toContain('金额       —');
    expect(text).toContain('登记时间   2026-11-20 10:13:00');
    expect(text).toContain('审批主管   （未经主管审批，请签字）');
    expect(text).toContain('第四份 报供热组长');
  });

  it('refuses a copy that is not one of the four holders', () => {
    expect(() =>
      renderText('void-statement', { ...statement, copy: 'customer' }, { width: 48 }),
    ).toThrow(/copy/);
  });
});

describe('book return list', () => {
  it('every number and its state: issued with amount (未交款 when not handed in), voided, spoiled, unused run', () => {
    const text = renderText('book-return', fixture('book-return'), { width: 48 });
    const rows = text.split('\n').map((l) => l.replace(/\s+/g, ' ').trim());
    expect(rows).toContain('A000121 开出 ￥2,130.75');
    expect(rows).toContain('A000122 作废 ￥3,130.75');
    expect(rows).toContain('A000123 废票');
    expect(rows).toContain('A000124 开出未交款 ￥50.00');
    expect(rows).toContain('A000125—A000150 未用交回 26张');
    expect(rows).toContain('开出 2张 ￥2,180.75');
    expect(rows).toContain('未用交回 26张');
    expect(rows).toContain('开出未交款 1张 ￥50.00');
  });
});
