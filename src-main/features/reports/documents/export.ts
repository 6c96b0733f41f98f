import type { PdfRenderer } from '../../../devices/pdf/port';
import { dailyReport, monthlyReport } from '../../cash/cash-control';
import { ServiceError, type ServiceContext } from '../../../services/context';
import { handInSlipPrintData, varianceApproverOf } from '../../cash/hand-in-print';
import { printerSettings } from '../../printing/print-queue';
import { slipPreview } from '../../printing/printer';
import { shiftReport, shiftSummary } from '../../cash/shift-report';
import { dailyReportDoc, handInSlipDoc, monthlyReportDoc, type DocContext } from './build';
import { docToHtml } from './html';
import type { Doc } from './model';
import { docToXlsx } from './xlsx';

/** `ctx.runtime.documents`: the PDF adapter the shell (host, Electron, tests) attached, if any. */
export class Documents {
  pdf: PdfRenderer | null = null;

  /** Frees the adapter's browser / window; A4 PDF is unavailable afterwards. */
  async close(): Promise<void> {
    const pdf = this.pdf;
    this.pdf = null;
    await pdf?.close();
  }
}

export type DocumentRequest =
  | { report: 'handInSlip'; shiftId: string; copy?: 'finance' | 'clerk' | undefined }
  | { report: 'daily'; businessDate: string }
  | { report: 'monthly'; month: string };

function docContext(ctx: ServiceContext): DocContext {
  return {
    company: printerSettings(ctx.db).companyName,
    terminalName: ctx.terminal.name,
    timeZone: ctx.terminal.timeZone,
    isDemo: ctx.terminal.isDemo,
    now: ctx.clock().toISOString(),
  };
}

/** The document model of a request (figures straight from the report services). */
export function buildDocument(ctx: ServiceContext, request: DocumentRequest): Doc {
  const c = docContext(ctx);
  switch (request.report) {
    case 'handInSlip':
      return handInSlipDoc(shiftReport(ctx, request.shiftId), c, request.copy ?? null);
    case 'daily':
      return dailyReportDoc(dailyReport(ctx, request.businessDate), c);
    case 'monthly':
      return monthlyReportDoc(monthlyReport(ctx, request.month), c);
  }
}

export const MIME = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html',
} as const;

/** A4 PDF (through the attached PdfRenderer), Excel workbook, or the A4 HTML itself. */
export async function exportDocument(
  ctx: ServiceContext,
  request: DocumentRequest,
  format: 'pdf' | 'xlsx' | 'html',
): Promise<{ fileName: string; mime: string; base64: string; bytes: number }> {
  const doc = buildDocument(ctx, request);
  let data: Uint8Array;
  if (format === 'xlsx') {
    data = await docToXlsx(doc);
  } else if (format === 'html') {
    data = new TextEncoder().encode(docToHtml(doc));
  } else {
    const renderer = ctx.runtime.documents.pdf;
    if (!renderer) throw new ServiceError('PDF_UNAVAILABLE');
    try {
      data = await renderer.htmlToPdf(docToHtml(doc));
    } catch (e) {
      throw new ServiceError('PDF_FAILED', {
        reason: (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 200),
      });
    }
  }
  return {
    fileName: `${doc.fileBase}.${format}`,
    mime: MIME[format],
    base64: Buffer.from(data).toString('base64'),
    bytes: data.byteLength,
  };
}

/** The thermal hand-in slip of a closed shift as it prints (SVG for the screen, text), one copy. */
export function handInSlipPreview(
  ctx: ServiceContext,
  shiftId: string,
  copy: 'finance' | 'clerk',
): { svg: string; text: string; width: number } {
  const summary = shiftSummary(ctx, shiftId);
  if (summary.closedAt === null) throw new ServiceError('SHIFT_NOT_CLOSED');
  return slipPreview(
    ctx,
    'hand-in-slip',
    handInSlipPrintData(ctx, summary, varianceApproverOf(ctx, shiftId), copy),
  );
}
