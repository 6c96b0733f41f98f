import type { printerCommands } from '@heating-cashier/core/contract/printer-commands';
import { withClerk, withSupervisor, type HandlerTable } from '../../api/handler';
import {
  changePrinterSettings,
  printerPreview,
  printerSettingsView,
  printerStatus,
  printJobList,
  printStatementAgain,
  printTestPage,
  retryPrinting,
} from './printer';
import { reprintJob } from './reprint';

export const printerHandlers = {
  'printer.status': withClerk((ctx) => printerStatus(ctx)),
  'printer.jobs': withClerk((ctx, input) => printJobList(ctx, input.limit, input.openOnly)),
  'printer.retry': withClerk((ctx) => retryPrinting(ctx)),
  'printer.reprint': withClerk((ctx, input, clerk) => reprintJob(ctx, clerk, input.jobId)),
  'printer.preview': withClerk((ctx, input) => printerPreview(ctx, input)),
  'printer.settings.get': withClerk((ctx) => printerSettingsView(ctx)),
  'printer.settings.set': withSupervisor((ctx, input, supervisor) =>
    changePrinterSettings(ctx, supervisor, input),
  ),
  'printer.testPrint': withClerk((ctx) => printTestPage(ctx)),
  'receipt.statement': withClerk((ctx, input) => printStatementAgain(ctx, input.receiptLabel)),
} satisfies HandlerTable<keyof typeof printerCommands>;
