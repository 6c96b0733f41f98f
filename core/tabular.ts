/**
 * What the counter's import (src-main/features/import) and head office's import
 * (head-office/src/import.ts) share about master-data files, pure: header names are trimmed and
 * lower-cased (Chinese headers such as 户号 map to the English ones), `1/y/yes/true/是` are true,
 * amounts and areas are decimal yuan / m² parsed to hundredths without floating point. CSV is read
 * here (`readCsvTable`, csv-parse is pure JavaScript); XLSX is read by each side (ExcelJS with
 * `xlsxStreamOptions()`, which needs Node streams) into a `TableBuilder`.
 */

import { CsvError, parse } from 'csv-parse/sync';

export type Row = Record<string, string>;
export interface TabularRow {
  /** 1-based line of the row (header = 1), named in the row-level report. */
  line: number;
  cells: Row;
}
export interface Table {
  header: string[];
  rows: TabularRow[];
}

/** A file that cannot be read as a table: the message is shown to the operator as is. */
export class TabularError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TabularError';
  }
}

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

/** The text of an ExcelJS cell value (rich text joined, a formula's result, a date as YYYY-MM-DD). */
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

/** The cell texts of an ExcelJS `row.values` (a sparse array whose index 0 is unused). */
export function rowCells(values: unknown): string[] {
  if (!Array.isArray(values)) return [];
  const cells: string[] = [];
  for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
  return cells;
}

/**
 * csv-parse options of both sides: RFC 4180 quoting (a malformed quote is an error naming the
 * row), CRLF / LF / CR line ends, rows of any length, blank rows skipped, a UTF-8 BOM dropped.
 */
export function csvOptions() {
  return {
    bom: true,
    trim: true,
    relax_column_count: true,
    // A bare quote inside an unquoted field (`3"楼`) is kept as text, as the counter always read it.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    record_delimiter: ['\r\n', '\n', '\r'],
  };
}

/** The text of a CSV; refuses one that is not UTF-8 (with or without BOM), such as one saved as GBK. */
function utf8Text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TabularError('not UTF-8 text (save the CSV as UTF-8)');
  }
}

/**
 * A CSV file as a table, read with csv-parse (pure JavaScript, so it may sit in the core): the one
 * reader of the counter's and head office's imports. Quoting errors name the row.
 */
export function readCsvTable(
  bytes: Uint8Array,
  onProgress: (rowsRead: number) => void = () => {},
): Table {
  const text = utf8Text(bytes);
  let records: string[][];
  try {
    records = parse(text, csvOptions());
  } catch (e) {
    throw e instanceof CsvError ? malformedCsv(e) : e;
  }
  const table = new TableBuilder(onProgress);
  records.forEach((cells, i) => table.take(cells, i + 1));
  return table.table();
}

/** Plain words for the quoting errors of csv-parse (by its error code). */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE:
    'text after the closing quote of a field; a quote inside a field is written ""',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'text after the closing quote of a field; a quote inside a field is written ""',
  INVALID_OPENING_QUOTE:
    'a quote inside an unquoted field; quote the field and write the quote as ""',
};

/**
 * The report for a CSV that csv-parse refused (its `CsvError`). The row counts the rows read like
 * every other report row (header = 1, blank rows not counted): the one after the last good row.
 */
export function malformedCsv(e: {
  code: string;
  message: string;
  records?: unknown;
}): TabularError {
  const row = typeof e.records === 'number' ? `row ${e.records + 1}: ` : '';
  const problem = CSV_PROBLEMS[e.code] ?? e.message;
  return new TabularError(
    `not a well-formed CSV, ${row}${problem} (save it again from Excel as "CSV UTF-8")`,
  );
}

const NOT_XLSX = 'not an .xlsx file (it must be an Excel 2007+ workbook)';

/** Refuses bytes that are not a zip archive before any XLSX reader sees them. */
export function assertXlsxBytes(bytes: Uint8Array): void {
  const zip =
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
  if (!zip) throw new TabularError(NOT_XLSX);
}

/** Options of ExcelJS's streaming `WorkbookReader` for a cell-text read: no styles, links, images. */
export function xlsxStreamOptions() {
  return {
    sharedStrings: 'cache',
    worksheets: 'emit',
    styles: 'ignore',
    hyperlinks: 'ignore',
    entries: 'ignore',
  } as const;
}

/**
 * Takes every row of the first worksheet an ExcelJS streaming `WorkbookReader` emits. A zip that
 * holds no worksheet (a renamed .docx or .zip) and a damaged one are `TabularError`s.
 */
export async function readFirstSheet(workbook: AsyncIterable<unknown>, table: TableBuilder) {
  try {
    for await (const sheet of workbook) {
      for await (const row of sheet as AsyncIterable<{ number: number; values: unknown }>) {
        table.take(rowCells(row.values), row.number);
      }
      return; // the first sheet only
    }
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw new TabularError(`unreadable .xlsx (damaged or cut short?): ${detail}`);
  }
  throw new TabularError(`${NOT_XLSX}: no worksheet in it`);
}

/**
 * Collects a file's rows: blank rows are skipped, the first other row is the header, every later
 * one becomes cells keyed by the normalised header (trimmed; columns with an empty header are
 * dropped). `onProgress` is called every 1,000 rows and once at the end.
 */
export class TableBuilder {
  private header: string[] | null = null;
  private readonly rows: TabularRow[] = [];

  constructor(private readonly onProgress: (rowsRead: number) => void = () => {}) {}

  take(cells: readonly string[], line: number): void {
    if (cells.every((c) => c.trim() === '')) return;
    if (this.header === null) {
      this.header = cells.map(normalizeHeader);
      return;
    }
    const r: Row = {};
    this.header.forEach((h, i) => {
      if (h !== '') r[h] = (cells[i] ?? '').trim();
    });
    this.rows.push({ line, cells: r });
    if (this.rows.length % 1000 === 0) this.onProgress(this.rows.length);
  }

  table(): Table {
    this.onProgress(this.rows.length);
    return { header: this.header ?? [], rows: this.rows };
  }
}
