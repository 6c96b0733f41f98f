import type { cashCommands } from '@heating-cashier/core/contract/cash-commands';
import { requireClerk } from '../session/auth';
import {
  closeDay,
  dailyReport,
  monthlyReport,
  moveCash,
  returnBook,
  spoilNextReceipt,
} from './cash-control';
import { enqueueXReport } from '../printing/report-print';
import { shiftReport } from './shift-report';
import { closeOwnShift, requireOwnOpenShift, varianceThresholdFen } from './shifts';
import { exportDocument, handInSlipPreview } from '../reports/documents/export';
import type { HandlerTable } from '../../api/handlers';

export const cashHandlers = {
  'shift.close': (ctx, input) => closeOwnShift(ctx, requireClerk(ctx, input.session), input),
  'shift.xReport': (ctx, input) => ({
    ...shiftReport(ctx, requireOwnOpenShift(ctx, requireClerk(ctx, input.session)).id),
    varianceThresholdFen: varianceThresholdFen(ctx),
  }),
  'shift.handInSlip': (ctx, input) => {
    requireClerk(ctx, input.session);
    return shiftReport(ctx, input.shiftId);
  },
  'cash.move': (ctx, input) => moveCash(ctx, requireClerk(ctx, input.session), input),
  'receipt.spoil': (ctx, input) =>
    spoilNextReceipt(ctx, requireClerk(ctx, input.session), input.reason),
  'book.return': (ctx, input) => returnBook(ctx, requireClerk(ctx, input.session), input),
  'day.close': (ctx, input) => closeDay(ctx, requireClerk(ctx, input.session), input),
  'report.daily': (ctx, input) => {
    requireClerk(ctx, input.session);
    return dailyReport(ctx, input.businessDate);
  },
  'report.monthly': (ctx, input) => {
    requireClerk(ctx, input.session);
    return monthlyReport(ctx, input.month);
  },
  'shift.printX': (ctx, input) => {
    const clerk = requireClerk(ctx, input.session);
    const shift = requireOwnOpenShift(ctx, clerk);
    const jobId = ctx.db.transaction(() => enqueueXReport(ctx, clerk, shift.id))();
    return { jobId, label: `X 报表 ${shift.business_date} ${clerk.name}` };
  },
  'shift.slipPreview': (ctx, input) => {
    requireClerk(ctx, input.session);
    return handInSlipPreview(ctx, input.shiftId, input.copy);
  },
  'report.export': (ctx, input) => {
    requireClerk(ctx, input.session);
    const { session: _s, format, ...request } = input;
    return exportDocument(ctx, request, format);
  },
} satisfies HandlerTable<keyof typeof cashCommands>;
