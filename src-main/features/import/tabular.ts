import { Readable } from 'node:stream';
import {
  assertXlsxBytes,
  readFirstSheet,
  readCsvTable,
  TableBuilder,
  xlsxStreamOptions,
  type Table,
} from '@heating-cashier/core/tabular';
import { readXlsxRows, XlsxFormatError } from './xlsx-rows';

/**
 * Reads a master-data file at the counter into rows keyed by the header: CSV with csv-parse, XLSX
 * with the fast first-sheet reader of ./xlsx-rows (why it stays: see there) and ExcelJS's
 * streaming reader for any layout that one refuses. Header names, flags and hundredths follow the
 * core's conventions, shared with head office. `onProgress` is called every 1,000 rows; the XLSX
 * readers yield to the event loop, so progress polls are answered during a long read. A file that
 * is not a table throws `TabularError` with the reason.
 */
export async function readTabular(
  format: 'csv' | 'xlsx',
  bytes: Buffer,
  onProgress: (rowsRead: number) => void = () => {},
): Promise<Table> {
  if (format === 'csv') {
    return readCsvTable(bytes, onProgress);
  }
  assertXlsxBytes(bytes);
  try {
    return await readXlsxFast(bytes, onProgress);
  } catch (e) {
    if (!(e instanceof XlsxFormatError)) throw e;
  }
  return readXlsxWithExcelJs(bytes, onProgress);
}

/** The first sheet by ./xlsx-rows; `XlsxFormatError` for a layout it does not know. */
export async function readXlsxFast(
  bytes: Buffer,
  onProgress: (rowsRead: number) => void = () => {},
): Promise<Table> {
  const table = new TableBuilder(onProgress);
  await readXlsxRows(bytes, (cells, rowNumber) => table.take(cells, rowNumber));
  return table.table();
}

/** The first sheet by ExcelJS's streaming reader (any layout Excel writes). */
export async function readXlsxWithExcelJs(
  bytes: Buffer,
  onProgress: (rowsRead: number) => void = () => {},
): Promise<Table> {
  const table = new TableBuilder(onProgress);
  // Loaded on first use (the counter's start does not wait for ExcelJS).
  const { stream } = (await import('exceljs')).default;
  const workbook = new stream.xlsx.WorkbookReader(Readable.from([bytes]), xlsxStreamOptions());
  await readFirstSheet(workbook, table);
  return table.table();
}
