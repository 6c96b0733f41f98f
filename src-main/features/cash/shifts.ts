import {
  cashVarianceFen,
  countTotalFen,
  varianceNeedsApproval,
  type DenominationCount,
} from '@heating-cashier/core/cash-count';
import { formatFen } from '@heating-cashier/core/money';
import { currentBook, openShift, shiftById } from './books-shifts.store';
import { setting } from './cash.store';
import type { ClerkRow } from '../session/clerks.store';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { approverVerifier, requireSupervisor } from '../session/auth';
import { ServiceError, type ServiceContext } from '../../services/context';
import { today, writeTransaction } from '../../ledger/transaction';
import { requireDayOpen } from './day-closures';
import { enqueueHandInSlips } from './hand-in-print';
import { shiftReport, shiftSummary } from './shift-report';
import { bookView, shiftView } from '../receipts/views';
import { enqueueXReport } from '../printing/report-print';

/**
 * The open shift of this counter, which must belong to `clerk`, for work that takes money or uses a
 * receipt number: refused on a business day already closed by Z (DAY_CLOSED names the Z).
 */
export function requireOwnOpenShift(
  ctx: ServiceContext,
  clerk: ClerkRow,
  /** Inside a write transaction: its `append.businessDate`, the date the event will carry. */
  businessDate = today(ctx),
) {
  requireDayOpen(ctx.db, businessDate);
  return ownOpenShift(ctx, clerk);
}

/** The open shift of this counter, which must belong to `clerk` (closing it, X report). */
function ownOpenShift(ctx: ServiceContext, clerk: ClerkRow) {
  const shift = openShift(ctx.db);
  if (!shift) throw new ServiceError('NO_OPEN_SHIFT');
  if (shift.clerk_id !== clerk.id)
    throw new ServiceError('SHIFT_OF_OTHER_CLERK', { clerkName: shift.clerk_name });
  return shift;
}

export function openNewShift(ctx: ServiceContext, clerk: ClerkRow, openingFloatFen: number) {
  return writeTransaction(ctx, (append) => {
    const existing = openShift(ctx.db);
    if (existing) throw new ServiceError('SHIFT_ALREADY_OPEN', { clerkName: existing.clerk_name });
    requireDayOpen(ctx.db, append.businessDate);
    const shiftId = uuidv7(append.now.getTime());
    appendEvent(append, 'shift.opened', { shiftId, clerkId: clerk.id, openingFloatFen }, clerk.id);
    return shiftView(shiftById(ctx.db, shiftId)!);
  });
}

export interface ShiftCloseInput {
  denominations: DenominationCount;
  varianceReason?: string | undefined;
  supervisorCode?: string | undefined;
  supervisorPin?: string | undefined;
}

export function varianceThresholdFen(ctx: ServiceContext): number {
  return Number(setting(ctx.db, 'cash.varianceThresholdFen') ?? 1000);
}

/**
 * Closes the clerk's open shift with the cash counted by denomination. A variance is accepted and
 * recorded; above the threshold it needs a reason and a supervisor's approval. Closing twice is impossible.
 */
export function closeOwnShift(ctx: ServiceContext, clerk: ClerkRow, input: ShiftCloseInput) {
  const counted = countTotalFen(input.denominations);
  if (!counted.ok)
    throw new ServiceError('BAD_INPUT', { issues: `denominations: ${counted.code}` });
  // Checked before the write transaction so that a wrong supervisor PIN is counted even though we refuse.
  const approver =
    input.supervisorCode && input.supervisorPin
      ? requireSupervisor(ctx, input.supervisorCode, input.supervisorPin)
      : null;
  return writeTransaction(ctx, (append) => {
    const shift = ownOpenShift(ctx, clerk);
    const report = shiftSummary(ctx, shift.id);
    const expected = report.cash.expectedFen;
    const varianceFen = cashVarianceFen(counted.value, expected);
    const needsApproval = varianceNeedsApproval(varianceFen, varianceThresholdFen(ctx));
    if (needsApproval && (!approver || !input.varianceReason)) {
      throw new ServiceError('VARIANCE_NEEDS_APPROVAL', {
        expected: formatFen(expected),
        counted: formatFen(counted.value),
        variance: formatFen(varianceFen),
      });
    }
    if (needsApproval && approver) {
      appendEvent(
        append,
        'approval.given',
        {
          approverId: approver.id,
          verifier: approverVerifier(approver),
          action: 'shift.variance',
          subjectId: shift.id,
          reason: input.varianceReason ?? '',
        },
        clerk.id,
      );
    }
    appendEvent(
      append,
      'shift.closed',
      {
        shiftId: shift.id,
        clerkId: clerk.id,
        receiptCount: report.receiptCount,
        voidCount: report.voidCount,
        collectedFen: report.collectedFen,
        cashCollectedFen: report.cash.cashReceiptsFen,
        byTender: report.byTender,
        denominations: Object.fromEntries(
          Object.entries(input.denominations).filter(([, n]) => (n ?? 0) > 0),
        ),
        expectedCashFen: expected,
        countedCashFen: counted.value,
        varianceFen,
        varianceReason: input.varianceReason ?? null,
        approvedBy: needsApproval ? (approver?.id ?? null) : null,
      },
      clerk.id,
    );
    const closed = shiftSummary(ctx, shift.id);
    enqueueHandInSlips(ctx, closed, needsApproval ? (approver?.id ?? null) : null);
    return { ...shiftView(shiftById(ctx.db, shift.id)!), ...closed };
  });
}

/** The open shift on this counter, if any, and the clerk's current receipt book. */
export function currentShift(ctx: ServiceContext, clerk: ClerkRow) {
  const shift = openShift(ctx.db);
  const book = currentBook(ctx.db, clerk.id);
  return { shift: shift ? shiftView(shift) : null, book: book ? bookView(book) : null };
}

/** The X report (mid-shift) of the clerk's own open shift, with the variance threshold. */
export function ownShiftXReport(ctx: ServiceContext, clerk: ClerkRow) {
  return {
    ...shiftReport(ctx, ownOpenShift(ctx, clerk).id),
    varianceThresholdFen: varianceThresholdFen(ctx),
  };
}

/** Queues the X report of the clerk's own open shift on the thermal printer. */
export function printOwnShiftXReport(ctx: ServiceContext, clerk: ClerkRow) {
  const shift = ownOpenShift(ctx, clerk);
  const jobId = ctx.db.transaction(() => enqueueXReport(ctx, clerk, shift.id))();
  return { jobId, label: `X 报表 ${shift.business_date} ${clerk.name}` };
}
