// The A4 document model → HTML: self-contained (no script, no external resource), escaped, money
// formatted with the one formatter; and the slip document carries every section finance signs.
import { describe, expect, it } from 'vitest';
import { handInSlipDoc, localTime } from '../../../src-main/features/reports/documents/build';
import { cellText, docToHtml, escapeHtml } from '../../../src-main/features/reports/documents/html';
import type { Doc } from '../../../src-main/features/reports/documents/model';
import type { ShiftReport } from '../../../src-main/features/cash/shift-report';

const ctx = {
  company: '阳光热力',
  terminalName: '窗口1',
  timeZone: 'Asia/Shanghai',
  isDemo: false,
  now: '2026-11-20T02:00:00.000Z',
};

describe('A4 document HTML', () => {
  it('escapes every text and has no script or remote resource', () => {
    const doc: Doc = {
      fileBase: 'x',
      company: '<script>alert(1)</script>',
      title: 'A & B',
      meta: [['k"', "v'"]],
      sections: [
        {
          kind: 'table',
          title: '<img src=x onerror=alert(1)>',
          columns: [{ label: 'a' }],
          rows: [[{ fen: 123_456 }]],
        },
      ],
      signatures: ['收费员', '财务'],
    };
    const html = docToHtml(doc);
    expect(html).not.toMatch(/<script|<img|https?:\/\//i);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('A &amp; B');
    expect(html).toContain('¥1,234.56');
    expect(html).toContain('收费员：');
    expect(html).toContain("default-src 'none'");
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('formats cells from integers only', () => {
    expect(cellText({ fen: -5 })).toBe('-¥0.05');
    expect(cellText({ pctTenths: 375 })).toBe('37.5%');
    expect(cellText({ int: 7 })).toBe('7');
    expect(localTime('2026-11-20T02:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-20 10:00');
  });

  it('the slip lists every receipt, void, cheque, count, approval and both signature lines', () => {
    const report = {
      shiftId: '0190a000-0000-7000-8000-0000000abcde',
      clerk: { id: 'c', name: '张丽' },
      businessDate: '2026-11-20',
      openedAt: '2026-11-20T00:00:00.000Z',
      closedAt: '2026-11-20T09:00:00.000Z',
      receiptCount: 2,
      voidCount: 1,
      spoiledCount: 0,
      collectedFen: 10_000,
      byTender: { cash: 10_000, card: 0, qr: 0, cheque: 5_000 },
      cardSplit: { terminalCount: 0, terminalFen: 0, manualCount: 0, manualFen: 0 },
      cash: {
        openingFloatFen: 20_000,
        cashReceiptsFen: 10_000,
        cashInFen: 0,
        cashOutFen: 0,
        safeDropFen: 0,
        expectedFen: 30_000,
        countedFen: 29_000,
        varianceFen: -1_000,
        denominations: { '10000': 2, '5000': 1, '1000': 4 },
        varianceReason: '短款待查',
      },
      books: [],
      receipts: [
        {
          receiptLabel: 'A000001',
          accountNo: '10000001',
          payer: '王五',
          address: '幸福里 1-1-101',
          areaHundredths: 8_523,
          totalFen: 10_000,
          changeFen: 0,
          voided: false,
          voidReason: null,
          lines: [],
          tenders: ['cash'],
        },
        {
          receiptLabel: 'A000002',
          accountNo: '10000002',
          payer: '赵六',
          address: '幸福里 1-1-102',
          areaHundredths: 9_000,
          totalFen: 5_000,
          changeFen: 0,
          voided: true,
          voidReason: '录错',
          lines: [],
          tenders: ['cheque'],
        },
      ],
      voids: [{ receiptLabel: 'A000002', reason: '录错' }],
      spoiled: [],
      chequesPending: [],
      cashMovements: [],
      approvals: [{ action: 'shift.variance', approverName: '李主管', reason: '短款待查' }],
      unsyncedEvents: 3,
    } as unknown as ShiftReport;
    const html = docToHtml(handInSlipDoc(report, ctx, 'finance'));
    // as read: without the markup (numbers are wrapped to keep them on one line)
    const text = html.replace(/<[^>]*>/g, '');
    for (const s of [
      '交款单',
      '财务联',
      'A000001',
      'A000002 作废',
      '录错',
      '李主管',
      '¥290.00',
      '-¥10.00',
      '¥90.00',
      '收费员：',
      '财务：',
    ])
      expect(text).toContain(s);
  });
});
