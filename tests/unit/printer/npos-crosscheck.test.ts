// Cross-check with an independent decoder: the npm package `npos` (its parser only, see
// tests/support/npos.ts) splits our ESC/POS jobs into commands and decodes the text. Where it can
// parse (everything except receiptline's single-byte code-page ruled lines), the text it reads
// must be the text our own decoder — the one inside the virtual printer — reads, line by line
// (npos does not lay out columns, so whitespace is ignored), and the QR data it finds in the
// GS ( k store command must be the receipt id + event hash.
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../src-main/devices/printer/escpos-decoder';
import { DRAWER_KICK_DEFAULT } from '../../../src-main/devices/printer/escpos';
import { renderEscPos, type PrinterEncoding } from '../../../src-main/devices/printer/render';
import { templateNames, type TemplateName } from '../../../src-main/devices/printer/template-data';
import { readWithNpos } from '../../support/npos';
import { fixture } from '../../support/printer';

const receipt = fixture('receipt');

/** Content lines without whitespace; ruled lines (our '-'/'+' rendering) and blank lines dropped. */
function contentLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/\s+/g, '')).filter((l) => l !== '' && !/^[-+]+$/.test(l));
}

const receiptCases: [string, Record<string, unknown>][] = [
  ['Chinese, ¥ and ￥, mixed ASCII', receipt],
  [
    'long name and address (wrapped)',
    {
      ...receipt,
      name: '爱新觉罗·欧阳诸葛慕容上官司马东方 Alexander-Maximilian von Hohenzollern',
      address: '阳光花园小区 东区 13号楼 2单元 1501室（原热力公司家属院 A|B 座）',
    },
  ],
  [
    'cash only, ¥ in the address, big amount',
    {
      ...receipt,
      name: '李¥合 O’Brien-Zhang',
      address: 'Block 7, 合欢路 88 号 ¥¥',
      totalFen: 123_456_789,
      changeFen: 0,
      tenders: [{ kind: 'cash', amountFen: 123_456_789, tenderedFen: 123_456_789, detail: {} }],
      lines: [
        {
          seasonCode: '2025-2026',
          amountFen: 123_456_789,
          chargeFen: 123_456_789,
          pctTenths: 1000,
          rateFenPerM2: 2500,
          arrears: false,
        },
      ],
    },
  ],
  ['stub copy, reprint 补打 no. 3', { ...receipt, copy: 'stub', reprintNo: 3 }],
];

const cases: [string, TemplateName, Record<string, unknown>][] = [
  ...receiptCases.map(([label, data]) => [`receipt: ${label}`, 'receipt', data] as const),
  ...templateNames.filter((n) => n !== 'receipt').map((n) => [n, n, fixture(n)] as const),
] as [string, TemplateName, Record<string, unknown>][];

describe('npos reads the same text as our decoder', () => {
  for (const width of [32, 48] as const) {
    for (const encoding of ['gb18030', 'cp936'] as PrinterEncoding[]) {
      it.each(cases)(`%s (${width} columns, ${encoding})`, (_label, name, data) => {
        const bytes = renderEscPos(name, data, {
          width,
          encoding,
          drawerKick: name === 'receipt' ? DRAWER_KICK_DEFAULT : null,
        });
        const ours = decodeEscPos(bytes);
        expect(ours.problems).toEqual([]);
        const npos = readWithNpos(bytes, encoding === 'cp936' ? 'GBK' : 'GB18030');
        // npos saw the command structure we meant to send
        expect(npos.commands).toContain('FS &');
        expect(npos.commands.filter((c) => c === 'ESC p')).toHaveLength(name === 'receipt' ? 1 : 0);
        expect(npos.commands).toContain('GS V');
        expect(npos.commands.at(-1)).toBe('GS r');
        const expected = contentLines(ours.lines);
        expect(expected.length).toBeGreaterThan(5);
        expect(contentLines(npos.lines)).toEqual(expected);
        // only the ruled lines were out of npos's reach
        const rules = ours.lines.filter((l) => /^[-+ ]+$/.test(l) && /[-+]/.test(l));
        expect(npos.skippedBytes).toBe(rules.reduce((n, l) => n + l.replace(/ /g, '').length, 0));
      });
    }
  }

  it('the Chinese parts really are there (not only equal on both sides)', () => {
    const npos = readWithNpos(renderEscPos('receipt', receipt, { width: 48 }));
    const text = npos.lines.join('\n');
    for (const part of [
      '欧阳合¥明 Smith-Wang',
      '大写：叁仟壹佰叁拾元柒角伍分',
      '￥3,130.75',
      '客户联',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('圭');
  });

  it('npos finds the QR data in the native GS ( k store command', () => {
    const npos = readWithNpos(renderEscPos('receipt', receipt, { width: 32 }));
    expect(npos.qrData).toEqual([receipt.paperCode as string]);
  });

  it('a raster QR (receiptline stock) also parses: GS 8 L / GS ( L', () => {
    const bytes = renderEscPos('receipt', receipt, { width: 48, qrMode: 'raster' });
    const npos = readWithNpos(bytes);
    expect(npos.commands).toContain('GS 8L');
    expect(npos.commands).toContain('GS (L');
    expect(npos.qrData).toEqual([]);
    expect(contentLines(npos.lines)).toEqual(contentLines(decodeEscPos(bytes).lines));
  });
});
