import { describe, expect, it } from 'vitest';
import { toChineseUppercase } from '@heating-cashier/core/chinese-amount';
import { decodeEscPos } from '../../../src-main/devices/printer/escpos-decoder';
import { decodePaperReceipt } from '@heating-cashier/core/signing';
import {
  renderEscPos,
  renderSvg,
  renderText,
  TemplateDataError,
} from '../../../src-main/devices/printer/render';
import { templateNames } from '../../../src-main/devices/printer/template-data';
import { fixture, imageIsQrOf, normalizeLines } from '../../support/printer';

const receipt = fixture('receipt');
const WIDTHS = [32, 48] as const;

describe('templates render for 58 mm and 80 mm (text snapshots)', () => {
  for (const name of templateNames) {
    for (const width of WIDTHS) {
      it(`${name} at ${width} columns`, async () => {
        const text = renderText(name, fixture(name), { width });
        for (const line of text.split('\n')) {
          // every line fits the paper: CJK counts 2 columns
          const cols = [...line].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
          expect(cols, line).toBeLessThanOrEqual(width);
        }
        await expect(text).toMatchFileSnapshot(`__snapshots__/${name}-${width}.txt`);
      });
    }
  }
});

describe('ESC/POS bytes decode back to the same text and layout', () => {
  const cases = [
    ['receipt (Chinese, ¥ and ￥, mixed ASCII)', receipt],
    [
      'receipt with a long name and address',
      {
        ...receipt,
        name: '爱新觉罗·欧阳诸葛慕容上官司马东方 Alexander-Maximilian von Hohenzollern',
        address: '阳光花园小区 东区 13号楼 2单元 1501室（原热力公司家属院 A|B 座）',
      },
    ],
    ['receipt, stub copy reprinted', { ...receipt, copy: 'stub', reprintNo: 3 }],
    ...templateNames.filter((n) => n !== 'receipt').map((n) => [n, fixture(n)] as const),
  ] as const;

  for (const width of WIDTHS) {
    it.each(cases)(`%s at ${width} columns`, (label, data) => {
      const name = label.startsWith('receipt')
        ? 'receipt'
        : (label as (typeof templateNames)[number]);
      const bytes = renderEscPos(name, data, { width });
      // Chinese mode as printers need it: ESC t 0 then FS &, and never node-thermal-printer's codepage.
      expect(bytes.includes(Buffer.from([0x1b, 0x74, 0x00, 0x1c, 0x26]))).toBe(true);
      const page = decodeEscPos(bytes);
      expect(page.problems).toEqual([]);
      expect(page.cut).toBe(true);
      const expected = normalizeLines(renderText(name, data, { width }).split('\n'));
      expect(normalizeLines(page.lines)).toEqual(expected);
    });
  }

  it('GB18030 keeps ¥ (4 bytes) while ￥ is 2 bytes; cp936 turns ¥ into ? but never 合 into 圭', () => {
    const gb = decodeEscPos(renderEscPos('receipt', receipt, { width: 48 }));
    expect(gb.lines.join('\n')).toContain('欧阳合¥明');
    const cp = decodeEscPos(renderEscPos('receipt', receipt, { width: 48, encoding: 'cp936' }));
    expect(cp.lines.join('\n')).toContain('欧阳合?明');
    expect(cp.lines.join('\n')).toContain('合计');
    expect(cp.lines.join('\n')).not.toContain('圭');
    expect(cp.lines.join('\n')).toContain('￥3,130.75');
  });

  it('the QR code carries the signed paper code (native GS ( k model 2)', () => {
    const bytes = renderEscPos('receipt', receipt, { width: 48 });
    const page = decodeEscPos(bytes);
    const data = receipt.paperCode as string;
    const decoded = decodePaperReceipt(data);
    expect(decoded).toMatchObject({
      ok: true,
      receipt: { receiptLabel: receipt.receiptLabel, totalFen: receipt.totalFen },
    });
    expect(page.images).toEqual([]);
    expect(page.qrCodes).toEqual([
      { line: expect.any(Number), model: 2, cell: 3, level: 'm', data },
    ]);
    // model 2 selected, then the data stored as GS ( k pL pH 49 80 48 d1…dk, then printed (fn 81)
    expect(bytes.includes(Buffer.from([0x1d, 0x28, 0x6b, 4, 0, 49, 65, 50, 0]))).toBe(true);
    const store = Buffer.concat([
      Buffer.from([0x1d, 0x28, 0x6b, data.length + 3, 0, 49, 80, 48]),
      Buffer.from(data),
    ]);
    expect(bytes.includes(store)).toBe(true);
    expect(bytes.includes(Buffer.from([0x1d, 0x28, 0x6b, 3, 0, 49, 81, 48]))).toBe(true);
    // printed below the verification code, where the template puts it
    expect(page.lines[page.qrCodes[0]!.line - 1]).toContain('A1B2-C3D4');
  });

  it('raster mode (printers without a QR generator) draws the same QR as an image', () => {
    const page = decodeEscPos(renderEscPos('receipt', receipt, { width: 48, qrMode: 'raster' }));
    expect(page.qrCodes).toEqual([]);
    expect(page.images).toHaveLength(1);
    const data = receipt.paperCode as string;
    expect(imageIsQrOf(page.images[0]!, data)).toBe(true);
    expect(imageIsQrOf(page.images[0]!, `${data}x`)).toBe(false);
    const native = decodeEscPos(renderEscPos('receipt', receipt, { width: 48 }));
    expect(normalizeLines(page.lines)).toEqual(normalizeLines(native.lines));
  });

  it('the drawer kick is the one 5-byte ESC p command, before the body, only when asked', () => {
    const kick = Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]);
    const withKick = renderEscPos('receipt', receipt, { width: 32, drawerKick: kick });
    expect(withKick.subarray(0, 5)).toEqual(kick);
    expect(decodeEscPos(withKick).drawerPulses).toEqual([{ pin: 2, onMs: 50, offMs: 500 }]);
    expect(decodeEscPos(renderEscPos('receipt', receipt, { width: 32 })).drawerPulses).toEqual([]);
  });
});

describe('receipt content', () => {
  it.each([
    [1, '壹分', '100.0%'],
    [10, '壹角', '100.0%'],
    [100, '壹元整', '100.0%'],
    [100_005, '壹仟元零伍分', '46.9%'],
    [1_000_507, '壹万零伍元零柒分', '33.3%'],
    [213_075, '贰仟壹佰叁拾元柒角伍分', '99.9%'],
    [10_000_000_000, '壹亿元整', '0.1%'],
  ])('%i fen: 大写 %s, partial season %s', (totalFen, upper, pct) => {
    const pctTenths = Math.round(Number.parseFloat(pct) * 10);
    const data = {
      ...receipt,
      totalFen,
      tenders: [{ kind: 'cash', amountFen: totalFen, tenderedFen: totalFen, detail: {} }],
      changeFen: 0,
      lines: [
        {
          seasonCode: '2025-2026',
          amountFen: totalFen,
          chargeFen: totalFen,
          pctTenths,
          rateFenPerM2: 2500,
          arrears: false,
        },
      ],
    };
    expect(toChineseUppercase(totalFen)).toBe(upper);
    const text = renderText('receipt', data, { width: 48 });
    expect(text).toContain(`大写：${upper}`);
    if (pctTenths < 1000) expect(text).toContain(`部分缴费 占本季应收${pct}`);
    else expect(text).not.toContain('部分缴费');
  });

  it('shows company, title, receipt no., account, arrears by season, tenders, change, clerk, verification code', () => {
    const text = renderText('receipt', receipt, { width: 48 });
    for (const part of [
      '阳光热力有限公司',
      '供  热  费  收  据',
      'A000123',
      '10000001',
      '85.23平方米',
      '2024-2025 陈欠',
      '2025-2026 采暖费',
      '部分缴费 占本季应收46.9%',
      '尚欠（按供暖季）',
      '￥1,130.75',
      '实收现金',
      '￥3,100.00',
      '找零',
      '银行卡（手工录入）',
      '卡号 6222****1234',
      '授权码 123456',
      '参考号 T88120',
      '张丽（1001）',
      '2026-11-20 10:03:04',
      'A1B2-C3D4',
      '第一联 客户联',
    ]) {
      expect(text).toContain(part);
    }
    expect(renderText('receipt', { ...receipt, copy: 'stub' }, { width: 48 })).toContain('存根联');
    expect(renderText('receipt', { ...receipt, reprintNo: 2 }, { width: 48 })).toContain(
      '补  打    C O P Y   第  2 次',
    );
    expect(renderText('receipt', { ...receipt, isDemo: true }, { width: 48 })).toContain('DEMO');
  });

  it('refuses data that does not match the template input, naming the field', () => {
    expect(() => renderText('receipt', { ...receipt, totalFen: -1 }, { width: 32 })).toThrow(
      TemplateDataError,
    );
    expect(() => renderText('receipt', { ...receipt, lines: [] }, { width: 32 })).toThrow(/lines/);
  });

  it('hand-in slip follows the finance rule: 收款合计 = cash + card + QR; cheques listed apart', () => {
    const slip = fixture('hand-in-slip');
    const lines = renderText('hand-in-slip', slip, { width: 48 }).split('\n');
    const total = lines.findIndex((l) => l.startsWith('收款合计'));
    const header = lines.findIndex((l) => l.startsWith('收款方式'));
    const rows = lines.slice(header + 1, total);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['现金', '银行卡', '扫码/转账']);
    const fen = (l: string) => Number(/￥([\d,.]+)\s*$/.exec(l)![1]!.replace(/[,.]/g, ''));
    expect(rows.reduce((n, r) => n + fen(r), 0)).toBe(fen(lines[total]!));
    expect(fen(lines[total]!)).toBe(slip.collectedFen);
    const cheque = lines.find((l) => l.startsWith('待到账支票'))!;
    expect(lines.indexOf(cheque)).toBeGreaterThan(total);
    expect(cheque).toMatch(/1笔\s+￥10,000\.00$/);
    expect(lines.join('\n')).toContain('到账后计入，不在收款合计内');
    // no cheque taken: no cheque line
    const noCheque = {
      ...slip,
      byTender: (slip.byTender as { kind: string }[]).filter((t) => t.kind !== 'cheque'),
    };
    expect(renderText('hand-in-slip', noCheque, { width: 32 })).not.toContain('支票');
  });

  it('a hand-in slip whose collected total includes cheques is refused (names collectedFen)', () => {
    const slip = fixture('hand-in-slip');
    expect(() =>
      renderText('hand-in-slip', { ...slip, collectedFen: 8_868_775 }, { width: 48 }),
    ).toThrow(/collectedFen/);
  });

  it('Z report: cheques that cleared in the period are a row of the total; cheques taken apart', () => {
    const z = fixture('z-report');
    const totals = z.totals as { collectedFen: number };
    const data = { ...z, totals: { ...totals, collectedFen: totals.collectedFen + 500_000 } };
    const lines = renderText('z-report', data, { width: 32 }).split('\n');
    const total = lines.findIndex((l) => l.startsWith('本期合计'));
    const fen = (l: string) => Number(/￥([\d,.]+)\s*$/.exec(l)![1]!.replace(/[,.]/g, ''));
    const rows = lines.slice(total - 4, total);
    expect(rows.map((r) => r.split(/\s+/)[0])).toEqual(['现金', '银行卡', '扫码/转账', '支票到账']);
    expect(fen(rows[3]!)).toBe(500_000);
    expect(rows.reduce((n, r) => n + fen(r), 0)).toBe(fen(lines[total]!));
    const taken = lines.find((l) => l.startsWith('收到支票'))!;
    expect(lines.indexOf(taken)).toBeGreaterThan(total);
    expect(fen(taken)).toBe(1_000_000);
  });

  it('renders an SVG preview', () => {
    const svg = renderSvg('receipt', receipt, { width: 48 });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('阳光热力有限公司'.charAt(0));
  });
});
