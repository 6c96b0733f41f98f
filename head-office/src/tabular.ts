import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  assertXlsxBytes,
  readFirstSheet,
  readCsvTable,
  TableBuilder,
  xlsxStreamOptions,
  type Table,
} from '@heating-cashier/core/tabular';

/**
 * Reads a master-data file at head office into rows keyed by the header: CSV with csv-parse,
 * XLSX (first sheet) with ExcelJS's streaming reader. Header names, flags and hundredths follow
 * the core's conventions, the same as the counter's import. A file that is not a table throws
 * `TabularError` with the reason.
 */
export async function readTabular(format: 'csv' | 'xlsx', bytes: Buffer): Promise<Table> {
  if (format === 'csv') return readCsvTable(bytes);
  const table = new TableBuilder();
  assertXlsxBytes(bytes);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([bytes]),
    xlsxStreamOptions(),
  );
  await readFirstSheet(workbook, table);
  return table.table();
}
