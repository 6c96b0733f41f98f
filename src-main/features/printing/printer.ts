// The printer commands' use cases: queue status and jobs, preview, settings, test page.
import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import { parseDrawerKick } from '../../devices/printer/escpos';
import { renderSvg, renderText, TemplateDataError } from '../../devices/printer/render';
import type { TemplateName } from '../../devices/printer/template-data';
import {
  printJobById,
  recentPrintJobs,
  savePrinterSettings,
  type PrintJobRow,
} from './print-jobs.store';
import type { ClerkRow } from '../session/clerks.store';
import { ServiceError, type ServiceContext } from '../../services/context';
import {
  applyPrinterSettings,
  enqueuePrintJob,
  printerSettings,
  printQueueOf,
  queueCommittedReceipts,
  receiptPrintData,
} from './print-queue';
import { enqueueStatement } from './paper-rules';

export function jobView(j: PrintJobRow) {
  return {
    id: j.id,
    template: j.template,
    subjectId: j.subject_id,
    label: j.label,
    state: j.state,
    attempts: j.attempts,
    reason: j.reason,
    reasonAt: j.reason_at,
    createdAt: j.created_at,
    doneAt: j.done_at,
    replacesId: j.replaces_id,
  };
}

/** The print queue's status; without a printer, what waits in the queue. */
export function printerStatus(ctx: ServiceContext) {
  queueCommittedReceipts(ctx);
  const queue = printQueueOf(ctx);
  if (queue) return { configured: true, ...queue.summary() };
  const open = recentPrintJobs(ctx.db, 1000, true);
  return {
    configured: false,
    status: {
      state: 'unavailable' as const,
      detail: {
        'zh-CN': '未配置打印机：收据已保存在打印队列中，配置打印机后打印',
        en: 'No printer configured: receipts wait in the print queue until one is set up',
      },
    },
    queued: open.filter((j) => j.state !== 'unknown').length,
    unknown: open.filter((j) => j.state === 'unknown').length,
    lastReason: null,
  };
}

export function printJobList(ctx: ServiceContext, limit: number, openOnly: boolean) {
  queueCommittedReceipts(ctx);
  return { jobs: recentPrintJobs(ctx.db, limit, openOnly).map(jobView) };
}

/** Tries the queue again now (after paper was loaded or the cover closed). */
export async function retryPrinting(ctx: ServiceContext) {
  await printQueueOf(ctx)?.kick();
  return printerStatus(ctx);
}

export function printerPreview(ctx: ServiceContext, input: ParsedInput<'printer.preview'>) {
  return slipPreview(ctx, 'receipt', receiptPrintData(ctx, input.receiptId, input.copy));
}

/** A slip as it prints with the saved printer settings (SVG for the screen, text). */
export function slipPreview(
  ctx: ServiceContext,
  template: TemplateName,
  data: unknown,
): { svg: string; text: string; width: number } {
  const settings = printerSettings(ctx.db);
  const options = { width: settings.width, encoding: settings.encoding };
  try {
    return {
      svg: renderSvg(template, data, options),
      text: renderText(template, data, options),
      width: settings.width,
    };
  } catch (e) {
    if (e instanceof TemplateDataError) {
      throw new ServiceError('PRINT_TEMPLATE_DATA_INVALID', {
        template: e.template,
        issues: e.issues,
      });
    }
    throw e;
  }
}

export function printerSettingsView(ctx: ServiceContext) {
  const {
    interface: iface,
    width,
    encoding,
    companyName,
    drawerKick,
    receiptParts,
    qrMode,
    source,
  } = printerSettings(ctx.db);
  return {
    interface: iface,
    width,
    encoding,
    companyName,
    drawerKick,
    printStub: receiptParts > 1,
    receiptParts,
    qrMode,
    source,
  };
}

/** Saves the printer settings a supervisor approved and reopens the printer with them. */
export async function changePrinterSettings(
  ctx: ServiceContext,
  supervisor: ClerkRow,
  input: ParsedInput<'printer.settings.set'>,
) {
  if (input.drawerKick !== 'off' && !parseDrawerKick(input.drawerKick)) {
    throw new ServiceError('PRINTER_SETTINGS_INVALID', {
      issue: "drawerKick must be ESC p m t1 t2 (1b 70 …), DLE DC4 1 m t (10 14 01 …) or 'off'",
    });
  }
  savePrinterSettings(ctx.db, {
    interface: input.interface,
    width: input.width,
    encoding: input.encoding,
    company_name: input.companyName,
    drawer_kick: input.drawerKick.toLowerCase(),
    // an older client's printStub: false = the customer copy only, true = every part
    receipt_parts: input.receiptParts ?? (input.printStub === false ? 1 : 3),
    print_stub: (input.receiptParts ?? (input.printStub === false ? 1 : 3)) > 1 ? 1 : 0,
    qr_mode: input.qrMode,
    updated_at: ctx.clock().toISOString(),
    updated_by: supervisor.id,
  });
  await applyPrinterSettings(ctx);
  return printerSettingsView(ctx);
}

/** The written statement of a voided receipt or a spoiled blank, four copies again, marked 补打. */
export function printStatementAgain(ctx: ServiceContext, receiptLabel: string) {
  const label = receiptLabel.trim().toUpperCase();
  const ids = ctx.db.transaction(() => enqueueStatement(ctx, label, true)).immediate();
  return { jobs: ids.map((id) => jobView(printJobById(ctx.db, id)!)) };
}

export function printTestPage(ctx: ServiceContext) {
  const settings = printerSettings(ctx.db);
  const id = enqueuePrintJob(ctx, {
    template: 'test-page',
    subjectId: null,
    label: '打印测试页',
    data: {
      company: settings.companyName,
      terminalName: ctx.terminal.name,
      timeZone: ctx.terminal.timeZone,
      isDemo: ctx.terminal.isDemo,
      printedAt: ctx.clock().toISOString(),
      interfaceLabel: settings.interface,
      width: settings.width,
      encoding: settings.encoding,
    },
  });
  return { job: jobView(printJobById(ctx.db, id)!) };
}
