import type ExcelJS from 'exceljs';
import { cellText } from './html';
import type { Cell, Doc } from './model';

const MONEY_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00';
const PCT_FORMAT = '0.0%';

/** A cell's Excel value: money as yuan with a money format (the edge: fen ÷ 100), counts as integers. */
function excelValue(cell: Cell): { value: ExcelJS.CellValue; numFmt?: string; bold?: boolean } {
  if (typeof cell === 'string') return { value: cell };
  const bold = cell.strong ?? false;
  if ('fen' in cell) return { value: cell.fen / 100, numFmt: MONEY_FORMAT, bold };
  if ('int' in cell) return { value: cell.int, bold };
  if ('pctTenths' in cell) return { value: cell.pctTenths / 1000, numFmt: PCT_FORMAT, bold };
  return { value: cell.text, bold };
}

/** The document as an .xlsx workbook: one sheet, the header facts, then every section as a block. */
export async function docToXlsx(doc: Doc): Promise<Uint8Array> {
  // Loaded on first use: ExcelJS costs ~0.3 s to load, which the counter's start does not wait for.
  const { Workbook } = (await import('exceljs')).default;
  const wb = new Workbook();
  wb.creator = doc.company;
  wb.title = doc.title;
  const ws = wb.addWorksheet(doc.title.slice(0, 31), {
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
    },
  });
  const put = (cells: Cell[], bold = false, fill?: string) => {
    const row = ws.addRow(cells.map((c) => excelValue(c).value));
    cells.forEach((c, i) => {
      const x = excelValue(c);
      const cell = row.getCell(i + 1);
      if (x.numFmt) cell.numFmt = x.numFmt;
      if (bold || x.bold) cell.font = { bold: true };
      if (fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    });
    return row;
  };
  put([`${doc.company} ${doc.title}${doc.copyLabel ? ` ${doc.copyLabel}` : ''}`], true).font = {
    bold: true,
    size: 14,
  };
  for (const [k, v] of doc.meta) put([k, v]);
  let widest = 2;
  for (const s of doc.sections) {
    ws.addRow([]);
    put([s.title], true);
    if (s.kind === 'facts') {
      for (const [k, v] of s.items) put([k, v]);
    } else if (s.kind === 'bars') {
      for (const i of s.items) put([i.label, i.display]);
    } else {
      widest = Math.max(widest, s.columns.length);
      put(
        s.columns.map((c) => c.label),
        true,
        'FFE8EEF7',
      );
      if (s.rows.length === 0 && s.empty) put([s.empty]);
      for (const r of s.rows) put(r);
      if (s.foot) put(s.foot, true, 'FFF3F3F3');
    }
  }
  if (doc.signatures?.length) {
    ws.addRow([]);
    put(doc.signatures.map((s) => `${s}：`));
  }
  if (doc.footer) put([doc.footer]);
  for (let i = 1; i <= widest; i++) ws.getColumn(i).width = i === 1 ? 22 : 16;
  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

/** Plain text of a cell (tests and logs). */
export { cellText };
