import { clerkById } from '../session/clerks.store';
import { handInFen } from '@heating-cashier/core/cash-count';
import { chainHead } from '../../ledger/event-log';
import { stmt } from '../../ledger/statements';
import type { ServiceContext } from '../../services/context';
import { enqueuePrintJob, printerSettings } from '../printing/print-queue';
import { tenderRows } from './cash.store';
import type { shiftSummary } from './shift-report';
import type { TemplateInput } from '../../devices/printer/template-data';

const COPIES = [
  ['finance', '财务联'],
  ['clerk', '收费员联'],
] as const;

/**
 * The thermal hand-in slip's data for one copy: what is printed and what the on-screen preview shows.
 * `approverId` is the supervisor who approved the variance (null: none needed).
 */
export function handInSlipPrintData(
  ctx: ServiceContext,
  summary: ReturnType<typeof shiftSummary>,
  approverId: string | null,
  copy: 'finance' | 'clerk',
): TemplateInput<'hand-in-slip'> {
  const { db } = ctx;
  const labels = stmt(
    db,
    'SELECT min(receipt_label) AS first, max(receipt_label) AS last FROM receipts WHERE shift_id = ?',
  ).get(summary.shiftId) as { first: string | null; last: string | null };
  const counted = summary.cash.countedFen ?? 0;
  return {
    company: printerSettings(db).companyName,
    terminalName: ctx.terminal.name,
    timeZone: ctx.terminal.timeZone,
    isDemo: ctx.terminal.isDemo,
    slipNo: `${summary.businessDate.replaceAll('-', '')}-${summary.shiftId.slice(-6).toUpperCase()}`,
    businessDate: summary.businessDate,
    clerkName: summary.clerk.name,
    clerkCode: clerkById(db, summary.clerk.id)?.code ?? '',
    shiftOpenedAt: summary.openedAt,
    shiftClosedAt: summary.closedAt ?? ctx.clock().toISOString(),
    openingFloatFen: summary.cash.openingFloatFen,
    receiptCount: summary.receiptCount,
    voidCount: summary.voidCount,
    firstReceiptLabel: labels.first,
    lastReceiptLabel: labels.last,
    byTender: tenderRows(db, summary.byTender, 'r.shift_id = ?', summary.shiftId),
    collectedFen: summary.collectedFen,
    cardSplit: summary.cardSplit,
    expectedCashFen: Math.max(0, summary.cash.expectedFen),
    countedCashFen: counted,
    denominations: Object.entries(summary.cash.denominations ?? {}).map(([face, count]) => ({
      faceFen: Number(face),
      count,
    })),
    varianceFen: summary.cash.varianceFen ?? 0,
    varianceApprovedBy: approverId ? (clerkById(db, approverId)?.name ?? null) : null,
    /** The float stays in the drawer; the rest of the counted cash goes to finance. */
    handInFen: handInFen(counted, summary.cash.openingFloatFen),
    /** The hash of the shift's close event (the chain head at the close), so a later preview prints the same. */
    chainHash: closedHash(ctx, summary.shiftId) ?? chainHead(db).hash,
    copy,
  };
}

function closedHash(ctx: ServiceContext, shiftId: string): string | null {
  const row = stmt(
    ctx.db,
    'SELECT e.hash FROM shifts s JOIN events e ON e.seq = s.closed_seq WHERE s.id = ?',
  ).get(shiftId) as { hash: string } | undefined;
  return row?.hash ?? null;
}

/** The supervisor who approved a closed shift's variance (null when none was needed). */
export function varianceApproverOf(ctx: ServiceContext, shiftId: string): string | null {
  const row = stmt(ctx.db, 'SELECT variance_approved_by AS approver FROM shifts WHERE id = ?').get(
    shiftId,
  ) as { approver: string | null } | undefined;
  return row?.approver ?? null;
}

/**
 * Queues the hand-in slip (交款单) of a just-closed shift twice — finance copy and clerk copy — in the
 * close's transaction; printing happens after commit and a printer fault never blocks the close.
 */
export function enqueueHandInSlips(
  ctx: ServiceContext,
  summary: ReturnType<typeof shiftSummary>,
  approverId: string | null,
): void {
  const base = handInSlipPrintData(ctx, summary, approverId, 'finance');
  for (const [copy, label] of COPIES) {
    enqueuePrintJob(ctx, {
      template: 'hand-in-slip',
      subjectId: summary.shiftId,
      label: `交款单 ${base.slipNo} ${label}`,
      data: { ...base, copy },
    });
  }
}
