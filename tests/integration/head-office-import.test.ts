import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type HoDb } from '../../head-office/src/db';
import { importFile } from '../../head-office/src/import';
import { tempDir } from '../support/terminal';

let dir: ReturnType<typeof tempDir>;
let db: HoDb;
beforeAll(async () => {
  dir = tempDir('ho-import-');
  db = await openPglite(dir.dir);
});
afterAll(async () => {
  await db.close();
  dir.cleanup();
});

const HEADER = 'account_no,name,community,building,unit,room,area_m2';

describe('head-office import of files that are not what they claim', () => {
  it('refuses malformed CSV quoting, a CSV named .xlsx and a cut-short workbook, naming the reason', async () => {
    const unclosed = await importFile(
      db,
      'households',
      'csv',
      Buffer.from(
        `${HEADER}\n20000001,赵一,幸福里,3,2,501,85.23\n20000002,"钱二,幸福里,3,2,502,80\n`,
      ),
      'unclosed.csv',
    );
    expect(unclosed).toMatchObject({ accepted: false, written: 0 });
    expect(unclosed.errors).toEqual([
      {
        row: 0,
        column: null,
        message: expect.stringContaining(
          'not a well-formed CSV, row 3: a quoted field is never closed',
        ),
      },
    ]);
    const csvAsXlsx = await importFile(
      db,
      'households',
      'xlsx',
      Buffer.from(`${HEADER}\n20000001,赵一,幸福里,3,2,501,85.23\n`),
      'h.xlsx',
    );
    expect(csvAsXlsx.errors[0]!.message).toMatch(/not an \.xlsx file/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('h').addRows([
      HEADER.split(','),
      ['20000001', '赵一', '幸福里', '3', '2', '501', '85.23'],
    ]);
    const whole = Buffer.from(await wb.xlsx.writeBuffer());
    const cut = await importFile(db, 'households', 'xlsx', whole.subarray(0, 2000), 'cut.xlsx');
    expect(cut.errors[0]!.message).toMatch(/unreadable \.xlsx \(damaged or cut short\?\)/);
    expect(await db.query('SELECT 1 FROM ho_households')).toEqual([]);
    const ok = await importFile(db, 'households', 'xlsx', whole, 'h.xlsx');
    expect(ok).toMatchObject({ accepted: true, rows: 1, written: 1 });
  });
});
