import type { ClerkRow } from '../session/clerks.store';
import { receiptHasChequeDecision } from '../cheques/cheques.store';
import { appendEvent } from '../../ledger/event-log';
import { receiptById, receiptByLabel, type ReceiptRow } from './receipts.store';
import { approverVerifier, requireSupervisor } from '../session/auth';
import { ServiceError, type ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';
import { requireOwnOpenShift } from '../cash/shifts';
import { receiptDetailView, receiptSummaryView } from './views';
import { enqueueReceiptReprint } from '../printing/print-queue';
import { enqueueStatement } from '../printing/paper-rules';
import type { ReceiptPart } from '../../devices/printer/template-data';

function requireReceipt(
  ctx: ServiceContext,
  by: { receiptId?: string; receiptLabel?: string },
): ReceiptRow {
  const receipt =
    by.receiptId !== undefined
      ? receiptById(ctx.db, by.receiptId)
      : receiptByLabel(ctx.db, (by.receiptLabel ?? '').toUpperCase());
  if (!receipt) throw new ServiceError('RECEIPT_NOT_FOUND');
  return receipt;
}

export function findReceipt(
  ctx: ServiceContext,
  by: { receiptId?: string; receiptLabel?: string },
) {
  return receiptDetailView(ctx.db, requireReceipt(ctx, by));
}

export function voidReceipt(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: { receiptId: string; reason: string; supervisorCode: string; supervisorPin: string },
) {
  const before = requireReceipt(ctx, input);
  if (before.voided_seq !== null) throw new ServiceError('RECEIPT_ALREADY_VOID');
  // Outside the write transaction so that a wrong supervisor PIN is counted even though we refuse.
  const supervisor = requireSupervisor(ctx, input.supervisorCode, input.supervisorPin);
  return writeTransaction(ctx, (append) => {
    const receipt = requireReceipt(ctx, input);
    if (receipt.voided_seq !== null) throw new ServiceError('RECEIPT_ALREADY_VOID');
    const shift = requireOwnOpenShift(ctx, clerk, append.businessDate);
    if (receipt.shift_id !== shift.id) throw new ServiceError('VOID_OTHER_SHIFT');
    if (receiptHasChequeDecision(ctx.db, receipt.id))
      throw new ServiceError('RECEIPT_CHEQUE_DECIDED');
    appendEvent(
      append,
      'approval.given',
      {
        approverId: supervisor.id,
        verifier: approverVerifier(supervisor),
        action: 'receipt.void',
        subjectId: receipt.id,
        reason: input.reason,
      },
      clerk.id,
    );
    appendEvent(
      append,
      'receipt.voided',
      {
        receiptId: receipt.id,
        receiptLabel: receipt.receipt_label,
        shiftId: shift.id,
        reason: input.reason,
        approvedBy: supervisor.id,
      },
      clerk.id,
    );
    // The written statement (一式四份), with the ledger event or not at all.
    enqueueStatement(ctx, receipt.receipt_label);
    return receiptSummaryView(receiptById(ctx.db, receipt.id)!);
  });
}

/** A reprint (补打) of the customer copy, or of the given part (a 存根联/记账联 job reprinted). */
export function reprintReceipt(
  ctx: ServiceContext,
  clerk: ClerkRow,
  receiptId: string,
  copy: ReceiptPart = 'customer',
) {
  return writeTransaction(ctx, (append) => {
    const receipt = requireReceipt(ctx, { receiptId });
    appendEvent(
      append,
      'receipt.reprinted',
      { receiptId, reprintNo: receipt.reprint_count + 1 },
      clerk.id,
    );
    enqueueReceiptReprint(ctx, receiptId, receipt.reprint_count + 1, null, copy);
    return receiptDetailView(ctx.db, receiptById(ctx.db, receiptId)!);
  });
}
