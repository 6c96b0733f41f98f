import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readXlsxRows, XlsxFormatError } from './xlsx-rows';

/**
 * Reading CSV / XLSX files of master data (households, charges) into rows keyed by the header.
 * Same conventions as the head-office import (head-office/src/import.ts): header names are
 * trimmed and lower-cased, `1/y/yes/true/是` are true, amounts and areas are decimal yuan / m²
 * parsed to hundredths without floating point. Chinese headers (户号, 户名, …) are accepted too.
 */

export type Row = Record<string, string>;

/** Chinese column names as printed on the counter's own exports and common company templates. */
const HEADER_ALIASES: Record<string, string> = {
  户号: 'account_no',
  户名: 'name',
  姓名: 'name',
  电话: 'phone',
  小区: 'community',
  楼: 'building',
  楼号: 'building',
  单元: 'unit',
  室: 'room',
  房号: 'room',
  面积: 'area_m2',
  '面积(平方米)': 'area_m2',
  类别: 'category',
  财政补贴: 'subsidised',
  停供: 'no_heat',
  黑名单: 'blacklisted',
  起诉: 'legal_action',
  供暖季: 'season',
  应收: 'charge',
  已缴: 'paid_before',
};

export function normalizeHeader(h: string): string {
  const t = h.replace(/^\uFEFF/, '').trim();
  return HEADER_ALIASES[t] ?? t.toLowerCase();
}

/** Parses "85.23" / "1,234.5" yuan or m² into hundredths without floating point; null when malformed. */
export function parseHundredths(text: string): number | null {
  const t = text.replace(/[,\s¥￥]/g, '');
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** true / false for a flag column, null when the text is neither (the row is then reported). */
export function parseFlag(v: string | undefined): boolean | null {
  const t = (v ?? '').trim();
  if (t === '') return false;
  if (/^(1|y|yes|true|是)$/i.test(t)) return true;
  if (/^(0|n|no|false|否)$/i.test(t)) return false;
  return null;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (o.richText)
      return o.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return String(o.text).trim();
    return '';
  }
  if (typeof v === 'number') return String(v);
  return String(v as string).trim();
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF / LF), UTF-8 with or without BOM. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f.trim() !== '')) out.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (row.some((f) => f.trim() !== '')) out.push(row);
  }
  return out;
}

export class TabularError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TabularError';
  }
}

/**
 * Reads every data row of the first sheet (XLSX, streamed) or of the CSV. `line` is the 1-based
 * line in the file (header = 1), used in the row-level report. `onProgress` is called every
 * 1,000 rows; the XLSX reader yields to the event loop while it streams, so progress polls are
 * answered during a long read.
 */
export async function readTabular(
  format: 'csv' | 'xlsx',
  bytes: Buffer,
  onProgress: (rowsRead: number) => void = () => {},
): Promise<{ header: string[]; rows: { line: number; cells: Row }[] }> {
  const rows: { line: number; cells: Row }[] = [];
  let header: string[] | null = null;
  const take = (cells: string[], line: number) => {
    if (header === null) {
      header = cells.map(normalizeHeader);
      return;
    }
    const r: Row = {};
    header.forEach((h, i) => {
      if (h !== '') r[h] = (cells[i] ?? '').trim();
    });
    rows.push({ line, cells: r });
    if (rows.length % 1000 === 0) onProgress(rows.length);
  };
  if (format === 'csv') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new TabularError('not UTF-8 text (save the CSV as UTF-8)');
    }
    parseCsv(text).forEach((cells, i) => take(cells, i + 1));
  } else {
    if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) {
      throw new TabularError('not an .xlsx file (it must be an Excel 2007+ workbook)');
    }
    try {
      await readXlsxRows(bytes, (cells, rowNumber) => take(cells, rowNumber));
      onProgress(rows.length);
      return { header: header ?? [], rows };
    } catch (e) {
      if (!(e instanceof XlsxFormatError)) throw e;
      // not a layout the fast reader knows: start again with ExcelJS
      rows.length = 0;
      header = null;
    }
    try {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
        sharedStrings: 'cache',
        worksheets: 'emit',
        styles: 'ignore',
        hyperlinks: 'ignore',
        entries: 'ignore',
      });
      for await (const sheet of reader) {
        for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
          const values = Array.isArray(row.values) ? row.values.slice(1) : [];
          const cells: string[] = [];
          for (let i = 0; i < values.length; i++) cells.push(cellText(values[i]));
          if (cells.some((c) => c !== '')) take(cells, row.number);
        }
        break; // the first sheet only
      }
    } catch (e) {
      throw new TabularError(`unreadable .xlsx: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  onProgress(rows.length);
  return { header: header ?? [], rows };
}
