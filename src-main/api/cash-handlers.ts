import type { cashCommands } from '../contract/cash-commands';
import { requireClerk } from '../services/auth';
import {
  closeDay,
  dailyReport,
  monthlyReport,
  moveCash,
  returnBook,
  spoilNextReceipt,
} from '../services/cash-control';
import { shiftReport } from '../services/shift-report';
import { closeOwnShift, requireOwnOpenShift } from '../services/shifts';
import type { HandlerTable } from './handlers';

export const cashHandlers = {
  'shift.close': (ctx, input) => closeOwnShift(ctx, requireClerk(ctx, input.session), input),
  'shift.xReport': (ctx, input) =>
    shiftReport(ctx, requireOwnOpenShift(ctx, requireClerk(ctx, input.session)).id),
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
} satisfies HandlerTable<keyof typeof cashCommands>;
