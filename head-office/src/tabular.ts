import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  assertUtf8,
  assertXlsxBytes,
  csvOptions,
  malformedCsv,
  readFirstSheet,
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
  const table = new TableBuilder();
  if (format === 'csv') {
    assertUtf8(bytes);
    let records: string[][];
    try {
      records = parse(bytes, csvOptions());
    } catch (e) {
      throw e instanceof CsvError ? malformedCsv(e) : e;
    }
    records.forEach((cells, i) => table.take(cells, i + 1));
    return table.table();
  }
  assertXlsxBytes(bytes);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([bytes]),
    xlsxStreamOptions(),
  );
  await readFirstSheet(workbook, table);
  return table.table();
}
