import type { ServiceContext } from '../../services/context';
import { printerSettings } from '../printing/print-queue';
import { MIME } from '../reports/documents/export';
import type { Doc } from '../reports/documents/model';
import { docToXlsx } from '../reports/documents/xlsx';

/** What every dunning / service-log document starts with: the company and the demo mark. */
export function docBase(ctx: ServiceContext): Pick<Doc, 'company' | 'demo'> {
  return { company: printerSettings(ctx.db).companyName, demo: ctx.terminal.isDemo };
}

/** A document as the Excel file a command returns, with how many data rows it holds. */
export async function xlsxFile(doc: Doc, rows: number) {
  const data = await docToXlsx(doc);
  return {
    fileName: `${doc.fileBase}.xlsx`,
    mimeType: MIME.xlsx,
    contentBase64: Buffer.from(data).toString('base64'),
    rows,
  };
}
