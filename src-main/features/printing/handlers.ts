import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import type { printerCommands } from '@heating-cashier/core/contract/printer-commands';
import { parseDrawerKick } from '../../devices/printer/escpos';
import { renderSvg, renderText, TemplateDataError } from '../../devices/printer/render';
import {
  markSuperseded,
  printJobById,
  recentPrintJobs,
  savePrinterSettings,
  setReplacesId,
  type PrintJobRow,
} from './print-jobs.store';
import { requireClerk, requireSupervisor } from '../session/auth';
import { ServiceError, writeTransaction, type ServiceContext } from '../../services/context';
import {
  applyPrinterSettings,
  enqueuePrintJob,
  printerSettings,
  printQueueOf,
  queueCommittedReceipts,
  receiptPrintData,
  reprintOtherJob,
  requirePrintJob,
} from './print-queue';
import { reprintReceipt } from '../receipts/receipts';
import type { HandlerTable } from '../../api/handlers';

function jobView(j: PrintJobRow) {
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

function queueView(ctx: ServiceContext) {
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

function settingsView(ctx: ServiceContext) {
  const {
    interface: iface,
    width,
    encoding,
    companyName,
    drawerKick,
    printStub,
    qrMode,
    source,
  } = printerSettings(ctx.db);
  return { interface: iface, width, encoding, companyName, drawerKick, printStub, qrMode, source };
}

function previewOf(ctx: ServiceContext, input: ParsedInput<'printer.preview'>) {
  const settings = printerSettings(ctx.db);
  const data = receiptPrintData(ctx, input.receiptId, input.copy);
  const options = { width: settings.width, encoding: settings.encoding };
  try {
    return {
      svg: renderSvg('receipt', data, options),
      text: renderText('receipt', data, options),
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

export const printerHandlers = {
  'printer.status': (ctx, input) => {
    requireClerk(ctx, input.session);
    return queueView(ctx);
  },
  'printer.jobs': (ctx, input) => {
    requireClerk(ctx, input.session);
    queueCommittedReceipts(ctx);
    return { jobs: recentPrintJobs(ctx.db, input.limit, input.openOnly).map(jobView) };
  },
  'printer.retry': async (ctx, input) => {
    requireClerk(ctx, input.session);
    await printQueueOf(ctx)?.kick();
    return queueView(ctx);
  },
  'printer.reprint': (ctx, input) => {
    const clerk = requireClerk(ctx, input.session);
    const job = requirePrintJob(ctx, input.jobId);
    if (job.state === 'queued' || job.state === 'sending') {
      return { job: jobView(job), alreadyQueued: true };
    }
    const newId = writeTransaction(ctx, () => {
      if (job.template === 'receipt' && job.subject_id) {
        // The receipt.reprint use case: ledger event (counter) + a 补打 job, in this transaction.
        if (job.state === 'unknown') {
          markSuperseded(ctx.db, job.id);
        }
        reprintReceipt(ctx, clerk, job.subject_id);
        const latest = recentPrintJobs(ctx.db, 1, false)[0]!;
        setReplacesId(ctx.db, latest.id, job.id);
        return latest.id;
      }
      return reprintOtherJob(ctx, job);
    });
    return { job: jobView(printJobById(ctx.db, newId)!), alreadyQueued: false };
  },
  'printer.preview': (ctx, input) => {
    requireClerk(ctx, input.session);
    return previewOf(ctx, input);
  },
  'printer.settings.get': (ctx, input) => {
    requireClerk(ctx, input.session);
    return settingsView(ctx);
  },
  'printer.settings.set': async (ctx, input) => {
    requireClerk(ctx, input.session);
    const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
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
      print_stub: input.printStub ? 1 : 0,
      qr_mode: input.qrMode,
      updated_at: ctx.clock().toISOString(),
      updated_by: supervisor.id,
    });
    await applyPrinterSettings(ctx);
    return settingsView(ctx);
  },
  'printer.testPrint': (ctx, input) => {
    requireClerk(ctx, input.session);
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
  },
} satisfies HandlerTable<keyof typeof printerCommands>;
