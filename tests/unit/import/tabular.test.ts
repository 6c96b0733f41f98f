import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readTabular as headOfficeRead } from '../../../head-office/src/tabular';
import {
  readTabular as counterRead,
  readXlsxFast,
  readXlsxWithExcelJs,
} from '../../../src-main/features/import/tabular';
import {
  normalizeHeader,
  parseFlag,
  parseHundredths,
  TabularError,
} from '@heating-cashier/core/tabular';

const readers = [
  ['counter', (format: 'csv' | 'xlsx', bytes: Buffer) => counterRead(format, bytes)],
  ['head office', headOfficeRead],
] as const;

async function xlsx(rows: (string | number | null)[][], sheets = 1): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (let s = 0; s < sheets; s++) {
    const ws = wb.addWorksheet(`s${s}`);
    for (const r of rows) ws.addRow(r.map((c) => (s === 0 ? c : `other ${String(c)}`)));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A minimal zip archive (one deflated entry) that is not a workbook, like a renamed .docx. */
function zipOf(name: string, text: string): Buffer {
  const data = Buffer.from(text);
  const packed = deflateRawSync(data);
  const file = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(file.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(file.length, 28);
  const at = local.length + file.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + file.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([local, file, packed, central, file, end]);
}

describe('the shared conventions (core/tabular)', () => {
  it('maps Chinese and padded headers, flags and decimal hundredths', () => {
    expect(['\uFEFF户号', ' Area_M2 ', '面积(平方米)', '供暖季'].map(normalizeHeader)).toEqual([
      'account_no',
      'area_m2',
      'area_m2',
      'season',
    ]);
    expect(['是', 'YES', '1', '', '否', 'n', 'maybe'].map(parseFlag)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      null,
    ]);
    expect(['1,001.5', '¥ 0.07', '12', '1.234', '-1', ''].map(parseHundredths)).toEqual([
      100150,
      7,
      1200,
      null,
      null,
      null,
    ]);
  });
});

describe.each(readers)('reading CSV at %s (csv-parse)', (_side, read) => {
  it('quoted fields, doubled quotes, BOM, mixed line ends, ragged and blank rows', async () => {
    const text =
      '\uFEFF户号,户名,面积\r\n' +
      '88000001,"欧阳修, 字永叔",92.50\n' +
      '\r\n' +
      ' , ,\r' +
      '88000002,"say ""hi""\nsecond line" , "1,001.5"\r\n' +
      '88000003\n' +
      '88000004,extra,3,4,5';
    const table = await read('csv', Buffer.from(text));
    expect(table.header).toEqual(['account_no', 'name', 'area_m2']);
    expect(table.rows).toEqual([
      { line: 2, cells: { account_no: '88000001', name: '欧阳修, 字永叔', area_m2: '92.50' } },
      {
        line: 3,
        cells: { account_no: '88000002', name: 'say "hi"\nsecond line', area_m2: '1,001.5' },
      },
      { line: 4, cells: { account_no: '88000003', name: '', area_m2: '' } },
      { line: 5, cells: { account_no: '88000004', name: 'extra', area_m2: '3' } },
    ]);
  });

  it.each([
    ['an unclosed quote', 'a,b\n1,2\n"open,1\n2,3\n', 'row 3: a quoted field is never closed'],
    ['text after a closing quote', 'a,b\n\n"x"y,1\n', 'row 2: text after the closing quote'],
  ])('refuses %s, naming the row', async (_what, text, message) => {
    const error = await read('csv', Buffer.from(text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TabularError);
    expect((error as Error).message).toContain(`not a well-formed CSV, ${message}`);
  });

  it('keeps a bare quote inside an unquoted field as text (as the counter always did)', async () => {
    expect(await read('csv', Buffer.from('a,b\n1,3"楼\n2,王"小"明\n'))).toEqual({
      header: ['a', 'b'],
      rows: [
        { line: 2, cells: { a: '1', b: '3"楼' } },
        { line: 3, cells: { a: '2', b: '王"小"明' } },
      ],
    });
  });

  it('refuses text that is not UTF-8 (GBK) and reads a header-only file as no rows', async () => {
    const gbk = Buffer.from([0xbb, 0xa7, 0xba, 0xc5, 0x0a, 0x31, 0x0a]); // 户号\n1\n in GBK
    await expect(read('csv', gbk)).rejects.toThrow(/not UTF-8/);
    expect(await read('csv', Buffer.from('a,b\r\n\r\n'))).toEqual({ header: ['a', 'b'], rows: [] });
  });
});

describe.each(readers)('reading XLSX at %s', (_side, read) => {
  it('the first sheet only, by sheet row number, blank rows skipped', async () => {
    const bytes = await xlsx(
      [
        ['户号', '户名', '面积'],
        ['88000001', '  司马光 ', 92.5],
        [null, null, null],
        ['88000002', '王 & 李 <b>', '1,001.50'],
      ],
      2,
    );
    expect(await read('xlsx', bytes)).toEqual({
      header: ['account_no', 'name', 'area_m2'],
      rows: [
        { line: 2, cells: { account_no: '88000001', name: '司马光', area_m2: '92.5' } },
        { line: 4, cells: { account_no: '88000002', name: '王 & 李 <b>', area_m2: '1,001.50' } },
      ],
    });
  });

  it.each([
    ['a CSV named .xlsx', async () => Buffer.from('account_no,name\n1,x\n'), /^not an \.xlsx file/],
    [
      'a zip that holds no workbook',
      async () => zipOf('readme.txt', 'hello'),
      /^not an \.xlsx file.*no worksheet/,
    ],
    [
      'a workbook cut short',
      async () => {
        const whole = await xlsx([['a'], ['1']]);
        return whole.subarray(0, whole.length >> 1);
      },
      /^unreadable \.xlsx \(damaged or cut short\?\)/,
    ],
  ])('refuses %s with a clear reason', async (_what, bytes, message) => {
    const error = await read('xlsx', await bytes()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TabularError);
    expect((error as Error).message).toMatch(message);
  });
});

describe("the counter's two XLSX readers", () => {
  it('read the same table: the fast one for the usual layout, ExcelJS for the rest', async () => {
    const bytes = await xlsx([
      ['account_no', 'name', 'area_m2', 'n'],
      ['1', 'a &amp; "b" \'c\'', 85.23, 0.1],
      ['2', '𠮷野家', '', -3],
      [null, null, null, null],
      ['3', ' ', 1e21, 12345678901234],
    ]);
    const fast = await readXlsxFast(bytes);
    expect(fast.rows.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(await readXlsxWithExcelJs(bytes)).toEqual(fast);
  });
});
