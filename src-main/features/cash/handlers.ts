import type { cashCommands } from '@heating-cashier/core/contract/cash-commands';
import { withClerk, type HandlerTable } from '../../api/handler';
import {
  closeDay,
  dailyReport,
  monthlyReport,
  moveCash,
  returnBook,
  spoilNextReceipt,
} from './cash-control';
import { shiftReport } from './shift-report';
import {
  closeOwnShift,
  currentShift,
  openNewShift,
  ownShiftXReport,
  printOwnShiftXReport,
} from './shifts';
import { exportDocument, handInSlipPreview } from '../reports/documents/export';

export const cashHandlers = {
  'shift.current': withClerk((ctx, _input, clerk) => currentShift(ctx, clerk)),
  'shift.open': withClerk((ctx, input, clerk) => openNewShift(ctx, clerk, input.openingFloatFen)),
  'shift.close': withClerk((ctx, input, clerk) => closeOwnShift(ctx, clerk, input)),
  'shift.xReport': withClerk((ctx, _input, clerk) => ownShiftXReport(ctx, clerk)),
  'shift.handInSlip': withClerk((ctx, input) => shiftReport(ctx, input.shiftId)),
  'cash.move': withClerk((ctx, input, clerk) => moveCash(ctx, clerk, input)),
  'receipt.spoil': withClerk((ctx, input, clerk) => spoilNextReceipt(ctx, clerk, input.reason)),
  'book.return': withClerk((ctx, input, clerk) => returnBook(ctx, clerk, input)),
  'day.close': withClerk((ctx, input, clerk) => closeDay(ctx, clerk, input)),
  'report.daily': withClerk((ctx, input) => dailyReport(ctx, input.businessDate)),
  'report.monthly': withClerk((ctx, input) => monthlyReport(ctx, input.month)),
  'shift.printX': withClerk((ctx, _input, clerk) => printOwnShiftXReport(ctx, clerk)),
  'shift.slipPreview': withClerk((ctx, input) => handInSlipPreview(ctx, input.shiftId, input.copy)),
  'report.export': withClerk((ctx, { session: _s, format, ...request }) =>
    exportDocument(ctx, request, format),
  ),
} satisfies HandlerTable<keyof typeof cashCommands | 'shift.current' | 'shift.open'>;
