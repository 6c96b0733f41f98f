import type { ClerkRow } from '../session/clerks.store';
import {
  chequeAt,
  chequeDecisionById,
  listCheques,
  restorationFor,
  type ChequeRow,
  type ChequeStatus,
} from './cheques.store';
import { openBusinessDateFrom } from '../cash/day-closures';
import { appendEvent, type AppendContext } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import { ServiceError, type ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';

/** Head office's id on decisions it made (the event's decidedBy / source). */
export const HEAD_OFFICE = 'head-office';

export function requireSupervisorRole(clerk: ClerkRow): ClerkRow {
  if (clerk.role !== 'supervisor') throw new ServiceError('NOT_SUPERVISOR');
  return clerk;
}

export function chequeList(
  ctx: ServiceContext,
  input: {
    status: ChequeStatus | 'all';
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
  },
) {
  const cheques = listCheques(ctx.db, {
    status: input.status,
    limit: input.limit,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  });
  return {
    cheques,
    totalFen: cheques.reduce((s, c) => s + c.amountFen, 0),
  };
}

export interface ChequeDecisionInput {
  receiptId: string;
  position: number;
  outcome: 'cleared' | 'bounced';
  /** The bank's date; defaults to today's business date. */
  valueDate?: string | undefined;
  reason?: string | undefined;
}

/**
 * The append context a cheque decision is recorded with: the counter's business date, or, when a Z
 * has closed it, the next business date still open. The decision is never refused for a closed day
 * (a head-office decision must always apply); it is counted as collected on that open date, so the
 * closed day's report stays its Z's figures.
 */
function decisionContext(append: AppendContext): AppendContext {
  const businessDate = openBusinessDateFrom(append.db, append.businessDate);
  return businessDate === append.businessDate ? append : { ...append, businessDate };
}

/**
 * Appends the decision event for one pending cheque of this terminal's receipts. A bounce carries the
 * arrears it gives back (core/cheques chequeRestoration), so projections and head office apply the
 * same figures. Caller holds the write transaction.
 */
export function appendChequeDecision(
  ctx: ServiceContext,
  append: AppendContext,
  input: ChequeDecisionInput & {
    decisionId: string;
    decidedBy: string;
    source: 'counter' | 'head-office';
  },
  clerkId: string | null,
): ChequeRow {
  const cheque = chequeAt(ctx.db, input.receiptId, input.position);
  if (!cheque) throw new ServiceError('CHEQUE_NOT_FOUND');
  if (cheque.receiptVoided)
    throw new ServiceError('CHEQUE_RECEIPT_VOIDED', { receipt: cheque.receiptLabel });
  if (cheque.status !== 'pending')
    throw new ServiceError('CHEQUE_ALREADY_DECIDED', {
      receipt: cheque.receiptLabel,
      status: cheque.status,
      date: cheque.valueDate ?? '',
    });
  const valueDate = input.valueDate ?? append.businessDate;
  if (valueDate > append.businessDate || valueDate < cheque.issuedDate)
    throw new ServiceError('CHEQUE_DATE_INVALID', {
      date: valueDate,
      from: cheque.issuedDate,
      to: append.businessDate,
    });
  const common = {
    decisionId: input.decisionId,
    receiptId: cheque.receiptId,
    receiptLabel: cheque.receiptLabel,
    position: cheque.position,
    chequeNo: cheque.chequeNo,
    amountFen: cheque.amountFen,
    decidedBy: input.decidedBy,
    source: input.source,
  };
  const counted = decisionContext(append);
  if (input.outcome === 'cleared') {
    appendEvent(counted, 'cheque.cleared', { ...common, clearedOn: valueDate }, clerkId);
  } else {
    const reason = (input.reason ?? '').trim();
    if (reason === '') throw new ServiceError('CHEQUE_REASON_REQUIRED');
    appendEvent(
      counted,
      'cheque.bounced',
      {
        ...common,
        bouncedOn: valueDate,
        reason,
        restored: restorationFor(ctx.db, cheque.receiptId, cheque.position),
      },
      clerkId,
    );
  }
  return chequeAt(ctx.db, cheque.receiptId, cheque.position)!;
}

/** A supervisor (finance) at the counter clears or bounces a pending cheque. */
export function decideCheque(ctx: ServiceContext, clerk: ClerkRow, input: ChequeDecisionInput) {
  requireSupervisorRole(clerk);
  return writeTransaction(ctx, (append) =>
    appendChequeDecision(
      ctx,
      append,
      {
        ...input,
        decisionId: uuidv7(append.now.getTime()),
        decidedBy: clerk.id,
        source: 'counter',
      },
      clerk.id,
    ),
  );
}

interface ChequeTarget {
  receiptId: string;
  position: number;
}

/** The pending cheque reached the account on `clearedOn` (today's business date if not given). */
export function clearCheque(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ChequeTarget & { clearedOn?: string | undefined },
) {
  return decideCheque(ctx, clerk, {
    receiptId: input.receiptId,
    position: input.position,
    outcome: 'cleared',
    valueDate: input.clearedOn,
  });
}

/** The pending cheque bounced on `bouncedOn` (today's business date if not given). */
export function bounceCheque(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ChequeTarget & { bouncedOn?: string | undefined; reason: string },
) {
  return decideCheque(ctx, clerk, {
    receiptId: input.receiptId,
    position: input.position,
    outcome: 'bounced',
    valueDate: input.bouncedOn,
    reason: input.reason,
  });
}

/**
 * A decision head office recorded, pulled by the sync worker (inside its page transaction). The same
 * decision arriving again is a no-op; a cheque already decided here is refused (kept in sync_rejects).
 * A decision pulled on a day closed by Z is applied all the same, counted on the next open day.
 */
export function applyHeadOfficeChequeDecision(
  append: AppendContext,
  d: {
    decisionId: string;
    receiptId: string;
    position: number;
    outcome: 'cleared' | 'bounced';
    valueDate: string;
    reason: string | null;
  },
): void {
  if (chequeDecisionById(append.db, d.decisionId)) return;
  const cheque = chequeAt(append.db, d.receiptId, d.position);
  if (!cheque) throw new Error(`no cheque ${d.receiptId}#${d.position} on this terminal`);
  if (cheque.receiptVoided) throw new Error(`receipt ${cheque.receiptLabel} is void`);
  if (cheque.status !== 'pending')
    throw new Error(
      `cheque of ${cheque.receiptLabel} already ${cheque.status} here (${cheque.source ?? ''} ${cheque.valueDate ?? ''})`,
    );
  // head office's value date may be after this counter's business day (time zones, clock): keep it
  const valueDate = d.valueDate;
  const common = {
    decisionId: d.decisionId,
    receiptId: cheque.receiptId,
    receiptLabel: cheque.receiptLabel,
    position: cheque.position,
    chequeNo: cheque.chequeNo,
    amountFen: cheque.amountFen,
    decidedBy: HEAD_OFFICE,
    source: 'head-office' as const,
  };
  const counted = decisionContext(append);
  if (d.outcome === 'cleared')
    appendEvent(counted, 'cheque.cleared', { ...common, clearedOn: valueDate }, null);
  else
    appendEvent(
      counted,
      'cheque.bounced',
      {
        ...common,
        bouncedOn: valueDate,
        reason:
          d.reason && d.reason.trim() !== '' ? d.reason.trim() : '总部退票 bounced at head office',
        restored: restorationFor(append.db, cheque.receiptId, cheque.position),
      },
      null,
    );
}
