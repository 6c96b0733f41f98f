// Card tenders on the printed receipt: brand + masked PAN (first 6 / last 4 at most), auth code,
// trace, terminal id, terminal receipt no.; a manual card tender is marked 手工录入; the terminal's
// own print lines (ZVT 06 D1/06 D3) go under the customer copy. Checked as text snapshots, through
// our ESC/POS decoder and through the independent npos parser, at 32 and 48 columns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../src-main/devices/printer/escpos-decoder';
import {
  printablePan,
  printableSlipLine,
  fillHandInSlip,
} from '../../../src-main/devices/printer/fillers';
import {
  renderEscPos,
  renderText,
  type PrinterEncoding,
} from '../../../src-main/devices/printer/render';
import { handInSlipData } from '../../../src-main/devices/printer/template-data';
import { readWithNpos } from '../../support/npos';
import { fixture, normalizeLines } from '../../support/printer';

const FIXTURES = join(import.meta.dirname, '../../fixtures/printer');
const load = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
const cases = [
  ['receipt-card', load('receipt-card')],
  ['receipt-card-manual', load('receipt-card-manual')],
] as const;
const WIDTHS = [32, 48] as const;

function expectFits(lines: readonly string[], width: number) {
  for (const line of lines) {
    const cols = [...line].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
    expect(cols, line).toBeLessThanOrEqual(width);
  }
}

const contentLines = (lines: readonly string[]) =>
  lines.map((l) => l.replace(/\s+/g, '')).filter((l) => l !== '' && !/^[-+]+$/.test(l));

describe('card tenders on the printed receipt', () => {
  for (const [name, data] of cases) {
    for (const width of WIDTHS) {
      it(`${name} at ${width} columns: snapshot, fits the paper, decodes back (ours and npos)`, async () => {
        const text = renderText('receipt', data, { width });
        for (const line of text.split('\n')) {
          const cols = [...line].reduce((n, c) => n + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
          expect(cols, line).toBeLessThanOrEqual(width);
        }
        await expect(text).toMatchFileSnapshot(`__snapshots__/${name}-${width}.txt`);
        for (const encoding of ['gb18030', 'cp936'] as PrinterEncoding[]) {
          const bytes = renderEscPos('receipt', data, { width, encoding });
          const page = decodeEscPos(bytes);
          expect(page.problems).toEqual([]);
          expect(normalizeLines(page.lines)).toEqual(normalizeLines(text.split('\n')));
          const npos = readWithNpos(bytes, encoding === 'cp936' ? 'GBK' : 'GB18030');
          expect(contentLines(npos.lines)).toEqual(contentLines(page.lines));
        }
      });
    }
  }

  it('terminal tender: brand, masked PAN, auth code, trace, terminal id, receipt no. and the terminal slip', () => {
    const text = renderText('receipt', load('receipt-card'), { width: 32 });
    expect(text).toContain('卡号 622588******1234 UnionPay');
    expect(text).toContain('授权码 A1B2C3 流水号 000123');
    expect(text).toContain('终端号 52500038 凭证号 0042');
    expect(text).not.toContain('手工录入');
    const slip = text.indexOf('银行卡终端签购单');
    expect(slip).toBeGreaterThan(text.indexOf('请妥善保管'));
    expect(text.slice(slip)).toContain('Auth: A1B2C3');
    // the stub copy does not carry the terminal's slip
    const stub = renderText('receipt', { ...load('receipt-card'), copy: 'stub' }, { width: 32 });
    expect(stub).not.toContain('银行卡终端签购单');
    expect(stub).toContain('授权码 A1B2C3');
  });

  it('manual tender is marked 手工录入; a PAN handed in unmasked is printed first 6 / last 4 only', () => {
    const text = renderText('receipt', load('receipt-card-manual'), { width: 48 });
    expect(text).toMatch(/银行卡（手工录入）\s+￥1,000\.00/);
    expect(text).toContain('卡号 621700******7890');
    expect(text).not.toContain('6217001234567890');
    expect(text).toContain('授权码 654321');
    // a card tender without mode (payment.take keyed in by the clerk) counts as manual, like card.report
    const r = fixture('receipt');
    expect(renderText('receipt', r, { width: 32 })).toContain('银行卡（手工录入）');
  });

  it('printablePan / printableSlipLine never let more than first 6 / last 4 through', () => {
    expect(printablePan('6225881234561234')).toBe('622588******1234');
    expect(printablePan('622588******1234')).toBe('622588******1234');
    expect(printablePan('6225 8812 3456 1234 567')).toBe('622588*********4567');
    expect(printablePan('1234')).toBe('1234');
    expect(printableSlipLine('Card: 6225881234561234\u0007')).toBe('Card: 622588******1234');
    expect(printableSlipLine('Trace: 000123  Receipt: 0042')).toBe('Trace: 000123  Receipt: 0042');
  });

  it('hand-in slip and X/Z: card takings split terminal vs manual below the total, fitting the paper', () => {
    const slip = { ...fixture('hand-in-slip') };
    const card = (slip.byTender as { kind: string; amountFen: number; count: number }[]).find(
      (t) => t.kind === 'card',
    )!;
    const split = {
      terminalCount: card.count - 1,
      terminalFen: card.amountFen - 100,
      manualCount: 1,
      manualFen: 100,
    };
    const filled = fillHandInSlip(handInSlipData.parse({ ...slip, cardSplit: split }));
    expect(filled.cardSplit).toMatchObject({ manualCount: '1笔', manualAmount: '￥1.00' });
    for (const width of WIDTHS) {
      const lines = renderText('hand-in-slip', { ...slip, cardSplit: split }, { width }).split(
        '\n',
      );
      const total = lines.findIndex((l) => l.startsWith('收款合计'));
      const terminal = lines.findIndex((l) => l.trim().startsWith('刷卡机联机'));
      const manual = lines.findIndex((l) => l.trim().startsWith('手工录入'));
      expect(terminal).toBeGreaterThan(total);
      expect(lines[manual]).toMatch(/1笔\s+￥1\.00$/);
      expectFits(lines, width);
      for (const name of ['x-report', 'z-report'] as const) {
        const r = fixture(name);
        const data = { ...r, totals: { ...(r.totals as object), cardSplit: split } };
        const report = renderText(name, data, { width }).split('\n');
        expect(report.findIndex((l) => l.trim().startsWith('手工录入'))).toBeGreaterThan(
          report.findIndex((l) => /^(收款|本期)合计/.test(l)),
        );
        expectFits(report, width);
      }
    }
  });
});
